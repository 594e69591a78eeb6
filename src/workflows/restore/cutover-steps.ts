import { isReady } from '../../core/rds-status.js';
import type { Step, StepIo } from '../../engine/step.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import { RetryableStateError, StepError } from '../../core/errors.js';
import { isSameResource } from '../../core/resource-identity.js';
import {
  renameAway,
  renameBack,
  requestRenames,
  retiredOriginal,
  settleAll,
  urgentWaitOpts,
  waitOpts,
  type RenameTarget,
} from '../resources/rename-ops.js';
import {
  downtimeEnds,
  downtimeStarts,
  isSwap,
  memberOps,
  memberRestoreName,
  memberRetiredName,
  original,
  primaryOps,
  restoreName,
  type RestoreContext,
} from './restore-context.js';
import { restoredIdentityOf } from './restore-plan.js';
import { isWriterLast, originalReaderTargets } from './failover-steps.js';

type AnyContext = RestoreContext<unknown, unknown>;

/** Before an original is renamed away: journal that a rename is coming, and when downtime started. */
async function beforeFirstRename(ctx: AnyContext, io: StepIo): Promise<void> {
  ctx.state.renameRequested = true;
  downtimeStarts(ctx);
  await io.checkpoint();
}

const originalTarget = (ctx: AnyContext): RenameTarget => ({
  name: ctx.plan.identifier,
  retired: ctx.plan.retiredIdentifier,
  identity: original(ctx),
});

const originalMemberTargets = (ctx: AnyContext): RenameTarget[] =>
  original(ctx).members.map((m) => ({ name: m.identifier, retired: memberRetiredName(ctx, m.identifier), identity: m }));

const restoredTarget = (ctx: AnyContext): RenameTarget => ({
  name: restoreName(ctx),
  retired: ctx.plan.identifier,
  identity: restoredIdentityOf(ctx.state),
});

const restoredMemberTargets = (ctx: AnyContext): RenameTarget[] =>
  original(ctx).members.map((m) => ({
    name: memberRestoreName(ctx, m.identifier),
    retired: m.identifier,
    identity: restoredIdentityOf(ctx.state, m.identifier),
  }));

/** Until every rename of `targets` (members) is done: one request per check for all of them. */
async function waitRenamedAll(ctx: AnyContext, targets: RenameTarget[], io: StepIo): Promise<void> {
  if (targets.length === 0) return;
  await ctx.rds.waitInstancesRenamed(
    targets.map((t) => ({ from: t.name, to: t.retired })),
    waitOpts(io),
  );
}

/**
 * Renames the original members out of the way (their names are taken by the restored ones),
 * all at once. swap: only requested — the cluster's rename goes on beside them, and each
 * restored member takes its name the moment it is released (`rename-restored-members`).
 * rename-first: until every name is released (the members are created under them).
 */
export const renameMembersStep: Step<AnyContext> = {
  id: 'rename-members',
  title: 'Rename the member instances out of the way',
  compensateTitle: 'Rename the member instances back',
  causesDowntime: true,
  run: async (ctx, io) => {
    const targets = originalMemberTargets(ctx);
    await requestRenames(memberOps(ctx), targets, () => beforeFirstRename(ctx, io));
    if (!isSwap(ctx) && targets.length > 0) {
      await ctx.rds.waitInstanceNamesFree(
        targets.map((t) => t.name),
        'all',
        waitOpts(io),
      );
    }
  },
  compensate: async (ctx, io) => {
    await settleAll(originalMemberTargets(ctx).map((t) => renameBack(memberOps(ctx), t, io)));
    // The last of the cut-over's undos: the original writer answers under its name again.
    downtimeEnds(ctx);
  },
};

/** Renames the original out of the way; undo puts it back under its name. */
export function renameOriginalStep<C, M>(kind: ResourceKind<C, M>): Step<RestoreContext<C, M>> {
  return {
    id: kind.stepIds.rename,
    title: `Rename the original ${kind.noun} out of the way`,
    compensateTitle: `Rename the original ${kind.noun} back`,
    causesDowntime: true,
    // Only until the name is released: the copy (swap) or the restore (rename-first) can take it
    // at once, while RDS finishes renaming the original; the unprotect step waits for it later.
    run: (ctx, io) =>
      unlessBusy(
        () => renameAway(primaryOps(ctx), originalTarget(ctx), io, () => beforeFirstRename(ctx, io), 'released'),
        // A cluster: its members' renames (requested by rename-members, or only the readers' by rename-readers) done.
        () => waitRenamedAll(ctx, isWriterLast(ctx) ? originalReaderTargets(ctx) : originalMemberTargets(ctx), io),
      ),
    async compensate(ctx, io) {
      await renameBack(primaryOps(ctx), originalTarget(ctx), io);
      // Writer-last: the original writer never left the cluster by then; it answers under the name again.
      if (!kind.members || isWriterLast(ctx)) downtimeEnds(ctx);
    },
  };
}

const nothingToJournal = async (): Promise<void> => undefined;

/**
 * Renames side by side where RDS allows it. Whether RDS lets a cluster be renamed while its
 * members reboot from their own renames (or a member while its cluster renames) is not
 * documented; if it refuses (InvalidDBClusterStateFault / InvalidDBInstanceState: a
 * RetryableStateError), `act` is tried once more after `settle` — the other renames finished —
 * instead of failing the step.
 */
async function unlessBusy(act: () => Promise<void>, settle: () => Promise<unknown>): Promise<void> {
  try {
    await act();
  } catch (error) {
    if (!(error instanceof RetryableStateError)) throw error;
    await settle();
    await act();
  }
}

/**
 * Swap's cut-over: the prepared copy takes the original's name (and endpoint) — requested as
 * soon as the original released it (the step before). An instance, or a cluster cut over
 * writer-last: done when it answers under the name. A cluster otherwise: only requested;
 * `rename-restored-members` waits for it with its members.
 */
export function renameRestoredStep<C, M>(kind: ResourceKind<C, M>): Step<RestoreContext<C, M>> {
  return {
    id: kind.stepIds.renameRestored,
    title: `Rename the restored ${kind.noun} to the original identifier`,
    compensateTitle: `Rename the restored ${kind.noun} back to its temporary identifier`,
    causesDowntime: true,
    async run(ctx, io) {
      // Today's order: `rename-restored-members` waits for it with the members. Writer-last: the
      // restored cluster's writer answers under its final name already; done when the cluster does.
      if (kind.members) {
        const target = restoredTarget(ctx);
        await requestRenames(primaryOps(ctx), [target], nothingToJournal);
        if (!isWriterLast(ctx)) return;
        // Clients wait for this rename: checked without backing off, so the outage is seen to end when it does.
        await primaryOps(ctx).waitRenamed(target.name, target.retired, urgentWaitOpts(io));
        downtimeEnds(ctx);
        return;
      }
      await renameAway(primaryOps(ctx), restoredTarget(ctx), io, nothingToJournal);
      downtimeEnds(ctx);
    },
    compensate: (ctx, io) => renameBack(primaryOps(ctx), restoredTarget(ctx), io),
  };
}

/**
 * Swap's cut-over, members: each prepared member takes its original's name the moment the
 * original releases it (one Describe request per check for all of them), then the step waits
 * until the restored cluster and every restored member answer under the original names.
 * Resumable at any point: each round checks who is where before it requests anything.
 */
export const renameRestoredMembersStep: Step<AnyContext> = {
  id: 'rename-restored-members',
  title: 'Rename the restored members to the original identifiers',
  compensateTitle: 'Rename the restored members back to their temporary identifiers',
  causesDowntime: true,
  async run(ctx, io) {
    const targets = restoredMemberTargets(ctx);
    const cluster = restoredTarget(ctx);
    // The restored cluster's rename (requested by the step before) done, if RDS refuses a member meanwhile.
    const clusterRenamed = () => primaryOps(ctx).waitRenamed(cluster.name, cluster.retired, waitOpts(io));
    let waiting: RenameTarget[] = targets;
    const request = async () => {
      waiting = await requestRenames(memberOps(ctx), waiting, nothingToJournal, 'skip');
    };
    await unlessBusy(request, clusterRenamed);
    while (waiting.length > 0) {
      // The originals still hold these names (their renames were requested by rename-members).
      await ctx.rds.waitInstanceNamesFree(
        waiting.map((t) => t.retired),
        'any',
        urgentWaitOpts(io),
      );
      await unlessBusy(request, clusterRenamed);
    }
    // Nothing more to request: the usual backoff (RDS's renames take minutes; one request per check for all members).
    await settleAll([
      primaryOps(ctx).waitRenamed(cluster.name, cluster.retired, waitOpts(io)),
      targets.length > 0
        ? ctx.rds.waitInstancesRenamed(
            targets.map((t) => ({ from: t.name, to: t.retired })),
            waitOpts(io),
          )
        : Promise.resolve(),
    ]);
    downtimeEnds(ctx);
  },
  compensate: async (ctx, io) => {
    await settleAll(restoredMemberTargets(ctx).map((t) => renameBack(memberOps(ctx), t, io)));
  },
};

/** Deletion protection off on the renamed original only, just before it is deleted. */
export function unprotectStep<C, M>(kind: ResourceKind<C, M>): Step<RestoreContext<C, M>> {
  return {
    id: 'unprotect-original',
    title: `Turn off deletion protection on the renamed original${kind.noun === 'cluster' ? ' cluster' : ''}`,
    async run(ctx, io) {
      const ops = primaryOps(ctx);
      let retired = await retiredOriginal(ops, ctx.plan.retiredIdentifier, original(ctx));
      if (!retired || retired.status === 'deleting') return;
      if (!isReady(retired.status)) {
        // Still renaming (the cut-over did not wait for it): changes and deletes wait until it is available.
        await ops.waitAvailable(ctx.plan.retiredIdentifier, waitOpts(io));
        retired = await retiredOriginal(ops, ctx.plan.retiredIdentifier, original(ctx));
      }
      if (!retired?.deletionProtection) return;
      await ops.unprotect(ctx.plan.retiredIdentifier);
      await ops.waitAvailable(ctx.plan.retiredIdentifier, waitOpts(io));
    },
  };
}

/**
 * Deletes the renamed original members (Aurora members hold no data or backups of their own).
 * The cut-over did not wait for their renames: a member still renaming is waited for first (RDS
 * deletes only an available instance). One Describe request per check for all of them.
 */
export const deleteOriginalMembersStep: Step<AnyContext> = {
  id: 'delete-original-members',
  title: 'Delete the renamed original member instances',
  async run(ctx, io) {
    const ops = memberOps(ctx);
    const members = original(ctx).members;
    if (members.length === 0) return;
    const names = members.map((m) => memberRetiredName(ctx, m.identifier));
    const lookUp = async () => {
      const found = await ops.describeMany(names);
      return members.flatMap((member, i) => {
        const name = names[i] ?? '';
        const info = found.find((f) => f.identifier.toLowerCase() === name.toLowerCase());
        if (info && !isSameResource(info, member)) throw new StepError(`${name} is not the original instance; refusing to touch it.`);
        return info ? [{ name, info }] : [];
      });
    };
    let retired = await lookUp();
    const busy = retired.filter((r) => r.info.status !== 'deleting' && !isReady(r.info.status)).map((r) => r.name);
    if (busy.length > 0) {
      await ctx.rds.waitInstancesAvailable(busy, waitOpts(io));
      retired = await lookUp();
    }
    await settleAll(
      retired.filter((r) => r.info.status !== 'deleting').map((r) => ops.deleteRetired(r.name, { keepAutomatedBackups: true })),
    );
    if (retired.length > 0)
      await ctx.rds.waitInstanceNamesFree(
        retired.map((r) => r.name),
        'all',
        waitOpts(io),
      );
  },
};

/** Deletes the renamed original: the point-in-time history is kept unless configured otherwise. */
export function deleteOriginalStep<C, M>(kind: ResourceKind<C, M>): Step<RestoreContext<C, M>> {
  return {
    id: kind.stepIds.deleteRetired,
    title: `Delete the renamed original${kind.noun === 'cluster' ? ' cluster' : ''}`,
    async run(ctx, io) {
      const ops = primaryOps(ctx);
      const retired = await retiredOriginal(ops, ctx.plan.retiredIdentifier, original(ctx));
      if (!retired) return;
      if (retired.status !== 'deleting') {
        await ops.deleteRetired(ctx.plan.retiredIdentifier, {
          finalSnapshotIdentifier: ctx.plan.finalSnapshotIdentifier,
          keepAutomatedBackups: ctx.plan.keepAutomatedBackups,
        });
      }
      await ops.waitDeleted(ctx.plan.retiredIdentifier, waitOpts(io));
    },
  };
}
