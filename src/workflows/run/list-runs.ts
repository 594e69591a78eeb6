import { newestFirst, type UnreadableRun } from '../../engine/journal.js';
import type { RunEvent } from '../../engine/run-events.js';
import type { RunSummary } from '../../core/run-summary.js';
import { deriveProgress, isUnfinished } from '../../engine/run-progress.js';
import type { RunListEntry } from '../service.js';
import { standingOf, type JournalDeps, type RunStanding } from './crashed-runs.js';
import { identifierOfRunId } from './run-id.js';

/** One line of `trapheus runs`: a run and how it stands, or a run file this version cannot read. */
export interface RunsEntry extends Omit<RunListEntry, 'status'> {
  status: RunStanding | 'unreadable';
  /** An unreadable run: its file and why (it still blocks new runs of the database it may concern). */
  file?: string | undefined;
  reason?: string | undefined;
}

/** What `trapheus runs` shows, and how many runs are stored in all (to say what was left out). */
export interface RunsListing {
  runs: RunsEntry[];
  /** Runs stored in all, readable or not, counted by name (nothing read). */
  stored: number;
}

/**
 * The `limit` newest runs (every run if `limit` is undefined) and every run that may be
 * unfinished, whatever its age, newest first; then the run files among them that cannot be
 * read. Only those runs are read.
 */
export async function listRunsWithStanding(deps: Pick<JournalDeps, 'journal' | 'locks'>, limit?: number): Promise<RunsListing> {
  const unreadable = new Map<string, UnreadableRun>();
  const onUnreadable = (file: string, reason: string, about?: UnreadableRun) => unreadable.set(file, about ?? { file, reason });
  const docs = await deps.journal.list(limit === undefined ? {} : { limit }, onUnreadable);
  const stored = (await deps.journal.runIds()).length;
  if (limit !== undefined && stored > limit) {
    // Older runs that may be unfinished are shown too: they wait for `resume` or `abort`.
    const shown = new Set(docs.map((d) => d.runId));
    // The store may return a finished run among them (left at the top by a crash): only the unfinished are added.
    for (const doc of await deps.journal.list({ unfinishedOnly: true }, onUnreadable)) {
      if (!shown.has(doc.runId) && isUnfinished(deriveProgress(doc.events).status)) docs.push(doc);
    }
    docs.sort(newestFirst);
  }
  const entries: RunsEntry[] = [];
  for (const doc of docs) {
    const { standing, active } = await standingOf(deps, doc);
    const startedAt = doc.events[0]?.at ?? doc.createdAt;
    const running = deriveProgress(doc.events).status === 'running';
    const endedAt = running ? undefined : doc.events[doc.events.length - 1]?.at;
    entries.push({
      runId: doc.runId,
      command: doc.command,
      identifier: doc.identifier,
      cluster: doc.cluster,
      status: standing,
      startedAt,
      endedAt,
      durationSeconds: endedAt ? Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000) : undefined,
      active,
    });
  }
  for (const u of unreadable.values()) {
    const runId = u.runId ?? u.file;
    entries.push({
      runId,
      command: '?',
      identifier: u.identifier ?? identifierOfRunId(runId) ?? '?',
      cluster: false,
      status: 'unreadable',
      startedAt: '-',
      active: false,
      file: u.file,
      reason: u.reason,
    });
  }
  return { runs: entries, stored };
}

/** `trapheus status RUN_ID`: the run's summary, its events, and how it stands (crashed included). */
export async function showRunStanding(
  deps: Pick<JournalDeps, 'journal' | 'locks'>,
  runId: string,
): Promise<{ summary: RunSummary; events: RunEvent[]; standing: RunStanding }> {
  const doc = await deps.journal.load(runId);
  const { standing } = await standingOf(deps, doc);
  // Imported here only: the workflow registry a summary binds a run with is not needed by `runs` (fast start).
  const { summarizeDoc } = await import('./read-runs.js');
  return { summary: summarizeDoc(doc, undefined), events: doc.events, standing };
}
