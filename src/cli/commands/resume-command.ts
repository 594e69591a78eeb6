import { previewResume, resumeRun } from '../../workflows/run/resume-run.js';
import type { CliContext } from '../cli-context.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { describePlan, describeRun } from '../describe-resume.js';
import { jsonDocument } from '../json-documents.js';
import { printJson } from '../output.js';
import { reportRun, serviceFor } from './command-support.js';

/**
 * `trapheus resume [RUN_ID] [--dry-run]`: says which run it continues and what it will do
 * before it acts (without an id, the newest unfinished run); with --dry-run only that.
 */
export async function resumeCommand(
  runId: string | undefined,
  opts: { dryRun?: boolean },
  globals: GlobalOptions,
  ctx: CliContext,
): Promise<CliResult> {
  const deps = await serviceFor(globals, ctx);
  if (opts.dryRun) {
    const { doc, plan, heldBy } = await previewResume(deps, runId);
    if (globals.json) {
      printJson(
        ctx.output,
        jsonDocument('resume', {
          status: 'planned',
          runId: doc.runId,
          runCommand: doc.command,
          identifier: doc.identifier,
          cluster: doc.cluster,
          ...plan,
          ...(heldBy ? { heldBy: { pid: heldBy.pid, host: heldBy.host } } : {}),
        }),
      );
    } else {
      ctx.output.out(
        [
          `A resume would continue ${describeRun(doc)}.`,
          ...describePlan(plan),
          ...(heldBy ? [`It is running now (pid ${heldBy.pid} on ${heldBy.host}): a resume would be skipped.`] : []),
          'Nothing was changed (dry run).',
        ].join('\n'),
      );
    }
    return { status: 'ok' };
  }
  const result = await resumeRun(deps, runId, (plan, doc) => {
    if (!globals.quiet) ctx.output.err([`Resuming ${describeRun(doc)}.`, ...describePlan(plan)].join('\n'));
    return Promise.resolve(true);
  });
  return reportRun('resume', result, globals, ctx);
}
