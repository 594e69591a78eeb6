/** RestoreDBClusterFromSnapshot: an Aurora cluster (no instances) or a Multi-AZ DB cluster (RDS creates its three). */
import type { RestoreDBClusterFromSnapshotMessage } from '@aws-sdk/client-rds';
import { viewCluster } from './sim-clusters.js';
import { refuse } from './sim-errors.js';
import { clusterRestoreExtras } from './sim-extras.js';
import { checkClusterParameterGroup, checkSubnetGroup } from './sim-groups.js';
import { checkBackupRetention, checkIdentifier, checkTags } from './sim-rules.js';
import { clusterShape, defaultParameterGroup, instanceShape, isAurora, setClusterStatus, setInstanceStatus } from './sim-shapes.js';
import type { ClusterRecord, ClusterSnapshotRecord, InstanceRecord, SimStore } from './sim-store.js';

/**
 * API, RestoreDBClusterFromSnapshot. It creates no instances for an Aurora cluster (members are
 * added with CreateDBInstance); a Multi-AZ DB cluster (engine mysql or postgres) needs
 * DBClusterInstanceClass, and with StorageType the Iops ("When specified for a Multi-AZ DB
 * cluster, a value for the Iops parameter is required"), and RDS creates its three instances.
 * EngineVersion: "If you don't specify an engine version, the default version for the database
 * engine in the Amazon Web Services Region is used" — the simulation's `defaultEngineVersion`,
 * else the snapshot's own.
 */
export function restoreCluster(
  store: SimStore,
  input: RestoreDBClusterFromSnapshotMessage,
  outcome: string,
  defaultEngineVersion: (engine: string) => string | undefined,
) {
  const id = checkIdentifier('DBClusterIdentifier', input.DBClusterIdentifier);
  if (!input.SnapshotIdentifier) throw refuse.missing('SnapshotIdentifier');
  if (!input.Engine) throw refuse.missing('Engine');
  const snapshot = store.clusterSnapshot(input.SnapshotIdentifier);
  if (!snapshot) {
    if (store.snapshot(input.SnapshotIdentifier))
      throw new Error('SimulatedRds does not simulate restoring a cluster from a DB instance snapshot.');
    throw refuse.clusterSnapshotNotFound(input.SnapshotIdentifier);
  }
  const snap = snapshot.snap;
  if (snap.Status !== 'available')
    throw refuse.clusterSnapshotState(
      `DB cluster snapshot ${snap.DBClusterSnapshotIdentifier ?? ''} is not available (it is ${snap.Status ?? ''}).`,
    );
  return restoreClusterFrom(store, id, { ...input, Engine: input.Engine }, snapshot, outcome, defaultEngineVersion);
}

/** The new cluster of a restore, from a cluster snapshot or (sim-pitr.ts) from a source cluster at a point in time. */
export function restoreClusterFrom(
  store: SimStore,
  id: string,
  input: Omit<RestoreDBClusterFromSnapshotMessage, 'DBClusterIdentifier' | 'SnapshotIdentifier'> & { Engine: string },
  snapshot: Pick<ClusterSnapshotRecord, 'snap' | 'source'>,
  outcome: string,
  defaultEngineVersion: (engine: string) => string | undefined,
) {
  const snap = snapshot.snap;
  if (store.clusterNameTaken(id)) throw refuse.clusterExists();
  const engine = input.Engine;
  if (engine !== snap.Engine) throw refuse.combination(`Engine ${engine} is not compatible with the snapshot's engine ${snap.Engine}.`);
  const aurora = isAurora(engine);
  const version = input.EngineVersion ?? defaultEngineVersion(engine) ?? snap.EngineVersion ?? '';
  checkTags(input.Tags);
  checkBackupRetention(input.BackupRetentionPeriod, 1);
  // API, BacktrackWindow: "Currently, Backtrack is only supported for Aurora MySQL DB clusters." (error name not verified)
  if ((input.BacktrackWindow ?? 0) > 0 && engine !== 'aurora-mysql')
    throw refuse.invalidValue(`Backtrack is not supported for engine ${engine}.`);
  const storageType = input.StorageType ?? snap.StorageType;
  // API, StorageType: "aurora, aurora-iopt1 (Aurora DB clusters); io1 (Multi-AZ DB clusters)" (RDS also sells io2 and gp3 for them).
  if (storageType && !(aurora ? ['aurora', 'aurora-iopt1'] : ['io1', 'io2', 'gp3']).includes(storageType))
    throw refuse.invalidValue(`Invalid storage type ${storageType} for engine ${engine}.`);
  if (aurora && input.DBClusterInstanceClass !== undefined)
    throw refuse.combination('DBClusterInstanceClass is valid for Multi-AZ DB clusters only.');
  if (!aurora && input.DBClusterInstanceClass === undefined)
    throw refuse.combination('DBClusterInstanceClass is required to restore a Multi-AZ DB cluster.');
  if (!aurora && input.StorageType !== undefined && input.Iops === undefined)
    throw refuse.combination('Iops is required when StorageType is specified for a Multi-AZ DB cluster.');
  const parameterGroup = checkClusterParameterGroup(
    store,
    input.DBClusterParameterGroupName ?? defaultParameterGroup(engine, version),
    engine,
    version,
  );
  const subnetGroup = checkSubnetGroup(store, input.DBSubnetGroupName ?? 'default');
  if (store.clusters.filter((r) => !r.gone).length >= store.quotas.DBClusters) throw refuse.clusterQuota();
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

    KmsKeyId: input.KmsKeyId ?? snap.KmsKeyId,
    StorageEncrypted: snap.StorageEncrypted,
    BackupRetentionPeriod: input.BackupRetentionPeriod ?? 1,
    ...(input.PreferredBackupWindow ? { PreferredBackupWindow: input.PreferredBackupWindow } : {}),
    ...clusterRestoreExtras({ ...input, DBClusterIdentifier: id, SnapshotIdentifier: snap.DBClusterSnapshotIdentifier }),
    TagList: structuredClone(input.Tags ?? []),
  });
  const record: ClusterRecord = { db, deferred: {}, multiAz: !aurora, epoch: 0, gone: false };
  store.clusters.push(record);
  if (!aurora) createMultiAzMembers(store, record);
  store.timeline(record, [
    { seconds: store.timings.clusterCreating, run: () => setClusterStatus(store, record, 'creating') },
    { seconds: 0, run: () => setClusterStatus(store, record, outcome) },
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
    store.after(member, store.timings.clusterCreating, () => setInstanceStatus(store, member, 'available'));
  }
}
