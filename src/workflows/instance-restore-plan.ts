import { z } from 'zod';
import type { InstanceConfig } from '../core/rds-resources.js';
import { exportPlanSchema, type ExportState } from './export/export-plan.js';
import type { ResourceIdentity } from '../core/resource-identity.js';
import type { ConfigDifference } from '../core/run-summary.js';

/** The journal name of the instance restore workflow. */
export const INSTANCE_RESTORE = 'instance-restore';

/** Resource names of an instance restore, derived once before the run and journaled with it. */
export const instanceRestorePlanSchema = z.object({
  identifier: z.string(),
  /** Where the original waits, renamed, until the restored copy is verified. */
  retiredIdentifier: z.string(),
  /** rename-first: rename the original away, then restore; swap: restore aside, then two renames. */
  strategy: z.enum(['rename-first', 'swap']).default('rename-first'),
  /** swap only: where the copy is restored and prepared while the original keeps serving. */
  restoringIdentifier: z.string().optional(),
  /** Snapshot restored from (id or ARN). */
  snapshotIdentifier: z.string(),
  snapshotSource: z.enum(['named', 'newest-own', 'predecessor', 'fresh']),
  finalSnapshotIdentifier: z.string().optional(),
  keepAutomatedBackups: z.boolean(),
  retain: z.number().int().positive(),
  export: exportPlanSchema.optional(),
});

/** The plan of an instance restore. */
export type InstanceRestorePlan = z.infer<typeof instanceRestorePlanSchema>;

/** The original instance as captured before the first change, with the identity that survives its rename. */
export interface CapturedInstance extends ResourceIdentity {
  identifier: string;
  arn: string;
  endpoint?: { address: string; port: number } | undefined;
  config: InstanceConfig;
}

/** What an instance restore learns as it goes; journaled with the run. */
export interface InstanceRestoreState {
  original?: CapturedInstance;
  /** Set just before the rename is requested, so a revert knows to wait for it to land. */
  renameRequested?: boolean;
  /** The restored copy's identity, so the cut-over and its undo never touch anything else. */
  restored?: ResourceIdentity;
  configDifferences?: ConfigDifference[];
  export?: ExportState;
  downtime?: Downtime;
}

/** When the original name stopped answering as available, and when it answered again (as observed). */
export interface Downtime {
  startedAt?: string | undefined;
  endedAt?: string | undefined;
}
