import { Chalk, type ChalkInstance } from 'chalk';
import type { RunObserver } from '../../engine/run-workflow.js';
import type { RunSummary } from '../../core/run-summary.js';
import type { RunResult, ServiceDeps } from '../../workflows/service.js';
import type { KindName } from '../../workflows/kinds/registry.js';
import type { CliContext } from '../cli-context.js';
import { formatSummary } from '../print-summary.js';
import { PlainReporter } from '../reporters/plain-reporter.js';
import { TerminalReporter } from '../reporters/terminal-reporter.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { printJson } from '../output.js';

/** `--cluster` picks the Aurora cluster kind; without it, a DB instance. */
export const kindOfFlag = (cluster: boolean | undefined): KindName => (cluster ? 'aurora-cluster' : 'instance');

/** Colours only on a terminal, without NO_COLOR or --no-color. */
export function chalkFor(globals: GlobalOptions, ctx: CliContext): ChalkInstance {
  const color = ctx.output.color && globals.color !== false && ctx.env.NO_COLOR === undefined && !globals.json;
  return new Chalk({ level: color ? 1 : 0 });
}

/**
 * Progress reporting: spinners on a terminal, timestamped lines otherwise; with --json nothing
 * on stdout (lines on stderr only with --verbose).
 */
export function reporterFor(globals: GlobalOptions, ctx: CliContext): RunObserver | undefined {
  const err = (line: string) => ctx.output.err(line);
  if (globals.json) return globals.verbose ? new PlainReporter(err) : undefined;
  if (ctx.output.interactive && ctx.output.spinnerStream && !globals.verbose) {
    return new TerminalReporter(ctx.output.spinnerStream, chalkFor(globals, ctx), err);
  }
  return new PlainReporter(err);
}

/** The config flags every AWS command passes to the composition root. */
export function flagsOf(globals: GlobalOptions) {
  return { config: globals.config, region: globals.region, profile: globals.profile, journalDir: globals.journalDir };
}

/** Builds the service with this command's reporter. */
export async function serviceFor(globals: GlobalOptions, ctx: CliContext): Promise<ServiceDeps> {
  return ctx.deps.service({ flags: flagsOf(globals), env: ctx.env, signal: ctx.signal, observer: reporterFor(globals, ctx) });
}

/** Prints a summary (JSON or for people) and returns the status main.ts maps to an exit code. */
export function report(summary: RunSummary, globals: GlobalOptions, ctx: CliContext): CliResult {
  if (globals.json) printJson(ctx.output, summary);
  else ctx.output.out(`\n${formatSummary(summary, chalkFor(globals, ctx))}`);
  return { status: summary.status };
}

/** The end of a run. */
export function reportRun(result: RunResult, globals: GlobalOptions, ctx: CliContext): CliResult {
  return report(result.summary, globals, ctx);
}
