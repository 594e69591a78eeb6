import type { InstanceConfig, InstanceModification } from '../../../core/rds-resources.js';
import { diffSettings, instanceModification } from '../../resources/settings-diff.js';
import type { SettingsRules } from '../resource-kind.js';

/**
 * Settings RestoreDBInstanceFromDBSnapshot does not accept (or that the restore may not keep),
 * applied with one ModifyDBInstance once the restored instance is available.
 */
const MODIFIABLE_AFTER_RESTORE = [
  'backupRetentionPeriod',
  'preferredBackupWindow',
  'preferredMaintenanceWindow',
  'maxAllocatedStorage',
  'monitoringInterval',
  'monitoringRoleArn',
  'performanceInsightsEnabled',
  'performanceInsightsKmsKeyId',
  'performanceInsightsRetentionPeriod',
  'caCertificateIdentifier',
  'dbParameterGroupName',
  'vpcSecurityGroupIds',
  'deletionProtection',
] as const satisfies readonly (keyof InstanceModification)[];

/** Settings compared when verifying a restored instance against the captured original. */
const VERIFIED: readonly (keyof InstanceConfig)[] = [
  'instanceClass',
  'engine',
  'engineVersion',
  'dbSubnetGroupName',
  'vpcSecurityGroupIds',
  'dbParameterGroupName',
  'optionGroupName',
  'multiAZ',
  'port',
  'storageType',
  'iops',
  'storageThroughput',
  'maxAllocatedStorage',
  'publiclyAccessible',
  'deletionProtection',
  'iamDatabaseAuthentication',
  'cloudwatchLogsExports',
  'copyTagsToSnapshot',
  'autoMinorVersionUpgrade',
  'backupRetentionPeriod',
  'preferredBackupWindow',
  'preferredMaintenanceWindow',
  'caCertificateIdentifier',
  'monitoringInterval',
  'monitoringRoleArn',
  'performanceInsightsEnabled',
  'performanceInsightsKmsKeyId',
  'performanceInsightsRetentionPeriod',
  'tags',
];

/** How an instance's settings are carried over to its restored copy and verified. */
export const instanceSettings: SettingsRules<InstanceConfig, InstanceModification> = {
  pending: (wanted, actual) => instanceModification(MODIFIABLE_AFTER_RESTORE, wanted, actual),
  diff: (resource, expected, actual) => diffSettings(resource, VERIFIED, expected, actual),
};
