import { z } from 'zod';
import type { RdsGateway } from '../aws/rds-gateway.js';
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
});

/** The plan of a snapshot-only run. */
export type SnapshotPlan = z.infer<typeof snapshotPlanSchema>;

/** What the snapshot-only steps work with. */
export interface SnapshotOnlyContext {
  rds: RdsGateway;
  runId: string;
  plan: SnapshotPlan;
}

const select = (ctx: SnapshotOnlyContext): SnapshotStepContext => ({
  snapshots: snapshotOps(ctx.rds, ctx.plan.cluster),
  runId: ctx.runId,
  sourceIdentifier: ctx.plan.identifier,
  snapshotIdentifier: ctx.plan.snapshotIdentifier,
  retain: ctx.plan.retain,
});

/** Take a new tagged snapshot, wait until it is available, then prune trapheus's older ones. */
export function snapshotOnlyWorkflow(): Workflow<SnapshotOnlyContext> {
  // Nothing to revert: a snapshot that was taken is a valid snapshot, and pruning runs last.
  return { steps: [createSnapshotStep(select), pruneSnapshotsStep(select)], pointOfNoReturn: 'create-snapshot' };
}
