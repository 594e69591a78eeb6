import type { ExportGateway } from '../aws/export-gateway.js';
import type { RdsGateway } from '../aws/rds-gateway.js';
import type { ClusterInfo } from '../core/rds-resources.js';
import type { ExportPlan } from './export/export-plan.js';
import { startExportStep } from './export/start-export-step.js';
import { InternalError, StepError } from '../core/errors.js';
import type { Step, Workflow } from '../engine/step.js';
import type { CapturedCluster, CapturedMember, ClusterRestorePlan, ClusterRestoreState } from './cluster-restore-plan.js';
import { diffClusterConfig, diffMemberConfig, pendingClusterModification, pendingMemberModification } from './cluster-settings.js';
import { identityOf, isSameResource } from '../core/resource-identity.js';
import { deletePartialCopy, renameAway, renameBack, resourceOps, retiredOriginal, waitOpts } from './resource-ops.js';
import { snapshotOps } from './snapshot-ops.js';
import { createSnapshotStep, pruneSnapshotsStep, type SnapshotStepContext } from './snapshot-steps.js';

/** What the cluster restore steps work with. */
export interface ClusterRestoreContext {
  rds: RdsGateway;
  exports?: ExportGateway | undefined;
  now: () => Date;
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

function plannedMember(ctx: ClusterRestoreContext, member: string) {
  const entry = ctx.plan.members.find((m) => m.identifier === member);
  if (!entry) throw new InternalError(`Member ${member} is not in the plan.`);
  return entry;
}

const retiredNameOf = (ctx: ClusterRestoreContext, member: string): string => plannedMember(ctx, member).retiredIdentifier;

const swap = (ctx: ClusterRestoreContext): boolean => ctx.plan.strategy === 'swap';

/** Where the cluster is restored: under its own name (rename-first) or aside (swap). */
const clusterRestoreName = (ctx: ClusterRestoreContext): string => (swap(ctx) && ctx.plan.restoringIdentifier) || ctx.plan.identifier;

/** Where a member is recreated. */
const memberRestoreName = (ctx: ClusterRestoreContext, member: string): string => (swap(ctx) && plannedMember(ctx, member).restoringIdentifier) || member;

function downtimeStarts(ctx: ClusterRestoreContext): void {
  ctx.state.downtime ??= { startedAt: ctx.now().toISOString() };
}

function downtimeEnds(ctx: ClusterRestoreContext): void {
  if (ctx.state.downtime?.startedAt && !ctx.state.downtime.endedAt) ctx.state.downtime.endedAt = ctx.now().toISOString();
}

function restoredIdentity(ctx: ClusterRestoreContext, member?: string) {
  const identity = member ? ctx.state.restoredMembers?.[member] : ctx.state.restored;
  if (!identity) throw new InternalError(`The restored ${member ?? 'cluster'} was not recorded before the cut-over.`);
  return identity;
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
  causesDowntime: true,
  async run(ctx, io) {
    const ops = resourceOps(ctx.rds, 'instance');
    await Promise.all(
      original(ctx).members.map((m) =>
        renameAway(ops, { name: m.identifier, retired: retiredNameOf(ctx, m.identifier), identity: m }, io, async () => {
          ctx.state.renameRequested = true;
          downtimeStarts(ctx);
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
  causesDowntime: true,
  run: (ctx, io) =>
    renameAway(resourceOps(ctx.rds, 'cluster'), clusterTarget(ctx), io, async () => {
      ctx.state.renameRequested = true;
      downtimeStarts(ctx);
      await io.checkpoint();
    }),
  async compensate(ctx, io) {
    await renameBack(resourceOps(ctx.rds, 'cluster'), clusterTarget(ctx), io);
    downtimeEnds(ctx);
  },
};

const restoreCluster: Step<ClusterRestoreContext> = {
  id: 'restore-cluster',
  title: 'Restore the cluster snapshot under the original identifier',
  compensateTitle: 'Delete the partly restored cluster',
  async run(ctx, io) {
    const { snapshotIdentifier } = ctx.plan;
    const identifier = clusterRestoreName(ctx);
    const current = await ctx.rds.describeCluster(identifier);
    if (isSameResource(current, original(ctx))) throw new InternalError(`${identifier} is still the original cluster: it was not renamed.`);
    if (!current) {
      // As for instances: the copy stays deletable until verified; apply-settings turns protection back on.
      await ctx.rds.restoreCluster({ identifier, snapshotIdentifier, config: { ...original(ctx).config, deletionProtection: false } });
    }
    ctx.state.restored = identityOf(await ctx.rds.waitClusterAvailable(identifier, waitOpts(io)));
  },
  compensate: (ctx, io) => deletePartialCopy(resourceOps(ctx.rds, 'cluster'), clusterRestoreName(ctx), original(ctx), io),
};

const createMembers: Step<ClusterRestoreContext> = {
  id: 'create-members',
  title: 'Recreate the member instances, the writer first',
  compensateTitle: 'Delete the recreated member instances',
  async run(ctx, io) {
    const [writer, ...readers] = membersWriterFirst(ctx);
    const create = async (member: CapturedMember) => {
      const name = memberRestoreName(ctx, member.identifier);
      const current = await ctx.rds.describeInstance(name);
      if (isSameResource(current, member)) throw new InternalError(`${name} is still the original member: it was not renamed.`);
      if (!current) {
        await ctx.rds.createClusterMember({ identifier: name, clusterIdentifier: clusterRestoreName(ctx), promotionTier: member.promotionTier, config: member.config });
      }
      const created = await ctx.rds.waitInstanceAvailable(name, waitOpts(io));
      ctx.state.restoredMembers = { ...ctx.state.restoredMembers, [member.identifier]: identityOf(created) };
    };
    // The first instance of a cluster becomes its writer: create it alone, then the readers together.
    if (writer) await create(writer);
    await Promise.all(readers.map(create));
    if (!swap(ctx)) downtimeEnds(ctx);
  },
  async compensate(ctx, io) {
    const ops = resourceOps(ctx.rds, 'instance');
    await Promise.all(original(ctx).members.map((m) => deletePartialCopy(ops, memberRestoreName(ctx, m.identifier), m, io)));
  },
};

/** The restored cluster under the original name, refusing to act on the original itself. */
async function restoredCluster(ctx: ClusterRestoreContext): Promise<ClusterInfo> {
  const name = clusterRestoreName(ctx);
  const info = await ctx.rds.describeCluster(name);
  if (!info) throw new StepError(`The restored cluster ${name} has disappeared.`);
  if (isSameResource(info, original(ctx))) throw new InternalError(`${name} is the original cluster, not the restored copy.`);
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
      await ctx.rds.modifyCluster(cluster.identifier, clusterChanges);
    }
    await Promise.all(
      original(ctx).members.map(async (member) => {
        const name = memberRestoreName(ctx, member.identifier);
        const current = await ctx.rds.describeInstance(name);
        if (!current || isSameResource(current, member)) throw new StepError(`The recreated member ${name} is missing.`);
        const changes = pendingMemberModification(member.config, current.config);
        if (Object.keys(changes).length > 0) await ctx.rds.modifyInstance(name, changes);
        await ctx.rds.waitInstanceAvailable(name, waitOpts(io));
      }),
    );
    await ctx.rds.waitClusterAvailable(cluster.identifier, waitOpts(io));
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
      const current = await ctx.rds.describeInstance(memberRestoreName(ctx, member.identifier));
      if (!current || current.status !== 'available') throw new StepError(`The recreated member ${memberRestoreName(ctx, member.identifier)} is ${current?.status ?? 'missing'}.`);
      differences.push(...diffMemberConfig(member.identifier, member.config, current.config));
    }
    const writer = original(ctx).members.find((m) => m.isWriter);
    // Only the recreated members count (an emulator may still list the renamed originals).
    const names = new Set(original(ctx).members.map((m) => memberRestoreName(ctx, m.identifier)));
    const newWriterName = cluster.members.find((m) => m.isWriter && names.has(m.instanceIdentifier))?.instanceIdentifier;
    const newWriter = original(ctx).members.find((m) => memberRestoreName(ctx, m.identifier) === newWriterName)?.identifier;
    if (writer && newWriter !== writer.identifier) differences.push({ resource: ctx.plan.identifier, setting: 'writer', expected: writer.identifier, actual: newWriter ?? null });
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

const restoredClusterTarget = (ctx: ClusterRestoreContext) => ({ name: clusterRestoreName(ctx), retired: ctx.plan.identifier, identity: restoredIdentity(ctx) });

/** Swap's cut-over: the prepared cluster takes the original's name (and endpoints). */
const renameRestoredCluster: Step<ClusterRestoreContext> = {
  id: 'rename-restored-cluster',
  title: 'Rename the restored cluster to the original identifier',
  compensateTitle: 'Rename the restored cluster back to its temporary identifier',
  causesDowntime: true,
  run: (ctx, io) => renameAway(resourceOps(ctx.rds, 'cluster'), restoredClusterTarget(ctx), io, async () => undefined),
  compensate: (ctx, io) => renameBack(resourceOps(ctx.rds, 'cluster'), restoredClusterTarget(ctx), io),
};

const restoredMemberTarget = (ctx: ClusterRestoreContext, member: string) => ({
  name: memberRestoreName(ctx, member),
  retired: member,
  identity: restoredIdentity(ctx, member),
});

/** Swap's cut-over, members: each prepared member takes its original's name. */
const renameRestoredMembers: Step<ClusterRestoreContext> = {
  id: 'rename-restored-members',
  title: 'Rename the restored members to the original identifiers',
  compensateTitle: 'Rename the restored members back to their temporary identifiers',
  causesDowntime: true,
  async run(ctx, io) {
    const ops = resourceOps(ctx.rds, 'instance');
    await Promise.all(original(ctx).members.map((m) => renameAway(ops, restoredMemberTarget(ctx, m.identifier), io, async () => undefined)));
    downtimeEnds(ctx);
  },
  async compensate(ctx, io) {
    const ops = resourceOps(ctx.rds, 'instance');
    await Promise.all(original(ctx).members.map((m) => renameBack(ops, restoredMemberTarget(ctx, m.identifier), io)));
  },
};

/** Starts the export of the cluster snapshot restored from; never fails the run. */
const exportStep = (exportPlan: ExportPlan): Step<ClusterRestoreContext> =>
  startExportStep((ctx) => ({ exports: ctx.exports, snapshots: snapshotOps(ctx.rds, true), snapshotIdentifier: ctx.plan.snapshotIdentifier, plan: exportPlan, state: ctx.state }));

/**
 * In-place restore of an Aurora cluster. rename-first: members and cluster renamed away, the
 * snapshot restored under the original name, members recreated (writer first), settings
 * carried over and verified. swap: the same restored and verified under temporary names while
 * the original serves, then a cut-over of renames. Either way the originals are deleted last.
 */
export function clusterRestoreWorkflow(plan: ClusterRestorePlan): Workflow<ClusterRestoreContext> {
  const fresh = plan.snapshotSource === 'fresh';
  const before = [capture, ...(fresh ? [createSnapshotStep(snapshotContext)] : []), ...(plan.export ? [exportStep(plan.export)] : [])];
  const prepare = [restoreCluster, createMembers, applySettings, verify];
  const after = [unprotect, deleteOldMembers, deleteOldCluster, ...(fresh ? [pruneSnapshotsStep(snapshotContext)] : [])];
  if (plan.strategy === 'swap') {
    // Everything is prepared and verified aside; the originals are renamed only for the cut-over.
    return {
      steps: [...before, ...prepare, renameMembers, renameCluster, renameRestoredCluster, renameRestoredMembers, ...after],
      pointOfNoReturn: renameRestoredMembers.id,
    };
  }
  return { steps: [...before, renameMembers, renameCluster, ...prepare, ...after], pointOfNoReturn: verify.id };
}
