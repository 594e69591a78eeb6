import type { InstanceConfig, InstanceModification } from '../../../core/rds-resources.js';
import { BACKUP_AND_MAINTENANCE, diffSettings, INSTANCE_LEVEL_MODIFIABLE, instanceModification } from '../../resources/settings-diff.js';
import type { SettingsRules } from '../resource-kind.js';

/**
 * Settings RestoreDBInstanceFromDBSnapshot does not accept (or that the restore may not keep),
 * applied with one ModifyDBInstance once the restored instance is available.
 */
const MODIFIABLE_AFTER_RESTORE = [
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
] as const satisfies readonly (keyof InstanceModification)[];

/** Settings compared when verifying a restored instance against the captured original: all of the above, and what the restore call takes. */
const VERIFIED: readonly (keyof InstanceConfig)[] = [
  ...MODIFIABLE_AFTER_RESTORE,
  'instanceClass',
  'engine',
  'engineVersion',
  'dbSubnetGroupName',
  'optionGroupName',
  'multiAZ',
  'port',
  'publiclyAccessible',
  'iamDatabaseAuthentication',
  'cloudwatchLogsExports',
  'copyTagsToSnapshot',
  'autoMinorVersionUpgrade',
  'tags',
];

/** How an instance's settings are carried over to its restored copy and verified. */
export const instanceSettings: SettingsRules<InstanceConfig, InstanceModification> = {
  pending: (wanted, actual) => instanceModification(MODIFIABLE_AFTER_RESTORE, wanted, actual),
  diff: (resource, expected, actual) => diffSettings(resource, VERIFIED, expected, actual),
};
