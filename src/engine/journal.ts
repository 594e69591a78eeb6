import { PreconditionError } from '../core/errors.js';
import type { RunDocument } from './run-document.js';

/** What could still be read of a run file that is not a valid journal, to tell which database it may concern. */
export interface UnreadableRun {
  /** The file, to name in messages. */
  file: string;
  /** Why it cannot be read (truncated, newer schema, unknown event, not owned by the current user…). */
  reason: string;
  /** The run id its name carries, if any. */
  runId?: string | undefined;
  /** The identifier its content names, if that much could be read. */
  identifier?: string | undefined;
}

/** Where runs are stored. `save` is atomic: a reader sees the old document or the new one, never half. */
export interface Journal {
  save(doc: RunDocument): Promise<void>;
  /**
   * Throws `UsageError` for a malformed run id, `PreconditionError` if the run is unknown or its
   * file is unreadable, of another schema or not the current user's (nothing was touched).
   */
  load(runId: string): Promise<RunDocument>;
  /** Every readable run, newest first; unreadable files are reported through `onUnreadable`. */
  list(onUnreadable?: (file: string, reason: string, about?: UnreadableRun) => void): Promise<RunDocument[]>;
}

/** What a lock file holds, so a user can tell who holds it. */
export interface LockOwner {
  pid: number;
  host: string;
  runId?: string | undefined;
  since: string;
}

/** Another live process holds the lock: the command was skipped, nothing was touched (its own exit code). */
export class LockHeldError extends PreconditionError {}

/** Keeps two runs off the same database. */
export interface LockStore {
  /** Takes the lock or throws `LockHeldError` naming the holder; a stale lock (dead pid on this host) is taken over. */
  acquire(key: string, owner: LockOwner): Promise<() => Promise<void>>;
  /** The live holder of a lock, if any. */
  holder(key: string): Promise<LockOwner | undefined>;
}
