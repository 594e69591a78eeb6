import { z } from 'zod';
import { customEndpointSchema, instanceConfigSchema } from '../../core/rds-resources.js';
import { InternalError } from '../../core/errors.js';
import type { ResourceIdentity } from '../../core/resource-identity.js';
import { exportPlanSchema } from '../export/export-plan.js';
import { hookRecordsSchema, hooksPlanSchema } from '../hooks/hook-plan.js';
import { restoreSourceSchema } from './restore-source-schema.js';

/** Where a restore of any kind takes its names: derived once by the preflight and journaled. */
export const restorePlanSchema = z.object({
  identifier: z.string(),
  /** Where the original waits, renamed, until the restored copy is verified. */
  retiredIdentifier: z.string(),
  /** rename-first: rename the original away, then restore; swap: restore aside, then renames. */
  strategy: z.enum(['rename-first', 'swap']).default('rename-first'),
  /** swap only: where the copy is restored and prepared while the original keeps serving. */
  restoringIdentifier: z.string().optional(),
  /** Member instances the kind recreates (Aurora), with their own temporary names. */
  members: z
    .array(z.object({ identifier: z.string(), retiredIdentifier: z.string(), restoringIdentifier: z.string().optional() }))
    .default([]),
  /**
   * swap, a cluster with a writer and a reader: the original reader whose restored counterpart
   * is the restored cluster's writer during the cut-over (failover-steps.ts: the writer-last
   * order). Absent — rename-first, no reader, or a journal written before it: the renames alone.
   */
  failoverTarget: z.string().optional(),
  /** Snapshot restored from (id or ARN); absent when the source is a point in time. */
  snapshotIdentifier: z.string().optional(),
  /** How the source was chosen: `other-database`: the newest snapshot of `--from`; `point-in-time`: no snapshot. */
  snapshotSource: z.enum(['named', 'newest-own', 'predecessor', 'fresh', 'other-database', 'point-in-time']),
  /**
   * A snapshot of another account or region, first copied into this account and region under
   * `snapshotIdentifier` (copy-snapshot.ts), which the restore then uses.
   */
  copy: z
    .object({ sourceArn: z.string(), sourceRegion: z.string().optional(), encrypted: z.boolean(), kmsKeyId: z.string().optional() })
    .optional(),
  /** Where the data comes from (see restore-source-schema.ts); absent in journals written before sources: the snapshot above. */
  source: restoreSourceSchema.optional(),
  finalSnapshotIdentifier: z.string().optional(),
  /** Custom endpoints the preflight found (moved during the cut-over); absent: they could not be listed. */
  customEndpoints: z.array(z.string()).optional(),
  /** Keep the retired original's automated backups (its point-in-time history) when deleting it. */
  keepAutomatedBackups: z.boolean().default(true),
  retain: z.number().int().positive(),
  export: exportPlanSchema.optional(),
  /** The hooks configured when the run was planned (a resume runs these, not the config's of the day). */
  hooks: hooksPlanSchema.optional(),
});

/** The plan of a restore. */
export type RestorePlan = z.infer<typeof restorePlanSchema>;

const identitySchema = z.object({ resourceId: z.string(), createdAt: z.string().optional() });

/** A member instance as captured before the first change. */
export const capturedMemberSchema = identitySchema.extend({
  identifier: z.string(),
  isWriter: z.boolean(),
  promotionTier: z.number().optional(),
  config: instanceConfigSchema,
});
export type CapturedMember = z.infer<typeof capturedMemberSchema>;

const windowSchema = z.object({ startedAt: z.string().optional(), endedAt: z.string().optional() });
const downtimeSchema = windowSchema.extend({
  /** The writer-last cut-over's fail-back: a second, short outage of the writer endpoint (a failover). */
  failback: windowSchema.optional(),
});
/** When the original name stopped answering as available, and when it answered again (as observed); and a fail-back's outage. */
export type Downtime = z.infer<typeof downtimeSchema>;

/**
 * What a restore learns as it goes, journaled with the run and validated with the kind's
 * configuration schema when the run is loaded again.
 */
export function restoreStateSchema<C>(configSchema: z.ZodType<C>) {
  return z.object({
    /** The original as captured before the first change, with the identity that survives renames. */
    original: identitySchema
      .extend({
        identifier: z.string(),
        arn: z.string(),
        endpoint: z.object({ address: z.string(), port: z.number().optional() }).optional(),
        config: configSchema,
        members: z.array(capturedMemberSchema).default([]),
        customEndpoints: z.array(customEndpointSchema).default([]),
      })
      .optional(),
    /** Set just before the first rename of an original is requested. */
    renameRequested: z.boolean().optional(),
    /** The restored copy's identity (and its members', by member name), so the cut-over and its undo touch nothing else. */
    restored: identitySchema.optional(),
    restoredMembers: z.record(z.string(), identitySchema).optional(),
    configDifferences: z
      .array(z.object({ resource: z.string(), setting: z.string(), expected: z.unknown(), actual: z.unknown() }))
      .optional(),
    export: z.object({ taskId: z.string(), started: z.boolean(), error: z.string().optional() }).optional(),
    downtime: downtimeSchema.optional(),
    /** The restored copy's own managed master secret (`--manage-master-password`), once it has one. */
    masterUserSecretArn: z.string().optional(),
    /** What each hook did (its exit, the tail of its output), by hook name. */
    hooks: hookRecordsSchema.optional(),
  });
}

/** The state of a restore of a kind whose configuration is `C`. */
export type RestoreState<C> = z.infer<ReturnType<typeof restoreStateSchema<C>>>;

/** The captured original of a restore of a kind whose configuration is `C`. */
export type CapturedOriginal<C> = NonNullable<RestoreState<C>['original']>;

/** The captured original; a bug if a step needs it before the capture step ran. */
export function originalOf<C>(state: RestoreState<C>): CapturedOriginal<C> {
  if (!state.original) throw new InternalError('The original was not captured before the first change.');
  return state.original;
}

/** The restored copy's identity (or a member's); a bug if the cut-over needs it before it was recorded. */
export function restoredIdentityOf(state: RestoreState<unknown>, member?: string): ResourceIdentity {
  const identity = member ? state.restoredMembers?.[member] : state.restored;
  if (!identity) throw new InternalError(`The restored ${member ?? 'copy'} was not recorded before the cut-over.`);
  return identity;
}
