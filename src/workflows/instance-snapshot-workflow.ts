import { z } from 'zod';
import type { ExportGateway } from '../aws/export-gateway.js';
import type { RdsGateway } from '../aws/rds-gateway.js';
import { exportPlanSchema, type ExportState } from './export/export-plan.js';
import { startExportStep } from './export/start-export-step.js';
import type { Workflow } from '../engine/step.js';
import { snapshotOps } from './snapshot-ops.js';
import { createSnapshotStep, pruneSnapshotsStep, type SnapshotStepContext } from './snapshot-steps.js';

/** The journal name of the snapshot-only workflow (instances and clusters). */
export const SNAPSHOT_ONLY = 'snapshot-only';

/** The plan of a snapshot-only run. */
export const snapshotPlanSchema = z.object({
  identifier: z.string(),
  cluster: z.boolean(),
  snapshotIdentifier: z.string(),
  retain: z.number().int().positive(),
  export: exportPlanSchema.optional(),
});

/** The plan of a snapshot-only run. */
export type SnapshotPlan = z.infer<typeof snapshotPlanSchema>;

/** What the snapshot-only steps work with. */
export interface SnapshotOnlyContext {
  rds: RdsGateway;
  exports?: ExportGateway | undefined;
  runId: string;
  plan: SnapshotPlan;
  state: { export?: ExportState | undefined };
}

const select = (ctx: SnapshotOnlyContext): SnapshotStepContext => ({
  snapshots: snapshotOps(ctx.rds, ctx.plan.cluster),
  runId: ctx.runId,
  sourceIdentifier: ctx.plan.identifier,
  snapshotIdentifier: ctx.plan.snapshotIdentifier,
  retain: ctx.plan.retain,
});

/** Take a new tagged snapshot, wait until it is available, then prune trapheus's older ones. */
export function snapshotOnlyWorkflow(plan: SnapshotPlan): Workflow<SnapshotOnlyContext> {
  const exportPlan = plan.export;
  // Nothing to revert: a snapshot that was taken is a valid snapshot, and pruning runs last.
  return {
    steps: [
      createSnapshotStep(select),
      ...(exportPlan
        ? [startExportStep<SnapshotOnlyContext>((ctx) => ({ exports: ctx.exports, snapshots: snapshotOps(ctx.rds, ctx.plan.cluster), snapshotIdentifier: ctx.plan.snapshotIdentifier, plan: exportPlan, state: ctx.state }))]
        : []),
      pruneSnapshotsStep(select),
    ],
    pointOfNoReturn: 'create-snapshot',
  };
}
