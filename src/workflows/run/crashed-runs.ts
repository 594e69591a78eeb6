import type { AlertDelivery } from '../../alerts/send-alerts.js';
import type { RunSummary } from '../../core/run-summary.js';
import { LockHeldError } from '../../engine/journal.js';
import type { RunDocument } from '../../engine/run-document.js';
import { deriveProgress } from '../../engine/run-progress.js';
import type { ServiceDeps } from '../service.js';
import type { Retention } from './prune-runs.js';
import { lockKeyOf, lockOwner } from './run-lock.js';

/** What every command has of the journal side: the journal and locks, this process, and the alert channels if configured. */
export type JournalDeps = Pick<ServiceDeps, 'journal' | 'locks' | 'clock' | 'host' | 'pid'> &
  Partial<Pick<ServiceDeps, 'region' | 'alerts'>> & {
    /** How long finished journals are kept (config `journal.retention`; `DEFAULT_RETENTION` if absent). */
    retention?: Retention | undefined;
  };

/** How a run stands as `runs` and `status` show it: 'crashed' when its process is gone without a word. */
export type RunStanding = RunSummary['status'] | 'crashed';

/** A run found crashed (and now marked so in its journal), and how its one alert fared. */
export interface CrashedRun {
  runId: string;
  command: string;
  identifier: string;
  pid: number;
  host: string;
  alerts: AlertDelivery[];
}

/** The process that last ran a run: its last `run_started` or `run_resumed` event. */
export function lastProcessOf(doc: RunDocument): { pid: number; host: string } | undefined {
  const started = doc.events.findLast((e) => e.type === 'run_started' || e.type === 'run_resumed');
  return started && 'pid' in started ? { pid: started.pid, host: started.host } : undefined;
}

/**
 * Where a journaled run stands now. Its journal says "running" but no live process holds its
 * lock (the lock file names a dead pid on this host, or is gone): the process died without
 * recording why — 'crashed', as is a run a previous invocation already marked so.
 */
export async function standingOf(deps: Pick<JournalDeps, 'locks'>, doc: RunDocument): Promise<{ standing: RunStanding; active: boolean }> {
  const status = deriveProgress(doc.events).status;
  if (status === 'running') {
    const holder = await deps.locks.holder(lockKeyOf(doc));
    const active = holder?.runId === doc.runId;
    return { standing: active ? 'running' : 'crashed', active };
  }
  const lastStop = doc.events.findLast((e) => ['run_started', 'run_resumed', 'run_interrupted', 'run_crashed'].includes(e.type));
  return { standing: status === 'interrupted' && lastStop?.type === 'run_crashed' ? 'crashed' : status, active: false };
}

/**
 * Runs whose process died without a word (kill -9, out of memory, a reboot) are found by the
 * next trapheus invocation on the journal, whatever the command: each is alerted once through
 * the configured channels and marked crashed in its journal (with how the alert fared), under
 * the run's own lock so that two invocations never both alert. A run another live process
 * holds is left alone.
 */
export async function detectCrashedRuns(deps: JournalDeps): Promise<CrashedRun[]> {
  const crashed: CrashedRun[] = [];
  // Only runs that may be unfinished are read (the store keeps finished ones apart): the check costs what is running, not the history.
  for (const listed of await deps.journal.list({ unfinishedOnly: true })) {
    if ((await standingOf(deps, listed)).standing !== 'crashed' || deriveProgress(listed.events).status !== 'running') continue;
    let release: () => Promise<void>;
    try {
      release = await deps.locks.acquire(lockKeyOf(listed), lockOwner(deps, listed.runId));
    } catch (error) {
      if (error instanceof LockHeldError) continue; // someone is resuming it right now
      throw error;
    }
    try {
      // Read again under the lock: another invocation may have marked it meanwhile.
      const doc = await deps.journal.load(listed.runId);
      if (deriveProgress(doc.events).status !== 'running') continue;
      const gone = lastProcessOf(doc) ?? { pid: 0, host: 'unknown' };
      const alerts = await alertCrash(deps, doc, gone);
      doc.events.push({
        type: 'run_crashed',
        at: deps.clock.now().toISOString(),
        ...gone,
        alerts: alerts.map(({ channel, ok }) => ({ channel, ok })),
      });
      await deps.journal.save(doc);
      crashed.push({ runId: doc.runId, command: doc.command, identifier: doc.identifier, ...gone, alerts });
    } finally {
      await release();
    }
  }
  return crashed;
}

/** One alert: the run stopped mid-way, where it stopped, and what to run next. Never throws. */
async function alertCrash(deps: JournalDeps, doc: RunDocument, gone: { pid: number; host: string }): Promise<AlertDelivery[]> {
  const settings = deps.alerts;
  if (!settings || settings.alerters.length === 0) return [];
  // read-runs (and the workflow registry it binds a run with) and the alerts only when a crash is alerted: `runs` starts fast.
  const [{ summarizeDoc }, { accountIdFromArn, alertFor }, { sendAlerts }] = await Promise.all([
    import('./read-runs.js'),
    import('../../alerts/alert.js'),
    import('../../alerts/send-alerts.js'),
  ]);
  const base = summarizeDoc(doc, undefined);
  const step = doc.events.findLast((e) => e.type === 'step_started' || e.type === 'compensation_started');
  const summary: RunSummary = {
    ...base,
    status: 'interrupted',
    endedAt: deps.clock.now().toISOString(),
    error: {
      ...(step && 'stepId' in step ? { step: step.stepId } : {}),
      name: 'ProcessGone',
      message: `The trapheus process (pid ${gone.pid} on ${gone.host}) stopped without recording why: killed, out of memory, or the host restarted.`,
    },
    situation: [
      `The run stopped mid-way: ${doc.identifier} may be partly restored. Inspect it (trapheus status ${doc.runId}), then continue it (trapheus resume ${doc.runId}) or, before its point of no return, revert it (trapheus abort ${doc.runId}).`,
    ],
  };
  const accountId = accountIdFromArn(typeof doc.state.original === 'object' ? (doc.state.original as { arn?: string }).arn : undefined);
  return sendAlerts(settings.alerters, alertFor(summary, { region: deps.region ?? doc.region, accountId, host: deps.host }), {
    clock: deps.clock,
    attempts: settings.attempts,
  });
}
