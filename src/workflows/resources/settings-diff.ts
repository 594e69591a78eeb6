import { isReservedTagKey, type InstanceConfig, type InstanceModification, type Tag } from '../../core/rds-resources.js';
import type { ConfigDifference } from '../../core/run-summary.js';

/**
 * Settings of any DB instance — standalone or an Aurora member — that its restore or create
 * call may not keep, applied afterwards with ModifyDBInstance.
 */
export const INSTANCE_LEVEL_MODIFIABLE = [
  'dbParameterGroupName',
  'monitoringInterval',
  'monitoringRoleArn',
  'performanceInsightsEnabled',
  'performanceInsightsKmsKeyId',
  'performanceInsightsRetentionPeriod',
  'caCertificateIdentifier',
] as const satisfies readonly (keyof InstanceModification)[];

/** Backup retention and the backup and maintenance windows: instances and clusters name them alike. */
export const BACKUP_AND_MAINTENANCE = ['backupRetentionPeriod', 'preferredBackupWindow', 'preferredMaintenanceWindow'] as const;

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

/** The settings among `keys` that `actual` lacks: only what differs, so a rerun is a no-op. */
export function changedSettings<T extends object, K extends keyof T>(keys: readonly K[], wanted: T, actual: T): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) {
    const value = wanted[key];
    if (value !== undefined && !sameSetting(value, actual[key])) out[key] = value;
  }
  return out;
}

/**
 * A setting as verification compares it: tags with reserved keys (`aws:`, `rds:` — set by AWS,
 * e.g. CloudFormation's; RDS refuses them on write, API reference: Tag) cannot be carried over,
 * so they are left out on both sides.
 */
function comparable(setting: PropertyKey, value: unknown): unknown {
  return setting === 'tags' && Array.isArray(value) ? (value as Tag[]).filter((t) => !isReservedTagKey(t.key)) : value;
}

/** Every setting among `keys` in which `actual` differs from `expected`. */
export function diffSettings<T extends object>(resource: string, keys: readonly (keyof T)[], expected: T, actual: T): ConfigDifference[] {
  return keys.flatMap((setting) => {
    const want = comparable(setting, expected[setting]);
    const have = comparable(setting, actual[setting]);
    if (want === undefined || sameSetting(want, have)) return [];
    return [{ resource, setting: String(setting), expected: want, actual: have ?? null }];
  });
}

/**
 * The ModifyDBInstance that brings an instance (standalone or a cluster member) to `wanted`
 * for the settings in `keys`, with the rules ModifyDBInstance imposes on their combinations.
 */
export function instanceModification(
  keys: readonly (keyof InstanceModification)[],
  wanted: InstanceConfig,
  actual: InstanceConfig,
): InstanceModification {
  const changes: InstanceModification = changedSettings(keys, wanted, actual);
  // Enhanced Monitoring needs its role whenever the interval is set (API: ModifyDBInstance MonitoringRoleArn).
  if (changes.monitoringInterval !== undefined && wanted.monitoringRoleArn) changes.monitoringRoleArn = wanted.monitoringRoleArn;
  // Performance Insights settings only mean something when it is on.
  if (!wanted.performanceInsightsEnabled) {
    delete changes.performanceInsightsKmsKeyId;
    delete changes.performanceInsightsRetentionPeriod;
  }
  return changes;
}
