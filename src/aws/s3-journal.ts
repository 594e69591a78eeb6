import { JournalError, PreconditionError, UsageError } from '../core/errors.js';
import {
  matchesQuery,
  newestFirst,
  selectRuns,
  type Journal,
  type OnUnreadable,
  type RunQuery,
  type StoredRun,
} from '../engine/journal.js';
import type { RunDocument } from '../engine/run-document.js';
import { deriveProgress, isUnfinished } from '../engine/run-progress.js';
import { parseRunDocument, RUN_ID } from '../stores/file-journal.js';
import type { S3StateObjects, StateObject } from './s3-state-objects.js';

/** Runs that may be unfinished, and finished ones (succeeded or rolled back), under the state prefix. */
export const OPEN_RUNS = 'runs/open/';
export const DONE_RUNS = 'runs/done/';

type Place = 'open' | 'done';
const dirOf = (place: Place): string => (place === 'open' ? OPEN_RUNS : DONE_RUNS);

/** The versions of a run this process read or wrote, per document object: a save names the version its document came from. */
interface Versions {
  open?: string | undefined;
  done?: string | undefined;
}

const isFinished = (doc: RunDocument): boolean => !isUnfinished(deriveProgress(doc.events).status);

/**
 * Journal of one JSON object per run in S3: `<prefix>/runs/open/<runId>.json` while the run may
 * be unfinished, `<prefix>/runs/done/<runId>.json` once it succeeded or was rolled back (the
 * crash check and a new run's check list only `open/`). A PUT is atomic: a reader sees the old
 * document or the new one.
 *
 * Two writers never interleave a run's events: each document object remembers the ETag of the
 * version it was read as (or last saved as), and a save replaces the run only with `If-Match`
 * on that ETag — or creates it with `If-None-Match: *`. A save that loses its condition (another
 * process saved the run since) fails with a JournalError: the run stops, touching nothing more.
 * Before each save, `fence` checks that this process still holds the run's lease.
 *
 * Like the file journal, a finished document is written to `open/` first, then copied to
 * `done/`, then deleted from `open/` (If-Match): a crash in between leaves a finished run in
 * `open/` (read by mistake), never an unfinished run only in `done/`.
 */
export class S3Journal implements Journal {
  private readonly versions = new WeakMap<RunDocument, Versions>();
  /** Saves run one after another: parallel steps may save at once, and each save needs the ETag of the one before. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly objects: S3StateObjects,
    private readonly fence: (runId: string) => Promise<void> = () => Promise.resolve(),
  ) {}

  private name(place: Place, runId: string): string {
    if (!RUN_ID.test(runId)) {
      throw new UsageError(`"${runId}" is not a valid run id.`, {
        hint: 'A run id looks like 20261124-114501-db1-3f9a; list runs with `trapheus runs`.',
      });
    }
    return `${dirOf(place)}${runId}.json`;
  }

  save(doc: RunDocument): Promise<void> {
    // Serialize now: what is saved is the state at the call, even if it waits in the queue.
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    const finished = isFinished(doc);
    const saved = this.queue.then(async () => {
      const versions = this.versions.get(doc) ?? {};
      try {
        await this.fence(doc.runId);
        if (finished && versions.done !== undefined && versions.open === undefined) {
          // Already moved to done/ by this process (e.g. an alert's outcome recorded after the end).
          versions.done = await this.write('done', doc.runId, text, versions.done);
        } else {
          versions.open = await this.write('open', doc.runId, text, versions.open);
          if (finished) await this.moveToDone(doc.runId, text, versions);
        }
      } catch (error) {
        if (error instanceof JournalError) throw error;
        throw new JournalError(`Could not write the journal of run ${doc.runId} to ${this.objects.url}: ${(error as Error).message}`, {
          cause: error,
          hint: (error as PreconditionError).hint ?? 'Check the network and the credentials for the state bucket.',
        });
      } finally {
        this.versions.set(doc, versions);
      }
    });
    this.queue = saved.catch(() => undefined);
    return saved;
  }

  /**
   * Writes one place, conditionally: If-Match on the version this document came from, else
   * If-None-Match. Returns the new ETag. A lost answer (the write landed, the SDK's retry or the
   * error hid it) is recognised by reading back our own text; anything else is another writer.
   */
  private async write(place: Place, runId: string, text: string, etag: string | undefined): Promise<string> {
    const name = this.name(place, runId);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      let result;
      try {
        result = etag === undefined ? await this.objects.create(name, text) : await this.objects.replace(name, text, etag);
      } catch (error) {
        if (error instanceof PreconditionError) throw error;
        const landed = await this.objects.get(name).catch(() => undefined);
        if (landed?.text === text) return landed.etag;
        throw error;
      }
      if (result.ok) return result.etag;
      const found = await this.objects.get(name);
      if (found?.text === text) return found.etag; // our write landed; its answer was lost
      // 409: a concurrent request on the key; retry if the object is still the version we know.
      if (result.reason === 'conflict' && found?.etag === etag) continue;
      throw this.lostRace(runId, name, found);
    }
    throw new JournalError(`Could not write ${this.objects.where(name)}: concurrent requests kept conflicting.`);
  }

  private lostRace(runId: string, name: string, found: StateObject | undefined): JournalError {
    const by = found ? lastProcessIn(found.text) : undefined;
    return new JournalError(
      `Run ${runId} was changed by another process${by ? ` (${by})` : ''} since this one read it: ${this.objects.where(name)} no longer holds the version this process saved. This process stops here so that two processes never interleave the run's events.`,
      { hint: `See where the run stands: trapheus status ${runId} (with the same --state).` },
    );
  }

  /** Copies a finished run to done/ and deletes it from open/ (If-Match). Best effort: the document is durable in open/ either way. */
  private async moveToDone(runId: string, text: string, versions: Versions): Promise<void> {
    try {
      let done = versions.done;
      if (done === undefined) {
        // A copy left by a crash between copy and delete is an older finished version of this run: replace it.
        done = (await this.objects.get(this.name('done', runId)))?.etag;
      }
      versions.done = await this.write('done', runId, text, done);
      const removed = await this.objects.remove(this.name('open', runId), versions.open);
      if (removed.ok) versions.open = undefined;
    } catch {
      // Left in open/ (this save's condition held there, so it is the newest copy): still found,
      // listed as maybe unfinished, and moved by a later save.
    }
  }

  async load(runId: string): Promise<RunDocument> {
    const { doc } = await this.read(runId);
    return doc;
  }

  /** A run's document, from open/ first (the newest copy while there is one), then from done/. */
  private async read(runId: string): Promise<{ doc: RunDocument; place: Place }> {
    const hint = `List runs with \`trapheus runs\` (and check --state: runs are read from ${this.objects.url}).`;
    for (const place of ['open', 'done'] as const) {
      const name = this.name(place, runId);
      let found: StateObject | undefined;
      try {
        found = await this.objects.get(name);
      } catch (error) {
        if (error instanceof PreconditionError) throw error;
        throw new PreconditionError(`Could not read ${this.objects.where(name)}: ${(error as Error).message}`, { cause: error });
      }
      if (!found) continue;
      try {
        return { doc: this.adopt(await parseOwn(found.text, this.objects.where(name), runId), place, found.etag), place };
      } catch (error) {
        const { message, hint: why } = error as JournalError;
        throw new PreconditionError(message, { cause: error, hint: why ?? 'Inspect or remove the object; nothing was changed.' });
      }
    }
    throw new PreconditionError(`No run "${runId}" in ${this.objects.url}.`, { hint });
  }

  private adopt(doc: RunDocument, place: Place, etag: string): RunDocument {
    this.versions.set(doc, place === 'open' ? { open: etag } : { done: etag });
    return doc;
  }

  async runIds(query?: RunQuery): Promise<StoredRun[]> {
    return selectRuns(await this.stored(query), query);
  }

  private async stored(query: RunQuery | undefined): Promise<StoredRun[]> {
    const stored = new Map<string, StoredRun>();
    const places: Place[] = query?.unfinishedOnly ? ['open'] : ['done', 'open'];
    for (const place of places) {
      let listed;
      try {
        listed = await this.objects.list(dirOf(place));
      } catch (error) {
        if (error instanceof PreconditionError) throw error;
        throw new PreconditionError(`Could not list the runs in ${this.objects.url}: ${(error as Error).message}`, { cause: error });
      }
      for (const { name } of listed) {
        if (!name.endsWith('.json')) continue;
        const runId = name.slice(dirOf(place).length, -'.json'.length);
        // In open/ as well as done/: a crash before the delete; open/ is the newest copy.
        stored.set(runId, { runId, finished: place === 'done' });
      }
    }
    return [...stored.values()];
  }

  async list(query?: RunQuery, onUnreadable?: OnUnreadable): Promise<RunDocument[]> {
    const docs: RunDocument[] = [];
    for (const { runId, finished } of await this.runIds(query)) {
      const place: Place = finished ? 'done' : 'open';
      const where = this.objects.where(`${dirOf(place)}${runId}.json`);
      let found: StateObject | undefined;
      try {
        found = RUN_ID.test(runId) ? await this.objects.get(this.name(place, runId)) : undefined;
      } catch (error) {
        if (error instanceof PreconditionError) throw error;
        throw new PreconditionError(`Could not read ${where}: ${(error as Error).message}`, { cause: error });
      }
      if (!RUN_ID.test(runId)) {
        const reason = `"${runId}" is not a valid run id`;
        onUnreadable?.(where, reason, { file: where, reason, runId });
        continue;
      }
      if (!found) {
        // Moved to done/ meanwhile (or removed): read it there, if it is wanted.
        if (!finished && !query?.unfinishedOnly) {
          const moved = await this.read(runId).catch(() => undefined);
          if (moved && matchesQuery(moved.doc, query)) docs.push(moved.doc);
        }
        continue;
      }
      let doc: RunDocument;
      try {
        doc = this.adopt(await parseOwn(found.text, where, runId), place, found.etag);
      } catch (error) {
        const reason = (error as Error).message;
        onUnreadable?.(where, reason, { file: where, reason, runId, identifier: identifierIn(found.text) });
        continue;
      }
      if (matchesQuery(doc, query)) docs.push(doc);
    }
    return docs.sort(newestFirst);
  }

  async remove(runId: string): Promise<void> {
    for (const place of ['open', 'done'] as const) {
      try {
        await this.objects.remove(this.name(place, runId));
      } catch (error) {
        if (error instanceof UsageError) throw error;
        throw new JournalError(`Could not remove ${this.objects.where(this.name(place, runId))}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  }
}

/** Parses a run's object; an object under another run's name is refused (it would be acted on twice). */
async function parseOwn(text: string, where: string, runId: string): Promise<RunDocument> {
  const doc = await parseRunDocument(text, where);
  if (doc.runId !== runId) throw new JournalError(`${where} holds run ${doc.runId}, not ${runId}.`);
  return doc;
}

/** The identifier an unreadable run names, if its text is JSON at least that far. */
function identifierIn(text: string): string | undefined {
  try {
    const raw = JSON.parse(text) as { identifier?: unknown } | null;
    return typeof raw?.identifier === 'string' ? raw.identifier : undefined;
  } catch {
    return undefined;
  }
}

/** "pid 12 on host-b": the process that last started or resumed the run, as the other version says. */
function lastProcessIn(text: string): string | undefined {
  try {
    const raw = JSON.parse(text) as { events?: { type?: string; pid?: number; host?: string }[] } | null;
    const last = raw?.events?.findLast((e) => e.type === 'run_started' || e.type === 'run_resumed');
    return last?.pid !== undefined && last.host ? `pid ${last.pid} on ${last.host}` : undefined;
  } catch {
    return undefined;
  }
}
