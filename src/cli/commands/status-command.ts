import { showRunStanding } from '../../workflows/run/list-runs.js';
import type { CliContext } from '../cli-context.js';
import { describeEvent } from '../reporters/plain-reporter.js';
import { formatTable } from '../format.js';
import { formatSummary } from '../print-summary.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { jsonDocument } from '../json-documents.js';
import { printJson } from '../output.js';
import { chalkFor, flagsOf } from './command-support.js';

/** `trapheus status RUN_ID`: the run's summary, its steps, then its events; a run whose process is gone is said crashed. */
export async function statusCommand(runId: string, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  const deps = await ctx.deps.journal({ flags: flagsOf(globals), env: ctx.env });
  const { summary, events, standing } = await showRunStanding(deps, runId);
  if (globals.json) {
    const { command: runCommand, status: _status, ...rest } = summary;
    printJson(ctx.output, jsonDocument('status', { status: standing, runCommand, ...rest, events }));
    return { status: 'ok' };
  }
  ctx.output.out(formatSummary(summary, chalkFor(globals, ctx), { standing }));
  if (standing === 'crashed') {
    ctx.output.out(
      `\nCrashed: its process is gone (killed, out of memory, or the host restarted). Continue: trapheus resume ${runId}   revert: trapheus abort ${runId}`,
    );
  }
  ctx.output.out(
    `\n${formatTable(
      ['STEP', 'STATUS', 'ATTEMPTS', 'STARTED', 'ENDED'],
      summary.steps.map((s) => [s.id, s.status, String(s.attempts), s.startedAt ?? '-', s.endedAt ?? '-']),
    )}`,
  );
  ctx.output.out('\nEvents:');
  for (const event of events) {
    const line = describeEvent(event);
    if (line) ctx.output.out(`  ${event.at} ${line}`);
  }
  return { status: 'ok' };
}
