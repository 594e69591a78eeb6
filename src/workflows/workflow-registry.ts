import type { ExportGateway } from '../aws/export-gateway.js';
import type { RdsGateway } from '../aws/rds-gateway.js';
import { JournalError } from '../core/errors.js';
import type { RunOutcome } from '../engine/run-workflow.js';
import type { Workflow } from '../engine/step.js';
import type { RunDocument } from '../engine/run-document.js';
import { CLUSTER_RESTORE, clusterRestorePlanSchema, type ClusterRestoreState } from './cluster-restore-plan.js';
import { clusterRestoreWorkflow } from './cluster-restore-workflow.js';
import { describeClusterSituation } from './cluster-situation.js';
import { describeInstanceSituation } from './instance-situation.js';
import { INSTANCE_RESTORE, instanceRestorePlanSchema, type InstanceRestoreState } from './instance-restore-plan.js';
import { instanceRestoreWorkflow } from './instance-restore-workflow.js';
import { SNAPSHOT_ONLY, snapshotOnlyWorkflow, snapshotPlanSchema } from './instance-snapshot-workflow.js';
import type { ConfigDifference } from '../core/run-summary.js';

/** A workflow rebuilt from its journal: the same steps, over the journaled plan and state. */
export interface BoundWorkflow {
  workflow: Workflow<unknown>;
  /** The steps' context over a gateway; the plan and state are the journal's own objects. */
  context(gateways: { rds: RdsGateway; exports?: ExportGateway | undefined; now: () => Date }): unknown;
  snapshotIdentifier: string | undefined;
  configDifferences(): ConfigDifference[];
  /** Sentences saying where the database stands after `outcome` (may describe resources: read-only). */
  situation(rds: RdsGateway, outcome: RunOutcome): Promise<string[]>;
}

/**
 * Rebuilds the workflow a run document names. Plans are validated with the workflow's own
 * schema: a journal whose plan does not fit is refused rather than guessed at.
 */
export function bindWorkflow(doc: RunDocument): BoundWorkflow {
  switch (doc.workflow) {
    case SNAPSHOT_ONLY: {
      const plan = parsePlan(snapshotPlanSchema, doc);
      return {
        workflow: snapshotOnlyWorkflow(plan) as Workflow<unknown>,
        context: (g) => ({ ...g, runId: doc.runId, plan, state: doc.state }),
        snapshotIdentifier: plan.snapshotIdentifier,
        configDifferences: () => [],
        situation: async (_rds, outcome) =>
          outcome.status === 'succeeded'
            ? [`Snapshot ${plan.snapshotIdentifier} of ${plan.identifier} is available.`]
            : [`${plan.cluster ? 'Cluster ' : ''}${plan.identifier} was not changed; snapshot ${plan.snapshotIdentifier} may be incomplete or missing.`],
      };
    }
    case INSTANCE_RESTORE: {
      const plan = parsePlan(instanceRestorePlanSchema, doc);
      const state = doc.state as InstanceRestoreState;
      return {
        workflow: instanceRestoreWorkflow(plan) as Workflow<unknown>,
        context: (g) => ({ ...g, runId: doc.runId, plan, state }),
        snapshotIdentifier: plan.snapshotIdentifier,
        configDifferences: () => state.configDifferences ?? [],
        situation: (rds, outcome) => describeInstanceSituation(rds, doc.runId, plan, state, outcome),
      };
    }
    case CLUSTER_RESTORE: {
      const plan = parsePlan(clusterRestorePlanSchema, doc);
      const state = doc.state as ClusterRestoreState;
      return {
        workflow: clusterRestoreWorkflow(plan) as Workflow<unknown>,
        context: (g) => ({ ...g, runId: doc.runId, plan, state }),
        snapshotIdentifier: plan.snapshotIdentifier,
        configDifferences: () => state.configDifferences ?? [],
        situation: (rds, outcome) => describeClusterSituation(rds, doc.runId, plan, state, outcome),
      };
    }
    default:
      throw new JournalError(`Run ${doc.runId} is of an unknown workflow "${doc.workflow}".`, {
        hint: 'Use the trapheus version that started this run.',
      });
  }
}

function parsePlan<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, doc: RunDocument): T {
  const parsed = schema.safeParse(doc.plan);
  if (!parsed.success) throw new JournalError(`The plan in run ${doc.runId} is not a valid ${doc.workflow} plan.`);
  return parsed.data;
}
