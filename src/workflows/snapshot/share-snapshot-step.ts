import { UsageError } from '../../core/errors.js';
import type { Step } from '../../engine/step.js';
import type { SnapshotOps } from './snapshot-ops.js';

/** What the share step works with. */
export interface ShareStepContext {
  snapshots: SnapshotOps;
  snapshotIdentifier: string;
  /** AWS account ids (12 digits) that may copy and restore the snapshot. */
  shareWith: readonly string[];
}

/**
 * `--share-with`: account ids, 12 digits each (comma-separated). `all` (public) is refused: a
 * snapshot holds a database's data.
 */
export function parseShareWith(text: string | readonly string[] | undefined): string[] {
  const values = (typeof text === 'string' ? text.split(',') : (text ?? [])).map((v) => v.trim()).filter((v) => v !== '');
  const bad = values.filter((v) => !/^\d{12}$/.test(v));
  if (bad.length > 0) {
    throw new UsageError(`--share-with takes AWS account ids (12 digits): ${bad.join(', ')} is not one.`, {
      hint: 'e.g. --share-with 111122223333,444455556666. A snapshot is never made public.',
    });
  }
  return [...new Set(values)];
}

/**
 * Shares the new snapshot with other accounts (the `restore` attribute), adding only the
 * accounts it is not shared with yet: a resumed run adds nothing twice. Nothing to undo: the
 * database is not touched, and the snapshot stays trapheus's.
 */
export function shareSnapshotStep<Ctx>(select: (ctx: Ctx) => ShareStepContext): Step<Ctx> {
  return {
    id: 'share-snapshot',
    title: 'Share the snapshot with the other accounts',
    async run(ctx, io) {
      const s = select(ctx);
      const already = new Set(await s.snapshots.sharedWith(s.snapshotIdentifier));
      const missing = s.shareWith.filter((account) => !already.has(account));
      if (missing.length > 0) {
        io.status(`sharing with ${missing.join(', ')}`);
        await s.snapshots.share(s.snapshotIdentifier, missing);
      }
    },
  };
}
