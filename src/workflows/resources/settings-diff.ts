import {
  isReservedTagKey,
  type AssociatedRole,
  type InstanceConfig,
  type InstanceModification,
  type ManagedSecret,
  type Tag,
} from '../../core/rds-resources.js';
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

/** Settings only ever turned on with the restore's opt-in (`--manage-master-password`). */
export const OPT_IN_SETTINGS = ['masterUserSecret'] as const;

const sameRole = (a: AssociatedRole, b: AssociatedRole): boolean => a.roleArn === b.roleArn && a.featureName === b.featureName;

/**
 * What a modification must bring for one setting, `undefined` for nothing. Two settings are
 * added to rather than set: a managed master secret only when the copy has none (RDS creates a
 * new one, whose ARN never matches the original's), and only the IAM roles the copy lacks
 * (AddRoleToDBInstance associates one role at a time).
 */
function pendingValue(setting: PropertyKey, wanted: unknown, actual: unknown): unknown {
  if (wanted === undefined) return undefined;
  if (setting === 'masterUserSecret') return actual ? undefined : wanted;
  if (setting === 'associatedRoles' && Array.isArray(wanted)) {
    const have = (actual ?? []) as AssociatedRole[];
    const missing = (wanted as AssociatedRole[]).filter((role) => !have.some((h) => sameRole(h, role)));
    return missing.length > 0 ? missing : undefined;
  }
  return sameSetting(wanted, actual) ? undefined : wanted;
}

/** The settings among `keys` that `actual` lacks: only what differs, so a rerun is a no-op. */
export function changedSettings<T extends object, K extends keyof T>(keys: readonly K[], wanted: T, actual: T): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) {
    const value = pendingValue(key, wanted[key], actual[key]);
    if (value !== undefined) out[key] = value as T[K];
  }
  return out;
}

/**
 * A setting as verification compares it: tags with reserved keys (`aws:`, `rds:` — set by AWS,
 * e.g. CloudFormation's; RDS refuses them on write, API reference: Tag) cannot be carried over,
 * so they are left out on both sides; a managed master secret is compared by its KMS key, as
 * the copy's is a new secret by design.
 */
function comparable(setting: PropertyKey, value: unknown): unknown {
  if (setting === 'masterUserSecret' && value) return { kmsKeyId: (value as ManagedSecret).kmsKeyId ?? null };
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
  // Database Insights' advanced mode needs Performance Insights on, with its long retention, in the
  // same call (API: ModifyDBInstance DatabaseInsightsMode).
  if (changes.databaseInsightsMode === 'advanced' && wanted.performanceInsightsEnabled) {
    changes.performanceInsightsEnabled = true;
    changes.performanceInsightsRetentionPeriod ??= wanted.performanceInsightsRetentionPeriod;
  }
  // Performance Insights settings only mean something when it is on.
  if (!wanted.performanceInsightsEnabled) {
    delete changes.performanceInsightsKmsKeyId;
    delete changes.performanceInsightsRetentionPeriod;
  }
  return changes;
}
