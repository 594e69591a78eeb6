import { UsageError } from '../../core/errors.js';
import { listRunsWithStanding } from '../../workflows/run/list-runs.js';
import { DEFAULT_RETENTION, pruneRuns, type PruneResult } from '../../workflows/run/prune-runs.js';
import { flagsOf, type CliContext } from '../cli-context.js';
import { formatDuration, formatTable } from '../format.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { printJson } from '../output.js';

/** How many runs `trapheus runs` shows unless told otherwise (--limit, --all). */
export const DEFAULT_RUNS_LIMIT = 20;

/** The options of `trapheus runs`, as commander gives them. */
export interface RunsOptions {
  limit?: string | undefined;
  all?: boolean | undefined;
  prune?: boolean | undefined;
  dryRun?: boolean | undefined;
}

/**
 * `trapheus runs`: the newest runs (20 unless --limit N or --all) and every run that may be
 * unfinished, newest first (crashed ones said so), then the run files among them that cannot be
 * read. `--prune` deletes the journals of finished runs the retention (journal.retention) no
 * longer keeps; `--dry-run` shows them and deletes nothing.
 */
export async function runsCommand(options: RunsOptions, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  const limit = checkOptions(options);
  const deps = await ctx.deps.journal({ flags: flagsOf(globals), env: ctx.env });
  if (options.prune) {
    const result = await pruneRuns(deps, deps.retention ?? DEFAULT_RETENTION, { dryRun: Boolean(options.dryRun) });
    if (globals.json) printJson(ctx.output, (await jsonDocuments()).jsonDocument('runs', { status: 'ok', prune: result }));
    else printPrune(ctx, result);
    return { status: 'ok' };
  }
  const { runs, stored } = await listRunsWithStanding(deps, limit);
  if (globals.json) {
    printJson(ctx.output, (await jsonDocuments()).jsonDocument('runs', { status: 'ok', runs, stored }));
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
    if (limit !== undefined && stored > limit) {
      ctx.output.out(
        `\nThe ${limit} newest of ${stored} runs, and every unfinished one. All of them: trapheus runs --all   (or --limit N)`,
      );
    }
  }
  return { status: 'ok' };
}

/** The JSON documents (and the zod schemas they are checked with) are imported for --json only: `runs` starts fast. */
const jsonDocuments = () => import('../json-documents.js');

/** The number of runs to show (undefined: all), after refusing options that do not go together. */
function checkOptions(options: RunsOptions): number | undefined {
  if (options.dryRun && !options.prune) {
    throw new UsageError('--dry-run goes with --prune.', { hint: 'trapheus runs --prune --dry-run   shows what a prune would delete.' });
  }
  if (options.prune && (options.all || options.limit !== undefined)) {
    throw new UsageError('--prune does not take --all or --limit.', {
      hint: 'Set how much to keep in journal.retention (days, keep) of the config file.',
    });
  }
  if (options.all && options.limit !== undefined) {
    throw new UsageError('--all and --limit do not go together.', { hint: 'trapheus runs --all   or   trapheus runs --limit 50' });
  }
  if (options.all) return undefined;
  if (options.limit === undefined) return DEFAULT_RUNS_LIMIT;
  const limit = /^\d+$/.test(options.limit.trim()) ? Number(options.limit.trim()) : NaN;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new UsageError(`--limit must be a whole number of runs, at least 1 (got "${options.limit}").`, {
      hint: 'trapheus runs --limit 50   (every run: trapheus runs --all)',
    });
  }
  return limit;
}

function printPrune(ctx: CliContext, result: PruneResult): void {
  const { days, keep } = result.retention;
  const rules = [
    days > 0 ? `older than ${days} day${days === 1 ? '' : 's'}` : '',
    keep > 0 ? `beyond the newest ${keep} of each database` : '',
  ].filter(Boolean);
  const rule = `finished runs${rules.length > 0 ? ` ${rules.join(', ')}` : ''}`;
  if (result.removed.length === 0) {
    ctx.output.out(`Nothing to prune (${rule}).`);
  } else {
    ctx.output.out(
      `${result.dryRun ? 'Would delete' : 'Deleted'} ${result.removed.length} run${result.removed.length === 1 ? '' : 's'} (${rule}):`,
    );
    ctx.output.out(
      formatTable(
        ['RUN ID', 'COMMAND', 'IDENTIFIER', 'STATUS', 'STARTED'],
        result.removed.map((r) => [r.runId, r.command, r.identifier, r.status, r.startedAt]),
      ),
    );
  }
  if (result.unfinished.length > 0) {
    ctx.output.out(`\nKept, not finished (resume or abort them): ${result.unfinished.join(', ')}`);
  }
  if (result.unreadable.length > 0) {
    ctx.output.out('\nKept, cannot be read (inspect or move them yourself):');
    for (const u of result.unreadable) ctx.output.out(`  ${u.runId}: ${u.reason}`);
  }
  ctx.output.out(
    `\n${result.kept} run${result.kept === 1 ? '' : 's'} ${result.dryRun ? 'would be ' : ''}left.${result.dryRun ? ' Nothing was deleted (--dry-run).' : ''}`,
  );
}
