import type { RdsGateway } from '../../aws/rds-gateway.js';
import { describeError, PreconditionError } from '../../core/errors.js';
import type { RunDocument } from '../../engine/run-document.js';
import { runWorkflow, type RunOutcome } from '../../engine/run-workflow.js';
import type { Step, Workflow } from '../../engine/step.js';
import { parseJournaled, type BoundWorkflow } from '../bound-workflow.js';
import { summarizeHooks } from '../hooks/hook-plan.js';
import { hookSteps } from '../hooks/hook-steps.js';
import { invalidIdentifierReason, newSnapshotIdentifier } from '../identifiers.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import { applySettingsStep, rebootStep, verifyStep } from '../restore/prepare-steps.js';
import type { RestoreContext } from '../restore/restore-context.js';
import { restoreStateSchema } from '../restore/restore-plan.js';
import { describeRestoreSource, restoreSourceOf, summarizeRestoreSource } from '../restore/restore-source.js';
import { createSnapshotStep, pruneSnapshotsStep, type SnapshotStepContext } from '../snapshot/snapshot-steps.js';
import { asRestorePlan, cloneMemberName, clonePlanSchema, isThisRunsClone, type ClonePlan } from './clone-plan.js';
import { captureCloneStep, cloneMembersStep, cloneRestoreStep } from './clone-steps.js';

/** The journal name of a kind's clone workflow (`instance-clone`, `aurora-cluster-clone`). Shipped names never change. */
export const cloneWorkflowName = (kind: { name: string }): string => `${kind.name}-clone`;

/**
 * A new database from a snapshot with the source's configuration (and the overrides): capture,
 * (a fresh snapshot,) restore under the new name, members, settings, reboot, verify, hooks. The
 * source is only read. Every step up to the last hook is undone on failure — the clone, which
 * carries this run's tags, is deleted; nothing else is.
 */
export function cloneWorkflow<C, M>(kind: ResourceKind<C, M>, plan: ClonePlan): Workflow<RestoreContext<C, M>> {
  const fresh = plan.snapshotSource === 'fresh';
  const snapshotContext = (ctx: RestoreContext<C, M>): SnapshotStepContext => ({
    snapshots: kind.snapshots(ctx.rds),
    runId: ctx.runId,
    sourceIdentifier: plan.identifier,
    snapshotIdentifier: plan.snapshotIdentifier ?? '',
    retain: plan.retain,
    protectedSnapshot: plan.snapshotIdentifier,
  });
  const { beforeCutover, afterRestore } = hookSteps(kind, plan.hooks);
  const verified: Step<RestoreContext<C, M>>[] = [
    captureCloneStep(kind, plan),
    ...(fresh ? [createSnapshotStep(snapshotContext)] : []),
    cloneRestoreStep(kind, plan.source?.kind === 'point-in-time'),
    ...(kind.members ? [cloneMembersStep] : []),
    applySettingsStep(kind),
    rebootStep(kind),
    verifyStep(kind),
    // Nothing renamed: both hooks run against the clone before it is handed over.
    ...beforeCutover,
    ...afterRestore,
  ];
  return {
    steps: [...verified, ...(fresh ? [pruneSnapshotsStep(snapshotContext)] : [])],
    pointOfNoReturn: verified[verified.length - 1]?.id,
  };
}

/**
 * Before a journaled clone is acted on, its names must be the ones trapheus derives from the
 * run's own identifier and target (a crafted or damaged journal acts on nothing else; the revert
 * deletes only what carries the run's tags anyway).
 */
function checkCloneNames(doc: RunDocument, plan: ClonePlan): void {
  const fail = (what: string): never => {
    throw new PreconditionError(
      `Run ${doc.runId} does not fit its own identifier (${doc.identifier}): ${what}. trapheus does not act on it.`,
      {
        hint: `Inspect it (trapheus status ${doc.runId}) and move it out of the journal directory.`,
      },
    );
  };
  const id = doc.identifier.toLowerCase();
  if (plan.identifier.toLowerCase() !== id) fail(`plan.identifier is "${plan.identifier}"`);
  const target = plan.target.toLowerCase();
  const reason = invalidIdentifierReason(target);
  if (reason) fail(`plan.target "${plan.target}" is not a valid identifier (${reason})`);
  if (target === id) fail('plan.target is the source itself');
  for (const [i, m] of plan.members.entries()) {
    if (m.target.toLowerCase() !== cloneMemberName(id, target, m.identifier).toLowerCase())
      fail(`plan.members.${i}.target is "${m.target}"`);
  }
  if (plan.snapshotSource === 'fresh' && plan.snapshotIdentifier !== newSnapshotIdentifier(id, new Date(doc.createdAt)))
    fail(`plan.snapshotIdentifier is "${plan.snapshotIdentifier}"`);
}

/** A journaled clone of one kind, rebuilt over its validated plan and state. */
export function bindClone<C, M>(kind: ResourceKind<C, M>, doc: RunDocument): BoundWorkflow {
  const plan = parseJournaled(clonePlanSchema, doc.plan, doc, 'plan');
  const state = parseJournaled(restoreStateSchema(kind.configSchema), doc.state, doc, 'state');
  checkCloneNames(doc, plan);
  doc.state = state;
  const workflow = cloneWorkflow(kind, plan);
  const restorePlan = asRestorePlan(plan);
  return {
    steps: workflow.steps,
    run: (gateways, runner) =>
      runWorkflow(
        workflow,
        { ...gateways, runId: doc.runId, kind, plan: restorePlan, state, region: doc.region, command: 'clone' },
        doc,
        runner,
      ),
    snapshotIdentifier: plan.snapshotIdentifier,
    configDifferences: () => state.configDifferences ?? [],
    exportState: () => undefined,
    target: plan.target,
    source: summarizeRestoreSource(restoreSourceOf(restorePlan)),
    hooks: () => summarizeHooks(state.hooks),
    downtime: () => undefined,
    masterUserSecretArn: () => state.masterUserSecretArn,
    resourceArn: () => state.original?.arn,
    situation: (rds, outcome) => describeCloneSituation(kind, rds, doc.runId, plan, outcome),
  };
}

/** Where a clone left things: the source untouched, and the clone (looked at, read-only) made, deleted, or still there. */
async function describeCloneSituation<C, M>(
  kind: ResourceKind<C, M>,
  rds: RdsGateway,
  runId: string,
  plan: ClonePlan,
  outcome: RunOutcome,
): Promise<string[]> {
  const untouched = `${plan.identifier} was not changed.`;
  const what = `${kind.label} ${plan.target}${kind.members ? ` (members ${plan.members.map((m) => m.target).join(', ')})` : ''}`;
  let clone;
  try {
    clone = await kind.ops(rds).describe(plan.target);
  } catch (error) {
    return [`Could not look at ${plan.target} (${describeError(error).message}).`, untouched];
  }
  const ours = clone && isThisRunsClone(clone.config, runId);
  if (outcome.status === 'succeeded') {
    const endpoint = clone?.endpoint ? ` at ${clone.endpoint.address}${clone.endpoint.port ? `:${clone.endpoint.port}` : ''}` : '';
    return [
      `${what} is a new copy of ${plan.identifier} from ${describeRestoreSource(restoreSourceOf(asRestorePlan(plan)))}, ${clone?.status ?? 'gone'}${endpoint}.`,
      untouched,
    ];
  }
  if (outcome.status === 'rolled_back')
    return [ours ? `${plan.target} is ${clone?.status ?? '?'} (being deleted).` : `No clone ${plan.target} was left.`, untouched];
  const now = clone
    ? `${plan.target} is ${clone.status}${ours ? ' (this run’s clone)' : ' (not this run’s)'}.`
    : `Nothing is under ${plan.target}.`;
  const next =
    outcome.status === 'interrupted'
      ? `Run \`trapheus resume ${runId}\` to continue${outcome.failure ? ' the revert' : ''}, or \`trapheus abort ${runId}\` to delete the clone.`
      : outcome.compensationFailure
        ? `The revert did not finish. Run \`trapheus resume ${runId}\` to continue deleting the clone.`
        : `Run \`trapheus resume ${runId}\` to retry.`;
  return [now, untouched, next];
}
