import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { LockHeldError } from '../engine/journal.js';
import type { RunDocument } from '../engine/run-document.js';
import type { RunEvent } from '../engine/run-events.js';
import type { RunObserver } from '../engine/run-workflow.js';
import type { CliContext } from './cli-context.js';
import type { CliResult, GlobalOptions } from './cli-types.js';
import { PlainReporter, type LogLevel, type PlainEntry } from './reporters/plain-reporter.js';
import type { StepInfo } from './reporters/run-tracker.js';

/**
 * One line of the log file: `<ISO time> <level> <run id> <identifier> <event> <message>`, the
 * first five fields single words (`-` when there is none), so `grep`, `awk` and `cut -d' '`
 * can pick them out; the message is the rest of the line, newlines folded.
 */
export function formatLogLine(entry: PlainEntry): string {
  const field = (value: string | undefined) => (value ? value.replace(/\s+/g, '_') : '-');
  const message = entry.message.replace(/\s*\n\s*/g, ' ');
  return `${entry.at} ${entry.level.padEnd(5)} ${field(entry.runId)} ${field(entry.identifier)} ${field(entry.event)} ${message}`;
}

/**
 * An append-only log file for cron: opened with O_APPEND (never truncated; each line is one
 * write, so runs sharing a file never overwrite each other's lines), created 0600 if new — it
 * names databases and runs. A write that fails later (disk full) is said once on stderr and
 * never fails the run: the journal, not this file, is the run's record.
 */
export class LogFile {
  private failed = false;

  private constructor(
    readonly path: string,
    private fd: number | undefined,
    private readonly warn: (text: string) => void,
  ) {}

  /** Opens (or creates, 0600) `file` for appending; a path that cannot be is bad usage, before anything else is done. */
  static open(file: string, warn: (text: string) => void, home = os.homedir()): LogFile {
    const resolved = path.resolve(file === '~' || file.startsWith('~/') ? path.join(home, file.slice(1)) : file);
    let fd: number;
    try {
      fd = openSync(resolved, 'a', 0o600);
    } catch (error) {
      throw new UsageError(`Cannot open the log file ${resolved}: ${(error as Error).message}.`, {
        hint: 'Give --log-file (or logFile in the config, or TRAPHEUS_LOG_FILE) a file in a directory that exists and that you may write.',
        cause: error,
      });
    }
    if (!fstatSync(fd).isFile()) {
      closeSync(fd);
      throw new UsageError(`The log file ${resolved} is not a regular file.`, {
        hint: 'Name a file for --log-file, not a device or a pipe.',
      });
    }
    return new LogFile(resolved, fd, warn);
  }

  /** Appends one line. */
  append(entry: PlainEntry): void {
    this.appendLine(formatLogLine(entry));
  }

  /** Appends one already formatted line. */
  appendLine(line: string): void {
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, `${line}\n`);
    } catch (error) {
      if (!this.failed) this.warn(`trapheus: warning: could not write to the log file ${this.path}: ${(error as Error).message}`);
      this.failed = true;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Every event of a run (and its status changes, progress and heartbeats) as lines of the log file. */
export class LogFileObserver implements RunObserver {
  private readonly lines: PlainReporter;

  constructor(log: LogFile, now: () => Date = () => new Date()) {
    this.lines = new PlainReporter((line) => log.appendLine(line), now, formatLogLine);
  }

  begin(steps: readonly StepInfo[]): void {
    this.lines.begin(steps);
  }

  event(event: RunEvent, doc: RunDocument, title?: string): void {
    this.lines.event(event, doc, title);
  }

  status(stepId: string, text: string): void {
    this.lines.status(stepId, text);
  }

  progress(stepId: string, percent: number): void {
    this.lines.progress(stepId, percent);
  }
}

/** Several observers as one (the reporter on stderr and the log file). */
export function bothObservers(a: RunObserver | undefined, b: RunObserver | undefined): RunObserver | undefined {
  if (!a || !b) return a ?? b;
  return {
    begin: (steps, doc) => {
      a.begin?.(steps, doc);
      b.begin?.(steps, doc);
    },
    event: (event, doc, title) => {
      a.event(event, doc, title);
      b.event(event, doc, title);
    },
    status: (stepId, text) => {
      a.status(stepId, text);
      b.status(stepId, text);
    },
    progress: (stepId, percent) => {
      a.progress?.(stepId, percent);
      b.progress?.(stepId, percent);
    },
  };
}

/** This invocation's log file: which command, of which database and run (learnt from the run once it starts). */
interface CommandLog {
  log: LogFile;
  command: string;
  identifier?: string | undefined;
  runId?: string | undefined;
  now: () => Date;
}

// One per invocation (a CliContext is one invocation): the hook that opens it, the reporter that
// writes run events to it and the end of the command that closes it share it through here.
const logs = new WeakMap<CliContext, CommandLog>();

/** The command being run (commander's Command has this shape). */
export interface InvokedCommand {
  name(): string;
  opts(): Record<string, unknown>;
  readonly args: readonly string[];
}

/** What a command was invoked on, as the log names it: `--identifier`, or the run id `resume`, `abort` and `status` take. */
function commandInfo(command: InvokedCommand): { name: string; identifier?: string | undefined; runId?: string | undefined } {
  const { identifier } = command.opts();
  const name = command.name();
  return {
    name,
    identifier: typeof identifier === 'string' ? identifier : undefined,
    runId: ['resume', 'abort', 'status'].includes(name) ? command.args[0] : undefined,
  };
}

/**
 * Opens the log file of this invocation, if one is asked for: `--log-file`, else the config's
 * `logFile` (the file, or TRAPHEUS_LOG_FILE), as `resolve` finds it. Called before the command
 * acts, so a log file that cannot be opened stops it (exit 2) before any AWS call.
 */
export function openCommandLog(
  ctx: CliContext,
  file: string | undefined,
  command: InvokedCommand,
  now: () => Date = () => new Date(),
): void {
  if (!file) return;
  logs.get(ctx)?.log.close();
  const log = LogFile.open(file, (text) => ctx.output.err(text), ctx.env.HOME || os.homedir());
  const { name, identifier, runId } = commandInfo(command);
  logs.set(ctx, { log, command: name, identifier, runId, now });
}

/**
 * Before a command acts: opens the log file named by `--log-file`, else by the config's
 * `logFile` (set in the config file or by TRAPHEUS_LOG_FILE; flags > environment > file, as
 * for every key). A config that does not load opens none here: the command says what is wrong
 * with it itself. Returns whether a log file is open.
 */
export async function startCommandLog(ctx: CliContext, globals: GlobalOptions, command: InvokedCommand): Promise<boolean> {
  let file = globals.logFile;
  if (file === undefined) {
    const { loadConfig } = await import('../config/load-config.js');
    const flags = { config: globals.config, region: globals.region, profile: globals.profile, journalDir: globals.journalDir };
    file = await loadConfig(flags, ctx.env).then(
      (loaded) => loaded.config.logFile,
      () => undefined,
    );
  }
  openCommandLog(ctx, file, command);
  return file !== undefined;
}

/** The reporter, and the log file's observer beside it when this invocation has a log file. */
export function withCommandLog(ctx: CliContext, observer: RunObserver | undefined): RunObserver | undefined {
  const entry = logs.get(ctx);
  if (!entry) return observer;
  const lines = new LogFileObserver(entry.log, entry.now);
  const learn: RunObserver = {
    begin: (steps) => lines.begin(steps),
    event: (event, doc, title) => {
      // The command's last line names the run too.
      entry.runId = doc.runId;
      entry.identifier = doc.identifier;
      lines.event(event, doc, title);
    },
    status: (stepId, text) => lines.status(stepId, text),
    progress: (stepId, percent) => lines.progress(stepId, percent),
  };
  return bothObservers(observer, learn);
}

/**
 * The command's last line — how it ended — and the file closed. A run's own lines say how it
 * went; this one also covers what ends a command before or without a run (another run holds
 * the lock: skipped, exit 5; a failed preflight; bad usage found late).
 */
export function endCommandLog(ctx: CliContext, end: { result: CliResult } | { error: unknown }): void {
  const entry = logs.get(ctx);
  if (!entry) return;
  logs.delete(ctx);
  let level: LogLevel;
  let message: string;
  if ('error' in end) {
    // An error the command already put in its --json document comes wrapped (ReportedError): log what it was.
    const error = end.error instanceof Error && 'reported' in end.error ? end.error.reported : end.error;
    const name = error instanceof Error ? error.name : 'Error';
    const text = error instanceof Error ? error.message : String(error);
    // Another run holds the database's lock: this one did nothing (exit 5), not a failure.
    const skipped = error instanceof LockHeldError;
    level = skipped ? 'warn' : 'error';
    message = `${entry.command} ${skipped ? 'skipped' : 'failed'}: ${name}: ${text}`;
  } else {
    const { status } = end.result;
    // Interrupted (exit 130) waits for `trapheus resume`, as the run's own run_interrupted line says: a warning.
    level = ['ok', 'succeeded', 'planned', 'running'].includes(status) ? 'info' : status === 'interrupted' ? 'warn' : 'error';
    message = `${entry.command} ended: ${status}`;
  }
  entry.log.append({
    at: entry.now().toISOString(),
    level,
    event: 'command_end',
    message,
    runId: entry.runId,
    identifier: entry.identifier,
  });
  entry.log.close();
}
