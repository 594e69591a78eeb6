import type { ExportGateway } from '../aws/export-gateway.js';
import type { InstanceInfo, RdsGateway } from '../aws/rds-gateway.js';
import type { ExportPlan } from './export/export-plan.js';
import { startExportStep } from './export/start-export-step.js';
import { InternalError, StepError } from '../engine/errors.js';
import type { Step, Workflow } from '../engine/step.js';
import { diffInstanceConfig, pendingModification } from './instance-settings.js';
import { identityOf, isSameResource } from './resource-identity.js';
import { deletePartialCopy, renameAway, renameBack, resourceOps, retiredOriginal, waitOpts } from './resource-ops.js';
import type { InstanceRestorePlan, InstanceRestoreState } from './instance-restore-plan.js';
import { snapshotOps } from './snapshot-ops.js';
import { createSnapshotStep, pruneSnapshotsStep, type SnapshotStepContext } from './snapshot-steps.js';

/** What the instance restore steps work with. */
export interface InstanceRestoreContext {
  rds: RdsGateway;
  exports?: ExportGateway | undefined;
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

const rename: Step<InstanceRestoreContext> = {
  id: 'rename-original',
  title: 'Rename the original instance out of the way',
  compensateTitle: 'Rename the original instance back',
  run: (ctx, io) =>
    renameAway(resourceOps(ctx.rds, 'instance'), target(ctx), io, async () => {
      ctx.state.renameRequested = true;
      await io.checkpoint();
    }),
  compensate: (ctx, io) => renameBack(resourceOps(ctx.rds, 'instance'), target(ctx), io),
};

const restore: Step<InstanceRestoreContext> = {
  id: 'restore-snapshot',
  title: 'Restore the snapshot under the original identifier',
  compensateTitle: 'Delete the partly restored instance',
  async run(ctx, io) {
    const { identifier, snapshotIdentifier } = ctx.plan;
    const current = await ctx.rds.describeInstance(identifier);
    if (isOriginal(ctx, current)) throw new InternalError(`${identifier} is still the original: it was not renamed.`);
    if (!current) {
      // Deletion protection is applied with the other settings once the copy is available:
      // until it is verified, the copy must stay deletable so that a revert can remove it.
      const config = { ...original(ctx).config, deletionProtection: false };
      await ctx.rds.restoreInstance({ identifier, snapshotIdentifier, config });
    }
    await ctx.rds.waitInstanceAvailable(identifier, waitOpts(io));
  },
  compensate: (ctx, io) => deletePartialCopy(resourceOps(ctx.rds, 'instance'), ctx.plan.identifier, original(ctx), io),
};

/** The restored instance under the original name, refusing to act on the original itself. */
async function restoredInstance(ctx: InstanceRestoreContext): Promise<InstanceInfo> {
  const info = await ctx.rds.describeInstance(ctx.plan.identifier);
  if (!info) throw new StepError(`The restored instance ${ctx.plan.identifier} has disappeared.`);
  if (isOriginal(ctx, info)) throw new InternalError(`${ctx.plan.identifier} is the original, not the restored copy.`);
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
      await ctx.rds.modifyInstance(ctx.plan.identifier, changes);
    }
    await ctx.rds.waitInstanceAvailable(ctx.plan.identifier, waitOpts(io));
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
 * Rename-first restore of one DB instance: rename the original away, restore the snapshot under
 * its name, carry the configuration over, verify, and only then delete the original.
 */
export function instanceRestoreWorkflow(plan: InstanceRestorePlan): Workflow<InstanceRestoreContext> {
  const fresh = plan.snapshotSource === 'fresh';
  return {
    steps: [
      capture,
      ...(fresh ? [createSnapshotStep(snapshotContext)] : []),
      ...(plan.export ? [exportStep(plan.export)] : []),
      rename,
      restore,
      applySettings,
      verify,
      unprotect,
      deleteRetired,
      ...(fresh ? [pruneSnapshotsStep(snapshotContext)] : []),
    ],
    pointOfNoReturn: verify.id,
  };
}
