import type { ExportGateway } from '../aws/export-gateway.js';
import type { RdsGateway } from '../aws/rds-gateway.js';
import type { InstanceInfo } from '../core/rds-resources.js';
import type { ExportPlan } from './export/export-plan.js';
import { startExportStep } from './export/start-export-step.js';
import { InternalError, StepError } from '../core/errors.js';
import type { Step, Workflow } from '../engine/step.js';
import { diffInstanceConfig, pendingModification } from './instance-settings.js';
import { identityOf, isSameResource } from '../core/resource-identity.js';
import { deletePartialCopy, renameAway, renameBack, resourceOps, retiredOriginal, waitOpts } from './resource-ops.js';
import type { InstanceRestorePlan, InstanceRestoreState } from './instance-restore-plan.js';
import { snapshotOps } from './snapshot-ops.js';
import { createSnapshotStep, pruneSnapshotsStep, type SnapshotStepContext } from './snapshot-steps.js';

/** What the instance restore steps work with. */
export interface InstanceRestoreContext {
  rds: RdsGateway;
  exports?: ExportGateway | undefined;
  now: () => Date;
  runId: string;
  plan: InstanceRestorePlan;
  state: InstanceRestoreState;
}

function original(ctx: InstanceRestoreContext) {
  const captured = ctx.state.original;
  if (!captured) throw new InternalError('The original instance was not captured before the first change.');
  return captured;
}

/** Is this instance the original (same DbiResourceId, which survives renames)? */
const isOriginal = (ctx: InstanceRestoreContext, info: InstanceInfo | undefined): boolean => isSameResource(info, original(ctx));

const snapshotContext = (ctx: InstanceRestoreContext): SnapshotStepContext => ({
  snapshots: snapshotOps(ctx.rds, false),
  runId: ctx.runId,
  sourceIdentifier: ctx.plan.identifier,
  snapshotIdentifier: ctx.plan.snapshotIdentifier,
  retain: ctx.plan.retain,
  protectedSnapshot: ctx.plan.snapshotIdentifier,
});

const capture: Step<InstanceRestoreContext> = {
  id: 'capture-original',
  title: 'Capture the configuration of the original instance',
  async run(ctx) {
    if (ctx.state.original) return; // captured by an earlier attempt: keep the first capture
    const info = await ctx.rds.describeInstance(ctx.plan.identifier);
    if (!info) throw new StepError(`DB instance ${ctx.plan.identifier} no longer exists.`);
    ctx.state.original = {
      identifier: info.identifier,
      ...identityOf(info),
      arn: info.arn,
      endpoint: info.endpoint,
      config: info.config,
    };
  },
};

const target = (ctx: InstanceRestoreContext) => ({ name: ctx.plan.identifier, retired: ctx.plan.retiredIdentifier, identity: original(ctx) });

/** Where the snapshot is restored: under the original name (rename-first) or aside (swap). */
const restoreName = (ctx: InstanceRestoreContext): string => (ctx.plan.strategy === 'swap' && ctx.plan.restoringIdentifier) || ctx.plan.identifier;

function restoredIdentity(ctx: InstanceRestoreContext) {
  if (!ctx.state.restored) throw new InternalError('The restored copy was not recorded before the cut-over.');
  return ctx.state.restored;
}

/** Downtime starts when the original is renamed away (clients lose the name) … */
function downtimeStarts(ctx: InstanceRestoreContext): void {
  ctx.state.downtime ??= { startedAt: ctx.now().toISOString() };
}

/** … and ends when the original name answers as available again (the restored copy, or the original put back). */
function downtimeEnds(ctx: InstanceRestoreContext): void {
  if (ctx.state.downtime?.startedAt && !ctx.state.downtime.endedAt) ctx.state.downtime.endedAt = ctx.now().toISOString();
}

const rename: Step<InstanceRestoreContext> = {
  id: 'rename-original',
  title: 'Rename the original instance out of the way',
  compensateTitle: 'Rename the original instance back',
  causesDowntime: true,
  run: (ctx, io) =>
    renameAway(resourceOps(ctx.rds, 'instance'), target(ctx), io, async () => {
      ctx.state.renameRequested = true;
      downtimeStarts(ctx);
      await io.checkpoint();
    }),
  async compensate(ctx, io) {
    await renameBack(resourceOps(ctx.rds, 'instance'), target(ctx), io);
    downtimeEnds(ctx);
  },
};

const restore: Step<InstanceRestoreContext> = {
  id: 'restore-snapshot',
  title: 'Restore the snapshot',
  compensateTitle: 'Delete the partly restored instance',
  async run(ctx, io) {
    const { snapshotIdentifier } = ctx.plan;
    const identifier = restoreName(ctx);
    const current = await ctx.rds.describeInstance(identifier);
    if (isOriginal(ctx, current)) throw new InternalError(`${identifier} is still the original: it was not renamed.`);
    if (!current) {
      // Deletion protection is applied with the other settings once the copy is available:
      // until it is verified, the copy must stay deletable so that a revert can remove it.
      const config = { ...original(ctx).config, deletionProtection: false };
      await ctx.rds.restoreInstance({ identifier, snapshotIdentifier, config });
    }
    const restored = await ctx.rds.waitInstanceAvailable(identifier, waitOpts(io));
    ctx.state.restored = identityOf(restored);
    if (identifier === ctx.plan.identifier) downtimeEnds(ctx);
  },
  compensate: (ctx, io) => deletePartialCopy(resourceOps(ctx.rds, 'instance'), restoreName(ctx), original(ctx), io),
};

const restoredTarget = (ctx: InstanceRestoreContext) => ({ name: restoreName(ctx), retired: ctx.plan.identifier, identity: restoredIdentity(ctx) });

/** Swap's second rename: the prepared copy takes the original's name (and endpoint). */
const renameRestored: Step<InstanceRestoreContext> = {
  id: 'rename-restored',
  title: 'Rename the restored instance to the original identifier',
  compensateTitle: 'Rename the restored instance back to its temporary identifier',
  causesDowntime: true,
  async run(ctx, io) {
    await renameAway(resourceOps(ctx.rds, 'instance'), restoredTarget(ctx), io, async () => undefined);
    downtimeEnds(ctx);
  },
  compensate: (ctx, io) => renameBack(resourceOps(ctx.rds, 'instance'), restoredTarget(ctx), io),
};

/** The restored instance under the original name, refusing to act on the original itself. */
async function restoredInstance(ctx: InstanceRestoreContext): Promise<InstanceInfo> {
  const name = restoreName(ctx);
  const info = await ctx.rds.describeInstance(name);
  if (!info) throw new StepError(`The restored instance ${name} has disappeared.`);
  if (isOriginal(ctx, info)) throw new InternalError(`${name} is the original, not the restored copy.`);
  return info;
}

const applySettings: Step<InstanceRestoreContext> = {
  id: 'apply-settings',
  title: 'Apply the settings the restore call does not take',
  async run(ctx, io) {
    const restored = await restoredInstance(ctx);
    const changes = pendingModification(original(ctx).config, restored.config);
    if (Object.keys(changes).length > 0) {
      io.status(`modifying ${Object.keys(changes).join(', ')}`);
      await ctx.rds.modifyInstance(restored.identifier, changes);
    }
    await ctx.rds.waitInstanceAvailable(restored.identifier, waitOpts(io));
  },
};

const verify: Step<InstanceRestoreContext> = {
  id: 'verify',
  title: 'Verify the restored instance against the original',
  async run(ctx, io) {
    const restored = await restoredInstance(ctx);
    if (restored.status !== 'available') {
      throw new StepError(`The restored instance is ${restored.status}, not available.`);
    }
    const differences = diffInstanceConfig(ctx.plan.identifier, original(ctx).config, restored.config);
    const firstCheck = ctx.state.configDifferences === undefined;
    ctx.state.configDifferences = differences;
    if (firstCheck) {
      for (const d of differences) {
        await io.notice(
          'warning',
          `${d.resource}: ${d.setting} is ${JSON.stringify(d.actual)}, the original had ${JSON.stringify(d.expected)}.`,
        );
      }
    }
  },
};

const unprotect: Step<InstanceRestoreContext> = {
  id: 'unprotect-original',
  title: 'Turn off deletion protection on the renamed original',
  async run(ctx, io) {
    const retired = await retiredOriginal(resourceOps(ctx.rds, 'instance'), ctx.plan.retiredIdentifier, original(ctx));
    if (!retired || !retired.deletionProtection || retired.status === 'deleting') return;
    await ctx.rds.modifyInstance(ctx.plan.retiredIdentifier, { deletionProtection: false });
    await ctx.rds.waitInstanceAvailable(ctx.plan.retiredIdentifier, waitOpts(io));
  },
};

const deleteRetired: Step<InstanceRestoreContext> = {
  id: 'delete-original',
  title: 'Delete the renamed original',
  async run(ctx, io) {
    const retired = await retiredOriginal(resourceOps(ctx.rds, 'instance'), ctx.plan.retiredIdentifier, original(ctx));
    if (!retired) return;
    if (retired.status !== 'deleting') {
      await ctx.rds.deleteInstance(ctx.plan.retiredIdentifier, {
        finalSnapshotIdentifier: ctx.plan.finalSnapshotIdentifier,
        keepAutomatedBackups: ctx.plan.keepAutomatedBackups,
      });
    }
    await ctx.rds.waitInstanceDeleted(ctx.plan.retiredIdentifier, waitOpts(io));
  },
};

/** Starts the export of the snapshot restored from, before the original is touched; never fails the run. */
const exportStep = (exportPlan: ExportPlan): Step<InstanceRestoreContext> =>
  startExportStep((ctx) => ({ exports: ctx.exports, snapshots: snapshotOps(ctx.rds, false), snapshotIdentifier: ctx.plan.snapshotIdentifier, plan: exportPlan, state: ctx.state }));

/**
 * Restore of one DB instance in place. rename-first: rename the original away, restore the
 * snapshot under its name, carry the configuration over, verify. swap: restore and prepare the
 * copy aside while the original keeps serving, verify, then cut over with two renames. Either
 * way the original is deleted only after that point.
 */
export function instanceRestoreWorkflow(plan: InstanceRestorePlan): Workflow<InstanceRestoreContext> {
  const fresh = plan.snapshotSource === 'fresh';
  const before = [capture, ...(fresh ? [createSnapshotStep(snapshotContext)] : []), ...(plan.export ? [exportStep(plan.export)] : [])];
  const after = [unprotect, deleteRetired, ...(fresh ? [pruneSnapshotsStep(snapshotContext)] : [])];
  if (plan.strategy === 'swap') {
    // The original is not touched before the copy is verified; a failure up to the end of the
    // cut-over puts both back where they were.
    return { steps: [...before, restore, applySettings, verify, rename, renameRestored, ...after], pointOfNoReturn: renameRestored.id };
  }
  return { steps: [...before, rename, restore, applySettings, verify, ...after], pointOfNoReturn: verify.id };
}
