import { InternalError, StepError } from '../../core/errors.js';
import type { Step } from '../../engine/step.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import { pruneSnapshotsStep, type SnapshotStepContext } from '../snapshot/snapshot-steps.js';
import { managedSnapshotTags, RUN_TAG } from '../snapshot/snapshot-tags.js';
import type { RestoreContext } from './restore-context.js';
import type { RestorePlan } from './restore-plan.js';
import { restoreSourceOf } from './restore-source.js';

/** The copy's name (journaled in the plan) and the database its source was taken of. */
function copyOf(plan: RestorePlan): { name: string; of: string } {
  const source = restoreSourceOf(plan);
  if (!plan.copy || source.kind !== 'snapshot' || !source.of) throw new InternalError('The plan copies no snapshot.');
  return { name: source.snapshotIdentifier, of: source.of };
}

/**
 * Copies the snapshot of another account or region into this account and region under the
 * name the preflight journaled (CopyDBSnapshot / CopyDBClusterSnapshot; re-encrypted with
 * `restore.copyKmsKeyId` when the source is encrypted), tagged as trapheus's own snapshot of the
 * database it was taken of, and waits until it is available. Check, then act: a resumed run
 * finds its copy by name (and by its run tag) and only waits. No undo: the copy is a trapheus
 * snapshot, left to the snapshot retention like the ones trapheus takes.
 */
export function copySnapshotStep<C, M>(kind: ResourceKind<C, M>): Step<RestoreContext<C, M>> {
  return {
    id: 'copy-snapshot',
    title: `Copy the ${kind.noun === 'cluster' ? 'cluster ' : ''}snapshot into this account and region`,
    async run(ctx, io) {
      const copy = ctx.plan.copy;
      if (!copy) return;
      const { name, of } = copyOf(ctx.plan);
      const snapshots = kind.snapshots(ctx.rds);
      const existing = await snapshots.describe(name);
      if (existing && existing.tags.find((t) => t.key === RUN_TAG)?.value !== ctx.runId) {
        throw new StepError(`Snapshot ${name} already exists and is not the copy this run made; rename or delete it, then resume.`);
      }
      if (!existing) {
        io.status(`copying ${copy.sourceArn}`);
        await ctx.rds.copySnapshot({
          kind: kind.noun,
          sourceArn: copy.sourceArn,
          targetIdentifier: name,
          kmsKeyId: copy.kmsKeyId,
          tags: managedSnapshotTags(of, ctx.runId),
        });
      }
      await snapshots.waitAvailable(name, {
        signal: io.signal,
        onStatus: (status) => io.status(status),
        onProgress: (percent) => io.progress?.(percent),
      });
    },
  };
}

/**
 * After the point of no return, trapheus's older copies of the same source database beyond
 * `snapshots.retain` are deleted (the one just restored is kept): the retention of the snapshots
 * trapheus takes, applied to the copies.
 */
export function pruneCopiesStep<C, M>(kind: ResourceKind<C, M>): Step<RestoreContext<C, M>> {
  return pruneSnapshotsStep<RestoreContext<C, M>>((ctx): SnapshotStepContext => {
    const { name, of } = copyOf(ctx.plan);
    return {
      snapshots: kind.snapshots(ctx.rds),
      runId: ctx.runId,
      sourceIdentifier: of,
      snapshotIdentifier: name,
      retain: ctx.plan.retain,
    };
  });
}
