import { UsageError } from '../../core/errors.js';
import { prepareClone } from '../../workflows/clone/prepare-clone.js';
import type { CliContext } from '../cli-context.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { formatSummary } from '../print-summary.js';
import { chalkFor, kindOfFlag, report, reportRun, serviceFor } from './command-support.js';

/** `trapheus clone` options. */
export interface CloneOptions {
  identifier: string;
  target: string;
  cluster?: boolean;
  snapshot?: string;
  freshSnapshot?: boolean;
  /** `--to-time`: a point in time of the source (ISO 8601 with an offset). */
  toTime?: string;
  latestRestorable?: boolean;
  instanceClass?: string;
  subnetGroup?: string;
  /** Comma-separated VPC security group ids. */
  securityGroups?: string;
  parameterGroup?: string;
  /** `--manage-master-password`. */
  manageMasterPassword?: boolean;
  dryRun?: boolean;
  yes?: boolean;
}

/**
 * Plan and preflight (read-only), then — after confirmation — create the clone. Nothing of the
 * source is changed; without a terminal and without --yes it refuses before any AWS call.
 */
export async function cloneCommand(opts: CloneOptions, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  if (!opts.dryRun && !opts.yes && (!ctx.output.canPrompt || globals.json)) {
    throw new UsageError(
      ctx.output.canPrompt
        ? 'clone creates a database and needs confirmation, but --json does not prompt (stdout is for the JSON document).'
        : 'clone creates a database and needs confirmation, but there is no terminal to ask on.',
      { hint: 'Add --yes to run it from CI or cron (or --dry-run to only see the plan).' },
    );
  }
  const securityGroups = opts.securityGroups?.split(',').map((s) => s.trim().toLowerCase());
  const deps = await serviceFor(globals, ctx);
  const prepared = await prepareClone(deps, {
    identifier: opts.identifier,
    target: opts.target,
    kind: kindOfFlag(opts.cluster),
    snapshot: opts.snapshot,
    freshSnapshot: Boolean(opts.freshSnapshot),
    toTime: opts.toTime,
    latestRestorable: opts.latestRestorable,
    overrides: {
      ...(opts.instanceClass ? { instanceClass: opts.instanceClass } : {}),
      ...(opts.subnetGroup ? { dbSubnetGroupName: opts.subnetGroup } : {}),
      ...(securityGroups ? { vpcSecurityGroupIds: securityGroups.filter((s) => s !== '') } : {}),
      ...(opts.parameterGroup ? { parameterGroupName: opts.parameterGroup } : {}),
    },
    manageMasterUserPassword: opts.manageMasterPassword,
  });
  if (opts.dryRun || !prepared.ok) {
    await prepared.release();
    return report('clone', prepared.summary, globals, ctx);
  }
  if (!opts.yes) {
    ctx.output.err(formatSummary(prepared.summary, chalkFor(globals, ctx), { confirming: true }));
    let answer: string;
    try {
      answer = await ctx.output.ask(
        `\nThis creates ${opts.target} from ${prepared.summary.source?.description ?? `snapshot ${prepared.summary.snapshotIdentifier ?? '?'}`} of ${opts.identifier}. Type ${opts.target} to continue: `,
      );
    } catch (error) {
      await prepared.release(); // Ctrl-C at the prompt: nothing was changed
      throw error;
    }
    if (answer.trim().toLowerCase() !== opts.target.toLowerCase()) {
      await prepared.release();
      throw new UsageError(`Confirmation "${answer.trim()}" does not match ${opts.target}; nothing was changed.`);
    }
  }
  return reportRun('clone', await prepared.start(), globals, ctx);
}
