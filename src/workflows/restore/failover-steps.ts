import { StepError } from '../../core/errors.js';
import type { ClusterMember } from '../../core/rds-resources.js';
import { isReady } from '../../core/rds-status.js';
import { isSameResource, type ResourceIdentity } from '../../core/resource-identity.js';
import type { Step, StepIo } from '../../engine/step.js';
import { renameAway, renameBack, requestRenames, settleAll, urgentWaitOpts, waitOpts, type RenameTarget } from '../resources/rename-ops.js';
import { isSwap, memberOps, memberRestoreName, memberRetiredName, original, restoreName, type RestoreContext } from './restore-context.js';
import { restoredIdentityOf, type CapturedMember } from './restore-plan.js';

/**
 * The writer-last cut-over of a cluster with readers (swap). Today's order renames the restored
 * writer into the original writer's name while the cluster endpoint needs it, so clients wait
 * for a whole instance rename. Here the restored cluster's writer during the cut-over is the
 * counterpart of an original *reader* (`plan.failoverTarget`), whose name is freed without an
 * outage:
 * 1. before any outage: the original readers are renamed away, the (not yet serving) restored
 *    cluster fails over to that counterpart, and the restored readers take the readers' names;
 * 2. the clusters swap names (the one outage of the renames);
 * 3. the original writer (now in the retired cluster) is renamed away, and the restored
 *    ex-writer (a reader now) takes its name — no outage;
 * 4. fail back: the instance under the original writer's name is the writer again (the original
 *    shape, on which instance-endpoint users rely) — one failover, a short outage.
 * Failovers only ever touch the restored cluster, checked by identity before each one.
 */

type AnyContext = RestoreContext<unknown, unknown>;

/** Whether the run cuts over writer-last (journals written before it have no failover target: today's order). */
export const isWriterLast = (ctx: AnyContext): boolean => isSwap(ctx) && Boolean(ctx.plan.failoverTarget);

/**
 * The reader whose restored counterpart is the interim writer: the one RDS itself would promote
 * first (lowest promotion tier; Aurora UG, "Fault tolerance for an Aurora DB cluster"), then by
 * name. None without a writer and a reader.
 */
export function pickFailoverTarget(members: readonly ClusterMember[]): string | undefined {
  if (!members.some((m) => m.isWriter)) return undefined;
  const readers = members.filter((m) => !m.isWriter);
  readers.sort((a, b) => (a.promotionTier ?? 15) - (b.promotionTier ?? 15) || a.instanceIdentifier.localeCompare(b.instanceIdentifier));
  return readers[0]?.instanceIdentifier;
}

const readers = (ctx: AnyContext): CapturedMember[] => original(ctx).members.filter((m) => !m.isWriter);

function writer(ctx: AnyContext): CapturedMember {
  const found = original(ctx).members.find((m) => m.isWriter);
  if (!found) throw new StepError('The captured cluster has no writer: the writer-last cut-over needs one.');
  return found;
}

const originalTargets = (ctx: AnyContext, members: CapturedMember[]): RenameTarget[] =>
  members.map((m) => ({ name: m.identifier, retired: memberRetiredName(ctx, m.identifier), identity: m }));

const restoredTargets = (ctx: AnyContext, members: CapturedMember[]): RenameTarget[] =>
  members.map((m) => ({
    name: memberRestoreName(ctx, m.identifier),
    retired: m.identifier,
    identity: restoredIdentityOf(ctx.state, m.identifier),
  }));

const nothingToJournal = async (): Promise<void> => undefined;

/** The original readers' renames away: those of them already requested (the writer's comes after the cut-over). */
export const originalReaderTargets = (ctx: AnyContext): RenameTarget[] => originalTargets(ctx, readers(ctx));

/**
 * Until `cluster` (the restored one, by identity) is ready with `writerName` as its writer.
 * Check, then act: a writer already in place, or a failover under way (`failing-over`), is never
 * requested again — on resume, what RDS shows decides. `beforeRequest` runs just before
 * FailoverDBCluster is sent.
 */
async function ensureWriter(
  ctx: AnyContext,
  io: StepIo,
  cluster: { name: string; identity: ResourceIdentity },
  writerName: string,
  options: { urgent: boolean; beforeRequest: () => Promise<void> },
): Promise<void> {
  const opts = options.urgent ? urgentWaitOpts(io) : waitOpts(io);
  const look = async () => {
    const info = await ctx.rds.describeCluster(cluster.name);
    if (!info || !isSameResource(info, cluster.identity))
      throw new StepError(`${cluster.name} is not the restored cluster; refusing to fail it over.`);
    return info;
  };
  const isWriter = (info: { members: ClusterMember[] }) =>
    info.members.some((m) => m.isWriter && m.instanceIdentifier.toLowerCase() === writerName.toLowerCase());
  let info = await look();
  if (!isReady(info.status)) {
    // A failover (or a rename) under way: let it finish, then look again.
    await ctx.rds.waitClusterAvailable(cluster.name, opts);
    info = await look();
  }
  if (isWriter(info)) return;
  // RDS's members follow their cluster through renames (Aurora UG, "Modifying"); one this cluster
  // does not list can never become its writer (moto 5.2 keeps members attached to a renamed
  // cluster's old name): fail now rather than wait for a failover that cannot come.
  if (!info.members.some((m) => m.instanceIdentifier.toLowerCase() === writerName.toLowerCase()))
    throw new StepError(`${cluster.name} does not list ${writerName} among its members; it cannot fail over to it.`);
  await options.beforeRequest();
  await ctx.rds.failoverDbCluster(cluster.name, writerName);
  await ctx.rds.waitClusterWriter(cluster.name, writerName, opts);
}

/** Step 1a: the original readers renamed away (requested; they do not serve the cluster endpoint). */
export const renameReadersStep: Step<AnyContext> = {
  id: 'rename-readers',
  title: 'Rename the original readers out of the way',
  compensateTitle: 'Rename the original readers back',
  async run(ctx, io) {
    await requestRenames(memberOps(ctx), originalReaderTargets(ctx), async () => {
      ctx.state.renameRequested = true;
      await io.checkpoint();
    });
  },
  compensate: (ctx, io) => settleAll(originalReaderTargets(ctx).map((t) => renameBack(memberOps(ctx), t, io))),
};

/**
 * Step 1b: the restored cluster (not serving yet) fails over to the counterpart of an original
 * reader. Nothing to undo: the restored cluster's shape does not matter to a revert, which
 * deletes it.
 */
export const failoverRestoredStep: Step<AnyContext> = {
  id: 'failover-restored',
  title: "Fail the restored cluster over to a reader's counterpart",
  run: (ctx, io) =>
    ensureWriter(
      ctx,
      io,
      { name: restoreName(ctx), identity: restoredIdentityOf(ctx.state) },
      memberRestoreName(ctx, ctx.plan.failoverTarget ?? ''),
      { urgent: false, beforeRequest: nothingToJournal },
    ),
};

/**
 * Step 1c: each restored reader (the interim writer among them) takes its original's name as soon
 * as it is released, then the step waits until all answer under those names — the restored
 * cluster then has an available writer when it takes the cluster's name. No outage yet.
 */
export const renameRestoredReadersStep: Step<AnyContext> = {
  id: 'rename-restored-readers',
  title: 'Rename the restored readers to the original readers’ identifiers',
  compensateTitle: 'Rename the restored readers back to their temporary identifiers',
  async run(ctx, io) {
    const targets = restoredTargets(ctx, readers(ctx));
    let waiting = await requestRenames(memberOps(ctx), targets, nothingToJournal, 'skip');
    while (waiting.length > 0) {
      await ctx.rds.waitInstanceNamesFree(
        waiting.map((t) => t.retired),
        'any',
        waitOpts(io),
      );
      waiting = await requestRenames(memberOps(ctx), waiting, nothingToJournal, 'skip');
    }
    if (targets.length > 0)
      await ctx.rds.waitInstancesRenamed(
        targets.map((t) => ({ from: t.name, to: t.retired })),
        waitOpts(io),
      );
  },
  compensate: (ctx, io) => settleAll(restoredTargets(ctx, readers(ctx)).map((t) => renameBack(memberOps(ctx), t, io))),
};

/** Step 3a: the original writer, in the retired cluster since the cut-over, renamed away (no outage). */
export const renameOriginalWriterStep: Step<AnyContext> = {
  id: 'rename-original-writer',
  title: 'Rename the original writer out of the way',
  compensateTitle: 'Rename the original writer back',
  run: (ctx, io) => renameAway(memberOps(ctx), originalTargets(ctx, [writer(ctx)])[0]!, io, nothingToJournal, 'released'),
  compensate: (ctx, io) => renameBack(memberOps(ctx), originalTargets(ctx, [writer(ctx)])[0]!, io),
};

/** Step 3b: the restored ex-writer (a reader of the cluster now) takes the original writer's name (no outage). */
export const renameRestoredWriterStep: Step<AnyContext> = {
  id: 'rename-restored-writer',
  title: "Rename the restored ex-writer to the original writer's identifier",
  compensateTitle: 'Rename the restored ex-writer back to its temporary identifier',
  run: (ctx, io) => renameAway(memberOps(ctx), restoredTargets(ctx, [writer(ctx)])[0]!, io, nothingToJournal),
  compensate: (ctx, io) => renameBack(memberOps(ctx), restoredTargets(ctx, [writer(ctx)])[0]!, io),
};

/**
 * Step 4: fail back, so that the instance under the original writer's name (the restored one,
 * checked by identity) is the writer again. One failover: the writer endpoint is out for its
 * length, measured from the request to the new writer seen in place, and journaled
 * (`downtime.failback`). Nothing to undo: a revert renames both clusters back whatever the shape.
 */
export const failBackStep: Step<AnyContext> = {
  id: 'fail-back',
  title: "Fail back: the original writer's name is the writer again",
  causesDowntime: true,
  async run(ctx, io) {
    const name = writer(ctx).identifier;
    const holder = (await memberOps(ctx).describeMany([name])).find((i) => i.identifier.toLowerCase() === name.toLowerCase());
    if (!holder || !isSameResource(holder, restoredIdentityOf(ctx.state, name)))
      throw new StepError(`${name} is not the restored ex-writer; refusing to fail over to it.`);
    await ensureWriter(ctx, io, { name: ctx.plan.identifier, identity: restoredIdentityOf(ctx.state) }, name, {
      urgent: true,
      beforeRequest: async () => {
        if (ctx.state.downtime) ctx.state.downtime.failback ??= { startedAt: ctx.now().toISOString() };
        await io.checkpoint();
      },
    });
    const failback = ctx.state.downtime?.failback;
    if (failback?.startedAt && !failback.endedAt) failback.endedAt = ctx.now().toISOString();
  },
};
