// Lock files are read synchronously (the crash check reads them on every command); written through fs.promises.
import { closeSync, fstatSync, openSync, promises as fsp, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PreconditionError } from '../core/errors.js';
import { LockHeldError, type LockOwner, type LockStore } from '../engine/journal.js';
import { assertOwnFile, ensurePrivateDir } from './private-dir.js';

/**
 * Lock files `<dir>/<key>.lock` created exclusively in a private directory (0700); a lock of a
 * dead process on this host is stale. A lock file the current user does not own is refused.
 */
export class FileLockStore implements LockStore {
  constructor(
    private readonly dir: string,
    private readonly host: string = os.hostname(),
    private readonly isAlive: (pid: number) => boolean = processIsAlive,
  ) {}

  private file(key: string): string {
    // RDS identifiers are case-insensitive: so are the locks (and some file systems anyway).
    return path.join(this.dir, `${key.toLowerCase().replace(/[^a-z0-9._-]/g, '_')}.lock`);
  }

  async acquire(key: string, owner: LockOwner): Promise<() => Promise<void>> {
    const file = this.file(key);
    await ensurePrivateDir(this.dir, { create: true, what: 'lock directory' });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        const handle = await fsp.open(file, 'wx', 0o600);
        try {
          await handle.writeFile(JSON.stringify(owner));
          await handle.sync();
        } finally {
          await handle.close();
        }
        // Once only: a second call must not delete a lock another process has taken since.
        let released: Promise<void> | undefined;
        return () => (released ??= fsp.unlink(file).catch(() => undefined));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await this.read(file);
      if (holder && !this.isStale(holder)) {
        throw new LockHeldError(
          `${key} is locked by another trapheus run (pid ${holder.pid} on ${holder.host}${holder.runId ? `, run ${holder.runId}` : ''}, since ${holder.since}); skipped, nothing was changed.`,
          {
            hint: holder.host === this.host ? 'Wait for that run to finish.' : `If that process is gone, delete ${file} and try again.`,
          },
        );
      }
      // Stale (its process is gone) or unreadable (a crash while writing it): take it over.
      await fsp.unlink(file).catch(() => undefined);
    }
    throw new PreconditionError(`Could not take the lock ${file}: it keeps changing hands.`);
  }

  async holder(key: string): Promise<LockOwner | undefined> {
    if (!(await ensurePrivateDir(this.dir, { create: false, what: 'lock directory' }))) return undefined;
    const owner = await this.read(this.file(key));
    return owner && !this.isStale(owner) ? owner : undefined;
  }

  private isStale(owner: LockOwner): boolean {
    return owner.host === this.host && !this.isAlive(owner.pid);
  }

  /** The owner a lock file names; undefined if there is none or it cannot be parsed. Someone else's file is refused. */
  private async read(file: string): Promise<LockOwner | undefined> {
    let text: string;
    try {
      const fd = openSync(file, 'r');
      try {
        assertOwnFile(fstatSync(fd), file, 'lock file');
        text = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      if (error instanceof PreconditionError) throw error;
      return undefined;
    }
    try {
      const raw = JSON.parse(text) as Partial<LockOwner>;
      if (typeof raw.pid !== 'number' || typeof raw.host !== 'string') return undefined;
      return { pid: raw.pid, host: raw.host, runId: raw.runId, since: String(raw.since ?? '') };
    } catch {
      return undefined;
    }
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
