import type { SnapshotInfo, Tag } from '../../core/rds-resources.js';

/** The tag that marks a snapshot as trapheus's own: only these are ever pruned. */
export const MANAGED_TAG = 'trapheus:managed';
/** The tag naming the database a trapheus snapshot was taken of. */
export const SOURCE_TAG = 'trapheus:source';
/** The tag naming the run that took the snapshot. */
export const RUN_TAG = 'trapheus:run';

/** Tags put on every snapshot trapheus takes. */
export function managedSnapshotTags(identifier: string, runId: string): Tag[] {
  return [
    { key: MANAGED_TAG, value: 'true' },
    { key: SOURCE_TAG, value: identifier },
    { key: RUN_TAG, value: runId },
  ];
}

/** Whether trapheus took this snapshot of this database. */
export function isManagedSnapshotOf(snapshot: SnapshotInfo, identifier: string): boolean {
  const tag = (key: string): string | undefined => snapshot.tags.find((t) => t.key === key)?.value;
  return tag(MANAGED_TAG) === 'true' && tag(SOURCE_TAG) === identifier;
}

/** trapheus's own available snapshots of a database, newest first. */
export function newestManagedFirst(snapshots: readonly SnapshotInfo[], identifier: string): SnapshotInfo[] {
  return snapshots
    .filter((s) => isManagedSnapshotOf(s, identifier) && s.status === 'available')
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0) || b.identifier.localeCompare(a.identifier));
}
