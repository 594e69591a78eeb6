import type { RunEvent } from '../../engine/run-events.js';
import type { RunObserver } from '../../engine/run-workflow.js';
import type { RunDocument } from '../../engine/run-document.js';

/**
 * Progress for CI and cron: one timestamped line per event, no spinners, no colour codes.
 * A status line is written only when the awaited resource's status changes.
 */
export class PlainReporter implements RunObserver {
  private readonly lastStatus = new Map<string, string>();

  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  event(event: RunEvent, _doc: RunDocument, title?: string): void {
    const line = describeEvent(event, title);
    if (line) this.write(`${event.at} ${line}`);
  }

  status(stepId: string, text: string): void {
    if (this.lastStatus.get(stepId) === text) return;
    this.lastStatus.set(stepId, text);
    this.write(`${this.now().toISOString()} ${stepId} status: ${text}`);
  }
}

/** One line for a journaled event, shared by the plain and the terminal reporters. */
export function describeEvent(event: RunEvent, title?: string): string | undefined {
  const what = title ? `: ${title}` : '';
  switch (event.type) {
    case 'run_started':
      return `run started (pid ${event.pid} on ${event.host})`;
    case 'run_resumed':
      return `run resumed (pid ${event.pid} on ${event.host})`;
    case 'step_started':
      return `${event.stepId} started${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}${what}`;
    case 'step_succeeded':
      return `${event.stepId} done`;
    case 'step_failed':
      return `${event.stepId} failed: ${event.error.name}: ${event.error.message}${event.willRetry ? ' (will retry)' : ''}`;
    case 'rollback_started':
      return `reverting after ${event.stepId} failed`;
    case 'compensation_started':
      return `undo ${event.stepId} started${what}`;
    case 'compensation_succeeded':
      return `undo ${event.stepId} done`;
    case 'compensation_failed':
      return `undo ${event.stepId} failed: ${event.error.name}: ${event.error.message}${event.willRetry ? ' (will retry)' : ''}`;
    case 'notice':
      return `${event.level}: ${event.message}`;
    case 'run_interrupted':
      return 'run interrupted; the journal is kept for `trapheus resume`';
    case 'run_crashed':
      return `run crashed: its process (pid ${event.pid} on ${event.host}) was gone${event.alerts.length > 0 ? `; alerted ${event.alerts.map((a) => `${a.channel} ${a.ok ? 'ok' : 'failed'}`).join(', ')}` : ''}`;
    case 'run_finished':
      return `run finished: ${event.status}`;
    default:
      return undefined;
  }
}
