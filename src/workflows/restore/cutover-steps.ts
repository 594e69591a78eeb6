import { isReady } from '../../core/rds-status.js';
import type { Step, StepIo } from '../../engine/step.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import { renameAway, renameBack, retiredOriginal, waitOpts, type RenameTarget } from '../resources/rename-ops.js';
import {
  downtimeEnds,
  downtimeStarts,
  memberOps,
  memberRestoreName,
  memberRetiredName,
  original,
  primaryOps,
  restoreName,
  type RestoreContext,
} from './restore-context.js';
import { restoredIdentityOf } from './restore-plan.js';

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

/** Renames the original members out of the way (their names are taken by the restored ones). */
export const renameMembersStep: Step<AnyContext> = {
  id: 'rename-members',
  title: 'Rename the member instances out of the way',
  compensateTitle: 'Rename the member instances back',
  causesDowntime: true,
  run: async (ctx, io) => {
    await Promise.all(originalMemberTargets(ctx).map((t) => renameAway(memberOps(ctx), t, io, () => beforeFirstRename(ctx, io))));
  },
  compensate: async (ctx, io) => {
    await Promise.all(originalMemberTargets(ctx).map((t) => renameBack(memberOps(ctx), t, io)));
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
    run: (ctx, io) => renameAway(primaryOps(ctx), originalTarget(ctx), io, () => beforeFirstRename(ctx, io), 'released'),
    async compensate(ctx, io) {
      await renameBack(primaryOps(ctx), originalTarget(ctx), io);
      downtimeEnds(ctx);
    },
  };
}

/** Swap's cut-over: the prepared copy takes the original's name (and endpoint). */
export function renameRestoredStep<C, M>(kind: ResourceKind<C, M>): Step<RestoreContext<C, M>> {
  return {
    id: kind.stepIds.renameRestored,
    title: `Rename the restored ${kind.noun} to the original identifier`,
    compensateTitle: `Rename the restored ${kind.noun} back to its temporary identifier`,
    causesDowntime: true,
    async run(ctx, io) {
      await renameAway(primaryOps(ctx), restoredTarget(ctx), io, async () => undefined);
      if (!kind.members) downtimeEnds(ctx);
    },
    compensate: (ctx, io) => renameBack(primaryOps(ctx), restoredTarget(ctx), io),
  };
}

/** Swap's cut-over, members: each prepared member takes its original's name. */
export const renameRestoredMembersStep: Step<AnyContext> = {
  id: 'rename-restored-members',
  title: 'Rename the restored members to the original identifiers',
  compensateTitle: 'Rename the restored members back to their temporary identifiers',
  causesDowntime: true,
  async run(ctx, io) {
    await Promise.all(restoredMemberTargets(ctx).map((t) => renameAway(memberOps(ctx), t, io, async () => undefined)));
    downtimeEnds(ctx);
  },
  compensate: async (ctx, io) => {
    await Promise.all(restoredMemberTargets(ctx).map((t) => renameBack(memberOps(ctx), t, io)));
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

/** Deletes the renamed original members (Aurora members hold no data or backups of their own). */
export const deleteOriginalMembersStep: Step<AnyContext> = {
  id: 'delete-original-members',
  title: 'Delete the renamed original member instances',
  async run(ctx, io) {
    const ops = memberOps(ctx);
    await Promise.all(
      original(ctx).members.map(async (member) => {
        const retiredName = memberRetiredName(ctx, member.identifier);
        const retired = await retiredOriginal(ops, retiredName, member);
        if (!retired) return;
        if (retired.status !== 'deleting') await ops.deleteRetired(retiredName, { keepAutomatedBackups: true });
        await ops.waitDeleted(retiredName, waitOpts(io));
      }),
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
