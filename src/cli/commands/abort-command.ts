import { UsageError } from '../../core/errors.js';
import { abortRun } from '../../workflows/run/resume-run.js';
import type { CliContext } from '../cli-context.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { describePlan, describeRun } from '../describe-resume.js';
import { reportRun, serviceFor } from './command-support.js';

/**
 * `trapheus abort RUN_ID`: reverts an unfinished run that has not passed its point of no return.
 * In a terminal it asks to type the identifier; without one it needs --yes (checked before any
 * AWS call). Past the point of no return it is refused (exit 3) and says to resume instead.
 * A completed revert exits 0: the database is as it was before the run, as asked.
 */
export async function abortCommand(runId: string, opts: { yes?: boolean }, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  if (!opts.yes && (!ctx.output.canPrompt || globals.json)) {
    const why = ctx.output.canPrompt ? '--json does not prompt (stdout is for the JSON document)' : 'there is no terminal to ask on';
    throw new UsageError(`abort reverts a run and needs confirmation, but ${why}.`, {
      hint: `Add --yes to run it from CI or cron (see first what a resume would do: trapheus resume ${runId} --dry-run).`,
    });
  }
  const deps = await serviceFor(globals, ctx);
  let answer: string | undefined;
  const result = await abortRun(deps, runId, async (plan, doc) => {
    if (!opts.yes || !globals.quiet) ctx.output.err([`Reverting ${describeRun(doc)}.`, ...describePlan(plan)].join('\n'));
    if (opts.yes) return true;
    answer = (await ctx.output.ask(`\nType the identifier (${doc.identifier}) to revert this run: `)).trim();
    return answer.toLowerCase() === doc.identifier.toLowerCase();
  });
  if (result.outcome.declined) {
    throw new UsageError(`Confirmation "${answer ?? ''}" does not match ${result.summary.identifier}; nothing was changed.`);
  }
  const reported = reportRun('abort', result, globals, ctx);
  return reported.status === 'rolled_back' ? { status: 'ok' } : reported;
}
