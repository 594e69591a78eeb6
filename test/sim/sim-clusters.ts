/** DB clusters: DescribeDBClusters, ModifyDBCluster, DeleteDBCluster (RestoreDBClusterFromSnapshot: sim-cluster-restore.ts). */
import type {
  DBCluster,
  DeleteDBClusterMessage,
  DescribeDBClustersMessage,
  FailoverDBClusterMessage,
  ModifyDBClusterMessage,
} from '@aws-sdk/client-rds';
import { isTerminal } from '../../src/core/rds-status.js';
import { refuse } from './sim-errors.js';
import { modifyClusterExtras } from './sim-extras.js';
import { checkClusterParameterGroup } from './sim-groups.js';
import { checkBackupRetention, checkFinalSnapshot, checkIdentifier, checkListing, page } from './sim-rules.js';
import { clusterSnapshotShape, setClusterStatus, setInstanceStatus } from './sim-shapes.js';
import type { ClusterRecord, SimStore } from './sim-store.js';

/** What DescribeDBClusters shows: the members as they are now, the writer marked. */
export function viewCluster(store: SimStore, record: ClusterRecord): DBCluster {
  const db = structuredClone(record.db);
  db.DBClusterMembers = store.membersOf(record.db.DBClusterIdentifier).map((m) => ({
    DBInstanceIdentifier: m.db.DBInstanceIdentifier,
    IsClusterWriter: m.db.DbiResourceId === record.writer,
    PromotionTier: m.db.PromotionTier,
    DBClusterParameterGroupStatus: 'in-sync',
  }));
  return db;
}

/** When the writer goes, the member with the best (lowest) promotion tier takes over (Aurora UG, "High availability"). */
export function failOver(store: SimStore, clusterId: string | undefined, goneResourceId: string | undefined): void {
  const cluster = store.cluster(clusterId);
  if (!cluster || cluster.writer !== goneResourceId) return;
  const next = store.membersOf(clusterId).sort((a, b) => (a.db.PromotionTier ?? 15) - (b.db.PromotionTier ?? 15))[0];
  cluster.writer = next?.db.DbiResourceId;
}

/**
 * API, FailoverDBCluster: "promotes one of the Aurora Replicas (read-only instances) in the DB
 * cluster to be the primary DB instance (the cluster writer)"; TargetDBInstanceIdentifier: "the
 * DB instance identifier for an Aurora Replica … in the DB cluster". Aurora UG, "Failing over an
 * Amazon Aurora DB cluster": the cluster's status is `failing-over`, and "returns to Available
 * when the failover is completed", with the roles of the new and former writer switched (the
 * switch is shown at the end here). The errors the API lists: DBClusterNotFoundFault,
 * InvalidDBClusterStateFault (the cluster not available; moto also answers it for a cluster of
 * fewer than two instances), InvalidDBInstanceState (the target not available). A target that
 * is not a reader of the cluster: InvalidParameterValue — what moto 5.2 answers for a target it
 * cannot find; real RDS's code for a non-member or the writer itself is not documented.
 */
export function failoverCluster(store: SimStore, input: FailoverDBClusterMessage) {
  const record = store.cluster(input.DBClusterIdentifier);
  if (!record) throw refuse.clusterNotFound(input.DBClusterIdentifier ?? '');
  const id = record.db.DBClusterIdentifier ?? '';
  if (record.db.Status !== 'available')
    throw refuse.clusterState(`DB cluster ${id} is not in available state (it is ${record.db.Status ?? ''}).`);
  const members = store.membersOf(id);
  if (members.length < 2) throw refuse.clusterState(`Database cluster:${id} should have at least two database instances for failover`);
  const target =
    input.TargetDBInstanceIdentifier === undefined
      ? members
          .filter((m) => m.db.DbiResourceId !== record.writer && m.db.DBInstanceStatus === 'available')
          .sort((a, b) => (a.db.PromotionTier ?? 15) - (b.db.PromotionTier ?? 15))[0]
      : members.find((m) => m.db.DBInstanceIdentifier === input.TargetDBInstanceIdentifier?.toLowerCase());
  if (!target) throw refuse.invalidValue(`Cannot find target instance: ${input.TargetDBInstanceIdentifier ?? '(a reader)'}`);
  if (target.db.DbiResourceId === record.writer)
    throw refuse.invalidValue(`${target.db.DBInstanceIdentifier ?? ''} is already the writer of ${id}; the target must be a reader.`);
  if (target.db.DBInstanceStatus !== 'available')
    throw refuse.instanceState(target.db.DBInstanceIdentifier ?? '', target.db.DBInstanceStatus ?? '');
  store.restart(record);
  setClusterStatus(store, record, 'failing-over');
  store.after(record, store.timings.failingOver, () => {
    // A target gone meanwhile (deleted) promotes nothing here.
    if (!target.gone && target.db.DBClusterIdentifier === record.db.DBClusterIdentifier) record.writer = target.db.DbiResourceId;
    setClusterStatus(store, record, 'available');
  });
  return { DBCluster: viewCluster(store, record) };
}

/** API, DescribeDBClusters: by DBClusterIdentifier (name or ARN) or Filters; a missing name is DBClusterNotFoundFault. */
export function describeClusters(store: SimStore, input: DescribeDBClustersMessage) {
  checkListing(input.Filters, ['clone-group-id', 'db-cluster-id', 'db-cluster-resource-id', 'domain', 'engine'], input.MaxRecords);
  if (input.DBClusterIdentifier !== undefined) {
    const record = store.cluster(input.DBClusterIdentifier);
    if (!record) throw refuse.clusterNotFound(input.DBClusterIdentifier);
    return { DBClusters: [viewCluster(store, record)] };
  }
  const values = (name: string) => input.Filters?.find((f) => f.Name === name)?.Values;
  const ok = (name: string, ...actual: (string | undefined)[]) =>
    !values(name) || actual.some((a) => a !== undefined && (values(name) ?? []).includes(a));
  const found = store.clusters.filter(
    (r) =>
      !r.gone &&
      ok('db-cluster-id', r.db.DBClusterIdentifier, r.db.DBClusterArn) &&
      ok('db-cluster-resource-id', r.db.DbClusterResourceId) &&
      ok('engine', r.db.Engine),
  );
  const { items, marker } = page(found, input.MaxRecords, input.Marker);
  return { DBClusters: items.map((r) => viewCluster(store, r)), Marker: marker };
}

/**
 * API, ModifyDBCluster. "The ApplyImmediately parameter only affects the
 * EnableIAMDatabaseAuthentication, MasterUserPassword, and NewDBClusterIdentifier values …
 * All other changes are applied immediately, regardless of the value of the ApplyImmediately
 * parameter" (API reference of ModifyDBCluster, ApplyImmediately, as published for Aurora).
 * A rename keeps the members' names; their DBClusterIdentifier follows the cluster (Aurora UG,
 * "Modifying"), unlike moto.
 */
export function modifyCluster(store: SimStore, input: ModifyDBClusterMessage) {
  const record = store.cluster(input.DBClusterIdentifier);
  if (!record) throw refuse.clusterNotFound(input.DBClusterIdentifier ?? '');
  const db = record.db;
  const id = db.DBClusterIdentifier ?? '';
  if (db.Status !== 'available') throw refuse.clusterState(`DB cluster ${id} is not in available state (it is ${db.Status ?? ''}).`);
  const to =
    input.NewDBClusterIdentifier === undefined ? undefined : checkIdentifier('NewDBClusterIdentifier', input.NewDBClusterIdentifier);
  const repeated = to !== undefined && db.PendingModifiedValues?.DBClusterIdentifier === to; // a retried rename: a no-op
  if (to !== undefined && to !== id && !repeated && store.clusterNameTaken(to)) throw refuse.clusterExists();
  checkBackupRetention(input.BackupRetentionPeriod, 1);
  if ((input.BacktrackWindow ?? 0) > 0 && db.Engine !== 'aurora-mysql')
    throw refuse.invalidValue(`Backtrack is not supported for engine ${db.Engine ?? ''}.`);
  if (input.DBClusterParameterGroupName !== undefined)
    checkClusterParameterGroup(store, input.DBClusterParameterGroupName, db.Engine ?? '', db.EngineVersion ?? '');
  // "Some modifications, such as turning on deletion protection … are applied immediately".
  if (input.DeletionProtection !== undefined) db.DeletionProtection = input.DeletionProtection;
  const changes: Partial<DBCluster> = {};
  if (input.BackupRetentionPeriod !== undefined) changes.BackupRetentionPeriod = input.BackupRetentionPeriod;
  if (input.PreferredBackupWindow !== undefined) changes.PreferredBackupWindow = input.PreferredBackupWindow;
  if (input.PreferredMaintenanceWindow !== undefined) changes.PreferredMaintenanceWindow = input.PreferredMaintenanceWindow;
  if (input.DBClusterParameterGroupName !== undefined) changes.DBClusterParameterGroup = input.DBClusterParameterGroupName;
  if (input.BacktrackWindow !== undefined) changes.BacktrackWindow = input.BacktrackWindow;
  if (input.CopyTagsToSnapshot !== undefined) changes.CopyTagsToSnapshot = input.CopyTagsToSnapshot;
  if (input.Port !== undefined) changes.Port = input.Port;
  if (input.VpcSecurityGroupIds !== undefined)
    changes.VpcSecurityGroups = input.VpcSecurityGroupIds.map((g) => ({ VpcSecurityGroupId: g, Status: 'active' }));
  if (input.CloudwatchLogsExportConfiguration !== undefined) {
    const { EnableLogTypes = [], DisableLogTypes = [] } = input.CloudwatchLogsExportConfiguration;
    changes.EnabledCloudwatchLogsExports = [...new Set([...(db.EnabledCloudwatchLogsExports ?? []), ...EnableLogTypes])].filter(
      (t) => !DisableLogTypes.includes(t),
    );
  }
  Object.assign(changes, modifyClusterExtras(store, input));
  const held: Partial<DBCluster> =
    input.EnableIAMDatabaseAuthentication === undefined ? {} : { IAMDatabaseAuthenticationEnabled: input.EnableIAMDatabaseAuthentication };
  const rename = to !== undefined && to !== id ? to : undefined;
  if (input.ApplyImmediately) Object.assign(changes, held);
  else {
    if (held.IAMDatabaseAuthenticationEnabled !== undefined)
      db.PendingModifiedValues = { ...db.PendingModifiedValues, IAMDatabaseAuthenticationEnabled: held.IAMDatabaseAuthenticationEnabled };
    if (rename) db.PendingModifiedValues = { ...db.PendingModifiedValues, DBClusterIdentifier: rename };
  }
  record.deferred = { ...record.deferred, ...changes };
  const t = store.timings;
  const applied = () => {
    Object.assign(db, record.deferred);
    record.deferred = {};
    setClusterStatus(store, record, 'available');
  };
  if (rename && input.ApplyImmediately && !repeated) {
    store.restart(record);
    db.PendingModifiedValues = { ...db.PendingModifiedValues, DBClusterIdentifier: rename };
    const renamed = () => {
      for (const member of store.membersOf(id)) member.db.DBClusterIdentifier = rename;
      db.DBClusterIdentifier = rename;
      db.DBClusterArn = store.arn('cluster', rename);
      db.Endpoint = store.endpoint(rename, 'cluster');
      db.ReaderEndpoint = store.endpoint(rename, 'cluster-ro');
      delete db.PendingModifiedValues?.DBClusterIdentifier;
      setClusterStatus(store, record, 'renaming');
    };
    store.timeline(record, [
      { seconds: t.clusterRenameGap, run: () => undefined },
      { seconds: t.clusterRenaming, run: renamed },
      { seconds: 0, run: applied },
    ]);
  } else if (Object.keys(record.deferred).length > 0) {
    store.restart(record);
    store.timeline(record, [
      { seconds: t.modifyGap, run: () => undefined },
      { seconds: t.modifying, run: () => setClusterStatus(store, record, 'modifying') },
      { seconds: 0, run: applied },
    ]);
  }
  return { DBCluster: viewCluster(store, record) };
}

/**
 * API, DeleteDBCluster, and AWS re:Post "rds-error-delete-aurora-cluster": a protected cluster
 * is refused ("Cannot delete protected Cluster, please disable deletion protection and try
 * again.", InvalidParameterCombination); an Aurora cluster with members not being deleted is
 * refused ("Cluster cannot be deleted, it still contains DB instances in non-deleting state.",
 * InvalidDBClusterStateFault); automated backups are removed unless DeleteAutomatedBackups=false
 * ("The default is to remove automated backups immediately after the DB cluster is deleted").
 */
export function deleteCluster(store: SimStore, input: DeleteDBClusterMessage) {
  const record = store.cluster(input.DBClusterIdentifier);
  if (!record) throw refuse.clusterNotFound(input.DBClusterIdentifier ?? '');
  const db = record.db;
  const id = db.DBClusterIdentifier ?? '';
  if (db.DeletionProtection) throw refuse.combination('Cannot delete protected Cluster, please disable deletion protection and try again.');
  const status = db.Status ?? '';
  if (status === 'deleting') throw refuse.clusterState(`Cluster ${id} is already being deleted.`);
  if (status !== 'available' && !(isTerminal(status) && status !== 'stopping'))
    throw refuse.clusterState(`DB cluster ${id} is not in a state that can be deleted (it is ${status}).`);
  const members = store.membersOf(id);
  if (!record.multiAz && members.some((m) => m.db.DBInstanceStatus !== 'deleting'))
    throw refuse.clusterState('Cluster cannot be deleted, it still contains DB instances in non-deleting state.');
  checkFinalSnapshot(input.SkipFinalSnapshot, input.FinalDBSnapshotIdentifier, false);
  const finalId = input.FinalDBSnapshotIdentifier?.toLowerCase();
  if (finalId !== undefined && store.clusterSnapshot(finalId)) throw refuse.clusterSnapshotExists(finalId);
  store.restart(record);
  setClusterStatus(store, record, 'deleting');
  let lasts = store.timings.clusterDeleting;
  if (finalId !== undefined) {
    const snapshot = {
      snap: clusterSnapshotShape(store, finalId, db, db.CopyTagsToSnapshot ? structuredClone(db.TagList) : []),
      source: structuredClone(db),
      epoch: 0,
      gone: false,
    };
    store.clusterSnapshots.push(snapshot);
    store.after(snapshot, store.timings.snapshotCreating, () => {
      snapshot.snap.Status = 'available';
      snapshot.snap.PercentProgress = 100;
    });
    lasts += store.timings.snapshotCreating;
  }
  store.automatedBackups.push({
    kind: 'cluster',
    identifier: id,
    resourceId: db.DbClusterResourceId ?? '',
    retained: input.DeleteAutomatedBackups === false,
    at: store.date(),
  });
  for (const member of record.multiAz ? members : []) {
    store.restart(member);
    setInstanceStatus(store, member, 'deleting');
    store.after(member, lasts, () => {
      member.gone = true;
      store.logStatus('instance', member.db.DbiResourceId, member.db.DBInstanceIdentifier, 'deleted');
    });
  }
  store.after(record, lasts, () => {
    record.gone = true;
    store.logStatus('cluster', db.DbClusterResourceId, db.DBClusterIdentifier, 'deleted');
  });
  return { DBCluster: viewCluster(store, record) };
}
