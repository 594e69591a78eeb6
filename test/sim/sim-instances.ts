/**
 * DB instances coming into being and being looked at: DescribeDBInstances,
 * RestoreDBInstanceFromDBSnapshot, CreateDBInstance (a member of a cluster), RebootDBInstance.
 */
import type {
  CreateDBInstanceMessage,
  DBInstance,
  DescribeDBInstancesMessage,
  RebootDBInstanceMessage,
  RestoreDBInstanceFromDBSnapshotMessage,
} from '@aws-sdk/client-rds';
import { refuse } from './sim-errors.js';
import { instanceExtras } from './sim-extras.js';
import { checkOptionGroup, checkParameterGroup, checkSubnetGroup } from './sim-groups.js';
import {
  checkBackupRetention,
  checkGp3,
  checkIdentifier,
  checkInsightsRetention,
  checkListing,
  checkMonitoring,
  checkMultiAzZone,
  checkPort,
  checkRestoreManagedPassword,
  checkRestoreStorage,
  checkTags,
  gp3Baseline,
  page,
} from './sim-rules.js';
import { defaultOptionGroup, defaultParameterGroup, instanceShape, optionGroupKey, setInstanceStatus } from './sim-shapes.js';
import type { InstanceRecord, Phase, SimStore, SnapshotRecord } from './sim-store.js';

/** What DescribeDBInstances shows of a record: no endpoint while `creating` (as RDS). */
export function viewInstance(record: InstanceRecord): DBInstance {
  const db = structuredClone(record.db);
  if (db.DBInstanceStatus === 'creating') delete db.Endpoint;
  return db;
}

const matches = (values: string[] | undefined, ...actual: (string | undefined)[]): boolean =>
  !values || actual.some((a) => a !== undefined && values.includes(a));

/** API, DescribeDBInstances: DBInstanceIdentifier (name or ARN) or Filters; a missing name is DBInstanceNotFound. */
export function describeInstances(store: SimStore, input: DescribeDBInstancesMessage) {
  checkListing(input.Filters, ['db-cluster-id', 'db-instance-id', 'dbi-resource-id', 'domain', 'engine'], input.MaxRecords);
  if (input.DBInstanceIdentifier !== undefined) {
    const record = store.instance(input.DBInstanceIdentifier);
    if (!record) throw refuse.instanceNotFound(input.DBInstanceIdentifier);
    return { DBInstances: [viewInstance(record)] };
  }
  const filter = (name: string) => input.Filters?.find((f) => f.Name === name)?.Values;
  const found = store.instances.filter(
    (r) =>
      !r.gone &&
      matches(filter('db-instance-id'), r.db.DBInstanceIdentifier, r.db.DBInstanceArn) &&
      matches(
        filter('db-cluster-id'),
        r.db.DBClusterIdentifier,
        r.db.DBClusterIdentifier && store.arn('cluster', r.db.DBClusterIdentifier),
      ) &&
      matches(filter('dbi-resource-id'), r.db.DbiResourceId) &&
      matches(filter('engine'), r.db.Engine),
  );
  const { items, marker } = page(found, input.MaxRecords, input.Marker);
  return { DBInstances: items.map(viewInstance), Marker: marker };
}

/** The timeline of a new instance: `creating`, then `backing-up`, monitoring, storage optimization as they apply. */
export function comingUp(
  store: SimStore,
  record: InstanceRecord,
  creating: number,
  options: { backup: boolean; storageChanged?: boolean; final?: string },
): void {
  const t = store.timings;
  const phases: Phase[] = [{ seconds: creating, run: () => setInstanceStatus(store, record, 'creating') }];
  if (options.backup) phases.push({ seconds: t.restoreBackingUp, run: () => setInstanceStatus(store, record, 'backing-up') });
  if ((record.db.MonitoringInterval ?? 0) > 0)
    phases.push({ seconds: t.configuringMonitoring, run: () => setInstanceStatus(store, record, 'configuring-enhanced-monitoring') });
  if (options.storageChanged && t.storageOptimization > 0)
    phases.push({ seconds: t.storageOptimization, run: () => setInstanceStatus(store, record, 'storage-optimization') });
  phases.push({ seconds: 0, run: () => setInstanceStatus(store, record, options.final ?? 'available') });
  store.timeline(record, phases);
}

/**
 * API, RestoreDBInstanceFromDBSnapshot. A restore takes the snapshot's engine version (the
 * request has no EngineVersion), storage and option group; what it is not given comes back as
 * RDS's defaults: the default parameter group and security group, single-AZ, no deletion
 * protection… (RDS-RULES.md, "restore"). Tags: "If there are no new tags, RDS looks for the
 * tags from the source DB instance for the DB snapshot" (API, CopyTagsToSnapshot).
 */
export function restoreInstance(store: SimStore, input: RestoreDBInstanceFromDBSnapshotMessage, outcome: string) {
  const id = checkIdentifier('DBInstanceIdentifier', input.DBInstanceIdentifier);
  if (input.DBClusterSnapshotIdentifier !== undefined)
    throw new Error('SimulatedRds does not simulate restoring an instance from a Multi-AZ DB cluster snapshot.');
  if (input.DBSnapshotIdentifier === undefined) throw refuse.missing('DBSnapshotIdentifier');
  const snapshot = store.snapshot(input.DBSnapshotIdentifier);
  if (!snapshot) throw refuse.snapshotNotFound(input.DBSnapshotIdentifier);
  const snap = snapshot.snap;
  if (snap.Status !== 'available')
    throw refuse.snapshotState(`DBSnapshot ${snap.DBSnapshotIdentifier} is not in available state (it is ${snap.Status}).`);
  return restoreInstanceFrom(store, id, input, snapshot, outcome);
}

/**
 * The new instance of a restore, from a snapshot or (sim-pitr.ts) from a source instance's state
 * at a point in time, which RestoreDBInstanceToPointInTime treats alike.
 */
export function restoreInstanceFrom(
  store: SimStore,
  id: string,
  input: Omit<RestoreDBInstanceFromDBSnapshotMessage, 'DBInstanceIdentifier'>,
  snapshot: Pick<SnapshotRecord, 'snap' | 'source'>,
  outcome: string,
) {
  const snap = snapshot.snap;
  if (store.instanceNameTaken(id)) throw refuse.instanceExists();
  const engine = input.Engine ?? snap.Engine ?? 'postgres';
  // API, Engine: "Must be compatible with the engine of the source" (MySQL → MariaDB is the documented case).
  if (engine !== snap.Engine && !(snap.Engine === 'mysql' && engine === 'mariadb'))
    throw refuse.combination(`Engine ${engine} is not compatible with the snapshot's engine ${snap.Engine}.`);
  const version = snap.EngineVersion ?? '';
  checkTags(input.Tags);
  checkPort(input.Port);
  checkMultiAzZone(input.MultiAZ, input.AvailabilityZone);
  checkRestoreStorage(engine, input.AllocatedStorage);
  checkRestoreManagedPassword(engine, input.ManageMasterUserPassword);
  checkBackupRetention(input.BackupRetentionPeriod, 0);
  const storageType = input.StorageType ?? snap.StorageType ?? 'gp3';
  const allocated = input.AllocatedStorage ?? snap.AllocatedStorage ?? 20;
  checkGp3(engine, storageType, allocated, input.Iops, input.StorageThroughput);
  const parameterGroup = checkParameterGroup(store, input.DBParameterGroupName ?? defaultParameterGroup(engine, version), engine, version);
  const snapOptionGroup =
    snap.OptionGroupName && store.optionGroups.get(snap.OptionGroupName) === optionGroupKey(engine, version)
      ? snap.OptionGroupName
      : undefined;
  const optionGroup = checkOptionGroup(
    store,
    input.OptionGroupName ?? snapOptionGroup ?? defaultOptionGroup(engine, version),
    engine,
    version,
  );
  const subnetGroup = checkSubnetGroup(store, input.DBSubnetGroupName ?? 'default');
  if (store.instances.filter((r) => !r.gone).length >= store.quotas.DBInstances) throw refuse.instanceQuota();
  const baseline = storageType === 'gp3' ? gp3Baseline(engine, allocated) : undefined;
  const db = instanceShape(store, id, {
    Engine: engine,
    EngineVersion: version,
    DBInstanceClass: input.DBInstanceClass ?? snapshot.source.DBInstanceClass,
    MasterUsername: snap.MasterUsername,
    AllocatedStorage: allocated,
    StorageType: storageType,
    Iops: input.Iops ?? baseline?.iops ?? snap.Iops,
    StorageThroughput: input.StorageThroughput ?? baseline?.throughput ?? snap.StorageThroughput,
    Endpoint: { Port: input.Port ?? snap.Port },
    MultiAZ: input.MultiAZ ?? false,
    AvailabilityZone: input.AvailabilityZone ?? `${store.options.region}a`,
    ...(input.MultiAZ ? { SecondaryAvailabilityZone: `${store.options.region}b` } : {}),
    DBSubnetGroup: { DBSubnetGroupName: subnetGroup, VpcId: 'vpc-default', SubnetGroupStatus: 'Complete' },
    VpcSecurityGroups: (input.VpcSecurityGroupIds ?? ['sg-default']).map((g) => ({ VpcSecurityGroupId: g, Status: 'active' })),
    DBParameterGroups: [{ DBParameterGroupName: parameterGroup, ParameterApplyStatus: 'in-sync' }],
    OptionGroupMemberships: [{ OptionGroupName: optionGroup, Status: 'in-sync' }],
    PubliclyAccessible: input.PubliclyAccessible ?? false,
    AutoMinorVersionUpgrade: input.AutoMinorVersionUpgrade ?? true,
    DeletionProtection: input.DeletionProtection ?? false,
    IAMDatabaseAuthenticationEnabled: input.EnableIAMDatabaseAuthentication ?? false,
    EnabledCloudwatchLogsExports: input.EnableCloudwatchLogsExports ?? [],
    CopyTagsToSnapshot: input.CopyTagsToSnapshot ?? false,
    BackupRetentionPeriod: input.BackupRetentionPeriod ?? snapshot.source.BackupRetentionPeriod ?? 1,
    ...(input.PreferredBackupWindow ? { PreferredBackupWindow: input.PreferredBackupWindow } : {}),
    ...(input.CACertificateIdentifier ? { CACertificateIdentifier: input.CACertificateIdentifier } : {}),
    LicenseModel: input.LicenseModel ?? snap.LicenseModel,
    StorageEncrypted: snap.Encrypted ?? false,
    KmsKeyId: snap.KmsKeyId,
    ...instanceExtras(store, engine, { ...input, DBInstanceIdentifier: id }),
    TagList: structuredClone(input.Tags ?? snapshot.source.TagList ?? []),
  });
  const record: InstanceRecord = { db, deferred: {}, windowed: {}, epoch: 0, gone: false };
  store.instances.push(record);
  const storageChanged = allocated !== snap.AllocatedStorage || storageType !== snap.StorageType;
  comingUp(store, record, store.timings.restoreCreating, { backup: (db.BackupRetentionPeriod ?? 0) > 0, storageChanged, final: outcome });
  return { DBInstance: viewInstance(record) };
}

/**
 * API, CreateDBInstance of a member of an Aurora cluster. The cluster holds the data and most
 * settings: "The requested DB Instance will be a member of a DB Cluster. Set … for the DB
 * Cluster." (InvalidParameterCombination) for settings the cluster owns (quoted in
 * CloudFormation, CDK and Terraform code); others "don't apply to Amazon Aurora" and are ignored.
 */
export function createMember(store: SimStore, input: CreateDBInstanceMessage) {
  const id = checkIdentifier('DBInstanceIdentifier', input.DBInstanceIdentifier);
  if (input.DBClusterIdentifier === undefined) throw new Error('SimulatedRds simulates CreateDBInstance only for members of a DB cluster.');
  if (!input.DBInstanceClass) throw refuse.missing('DBInstanceClass');
  if (!input.Engine) throw refuse.missing('Engine');
  const cluster = store.cluster(input.DBClusterIdentifier);
  if (!cluster) throw refuse.clusterNotFound(input.DBClusterIdentifier);
  if (store.instanceNameTaken(id)) throw refuse.instanceExists();
  if (cluster.multiAz) throw refuse.combination('Instances of a Multi-AZ DB cluster are created by RDS; CreateDBInstance cannot add one.');
  const c = cluster.db;
  if (input.Engine !== c.Engine)
    throw refuse.combination(
      `The engine name requested for your DB instance (${input.Engine}) doesn't match the engine name of your DB cluster (${c.Engine}).`,
    );
  if (c.Status !== 'available')
    throw refuse.clusterState(`DB cluster ${c.DBClusterIdentifier} is not in available state (it is ${c.Status}).`);
  const owned: [string, unknown][] = [
    ['backup retention period', input.BackupRetentionPeriod],
    ['backup window', input.PreferredBackupWindow],
    ['vpc security group', input.VpcSecurityGroupIds],
    ['master user name', input.MasterUsername],
    ['master user password', input.MasterUserPassword],
    ['storage size', input.AllocatedStorage],
  ];
  const set = owned.find(([, value]) => value !== undefined);
  if (set) throw refuse.combination(`The requested DB Instance will be a member of a DB Cluster. Set ${set[0]} for the DB Cluster.`);
  checkTags(input.Tags);
  checkMonitoring(input.MonitoringInterval, input.MonitoringRoleArn);
  checkInsightsRetention(input.PerformanceInsightsRetentionPeriod);
  const engine = c.Engine ?? '';
  const version = c.EngineVersion ?? '';
  const parameterGroup = checkParameterGroup(store, input.DBParameterGroupName ?? defaultParameterGroup(engine, version), engine, version);
  if (store.instances.filter((r) => !r.gone).length >= store.quotas.DBInstances) throw refuse.instanceQuota();
  const db = instanceShape(store, id, {
    Engine: engine,
    EngineVersion: version,
    DBInstanceClass: input.DBInstanceClass,
    DBClusterIdentifier: c.DBClusterIdentifier,
    PromotionTier: input.PromotionTier ?? 1,
    AvailabilityZone: input.AvailabilityZone ?? `${store.options.region}a`,
    MasterUsername: c.MasterUsername,
    Endpoint: { Port: c.Port },
    DBSubnetGroup: { DBSubnetGroupName: c.DBSubnetGroup, VpcId: 'vpc-default', SubnetGroupStatus: 'Complete' },
    VpcSecurityGroups: structuredClone(c.VpcSecurityGroups),
    DBParameterGroups: [{ DBParameterGroupName: parameterGroup, ParameterApplyStatus: 'in-sync' }],
    BackupRetentionPeriod: c.BackupRetentionPeriod,
    PreferredBackupWindow: c.PreferredBackupWindow,
    StorageEncrypted: c.StorageEncrypted,
    KmsKeyId: c.KmsKeyId,
    IAMDatabaseAuthenticationEnabled: c.IAMDatabaseAuthenticationEnabled,
    PubliclyAccessible: input.PubliclyAccessible ?? false,
    AutoMinorVersionUpgrade: input.AutoMinorVersionUpgrade ?? true,
    PerformanceInsightsEnabled: input.EnablePerformanceInsights ?? false,
    PerformanceInsightsKMSKeyId: input.EnablePerformanceInsights
      ? (input.PerformanceInsightsKMSKeyId ?? `arn:aws:kms:${store.options.region}:${store.options.accountId}:key/aws-rds`)
      : undefined,
    PerformanceInsightsRetentionPeriod: input.EnablePerformanceInsights ? (input.PerformanceInsightsRetentionPeriod ?? 7) : undefined,
    MonitoringInterval: input.MonitoringInterval ?? 0,
    MonitoringRoleArn: input.MonitoringRoleArn,
    ...(input.CACertificateIdentifier ? { CACertificateIdentifier: input.CACertificateIdentifier } : {}),
    CopyTagsToSnapshot: input.CopyTagsToSnapshot ?? false,
    ...instanceExtras(store, engine, input),
    TagList: structuredClone(input.Tags ?? []),
  });
  const record: InstanceRecord = { db, deferred: {}, windowed: {}, epoch: 0, gone: false };
  store.instances.push(record);
  // The first instance of a cluster is its writer (Aurora user guide, "DB cluster").
  if (!store.membersOf(c.DBClusterIdentifier).some((m) => m.db.DbiResourceId === cluster.writer)) cluster.writer = db.DbiResourceId;
  comingUp(store, record, store.timings.memberCreating, { backup: false });
  return { DBInstance: viewInstance(record) };
}

/** API, RebootDBInstance: `rebooting`, then `available` with a pending parameter group applied. */
export function rebootInstance(store: SimStore, input: RebootDBInstanceMessage) {
  const record = store.instance(input.DBInstanceIdentifier);
  if (!record) throw refuse.instanceNotFound(input.DBInstanceIdentifier ?? '');
  const status = record.db.DBInstanceStatus ?? '';
  if (status !== 'available') throw refuse.instanceState(record.db.DBInstanceIdentifier ?? '', status);
  store.timeline(record, [
    { seconds: store.timings.rebooting, run: () => setInstanceStatus(store, record, 'rebooting') },
    { seconds: 0, run: () => parametersInSync(store, record, 'available') },
  ]);
  return { DBInstance: viewInstance(record) };
}

/** After a reboot: the parameter group's settings are in effect. */
export function parametersInSync(store: SimStore, record: InstanceRecord, status: string): void {
  for (const group of record.db.DBParameterGroups ?? []) group.ParameterApplyStatus = 'in-sync';
  setInstanceStatus(store, record, status);
}
