/** DB clusters: DescribeDBClusters, RestoreDBClusterFromSnapshot, ModifyDBCluster, DeleteDBCluster. */
import type { DBCluster, DeleteDBClusterMessage, DescribeDBClustersMessage, ModifyDBClusterMessage, RestoreDBClusterFromSnapshotMessage } from '@aws-sdk/client-rds';
import { isTerminal } from '../../src/core/rds-status.js';
import { refuse } from './sim-errors.js';
import { checkClusterParameterGroup, checkSubnetGroup } from './sim-groups.js';
import { checkBackupRetention, checkFinalSnapshot, checkIdentifier, checkListing, checkTags, page } from './sim-rules.js';
import { clusterShape, clusterSnapshotShape, defaultParameterGroup, instanceShape, isAurora, setClusterStatus, setInstanceStatus } from './sim-shapes.js';
import type { ClusterRecord, InstanceRecord, SimStore } from './sim-store.js';

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

/** API, DescribeDBClusters: by DBClusterIdentifier (name or ARN) or Filters; a missing name is DBClusterNotFoundFault. */
export function describeClusters(store: SimStore, input: DescribeDBClustersMessage) {
  checkListing(input.Filters, ['clone-group-id', 'db-cluster-id', 'db-cluster-resource-id', 'domain', 'engine'], input.MaxRecords);
  if (input.DBClusterIdentifier !== undefined) {
    const record = store.cluster(input.DBClusterIdentifier);
    if (!record) throw refuse.clusterNotFound(input.DBClusterIdentifier);
    return { DBClusters: [viewCluster(store, record)] };
  }
  const values = (name: string) => input.Filters?.find((f) => f.Name === name)?.Values;
  const ok = (name: string, ...actual: (string | undefined)[]) => !values(name) || actual.some((a) => a !== undefined && (values(name) ?? []).includes(a));
  const found = store.clusters.filter(
    (r) => !r.gone && ok('db-cluster-id', r.db.DBClusterIdentifier, r.db.DBClusterArn) && ok('db-cluster-resource-id', r.db.DbClusterResourceId) && ok('engine', r.db.Engine),
  );
  const { items, marker } = page(found, input.MaxRecords, input.Marker);
  return { DBClusters: items.map((r) => viewCluster(store, r)), Marker: marker };
}

/**
 * API, RestoreDBClusterFromSnapshot. It creates no instances for an Aurora cluster (members are
 * added with CreateDBInstance); a Multi-AZ DB cluster (engine mysql or postgres) needs
 * DBClusterInstanceClass, and with StorageType the Iops ("When specified for a Multi-AZ DB
 * cluster, a value for the Iops parameter is required"), and RDS creates its three instances.
 * EngineVersion: "If you don't specify an engine version, the default version for the database
 * engine in the Amazon Web Services Region is used" — the simulation's `defaultEngineVersion`,
 * else the snapshot's own.
 */
export function restoreCluster(store: SimStore, input: RestoreDBClusterFromSnapshotMessage, outcome: string, defaultEngineVersion: (engine: string) => string | undefined) {
  const id = checkIdentifier('DBClusterIdentifier', input.DBClusterIdentifier);
  if (!input.SnapshotIdentifier) throw refuse.missing('SnapshotIdentifier');
  if (!input.Engine) throw refuse.missing('Engine');
  const snapshot = store.clusterSnapshot(input.SnapshotIdentifier);
  if (!snapshot) {
    if (store.snapshot(input.SnapshotIdentifier)) throw new Error('SimulatedRds does not simulate restoring a cluster from a DB instance snapshot.');
    throw refuse.clusterSnapshotNotFound(input.SnapshotIdentifier);
  }
  const snap = snapshot.snap;
  if (snap.Status !== 'available') throw refuse.clusterSnapshotState(`DB cluster snapshot ${snap.DBClusterSnapshotIdentifier ?? ''} is not available (it is ${snap.Status ?? ''}).`);
  if (store.clusterNameTaken(id)) throw refuse.clusterExists();
  const engine = input.Engine;
  if (engine !== snap.Engine) throw refuse.combination(`Engine ${engine} is not compatible with the snapshot's engine ${snap.Engine}.`);
  const aurora = isAurora(engine);
  const version = input.EngineVersion ?? defaultEngineVersion(engine) ?? snap.EngineVersion ?? '';
  checkTags(input.Tags);
  checkBackupRetention(input.BackupRetentionPeriod, 1);
  // API, BacktrackWindow: "Currently, Backtrack is only supported for Aurora MySQL DB clusters." (error name not verified)
  if ((input.BacktrackWindow ?? 0) > 0 && engine !== 'aurora-mysql') throw refuse.invalidValue(`Backtrack is not supported for engine ${engine}.`);
  const storageType = input.StorageType ?? snap.StorageType;
  // API, StorageType: "aurora, aurora-iopt1 (Aurora DB clusters); io1 (Multi-AZ DB clusters)" (RDS also sells io2 and gp3 for them).
  if (storageType && !(aurora ? ['aurora', 'aurora-iopt1'] : ['io1', 'io2', 'gp3']).includes(storageType)) throw refuse.invalidValue(`Invalid storage type ${storageType} for engine ${engine}.`);
  if (aurora && input.DBClusterInstanceClass !== undefined) throw refuse.combination('DBClusterInstanceClass is valid for Multi-AZ DB clusters only.');
  if (!aurora && input.DBClusterInstanceClass === undefined) throw refuse.combination('DBClusterInstanceClass is required to restore a Multi-AZ DB cluster.');
  if (!aurora && input.StorageType !== undefined && input.Iops === undefined) throw refuse.combination('Iops is required when StorageType is specified for a Multi-AZ DB cluster.');
  const parameterGroup = checkClusterParameterGroup(store, input.DBClusterParameterGroupName ?? defaultParameterGroup(engine, version), engine, version);
  const subnetGroup = checkSubnetGroup(store, input.DBSubnetGroupName ?? 'default');
  if (store.clusters.filter((r) => !r.gone).length >= store.quotas.DBClusters) throw refuse.clusterQuota();
  const scaling = input.ServerlessV2ScalingConfiguration;
  const db = clusterShape(store, id, {
    Status: 'creating',
    Engine: engine,
    EngineVersion: version,
    EngineMode: input.EngineMode ?? snap.EngineMode,
    Port: input.Port ?? snap.Port,
    MasterUsername: snap.MasterUsername,
    DatabaseName: snapshot.source.DatabaseName,
    DBSubnetGroup: subnetGroup,
    VpcSecurityGroups: (input.VpcSecurityGroupIds ?? ['sg-default']).map((g) => ({ VpcSecurityGroupId: g, Status: 'active' })),
    DBClusterParameterGroup: parameterGroup,
    DeletionProtection: input.DeletionProtection ?? false,
    IAMDatabaseAuthenticationEnabled: input.EnableIAMDatabaseAuthentication ?? false,
    EnabledCloudwatchLogsExports: input.EnableCloudwatchLogsExports ?? [],
    BacktrackWindow: input.BacktrackWindow,
    CopyTagsToSnapshot: input.CopyTagsToSnapshot ?? false,
    StorageType: storageType,
    Iops: input.Iops,
    AllocatedStorage: snap.AllocatedStorage,
    DBClusterInstanceClass: input.DBClusterInstanceClass,
    MultiAZ: !aurora,
    ServerlessV2ScalingConfiguration: scaling ? { MinCapacity: scaling.MinCapacity, MaxCapacity: scaling.MaxCapacity } : undefined,
    KmsKeyId: input.KmsKeyId ?? snap.KmsKeyId,
    StorageEncrypted: snap.StorageEncrypted,
    BackupRetentionPeriod: input.BackupRetentionPeriod ?? 1,
    ...(input.PreferredBackupWindow ? { PreferredBackupWindow: input.PreferredBackupWindow } : {}),
    TagList: structuredClone(input.Tags ?? []),
  });
  const record: ClusterRecord = { db, deferred: {}, multiAz: !aurora, epoch: 0, gone: false };
  store.clusters.push(record);
  if (!aurora) createMultiAzMembers(store, record);
  store.timeline(record, [
    { seconds: store.timings.clusterCreating, run: () => setClusterStatus(record, 'creating') },
    { seconds: 0, run: () => setClusterStatus(record, outcome) },
  ]);
  return { DBCluster: viewCluster(store, record) };
}

/** RDS creates a Multi-AZ DB cluster's writer and two readable standbys itself (UG, "Multi-AZ DB cluster deployments"). */
function createMultiAzMembers(store: SimStore, cluster: ClusterRecord): void {
  const c = cluster.db;
  for (const n of [1, 2, 3]) {
    const name = `${c.DBClusterIdentifier ?? ''}-instance-${n}`;
    const db = instanceShape(store, name, {
      DBInstanceStatus: 'creating',
      Engine: c.Engine,
      EngineVersion: c.EngineVersion,
      DBInstanceClass: c.DBClusterInstanceClass,
      DBClusterIdentifier: c.DBClusterIdentifier,
      StorageType: c.StorageType,
      AllocatedStorage: c.AllocatedStorage,
      Iops: c.Iops,
      AvailabilityZone: c.AvailabilityZones?.[n - 1],
      PromotionTier: 1,
    });
    const member: InstanceRecord = { db, deferred: {}, windowed: {}, epoch: 0, gone: false };
    store.instances.push(member);
    if (n === 1) cluster.writer = db.DbiResourceId;
    store.after(member, store.timings.clusterCreating, () => setInstanceStatus(member, 'available'));
  }
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
  const to = input.NewDBClusterIdentifier === undefined ? undefined : checkIdentifier('NewDBClusterIdentifier', input.NewDBClusterIdentifier);
  const repeated = to !== undefined && db.PendingModifiedValues?.DBClusterIdentifier === to; // a retried rename: a no-op
  if (to !== undefined && to !== id && !repeated && store.clusterNameTaken(to)) throw refuse.clusterExists();
  checkBackupRetention(input.BackupRetentionPeriod, 1);
  if ((input.BacktrackWindow ?? 0) > 0 && db.Engine !== 'aurora-mysql') throw refuse.invalidValue(`Backtrack is not supported for engine ${db.Engine ?? ''}.`);
  if (input.DBClusterParameterGroupName !== undefined) checkClusterParameterGroup(store, input.DBClusterParameterGroupName, db.Engine ?? '', db.EngineVersion ?? '');
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
  if (input.VpcSecurityGroupIds !== undefined) changes.VpcSecurityGroups = input.VpcSecurityGroupIds.map((g) => ({ VpcSecurityGroupId: g, Status: 'active' }));
  if (input.CloudwatchLogsExportConfiguration !== undefined) {
    const { EnableLogTypes = [], DisableLogTypes = [] } = input.CloudwatchLogsExportConfiguration;
    changes.EnabledCloudwatchLogsExports = [...new Set([...(db.EnabledCloudwatchLogsExports ?? []), ...EnableLogTypes])].filter((t) => !DisableLogTypes.includes(t));
  }
  const held: Partial<DBCluster> = input.EnableIAMDatabaseAuthentication === undefined ? {} : { IAMDatabaseAuthenticationEnabled: input.EnableIAMDatabaseAuthentication };
  const rename = to !== undefined && to !== id ? to : undefined;
  if (input.ApplyImmediately) Object.assign(changes, held);
  else {
    if (held.IAMDatabaseAuthenticationEnabled !== undefined) db.PendingModifiedValues = { ...db.PendingModifiedValues, IAMDatabaseAuthenticationEnabled: held.IAMDatabaseAuthenticationEnabled };
    if (rename) db.PendingModifiedValues = { ...db.PendingModifiedValues, DBClusterIdentifier: rename };
  }
  record.deferred = { ...record.deferred, ...changes };
  const t = store.timings;
  const applied = () => {
    Object.assign(db, record.deferred);
    record.deferred = {};
    setClusterStatus(record, 'available');
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
      setClusterStatus(record, 'renaming');
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
      { seconds: t.modifying, run: () => setClusterStatus(record, 'modifying') },
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
  if (status !== 'available' && !(isTerminal(status) && status !== 'stopping')) throw refuse.clusterState(`DB cluster ${id} is not in a state that can be deleted (it is ${status}).`);
  const members = store.membersOf(id);
  if (!record.multiAz && members.some((m) => m.db.DBInstanceStatus !== 'deleting')) throw refuse.clusterState('Cluster cannot be deleted, it still contains DB instances in non-deleting state.');
  checkFinalSnapshot(input.SkipFinalSnapshot, input.FinalDBSnapshotIdentifier, false);
  const finalId = input.FinalDBSnapshotIdentifier?.toLowerCase();
  if (finalId !== undefined && store.clusterSnapshot(finalId)) throw refuse.clusterSnapshotExists(finalId);
  store.restart(record);
  setClusterStatus(record, 'deleting');
  let lasts = store.timings.clusterDeleting;
  if (finalId !== undefined) {
    const snapshot = { snap: clusterSnapshotShape(store, finalId, db, db.CopyTagsToSnapshot ? structuredClone(db.TagList) : []), source: structuredClone(db), epoch: 0, gone: false };
    store.clusterSnapshots.push(snapshot);
    store.after(snapshot, store.timings.snapshotCreating, () => {
      snapshot.snap.Status = 'available';
      snapshot.snap.PercentProgress = 100;
    });
    lasts += store.timings.snapshotCreating;
  }
  store.automatedBackups.push({ kind: 'cluster', identifier: id, resourceId: db.DbClusterResourceId ?? '', retained: input.DeleteAutomatedBackups === false, at: store.date() });
  for (const member of record.multiAz ? members : []) {
    store.restart(member);
    setInstanceStatus(member, 'deleting');
    store.after(member, lasts, () => (member.gone = true));
  }
  store.after(record, lasts, () => (record.gone = true));
  return { DBCluster: viewCluster(store, record) };
}
