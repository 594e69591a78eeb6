import type { ClusterConfig, ClusterModification, InstanceConfig, InstanceModification } from '../../../core/rds-resources.js';
import { changedSettings, diffSettings, instanceModification } from '../../resources/settings-diff.js';
import type { SettingsRules } from '../resource-kind.js';

/** Cluster settings applied with ModifyDBCluster after the restore, if the restore did not keep them. */
const CLUSTER_MODIFIABLE = [
  'backupRetentionPeriod',
  'preferredBackupWindow',
  'preferredMaintenanceWindow',
  'dbClusterParameterGroupName',
  'backtrackWindow',
  'copyTagsToSnapshot',
  'iamDatabaseAuthentication',
  'cloudwatchLogsExports',
  'vpcSecurityGroupIds',
  'deletionProtection',
] as const satisfies readonly (keyof ClusterModification)[];

/** Member settings CreateDBInstance may not keep, applied with ModifyDBInstance (instance-level only). */
const MEMBER_MODIFIABLE = [
  'dbParameterGroupName',
  'monitoringInterval',
  'monitoringRoleArn',
  'performanceInsightsEnabled',
  'performanceInsightsKmsKeyId',
  'performanceInsightsRetentionPeriod',
  'caCertificateIdentifier',
] as const satisfies readonly (keyof InstanceModification)[];

/** Cluster settings compared by the verification. */
const CLUSTER_VERIFIED: readonly (keyof ClusterConfig)[] = [
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
  'backupRetentionPeriod',
  'preferredBackupWindow',
  'preferredMaintenanceWindow',
  'copyTagsToSnapshot',
  'storageType',
  'serverlessV2Scaling',
  'kmsKeyId',
  'databaseName',
  'tags',
];

/** Member settings compared by the verification. */
const MEMBER_VERIFIED: readonly (keyof InstanceConfig)[] = [
  'instanceClass',
  'dbParameterGroupName',
  'availabilityZone',
  'publiclyAccessible',
  'performanceInsightsEnabled',
  'monitoringInterval',
  'autoMinorVersionUpgrade',
  'caCertificateIdentifier',
  'tags',
];

/** How an Aurora cluster's own settings are carried over and verified. */
export const clusterSettings: SettingsRules<ClusterConfig, ClusterModification> = {
  pending: (wanted, actual) => changedSettings(CLUSTER_MODIFIABLE, wanted, actual),
  diff: (resource, expected, actual) => diffSettings(resource, CLUSTER_VERIFIED, expected, actual),
};

/** How a member instance's settings are carried over (CreateDBInstance takes few) and verified. */
export const memberSettings: SettingsRules<InstanceConfig, InstanceModification> = {
  pending: (wanted, actual) => instanceModification(MEMBER_MODIFIABLE, wanted, actual),
  diff: (resource, expected, actual) => diffSettings(resource, MEMBER_VERIFIED, expected, actual),
};
