import type { RunEvent } from '../../engine/run-events.js';
import type { RunObserver } from '../../engine/run-workflow.js';
import type { RunDocument } from '../../engine/run-document.js';
import { formatDuration } from '../format.js';

/** The longest a long wait goes without a line in a plain log. */
export const HEARTBEAT_MS = 5 * 60_000;
/** How often the heartbeat looks. */
const HEARTBEAT_CHECK_MS = 30_000;

/**
 * Progress for CI and cron: one timestamped line per event, no spinners, no colour codes. Each
 * line carries the run id and the identifier, so two jobs appending to one log can be told
 * apart. A status line is written when the awaited resource's status changes, and a heartbeat
 * at least every five minutes while a step waits, so a long restore is visibly alive.
 */
export class PlainReporter implements RunObserver {
  private readonly lastStatus = new Map<string, string>();
  private context = '';
  private current: { stepId: string; since: number } | undefined;
  private lastLineAt = 0;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  event(event: RunEvent, doc: RunDocument, title?: string): void {
    this.context = `[${doc.runId} ${doc.identifier}] `;
    if (event.type === 'step_started' || event.type === 'compensation_started') {
      this.current = { stepId: event.stepId, since: this.now().getTime() };
      this.ticker ??= setInterval(() => this.beat(), HEARTBEAT_CHECK_MS).unref();
    }
    if (event.type === 'run_finished' || event.type === 'run_interrupted') this.stop();
    const line = describeEvent(event, title);
    if (line) this.line(`${event.at} ${this.context}${line}`);
  }

  status(stepId: string, text: string): void {
    if (this.lastStatus.get(stepId) === text) return;
    this.lastStatus.set(stepId, text);
    this.line(`${this.now().toISOString()} ${this.context}${stepId} status: ${text}`);
  }

  private beat(): void {
    const now = this.now().getTime();
    if (!this.current || now - this.lastLineAt < HEARTBEAT_MS - HEARTBEAT_CHECK_MS) return;
    const { stepId, since } = this.current;
    const status = this.lastStatus.get(stepId);
    this.line(
      `${this.now().toISOString()} ${this.context}${stepId} still waiting${status ? ` (status: ${status})` : ''}, ${formatDuration((now - since) / 1000)} so far`,
    );
  }

  private line(text: string): void {
    this.lastLineAt = this.now().getTime();
    this.write(text);
  }

  private stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.current = undefined;
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
