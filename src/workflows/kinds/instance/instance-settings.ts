import type { InstanceConfig, InstanceModification } from '../../../core/rds-resources.js';
import { BACKUP_AND_MAINTENANCE, diffSettings, INSTANCE_LEVEL_MODIFIABLE, instanceModification } from '../../resources/settings-diff.js';
import type { SettingsRules } from '../resource-kind.js';

/**
 * What a DB instance's restore carries, and how. The README's table "Settings carried over" is
 * checked against these lists by a unit test: change both together.
 */

/** Settings RestoreDBInstanceFromDBSnapshot takes, sent with the restore (API reference: RestoreDBInstanceFromDBSnapshot). */
export const INSTANCE_RESTORED = [
  'instanceClass',
  'dbSubnetGroupName',
  'vpcSecurityGroupIds',
  'dbParameterGroupName',
  'optionGroupName',
  'multiAZ',
  'availabilityZone',
  'port',
  'storageType',
  'allocatedStorage',
  'iops',
  'storageThroughput',
  'publiclyAccessible',
  'deletionProtection',
  'iamDatabaseAuthentication',
  'cloudwatchLogsExports',
  'copyTagsToSnapshot',
  'autoMinorVersionUpgrade',
  'backupRetentionPeriod',
  'preferredBackupWindow',
  'caCertificateIdentifier',
  'tags',
  'engineLifecycleSupport',
  'networkType',
  'dedicatedLogVolume',
  'processorFeatures',
  'domain',
] as const satisfies readonly (keyof InstanceConfig)[];

/** Settings that come with the snapshot: the restore cannot choose them. */
export const INSTANCE_FROM_SNAPSHOT = ['engine', 'engineVersion'] as const satisfies readonly (keyof InstanceConfig)[];

/**
 * Settings RestoreDBInstanceFromDBSnapshot does not accept (or that the restore may not keep),
 * applied once the restored instance is available, where the copy differs: one ModifyDBInstance,
 * and AddRoleToDBInstance per missing IAM role (`instanceOps.modify`).
 */
export const INSTANCE_APPLIED = [
  ...BACKUP_AND_MAINTENANCE,
  ...INSTANCE_LEVEL_MODIFIABLE,
  'maxAllocatedStorage',
  'vpcSecurityGroupIds',
  'deletionProtection',
  // Storage: RDS for SQL Server restores at the snapshot's storage and takes no storage
  // settings on restore (API reference: RestoreDBInstanceFromDBSnapshot, AllocatedStorage), so
  // a larger original grows its copy here. For other engines the restore call already matched
  // them; the gateway sends only values that differ and that the engine, type and size allow.
  'allocatedStorage',
  'storageType',
  'iops',
  'storageThroughput',
  // Not taken by the restore call; ModifyDBInstance takes it (API reference: ModifyDBInstance).
  'databaseInsightsMode',
  // RestoreDBInstanceFromDBSnapshot takes no roles: AddRoleToDBInstance, as AWS's own
  // CloudFormation provider does after a restore (aws-rds-dbinstance CreateHandler).
  'associatedRoles',
  // Only with the restore's opt-in (the preflight refuses otherwise): ManageMasterUserPassword
  // on a restore is Oracle-only, so ModifyDBInstance turns it on (a new secret, same KMS key).
  'masterUserSecret',
] as const satisfies readonly (keyof InstanceModification)[];

/** Settings compared when verifying a restored instance against the captured original. */
export const INSTANCE_VERIFIED: readonly (keyof InstanceConfig)[] = [
  ...INSTANCE_APPLIED,
  ...INSTANCE_FROM_SNAPSHOT,
  ...INSTANCE_RESTORED.filter((key) => key !== 'availabilityZone'),
];

/** How an instance's settings are carried over to its restored copy and verified. */
export const instanceSettings: SettingsRules<InstanceConfig, InstanceModification> = {
  pending: (wanted, actual) => instanceModification(INSTANCE_APPLIED, wanted, actual),
  diff: (resource, expected, actual) => diffSettings(resource, [...new Set(INSTANCE_VERIFIED)], expected, actual),
};
