/**
 * Full SDK-shaped resources (what DescribeDB* return) from a few given fields, with the
 * defaults RDS fills in, and the engine families parameter and option groups belong to.
 */
import type { DBCluster, DBClusterSnapshot, DBInstance, DBSnapshot } from '@aws-sdk/client-rds';
import { gp3Baseline } from './sim-rules.js';
import type { ClusterRecord, InstanceRecord, SimStore } from './sim-store.js';

/** The major version groups and families are named after: `16`, `9.6`, `8.0`, `15.00`, `19`. */
export function majorVersion(engine: string, version: string): string {
  const parts = version.split('.');
  if (engine === 'aurora-mysql') return version.startsWith('5.7') ? '5.7' : '8.0';
  if (engine === 'postgres' || engine === 'aurora-postgresql')
    return Number(parts[0]) >= 10 ? (parts[0] ?? '') : parts.slice(0, 2).join('.');
  if (engine.startsWith('oracle')) return parts[0] ?? '';
  return parts.slice(0, 2).join('.');
}

/**
 * The DB parameter group family (`postgres16`, `mysql8.0`, `aurora-postgresql16`,
 * `sqlserver-se-15.0`, `oracle-ee-19`): groups are per family, so a group of one major
 * version cannot be used with another (API: RestoreDBInstanceFromDBSnapshot, "engine version").
 */
export function parameterGroupFamily(engine: string, version: string): string {
  const major = majorVersion(engine, version);
  if (engine.startsWith('sqlserver')) return `${engine}-${Number(major).toFixed(1)}`;
  if (engine.startsWith('oracle') || engine.startsWith('db2')) return `${engine}-${major}`;
  return `${engine}${major}`;
}

export const defaultParameterGroup = (engine: string, version: string): string => `default.${parameterGroupFamily(engine, version)}`;

/** Option groups are per engine and major version; the default one is `default:postgres-16`. */
export const optionGroupKey = (engine: string, version: string): string => `${engine} ${majorVersion(engine, version)}`;
export const defaultOptionGroup = (engine: string, version: string): string =>
  `default:${engine}-${majorVersion(engine, version).replace(/\./g, '-')}`;

export const isAurora = (engine: string | undefined): boolean => (engine ?? '').startsWith('aurora');

const DEFAULT_PORT: Record<string, number> = {
  postgres: 5432,
  'aurora-postgresql': 5432,
  mysql: 3306,
  mariadb: 3306,
  'aurora-mysql': 3306,
};
export const defaultPort = (engine: string): number =>
  DEFAULT_PORT[engine] ?? (engine.startsWith('sqlserver') ? 1433 : engine.startsWith('oracle') ? 1521 : 50000);

const LICENSE: Record<string, string> = {
  postgres: 'postgresql-license',
  mysql: 'general-public-license',
  mariadb: 'general-public-license',
};
export const defaultVersion = (engine: string): string =>
  ({ postgres: '16.3', 'aurora-postgresql': '16.3', mysql: '8.0.39', mariadb: '10.11.9', 'aurora-mysql': '8.0.mysql_aurora.3.07.1' })[
    engine
  ] ??
  (engine.startsWith('sqlserver')
    ? '15.00.4385.2.v1'
    : engine.startsWith('oracle')
      ? '19.0.0.0.ru-2024-10.rur-2024-10.r1'
      : '11.5.9.0.sb00000000.r1');

/** A DB instance as DescribeDBInstances shows it, from `seed` and RDS's defaults. */
export function instanceShape(store: SimStore, identifier: string, seed: Partial<DBInstance> = {}): DBInstance {
  const engine = seed.Engine ?? 'postgres';
  const version = seed.EngineVersion ?? defaultVersion(engine);
  const aurora = isAurora(engine);
  const storageType = seed.StorageType ?? (aurora ? 'aurora' : 'gp3');
  const allocated = seed.AllocatedStorage ?? (aurora ? 1 : 20);
  const baseline = storageType === 'gp3' ? gp3Baseline(engine, allocated) : undefined;
  const port = seed.Endpoint?.Port ?? defaultPort(engine);
  return {
    DBInstanceIdentifier: identifier,
    DBInstanceArn: store.arn('db', identifier),
    DbiResourceId: store.newResourceId('db'),
    DBInstanceClass: 'db.t3.micro',
    Engine: engine,
    EngineVersion: version,
    DBInstanceStatus: 'available',
    MasterUsername: engine.includes('postgres') ? 'postgres' : 'admin',
    Endpoint: { Address: store.endpoint(identifier, 'instance'), Port: port, HostedZoneId: 'Z2R2ITUGPM61AM' },
    AllocatedStorage: allocated,
    StorageType: storageType,
    Iops: baseline?.iops,
    StorageThroughput: baseline?.throughput,
    InstanceCreateTime: store.date(),
    PreferredBackupWindow: '08:00-08:30',
    BackupRetentionPeriod: 1,
    DBSecurityGroups: [],
    VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-default', Status: 'active' }],
    DBParameterGroups: [{ DBParameterGroupName: defaultParameterGroup(engine, version), ParameterApplyStatus: 'in-sync' }],
    AvailabilityZone: `${store.options.region}a`,
    DBSubnetGroup: { DBSubnetGroupName: 'default', VpcId: 'vpc-default', SubnetGroupStatus: 'Complete' },
    PreferredMaintenanceWindow: 'mon:09:00-mon:09:30',
    PendingModifiedValues: {},
    MultiAZ: false,
    AutoMinorVersionUpgrade: true,
    ReadReplicaDBInstanceIdentifiers: [],
    LicenseModel: LICENSE[engine] ?? (engine.startsWith('aurora') ? LICENSE[engine.slice(7)] : 'license-included'),
    OptionGroupMemberships: [{ OptionGroupName: defaultOptionGroup(engine, version), Status: 'in-sync' }],
    PubliclyAccessible: false,
    StorageEncrypted: aurora,
    CACertificateIdentifier: 'rds-ca-rsa2048-g1',
    CopyTagsToSnapshot: false,
    MonitoringInterval: 0,
    IAMDatabaseAuthenticationEnabled: false,
    PerformanceInsightsEnabled: false,
    EnabledCloudwatchLogsExports: [],
    DeletionProtection: false,
    DbInstancePort: 0,
    AssociatedRoles: [],
    DatabaseInsightsMode: 'standard',
    DedicatedLogVolume: false,
    ...(engine === 'mysql' || engine === 'postgres' ? { EngineLifecycleSupport: 'open-source-rds-extended-support' } : {}),
    BackupTarget: 'region',
    NetworkType: 'IPV4',
    TagList: [],
    ...seed,
    ...(seed.Endpoint ? { Endpoint: { Address: store.endpoint(identifier, 'instance'), Port: port, HostedZoneId: 'Z2R2ITUGPM61AM' } } : {}),
  };
}

/** A DB cluster as DescribeDBClusters shows it (members are filled in at Describe time). */
export function clusterShape(store: SimStore, identifier: string, seed: Partial<DBCluster> = {}): DBCluster {
  const engine = seed.Engine ?? 'aurora-postgresql';
  const version = seed.EngineVersion ?? defaultVersion(engine);
  const aurora = isAurora(engine);
  return {
    DBClusterIdentifier: identifier,
    DBClusterArn: store.arn('cluster', identifier),
    DbClusterResourceId: store.newResourceId('cluster'),
    Status: 'available',
    Engine: engine,
    EngineVersion: version,
    EngineMode: aurora ? 'provisioned' : undefined,
    Port: defaultPort(engine),
    MasterUsername: engine.includes('postgres') ? 'postgres' : 'admin',
    Endpoint: store.endpoint(identifier, 'cluster'),
    ReaderEndpoint: store.endpoint(identifier, 'cluster-ro'),
    DBClusterParameterGroup: defaultParameterGroup(engine, version),
    DBSubnetGroup: 'default',
    VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-default', Status: 'active' }],
    DBClusterMembers: [],
    AvailabilityZones: ['a', 'b', 'c'].map((z) => `${store.options.region}${z}`),
    BackupRetentionPeriod: 1,
    PreferredBackupWindow: '08:00-08:30',
    PreferredMaintenanceWindow: 'mon:09:00-mon:09:30',
    MultiAZ: false,
    StorageEncrypted: true,
    StorageType: aurora ? 'aurora' : 'io1',
    AllocatedStorage: aurora ? 1 : 100,
    IAMDatabaseAuthenticationEnabled: false,
    DeletionProtection: false,
    CopyTagsToSnapshot: false,
    EnabledCloudwatchLogsExports: [],
    ClusterCreateTime: store.date(),
    AssociatedRoles: [],
    HttpEndpointEnabled: false,
    DatabaseInsightsMode: 'standard',
    EngineLifecycleSupport: 'open-source-rds-extended-support',
    TagList: [],
    ...seed,
  };
}

/** A manual (or final) snapshot of `db`, `creating` until its timeline says otherwise. */
export function snapshotShape(store: SimStore, identifier: string, db: DBInstance, tags: DBSnapshot['TagList']): DBSnapshot {
  return {
    DBSnapshotIdentifier: identifier,
    DBSnapshotArn: store.arn('snapshot', identifier),
    DBInstanceIdentifier: db.DBInstanceIdentifier,
    DbiResourceId: db.DbiResourceId,
    SnapshotCreateTime: store.date(),
    OriginalSnapshotCreateTime: store.date(),
    InstanceCreateTime: db.InstanceCreateTime,
    Engine: db.Engine,
    EngineVersion: db.EngineVersion,
    AllocatedStorage: db.AllocatedStorage,
    StorageType: db.StorageType,
    Iops: db.Iops,
    StorageThroughput: db.StorageThroughput,
    Port: db.Endpoint?.Port,
    AvailabilityZone: db.AvailabilityZone,
    VpcId: db.DBSubnetGroup?.VpcId,
    MasterUsername: db.MasterUsername,
    LicenseModel: db.LicenseModel,
    OptionGroupName: db.OptionGroupMemberships?.[0]?.OptionGroupName,
    Encrypted: db.StorageEncrypted,
    KmsKeyId: db.KmsKeyId,
    IAMDatabaseAuthenticationEnabled: db.IAMDatabaseAuthenticationEnabled,
    SnapshotType: 'manual',
    Status: 'creating',
    PercentProgress: 0,
    SnapshotTarget: 'region',
    TagList: tags ?? [],
  };
}

export function clusterSnapshotShape(
  store: SimStore,
  identifier: string,
  db: DBCluster,
  tags: DBClusterSnapshot['TagList'],
): DBClusterSnapshot {
  return {
    DBClusterSnapshotIdentifier: identifier,
    DBClusterSnapshotArn: store.arn('cluster-snapshot', identifier),
    DBClusterIdentifier: db.DBClusterIdentifier,
    DbClusterResourceId: db.DbClusterResourceId,
    SnapshotCreateTime: store.date(),
    ClusterCreateTime: db.ClusterCreateTime,
    Engine: db.Engine,
    EngineVersion: db.EngineVersion,
    EngineMode: db.EngineMode,
    AllocatedStorage: db.AllocatedStorage,
    StorageType: db.StorageType,
    Port: db.Port,
    VpcId: 'vpc-default',
    AvailabilityZones: db.AvailabilityZones,
    MasterUsername: db.MasterUsername,
    LicenseModel: db.Engine,
    StorageEncrypted: db.StorageEncrypted,
    KmsKeyId: db.KmsKeyId,
    IAMDatabaseAuthenticationEnabled: db.IAMDatabaseAuthenticationEnabled,
    SnapshotType: 'manual',
    Status: 'creating',
    PercentProgress: 0,
    TagList: tags ?? [],
  };
}

/** Sets the status an instance shows, and logs the change (with the time it happened). */
export function setInstanceStatus(store: SimStore, record: InstanceRecord, status: string): void {
  if (record.db.DBInstanceStatus !== status) store.logStatus('instance', record.db.DbiResourceId, record.db.DBInstanceIdentifier, status);
  record.db.DBInstanceStatus = status;
}

export function setClusterStatus(store: SimStore, record: ClusterRecord, status: string): void {
  if (record.db.Status !== status) store.logStatus('cluster', record.db.DbClusterResourceId, record.db.DBClusterIdentifier, status);
  record.db.Status = status;
}
