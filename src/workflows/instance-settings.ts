import type { InstanceConfig, InstanceModification } from '../core/rds-resources.js';
import type { ConfigDifference } from '../core/run-summary.js';

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

/** The ModifyDBInstance needed to bring `actual` to `wanted`: only what differs (so a rerun is a no-op). */
export function pendingModification(wanted: InstanceConfig, actual: InstanceConfig): InstanceModification {
  const changes: Record<string, unknown> = {};
  for (const key of MODIFIABLE_AFTER_RESTORE) {
    const value = wanted[key];
    if (value === undefined) continue;
    if (!sameSetting(value, actual[key])) changes[key] = value;
  }
  // Enhanced Monitoring needs its role whenever the interval is set.
  if (changes.monitoringInterval !== undefined && wanted.monitoringRoleArn) changes.monitoringRoleArn = wanted.monitoringRoleArn;
  // Performance Insights settings only mean something when it is on.
  if (!wanted.performanceInsightsEnabled) {
    delete changes.performanceInsightsKmsKeyId;
    delete changes.performanceInsightsRetentionPeriod;
  }
  return changes as InstanceModification;
}

/** Every verified setting in which the restored instance differs from the captured original. */
export function diffInstanceConfig(resource: string, expected: InstanceConfig, actual: InstanceConfig): ConfigDifference[] {
  const differences: ConfigDifference[] = [];
  for (const setting of VERIFIED) {
    const want = expected[setting];
    if (want === undefined) continue;
    const have = actual[setting];
    if (!sameSetting(want, have)) differences.push({ resource, setting, expected: want, actual: have ?? null });
  }
  return differences;
}

/** Compares settings, treating lists (security groups, log types, tags) as unordered sets. */
export function sameSetting(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const norm = (list: unknown[]): string[] => list.map((v) => JSON.stringify(v)).sort();
    const x = norm(a);
    const y = norm(b);
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  return JSON.stringify(a) === JSON.stringify(b ?? (Array.isArray(a) ? [] : b));
}
