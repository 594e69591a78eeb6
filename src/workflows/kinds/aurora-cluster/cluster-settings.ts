import type { ClusterConfig, ClusterModification, InstanceConfig, InstanceModification } from '../../../core/rds-resources.js';
import {
  BACKUP_AND_MAINTENANCE,
  changedSettings,
  diffSettings,
  INSTANCE_LEVEL_MODIFIABLE,
  instanceModification,
} from '../../resources/settings-diff.js';
import type { SettingsRules } from '../resource-kind.js';

/**
 * What an Aurora cluster's restore carries, and how, for the cluster and for its members. The
 * README's table "Settings carried over" is checked against these lists by a unit test: change
 * both together.
 */

/** Cluster settings sent with RestoreDBClusterFromSnapshot (API reference: RestoreDBClusterFromSnapshot). */
export const CLUSTER_RESTORED = [
  'engine',
  'engineVersion',
  'engineMode',
  'port',
  'dbSubnetGroupName',
  'vpcSecurityGroupIds',
  'dbClusterParameterGroupName',
  'deletionProtection',
  'iamDatabaseAuthentication',
  'cloudwatchLogsExports',
  'backtrackWindow',
  'copyTagsToSnapshot',
  'storageType',
  'serverlessV2Scaling',
  'kmsKeyId',
  'backupRetentionPeriod',
  'preferredBackupWindow',
  'tags',
  'engineLifecycleSupport',
  'networkType',
  'domain',
  'associatedRoles',
] as const satisfies readonly (keyof ClusterConfig)[];

/** Cluster settings that come with the snapshot. */
export const CLUSTER_FROM_SNAPSHOT = ['databaseName'] as const satisfies readonly (keyof ClusterConfig)[];

/**
 * Cluster settings applied after the restore where the copy differs: ModifyDBCluster, and
 * EnableHttpEndpoint for the Data API (`clusterOps.modify`).
 */
export const CLUSTER_APPLIED = [
  ...BACKUP_AND_MAINTENANCE,
  'dbClusterParameterGroupName',
  'backtrackWindow',
  'copyTagsToSnapshot',
  'iamDatabaseAuthentication',
  'cloudwatchLogsExports',
  'vpcSecurityGroupIds',
  'deletionProtection',
  // Not taken by RestoreDBClusterFromSnapshot; ModifyDBCluster takes them (API reference), as
  // AWS's CloudFormation provider applies them after a restore (aws-rds-dbcluster Translator).
  'databaseInsightsMode',
  'localWriteForwarding',
  // EnableHttpEndpoint (ModifyDBCluster for Serverless v1): the restore call has no parameter for it.
  'httpEndpointEnabled',
  // Only with the restore's opt-in: no restore of a cluster re-creates the secret.
  'masterUserSecret',
] as const satisfies readonly (keyof ClusterModification)[];

/** Cluster settings compared by the verification. */
export const CLUSTER_VERIFIED: readonly (keyof ClusterConfig)[] = [...CLUSTER_APPLIED, ...CLUSTER_RESTORED, ...CLUSTER_FROM_SNAPSHOT];

/** Member settings sent with CreateDBInstance in the restored cluster (API reference: CreateDBInstance). */
export const MEMBER_CREATED = [
  'instanceClass',
  'engine',
  'dbParameterGroupName',
  'availabilityZone',
  'publiclyAccessible',
  'performanceInsightsEnabled',
  'performanceInsightsKmsKeyId',
  'performanceInsightsRetentionPeriod',
  'monitoringInterval',
  'monitoringRoleArn',
  'autoMinorVersionUpgrade',
  'caCertificateIdentifier',
  'copyTagsToSnapshot',
  'tags',
  'preferredMaintenanceWindow',
] as const satisfies readonly (keyof InstanceConfig)[];

/** Member settings applied with ModifyDBInstance after the create, where the member differs. */
export const MEMBER_APPLIED = [
  ...INSTANCE_LEVEL_MODIFIABLE,
  'preferredMaintenanceWindow',
] as const satisfies readonly (keyof InstanceModification)[];

/** Member settings compared by the verification. */
export const MEMBER_VERIFIED: readonly (keyof InstanceConfig)[] = [
  ...MEMBER_APPLIED,
  'instanceClass',
  'availabilityZone',
  'publiclyAccessible',
  'autoMinorVersionUpgrade',
  'tags',
];

/** How an Aurora cluster's own settings are carried over and verified. */
export const clusterSettings: SettingsRules<ClusterConfig, ClusterModification> = {
  pending: (wanted, actual) => changedSettings(CLUSTER_APPLIED, wanted, actual),
  diff: (resource, expected, actual) => diffSettings(resource, [...new Set(CLUSTER_VERIFIED)], expected, actual),
};

/** How a member instance's settings are carried over (CreateDBInstance takes few) and verified. */
export const memberSettings: SettingsRules<InstanceConfig, InstanceModification> = {
  pending: (wanted, actual) => instanceModification(MEMBER_APPLIED, wanted, actual),
  diff: (resource, expected, actual) => diffSettings(resource, MEMBER_VERIFIED, expected, actual),
};
