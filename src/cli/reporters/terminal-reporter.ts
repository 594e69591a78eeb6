import type { Ora } from 'ora';
import ora from 'ora';
import type { ChalkInstance } from 'chalk';
import type { RunEvent } from '../../engine/run-events.js';
import type { RunObserver } from '../../engine/run-workflow.js';
import type { RunDocument } from '../../engine/run-document.js';
import { formatDuration } from '../format.js';
import { describeRun, formatEstimate, RunTracker, type StepInfo } from './run-tracker.js';

/**
 * Progress for a person at a terminal: before the first change, what the run will do (database,
 * kind, region, snapshot, strategy, number of steps); then a spinner per step with its place in
 * the workflow (`[3/12]`), its elapsed time, the resource's status, the percent progress RDS
 * reports (snapshots) with an estimate of the time left once one can be made, and the total
 * time since the run began in this session.
 */
export class TerminalReporter implements RunObserver {
  private spinner: Ora | undefined;
  private label = '';
  private stepId = '';
  private current = '';
  private startedAt = 0;
  private ticker: NodeJS.Timeout | undefined;
  private readonly tracker: RunTracker;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly c: ChalkInstance,
    private readonly write: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.tracker = new RunTracker(now);
  }

  begin(steps: readonly StepInfo[]): void {
    this.tracker.begin(steps);
  }

  event(event: RunEvent, doc: RunDocument, title?: string): void {
    this.tracker.event(event);
    switch (event.type) {
      case 'run_started':
      case 'run_resumed':
        this.write(this.c.bold(describeRun(doc, this.tracker.stepCount, event.type === 'run_resumed')));
        break;
      case 'step_started':
      case 'compensation_started': {
        const undo = event.type === 'compensation_started';
        const position = undo ? undefined : this.tracker.position(event.stepId);
        this.startSpinner(
          event.stepId,
          `${position ? `${this.c.dim(`[${position.n}/${position.of}]`)} ` : ''}${undo ? 'Undo: ' : ''}${title ?? event.stepId}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`,
        );
        break;
      }
      case 'step_succeeded':
      case 'compensation_succeeded':
        this.end('succeed');
        break;
      case 'step_failed':
      case 'compensation_failed':
        if (event.willRetry) {
          this.current = `${event.error.name}; retrying`;
          this.render();
        } else {
          this.end('fail', `${event.error.name}: ${event.error.message}`);
        }
        break;
      case 'rollback_started':
        this.write(this.c.yellow(`Reverting: ${event.stepId} failed, putting the original back.`));
        break;
      case 'notice':
        this.withoutSpinner(() =>
          this.write(event.level === 'warning' ? this.c.yellow(`! ${event.message}`) : this.c.dim(`  ${event.message}`)),
        );
        break;
      case 'run_interrupted':
        this.end('warn', 'interrupted');
        break;
      case 'run_finished':
        this.end('stop');
        this.write(this.c.dim(`Run ${event.status.replace('_', ' ')} after ${formatDuration(this.tracker.elapsedMs() / 1000)}.`));
        break;
      default:
        break;
    }
  }

  status(_stepId: string, text: string): void {
    this.current = text;
    this.render();
  }

  progress(stepId: string, percent: number): void {
    this.tracker.progress(stepId, percent);
    this.render();
  }

  /** The spinner's text as it is now (what the next frame shows). */
  text(): string {
    const elapsed = this.c.dim(formatDuration((this.now() - this.startedAt) / 1000));
    const estimate = this.tracker.estimate(this.stepId);
    const details = [this.current, estimate ? formatEstimate(estimate) : '', `total ${formatDuration(this.tracker.elapsedMs() / 1000)}`]
      .filter(Boolean)
      .join(' · ');
    return `${this.label} ${elapsed}${this.c.dim(` · ${details}`)}`;
  }

  private startSpinner(stepId: string, label: string): void {
    this.end('stop');
    this.stepId = stepId;
    this.label = label;
    this.current = '';
    this.startedAt = this.now();
    // Whether this is a terminal was decided once, upstream (Output.interactive): don't let ora guess again.
    // discardStdin off: ora would put the terminal in raw mode, where Ctrl-C is a byte, not SIGINT —
    // and a process that dies meanwhile leaves the terminal raw.
    this.spinner = ora({ text: label, stream: this.stream, color: 'cyan', isEnabled: true, discardStdin: false }).start();
    this.render();
    // Refresh the elapsed times even when the status does not change.
    this.ticker = setInterval(() => this.render(), 1000);
    this.ticker.unref();
  }

  private render(): void {
    if (!this.spinner) return;
    this.spinner.text = this.text();
  }

  private end(how: 'succeed' | 'fail' | 'warn' | 'stop', detail?: string): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    if (!this.spinner) return;
    const elapsed = this.c.dim(formatDuration((this.now() - this.startedAt) / 1000));
    const text = `${this.label} ${elapsed}${detail ? ` ${how === 'fail' ? this.c.red(detail) : detail}` : ''}`;
    // Our own symbols, coloured by our chalk, so --no-color and NO_COLOR hold for them too.
    const symbols = { succeed: this.c.green('✔'), fail: this.c.red('✖'), warn: this.c.yellow('!') };
    if (how === 'stop') this.spinner.stop();
    else this.spinner.stopAndPersist({ symbol: symbols[how], text });
    this.spinner = undefined;
  }

  private withoutSpinner(action: () => void): void {
    if (!this.spinner) return action();
    this.spinner.clear();
    action();
    this.spinner.render();
  }
}
