import type { RdsGateway } from '../../aws/rds-gateway.js';
import type { Config } from '../../config/config-schema.js';
import type { RunDocument } from '../../engine/run-document.js';
import { runWorkflow } from '../../engine/run-workflow.js';
import { parseJournaled, type BoundWorkflow } from '../bound-workflow.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import type { DescribedResource } from '../resources/resource-ops.js';
import type { SnapshotOps } from '../snapshot/snapshot-ops.js';
import { preflightRestore, type RestoreInput, type RestorePreflight } from './restore-preflight.js';
import { restorePlanSchema, restoreStateSchema } from './restore-plan.js';
import { checkRestoreNames } from './journaled-names.js';
import { describeRestoreSituation } from './restore-situation.js';
import { restoreWorkflow } from './restore-workflow.js';
import { bindClone, cloneWorkflowName } from '../clone/clone-workflow.js';
import { summarizeHooks } from '../hooks/hook-plan.js';
import { preflightClone, type CloneInput, type ClonePreflight } from '../clone/clone-preflight.js';
import { restoreSourceOf, summarizeRestoreSource } from './restore-source.js';

/**
 * A kind as the rest of trapheus uses it: the generic restore (preflight, workflow, situation)
 * instantiated for the kind's own configuration type, behind one non-generic interface.
 */
export interface RegisteredKind {
  readonly name: string;
  readonly workflow: string;
  readonly noun: 'instance' | 'cluster';
  readonly label: string;
  /** The command-line flag that selects this kind ('' for the default). */
  readonly flag: string;
  snapshots(rds: RdsGateway): SnapshotOps;
  /** The database under `identifier`, or undefined; `UsageError` when it is of another kind. */
  find(rds: RdsGateway, identifier: string, command: string): Promise<DescribedResource<unknown> | undefined>;
  preflight(rds: RdsGateway, input: RestoreInput, config: Config, now: Date): Promise<RestorePreflight>;
  /** The journal name of this kind's clone workflow (`trapheus clone`). */
  readonly cloneWorkflow: string;
  preflightClone(rds: RdsGateway, input: CloneInput, config: Config, now: Date): Promise<ClonePreflight>;
  /** The restore (or clone) workflow of a journaled run of this kind, over its validated plan and state. */
  bind(doc: RunDocument): BoundWorkflow;
}

/** Instantiates the generic restore for one kind. */
export function registerKind<C, M>(kind: ResourceKind<C, M>): RegisteredKind {
  return {
    name: kind.name,
    workflow: kind.workflow,
    noun: kind.noun,
    label: kind.label,
    flag: kind.flag,
    snapshots: (rds) => kind.snapshots(rds),
    find: (rds, identifier, command) => kind.find(rds, identifier, command),
    preflight: (rds, input, config, now) => preflightRestore(kind, rds, input, config, now),
    cloneWorkflow: cloneWorkflowName(kind),
    preflightClone: (rds, input, config, now) => preflightClone(kind, rds, input, config, now),
    bind(doc) {
      if (doc.workflow === cloneWorkflowName(kind)) return bindClone(kind, doc);
      const plan = parseJournaled(restorePlanSchema, doc.plan, doc, 'plan');
      const state = parseJournaled(restoreStateSchema(kind.configSchema), doc.state, doc, 'state');
      checkRestoreNames(doc, plan, state.original?.members, Boolean(kind.members));
      // The steps write into the validated state; it is the document's state from now on, so
      // every journal save carries what they learned.
      doc.state = state;
      const workflow = restoreWorkflow(kind, plan);
      return {
        steps: workflow.steps,
        run: (gateways, runner) =>
          runWorkflow(
            workflow,
            { ...gateways, runId: doc.runId, kind, plan, state, region: doc.region, command: doc.command },
            doc,
            runner,
          ),
        snapshotIdentifier: plan.snapshotIdentifier,
        source: summarizeRestoreSource(restoreSourceOf(plan)),
        configDifferences: () => state.configDifferences ?? [],
        exportState: () => state.export,
        hooks: () => summarizeHooks(state.hooks),
        downtime: () => state.downtime,
        masterUserSecretArn: () => state.masterUserSecretArn,
        resourceArn: () => state.original?.arn,
        situation: (rds, outcome) => describeRestoreSituation(kind, rds, doc.runId, plan, state, outcome),
      };
    },
  };
}
