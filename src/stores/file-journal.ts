import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { JournalError } from '../core/errors.js';
import type { Journal } from '../engine/journal.js';
import { RUN_SCHEMA_VERSION, runDocumentSchema, type RunDocument } from '../engine/run-document.js';

/** Run ids become file names: keep them to a safe alphabet. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Journal of one JSON file per run in a directory; every save is write-temp, fsync, rename. */
export class FileJournal implements Journal {
  /** Saves run one after another: parallel steps (members renamed together) may save at once. */
  private queue: Promise<void> = Promise.resolve();
  private sequence = 0;

  constructor(private readonly dir: string) {}

  private file(runId: string): string {
    if (!RUN_ID.test(runId)) throw new JournalError(`"${runId}" is not a valid run id.`);
    return path.join(this.dir, `${runId}.json`);
  }

  save(doc: RunDocument): Promise<void> {
    // Serialize the document now: what is saved is the state at the call, even if it waits.
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    const saved = this.queue.then(() => this.write(doc.runId, text));
    this.queue = saved.catch(() => undefined);
    return saved;
  }

  private async write(runId: string, text: string): Promise<void> {
    const target = this.file(runId);
    this.sequence += 1;
    const temp = `${target}.${process.pid}.${this.sequence}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      const handle = await open(temp, 'w', 0o600);
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
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new JournalError(`No run "${runId}" in ${this.dir}.`, {
          hint: 'List runs with `trapheus runs` (and check --journal-dir).',
        });
      }
      throw new JournalError(`Could not read ${file}: ${(error as Error).message}`, { cause: error });
    }
    return parseRunDocument(text, file);
  }

  async list(onUnreadable?: (file: string, reason: string) => void): Promise<RunDocument[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new JournalError(`Could not list ${this.dir}: ${(error as Error).message}`, { cause: error });
    }
    const docs: RunDocument[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const file = path.join(this.dir, name);
      try {
        docs.push(parseRunDocument(await readFile(file, 'utf8'), file));
      } catch (error) {
        onUnreadable?.(file, (error as Error).message);
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
    throw new JournalError(`${file} is not a valid run journal: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  return parsed.data;
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
