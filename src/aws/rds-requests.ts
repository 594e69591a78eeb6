import type {
  CreateDBInstanceMessage,
  ModifyDBClusterMessage,
  ModifyDBInstanceMessage,
  RestoreDBClusterFromSnapshotMessage,
  RestoreDBInstanceFromDBSnapshotMessage,
} from '@aws-sdk/client-rds';
import type { CreateClusterMemberRequest, RestoreClusterRequest, RestoreInstanceRequest } from './rds-gateway.js';
import type { ClusterModification, InstanceInfo, InstanceModification } from '../core/rds-resources.js';
import { fromTags } from './rds-to-domain.js';
import { domainParameters, engineLifecycleOf, insightsParameters, managedSecretParameters } from './setting-parameters.js';
import { storageParameters } from './storage-parameters.js';

/**
 * The inputs of the SDK's mutating RDS commands, built from domain requests. Pure: what RDS
 * accepts is decided here, so the rules are tested without a client.
 */

/**
 * RestoreDBInstanceFromDBSnapshot input. Storage goes only where it differs from the snapshot's
 * and RDS takes it (see `storageParameters`); without the snapshot, gp3 IOPS and throughput are
 * sent only from the engine's size threshold up.
 */
export function restoreInstanceInput({
  identifier,
  snapshotIdentifier,
  snapshot,
  config: c,
}: RestoreInstanceRequest): RestoreDBInstanceFromDBSnapshotMessage {
  return {
    DBInstanceIdentifier: identifier,
    DBSnapshotIdentifier: snapshotIdentifier,
    DBInstanceClass: c.instanceClass,
    DBSubnetGroupName: c.dbSubnetGroupName,
    VpcSecurityGroupIds: c.vpcSecurityGroupIds.length > 0 ? c.vpcSecurityGroupIds : undefined,
    DBParameterGroupName: c.dbParameterGroupName,
    // A default option group is assigned by RDS anyway; naming it can only fail (an
    // engine-version mismatch, or an emulator that does not list default groups).
    OptionGroupName: c.optionGroupName?.startsWith('default:') ? undefined : c.optionGroupName,
    MultiAZ: c.multiAZ,
    // An AZ cannot be named for a Multi-AZ deployment.
    AvailabilityZone: c.multiAZ ? undefined : c.availabilityZone,
    Port: c.port,
    // A restore comes back with the snapshot's engine, whatever the request says.
    ...storageParameters(snapshot?.engine || c.engine, c, snapshot, 'restore'),
    PubliclyAccessible: c.publiclyAccessible,
    DeletionProtection: c.deletionProtection,
    EnableIAMDatabaseAuthentication: c.iamDatabaseAuthentication,
    EnableCloudwatchLogsExports: c.cloudwatchLogsExports.length > 0 ? c.cloudwatchLogsExports : undefined,
    CopyTagsToSnapshot: c.copyTagsToSnapshot,
    AutoMinorVersionUpgrade: c.autoMinorVersionUpgrade,
    BackupRetentionPeriod: c.backupRetentionPeriod,
    PreferredBackupWindow: c.preferredBackupWindow,
    CACertificateIdentifier: c.caCertificateIdentifier,
    Tags: fromTags(c.tags),
    // The restore call takes these (API reference: RestoreDBInstanceFromDBSnapshot); without them
    // the copy is enrolled in Extended Support, IPv4 only, and out of its Active Directory.
    EngineLifecycleSupport: engineLifecycleOf(snapshot?.engine || c.engine, c.engineLifecycleSupport),
    NetworkType: c.networkType,
    // Only ever turned on: `false` is the default, and not every engine knows the parameter.
    DedicatedLogVolume: c.dedicatedLogVolume || undefined,
    ProcessorFeatures: c.processorFeatures?.length ? c.processorFeatures.map((f) => ({ Name: f.name, Value: f.value })) : undefined,
    ...domainParameters(c.domain),
    // ManageMasterUserPassword on a restore "applies to RDS for Oracle only"; other engines get
    // it with ModifyDBInstance afterwards (API reference: RestoreDBInstanceFromDBSnapshot).
    ...((snapshot?.engine || c.engine).startsWith('oracle') ? managedSecretParameters(c.masterUserSecret) : {}),
  };
}

/** Whether a modification touches storage (and so needs the instance's engine and storage). */
export const changesStorage = (m: InstanceModification): boolean =>
  m.allocatedStorage !== undefined || m.storageType !== undefined || m.iops !== undefined || m.storageThroughput !== undefined;

/**
 * ModifyDBInstance input: only the given settings, applied at once. Storage settings go only
 * where they differ from `described` (the instance now) and RDS takes them for its engine, type
 * and size (see `storageParameters`).
 */
export function modifyInstanceInput(identifier: string, m: InstanceModification, described?: InstanceInfo): ModifyDBInstanceMessage {
  return {
    DBInstanceIdentifier: identifier,
    ApplyImmediately: true,
    BackupRetentionPeriod: m.backupRetentionPeriod,
    PreferredBackupWindow: m.preferredBackupWindow,
    PreferredMaintenanceWindow: m.preferredMaintenanceWindow,
    MaxAllocatedStorage: m.maxAllocatedStorage,
    MonitoringInterval: m.monitoringInterval,
    MonitoringRoleArn: m.monitoringRoleArn,
    EnablePerformanceInsights: m.performanceInsightsEnabled,
    PerformanceInsightsKMSKeyId: m.performanceInsightsKmsKeyId,
    PerformanceInsightsRetentionPeriod: m.performanceInsightsRetentionPeriod,
    DeletionProtection: m.deletionProtection,
    CACertificateIdentifier: m.caCertificateIdentifier,
    DBParameterGroupName: m.dbParameterGroupName,
    VpcSecurityGroupIds: m.vpcSecurityGroupIds,
    ...(changesStorage(m) ? storageParameters(described?.config.engine ?? '', m, described?.config, 'modify') : {}),
    ...insightsParameters(m.databaseInsightsMode, m.performanceInsightsRetentionPeriod),
    ...managedSecretParameters(m.masterUserSecret),
  };
}

/** CreateDBInstance input of an Aurora cluster member. */
export function createMemberInput({
  identifier,
  clusterIdentifier,
  promotionTier,
  config: c,
}: CreateClusterMemberRequest): CreateDBInstanceMessage {
  return {
    DBInstanceIdentifier: identifier,
    DBClusterIdentifier: clusterIdentifier,
    DBInstanceClass: c.instanceClass,
    Engine: c.engine,
    DBParameterGroupName: c.dbParameterGroupName,
    PromotionTier: promotionTier,
    AvailabilityZone: c.availabilityZone,
    PubliclyAccessible: c.publiclyAccessible,
    EnablePerformanceInsights: c.performanceInsightsEnabled,
    PerformanceInsightsKMSKeyId: c.performanceInsightsEnabled ? c.performanceInsightsKmsKeyId : undefined,
    PerformanceInsightsRetentionPeriod: c.performanceInsightsEnabled ? c.performanceInsightsRetentionPeriod : undefined,
    MonitoringInterval: c.monitoringInterval,
    MonitoringRoleArn: c.monitoringInterval ? c.monitoringRoleArn : undefined,
    AutoMinorVersionUpgrade: c.autoMinorVersionUpgrade,
    CACertificateIdentifier: c.caCertificateIdentifier,
    CopyTagsToSnapshot: c.copyTagsToSnapshot,
    Tags: fromTags(c.tags),
    // CreateDBInstance takes the member's own maintenance window (API reference: CreateDBInstance).
    PreferredMaintenanceWindow: c.preferredMaintenanceWindow,
  };
}

/** RestoreDBClusterFromSnapshot input. */
export function restoreClusterInput({
  identifier,
  snapshotIdentifier,
  config: c,
}: RestoreClusterRequest): RestoreDBClusterFromSnapshotMessage {
  return {
    DBClusterIdentifier: identifier,
    SnapshotIdentifier: snapshotIdentifier,
    Engine: c.engine,
    EngineVersion: c.engineVersion,
    EngineMode: c.engineMode,
    Port: c.port,
    DBSubnetGroupName: c.dbSubnetGroupName,
    VpcSecurityGroupIds: c.vpcSecurityGroupIds.length > 0 ? c.vpcSecurityGroupIds : undefined,
    DBClusterParameterGroupName: c.dbClusterParameterGroupName,
    DeletionProtection: c.deletionProtection,
    EnableIAMDatabaseAuthentication: c.iamDatabaseAuthentication,
    EnableCloudwatchLogsExports: c.cloudwatchLogsExports.length > 0 ? c.cloudwatchLogsExports : undefined,
    BacktrackWindow: c.backtrackWindow,
    CopyTagsToSnapshot: c.copyTagsToSnapshot,
    StorageType: c.storageType,
    ServerlessV2ScalingConfiguration: c.serverlessV2Scaling
      ? {
          MinCapacity: c.serverlessV2Scaling.minCapacity,
          MaxCapacity: c.serverlessV2Scaling.maxCapacity,
          SecondsUntilAutoPause: c.serverlessV2Scaling.secondsUntilAutoPause,
        }
      : undefined,
    KmsKeyId: c.kmsKeyId,
    BackupRetentionPeriod: c.backupRetentionPeriod,
    PreferredBackupWindow: c.preferredBackupWindow,
    Tags: fromTags(c.tags),
    // The restore call takes these (API reference: RestoreDBClusterFromSnapshot: Aurora DB
    // clusters); without them the copy is enrolled in Extended Support, IPv4 only, out of its
    // directory and without its IAM roles.
    EngineLifecycleSupport: c.engineLifecycleSupport,
    NetworkType: c.networkType,
    Domain: c.domain?.domain,
    DomainIAMRoleName: c.domain?.domain ? c.domain.iamRoleName : undefined,
    AssociatedRoles: c.associatedRoles?.length
      ? c.associatedRoles.map((r) => ({ RoleArn: r.roleArn, FeatureName: r.featureName }))
      : undefined,
  };
}

/** ModifyDBCluster input: only the given settings, applied at once. */
export function modifyClusterInput(identifier: string, m: ClusterModification): ModifyDBClusterMessage {
  return {
    DBClusterIdentifier: identifier,
    ApplyImmediately: true,
    BackupRetentionPeriod: m.backupRetentionPeriod,
    PreferredBackupWindow: m.preferredBackupWindow,
    PreferredMaintenanceWindow: m.preferredMaintenanceWindow,
    DeletionProtection: m.deletionProtection,
    DBClusterParameterGroupName: m.dbClusterParameterGroupName,
    BacktrackWindow: m.backtrackWindow,
    CopyTagsToSnapshot: m.copyTagsToSnapshot,
    EnableIAMDatabaseAuthentication: m.iamDatabaseAuthentication,
    CloudwatchLogsExportConfiguration: m.cloudwatchLogsExports ? { EnableLogTypes: m.cloudwatchLogsExports } : undefined,
    VpcSecurityGroupIds: m.vpcSecurityGroupIds,
    // Not taken by RestoreDBClusterFromSnapshot; ModifyDBCluster takes them (API reference).
    EnableLocalWriteForwarding: m.localWriteForwarding,
    ...insightsParameters(m.databaseInsightsMode, undefined),
    ...managedSecretParameters(m.masterUserSecret),
  };
}
