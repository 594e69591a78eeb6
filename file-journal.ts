import { open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { JournalError, PreconditionError, UsageError } from '../core/errors.js';
import type { Journal, UnreadableRun } from '../engine/journal.js';
import { RUN_SCHEMA_VERSION, runDocumentSchema, type RunDocument } from '../engine/run-document.js';
import { assertOwnFile, ensurePrivateDir } from './private-dir.js';

/** Run ids become file names: keep them to a safe alphabet. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const LIST_HINT = 'List runs with `trapheus runs` (and check --journal-dir).';

/**
 * Journal of one JSON file per run in a private directory (created 0700, refused if group or
 * others may write it); every save is write-temp, fsync, rename. Only files the current user
 * owns are read.
 */
export class FileJournal implements Journal {
  /** Saves run one after another: parallel steps (members renamed together) may save at once. */
  private queue: Promise<void> = Promise.resolve();
  private sequence = 0;
  /** The directory was checked (and exists): once per process is enough. */
  private checked = false;

  constructor(private readonly dir: string) {}

  private file(runId: string): string {
    if (!RUN_ID.test(runId)) {
      throw new UsageError(`"${runId}" is not a valid run id.`, {
        hint: 'A run id looks like 20261124-114501-db1-3f9a; list runs with `trapheus runs`.',
      });
    }
    return path.join(this.dir, `${runId}.json`);
  }

  /** Whether the directory exists, after checking it is private (and creating it, 0700, if asked). */
  private async ready(create: boolean): Promise<boolean> {
    if (this.checked) return true;
    this.checked = await ensurePrivateDir(this.dir, { create, what: 'journal directory' });
    return this.checked;
  }

  save(doc: RunDocument): Promise<void> {
    // Serialize the document now: what is saved is the state at the call, even if it waits.
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    const saved = this.queue.then(async () => {
      await this.ready(true);
      await this.write(doc.runId, text);
    });
    this.queue = saved.catch(() => undefined);
    return saved;
  }

  private async write(runId: string, text: string): Promise<void> {
    const target = this.file(runId);
    this.sequence += 1;
    const temp = `${target}.${process.pid}.${this.sequence}.tmp`;
    try {
      await unlink(temp).catch(() => undefined); // a leftover of a process that had this pid
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(text);
        // fsync before the rename: after a crash the new name must never point at a file
        // whose content has not reached the disk.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
      await syncDir(this.dir);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw new JournalError(`Could not write the journal ${target}: ${(error as Error).message}`, {
        cause: error,
        hint: 'Check that the journal directory (--journal-dir) is writable and the disk is not full.',
      });
    }
  }

  async load(runId: string): Promise<RunDocument> {
    const file = this.file(runId);
    if (!(await this.ready(false))) throw new PreconditionError(`No run "${runId}": ${this.dir} does not exist.`, { hint: LIST_HINT });
    let text: string;
    try {
      text = await readOwnFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new PreconditionError(`No run "${runId}" in ${this.dir}.`, { hint: LIST_HINT });
      }
      if (error instanceof PreconditionError) throw error;
      throw new PreconditionError(`Could not read ${file}: ${(error as Error).message}`, { cause: error });
    }
    try {
      return checkRunId(parseRunDocument(text, file), runId, file);
    } catch (error) {
      const { message, hint } = error as JournalError;
      throw new PreconditionError(message, { cause: error, hint: hint ?? 'Inspect or remove the file; nothing was changed.' });
    }
  }

  async list(onUnreadable?: (file: string, reason: string, about?: UnreadableRun) => void): Promise<RunDocument[]> {
    if (!(await this.ready(false))) return [];
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      throw new JournalError(`Could not list ${this.dir}: ${(error as Error).message}`, { cause: error });
    }
    const docs: RunDocument[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const file = path.join(this.dir, name);
      const runId = name.slice(0, -'.json'.length);
      let text: string | undefined;
      try {
        text = await readOwnFile(file);
        docs.push(checkRunId(parseRunDocument(text, file), runId, file));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed meanwhile
        const reason = (error as Error).message;
        onUnreadable?.(file, reason, { file, reason, runId, identifier: text === undefined ? undefined : identifierIn(text) });
      }
    }
    return docs.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.runId.localeCompare(a.runId));
  }
}

/** Parses and validates a journal file; an unknown schema version is refused, never guessed at. */
export function parseRunDocument(text: string, file: string): RunDocument {
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
  const parsed = runDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new JournalError(`${file} is not a valid run journal: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(), {
      hint: 'It may have been written by a newer trapheus: use that version to resume or inspect it.',
    });
  }
  return parsed.data;
}

/** A file named after one run must hold that run: a copy under another name would be acted on twice. */
function checkRunId(doc: RunDocument, runId: string, file: string): RunDocument {
  if (doc.runId !== runId) throw new JournalError(`${file} holds run ${doc.runId}, not ${runId}.`);
  return doc;
}

/** Reads a file the current user owns (checked on the open handle, so it cannot be swapped in between). */
async function readOwnFile(file: string): Promise<string> {
  const handle: FileHandle = await open(file, 'r');
  try {
    assertOwnFile(await handle.stat(), file, 'run journal');
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
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
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}
