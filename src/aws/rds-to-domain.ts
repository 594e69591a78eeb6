import type {
  DBCluster,
  DBClusterSnapshot,
  DBInstance,
  DBSnapshot,
  DomainMembership as SdkDomainMembership,
  MasterUserSecret,
  Tag as SdkTag,
} from '@aws-sdk/client-rds';
import { isReservedTagKey } from '../core/rds-resources.js';
import type {
  AssociatedRole,
  ClusterInfo,
  DomainMembership,
  InstanceInfo,
  ManagedSecret,
  SnapshotInfo,
  Tag,
} from '../core/rds-resources.js';
import { parameterStatusOf, pendingNames, securityGroupsActive } from './pending-changes.js';

/** SDK tags → domain tags (keys and values always strings). */
export function toTags(tags: SdkTag[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}

/** Domain tags → the `Tags` of an RDS write: reserved keys left out, `undefined` when none is left. */
export function fromTags(tags: Tag[]): SdkTag[] | undefined {
  const writable = tags.filter((t) => !isReservedTagKey(t.key)).map((t) => ({ Key: t.key, Value: t.value }));
  return writable.length > 0 ? writable : undefined;
}

/** The managed master secret, if RDS manages the master password in Secrets Manager. */
function toSecret(secret: MasterUserSecret | undefined): ManagedSecret | undefined {
  return secret?.SecretArn ? { secretArn: secret.SecretArn, kmsKeyId: secret.KmsKeyId } : undefined;
}

/**
 * Associated IAM roles (DBInstanceRole / DBClusterRole). An `INVALID` one (its role deleted, or
 * no longer trusting RDS) is left out: associating it again would only fail the restore.
 */
function toRoles(roles: { RoleArn?: string | undefined; FeatureName?: string | undefined; Status?: string | undefined }[] | undefined) {
  return (roles ?? []).flatMap((r): AssociatedRole[] =>
    r.RoleArn && r.Status !== 'INVALID' ? [{ roleArn: r.RoleArn, featureName: r.FeatureName }] : [],
  );
}

/** The first Active Directory membership, without its status. */
function toDomain(memberships: SdkDomainMembership[] | undefined): DomainMembership | undefined {
  const m = memberships?.[0];
  if (!m || (!m.Domain && !m.FQDN)) return undefined;
  return { domain: m.Domain, fqdn: m.FQDN, ou: m.OU, authSecretArn: m.AuthSecretArn, dnsIps: m.DnsIps, iamRoleName: m.IAMRoleName };
}

/** A described DB instance as the domain sees it. */
export function toInstanceInfo(db: DBInstance): InstanceInfo {
  return {
    identifier: db.DBInstanceIdentifier ?? '',
    resourceId: db.DbiResourceId ?? '',
    arn: db.DBInstanceArn ?? '',
    status: db.DBInstanceStatus ?? 'unknown',
    createdAt: db.InstanceCreateTime,
    endpoint: db.Endpoint?.Address ? { address: db.Endpoint.Address, port: db.Endpoint.Port ?? 0 } : undefined,
    pendingIdentifier: db.PendingModifiedValues?.DBInstanceIdentifier,
    pendingModifications: pendingNames(db.PendingModifiedValues, 'DBInstanceIdentifier'),
    parameterApplyStatus: parameterStatusOf((db.DBParameterGroups ?? []).map((g) => g.ParameterApplyStatus)),
    securityGroupsActive: securityGroupsActive(db.VpcSecurityGroups),
    clusterIdentifier: db.DBClusterIdentifier,
    readReplicaSourceIdentifier: db.ReadReplicaSourceDBInstanceIdentifier,
    readReplicaIdentifiers: db.ReadReplicaDBInstanceIdentifiers ?? [],
    promotionTier: db.PromotionTier,
    config: {
      instanceClass: db.DBInstanceClass ?? '',
      engine: db.Engine ?? '',
      engineVersion: db.EngineVersion ?? '',
      dbSubnetGroupName: db.DBSubnetGroup?.DBSubnetGroupName,
      vpcSecurityGroupIds: (db.VpcSecurityGroups ?? []).flatMap((g) => (g.VpcSecurityGroupId ? [g.VpcSecurityGroupId] : [])),
      dbParameterGroupName: db.DBParameterGroups?.[0]?.DBParameterGroupName,
      optionGroupName: db.OptionGroupMemberships?.[0]?.OptionGroupName,
      multiAZ: db.MultiAZ ?? false,
      availabilityZone: db.AvailabilityZone,
      port: db.Endpoint?.Port ?? db.DbInstancePort,
      storageType: db.StorageType,
      allocatedStorage: db.AllocatedStorage,
      iops: db.Iops,
      storageThroughput: db.StorageThroughput,
      maxAllocatedStorage: db.MaxAllocatedStorage,
      publiclyAccessible: db.PubliclyAccessible ?? false,
      deletionProtection: db.DeletionProtection ?? false,
      iamDatabaseAuthentication: db.IAMDatabaseAuthenticationEnabled ?? false,
      cloudwatchLogsExports: db.EnabledCloudwatchLogsExports ?? [],
      copyTagsToSnapshot: db.CopyTagsToSnapshot ?? false,
      autoMinorVersionUpgrade: db.AutoMinorVersionUpgrade ?? false,
      backupRetentionPeriod: db.BackupRetentionPeriod,
      preferredBackupWindow: db.PreferredBackupWindow,
      preferredMaintenanceWindow: db.PreferredMaintenanceWindow,
      caCertificateIdentifier: db.CACertificateIdentifier,
      monitoringInterval: db.MonitoringInterval,
      monitoringRoleArn: db.MonitoringRoleArn,
      performanceInsightsEnabled: db.PerformanceInsightsEnabled ?? false,
      performanceInsightsKmsKeyId: db.PerformanceInsightsKMSKeyId,
      performanceInsightsRetentionPeriod: db.PerformanceInsightsRetentionPeriod,
      tags: toTags(db.TagList),
      engineLifecycleSupport: db.EngineLifecycleSupport,
      networkType: db.NetworkType,
      databaseInsightsMode: db.DatabaseInsightsMode,
      dedicatedLogVolume: db.DedicatedLogVolume,
      processorFeatures: (db.ProcessorFeatures ?? []).flatMap((f) =>
        f.Name && f.Value !== undefined ? [{ name: f.Name, value: f.Value }] : [],
      ),
      domain: toDomain(db.DomainMemberships),
      associatedRoles: toRoles(db.AssociatedRoles),
      masterUserSecret: toSecret(db.MasterUserSecret),
    },
  };
}

/** A described DB cluster as the domain sees it. */
export function toClusterInfo(c: DBCluster): ClusterInfo {
  const scaling = c.ServerlessV2ScalingConfiguration;
  return {
    identifier: c.DBClusterIdentifier ?? '',
    resourceId: c.DbClusterResourceId ?? '',
    arn: c.DBClusterArn ?? '',
    status: c.Status ?? 'unknown',
    createdAt: c.ClusterCreateTime,
    endpoint: c.Endpoint,
    members: (c.DBClusterMembers ?? []).map((m) => ({
      instanceIdentifier: m.DBInstanceIdentifier ?? '',
      isWriter: m.IsClusterWriter ?? false,
      promotionTier: m.PromotionTier,
      parameterApplyStatus: m.DBClusterParameterGroupStatus,
    })),
    pendingIdentifier: c.PendingModifiedValues?.DBClusterIdentifier,
    pendingModifications: pendingNames(c.PendingModifiedValues, 'DBClusterIdentifier'),
    parameterApplyStatus: parameterStatusOf((c.DBClusterMembers ?? []).map((m) => m.DBClusterParameterGroupStatus)),
    securityGroupsActive: securityGroupsActive(c.VpcSecurityGroups),
    globalClusterIdentifier: c.GlobalClusterIdentifier || undefined,
    config: {
      engine: c.Engine ?? '',
      engineVersion: c.EngineVersion ?? '',
      engineMode: c.EngineMode,
      port: c.Port,
      dbSubnetGroupName: c.DBSubnetGroup,
      vpcSecurityGroupIds: (c.VpcSecurityGroups ?? []).flatMap((g) => (g.VpcSecurityGroupId ? [g.VpcSecurityGroupId] : [])),
      dbClusterParameterGroupName: c.DBClusterParameterGroup,
      deletionProtection: c.DeletionProtection ?? false,
      iamDatabaseAuthentication: c.IAMDatabaseAuthenticationEnabled ?? false,
      cloudwatchLogsExports: c.EnabledCloudwatchLogsExports ?? [],
      backtrackWindow: c.BacktrackWindow || undefined,
      backupRetentionPeriod: c.BackupRetentionPeriod,
      preferredBackupWindow: c.PreferredBackupWindow,
      preferredMaintenanceWindow: c.PreferredMaintenanceWindow,
      copyTagsToSnapshot: c.CopyTagsToSnapshot ?? false,
      storageType: c.StorageType,
      serverlessV2Scaling:
        scaling?.MinCapacity !== undefined && scaling.MaxCapacity !== undefined
          ? {
              minCapacity: scaling.MinCapacity,
              maxCapacity: scaling.MaxCapacity,
              ...(scaling.SecondsUntilAutoPause !== undefined ? { secondsUntilAutoPause: scaling.SecondsUntilAutoPause } : {}),
            }
          : undefined,
      kmsKeyId: c.KmsKeyId,
      databaseName: c.DatabaseName,
      tags: toTags(c.TagList),
      engineLifecycleSupport: c.EngineLifecycleSupport,
      networkType: c.NetworkType,
      databaseInsightsMode: c.DatabaseInsightsMode,
      domain: toDomain(c.DomainMemberships),
      associatedRoles: toRoles(c.AssociatedRoles),
      httpEndpointEnabled: c.HttpEndpointEnabled,
      // `requested` and `enabling` are on their way to `enabled`: what was asked for is what is carried.
      localWriteForwarding:
        c.LocalWriteForwardingStatus === undefined
          ? undefined
          : ['enabled', 'enabling', 'requested'].includes(c.LocalWriteForwardingStatus),
      masterUserSecret: toSecret(c.MasterUserSecret),
    },
  };
}

/** What DB snapshots and DB cluster snapshots describe alike. */
type AnySnapshot = Pick<
  DBSnapshot,
  | 'Engine'
  | 'Status'
  | 'SnapshotCreateTime'
  | 'SnapshotType'
  | 'PercentProgress'
  | 'TagList'
  | 'EngineVersion'
  | 'AllocatedStorage'
  | 'StorageType'
  | 'StorageThroughput'
>;

function snapshotInfo(
  s: AnySnapshot,
  identifier: string | undefined,
  arn: string | undefined,
  source: string | undefined,
  iops: number | undefined,
): SnapshotInfo {
  return {
    identifier: identifier ?? '',
    arn: arn ?? '',
    sourceIdentifier: source ?? '',
    engine: s.Engine ?? '',
    status: s.Status ?? 'unknown',
    createdAt: s.SnapshotCreateTime,
    snapshotType: s.SnapshotType ?? '',
    tags: toTags(s.TagList),
    engineVersion: s.EngineVersion,
    allocatedStorage: s.AllocatedStorage,
    storageType: s.StorageType,
    iops,
    storageThroughput: s.StorageThroughput,
    percentProgress: s.PercentProgress,
  };
}

/** A DB snapshot as the domain sees it. */
export const toSnapshotInfo = (s: DBSnapshot): SnapshotInfo =>
  snapshotInfo(s, s.DBSnapshotIdentifier, s.DBSnapshotArn, s.DBInstanceIdentifier, s.Iops);

/** A DB cluster snapshot as the domain sees it (cluster snapshots report no IOPS). */
export const toClusterSnapshotInfo = (s: DBClusterSnapshot): SnapshotInfo =>
  snapshotInfo(s, s.DBClusterSnapshotIdentifier, s.DBClusterSnapshotArn, s.DBClusterIdentifier, undefined);
