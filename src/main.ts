import type { CliContext, DepsFactory } from './cli/cli-context.js';
import { guardStandardOutputs, hasPrompted, processOutput } from './cli/output.js';
import { ReportedError, type CliResult } from './cli/cli-types.js';
import { isDebug, runCli, type Invocation } from './cli/run-cli.js';
import { InterruptedError, JournalError, PreconditionError, UsageError } from './core/errors.js';
import { LockHeldError } from './engine/journal.js';

/** The real factory: the composition root, imported only when a command needs it (fast start-up). */
const compositionDeps: DepsFactory = {
  async service(input) {
    const { buildServiceDeps } = await import('./composition.js');
    return buildServiceDeps(input);
  },
  async journal(input) {
    const { buildJournalDeps } = await import('./composition/journal-deps.js');
    return buildJournalDeps(input);
  },
};

/**
 * Exit codes, as documented in the README. `skipped`: another run holds the database's lock, so
 * this one did nothing — a cron wrapper can tell it from a failure.
 */
export const EXIT = { done: 0, rolledBack: 1, usage: 2, precondition: 3, needsAttention: 4, skipped: 5, interrupted: 130 } as const;

/** The exit code of a command that ran to its end. */
export function exitCodeForResult(result: CliResult): number {
  switch (result.status) {
    case 'succeeded':
    case 'planned':
    case 'ok':
      return EXIT.done;
    case 'rolled_back':
      return EXIT.rolledBack;
    case 'error':
      return EXIT.precondition;
    case 'interrupted':
      return EXIT.interrupted;
    default:
      return EXIT.needsAttention;
  }
}

/** The exit code of a command that threw: what the error says about the database decides. */
export function exitCodeForError(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof LockHeldError) return EXIT.skipped;
  if (error instanceof PreconditionError) return EXIT.precondition;
  if (error instanceof InterruptedError) return EXIT.interrupted;
  if (error instanceof JournalError) return EXIT.needsAttention;
  return EXIT.needsAttention;
}

/** Runs the CLI and maps its outcome to an exit code; errors are printed (as the one JSON document with --json). */
export async function main(argv: string[], ctx: CliContext): Promise<number> {
  const invocation: Invocation = {};
  try {
    return exitCodeForResult(await runCli(argv, ctx, invocation));
  } catch (error) {
    // A command that already told its error inside its --json document prints nothing more.
    if (error instanceof ReportedError) return exitCodeForError(error.reported);
    const { printError } = await import('./cli/print-error.js');
    printError(
      error,
      { command: invocation.command, json: invocation.json ?? argv.includes('--json'), debug: invocation.debug ?? isDebug(argv, ctx.env) },
      ctx.output,
    );
    return exitCodeForError(error);
  }
}

/** How long the first Ctrl-C or SIGTERM may take to journal `run_interrupted` and exit. */
const INTERRUPT_DEADLINE_MS = 1800;

/**
 * Ctrl-C and SIGTERM stop the run (recorded as interrupted, no revert). The abort reaches every
 * AWS call in flight, so the runner journals `run_interrupted` at once; whatever is still going
 * after that (an alert, a slow look around) gets until the deadline, then the process exits 130
 * anyway. A second Ctrl-C exits at once. Either way the terminal is given back as it was found.
 */
function abortOnSignals(controller: AbortController): void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      restoreTerminal();
      process.exit(EXIT.interrupted);
    }
    process.stderr.write(`\n${signal}: stopping; the journal is kept for \`trapheus resume\` (again to quit at once).\n`);
    controller.abort(new InterruptedError(`Interrupted by ${signal}.`));
    setTimeout(() => {
      restoreTerminal();
      process.exit(EXIT.interrupted);
    }, INTERRUPT_DEADLINE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', restoreTerminal);
}

/**
 * Never leave the terminal in raw mode (a prompt may have set it; spinners leave standard input
 * alone). Standard input is looked at only after a prompt: process.stdin would otherwise set up a
 * stream at exit for nothing (a few ms of every `runs` or `--help`).
 */
function restoreTerminal(): void {
  if (hasPrompted() && process.stdin.isTTY && process.stdin.isRaw) process.stdin.setRawMode(false);
}

/**
 * The command's entry, called by bin/trapheus.js with the version it read from package.json:
 * signals, closed pipes (guardStandardOutputs), then the CLI; the exit code is left in `process.exitCode`.
 */
export async function start(version: string): Promise<void> {
  // trapheus supports Node 20 (see README); the SDK's notice about its future Node 22 floor
  // would otherwise be printed on every cron run. A user who sets the variable keeps control.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const controller = new AbortController();
  abortOnSignals(controller);
  guardStandardOutputs();
  process.exitCode = await main(process.argv.slice(2), {
    output: processOutput(),
    env: process.env,
    signal: controller.signal,
    version,
    deps: compositionDeps,
  });
}
