import { PreconditionError, UsageError } from '../core/errors.js';
import { flagsOf, type CliContext } from './cli-context.js';
import type { GlobalOptions } from './cli-types.js';

/**
 * Before any command: runs whose process died without a word (kill -9, OOM, reboot) are marked
 * crashed and alerted once, and said on stderr. A journal directory that cannot be trusted
 * stops the command (that is its own error); any other trouble here is a warning, never the
 * command's failure.
 */
export async function checkCrashedRuns(globals: GlobalOptions, ctx: CliContext): Promise<void> {
  const deps = await ctx.deps.journal({ flags: flagsOf(globals), env: ctx.env });
  const { detectCrashedRuns } = await import('../workflows/run/crashed-runs.js');
  try {
    for (const run of await detectCrashedRuns(deps)) {
      const alerted = run.alerts.map((a) => `${a.channel} ${a.ok ? 'alerted' : `not alerted (${a.error ?? 'failed'})`}`).join('; ');
      ctx.output.err(
        `trapheus: run ${run.runId} (${run.command} of ${run.identifier}) crashed: its process (pid ${run.pid} on ${run.host}) is gone.${alerted ? ` ${alerted}.` : ''}\n  Inspect: trapheus status ${run.runId}   continue: trapheus resume ${run.runId}   revert: trapheus abort ${run.runId}`,
      );
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof PreconditionError) throw error;
    ctx.output.err(`trapheus: warning: could not check for crashed runs: ${(error as Error).message}`);
  }
}
