import type { SnapshotInfo } from '../../core/rds-resources.js';
import { newSnapshotIdentifier } from '../identifiers.js';
import type { PreflightCheck } from '../../core/run-summary.js';
import type { SnapshotOps } from './snapshot-ops.js';
import { newestManagedFirst } from './snapshot-tags.js';

/** The snapshot a restore will use, and where it came from. */
export type SnapshotChoice = {
  identifier?: string | undefined;
  source: 'named' | 'newest-own' | 'predecessor' | 'fresh';
  info?: SnapshotInfo | undefined;
};

/**
 * Which snapshot a restore uses: the named one, a fresh one, else the newest available one
 * trapheus took of the database, else the predecessor's `<id>-snapshot`. Adds its check.
 */
export async function resolveSnapshot(
  snapshots: SnapshotOps,
  input: { identifier: string; snapshot?: string | undefined; freshSnapshot: boolean },
  now: Date,
  checks: PreflightCheck[],
): Promise<SnapshotChoice> {
  const { identifier } = input;
  const usable = (info: SnapshotInfo, source: SnapshotChoice['source']): SnapshotChoice => {
    if (info.status === 'available') {
      checks.push({
        name: 'snapshot',
        ok: true,
        detail: `${info.identifier} (${source}, taken ${info.createdAt?.toISOString() ?? 'at an unknown time'})`,
      });
    } else {
      checks.push({
        name: 'snapshot',
        ok: false,
        detail: `Snapshot ${info.identifier} is ${info.status}, not available; wait for it or choose another.`,
      });
    }
    // Allowed (a staging copy refreshed from production's snapshot), but never without a word.
    const of = info.sourceIdentifier;
    if (of && of.toLowerCase() !== identifier.toLowerCase()) {
      checks.push({
        name: 'snapshot of another database',
        ok: true,
        warning: true,
        detail: `Snapshot ${info.identifier} was taken of ${of}, not of ${identifier}: ${identifier} will be replaced by a copy of ${of}'s data.`,
      });
    }
    return { identifier: info.identifier, source, info };
  };

  if (input.freshSnapshot) {
    const name = newSnapshotIdentifier(identifier, now);
    if (await snapshots.describe(name)) {
      checks.push({ name: 'snapshot', ok: false, detail: `Snapshot ${name} already exists; try again in a second.` });
      return { source: 'fresh' };
    }
    checks.push({ name: 'snapshot', ok: true, detail: `a new snapshot ${name} will be taken first` });
    return { identifier: name, source: 'fresh' };
  }
  if (input.snapshot) {
    const info = await snapshots.describe(input.snapshot);
    if (!info) {
      checks.push({
        name: 'snapshot',
        ok: false,
        detail: `Snapshot ${input.snapshot} not found. List snapshots with \`aws rds ${snapshots.kind === 'cluster' ? 'describe-db-cluster-snapshots --db-cluster-identifier' : 'describe-db-snapshots --db-instance-identifier'} ${identifier}\`.`,
      });
      return { source: 'named' };
    }
    const choice = usable(info, 'named');
    return { ...choice, identifier: input.snapshot };
  }
  const [newest] = newestManagedFirst(await snapshots.list(identifier), identifier);
  if (newest) return usable(newest, 'newest-own');
  const predecessor = await snapshots.describe(`${identifier}-snapshot`);
  if (predecessor) return usable(predecessor, 'predecessor');
  checks.push({
    name: 'snapshot',
    ok: false,
    detail: `No snapshot of ${identifier} to restore from: take one with \`trapheus snapshot-only --identifier ${identifier}${snapshots.kind === 'cluster' ? ' --cluster' : ''}\`, name one with --snapshot, or add --fresh-snapshot.`,
  });
  return { source: 'named' };
}
