import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PreconditionError } from '../core/errors.js';
import type { LockOwner, LockStore } from '../engine/journal.js';

/** Lock files `<dir>/<key>.lock` created exclusively; a lock of a dead process on this host is stale. */
export class FileLockStore implements LockStore {
  constructor(
    private readonly dir: string,
    private readonly host: string = os.hostname(),
    private readonly isAlive: (pid: number) => boolean = processIsAlive,
  ) {}

  private file(key: string): string {
    return path.join(this.dir, `${key.replace(/[^A-Za-z0-9._-]/g, '_')}.lock`);
  }

  async acquire(key: string, owner: LockOwner): Promise<() => Promise<void>> {
    const file = this.file(key);
    await mkdir(this.dir, { recursive: true });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        const handle = await open(file, 'wx', 0o600);
        try {
          await handle.writeFile(JSON.stringify(owner));
          await handle.sync();
        } finally {
          await handle.close();
        }
        return async () => {
          await unlink(file).catch(() => undefined);
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await this.read(file);
      if (holder && !this.isStale(holder)) {
        throw new PreconditionError(
          `${key} is locked by another trapheus run (pid ${holder.pid} on ${holder.host}${holder.runId ? `, run ${holder.runId}` : ''}, since ${holder.since}).`,
          {
            hint: holder.host === this.host ? 'Wait for that run to finish.' : `If that process is gone, delete ${file} and try again.`,
          },
        );
      }
      // Stale (its process is gone) or unreadable (a crash while writing it): take it over.
      await unlink(file).catch(() => undefined);
    }
    throw new PreconditionError(`Could not take the lock ${file}: it keeps changing hands.`);
  }

  async holder(key: string): Promise<LockOwner | undefined> {
    const owner = await this.read(this.file(key));
    return owner && !this.isStale(owner) ? owner : undefined;
  }

  private isStale(owner: LockOwner): boolean {
    return owner.host === this.host && !this.isAlive(owner.pid);
  }

  private async read(file: string): Promise<LockOwner | undefined> {
    try {
      const raw = JSON.parse(await readFile(file, 'utf8')) as Partial<LockOwner>;
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
