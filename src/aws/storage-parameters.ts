/**
 * Which storage settings a RestoreDBInstanceFromDBSnapshot or ModifyDBInstance may carry. RDS
 * reports values it refuses to be sent back: DescribeDBInstances shows gp3's baseline
 * `Iops` 3000 / `StorageThroughput` 125 on small volumes, where naming them fails with "You
 * can't specify IOPS or storage throughput for engine … and a storage size less than 400".
 */

/** Storage of an instance or a snapshot, as described (GiB, type, IOPS, MiB/s). */
export interface StorageSettings {
  storageType?: string | undefined;
  allocatedStorage?: number | undefined;
  iops?: number | undefined;
  storageThroughput?: number | undefined;
}

/** The storage members of an RDS request; absent members are not sent. */
export interface StorageParameters {
  StorageType?: string;
  AllocatedStorage?: number;
  Iops?: number;
  StorageThroughput?: number;
}

/** Which call the parameters are for: a restore takes less than a modification (SQL Server). */
export type StorageCall = 'restore' | 'modify';

/**
 * The size from which gp3 IOPS and throughput may be named; below it they are fixed baselines
 * (3000 IOPS, 125 MiB/s). User guide, "Amazon RDS DB instance storage", gp3 storage: 400 GiB
 * for Db2, MariaDB, MySQL and PostgreSQL, 200 GiB for Oracle; SQL Server has no threshold
 * (its volumes are not striped). An engine not listed gets the larger threshold: leaving out
 * a value RDS would have taken costs less than a refused restore.
 */
export function gp3Threshold(engine: string): number {
  if (engine.startsWith('sqlserver-')) return 0;
  if (engine.startsWith('oracle-')) return 200;
  return 400;
}

/**
 * The storage parameters to send: only those that differ from what the instance already has
 * (`current`: the snapshot's storage for a restore, the instance's for a modification; unknown
 * means every wanted value differs), and only where valid for the engine, type and size.
 * Pure: the rules, each with its source, live here and nowhere else.
 */
export function storageParameters(
  engine: string,
  wanted: StorageSettings,
  current: StorageSettings | undefined,
  call: StorageCall,
): StorageParameters {
  // Aurora storage belongs to the cluster: an instance request never carries it (API
  // reference CreateDBInstance, AllocatedStorage/Iops/StorageThroughput: "Not applicable").
  if (engine.startsWith('aurora')) return {};
  // "This setting isn't valid for RDS for SQL Server" (API reference
  // RestoreDBInstanceFromDBSnapshot, AllocatedStorage); a SQL Server restore keeps the
  // snapshot's storage (user guide, "Restoring to a DB instance", per RDS-RULES.md): grow or
  // convert it with ModifyDBInstance once the restored instance is available.
  if (call === 'restore' && engine.startsWith('sqlserver-')) return {};

  const out: StorageParameters = {};
  const differs = <T>(want: T | undefined, have: T | undefined): want is T => want !== undefined && want !== have;

  if (differs(wanted.storageType, current?.storageType)) out.StorageType = wanted.storageType;
  const type = wanted.storageType ?? current?.storageType;
  const typeChanged = out.StorageType !== undefined;

  // Storage can grow, never shrink (user guide, "Increasing DB instance storage capacity";
  // a restore needs at least the snapshot's size): a smaller wanted size is left out.
  const have = current?.allocatedStorage;
  if (wanted.allocatedStorage !== undefined && (have === undefined || wanted.allocatedStorage > have))
    out.AllocatedStorage = wanted.allocatedStorage;
  const size = out.AllocatedStorage ?? have ?? wanted.allocatedStorage;

  // A changed type takes its performance values with it; otherwise only changed values go.
  const send = <T>(want: T | undefined, had: T | undefined): want is T => want !== undefined && (typeChanged || want !== had);
  if (type === 'io1' || type === 'io2') {
    // Provisioned IOPS: the IOPS apply, throughput does not ("This setting applies only to the
    // gp3 storage type", API reference CreateDBInstance, StorageThroughput).
    if (send(wanted.iops, current?.iops)) out.Iops = wanted.iops;
  } else if (type === 'gp3') {
    // Below the engine's threshold gp3 IOPS and throughput are fixed and may not be named, whatever
    // DescribeDBInstances reports (user guide, "Amazon RDS DB instance storage", gp3 storage). An
    // unknown size counts as below it.
    if (size !== undefined && size >= gp3Threshold(engine)) {
      if (send(wanted.iops, current?.iops)) out.Iops = wanted.iops;
      if (send(wanted.storageThroughput, current?.storageThroughput)) out.StorageThroughput = wanted.storageThroughput;
    }
  }
  // gp2 and magnetic ('standard') take neither: their performance follows from the size.
  return out;
}
