import type { Ora } from 'ora';
import ora from 'ora';
import type { ChalkInstance } from 'chalk';
import type { RunEvent } from '../../engine/run-events.js';
import type { RunObserver } from '../../engine/run-workflow.js';
import type { RunDocument } from '../../engine/run-document.js';
import { formatDuration } from '../format.js';

/** Progress for a person at a terminal: a spinner per step with its elapsed time and the resource's status. */
export class TerminalReporter implements RunObserver {
  private spinner: Ora | undefined;
  private label = '';
  private current = '';
  private startedAt = 0;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly c: ChalkInstance,
    private readonly write: (line: string) => void,
  ) {}

  event(event: RunEvent, _doc: RunDocument, title?: string): void {
    switch (event.type) {
      case 'step_started':
      case 'compensation_started':
        this.begin(
          `${event.type === 'compensation_started' ? 'Undo: ' : ''}${title ?? event.stepId}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`,
        );
        break;
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
      default:
        break;
    }
  }

  status(_stepId: string, text: string): void {
    this.current = text;
    this.render();
  }

  private begin(label: string): void {
    this.end('stop');
    this.label = label;
    this.current = '';
    this.startedAt = Date.now();
    // Whether this is a terminal was decided once, upstream (Output.interactive): don't let ora guess again.
    // discardStdin off: ora would put the terminal in raw mode, where Ctrl-C is a byte, not SIGINT —
    // and a process that dies meanwhile leaves the terminal raw.
    this.spinner = ora({ text: label, stream: this.stream, color: 'cyan', isEnabled: true, discardStdin: false }).start();
    // Refresh the elapsed time even when the status does not change.
    this.ticker = setInterval(() => this.render(), 1000);
    this.ticker.unref();
  }

  private render(): void {
    if (!this.spinner) return;
    const elapsed = this.c.dim(formatDuration((Date.now() - this.startedAt) / 1000));
    this.spinner.text = `${this.label} ${elapsed}${this.current ? this.c.dim(` · ${this.current}`) : ''}`;
  }

  private end(how: 'succeed' | 'fail' | 'warn' | 'stop', detail?: string): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    if (!this.spinner) return;
    const elapsed = this.c.dim(formatDuration((Date.now() - this.startedAt) / 1000));
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
