import type { RunEvent } from '../../engine/run-events.js';
import type { RunObserver } from '../../engine/run-workflow.js';
import type { RunDocument } from '../../engine/run-document.js';
import { formatDuration } from '../format.js';
import { describeRun, formatEstimate, formatPosition, RunTracker, type StepInfo } from './run-tracker.js';

/** The longest a long wait goes without a line in a plain log. */
export const HEARTBEAT_MS = 5 * 60_000;
/** How often the heartbeat looks. */
const HEARTBEAT_CHECK_MS = 30_000;

/**
 * Progress for CI and cron: one timestamped line per event, no spinners, no colour codes. Each
 * line carries the run id and the identifier, so two jobs appending to one log can be told
 * apart. The same facts as the terminal: before the first change, what the run will do; step
 * lines say which step of how many (`step 3/12`) and the time since the run began in this
 * session; a snapshot's percent progress every ten points, with the time left once it can be
 * estimated. A status line is written when the awaited resource's status changes, and a
 * heartbeat at least every five minutes while a step waits, so a long restore is visibly alive.
 */
export class PlainReporter implements RunObserver {
  private readonly lastStatus = new Map<string, string>();
  private readonly lastDecile = new Map<string, number>();
  private run: { runId: string; identifier: string } | undefined;
  private current: { stepId: string; since: number } | undefined;
  private lastLineAt = 0;
  private ticker: NodeJS.Timeout | undefined;
  private readonly tracker: RunTracker;

  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => Date = () => new Date(),
    /** How an entry becomes a line: by default `<ISO time> [<run id> <identifier>] <message>`. */
    private readonly format: (entry: PlainEntry) => string = formatPlainLine,
  ) {
    this.tracker = new RunTracker(() => this.now().getTime());
  }

  begin(steps: readonly StepInfo[]): void {
    this.tracker.begin(steps);
  }

  event(event: RunEvent, doc: RunDocument, title?: string): void {
    this.run = { runId: doc.runId, identifier: doc.identifier };
    this.tracker.event(event);
    if (event.type === 'step_started' || event.type === 'compensation_started') {
      this.current = { stepId: event.stepId, since: this.now().getTime() };
      this.lastDecile.delete(event.stepId);
      this.ticker ??= setInterval(() => this.beat(), HEARTBEAT_CHECK_MS).unref();
    }
    if (event.type === 'run_finished' || event.type === 'run_interrupted') this.stop();
    const line = describeEvent(event, title);
    if (line) this.line(event.type, `${line}${this.where(event)}`, levelOf(event), event.at);
    if (event.type === 'run_started' || event.type === 'run_resumed') {
      this.line('run_plan', describeRun(doc, this.tracker.stepCount, event.type === 'run_resumed'), 'info', event.at);
    }
  }

  status(stepId: string, text: string): void {
    if (this.lastStatus.get(stepId) === text) return;
    this.lastStatus.set(stepId, text);
    this.line('status', `${stepId} status: ${text}`);
  }

  progress(stepId: string, percent: number): void {
    this.tracker.progress(stepId, percent);
    // Every ten points (and the first figure): a line per poll would flood a log for an hour-long snapshot.
    const decile = Math.floor(Math.min(100, Math.max(0, percent)) / 10);
    if (this.lastDecile.get(stepId) === decile) return;
    this.lastDecile.set(stepId, decile);
    const estimate = this.tracker.estimate(stepId);
    if (estimate) this.line('progress', `${stepId} progress: ${formatEstimate(estimate)}`);
  }

  /** ` (step 3/12, 2m 5s elapsed)` after step lines, ` (2m 5s elapsed)` after the other events of a run. */
  private where(event: RunEvent): string {
    const elapsed = `${formatDuration(this.tracker.elapsedMs() / 1000)} elapsed`;
    switch (event.type) {
      case 'step_started':
      case 'step_succeeded':
      case 'step_failed': {
        const position = this.tracker.position(event.stepId);
        return ` (${position ? `${formatPosition(position)}, ` : ''}${elapsed})`;
      }
      case 'compensation_started':
      case 'compensation_succeeded':
      case 'compensation_failed':
      case 'rollback_started':
      case 'run_interrupted':
      case 'run_finished':
        return ` (${elapsed})`;
      default:
        return '';
    }
  }

  private beat(): void {
    const now = this.now().getTime();
    if (!this.current || now - this.lastLineAt < HEARTBEAT_MS - HEARTBEAT_CHECK_MS) return;
    const { stepId, since } = this.current;
    const status = this.lastStatus.get(stepId);
    const estimate = this.tracker.estimate(stepId);
    const details = [status ? `status: ${status}` : '', estimate ? formatEstimate(estimate) : ''].filter(Boolean).join(', ');
    this.line('heartbeat', `${stepId} still waiting${details ? ` (${details})` : ''}, ${formatDuration((now - since) / 1000)} so far`);
  }

  private line(event: string, message: string, level: LogLevel = 'info', at = this.now().toISOString()): void {
    this.lastLineAt = this.now().getTime();
    this.write(this.format({ at, level, event, message, ...this.run }));
  }

  private stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.current = undefined;
  }
}

/** How serious an entry is: `warn` for retries, reverts and interruptions, `error` for what failed for good. */
export type LogLevel = 'info' | 'warn' | 'error';

/** One line of a plain log before it is formatted. */
export interface PlainEntry {
  /** ISO time. */
  at: string;
  level: LogLevel;
  /** The journaled event's type, or `run_plan`, `status`, `progress`, `heartbeat`. */
  event: string;
  message: string;
  runId?: string | undefined;
  identifier?: string | undefined;
}

/** `<ISO time> [<run id> <identifier>] <message>`: the lines on stderr in CI and cron. */
export function formatPlainLine(entry: PlainEntry): string {
  return `${entry.at} ${entry.runId ? `[${entry.runId} ${entry.identifier ?? ''}] ` : ''}${entry.message}`;
}

/** The level of a journaled event. */
export function levelOf(event: RunEvent): LogLevel {
  switch (event.type) {
    case 'step_failed':
    case 'compensation_failed':
      return event.willRetry ? 'warn' : 'error';
    case 'rollback_started':
    case 'run_interrupted':
      return 'warn';
    case 'run_crashed':
      return 'error';
    case 'notice':
      return event.level === 'warning' ? 'warn' : 'info';
    case 'run_finished':
      return event.status === 'succeeded' ? 'info' : 'error';
    default:
      return 'info';
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
