import { InternalError, RetryableStateError, StepError } from '../../core/errors.js';
import { isReady } from '../../core/rds-status.js';
import { identityOf, isSameResource } from '../../core/resource-identity.js';
import type { ConfigDifference } from '../../core/run-summary.js';
import type { Step, StepIo } from '../../engine/step.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import { deletePartialCopy, waitOpts } from '../resources/rename-ops.js';
import type { DescribedResource } from '../resources/resource-ops.js';
import {
  downtimeEnds,
  isSwap,
  memberOps,
  memberRestoreName,
  membersWriterFirst,
  original,
  primaryOps,
  restoreName,
  type RestoreContext,
} from './restore-context.js';
import type { CapturedMember } from './restore-plan.js';
import { requestRestore } from './restore-source.js';

/** Captures the original (and its members) before the first change; a resumed run keeps the first capture. */
export function captureStep<C, M>(kind: ResourceKind<C, M>): Step<RestoreContext<C, M>> {
  return {
    id: 'capture-original',
    title: `Capture the configuration of the original ${kind.noun}${kind.members ? ' and its members' : ''}`,
    async run(ctx) {
      if (ctx.state.original) return;
      const described = await primaryOps(ctx).describe(ctx.plan.identifier);
      if (!described) throw new StepError(`${kind.label} ${ctx.plan.identifier} no longer exists.`);
      const members: CapturedMember[] = [];
      for (const planned of ctx.plan.members) {
        const info = await ctx.rds.describeInstance(planned.identifier);
        const membership = described.members?.find((m) => m.instanceIdentifier === planned.identifier);
        if (!info || !membership) throw new StepError(`Member ${planned.identifier} of ${ctx.plan.identifier} no longer exists.`);
        members.push({
          identifier: info.identifier,
          ...identityOf(info),
          isWriter: membership.isWriter,
          promotionTier: info.promotionTier ?? membership.promotionTier,
          config: info.config,
        });
      }
      const endpointNames = new Set(ctx.plan.customEndpoints ?? []);
      const customEndpoints =
        endpointNames.size > 0
          ? (await ctx.rds.listCustomEndpoints(ctx.plan.identifier))
              .filter((e) => endpointNames.has(e.identifier))
              .map(({ identifier, type, staticMembers, excludedMembers, tags }) => ({
                identifier,
                type,
                staticMembers,
                excludedMembers,
                tags,
              }))
          : [];
      ctx.state.original = {
        identifier: described.identifier,
        ...identityOf(described),
        arn: described.arn,
        endpoint: described.endpoint,
        config: described.config,
        members,
        customEndpoints,
      };
    },
  };
}

/** Downtime of rename-first ends when the database answers under its name again: after its last creation step. */
function creationDone(ctx: RestoreContext<unknown, unknown>, stage: 'primary' | 'members'): void {
  if (!isSwap(ctx) && (stage === 'members' || !ctx.kind.members)) downtimeEnds(ctx);
}

/** Restores the snapshot under the original name (rename-first) or aside (swap); undo deletes the partial copy. */
export function restoreStep<C, M>(kind: ResourceKind<C, M>, source?: string): Step<RestoreContext<C, M>> {
  return {
    id: kind.stepIds.restore,
    // `source`: what restore-source.ts says of the plan's source (a snapshot, a point in time).
    title: source ? `Restore the ${kind.noun} from ${source}` : `Restore the ${kind.noun === 'cluster' ? 'cluster ' : ''}snapshot`,
    compensateTitle: `Delete the partly restored ${kind.noun}`,
    async run(ctx, io) {
      const ops = primaryOps(ctx);
      const name = restoreName(ctx);
      const current = await ops.describe(name);
      if (isSameResource(current, original(ctx))) throw new InternalError(`${name} is still the original: it was not renamed.`);
      if (!current) {
        // Deletion protection is applied with the other settings once the copy is available:
        // until it is verified, the copy must stay deletable so that a revert can remove it.
        await requestRestore(ctx, { ...original(ctx).config, deletionProtection: false });
      }
      ctx.state.restored = identityOf(await ops.waitAvailable(name, waitOpts(io)));
      creationDone(ctx, 'primary');
    },
    compensate: (ctx, io) => deletePartialCopy(primaryOps(ctx), restoreName(ctx), original(ctx), io),
  };
}

/** Recreates the member instances in the restored cluster, the writer first; undo deletes them. */
export const createMembersStep: Step<RestoreContext<unknown, unknown>> = {
  id: 'create-members',
  title: 'Recreate the member instances, the writer first',
  compensateTitle: 'Delete the recreated member instances',
  async run(ctx, io) {
    const support = ctx.kind.members;
    if (!support) return;
    const [writer, ...readers] = membersWriterFirst(ctx);
    const create = async (member: CapturedMember): Promise<void> => {
      const name = memberRestoreName(ctx, member.identifier);
      const current = await ctx.rds.describeInstance(name);
      if (isSameResource(current, member)) throw new InternalError(`${name} is still the original member: it was not renamed.`);
      if (!current) await support.create(ctx.rds, name, restoreName(ctx), member);
      const created = await ctx.rds.waitInstanceAvailable(name, waitOpts(io));
      ctx.state.restoredMembers = { ...ctx.state.restoredMembers, [member.identifier]: identityOf(created) };
    };
    // The first instance of a cluster becomes its writer: create it alone, then the readers together.
    if (writer) await create(writer);
    await Promise.all(readers.map(create));
    creationDone(ctx, 'members');
  },
  async compensate(ctx, io) {
    const ops = memberOps(ctx);
    await Promise.all(original(ctx).members.map((m) => deletePartialCopy(ops, memberRestoreName(ctx, m.identifier), m, io)));
  },
};

/** The restored copy, refusing to act on the original itself. */
async function restoredCopy<C, M>(ctx: RestoreContext<C, M>): Promise<DescribedResource<C>> {
  const name = restoreName(ctx);
  const info = await primaryOps(ctx).describe(name);
  if (!info) throw new StepError(`The restored ${ctx.kind.noun} ${name} has disappeared.`);
  if (isSameResource(info, original(ctx))) throw new InternalError(`${name} is the original, not the restored copy.`);
  return info;
}

/** A recreated member, refusing to act on the original member. */
async function restoredMember(ctx: RestoreContext<unknown, unknown>, member: CapturedMember) {
  const name = memberRestoreName(ctx, member.identifier);
  const info = await ctx.rds.describeInstance(name);
  if (!info || isSameResource(info, member)) throw new StepError(`The recreated member ${name} is missing.`);
  return info;
}

/** Applies the settings the restore (and member creation) calls do not take, only where they differ. */
export function applySettingsStep<C, M>(kind: ResourceKind<C, M>): Step<RestoreContext<C, M>> {
  return {
    id: 'apply-settings',
    title: `Apply the settings the restore${kind.members ? ' and create' : ''} call${kind.members ? 's do' : ' does'} not take`,
    async run(ctx, io) {
      const ops = primaryOps(ctx);
      const copy = await restoredCopy(ctx);
      const changes = kind.settings.pending(original(ctx).config, copy.config);
      const names = Object.keys(changes as object);
      if (names.length > 0) {
        io.status(`modifying ${names.join(', ')}`);
        await ops.modify(copy.identifier, changes);
      }
      const support = kind.members;
      if (support) {
        await Promise.all(
          original(ctx).members.map(async (member) => {
            const current = await restoredMember(ctx, member);
            const memberChanges = support.settings.pending(member.config, current.config);
            if (Object.keys(memberChanges).length > 0) await ctx.rds.modifyInstance(current.identifier, memberChanges);
            await ctx.rds.waitInstanceSettled(current.identifier, waitOpts(io));
          }),
        );
      }
      // ModifyDB* is asynchronous: wait until the changes are applied, not merely `available`.
      await ops.waitSettled(copy.identifier, waitOpts(io));
      // A managed master secret is the copy's own (the original's is deleted with the original):
      // journal its ARN for the summary, and say it once.
      const secretArn = (await restoredCopy(ctx)).masterUserSecret?.secretArn;
      if (secretArn && secretArn !== ctx.state.masterUserSecretArn) {
        ctx.state.masterUserSecretArn = secretArn;
        await io.notice(
          'warning',
          `The master password of the restored ${kind.noun} is in its own Secrets Manager secret ${secretArn}; the original's secret is deleted with the original. Point applications at the new secret.`,
        );
      }
    },
  };
}

/**
 * Reboots the restored copy (an instance, or a cluster's members) where a DB parameter group
 * is `pending-reboot`: until then its static parameters do not apply (API reference:
 * ModifyDBInstance, DBParameterGroupName). Its own step, so a resumed run neither skips nor
 * repeats it: what is rebooting or in sync is not rebooted again.
 */
export function rebootStep<C, M>(kind: ResourceKind<C, M>): Step<RestoreContext<C, M>> {
  return {
    id: 'reboot-pending',
    title: `Reboot the restored ${kind.noun}${kind.members ? "'s members" : ''} where a parameter group waits for it`,
    async run(ctx, io) {
      const copy = await restoredCopy(ctx);
      const rebooted = new Set(await primaryOps(ctx).rebootPending(copy.identifier));
      if (kind.members) {
        for (const member of original(ctx).members) {
          for (const name of await memberOps(ctx).rebootPending(memberRestoreName(ctx, member.identifier))) rebooted.add(name);
        }
      }
      if (rebooted.size > 0) {
        io.status(`rebooting ${[...rebooted].join(', ')}`);
        await io.notice('info', `Rebooted ${[...rebooted].join(', ')} to apply the DB parameter group.`);
      }
      const members = kind.members ? original(ctx).members.map((m) => memberRestoreName(ctx, m.identifier)) : [];
      await Promise.all(members.map((name) => ctx.rds.waitInstanceSettled(name, waitOpts(io))));
      const settled = await primaryOps(ctx).waitSettled(copy.identifier, waitOpts(io));
      if (settled.needsReboot) throw new RetryableStateError(`${copy.identifier} still has a parameter group waiting for a reboot.`);
    },
  };
}

/** Compares the restored copy (and members) with the captured originals; differences are journaled warnings. */
export function verifyStep<C, M>(kind: ResourceKind<C, M>): Step<RestoreContext<C, M>> {
  return {
    id: 'verify',
    title: `Verify the restored ${kind.noun}${kind.members ? ' and members' : ''} against the original${kind.members ? 's' : ''}`,
    async run(ctx, io) {
      const copy = await restoredCopy(ctx);
      if (!isReady(copy.status)) throw new StepError(`The restored ${kind.noun} is ${copy.status}, not available.`);
      const differences: ConfigDifference[] = kind.settings.diff(ctx.plan.identifier, original(ctx).config, copy.config);
      const support = kind.members;
      if (support) {
        for (const member of original(ctx).members) {
          const name = memberRestoreName(ctx, member.identifier);
          const current = await ctx.rds.describeInstance(name);
          if (!current || !isReady(current.status)) throw new StepError(`The recreated member ${name} is ${current?.status ?? 'missing'}.`);
          differences.push(...support.settings.diff(member.identifier, member.config, current.config));
        }
        differences.push(...support.verify(copy, original(ctx).members, (m) => memberRestoreName(ctx, m), ctx.plan.identifier));
      }
      await recordDifferences(ctx, differences, io);
    },
  };
}

/** Journals the differences; the warnings are noticed once, even if verification runs again. */
async function recordDifferences(ctx: RestoreContext<unknown, unknown>, differences: ConfigDifference[], io: StepIo): Promise<void> {
  const firstCheck = ctx.state.configDifferences === undefined;
  ctx.state.configDifferences = differences;
  if (!firstCheck) return;
  for (const d of differences) {
    await io.notice(
      'warning',
      `${d.resource}: ${d.setting} is ${JSON.stringify(d.actual)}, the original had ${JSON.stringify(d.expected)}.`,
    );
  }
}
