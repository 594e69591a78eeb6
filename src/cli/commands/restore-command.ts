import { UsageError } from '../../core/errors.js';
import { prepareRestore } from '../../workflows/run/start-run.js';
import type { RestoreRequest, ServiceDeps } from '../../workflows/service.js';
import type { CliContext } from '../cli-context.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { chalkFor, kindOfFlag, report, reportRun, serviceFor } from './command-support.js';
import { formatSummary } from '../print-summary.js';
import { confirmFleet, fleetCommand, fleetIdentifiers, isFleet, singleIdentifier, type FleetFlags } from './fleet-support.js';

/** `trapheus restore` options; `--identifier a,b,c`, `--identifiers-file` or `--tag`: a fleet (fleet-support.ts). */
export interface RestoreOptions extends FleetFlags {
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
  /** `--source-region`: the --snapshot is in that region (copied here first). */
  sourceRegion?: string;
}

/**
 * Plan and preflight (read-only), then — after confirmation — run. Without a terminal and
 * without --yes it refuses before any AWS call: a cron job must say yes explicitly.
 */
export async function restoreCommand(opts: RestoreOptions, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  if (!isFleet(opts)) singleIdentifier(opts); // which database, before anything else
  if (!opts.dryRun && !opts.yes && (!ctx.output.canPrompt || globals.json)) {
    throw new UsageError(
      ctx.output.canPrompt
        ? 'restore replaces the database and needs confirmation, but --json does not prompt (stdout is for the JSON document).'
        : 'restore replaces the database and needs confirmation, but there is no terminal to ask on.',
      { hint: 'Add --yes to run it from CI or cron (or --dry-run to only see the plan).' },
    );
  }
  if (isFleet(opts)) return restoreFleet(opts, globals, ctx);
  const identifier = singleIdentifier(opts);
  const deps = await serviceFor(globals, ctx);
  const prepared = await prepareRestore(deps, requestFor(opts, identifier));
  if (opts.dryRun || !prepared.ok) {
    await prepared.release();
    return report('restore', prepared.summary, globals, ctx);
  }
  if (!opts.yes) {
    ctx.output.err(formatSummary(prepared.summary, chalkFor(globals, ctx), { confirming: true }));
    let answer: string;
    try {
      answer = await ctx.output.ask(
        `\nThis replaces ${identifier} with ${prepared.summary.source?.description ?? `snapshot ${prepared.summary.snapshotIdentifier ?? '?'}`}. Type the identifier to continue: `,
      );
    } catch (error) {
      await prepared.release(); // Ctrl-C at the prompt: nothing was changed
      throw error;
    }
    // Identifiers are case-insensitive, as in RDS (the command line lower-cases --identifier).
    if (answer.trim().toLowerCase() !== identifier.toLowerCase()) {
      await prepared.release();
      throw new UsageError(`Confirmation "${answer.trim()}" does not match ${identifier}; nothing was changed.`);
    }
  }
  return reportRun('restore', await prepared.start(), globals, ctx);
}

/** The single run's request for one database. */
function requestFor(opts: RestoreOptions, identifier: string): RestoreRequest {
  return {
    identifier,
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
    sourceRegion: opts.sourceRegion,
  };
}

/**
 * A fleet: one confirmation for all (in a terminal without --yes), then per database the single
 * run's path — prepare (lock, preflight), then start — or with --dry-run the plan only.
 */
async function restoreFleet(opts: RestoreOptions, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  let deps: ServiceDeps | undefined;
  const service = async () => (deps ??= await serviceFor(globals, ctx));
  const ids = await fleetIdentifiers(opts, kindOfFlag(opts.cluster), service);
  if (!opts.dryRun && !opts.yes) await confirmFleet(ids, describeSource(opts), globals, ctx);
  return fleetCommand(
    'restore',
    opts,
    ids,
    await service(),
    async (runDeps, identifier) => {
      const prepared = await prepareRestore(runDeps, requestFor(opts, identifier));
      if (opts.dryRun || !prepared.ok) {
        await prepared.release();
        return prepared.summary;
      }
      return (await prepared.start()).summary;
    },
    globals,
    ctx,
  );
}

/** What each database of a fleet is restored from, in a few words (for the one confirmation). */
function describeSource(opts: RestoreOptions): string {
  if (opts.toTime) return `${opts.from ? `${opts.from}'s` : 'its'} state at ${opts.toTime}`;
  if (opts.latestRestorable) return `${opts.from ? `${opts.from}'s` : 'its'} latest restorable state`;
  if (opts.snapshot) return `snapshot ${opts.snapshot}`;
  if (opts.freshSnapshot) return 'a fresh snapshot of itself';
  if (opts.from) return `the newest snapshot of ${opts.from}`;
  return 'its newest snapshot';
}
