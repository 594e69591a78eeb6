import type { RunDocument } from './run-document.js';

/** Where runs are stored. `save` is atomic: a reader sees the old document or the new one, never half. */
export interface Journal {
  save(doc: RunDocument): Promise<void>;
  /** Throws `JournalError` if the run is unknown or its file is unreadable or of another schema. */
  load(runId: string): Promise<RunDocument>;
  /** Every readable run, newest first; unreadable files are reported through `onUnreadable`. */
  list(onUnreadable?: (file: string, reason: string) => void): Promise<RunDocument[]>;
}

/** What a lock file holds, so a user can tell who holds it. */
export interface LockOwner {
  pid: number;
  host: string;
  runId?: string | undefined;
  since: string;
}

/** Keeps two runs off the same database. */
export interface LockStore {
  /** Takes the lock or throws `PreconditionError` naming the holder; a stale lock (dead pid on this host) is taken over. */
  acquire(key: string, owner: LockOwner): Promise<() => Promise<void>>;
  /** The live holder of a lock, if any. */
  holder(key: string): Promise<LockOwner | undefined>;
}
