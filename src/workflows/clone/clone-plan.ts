import { z } from 'zod';
import type { Tag } from '../../core/rds-resources.js';
import { hooksPlanSchema } from '../hooks/hook-plan.js';
import { derivedIdentifier } from '../identifiers.js';
import type { RestorePlan } from '../restore/restore-plan.js';
import { restoreSourceSchema } from '../restore/restore-source-schema.js';
import { RUN_TAG } from '../snapshot/snapshot-tags.js';

/** The tag naming the database a clone was made from; with `trapheus:run` it marks the clone (and its members) as a run's own. */
export const CLONE_OF_TAG = 'trapheus:clone-of';

/** Settings of the clone that differ from the source's, as given on the command line. */
export const cloneOverridesSchema = z.object({
  instanceClass: z.string().optional(),
  dbSubnetGroupName: z.string().optional(),
  vpcSecurityGroupIds: z.array(z.string()).optional(),
  /** A DB parameter group (instance) or DB cluster parameter group (cluster). */
  parameterGroupName: z.string().optional(),
});
export type CloneOverrides = z.infer<typeof cloneOverridesSchema>;

/** Where a clone takes its names: derived once by the preflight and journaled. Nothing of the source is renamed or deleted. */
export const clonePlanSchema = z.object({
  /** The database cloned (never changed). */
  identifier: z.string(),
  /** The new database. */
  target: z.string(),
  /** Aurora: each source member and the name of its copy in the clone. */
  members: z.array(z.object({ identifier: z.string(), target: z.string() })).default([]),
  /** Absent when the clone is of a point in time (`source`). */
  snapshotIdentifier: z.string().optional(),
  snapshotSource: z.enum(['named', 'newest-own', 'predecessor', 'fresh', 'point-in-time']),
  /** Where the data comes from (see restore-source-schema.ts); absent: the snapshot above. */
  source: restoreSourceSchema.optional(),
  overrides: cloneOverridesSchema.default({}),
  /** Give the clone its own Secrets-Manager-managed master password where the source has one. */
  manageMasterUserPassword: z.boolean().default(false),
  retain: z.number().int().positive(),
  hooks: hooksPlanSchema.optional(),
});
export type ClonePlan = z.infer<typeof clonePlanSchema>;

/**
 * The plan the shared prepare steps (restore, members, settings, reboot, verify, hooks) read: a
 * swap whose "restoring" names are the clone's. No step of a clone renames or deletes anything
 * of the source; `retiredIdentifier` is never used by them (it names the target, so nothing else).
 */
export function asRestorePlan(plan: ClonePlan): RestorePlan {
  return {
    identifier: plan.identifier,
    retiredIdentifier: plan.target,
    strategy: 'swap',
    restoringIdentifier: plan.target,
    members: plan.members.map((m) => ({ identifier: m.identifier, retiredIdentifier: m.target, restoringIdentifier: m.target })),
    snapshotIdentifier: plan.snapshotIdentifier,
    snapshotSource: plan.snapshotSource,
    ...(plan.source ? { source: plan.source } : {}),
    keepAutomatedBackups: true,
    retain: plan.retain,
    ...(plan.hooks ? { hooks: plan.hooks } : {}),
  };
}

/** A member's name in the clone: the source's prefix replaced by the target (`c1-a` → `copy-a`), else the target, a hyphen and the member's name. */
export function cloneMemberName(source: string, target: string, member: string): string {
  const prefixed = member.toLowerCase().startsWith(`${source.toLowerCase()}-`);
  return prefixed ? derivedIdentifier(target, member.slice(source.length)) : derivedIdentifier(target, `-${member}`);
}

/** The tags that mark a clone (and each of its members) as made by this run. */
export const cloneTags = (source: string, runId: string): Tag[] => [
  { key: CLONE_OF_TAG, value: source },
  { key: RUN_TAG, value: runId },
];

/** Whether a described resource carries this run's clone tags: only such a resource is ever deleted by a clone's revert. */
export function isThisRunsClone(config: unknown, runId: string): boolean {
  const tags = (config as { tags?: Tag[] } | undefined)?.tags ?? [];
  return tags.some((t) => t.key === RUN_TAG && t.value === runId) && tags.some((t) => t.key === CLONE_OF_TAG);
}
