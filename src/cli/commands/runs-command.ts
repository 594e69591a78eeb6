import { listRuns } from '../../workflows/run/read-runs.js';
import type { CliContext } from '../cli-context.js';
import { formatDuration, formatTable } from '../format.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { printJson } from '../output.js';
import { flagsOf } from './command-support.js';

/** `trapheus runs`: every journaled run, newest first. */
export async function runsCommand(globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  const deps = await ctx.deps.journal({ flags: flagsOf(globals), env: ctx.env });
  const runs = await listRuns(deps);
  if (globals.json) {
    printJson(ctx.output, runs);
  } else if (runs.length === 0) {
    ctx.output.out('No runs yet.');
  } else {
    ctx.output.out(
      formatTable(
        ['RUN ID', 'COMMAND', 'IDENTIFIER', 'STATUS', 'STARTED', 'DURATION'],
        runs.map((r) => [
          r.runId,
          r.command,
          `${r.cluster ? 'cluster ' : ''}${r.identifier}`,
          r.status,
          r.startedAt,
          r.durationSeconds === undefined ? (r.active ? 'running' : '-') : formatDuration(r.durationSeconds),
        ]),
      ),
    );
  }
  return { status: 'ok' };
}
