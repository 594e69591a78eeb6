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

/** A run id as trapheus makes them: `<yyyymmdd>-<hhmmss>-<identifier>-<4 hex>`, the start time in UTC first. */
const RUN_ID_SHAPE = /^(\d{8})-(\d{6})-(.+)-[0-9a-f]{4}$/;

/** The database identifier a run id of trapheus's shape names, or undefined for any other name. */
export function identifierOfRunId(runId: string): string | undefined {
  return RUN_ID_SHAPE.exec(runId)?.[3];
}

/** The start time (ISO, to the second) a run id of trapheus's shape begins with, or undefined for any other name. */
export function startOfRunId(runId: string): string | undefined {
  const m = RUN_ID_SHAPE.exec(runId);
  if (!m) return undefined;
  const [d, t] = [m[1] ?? '', m[2] ?? ''];
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`;
}

/**
 * Which runs to read. Every filter is decided from the run id (the file or key name) and where
 * the store keeps the run, before anything is read: a query costs what it selects, not what is
 * stored. Filters combine (and).
 */
export interface RunQuery {
  /**
   * Only runs of this database identifier (compared case-insensitively), as their run id names
   * it; a run whose name is not of trapheus's shape may be anyone's and is read (then kept only
   * if its content names the identifier; if unreadable, reported).
   */
  identifier?: string | undefined;
  /**
   * Skip the runs the store knows finished (succeeded or rolled back). May still return finished
   * runs (callers check the status); never leaves out one that may be unfinished.
   */
  unfinishedOnly?: boolean | undefined;
  /** Only the `limit` newest selected runs (by run id, which begins with the start time), counted before reading: an unreadable one counts. */
  limit?: number | undefined;
}

/** A stored run as its name and place tell, nothing read. */
export interface StoredRun {
  runId: string;
  /** The store keeps it among finished runs (succeeded or rolled back). False: it may be unfinished. */
  finished: boolean;
}

/**
 * The runs a query selects among those stored, from names and places alone, newest first (run
 * ids sort by start time; names of another shape sort as strings). Every store uses it, so that
 * they select alike.
 */
export function selectRuns(stored: readonly StoredRun[], query: RunQuery = {}): StoredRun[] {
  const wanted = query.identifier?.toLowerCase();
  const selected = stored.filter((run) => {
    if (query.unfinishedOnly && run.finished) return false;
    if (wanted === undefined) return true;
    const named = identifierOfRunId(run.runId);
    return named === undefined || named.toLowerCase() === wanted;
  });
  selected.sort((a, b) => (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0));
  return query.limit === undefined ? selected : selected.slice(0, Math.max(0, query.limit));
}

/** Whether a document read for a query belongs in its answer: a run of another identifier (read because its name said none) does not. */
export function matchesQuery(doc: RunDocument, query: RunQuery = {}): boolean {
  return query.identifier === undefined || doc.identifier.toLowerCase() === query.identifier.toLowerCase();
}

/** The newest first order of `list`: by `createdAt`, then run id. */
export const newestFirst = (a: RunDocument, b: RunDocument): number => ordinal(b.createdAt, a.createdAt) || ordinal(b.runId, a.runId);

/**
 * Compares by code unit: ISO times and run ids sort so, whatever the locale. (localeCompare
 * would also cost `runs` some 15 ms to set up the collator.)
 */
export const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Told of each selected run file that cannot be read. */
export type OnUnreadable = (file: string, reason: string, about?: UnreadableRun) => void;

/**
 * Where runs are stored. `save` is atomic: a reader sees the old document or the new one, never
 * half. The store keeps runs that finished (succeeded or rolled back: final states) apart from
 * the others, so that `unfinishedOnly` reads only what may be unfinished. A run's finished
 * document is stored where unfinished runs are looked for first, and only then moved among the
 * finished: a crash in between leaves a finished run read by mistake, never an unfinished run
 * unseen.
 */
export interface Journal {
  save(doc: RunDocument): Promise<void>;
  /**
   * Throws `UsageError` for a malformed run id, `PreconditionError` if the run is unknown or its
   * file is unreadable, of another schema or not the current user's (nothing was touched).
   */
  load(runId: string): Promise<RunDocument>;
  /**
   * The readable runs the query selects, newest first (by `createdAt`, then run id); only those
   * are read. Unreadable selected files are reported through `onUnreadable`, not returned.
   */
  list(query?: RunQuery, onUnreadable?: OnUnreadable): Promise<RunDocument[]>;
  /** The runs the query selects, newest first by run id, from names alone: nothing is read. */
  runIds(query?: RunQuery): Promise<StoredRun[]>;
  /** Deletes a run's journal (retention); nothing if it is already gone. Callers check first that it finished. */
  remove(runId: string): Promise<void>;
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
