/**
 * Snapshots shared with the simulated account by other accounts (or kept in other regions), and
 * CopyDBSnapshot / CopyDBClusterSnapshot, which bring one into the simulated account and region.
 */
import type {
  CopyDBClusterSnapshotMessage,
  CopyDBSnapshotMessage,
  DBClusterSnapshot,
  DBSnapshot,
  DescribeDBClusterSnapshotsMessage,
  DescribeDBSnapshotsMessage,
} from '@aws-sdk/client-rds';
import { refuse } from './sim-errors.js';
import { checkIdentifier, checkTags } from './sim-rules.js';
import { clusterShape, clusterSnapshotShape, instanceShape, snapshotShape } from './sim-shapes.js';
import type { ClusterSnapshotRecord, SimStore, SnapshotRecord } from './sim-store.js';

/** Snapshots of other accounts or regions that the simulated account may copy, by lower-case ARN. */
export interface SharedSnapshots {
  instance: Map<string, SnapshotRecord>;
  cluster: Map<string, ClusterSnapshotRecord>;
  /** Every copy request as received (PreSignedUrl included: the SDK adds it for another region). */
  copyRequests: (CopyDBSnapshotMessage | CopyDBClusterSnapshotMessage)[];
}

export const sharedSnapshots = (): SharedSnapshots => ({ instance: new Map(), cluster: new Map(), copyRequests: [] });

/** The ARN of `name` in another account or region. */
export const foreignArn = (region: string, account: string, type: 'snapshot' | 'cluster-snapshot', name: string): string =>
  `arn:aws:rds:${region}:${account}:${type}:${name}`;

/** Seeds an available instance snapshot under `arn` (another account's or region's), shared with the simulated account. */
export function seedSharedSnapshot(
  store: SimStore,
  shared: SharedSnapshots,
  arn: string,
  seed: Partial<DBSnapshot> & { DBInstanceIdentifier: string },
) {
  const source = instanceShape(store, seed.DBInstanceIdentifier.toLowerCase(), { Engine: seed.Engine, EngineVersion: seed.EngineVersion });
  const name = arn.slice(arn.lastIndexOf(':') + 1);
  const snap: DBSnapshot = {
    ...snapshotShape(store, name, source, []),
    Status: 'available',
    PercentProgress: 100,
    ...seed,
    DBSnapshotArn: arn,
  };
  shared.instance.set(arn.toLowerCase(), { snap, source: structuredClone(source), epoch: 0, gone: false });
}

/** The same for a cluster snapshot. */
export function seedSharedClusterSnapshot(
  store: SimStore,
  shared: SharedSnapshots,
  arn: string,
  seed: Partial<DBClusterSnapshot> & { DBClusterIdentifier: string },
) {
  const source = clusterShape(store, seed.DBClusterIdentifier.toLowerCase(), { Engine: seed.Engine, EngineVersion: seed.EngineVersion });
  const name = arn.slice(arn.lastIndexOf(':') + 1);
  const snap: DBClusterSnapshot = {
    ...clusterSnapshotShape(store, name, source, []),
    Status: 'available',
    PercentProgress: 100,
    ...seed,
    DBClusterSnapshotArn: arn,
  };
  shared.cluster.set(arn.toLowerCase(), { snap, source: structuredClone(source), epoch: 0, gone: false });
}

/**
 * DescribeDBSnapshots by the ARN of a shared snapshot: listed only with IncludeShared ("By
 * default, these snapshots are not included", API reference: DescribeDBSnapshots,
 * IncludeShared). Undefined: not a shared snapshot, the account's own describe answers.
 */
export function describeShared(shared: SharedSnapshots, input: DescribeDBSnapshotsMessage) {
  const record =
    input.IncludeShared && input.DBSnapshotIdentifier ? shared.instance.get(input.DBSnapshotIdentifier.toLowerCase()) : undefined;
  return record && { DBSnapshots: [structuredClone(record.snap)] };
}

export function describeSharedCluster(shared: SharedSnapshots, input: DescribeDBClusterSnapshotsMessage) {
  const id = input.DBClusterSnapshotIdentifier;
  const record = input.IncludeShared && id ? shared.cluster.get(id.toLowerCase()) : undefined;
  return record && { DBClusterSnapshots: [structuredClone(record.snap)] };
}

/**
 * API reference, CopyDBSnapshot: a shared source is named by its ARN ("If you are copying from a
 * shared manual DB snapshot, this parameter must be the Amazon Resource Name (ARN)"); "If you copy
 * an encrypted DB snapshot that is shared from another Amazon Web Services account, then you must
 * specify a value for KmsKeyId"; the target name must be free (DBSnapshotAlreadyExists). The copy
 * is `creating` with PercentProgress rising, then `available`; it records its source in
 * SourceDBSnapshotIdentifier and takes only the requested Tags (CopyTags off).
 */
export function copySnapshot(store: SimStore, shared: SharedSnapshots, input: CopyDBSnapshotMessage) {
  shared.copyRequests.push(structuredClone(input));
  const sourceId = input.SourceDBSnapshotIdentifier ?? '';
  const foreign = shared.instance.get(sourceId.toLowerCase());
  const source = foreign ?? store.snapshot(sourceId);
  if (!source) throw refuse.snapshotNotFound(sourceId);
  const id = checkIdentifier('TargetDBSnapshotIdentifier', input.TargetDBSnapshotIdentifier, 255);
  if (foreign && source.snap.Encrypted && !input.KmsKeyId)
    throw refuse.invalidValue('KmsKeyId must be specified when copying an encrypted snapshot shared from another account.');
  if (store.snapshot(id)) throw refuse.snapshotExists(id);
  checkTags(input.Tags);
  const record: SnapshotRecord = {
    snap: {
      ...structuredClone(source.snap),
      DBSnapshotIdentifier: id,
      DBSnapshotArn: store.arn('snapshot', id),
      SnapshotType: 'manual',
      Status: 'creating',
      PercentProgress: 0,
      SnapshotCreateTime: store.date(),
      SourceDBSnapshotIdentifier: source.snap.DBSnapshotArn,
      KmsKeyId: input.KmsKeyId ?? source.snap.KmsKeyId,
      TagList: structuredClone(input.Tags ?? []),
    },
    source: structuredClone(source.source),
    epoch: 0,
    gone: false,
  };
  store.snapshots.push(record);
  progress(store, record);
  return { DBSnapshot: structuredClone(record.snap) };
}

/** API reference, CopyDBClusterSnapshot: the same for cluster snapshots. */
export function copyClusterSnapshot(store: SimStore, shared: SharedSnapshots, input: CopyDBClusterSnapshotMessage) {
  shared.copyRequests.push(structuredClone(input));
  const sourceId = input.SourceDBClusterSnapshotIdentifier ?? '';
  const foreign = shared.cluster.get(sourceId.toLowerCase());
  const source = foreign ?? store.clusterSnapshot(sourceId);
  if (!source) throw refuse.clusterSnapshotNotFound(sourceId);
  const id = checkIdentifier('TargetDBClusterSnapshotIdentifier', input.TargetDBClusterSnapshotIdentifier, 255);
  if (foreign && source.snap.StorageEncrypted && !input.KmsKeyId)
    throw refuse.invalidValue('KmsKeyId must be specified when copying an encrypted snapshot shared from another account.');
  if (store.clusterSnapshot(id)) throw refuse.clusterSnapshotExists(id);
  checkTags(input.Tags);
  const record: ClusterSnapshotRecord = {
    snap: {
      ...structuredClone(source.snap),
      DBClusterSnapshotIdentifier: id,
      DBClusterSnapshotArn: store.arn('cluster-snapshot', id),
      SnapshotType: 'manual',
      Status: 'creating',
      PercentProgress: 0,
      SnapshotCreateTime: store.date(),
      SourceDBClusterSnapshotArn: source.snap.DBClusterSnapshotArn,
      KmsKeyId: input.KmsKeyId ?? source.snap.KmsKeyId,
      TagList: structuredClone(input.Tags ?? []),
    },
    source: structuredClone(source.source),
    epoch: 0,
    gone: false,
  };
  store.clusterSnapshots.push(record);
  progress(store, record);
  return { DBClusterSnapshot: structuredClone(record.snap) };
}

/** Half way through the copy reports 50 %, then the copy is available. */
function progress(store: SimStore, record: SnapshotRecord | ClusterSnapshotRecord): void {
  const seconds = store.timings.snapshotCreating;
  store.after(record, seconds / 2, () => {
    record.snap.PercentProgress = 50;
  });
  store.after(record, seconds, () => {
    record.snap.Status = 'available';
    record.snap.PercentProgress = 100;
  });
}
