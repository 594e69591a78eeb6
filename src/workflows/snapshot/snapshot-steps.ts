import { describeError, StepError } from '../../core/errors.js';
import type { Step } from '../../engine/step.js';
import { snapshotNameOf } from '../identifiers.js';
import type { SnapshotOps } from './snapshot-ops.js';
import { managedSnapshotTags, newestManagedFirst } from './snapshot-tags.js';

/** What the snapshot steps need from a workflow's context. */
export interface SnapshotStepContext {
  snapshots: SnapshotOps;
  runId: string;
  /** The database the snapshot is taken of (its name while it is still the original). */
  sourceIdentifier: string;
  /** The name of the snapshot this run takes. */
  snapshotIdentifier: string;
  /** How many of trapheus's own snapshots to keep. */
  retain: number;
  /** A snapshot that must never be pruned (the one being restored from). */
  protectedSnapshot?: string | undefined;
}

/** Takes a snapshot tagged as trapheus's own and waits until it is available; idempotent by name. */
export function createSnapshotStep<C>(select: (ctx: C) => SnapshotStepContext): Step<C> {
  return {
    id: 'create-snapshot',
    title: 'Take a snapshot',
    async run(ctx, io) {
      const s = select(ctx);
      const existing = await s.snapshots.describe(s.snapshotIdentifier);
      if (existing && existing.sourceIdentifier !== s.sourceIdentifier) {
        throw new StepError(
          `Snapshot ${s.snapshotIdentifier} already exists and is of ${existing.sourceIdentifier}, not ${s.sourceIdentifier}.`,
        );
      }
      if (!existing) {
        await s.snapshots.create(s.sourceIdentifier, s.snapshotIdentifier, managedSnapshotTags(s.sourceIdentifier, s.runId));
      }
      await s.snapshots.waitAvailable(s.snapshotIdentifier, {
        signal: io.signal,
        onStatus: (status) => io.status(status),
        onProgress: (percent) => io.progress?.(percent),
      });
    },
  };
}

/**
 * Deletes trapheus's own snapshots of the database beyond the newest `retain` — never a
 * snapshot it did not take, never the one restored from. Runs only after the new snapshot is
 * available, so the previous one is never gone before its replacement exists. A failure here
 * is a warning: the snapshots are extra copies, not the database.
 */
export function pruneSnapshotsStep<C>(select: (ctx: C) => SnapshotStepContext): Step<C> {
  return {
    id: 'prune-snapshots',
    title: 'Delete older trapheus snapshots beyond the retention count',
    async run(ctx, io) {
      const s = select(ctx);
      try {
        const own = newestManagedFirst(await s.snapshots.list(s.sourceIdentifier), s.sourceIdentifier);
        const keep = new Set([s.snapshotIdentifier, ...(s.protectedSnapshot ? [snapshotNameOf(s.protectedSnapshot)] : [])]);
        const excess = own.filter((snap) => !keep.has(snap.identifier)).slice(Math.max(0, s.retain - 1));
        for (const snap of excess) {
          io.status(`deleting ${snap.identifier}`);
          await s.snapshots.delete(snap.identifier);
          await io.notice('info', `Deleted old trapheus snapshot ${snap.identifier} (keeping ${s.retain}).`);
        }
      } catch (error) {
        if (io.signal.aborted) throw error;
        const { name, message } = describeError(error);
        await io.notice('warning', `Could not prune old snapshots (${name}: ${message}); they are kept.`);
      }
    },
  };
}
