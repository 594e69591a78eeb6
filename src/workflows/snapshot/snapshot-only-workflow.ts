import { z } from 'zod';
import type { RdsGateway } from '../../aws/rds-gateway.js';
import type { RunDocument } from '../../engine/run-document.js';
import { runWorkflow } from '../../engine/run-workflow.js';
import type { Workflow } from '../../engine/step.js';
import { parseJournaled, type BoundWorkflow, type StepGateways } from '../bound-workflow.js';
import { exportPlanSchema } from '../export/export-plan.js';
import { checkSnapshotNames } from '../restore/journaled-names.js';
import { startExportStep } from '../export/start-export-step.js';
import { kindOfFlag } from '../kinds/registry.js';
import type { SnapshotOps } from './snapshot-ops.js';
import { shareSnapshotStep } from './share-snapshot-step.js';
import { createSnapshotStep, pruneSnapshotsStep, type SnapshotStepContext } from './snapshot-steps.js';

/** The journal name of the snapshot-only workflow (every kind). */
export const SNAPSHOT_ONLY = 'snapshot-only';

/** The plan of a snapshot-only run. */
export const snapshotPlanSchema = z.object({
  identifier: z.string(),
  /** The kind, as the first release journaled it: a cluster snapshot or an instance one. */
  cluster: z.boolean(),
  snapshotIdentifier: z.string(),
  retain: z.number().int().positive(),
  export: exportPlanSchema.optional(),
  /** `--share-with`: accounts the new snapshot is shared with (share-snapshot-step.ts). */
  shareWith: z.array(z.string().regex(/^\d{12}$/)).default([]),
});

/** The plan of a snapshot-only run. */
export type SnapshotPlan = z.infer<typeof snapshotPlanSchema>;

const snapshotStateSchema = z.object({
  export: z.object({ taskId: z.string(), started: z.boolean(), error: z.string().optional() }).optional(),
});

/** What the snapshot-only steps work with. */
interface SnapshotOnlyContext extends StepGateways {
  runId: string;
  plan: SnapshotPlan;
  snapshots: SnapshotOps;
  state: z.infer<typeof snapshotStateSchema>;
}

const select = (ctx: SnapshotOnlyContext): SnapshotStepContext => ({
  snapshots: ctx.snapshots,
  runId: ctx.runId,
  sourceIdentifier: ctx.plan.identifier,
  snapshotIdentifier: ctx.plan.snapshotIdentifier,
  retain: ctx.plan.retain,
});

/** Take a new tagged snapshot, wait until it is available, then prune trapheus's older ones. */
function snapshotOnlyWorkflow(plan: SnapshotPlan): Workflow<SnapshotOnlyContext> {
  const exportPlan = plan.export;
  // Nothing to revert: a snapshot that was taken is a valid snapshot, and pruning runs last.
  return {
    steps: [
      createSnapshotStep(select),
      ...(plan.shareWith.length > 0
        ? [
            shareSnapshotStep<SnapshotOnlyContext>((ctx) => ({
              snapshots: ctx.snapshots,
              snapshotIdentifier: plan.snapshotIdentifier,
              shareWith: plan.shareWith,
            })),
          ]
        : []),
      ...(exportPlan
        ? [
            startExportStep<SnapshotOnlyContext>((ctx) => ({
              exports: ctx.exports,
              snapshots: ctx.snapshots,
              snapshotIdentifier: plan.snapshotIdentifier,
              plan: exportPlan,
              state: ctx.state,
            })),
          ]
        : []),
      pruneSnapshotsStep(select),
    ],
    pointOfNoReturn: 'create-snapshot',
  };
}

/** A journaled snapshot-only run, over its validated plan and state. */
export function bindSnapshotOnly(doc: RunDocument): BoundWorkflow {
  const plan = parseJournaled(snapshotPlanSchema, doc.plan, doc, 'plan');
  const state = parseJournaled(snapshotStateSchema, doc.state, doc, 'state');
  checkSnapshotNames(doc, plan);
  doc.state = state;
  const kind = kindOfFlag(plan.cluster);
  const workflow = snapshotOnlyWorkflow(plan);
  return {
    steps: workflow.steps,
    run: (gateways, runner) =>
      runWorkflow(workflow, { ...gateways, runId: doc.runId, plan, state, snapshots: kind.snapshots(gateways.rds) }, doc, runner),
    snapshotIdentifier: plan.snapshotIdentifier,
    configDifferences: () => [],
    exportState: () => state.export,
    downtime: () => undefined,
    resourceArn: () => undefined,
    situation: (_rds: RdsGateway, outcome) =>
      Promise.resolve(
        outcome.status === 'succeeded'
          ? [`Snapshot ${plan.snapshotIdentifier} of ${plan.identifier} is available.`]
          : [`${kind.label} ${plan.identifier} was not changed; snapshot ${plan.snapshotIdentifier} may be incomplete or missing.`],
      ),
  };
}
