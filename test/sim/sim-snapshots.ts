/** DB snapshots and DB cluster snapshots: Describe (with Filters and paging), Create, Delete. */
import type {
  CreateDBClusterSnapshotMessage,
  CreateDBSnapshotMessage,
  DeleteDBClusterSnapshotMessage,
  DeleteDBSnapshotMessage,
  DescribeDBClusterSnapshotsMessage,
  DescribeDBSnapshotsMessage,
} from '@aws-sdk/client-rds';
import { RdsServiceError, refuse } from './sim-errors.js';
import { checkIdentifier, checkListing, checkTags, page, passes } from './sim-rules.js';
import { clusterSnapshotShape, setInstanceStatus, snapshotShape } from './sim-shapes.js';
import type { ClusterSnapshotRecord, SimStore, SnapshotRecord } from './sim-store.js';

const MANUAL_QUOTA = (store: SimStore): number =>
  store.snapshots.filter((s) => !s.gone && s.snap.SnapshotType === 'manual').length +
  store.clusterSnapshots.filter((s) => !s.gone && s.snap.SnapshotType === 'manual').length;

/**
 * API, DescribeDBSnapshots: by DBSnapshotIdentifier (a missing one is DBSnapshotNotFound), by
 * DBInstanceIdentifier, SnapshotType ("If you don't specify a SnapshotType value, then both
 * automated and manual snapshots are returned") and Filters (db-instance-id, db-snapshot-id,
 * dbi-resource-id, snapshot-type, engine).
 */
export function describeSnapshots(store: SimStore, input: DescribeDBSnapshotsMessage) {
  checkListing(input.Filters, ['db-instance-id', 'db-snapshot-id', 'dbi-resource-id', 'snapshot-type', 'engine'], input.MaxRecords);
  if (input.DBSnapshotIdentifier !== undefined) {
    const record = store.snapshot(input.DBSnapshotIdentifier);
    if (!record) throw refuse.snapshotNotFound(input.DBSnapshotIdentifier);
    return { DBSnapshots: [structuredClone(record.snap)] };
  }
  const instance = input.DBInstanceIdentifier?.toLowerCase();
  const f = input.Filters;
  const found = store.snapshots.filter((r) => {
    const s = r.snap;
    const type = s.SnapshotType ?? 'manual';
    return (
      !r.gone &&
      (instance === undefined || s.DBInstanceIdentifier === instance) &&
      (input.SnapshotType ? type === input.SnapshotType : type === 'manual' || type === 'automated') &&
      (passes(f, 'db-instance-id', s.DBInstanceIdentifier) ||
        passes(f, 'db-instance-id', s.DBInstanceIdentifier && store.arn('db', s.DBInstanceIdentifier))) &&
      passes(f, 'db-snapshot-id', s.DBSnapshotIdentifier) &&
      passes(f, 'dbi-resource-id', s.DbiResourceId) &&
      passes(f, 'snapshot-type', type) &&
      passes(f, 'engine', s.Engine)
    );
  });
  const { items, marker } = page(found, input.MaxRecords, input.Marker);
  return { DBSnapshots: items.map((r) => structuredClone(r.snap)), Marker: marker };
}

/** API, DescribeDBClusterSnapshots: the same for cluster snapshots (DBClusterSnapshotNotFoundFault). */
export function describeClusterSnapshots(store: SimStore, input: DescribeDBClusterSnapshotsMessage) {
  checkListing(input.Filters, ['db-cluster-id', 'db-cluster-snapshot-id', 'snapshot-type', 'engine'], input.MaxRecords);
  if (input.DBClusterSnapshotIdentifier !== undefined) {
    const record = store.clusterSnapshot(input.DBClusterSnapshotIdentifier);
    if (!record) throw refuse.clusterSnapshotNotFound(input.DBClusterSnapshotIdentifier);
    return { DBClusterSnapshots: [structuredClone(record.snap)] };
  }
  const cluster = input.DBClusterIdentifier?.toLowerCase();
  const f = input.Filters;
  const found = store.clusterSnapshots.filter((r) => {
    const s = r.snap;
    const type = s.SnapshotType ?? 'manual';
    return (
      !r.gone &&
      (cluster === undefined || s.DBClusterIdentifier === cluster) &&
      (input.SnapshotType ? type === input.SnapshotType : type === 'manual' || type === 'automated') &&
      (passes(f, 'db-cluster-id', s.DBClusterIdentifier) ||
        passes(f, 'db-cluster-id', s.DBClusterIdentifier && store.arn('cluster', s.DBClusterIdentifier))) &&
      passes(f, 'db-cluster-snapshot-id', s.DBClusterSnapshotIdentifier) &&
      passes(f, 'snapshot-type', type) &&
      passes(f, 'engine', s.Engine)
    );
  });
  const { items, marker } = page(found, input.MaxRecords, input.Marker);
  return { DBClusterSnapshots: items.map((r) => structuredClone(r.snap)), Marker: marker };
}

/**
 * API, CreateDBSnapshot: "The source DB instance must be in the available or
 * storage-optimization state"; a member of an Aurora cluster is refused ("The specified instance
 * is a member of a cluster and a snapshot cannot be created directly. Please use the
 * CreateDBClusterSnapshot API instead.", InvalidParameterValue). The instance is `backing-up`
 * while the snapshot is `creating` (UG, "DB instance status").
 */
export function createSnapshot(store: SimStore, input: CreateDBSnapshotMessage) {
  const id = checkIdentifier('DBSnapshotIdentifier', input.DBSnapshotIdentifier, 255);
  const instance = store.instance(input.DBInstanceIdentifier);
  if (!instance) throw refuse.instanceNotFound(input.DBInstanceIdentifier ?? '');
  if (instance.db.DBClusterIdentifier) {
    throw refuse.invalidValue(
      'The specified instance is a member of a cluster and a snapshot cannot be created directly. Please use the CreateDBClusterSnapshot API instead.',
    );
  }
  const status = instance.db.DBInstanceStatus ?? '';
  if (status !== 'available' && status !== 'storage-optimization')
    throw refuse.instanceState(instance.db.DBInstanceIdentifier ?? '', status);
  if (store.snapshot(id)) throw refuse.snapshotExists(id);
  checkTags(input.Tags);
  if (MANUAL_QUOTA(store) >= store.quotas.ManualSnapshots)
    throw new RdsServiceError('SnapshotQuotaExceeded', 'Cannot create more than the allowed number of manual snapshots.');
  const tags = input.Tags ?? (instance.db.CopyTagsToSnapshot ? instance.db.TagList : []);
  const record: SnapshotRecord = {
    snap: snapshotShape(store, id, instance.db, structuredClone(tags)),
    source: structuredClone(instance.db),
    epoch: 0,
    gone: false,
  };
  store.snapshots.push(record);
  if (status === 'available') setInstanceStatus(store, instance, 'backing-up');
  store.after(record, store.timings.snapshotCreating, () => {
    record.snap.Status = 'available';
    record.snap.PercentProgress = 100;
    if (instance.db.DBInstanceStatus === 'backing-up') setInstanceStatus(store, instance, 'available');
  });
  return { DBSnapshot: structuredClone(record.snap) };
}

/** API, CreateDBClusterSnapshot: the cluster must be available (InvalidDBClusterStateFault). */
export function createClusterSnapshot(store: SimStore, input: CreateDBClusterSnapshotMessage) {
  const id = checkIdentifier('DBClusterSnapshotIdentifier', input.DBClusterSnapshotIdentifier, 255);
  const cluster = store.cluster(input.DBClusterIdentifier);
  if (!cluster) throw refuse.clusterNotFound(input.DBClusterIdentifier ?? '');
  if (cluster.db.Status !== 'available')
    throw refuse.clusterState(
      `DB cluster ${cluster.db.DBClusterIdentifier ?? ''} is not in available state (it is ${cluster.db.Status ?? ''}).`,
    );
  if (store.clusterSnapshot(id)) throw refuse.clusterSnapshotExists(id);
  checkTags(input.Tags);
  if (MANUAL_QUOTA(store) >= store.quotas.ManualSnapshots)
    throw new RdsServiceError('SnapshotQuotaExceeded', 'Cannot create more than the allowed number of manual snapshots.');
  const tags = input.Tags ?? (cluster.db.CopyTagsToSnapshot ? cluster.db.TagList : []);
  const record: ClusterSnapshotRecord = {
    snap: clusterSnapshotShape(store, id, cluster.db, structuredClone(tags)),
    source: structuredClone(cluster.db),
    epoch: 0,
    gone: false,
  };
  store.clusterSnapshots.push(record);
  store.after(record, store.timings.snapshotCreating, () => {
    record.snap.Status = 'available';
    record.snap.PercentProgress = 100;
  });
  return { DBClusterSnapshot: structuredClone(record.snap) };
}

/**
 * API, DeleteDBSnapshot: "The DB snapshot must be in the available state to be deleted"
 * (InvalidDBSnapshotState); automated snapshots go with their instance, not by this call.
 */
export function deleteSnapshot(store: SimStore, input: DeleteDBSnapshotMessage) {
  const record = store.snapshot(input.DBSnapshotIdentifier);
  if (!record) throw refuse.snapshotNotFound(input.DBSnapshotIdentifier ?? '');
  if (record.snap.Status !== 'available')
    throw refuse.snapshotState(`Cannot delete the snapshot because it is ${record.snap.Status ?? ''}, not available.`);
  if (record.snap.SnapshotType === 'automated')
    throw refuse.snapshotState('Cannot delete an automated snapshot: it is deleted with its instance or by the retention period.');
  record.gone = true;
  return { DBSnapshot: { ...structuredClone(record.snap), Status: 'deleted' } };
}

/** API, DeleteDBClusterSnapshot: "The DB cluster snapshot must be in the available state to be deleted". */
export function deleteClusterSnapshot(store: SimStore, input: DeleteDBClusterSnapshotMessage) {
  const record = store.clusterSnapshot(input.DBClusterSnapshotIdentifier);
  if (!record) throw refuse.clusterSnapshotNotFound(input.DBClusterSnapshotIdentifier ?? '');
  if (record.snap.Status !== 'available')
    throw refuse.clusterSnapshotState(`Cannot delete the cluster snapshot because it is ${record.snap.Status ?? ''}, not available.`);
  if (record.snap.SnapshotType === 'automated') throw refuse.clusterSnapshotState('Cannot delete an automated cluster snapshot.');
  record.gone = true;
  return { DBClusterSnapshot: { ...structuredClone(record.snap), Status: 'deleted' } };
}
