import { listRunsWithStanding } from '../../workflows/run/list-runs.js';
import type { CliContext } from '../cli-context.js';
import { formatDuration, formatTable } from '../format.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { printJson } from '../output.js';
import { flagsOf } from './command-support.js';

/** `trapheus runs`: every journaled run, newest first (crashed ones said so), then every run file that cannot be read. */
export async function runsCommand(globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  const deps = await ctx.deps.journal({ flags: flagsOf(globals), env: ctx.env });
  const { runs } = await listRunsWithStanding(deps);
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
    const unreadable = runs.filter((r) => r.status === 'unreadable');
    if (unreadable.length > 0) {
      ctx.output.out('\nUnreadable run files (they block new runs of the database they may concern):');
      for (const u of unreadable) ctx.output.out(`  ${u.file ?? u.runId}: ${u.reason ?? ''}`);
    }
  }
  return { status: 'ok' };
}
