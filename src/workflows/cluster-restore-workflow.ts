import type { ExportGateway } from '../aws/export-gateway.js';
import type { ClusterInfo, RdsGateway } from '../aws/rds-gateway.js';
import type { ExportPlan } from './export/export-plan.js';
import { startExportStep } from './export/start-export-step.js';
import { InternalError, StepError } from '../engine/errors.js';
import type { Step, Workflow } from '../engine/step.js';
import type { CapturedCluster, CapturedMember, ClusterRestorePlan, ClusterRestoreState } from './cluster-restore-plan.js';
import { diffClusterConfig, diffMemberConfig, pendingClusterModification, pendingMemberModification } from './cluster-settings.js';
import { identityOf, isSameResource } from './resource-identity.js';
import { deletePartialCopy, renameAway, renameBack, resourceOps, retiredOriginal, waitOpts } from './resource-ops.js';
import { snapshotOps } from './snapshot-ops.js';
import { createSnapshotStep, pruneSnapshotsStep, type SnapshotStepContext } from './snapshot-steps.js';

/** What the cluster restore steps work with. */
export interface ClusterRestoreContext {
  rds: RdsGateway;
  exports?: ExportGateway | undefined;
  runId: string;
  plan: ClusterRestorePlan;
  state: ClusterRestoreState;
}

function original(ctx: ClusterRestoreContext): CapturedCluster {
  if (!ctx.state.original) throw new InternalError('The original cluster was not captured before the first change.');
  return ctx.state.original;
}

/** Members in the order they are recreated: the writer first, so that it is the writer again. */
function membersWriterFirst(ctx: ClusterRestoreContext): CapturedMember[] {
  return [...original(ctx).members].sort((a, b) => Number(b.isWriter) - Number(a.isWriter));
}

function retiredNameOf(ctx: ClusterRestoreContext, member: string): string {
  const entry = ctx.plan.members.find((m) => m.identifier === member);
  if (!entry) throw new InternalError(`Member ${member} is not in the plan.`);
  return entry.retiredIdentifier;
}

const snapshotContext = (ctx: ClusterRestoreContext): SnapshotStepContext => ({
  snapshots: snapshotOps(ctx.rds, true),
  runId: ctx.runId,
  sourceIdentifier: ctx.plan.identifier,
  snapshotIdentifier: ctx.plan.snapshotIdentifier,
  retain: ctx.plan.retain,
  protectedSnapshot: ctx.plan.snapshotIdentifier,
});

const capture: Step<ClusterRestoreContext> = {
  id: 'capture-original',
  title: 'Capture the configuration of the original cluster and its members',
  async run(ctx) {
    if (ctx.state.original) return;
    const cluster = await ctx.rds.describeCluster(ctx.plan.identifier);
    if (!cluster) throw new StepError(`DB cluster ${ctx.plan.identifier} no longer exists.`);
    const members: CapturedMember[] = [];
    for (const planned of ctx.plan.members) {
      const info = await ctx.rds.describeInstance(planned.identifier);
      const membership = cluster.members.find((m) => m.instanceIdentifier === planned.identifier);
      if (!info || !membership) throw new StepError(`Member ${planned.identifier} of ${ctx.plan.identifier} no longer exists.`);
      members.push({ identifier: info.identifier, ...identityOf(info), isWriter: membership.isWriter, promotionTier: info.promotionTier ?? membership.promotionTier, config: info.config });
    }
    ctx.state.original = { identifier: cluster.identifier, ...identityOf(cluster), arn: cluster.arn, config: cluster.config, members };
  },
};

const renameMembers: Step<ClusterRestoreContext> = {
  id: 'rename-members',
  title: 'Rename the member instances out of the way',
  compensateTitle: 'Rename the member instances back',
  async run(ctx, io) {
    const ops = resourceOps(ctx.rds, 'instance');
    await Promise.all(
      original(ctx).members.map((m) =>
        renameAway(ops, { name: m.identifier, retired: retiredNameOf(ctx, m.identifier), identity: m }, io, async () => {
          ctx.state.renameRequested = true;
          await io.checkpoint();
        }),
      ),
    );
  },
  async compensate(ctx, io) {
    const ops = resourceOps(ctx.rds, 'instance');
    await Promise.all(original(ctx).members.map((m) => renameBack(ops, { name: m.identifier, retired: retiredNameOf(ctx, m.identifier), identity: m }, io)));
  },
};

const clusterTarget = (ctx: ClusterRestoreContext) => ({ name: ctx.plan.identifier, retired: ctx.plan.retiredIdentifier, identity: original(ctx) });

const renameCluster: Step<ClusterRestoreContext> = {
  id: 'rename-cluster',
  title: 'Rename the original cluster out of the way',
  compensateTitle: 'Rename the original cluster back',
  run: (ctx, io) =>
    renameAway(resourceOps(ctx.rds, 'cluster'), clusterTarget(ctx), io, async () => {
      ctx.state.renameRequested = true;
      await io.checkpoint();
    }),
  compensate: (ctx, io) => renameBack(resourceOps(ctx.rds, 'cluster'), clusterTarget(ctx), io),
};

const restoreCluster: Step<ClusterRestoreContext> = {
  id: 'restore-cluster',
  title: 'Restore the cluster snapshot under the original identifier',
  compensateTitle: 'Delete the partly restored cluster',
  async run(ctx, io) {
    const { identifier, snapshotIdentifier } = ctx.plan;
    const current = await ctx.rds.describeCluster(identifier);
    if (isSameResource(current, original(ctx))) throw new InternalError(`${identifier} is still the original cluster: it was not renamed.`);
    if (!current) {
      // As for instances: the copy stays deletable until verified; apply-settings turns protection back on.
      await ctx.rds.restoreCluster({ identifier, snapshotIdentifier, config: { ...original(ctx).config, deletionProtection: false } });
    }
    await ctx.rds.waitClusterAvailable(identifier, waitOpts(io));
  },
  compensate: (ctx, io) => deletePartialCopy(resourceOps(ctx.rds, 'cluster'), ctx.plan.identifier, original(ctx), io),
};

const createMembers: Step<ClusterRestoreContext> = {
  id: 'create-members',
  title: 'Recreate the member instances, the writer first',
  compensateTitle: 'Delete the recreated member instances',
  async run(ctx, io) {
    const [writer, ...readers] = membersWriterFirst(ctx);
    const create = async (member: CapturedMember) => {
      const current = await ctx.rds.describeInstance(member.identifier);
      if (isSameResource(current, member)) throw new InternalError(`${member.identifier} is still the original member: it was not renamed.`);
      if (!current) {
        await ctx.rds.createClusterMember({ identifier: member.identifier, clusterIdentifier: ctx.plan.identifier, promotionTier: member.promotionTier, config: member.config });
      }
      await ctx.rds.waitInstanceAvailable(member.identifier, waitOpts(io));
    };
    // The first instance of a cluster becomes its writer: create it alone, then the readers together.
    if (writer) await create(writer);
    await Promise.all(readers.map(create));
  },
  async compensate(ctx, io) {
    const ops = resourceOps(ctx.rds, 'instance');
    await Promise.all(original(ctx).members.map((m) => deletePartialCopy(ops, m.identifier, m, io)));
  },
};

/** The restored cluster under the original name, refusing to act on the original itself. */
async function restoredCluster(ctx: ClusterRestoreContext): Promise<ClusterInfo> {
  const info = await ctx.rds.describeCluster(ctx.plan.identifier);
  if (!info) throw new StepError(`The restored cluster ${ctx.plan.identifier} has disappeared.`);
  if (isSameResource(info, original(ctx))) throw new InternalError(`${ctx.plan.identifier} is the original cluster, not the restored copy.`);
  return info;
}

const applySettings: Step<ClusterRestoreContext> = {
  id: 'apply-settings',
  title: 'Apply the settings the restore and create calls do not take',
  async run(ctx, io) {
    const cluster = await restoredCluster(ctx);
    const clusterChanges = pendingClusterModification(original(ctx).config, cluster.config);
    if (Object.keys(clusterChanges).length > 0) {
      io.status(`modifying ${Object.keys(clusterChanges).join(', ')}`);
      await ctx.rds.modifyCluster(ctx.plan.identifier, clusterChanges);
    }
    await Promise.all(
      original(ctx).members.map(async (member) => {
        const current = await ctx.rds.describeInstance(member.identifier);
        if (!current || isSameResource(current, member)) throw new StepError(`The recreated member ${member.identifier} is missing.`);
        const changes = pendingMemberModification(member.config, current.config);
        if (Object.keys(changes).length > 0) await ctx.rds.modifyInstance(member.identifier, changes);
        await ctx.rds.waitInstanceAvailable(member.identifier, waitOpts(io));
      }),
    );
    await ctx.rds.waitClusterAvailable(ctx.plan.identifier, waitOpts(io));
  },
};

const verify: Step<ClusterRestoreContext> = {
  id: 'verify',
  title: 'Verify the restored cluster and members against the originals',
  async run(ctx, io) {
    const cluster = await restoredCluster(ctx);
    if (cluster.status !== 'available') throw new StepError(`The restored cluster is ${cluster.status}, not available.`);
    const differences = diffClusterConfig(ctx.plan.identifier, original(ctx).config, cluster.config);
    for (const member of original(ctx).members) {
      const current = await ctx.rds.describeInstance(member.identifier);
      if (!current || current.status !== 'available') throw new StepError(`The recreated member ${member.identifier} is ${current?.status ?? 'missing'}.`);
      differences.push(...diffMemberConfig(member.identifier, member.config, current.config));
    }
    const writer = original(ctx).members.find((m) => m.isWriter)?.identifier;
    // Only the recreated members count (an emulator may still list the renamed originals).
    const names = new Set(original(ctx).members.map((m) => m.identifier));
    const newWriter = cluster.members.find((m) => m.isWriter && names.has(m.instanceIdentifier))?.instanceIdentifier;
    if (writer && newWriter !== writer) differences.push({ resource: ctx.plan.identifier, setting: 'writer', expected: writer, actual: newWriter ?? null });
    const firstCheck = ctx.state.configDifferences === undefined;
    ctx.state.configDifferences = differences;
    if (firstCheck) {
      for (const d of differences) {
        await io.notice('warning', `${d.resource}: ${d.setting} is ${JSON.stringify(d.actual)}, the original had ${JSON.stringify(d.expected)}.`);
      }
    }
  },
};

const unprotect: Step<ClusterRestoreContext> = {
  id: 'unprotect-original',
  title: 'Turn off deletion protection on the renamed original cluster',
  async run(ctx, io) {
    const retired = await retiredOriginal(resourceOps(ctx.rds, 'cluster'), ctx.plan.retiredIdentifier, original(ctx));
    if (!retired || !retired.deletionProtection || retired.status === 'deleting') return;
    await ctx.rds.modifyCluster(ctx.plan.retiredIdentifier, { deletionProtection: false });
    await ctx.rds.waitClusterAvailable(ctx.plan.retiredIdentifier, waitOpts(io));
  },
};

const deleteOldMembers: Step<ClusterRestoreContext> = {
  id: 'delete-original-members',
  title: 'Delete the renamed original member instances',
  async run(ctx, io) {
    const ops = resourceOps(ctx.rds, 'instance');
    await Promise.all(
      original(ctx).members.map(async (member) => {
        const retiredName = retiredNameOf(ctx, member.identifier);
        const retired = await retiredOriginal(ops, retiredName, member);
        if (!retired) return;
        // Aurora members have no snapshots or backups of their own: the cluster holds the data.
        if (retired.status !== 'deleting') await ctx.rds.deleteInstance(retiredName, { keepAutomatedBackups: true });
        await ctx.rds.waitInstanceDeleted(retiredName, waitOpts(io));
      }),
    );
  },
};

const deleteOldCluster: Step<ClusterRestoreContext> = {
  id: 'delete-original-cluster',
  title: 'Delete the renamed original cluster',
  async run(ctx, io) {
    const retired = await retiredOriginal(resourceOps(ctx.rds, 'cluster'), ctx.plan.retiredIdentifier, original(ctx));
    if (!retired) return;
    if (retired.status !== 'deleting') {
      await ctx.rds.deleteCluster(ctx.plan.retiredIdentifier, { finalSnapshotIdentifier: ctx.plan.finalSnapshotIdentifier, keepAutomatedBackups: true });
    }
    await ctx.rds.waitClusterDeleted(ctx.plan.retiredIdentifier, waitOpts(io));
  },
};

/** Starts the export of the cluster snapshot restored from; never fails the run. */
const exportStep = (exportPlan: ExportPlan): Step<ClusterRestoreContext> =>
  startExportStep((ctx) => ({ exports: ctx.exports, snapshots: snapshotOps(ctx.rds, true), snapshotIdentifier: ctx.plan.snapshotIdentifier, plan: exportPlan, state: ctx.state }));

/**
 * Rename-first restore of an Aurora cluster: members and cluster renamed away, the snapshot
 * restored under the original name, members recreated (writer first), settings carried over
 * and verified — and only then the originals deleted.
 */
export function clusterRestoreWorkflow(plan: ClusterRestorePlan): Workflow<ClusterRestoreContext> {
  const fresh = plan.snapshotSource === 'fresh';
  return {
    steps: [
      capture,
      ...(fresh ? [createSnapshotStep(snapshotContext)] : []),
      ...(plan.export ? [exportStep(plan.export)] : []),
      renameMembers,
      renameCluster,
      restoreCluster,
      createMembers,
      applySettings,
      verify,
      unprotect,
      deleteOldMembers,
      deleteOldCluster,
      ...(fresh ? [pruneSnapshotsStep(snapshotContext)] : []),
    ],
    pointOfNoReturn: verify.id,
  };
}
