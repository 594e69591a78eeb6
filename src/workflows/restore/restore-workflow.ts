import type { Step, Workflow } from '../../engine/step.js';
import { startExportStep } from '../export/start-export-step.js';
import { hookSteps } from '../hooks/hook-steps.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import { createSnapshotStep, pruneSnapshotsStep, type SnapshotStepContext } from '../snapshot/snapshot-steps.js';
import {
  deleteOriginalMembersStep,
  deleteOriginalStep,
  renameMembersStep,
  renameOriginalStep,
  renameRestoredMembersStep,
  renameRestoredStep,
  unprotectStep,
} from './cutover-steps.js';
import { moveCustomEndpointsStep } from './endpoint-steps.js';
import {
  failBackStep,
  failoverRestoredStep,
  renameOriginalWriterStep,
  renameReadersStep,
  renameRestoredReadersStep,
  renameRestoredWriterStep,
} from './failover-steps.js';
import { copySnapshotStep, pruneCopiesStep } from './copy-snapshot.js';
import { applySettingsStep, captureStep, createMembersStep, rebootStep, restoreStep, verifyStep } from './prepare-steps.js';
import type { RestoreContext } from './restore-context.js';
import type { RestorePlan } from './restore-plan.js';
import { describeRestoreSource, restoreSourceOf } from './restore-source.js';

const snapshotContext = (ctx: RestoreContext<unknown, unknown>): SnapshotStepContext => ({
  snapshots: ctx.kind.snapshots(ctx.rds),
  runId: ctx.runId,
  sourceIdentifier: ctx.plan.identifier,
  // Only a snapshot source takes (fresh) or protects a snapshot.
  snapshotIdentifier: ctx.plan.snapshotIdentifier ?? '',
  retain: ctx.plan.retain,
  protectedSnapshot: ctx.plan.snapshotIdentifier,
});

/**
 * The in-place restore of a database of any kind. rename-first: the original (members first)
 * is renamed away, the snapshot restored under its name, members recreated, settings carried
 * over and verified. swap: the same restored, prepared and verified aside while the original
 * keeps serving, then a cut-over of renames. Either way the original is deleted only after the
 * point of no return, and a failure before it puts everything back.
 */
export function restoreWorkflow<C, M>(kind: ResourceKind<C, M>, plan: RestorePlan): Workflow<RestoreContext<C, M>> {
  const withMembers = <T>(steps: T[]): T[] => (kind.members ? steps : []);
  const fresh = plan.snapshotSource === 'fresh';
  const exportPlan = plan.export;
  const before: Step<RestoreContext<C, M>>[] = [
    captureStep(kind),
    // A snapshot of another account or region is copied here first (before anything is renamed).
    ...(plan.copy ? [copySnapshotStep(kind)] : []),
    ...(fresh ? [createSnapshotStep(snapshotContext)] : []),
    ...(exportPlan
      ? [
          startExportStep<RestoreContext<C, M>>((ctx) => ({
            exports: ctx.exports,
            snapshots: kind.snapshots(ctx.rds),
            snapshotIdentifier: plan.snapshotIdentifier ?? '',
            plan: exportPlan,
            state: ctx.state,
          })),
        ]
      : []),
  ];
  const source = restoreSourceOf(plan);
  const prepare = [
    restoreStep(kind, source.kind === 'snapshot' && !source.of ? undefined : describeRestoreSource(source)),
    ...withMembers([createMembersStep]),
    applySettingsStep(kind),
    rebootStep(kind),
    verifyStep(kind),
  ];
  const renameOriginals = [...withMembers([renameMembersStep]), renameOriginalStep(kind)];
  const after = [
    // Right after the point of no return: custom endpoints still route to the retired cluster.
    ...(kind.customEndpoints ? [moveCustomEndpointsStep] : []),
    unprotectStep(kind),
    ...withMembers([deleteOriginalMembersStep]),
    deleteOriginalStep(kind),
    ...(fresh ? [pruneSnapshotsStep(snapshotContext)] : []),
    ...(plan.copy ? [pruneCopiesStep(kind)] : []),
  ];
  // Hooks run against the verified copy, before the point of no return (a failing hook reverts):
  // beforeCutover before anyone can reach the copy, afterRestore once it is under its final name.
  const { beforeCutover, afterRestore } = hookSteps(kind, plan.hooks);
  if (plan.strategy === 'swap') {
    // Nothing original is renamed before the copy is verified; a failure up to the end of the
    // cut-over puts both back where they were.
    // A cluster with readers cuts over writer-last (failover-steps.ts): the interim writer is a
    // reader's counterpart, so no instance rename holds up the cluster endpoint; a fail-back ends it.
    const cutOver =
      kind.members && plan.failoverTarget
        ? [
            renameReadersStep,
            failoverRestoredStep,
            renameRestoredReadersStep,
            renameOriginalStep(kind),
            renameRestoredStep(kind),
            renameOriginalWriterStep,
            renameRestoredWriterStep,
            failBackStep,
          ]
        : [...renameOriginals, renameRestoredStep(kind), ...withMembers([renameRestoredMembersStep])];
    const last = afterRestore[0] ?? cutOver[cutOver.length - 1];
    return { steps: [...before, ...prepare, ...beforeCutover, ...cutOver, ...afterRestore, ...after], pointOfNoReturn: last?.id };
  }
  // rename-first: the copy is under the original name from its creation (preflight refuses
  // beforeCutover; a journal that has one still runs it, before afterRestore).
  const hooks = [...beforeCutover, ...afterRestore];
  return {
    steps: [...before, ...renameOriginals, ...prepare, ...hooks, ...after],
    pointOfNoReturn: hooks[hooks.length - 1]?.id ?? 'verify',
  };
}
