import { identifierOfRunId, startOfRunId, type Journal } from '../../engine/journal.js';
import { deriveProgress } from '../../engine/run-progress.js';
import type { RunStatus } from '../../engine/run-events.js';
import type { Clock } from '../../time/clock.js';
import { normalizeIdentifier } from './run-id.js';

/** How long finished journals are kept (config `journal.retention`). A run is kept while either rule keeps it. */
export interface Retention {
  /** Runs started fewer than this many days ago are kept. */
  days: number;
  /** The newest this many runs of each database (by identifier) are kept, however old. */
  keep: number;
}

/**
 * The defaults: 90 days covers a quarter of history (a monthly restore leaves three runs to
 * compare; an audit looking back at the last quarter finds it), and the newest 20 runs of a
 * database outlive that for a database restored rarely. A finished run weighs a few tens of
 * kilobytes: 20 per database plus 90 days of nightly runs stays in the megabytes.
 */
export const DEFAULT_RETENTION: Retention = { days: 90, keep: 20 };

/** How a run that may be deleted ended. */
export type FinishedStatus = Extract<RunStatus, 'succeeded' | 'rolled_back'>;

/** A run `--prune` deleted (or, with --dry-run, would delete). */
export interface PrunedRun {
  runId: string;
  identifier: string;
  command: string;
  status: FinishedStatus;
  startedAt: string;
}

/** A run file `--prune` could not read: kept, whatever its age (it may be an unfinished run). */
export interface UnreadableKept {
  runId: string;
  reason: string;
}

export interface PruneResult {
  dryRun: boolean;
  retention: Retention;
  /** Deleted (or, with dryRun, to be deleted), oldest first. */
  removed: PrunedRun[];
  /** Old enough to go, but not finished (failed, interrupted, crashed, running): kept. */
  unfinished: string[];
  /** Old enough to go, but unreadable: kept, and said. */
  unreadable: UnreadableKept[];
  /** Runs left in the journal. */
  kept: number;
}

const DAY_MS = 86_400_000;

/**
 * `trapheus runs --prune`: deletes the journals of finished runs (succeeded or rolled back) that
 * neither retention rule keeps. The candidates are chosen from the run ids alone (start time and
 * identifier); only they are read, each to make sure it finished: a run that is unfinished
 * (failed, interrupted, crashed or running: it may be resumed) or cannot be read is never
 * deleted. A run id not of trapheus's shape (no start time) is kept.
 */
export async function pruneRuns(
  deps: { journal: Journal; clock: Clock },
  retention: Retention,
  options: { dryRun: boolean },
): Promise<PruneResult> {
  const now = deps.clock.now().getTime();
  const stored = await deps.journal.runIds();
  const seen = new Map<string, number>();
  const candidates: string[] = [];
  for (const { runId } of stored) {
    // Newest first: the first `keep` of each identifier are kept.
    const identifier = identifierOfRunId(runId);
    const started = startOfRunId(runId);
    if (identifier === undefined || started === undefined) continue;
    const key = normalizeIdentifier(identifier);
    const rank = seen.get(key) ?? 0;
    seen.set(key, rank + 1);
    if (rank < retention.keep) continue;
    if (now - Date.parse(started) < retention.days * DAY_MS) continue;
    candidates.push(runId);
  }
  const result: PruneResult = { dryRun: options.dryRun, retention, removed: [], unfinished: [], unreadable: [], kept: stored.length };
  for (const runId of candidates.reverse()) {
    let status: RunStatus;
    let doc;
    try {
      doc = await deps.journal.load(runId);
      status = deriveProgress(doc.events).status;
    } catch (error) {
      result.unreadable.push({ runId, reason: (error as Error).message });
      continue;
    }
    if (status !== 'succeeded' && status !== 'rolled_back') {
      // isUnfinished: failed, interrupted, crashed or running may still be resumed.
      result.unfinished.push(runId);
      continue;
    }
    if (!options.dryRun) await deps.journal.remove(runId);
    result.removed.push({ runId, identifier: doc.identifier, command: doc.command, status, startedAt: doc.events[0]?.at ?? doc.createdAt });
    result.kept -= 1;
  }
  return result;
}
