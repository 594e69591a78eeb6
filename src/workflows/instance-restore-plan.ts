import { z } from 'zod';
import type { InstanceConfig } from '../aws/rds-gateway.js';
import { exportPlanSchema, type ExportState } from './export/export-plan.js';
import type { ResourceIdentity } from './resource-identity.js';
import type { ConfigDifference } from './run-summary.js';

/** The journal name of the instance restore workflow. */
export const INSTANCE_RESTORE = 'instance-restore';

/** Resource names of an instance restore, derived once before the run and journaled with it. */
export const instanceRestorePlanSchema = z.object({
  identifier: z.string(),
  /** Where the original waits, renamed, until the restored copy is verified. */
  retiredIdentifier: z.string(),
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
  configDifferences?: ConfigDifference[];
  export?: ExportState;
}
