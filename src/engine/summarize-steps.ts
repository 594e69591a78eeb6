import type { StepSummary } from '../core/run-summary.js';
import type { RunEvent } from './run-events.js';

/** Folds a run's events into one line per step, in workflow order. */
export function summarizeSteps(steps: readonly { id: string; title: string }[], events: readonly RunEvent[]): StepSummary[] {
  const byId = new Map<string, StepSummary>(steps.map((s) => [s.id, { id: s.id, title: s.title, status: 'pending', attempts: 0 }]));
  const get = (stepId: string): StepSummary => {
    let summary = byId.get(stepId);
    if (!summary) {
      // A step the current workflow no longer has: still show what the journal says.
      summary = { id: stepId, title: stepId, status: 'pending', attempts: 0 };
      byId.set(stepId, summary);
    }
    return summary;
  };
  for (const event of events) {
    switch (event.type) {
      case 'step_started': {
        const s = get(event.stepId);
        s.status = 'running';
        s.startedAt ??= event.at;
        s.endedAt = undefined;
        s.attempts = event.attempt;
        break;
      }
      case 'step_succeeded':
        Object.assign(get(event.stepId), { status: 'succeeded', endedAt: event.at });
        break;
      case 'step_failed':
        if (!event.willRetry) Object.assign(get(event.stepId), { status: 'failed', endedAt: event.at });
        break;
      case 'compensation_started':
        Object.assign(get(event.stepId), { status: 'reverting', endedAt: undefined });
        break;
      case 'compensation_succeeded':
        Object.assign(get(event.stepId), { status: 'reverted', endedAt: event.at });
        break;
      case 'compensation_failed':
        if (!event.willRetry) Object.assign(get(event.stepId), { status: 'revert_failed', endedAt: event.at });
        break;
      default:
        break;
    }
  }
  return [...byId.values()];
}
