import { PreconditionError } from '../../core/errors.js';
import type { UnreadableRun } from '../../engine/journal.js';
import type { RunDocument } from '../../engine/run-document.js';
import { deriveProgress, isUnfinished } from '../../engine/run-progress.js';
import type { ServiceDeps } from '../service.js';
import { identifierOfRunId, normalizeIdentifier } from './run-id.js';

/** The lock of one database: instances and clusters are separate name spaces in RDS; identifiers are case-insensitive. */
export const lockKey = (noun: 'instance' | 'cluster', identifier: string): string => `${noun}-${normalizeIdentifier(identifier)}`;

/**
 * The lock of the database a journaled run acts on: its `cluster` flag names the RDS name space
 * (the nouns of kindOfFlag's kinds). Not looked up in the kinds registry, which would load every
 * workflow: `runs` and the crash check of every command read locks and start fast.
 */
export const lockKeyOf = (doc: RunDocument): string => lockKey(doc.cluster ? 'cluster' : 'instance', doc.identifier);

/** Who holds a lock, so that a user can tell. */
export function lockOwner(deps: Pick<ServiceDeps, 'pid' | 'host' | 'clock'>, runId: string) {
  return { pid: deps.pid, host: deps.host, runId, since: deps.clock.now().toISOString() };
}

/**
 * Whether a run file this version cannot read may be a run of `identifier`: by the identifier it
 * names if that much could be read, else by its run id; a file that says neither may be anyone's.
 */
export function mayConcern(unreadable: UnreadableRun, identifier: string): boolean {
  const named = unreadable.identifier ?? (unreadable.runId ? identifierOfRunId(unreadable.runId) : undefined);
  return named === undefined || normalizeIdentifier(named) === normalizeIdentifier(identifier);
}

/** Refuses to go on while a run file that may concern `identifier` cannot be read: it may be an unfinished run. */
export function refuseUnreadable(unreadable: readonly UnreadableRun[], identifier: string): void {
  const blocking = unreadable.filter((u) => mayConcern(u, identifier));
  const [first] = blocking;
  if (!first) return;
  throw new PreconditionError(
    `${first.file} cannot be read (${first.reason})${blocking.length > 1 ? `, nor ${blocking.length - 1} more run file${blocking.length > 2 ? 's' : ''}` : ''}; it may be an unfinished run of ${identifier}, so nothing was started.`,
    {
      hint: 'Resume or inspect it with the trapheus version that wrote it; if it is not a run of this database (or is damaged beyond use), move it out of the journal directory.',
    },
  );
}

/**
 * Takes the database's lock, then refuses if an unfinished run of the same database exists (it
 * must be resumed first) or a run file that may be one cannot be read. Returns the release.
 */
export async function lockForNewRun(
  deps: ServiceDeps,
  noun: 'instance' | 'cluster',
  identifier: string,
  runId: string,
): Promise<() => Promise<void>> {
  const release = await deps.locks.acquire(lockKey(noun, identifier), lockOwner(deps, runId));
  try {
    const unreadable: UnreadableRun[] = [];
    // Only this database's runs that may be unfinished are read: the run ids name the identifier, the store keeps finished runs apart.
    const docs = await deps.journal.list({ identifier, unfinishedOnly: true }, (file, reason, about) =>
      unreadable.push(about ?? { file, reason }),
    );
    refuseUnreadable(unreadable, identifier);
    const unfinished = docs.find((d) => lockKeyOf(d) === lockKey(noun, identifier) && isUnfinished(deriveProgress(d.events).status));
    if (unfinished) {
      throw new PreconditionError(`Run ${unfinished.runId} (${unfinished.command} of ${unfinished.identifier}) did not finish.`, {
        hint: `Finish it first: trapheus resume ${unfinished.runId}   (inspect: trapheus status ${unfinished.runId}; or revert it: trapheus abort ${unfinished.runId})`,
      });
    }
    return release;
  } catch (error) {
    await release();
    throw error;
  }
}
