// Reads are synchronous (a journal is small, and `runs` reads many at once: no promise, file
// handle or node:fs/promises machinery per file); writes keep fs.promises, loaded on first use.
import { closeSync, fstatSync, openSync, promises as fsp, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
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
import { deriveProgress, isUnfinished } from '../engine/run-progress.js';
import type { RunDocument } from '../engine/run-document.js';
import { RUN_SCHEMA_VERSION } from '../engine/run-schema-version.js';
import { inKeyOrder, isRunDocument, RUN_DOCUMENT_KEYS, RUN_EVENT_KEYS } from '../generated/fast-validators.js';
import { assertOwnFile, ensurePrivateDir } from './private-dir.js';

/** Run ids become file names (and S3 keys): keep them to a safe alphabet. */
export const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const LIST_HINT = 'List runs with `trapheus runs` (and check --journal-dir).';

/** Where a finished run's file is moved, under the journal directory. */
export const FINISHED_DIR = 'finished';

/** A run that succeeded or was rolled back: final states, never resumed, never saved as unfinished again. */
const isFinished = (doc: RunDocument): boolean => !isUnfinished(deriveProgress(doc.events).status);

/**
 * Journal of one JSON file per run in a private directory (created 0700, refused if group or
 * others may write it); every save is write-temp, fsync, rename. Only files the current user
 * owns are read.
 *
 * A run that may be unfinished is `<dir>/<runId>.json`; a finished one (succeeded or rolled
 * back) is `<dir>/finished/<runId>.json`, so that the crash check, a new run's check and
 * `resume` read only the first kind. Every save writes `<dir>/<runId>.json`; a save of a
 * finished document then moves it into `finished/` (a rename: atomic). A crash between the two
 * leaves a finished run at the top, read by mistake and moved by the next `list` that reads
 * it; an unfinished run is never in `finished/`. Journals of an older trapheus (all at the top)
 * are moved the same way the first time they are read.
 */
export class FileJournal implements Journal {
  /** Saves run one after another: parallel steps (members renamed together) may save at once. */
  private queue: Promise<void> = Promise.resolve();
  private sequence = 0;
  /** The directory was checked (and exists): once per process is enough. */
  private checked = false;
  private finishedChecked = false;
  private readonly finishedDir: string;

  constructor(private readonly dir: string) {
    this.finishedDir = path.join(dir, FINISHED_DIR);
  }

  private checkRunIdShape(runId: string): void {
    if (!RUN_ID.test(runId)) {
      throw new UsageError(`"${runId}" is not a valid run id.`, {
        hint: 'A run id looks like 20261124-114501-db1-3f9a; list runs with `trapheus runs`.',
      });
    }
  }

  /** The file of a run that may be unfinished (every save writes it first). */
  private file(runId: string): string {
    this.checkRunIdShape(runId);
    return path.join(this.dir, `${runId}.json`);
  }

  /** The file of a finished run. */
  private finishedFile(runId: string): string {
    this.checkRunIdShape(runId);
    return path.join(this.finishedDir, `${runId}.json`);
  }

  /** Whether the directory exists, after checking it is private (and creating it, 0700, if asked). */
  private async ready(create: boolean): Promise<boolean> {
    if (this.checked) return true;
    this.checked = await ensurePrivateDir(this.dir, { create, what: 'journal directory' });
    return this.checked;
  }

  /** Whether `finished/` exists, checked private like the directory itself. */
  private async finishedReady(create: boolean): Promise<boolean> {
    if (this.finishedChecked) return true;
    this.finishedChecked = await ensurePrivateDir(this.finishedDir, { create, what: 'journal directory' });
    return this.finishedChecked;
  }

  save(doc: RunDocument): Promise<void> {
    // Serialize the document now: what is saved is the state at the call, even if it waits.
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    const finished = isFinished(doc);
    const saved = this.queue.then(async () => {
      await this.ready(true);
      await this.write(doc.runId, text);
      // Only after the finished document is durable where unfinished runs are looked for.
      if (finished) await this.moveToFinished(doc.runId).catch(() => undefined); // left at the top: moved by a later list
    });
    this.queue = saved.catch(() => undefined);
    return saved;
  }

  /**
   * Moves a finished run's file into `finished/` (replacing an older copy there): one rename.
   * Called only once the file at the top holds a finished document, which no later save turns
   * unfinished again.
   */
  protected async moveToFinished(runId: string): Promise<void> {
    await this.finishedReady(true);
    // No fsync of the directories: a move lost in a crash leaves the finished run at the top, which is safe (and moved again later).
    await fsp.rename(this.file(runId), this.finishedFile(runId));
  }

  private async write(runId: string, text: string): Promise<void> {
    const target = this.file(runId);
    this.sequence += 1;
    const temp = `${target}.${process.pid}.${this.sequence}.tmp`;
    try {
      await fsp.unlink(temp).catch(() => undefined); // a leftover of a process that had this pid
      const handle = await fsp.open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(text);
        // fsync before the rename: after a crash the new name must never point at a file
        // whose content has not reached the disk.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsp.rename(temp, target);
      await syncDir(this.dir);
    } catch (error) {
      await fsp.unlink(temp).catch(() => undefined);
      throw new JournalError(`Could not write the journal ${target}: ${(error as Error).message}`, {
        cause: error,
        hint: 'Check that the journal directory (--journal-dir) is writable and the disk is not full.',
      });
    }
  }

  /** A run's text, from the top first (the newest copy while there is one), then from `finished/`. */
  private async readRun(runId: string): Promise<{ file: string; text: string }> {
    const top = this.file(runId);
    try {
      return { file: top, text: await readOwnFile(top) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw Object.assign(error as Error, { file: top });
    }
    const done = this.finishedFile(runId);
    try {
      return { file: done, text: await readOwnFile(done) };
    } catch (error) {
      throw Object.assign(error as Error, { file: done });
    }
  }

  async load(runId: string): Promise<RunDocument> {
    this.checkRunIdShape(runId);
    if (!(await this.ready(false))) throw new PreconditionError(`No run "${runId}": ${this.dir} does not exist.`, { hint: LIST_HINT });
    let read: { file: string; text: string };
    try {
      read = await this.readRun(runId);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new PreconditionError(`No run "${runId}" in ${this.dir}.`, { hint: LIST_HINT });
      }
      if (error instanceof PreconditionError) throw error;
      const file = (error as { file?: string }).file ?? this.file(runId);
      throw new PreconditionError(`Could not read ${file}: ${(error as Error).message}`, { cause: error });
    }
    try {
      return checkRunId(await parseRunDocument(read.text, read.file), runId, read.file);
    } catch (error) {
      const { message, hint } = error as JournalError;
      throw new PreconditionError(message, { cause: error, hint: hint ?? 'Inspect or remove the file; nothing was changed.' });
    }
  }

  async runIds(query?: RunQuery): Promise<StoredRun[]> {
    if (!(await this.ready(false))) return [];
    const stored = new Map<string, StoredRun>();
    if (!query?.unfinishedOnly) {
      for (const runId of await this.names(this.finishedDir, true)) stored.set(runId, { runId, finished: true });
    }
    // A run at the top as well as in finished/ was saved again after its move: the top is the newest copy.
    for (const runId of await this.names(this.dir, false)) stored.set(runId, { runId, finished: false });
    return selectRuns([...stored.values()], query);
  }

  /** The run ids of the `.json` files of a directory. */
  private async names(dir: string, mayBeMissing: boolean): Promise<string[]> {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      if (mayBeMissing && (error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new JournalError(`Could not list ${dir}: ${(error as Error).message}`, { cause: error });
    }
    return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length));
  }

  async list(query?: RunQuery, onUnreadable?: OnUnreadable): Promise<RunDocument[]> {
    const docs: RunDocument[] = [];
    for (const { runId, finished } of await this.runIds(query)) {
      const file = path.join(finished ? this.finishedDir : this.dir, `${runId}.json`);
      let text: string | undefined;
      let doc: RunDocument;
      try {
        text = await readOwnFile(file);
        doc = checkRunId(await parseRunDocument(text, file), runId, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          // Moved into finished/ meanwhile (or removed): read it there, if it is wanted.
          if (!finished && !query?.unfinishedOnly) {
            const moved = await this.load(runId).catch(() => undefined);
            if (moved && matchesQuery(moved, query)) docs.push(moved);
          }
          continue;
        }
        const reason = (error as Error).message;
        onUnreadable?.(file, reason, { file, reason, runId, identifier: text === undefined ? undefined : identifierIn(text) });
        continue;
      }
      // A finished run left at the top (a crash before its move, or an older trapheus): move it now, best effort.
      if (!finished && isFinished(doc) && RUN_ID.test(runId)) await this.moveToFinished(runId).catch(() => undefined);
      if (matchesQuery(doc, query)) docs.push(doc);
    }
    return docs.sort(newestFirst);
  }

  async remove(runId: string): Promise<void> {
    for (const file of [this.file(runId), this.finishedFile(runId)]) {
      try {
        await fsp.unlink(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new JournalError(`Could not remove ${file}: ${(error as Error).message}`, { cause: error });
        }
      }
    }
    await syncDir(this.dir);
  }
}

/**
 * Parses and validates a journal file; an unknown schema version is refused, never guessed at.
 * A valid journal is accepted by the validator generated from the zod schema (no zod loaded: the
 * `runs`, `status` and crash-check paths stay fast); zod is loaded only for a document that
 * validator refuses, to accept it as zod would (zod drops keys it does not know) or explain.
 */
export async function parseRunDocument(text: string, file: string): Promise<RunDocument> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new JournalError(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== RUN_SCHEMA_VERSION) {
    throw new JournalError(`${file} has journal schema version ${String(version)}; this trapheus reads version ${RUN_SCHEMA_VERSION}.`, {
      hint: 'Use the trapheus version that wrote this run to resume or inspect it.',
    });
  }
  if (isRunDocument(raw) && !hasProtoKey(raw as RunDocument)) return asZodReturnsIt(raw as RunDocument);
  const { runDocumentSchema } = await import('../engine/run-document.js');
  const parsed = runDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new JournalError(`${file} is not a valid run journal: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(), {
      hint: 'It may have been written by a newer trapheus: use that version to resume or inspect it.',
    });
  }
  return parsed.data;
}

/** A valid document as zod returns it: its objects' keys in the schema's order (as `status --json` prints them). */
function asZodReturnsIt(doc: RunDocument): RunDocument {
  const events = doc.events.map((event) => inKeyOrder(event, RUN_EVENT_KEYS[event.type] ?? null));
  return { ...inKeyOrder({ ...doc, events: [] as RunDocument['events'] }, RUN_DOCUMENT_KEYS), events };
}

/**
 * Whether a record of the document has a "__proto__" key (JSON.parse makes it an own key; zod's
 * copy of the record does not keep it): such a document is left to zod. Its other objects are closed.
 */
function hasProtoKey(doc: RunDocument): boolean {
  return Object.hasOwn(doc.input, '__proto__') || Object.hasOwn(doc.plan, '__proto__') || Object.hasOwn(doc.state, '__proto__');
}

/** A file named after one run must hold that run: a copy under another name would be acted on twice. */
function checkRunId(doc: RunDocument, runId: string, file: string): RunDocument {
  if (doc.runId !== runId) throw new JournalError(`${file} holds run ${doc.runId}, not ${runId}.`);
  return doc;
}

/** Reads a file the current user owns (checked on the open handle, so it cannot be swapped in between). */
async function readOwnFile(file: string): Promise<string> {
  const fd = openSync(file, 'r');
  try {
    assertOwnFile(fstatSync(fd), file, 'run journal');
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** The identifier an unreadable journal names, if its text is JSON at least that far. */
function identifierIn(text: string): string | undefined {
  try {
    const raw = JSON.parse(text) as { identifier?: unknown } | null;
    return typeof raw?.identifier === 'string' ? raw.identifier : undefined;
  } catch {
    return undefined;
  }
}

async function syncDir(dir: string): Promise<void> {
  // The rename is durable only once the directory entry is; not every platform allows it.
  try {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}
