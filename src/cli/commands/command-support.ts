import { Chalk, type ChalkInstance } from 'chalk';
import type { RunObserver } from '../../engine/run-workflow.js';
import type { RunSummary } from '../../core/run-summary.js';
import type { RunResult, ServiceDeps } from '../../workflows/service.js';
import type { KindName } from '../../workflows/kinds/registry.js';
import { flagsOf, type CliContext } from '../cli-context.js';
import { formatSummary } from '../print-summary.js';
import { PlainReporter } from '../reporters/plain-reporter.js';
import { withCommandLog } from '../log-file.js';
import { ReportedError, type CliResult, type GlobalOptions } from '../cli-types.js';
import { JSON_SCHEMA_VERSION, runJsonDocument, type JsonDocument, type RunCommand } from '../json-documents.js';
import { noColor, printJson } from '../output.js';
import type { TrapheusError } from '../../core/errors.js';

/** `--cluster` picks the Aurora cluster kind; without it, a DB instance. */
export const kindOfFlag = (cluster: boolean | undefined): KindName => (cluster ? 'aurora-cluster' : 'instance');

/** Colours only on a terminal, without NO_COLOR (set and not empty) or --no-color. */
export function chalkFor(globals: GlobalOptions, ctx: CliContext): ChalkInstance {
  const color = ctx.output.color && globals.color !== false && !noColor(ctx.env) && !globals.json;
  return new Chalk({ level: color ? 1 : 0 });
}

/**
 * Progress reporting: spinners on a terminal, timestamped lines otherwise; with --json nothing
 * on stdout (lines on stderr only with --verbose); with --quiet none at all. The spinners (ora,
 * some 0.1 s of start-up) are imported only on a terminal: a run from CI or cron starts faster.
 */
export async function reporterFor(globals: GlobalOptions, ctx: CliContext): Promise<RunObserver | undefined> {
  const err = (line: string) => ctx.output.err(line);
  if (globals.quiet) return undefined;
  if (globals.json) return globals.verbose ? new PlainReporter(err) : undefined;
  if (ctx.output.interactive && ctx.output.spinnerStream && !globals.verbose) {
    const { TerminalReporter } = await import('../reporters/terminal-reporter.js');
    return new TerminalReporter(ctx.output.spinnerStream, chalkFor(globals, ctx), err);
  }
  return new PlainReporter(err);
}

// flagsOf lives in cli-context.ts: the crash check and `runs` use it without loading this module's chalk and ora.
export { flagsOf };

/** Builds the service with this command's reporter. */
export async function serviceFor(globals: GlobalOptions, ctx: CliContext): Promise<ServiceDeps> {
  // With --log-file (or logFile), the run's lines go to the log file too, whatever stderr shows.
  const observer = withCommandLog(ctx, await reporterFor(globals, ctx));
  // --debug (or TRAPHEUS_DEBUG): one line per AWS call on stderr, with its request id.
  const debug = globals.debug || (ctx.env.TRAPHEUS_DEBUG ?? '') !== '' ? (line: string) => ctx.output.err(line) : undefined;
  return ctx.deps.service({ flags: flagsOf(globals), env: ctx.env, signal: ctx.signal, observer, debug });
}

/**
 * Prints a run's summary (the JSON document of `command`, or for people; with --quiet only its
 * result line) and returns the status main.ts maps to an exit code. A failed preflight is
 * `error` (exit 3): nothing ran, whatever the plan was.
 */
export function report(command: RunCommand, summary: RunSummary, globals: GlobalOptions, ctx: CliContext): CliResult {
  const status = summary.status === 'planned' && summary.error ? 'error' : summary.status;
  if (globals.json) printJson(ctx.output, runJsonDocument(command, summary, status));
  else {
    const text = formatSummary(summary, chalkFor(globals, ctx));
    ctx.output.out(globals.quiet ? (text.split('\n')[0] ?? '') : `\n${text}`);
  }
  return { status };
}

/** The end of a run. */
export function reportRun(command: RunCommand, result: RunResult, globals: GlobalOptions, ctx: CliContext): CliResult {
  return report(command, result.summary, globals, ctx);
}

/**
 * A command that has a result to show and still fails (a channel of alert-test, a missing piece
 * of setup-export): with --json one document, its result with `status: "error"` and the error,
 * and main.ts prints nothing more; otherwise the error goes on to main.ts to be said on stderr.
 */
export function failWithDocument<C extends 'alert-test' | 'setup-export' | 'setup-state'>(
  command: C,
  body: Omit<JsonDocument<C>, 'schemaVersion' | 'command' | 'status' | 'error'>,
  error: TrapheusError,
  globals: GlobalOptions,
  ctx: CliContext,
): never {
  if (!globals.json) throw error;
  const failed = {
    status: 'error' as const,
    error: { name: error.name, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
  };
  printJson(ctx.output, { schemaVersion: JSON_SCHEMA_VERSION, command, ...body, ...failed });
  throw new ReportedError(error);
}
