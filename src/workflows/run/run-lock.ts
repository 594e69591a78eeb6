import { PreconditionError } from '../../core/errors.js';
import type { RunDocument } from '../../engine/run-document.js';
import { deriveProgress, isUnfinished } from '../../engine/run-progress.js';
import { kindOfFlag } from '../kinds/registry.js';
import type { ServiceDeps } from '../service.js';

/** The lock of one database: instances and clusters are separate name spaces in RDS. */
export const lockKey = (noun: 'instance' | 'cluster', identifier: string): string => `${noun}-${identifier}`;

/** The lock of the database a journaled run acts on. */
export const lockKeyOf = (doc: RunDocument): string => lockKey(kindOfFlag(doc.cluster).noun, doc.identifier);

/** Who holds a lock, so that a user can tell. */
export function lockOwner(deps: Pick<ServiceDeps, 'pid' | 'host' | 'clock'>, runId: string) {
  return { pid: deps.pid, host: deps.host, runId, since: deps.clock.now().toISOString() };
}

/**
 * Takes the database's lock, then refuses if an unfinished run of the same database exists
 * (it must be resumed first). Returns the release.
 */
export async function lockForNewRun(
  deps: ServiceDeps,
  noun: 'instance' | 'cluster',
  identifier: string,
  runId: string,
): Promise<() => Promise<void>> {
  const release = await deps.locks.acquire(lockKey(noun, identifier), lockOwner(deps, runId));
  try {
    const unfinished = (await deps.journal.list()).find(
      (d) => lockKeyOf(d) === lockKey(noun, identifier) && isUnfinished(deriveProgress(d.events).status),
    );
    if (unfinished) {
      throw new PreconditionError(`Run ${unfinished.runId} (${unfinished.command} of ${identifier}) did not finish.`, {
        hint: `Finish it first: trapheus resume ${unfinished.runId}   (inspect: trapheus status ${unfinished.runId})`,
      });
    }
    return release;
  } catch (error) {
    await release();
    throw error;
  }
}
