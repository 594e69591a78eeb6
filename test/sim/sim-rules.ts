/**
 * Request rules real RDS enforces (and moto does not), each with its source. "API" means the
 * RDS API reference, whose text the SDK carries in
 * node_modules/@aws-sdk/client-rds/dist-types/models/*.d.ts; "UG" the RDS user guide.
 * Every rule throws the error RDS answers with (its wire code).
 */
import type { Filter, Tag } from '@aws-sdk/client-rds';
import { refuse } from './sim-errors.js';

const IDENTIFIER = /^[a-z](?:-?[a-z0-9])*$/i;

/**
 * API (CreateDBInstance, RestoreDBInstanceFromDBSnapshot, ModifyDBInstance
 * NewDBInstanceIdentifier, RestoreDBClusterFromSnapshot, CreateDBSnapshot…): "1 to 63 letters,
 * numbers, or hyphens. First character must be a letter. Can't end with a hyphen or contain
 * two consecutive hyphens." Snapshot identifiers: 1 to 255.
 */
export function checkIdentifier(parameter: string, value: string | undefined, max = 63): string {
  if (value === undefined || value === '') throw refuse.missing(parameter);
  if (value.length > max || !IDENTIFIER.test(value)) {
    throw refuse.invalidValue(
      `The parameter ${parameter} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
  }
  return value.toLowerCase();
}

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const RESERVED_TAG_PREFIX = /^(aws|rds):/i;

/**
 * API, Tag: a key is 1–128 characters and "can't be prefixed with aws: or rds:"; a value is
 * up to 256 characters and can't be prefixed with them either; both only "Unicode letters,
 * digits, white-space, '_', '.', ':', '/', '=', '+', '-', '@'". RDS answers InvalidParameterValue.
 */
export function checkTags(tags: Tag[] | undefined): void {
  for (const { Key: key = '', Value: value = '' } of tags ?? []) {
    if (key.length === 0 || key.length > 128) throw refuse.invalidValue(`Tag keys must be 1 to 128 characters long: "${key}".`);
    if (RESERVED_TAG_PREFIX.test(key)) throw refuse.invalidValue(`Tag keys cannot start with the reserved prefix "${key.slice(0, 4)}".`);
    if (value.length > 256) throw refuse.invalidValue(`Tag values can be at most 256 characters long (key "${key}").`);
    if (RESERVED_TAG_PREFIX.test(value))
      throw refuse.invalidValue(`Tag values cannot start with the reserved prefix "${value.slice(0, 4)}".`);
    if (!TAG_TEXT.test(key) || !TAG_TEXT.test(value)) {
      throw refuse.invalidValue(
        'Tag keys and values may only contain unicode letters, digits, whitespace, or one of these symbols: _ . : / = + - @',
      );
    }
  }
}

/**
 * UG, "Amazon RDS DB instance storage" (gp3): below 400 GiB for MariaDB, MySQL and PostgreSQL,
 * below 200 GiB for Oracle, IOPS and throughput are fixed at a baseline of 3,000 IOPS and
 * 125 MiB/s; at or above it the baseline is 12,000 IOPS and 500 MiB/s. SQL Server's baseline is
 * 3,000 / 125 at every size. Describe reports the baseline even though it was never specified.
 */
export function gp3Threshold(engine: string): number | undefined {
  if (/^(postgres|mysql|mariadb)$/.test(engine)) return 400;
  if (engine.startsWith('oracle')) return 200;
  return undefined;
}

export function gp3Baseline(engine: string, allocatedStorage: number): { iops: number; throughput: number } {
  const threshold = gp3Threshold(engine);
  return threshold !== undefined && allocatedStorage >= threshold ? { iops: 12000, throughput: 500 } : { iops: 3000, throughput: 125 };
}

/**
 * Same source: below the threshold IOPS and throughput "can't be specified" — even at the
 * baseline values Describe reports. RDS: InvalidParameterCombination, "You can't specify IOPS
 * or storage throughput for engine postgres and a storage size less than 400." (the message
 * quoted in terraform-provider-aws and troposphere issues about gp3).
 */
export function checkGp3(
  engine: string,
  storageType: string | undefined,
  allocatedStorage: number | undefined,
  iops: number | undefined,
  throughput: number | undefined,
): void {
  const threshold = gp3Threshold(engine);
  if (storageType !== 'gp3' || threshold === undefined || allocatedStorage === undefined) return;
  if (allocatedStorage < threshold && (iops !== undefined || throughput !== undefined)) {
    throw refuse.combination(
      `You can't specify IOPS or storage throughput for engine ${engine} and a storage size less than ${threshold}.`,
    );
  }
}

/** API, RestoreDBInstanceFromDBSnapshot AllocatedStorage: "This setting isn't valid for RDS for SQL Server." */
export function checkRestoreStorage(engine: string, allocatedStorage: number | undefined): void {
  if (engine.startsWith('sqlserver') && allocatedStorage !== undefined) {
    throw refuse.combination(`AllocatedStorage isn't valid for RDS for SQL Server (engine ${engine}) when restoring from a DB snapshot.`);
  }
}

/** API, RestoreDBInstanceFromDBSnapshot ManageMasterUserPassword: "Applies to RDS for Oracle only." */
export function checkRestoreManagedPassword(engine: string, manage: boolean | undefined): void {
  if (manage !== undefined && !engine.startsWith('oracle')) {
    throw refuse.combination(`ManageMasterUserPassword on RestoreDBInstanceFromDBSnapshot applies to RDS for Oracle only, not ${engine}.`);
  }
}

/** API, RestoreDBInstanceFromDBSnapshot Port: "Value must be 1150-65535". */
export function checkPort(port: number | undefined): void {
  if (port !== undefined && (port < 1150 || port > 65535)) throw refuse.invalidValue(`Invalid port ${port}: the port must be 1150-65535.`);
}

/** API, AvailabilityZone: "You can't specify the AvailabilityZone parameter if the DB instance is a Multi-AZ deployment." */
export function checkMultiAzZone(multiAZ: boolean | undefined, availabilityZone: string | undefined): void {
  if (multiAZ && availabilityZone) throw refuse.combination('Requesting a specific availability zone is not valid for Multi-AZ instances.');
}

/** API, BackupRetentionPeriod: instances 0 to 35; clusters 1 to 35. */
export function checkBackupRetention(days: number | undefined, min: 0 | 1): void {
  if (days !== undefined && (days < min || days > 35))
    throw refuse.invalidValue(`Invalid backup retention period ${days}: it must be ${min} to 35 days.`);
}

/**
 * API, MonitoringInterval: "Valid Values: 0 | 1 | 5 | 10 | 15 | 30 | 60"; "If MonitoringRoleArn
 * is specified, then you must set MonitoringInterval to a value other than 0" and a non-zero
 * interval needs a role (MonitoringRoleArn: "If MonitoringInterval is set to a value other than
 * 0, supply a MonitoringRoleArn value").
 */
export function checkMonitoring(interval: number | undefined, roleArn: string | undefined): void {
  if (interval === undefined) return;
  if (![0, 1, 5, 10, 15, 30, 60].includes(interval)) throw refuse.invalidValue(`Invalid MonitoringInterval ${interval}.`);
  if (interval > 0 && !roleArn)
    throw refuse.combination('A MonitoringRoleARN value is required if you specify a MonitoringInterval value other than 0.');
}

/** API, PerformanceInsightsRetentionPeriod: "7, month * 31, where month is a number of months from 1-23, 731". */
export function checkInsightsRetention(days: number | undefined): void {
  if (days === undefined || days === 7 || days === 731 || (days % 31 === 0 && days >= 31 && days <= 23 * 31)) return;
  throw refuse.invalidValue(`Invalid PerformanceInsightsRetentionPeriod ${days}: use 7, a multiple of 31 up to 713, or 731.`);
}

/**
 * API, DeleteDBInstance / DeleteDBCluster: without SkipFinalSnapshot "you must specify the
 * FinalDBSnapshotIdentifier parameter"; "If you enable this parameter and also enable
 * SkipFinalSnapshot, the command results in an error". For a member of an Aurora cluster no
 * final snapshot can be named (the cluster holds the data): "FinalDBSnapshotIdentifier can not
 * be specified when deleting a cluster instance" (AWS re:Post, "rds-error-delete-aurora-cluster").
 */
export function checkFinalSnapshot(skip: boolean | undefined, finalId: string | undefined, clusterMember: boolean): void {
  if (clusterMember) {
    if (finalId !== undefined) throw refuse.combination('FinalDBSnapshotIdentifier can not be specified when deleting a cluster instance.');
    return;
  }
  if (skip && finalId !== undefined)
    throw refuse.combination('FinalDBSnapshotIdentifier can not be specified when SkipFinalSnapshot is enabled.');
  if (!skip && finalId === undefined)
    throw refuse.combination('FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.');
  if (finalId !== undefined) checkIdentifier('FinalDBSnapshotIdentifier', finalId, 255);
}

/** API, Describe* Filters / MaxRecords: only the documented filter names; MaxRecords 20 to 100. */
export function checkListing(filters: Filter[] | undefined, allowed: string[], maxRecords: number | undefined): void {
  for (const filter of filters ?? []) {
    if (!filter.Name || !allowed.includes(filter.Name)) throw refuse.invalidValue(`Unrecognized filter name: ${filter.Name ?? ''}.`);
  }
  if (maxRecords !== undefined && (maxRecords < 20 || maxRecords > 100))
    throw refuse.invalidValue(`MaxRecords must be between 20 and 100 (got ${maxRecords}).`);
}

/** Whether `values` of the filter `name` (if given) include `actual`. */
export function passes(filters: Filter[] | undefined, name: string, actual: string | undefined): boolean {
  const filter = filters?.find((f) => f.Name === name);
  return !filter || (actual !== undefined && (filter.Values ?? []).includes(actual));
}

/** One page of a Describe* listing (Marker is the index of the first record). */
export function page<T>(items: T[], maxRecords: number | undefined, marker: string | undefined): { items: T[]; marker?: string } {
  const start = marker ? Number(marker) : 0;
  const size = maxRecords ?? 100;
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { marker: String(end) } : {}) };
}
