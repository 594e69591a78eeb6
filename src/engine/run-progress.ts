import type { RunEvent, RunStatus } from './run-events.js';

/** What a run's event log says about where it stands. */
export interface RunProgress {
  status: RunStatus;
  /** A revert began: a resumed run continues it and never goes forward again. */
  rollingBack: boolean;
  succeeded: Set<string>;
  started: Set<string>;
  compensated: Set<string>;
  attempts: Map<string, number>;
  /** The step failure that ended the run or started the revert, if any. */
  failure?: { stepId: string; name: string; message: string } | undefined;
}

/** Derives a run's progress from its events (the journal is the only truth). */
export function deriveProgress(events: readonly RunEvent[]): RunProgress {
  const progress: RunProgress = {
    status: 'running',
    rollingBack: false,
    succeeded: new Set(),
    started: new Set(),
    compensated: new Set(),
    attempts: new Map(),
  };
  for (const event of events) {
    switch (event.type) {
      case 'run_started':
      case 'run_resumed':
        progress.status = 'running';
        break;
      case 'step_started':
        progress.started.add(event.stepId);
        progress.attempts.set(event.stepId, event.attempt);
        break;
      case 'step_succeeded':
        progress.succeeded.add(event.stepId);
        break;
      case 'step_failed':
        if (!event.willRetry) progress.failure = { stepId: event.stepId, ...event.error };
        break;
      case 'rollback_started':
        progress.rollingBack = true;
        progress.failure = { stepId: event.stepId, ...event.error };
        break;
      case 'compensation_succeeded':
        progress.compensated.add(event.stepId);
        break;
      case 'run_interrupted':
      case 'run_crashed':
        // Either way the run stopped short and waits for `trapheus resume` (or `abort`).
        progress.status = 'interrupted';
        break;
      case 'run_finished':
        progress.status = event.status;
        break;
      default:
        break;
    }
  }
  return progress;
}

/** A run that may be resumed: not finished for good. */
export function isUnfinished(status: RunStatus): boolean {
  return status !== 'succeeded' && status !== 'rolled_back';
}
