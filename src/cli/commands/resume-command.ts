import { resumeRun } from '../../workflows/run/resume-run.js';
import type { CliContext } from '../cli-context.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { reportRun, serviceFor } from './command-support.js';

/** `trapheus resume [RUN_ID]`. */
export async function resumeCommand(runId: string | undefined, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  const deps = await serviceFor(globals, ctx);
  return reportRun(await resumeRun(deps, runId), globals, ctx);
}
