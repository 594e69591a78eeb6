import { UsageError } from '../../core/errors.js';
import { prepareRestore } from '../../workflows/run/start-run.js';
import type { CliContext } from '../cli-context.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { chalkFor, kindOfFlag, report, reportRun, serviceFor } from './command-support.js';
import { formatSummary } from '../print-summary.js';

/** `trapheus restore` options. */
export interface RestoreOptions {
  identifier: string;
  cluster?: boolean;
  snapshot?: string;
  freshSnapshot?: boolean;
  finalSnapshot?: boolean;
  /** `--manage-master-password`. */
  manageMasterPassword?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  export?: boolean;
  strategy?: 'swap' | 'rename-first';
  /** `--from`: another database's data, this one's configuration. */
  from?: string;
  /** `--to-time`: point-in-time restore (ISO 8601 with offset). */
  toTime?: string;
  /** `--latest-restorable`. */
  latestRestorable?: boolean;
}

/**
 * Plan and preflight (read-only), then — after confirmation — run. Without a terminal and
 * without --yes it refuses before any AWS call: a cron job must say yes explicitly.
 */
export async function restoreCommand(opts: RestoreOptions, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  if (!opts.dryRun && !opts.yes && (!ctx.output.canPrompt || globals.json)) {
    throw new UsageError(
      ctx.output.canPrompt
        ? 'restore replaces the database and needs confirmation, but --json does not prompt (stdout is for the JSON document).'
        : 'restore replaces the database and needs confirmation, but there is no terminal to ask on.',
      { hint: 'Add --yes to run it from CI or cron (or --dry-run to only see the plan).' },
    );
  }
  const deps = await serviceFor(globals, ctx);
  const prepared = await prepareRestore(deps, {
    identifier: opts.identifier,
    kind: kindOfFlag(opts.cluster),
    snapshot: opts.snapshot,
    freshSnapshot: Boolean(opts.freshSnapshot),
    export: opts.export ? {} : undefined,
    strategy: opts.strategy,
    finalSnapshot: opts.finalSnapshot,
    manageMasterUserPassword: opts.manageMasterPassword,
    from: opts.from,
    toTime: opts.toTime,
    latestRestorable: opts.latestRestorable,
  });
  if (opts.dryRun || !prepared.ok) {
    await prepared.release();
    return report('restore', prepared.summary, globals, ctx);
  }
  if (!opts.yes) {
    ctx.output.err(formatSummary(prepared.summary, chalkFor(globals, ctx), { confirming: true }));
    let answer: string;
    try {
      answer = await ctx.output.ask(
        `\nThis replaces ${opts.identifier} with ${prepared.summary.source?.description ?? `snapshot ${prepared.summary.snapshotIdentifier ?? '?'}`}. Type the identifier to continue: `,
      );
    } catch (error) {
      await prepared.release(); // Ctrl-C at the prompt: nothing was changed
      throw error;
    }
    // Identifiers are case-insensitive, as in RDS (the command line lower-cases --identifier).
    if (answer.trim().toLowerCase() !== opts.identifier.toLowerCase()) {
      await prepared.release();
      throw new UsageError(`Confirmation "${answer.trim()}" does not match ${opts.identifier}; nothing was changed.`);
    }
  }
  return reportRun('restore', await prepared.start(), globals, ctx);
}
