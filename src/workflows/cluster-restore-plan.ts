import { z } from 'zod';
import type { ClusterConfig, InstanceConfig } from '../core/rds-resources.js';
import { exportPlanSchema, type ExportState } from './export/export-plan.js';
import type { Downtime } from './instance-restore-plan.js';
import type { ResourceIdentity } from '../core/resource-identity.js';
import type { ConfigDifference } from '../core/run-summary.js';

/** The journal name of the cluster restore workflow. */
export const CLUSTER_RESTORE = 'cluster-restore';

/** Resource names of a cluster restore — the cluster's and each member's — derived once and journaled. */
export const clusterRestorePlanSchema = z.object({
  identifier: z.string(),
  retiredIdentifier: z.string(),
  /** rename-first, or swap: restore and prepare aside, then cut over with renames. */
  strategy: z.enum(['rename-first', 'swap']).default('rename-first'),
  /** swap only: where the cluster is restored while the original serves. */
  restoringIdentifier: z.string().optional(),
  members: z.array(z.object({ identifier: z.string(), retiredIdentifier: z.string(), restoringIdentifier: z.string().optional() })),
  snapshotIdentifier: z.string(),
  snapshotSource: z.enum(['named', 'newest-own', 'predecessor', 'fresh']),
  finalSnapshotIdentifier: z.string().optional(),
  retain: z.number().int().positive(),
  export: exportPlanSchema.optional(),
});

/** The plan of a cluster restore. */
export type ClusterRestorePlan = z.infer<typeof clusterRestorePlanSchema>;

/** A member instance as captured before the first change. */
export interface CapturedMember extends ResourceIdentity {
  identifier: string;
  isWriter: boolean;
  promotionTier?: number | undefined;
  config: InstanceConfig;
}

/** The original cluster and its members as captured before the first change. */
export interface CapturedCluster extends ResourceIdentity {
  identifier: string;
  arn: string;
  config: ClusterConfig;
  members: CapturedMember[];
}

/** What a cluster restore learns as it goes; journaled with the run. */
export interface ClusterRestoreState {
  original?: CapturedCluster;
  /** Set just before the first rename is requested. */
  renameRequested?: boolean;
  /** The restored cluster's and members' identities (by member name), for the cut-over and its undo. */
  restored?: ResourceIdentity;
  restoredMembers?: Record<string, ResourceIdentity>;
  configDifferences?: ConfigDifference[];
  export?: ExportState;
  downtime?: Downtime;
}
