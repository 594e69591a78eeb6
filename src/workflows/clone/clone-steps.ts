import { StepError } from '../../core/errors.js';
import type { Tag } from '../../core/rds-resources.js';
import { identityOf, isSameResource } from '../../core/resource-identity.js';
import type { Step, StepIo } from '../../engine/step.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import { deletePartialCopy, waitOpts } from '../resources/rename-ops.js';
import type { DescribedResource } from '../resources/resource-ops.js';
import { captureStep, createMembersStep } from '../restore/prepare-steps.js';
import { memberOps, memberRestoreName, original, primaryOps, restoreName, type RestoreContext } from '../restore/restore-context.js';
import type { CapturedMember } from '../restore/restore-plan.js';
import { requestRestore } from '../restore/restore-source.js';
import { CLONE_OF_TAG, cloneTags, isThisRunsClone, type ClonePlan } from './clone-plan.js';
import { RUN_TAG } from '../snapshot/snapshot-tags.js';

type AnyContext = RestoreContext<unknown, unknown>;

/** A configuration with the clone's own tags in place of any clone tags it carried (a clone of a clone). */
function withCloneTags(config: Record<string, unknown>, plan: ClonePlan, runId: string): void {
  const tags = ((config.tags as Tag[] | undefined) ?? []).filter((t) => t.key !== RUN_TAG && t.key !== CLONE_OF_TAG);
  config.tags = [...tags, ...cloneTags(plan.identifier, runId)];
}

/**
 * The source's configuration as the clone wants it: the overrides given, this run's tags, no
 * availability zone when the subnet group changes (the source's may not be in it), and no
 * managed master secret unless asked for (the clone then gets its own).
 */
function cloneConfig<C>(noun: 'instance' | 'cluster', source: C, plan: ClonePlan, runId: string): C {
  const config = { ...(source as Record<string, unknown>) };
  const { instanceClass, dbSubnetGroupName, vpcSecurityGroupIds, parameterGroupName } = plan.overrides;
  if (dbSubnetGroupName) {
    config.dbSubnetGroupName = dbSubnetGroupName;
    delete config.availabilityZone;
  }
  if (vpcSecurityGroupIds) config.vpcSecurityGroupIds = vpcSecurityGroupIds;
  if (parameterGroupName) config[noun === 'cluster' ? 'dbClusterParameterGroupName' : 'dbParameterGroupName'] = parameterGroupName;
  if (instanceClass && noun === 'instance') config.instanceClass = instanceClass;
  if (!plan.manageMasterUserPassword) delete config.masterUserSecret;
  withCloneTags(config, plan, runId);
  return config as C;
}

/** An Aurora member's configuration in the clone: the instance class and subnet overrides, this run's tags. */
function cloneMemberConfig(member: CapturedMember, plan: ClonePlan, runId: string): CapturedMember {
  const config = { ...member.config } as Record<string, unknown>;
  if (plan.overrides.instanceClass) config.instanceClass = plan.overrides.instanceClass;
  if (plan.overrides.dbSubnetGroupName) delete config.availabilityZone;
  withCloneTags(config, plan, runId);
  return { ...member, config: config as CapturedMember['config'] };
}

/**
 * Captures the source (and its members) once and keeps, as what the clone must become, its
 * configuration with the overrides and this run's tags. The source's identity is kept too: no
 * step ever acts on it.
 */
export function captureCloneStep<C, M>(kind: ResourceKind<C, M>, plan: ClonePlan): Step<RestoreContext<C, M>> {
  const capture = captureStep(kind);
  return {
    id: capture.id,
    title: `Capture the configuration of ${plan.identifier}${kind.members ? ' and its members' : ''}`,
    async run(ctx, io) {
      if (ctx.state.original) return;
      await capture.run(ctx, io);
      const source = original(ctx);
      ctx.state.original = {
        ...source,
        config: cloneConfig(kind.noun, source.config, plan, ctx.runId),
        members: source.members.map((m) => cloneMemberConfig(m, plan, ctx.runId)),
        customEndpoints: [],
      };
    },
  };
}

/** Whether what is under a clone's name is this run's: the copy it recorded, or tagged with its run id. */
const ownsPrimary = (ctx: AnyContext, info: DescribedResource<unknown>): boolean =>
  (ctx.state.restored !== undefined && isSameResource(info, ctx.state.restored)) || isThisRunsClone(info.config, ctx.runId);

/**
 * Restores the snapshot under the clone's name. A database already there that this run did not
 * create is never taken over (the preflight found the name free; someone took it since).
 * Undo deletes the clone — only if it is this run's (recorded identity, or tagged with its run id).
 */
export function cloneRestoreStep<C, M>(kind: ResourceKind<C, M>, pointInTime = false): Step<RestoreContext<C, M>> {
  return {
    id: kind.stepIds.restore,
    title: `Restore the ${kind.noun === 'cluster' ? 'cluster ' : ''}${pointInTime ? 'point in time' : 'snapshot'} under the new identifier`,
    compensateTitle: `Delete the clone (only what this run created)`,
    async run(ctx, io) {
      const ops = primaryOps(ctx);
      const name = restoreName(ctx);
      const current = await ops.describe(name);
      if (current && (isSameResource(current, original(ctx)) || !ownsPrimary(ctx, current))) {
        throw new StepError(`${name} exists and was not created by this run: a clone never takes over a database it did not create.`, {
          hint: 'Choose another --target.',
        });
      }
      if (!current) {
        // Deletion protection is applied with the other settings once the clone is available:
        // until it is verified, it must stay deletable so that a revert can remove it. The source
        // of a point in time is found by its identity, never by a name alone.
        await requestRestore(ctx, { ...original(ctx).config, deletionProtection: false });
      }
      ctx.state.restored = identityOf(await ops.waitAvailable(name, waitOpts(io)));
    },
    async compensate(ctx, io) {
      const ops = primaryOps(ctx);
      const name = restoreName(ctx);
      const current = await ops.describe(name);
      if (!current) return;
      if (!ownsPrimary(ctx, current) || isSameResource(current, original(ctx))) {
        await io.notice('warning', `${name} was not created by this run; it is left as it is.`);
        return;
      }
      await deletePartialCopy(ops, name, original(ctx), io);
    },
  };
}

/** Whether the member instance under a clone member's name is this run's. */
function ownsMember(ctx: AnyContext, member: CapturedMember, info: DescribedResource<unknown>): boolean {
  const recorded = ctx.state.restoredMembers?.[member.identifier];
  return (recorded !== undefined && isSameResource(info, recorded)) || isThisRunsClone(info.config, ctx.runId);
}

async function forEachMember(
  ctx: AnyContext,
  act: (member: CapturedMember, name: string, info: DescribedResource<unknown> | undefined) => Promise<void>,
): Promise<void> {
  await Promise.all(
    original(ctx).members.map(async (member) => {
      const name = memberRestoreName(ctx, member.identifier);
      await act(member, name, await memberOps(ctx).describe(name));
    }),
  );
}

/** Creates the clone's member instances (the writer first, as a restore does), refusing names held by instances not this run's. */
export const cloneMembersStep: Step<AnyContext> = {
  id: createMembersStep.id,
  title: 'Create the member instances of the clone, the writer first',
  compensateTitle: "Delete the clone's member instances (only those this run created)",
  async run(ctx, io: StepIo) {
    await forEachMember(ctx, async (member, name, info) => {
      if (info && !ownsMember(ctx, member, info)) {
        throw new StepError(`${name} exists and was not created by this run: a clone never takes over an instance it did not create.`);
      }
      return Promise.resolve();
    });
    await createMembersStep.run(ctx, io);
  },
  async compensate(ctx, io) {
    await forEachMember(ctx, async (member, name, info) => {
      if (!info) return;
      if (!ownsMember(ctx, member, info)) return io.notice('warning', `${name} was not created by this run; it is left as it is.`);
      await deletePartialCopy(memberOps(ctx), name, member, io);
    });
  },
};
