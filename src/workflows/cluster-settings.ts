import type { ClusterConfig, ClusterModification, InstanceConfig, InstanceModification } from '../core/rds-resources.js';
import { sameSetting } from './instance-settings.js';
import type { ConfigDifference } from '../core/run-summary.js';

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

function changes<T extends object, K extends keyof T>(keys: readonly K[], wanted: T, actual: T): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) {
    const value = wanted[key];
    if (value !== undefined && !sameSetting(value, actual[key])) out[key] = value;
  }
  return out;
}

/** The ModifyDBCluster that brings the restored cluster to the captured settings (only what differs). */
export function pendingClusterModification(wanted: ClusterConfig, actual: ClusterConfig): ClusterModification {
  return changes(CLUSTER_MODIFIABLE, wanted, actual);
}

/** The ModifyDBInstance a recreated member still needs (only what differs). */
export function pendingMemberModification(wanted: InstanceConfig, actual: InstanceConfig): InstanceModification {
  const mods: InstanceModification = changes(MEMBER_MODIFIABLE, wanted, actual);
  if (mods.monitoringInterval !== undefined && wanted.monitoringRoleArn) mods.monitoringRoleArn = wanted.monitoringRoleArn;
  return mods;
}

function diff<T extends object>(resource: string, keys: readonly (keyof T)[], expected: T, actual: T): ConfigDifference[] {
  return keys.flatMap((setting) => {
    const want = expected[setting];
    if (want === undefined || sameSetting(want, actual[setting])) return [];
    return [{ resource, setting: String(setting), expected: want, actual: actual[setting] ?? null }];
  });
}

/** Every verified cluster setting that differs from the captured original. */
export function diffClusterConfig(resource: string, expected: ClusterConfig, actual: ClusterConfig): ConfigDifference[] {
  return diff(resource, CLUSTER_VERIFIED, expected, actual);
}

/** Every verified member setting that differs from the captured original. */
export function diffMemberConfig(resource: string, expected: InstanceConfig, actual: InstanceConfig): ConfigDifference[] {
  return diff(resource, MEMBER_VERIFIED, expected, actual);
}
