/**
 * Point-in-time restore in the simulated RDS: the restorable window (LatestRestorableTime on
 * DescribeDBInstances, Earliest/LatestRestorableTime on DescribeDBClusters, RestoreWindow on
 * DescribeDBInstanceAutomatedBackups), RestoreDBInstanceToPointInTime and
 * RestoreDBClusterToPointInTime. The copy is built as a snapshot restore is (sim-instances.ts,
 * sim-cluster-restore.ts), from the source's state: the simulation keeps no data, only settings.
 */
import type {
  DBCluster,
  DBInstance,
  DescribeDBInstanceAutomatedBackupsMessage,
  RestoreDBClusterToPointInTimeMessage,
  RestoreDBInstanceToPointInTimeMessage,
} from '@aws-sdk/client-rds';
import { restoreClusterFrom } from './sim-cluster-restore.js';
import { RdsServiceError, refuse } from './sim-errors.js';
import { restoreInstanceFrom } from './sim-instances.js';
import { checkIdentifier } from './sim-rules.js';
import { clusterSnapshotShape, snapshotShape } from './sim-shapes.js';
import type { SimStore } from './sim-store.js';

/**
 * "Typically, the latest restorable time is within the last five minutes" (RDS user guide,
 * "Restoring a DB instance to a specified time"); the window starts at the retention period's
 * start, and never before the database existed. No window without automated backups
 * (BackupRetentionPeriod 0) or before the first one.
 */
export const LATEST_RESTORABLE_LAG_SECONDS = 300;

/** The window of a database created at `created` with `retentionDays` of backups, at `now`; undefined: none. */
export function windowAt(
  created: Date | undefined,
  retentionDays: number | undefined,
  now: number,
): { earliest: Date; latest: Date } | undefined {
  if (!created || !retentionDays) return undefined;
  const latest = now - LATEST_RESTORABLE_LAG_SECONDS * 1000;
  const earliest = Math.max(created.getTime(), now - retentionDays * 86_400_000);
  return latest >= earliest ? { earliest: new Date(earliest), latest: new Date(latest) } : undefined;
}

const instanceWindow = (store: SimStore, db: DBInstance) => windowAt(db.InstanceCreateTime, db.BackupRetentionPeriod, store.now());
const clusterWindow = (store: SimStore, db: DBCluster) => windowAt(db.ClusterCreateTime, db.BackupRetentionPeriod, store.now());

/** DescribeDBInstances output with each instance's LatestRestorableTime (the only end of the window an instance reports). */
export function withInstanceWindows<T extends { DBInstances?: DBInstance[] | undefined }>(store: SimStore, output: T): T {
  for (const db of output.DBInstances ?? []) {
    const window = db.DBClusterIdentifier ? undefined : instanceWindow(store, db);
    if (window) db.LatestRestorableTime = window.latest;
  }
  return output;
}

/** DescribeDBClusters output with each cluster's EarliestRestorableTime and LatestRestorableTime. */
export function withClusterWindows<T extends { DBClusters?: DBCluster[] | undefined }>(store: SimStore, output: T): T {
  for (const db of output.DBClusters ?? []) {
    const window = clusterWindow(store, db);
    if (window) Object.assign(db, { EarliestRestorableTime: window.earliest, LatestRestorableTime: window.latest });
  }
  return output;
}

/**
 * API, DescribeDBInstanceAutomatedBackups: the automated backups of live ("active") instances, by
 * DBInstanceIdentifier or DbiResourceId, each with its RestoreWindow (EarliestTime, LatestTime).
 * Retained backups of deleted instances are not simulated.
 */
export function describeAutomatedBackups(store: SimStore, input: DescribeDBInstanceAutomatedBackupsMessage) {
  const name = input.DBInstanceIdentifier?.toLowerCase();
  const found = store.instances.filter(
    (r) =>
      !r.gone &&
      !r.db.DBClusterIdentifier &&
      (r.db.BackupRetentionPeriod ?? 0) > 0 &&
      (name === undefined || r.db.DBInstanceIdentifier === name) &&
      (input.DbiResourceId === undefined || r.db.DbiResourceId === input.DbiResourceId),
  );
  return {
    DBInstanceAutomatedBackups: found.map((r) => {
      const window = instanceWindow(store, r.db);
      return {
        DBInstanceIdentifier: r.db.DBInstanceIdentifier,
        DbiResourceId: r.db.DbiResourceId,
        Status: 'active',
        Engine: r.db.Engine,
        BackupRetentionPeriod: r.db.BackupRetentionPeriod,
        ...(window ? { RestoreWindow: { EarliestTime: window.earliest, LatestTime: window.latest } } : {}),
      };
    }),
  };
}

/**
 * The restore time of a request, inside the source's window. API reference: RestoreTime /
 * RestoreToTime "Must be before the latest restorable time"; "Can't be specified if the
 * UseLatestRestorableTime parameter is enabled" (InvalidParameterCombination, name not verified);
 * a time outside the window is InvalidRestoreFault here (RDS's error name not verified). A
 * source without automated backups: PointInTimeRestoreNotEnabled ("SourceDBInstanceIdentifier
 * refers to a DB instance with BackupRetentionPeriod equal to 0").
 */
function restoreTimeOf(
  window: { earliest: Date; latest: Date } | undefined,
  retention: number | undefined,
  time: Date | undefined,
  latest: boolean | undefined,
  source: string,
): Date {
  if (time !== undefined && latest) throw refuse.combination('Cannot specify both RestoreTime and UseLatestRestorableTime.');
  if (time === undefined && !latest) throw refuse.combination('Specify either RestoreTime or UseLatestRestorableTime.');
  if (!retention) throw new RdsServiceError('PointInTimeRestoreNotEnabled', `${source} has BackupRetentionPeriod equal to 0.`);
  if (!window) throw new RdsServiceError('InvalidRestoreFault', `${source} has no restorable time yet.`);
  if (latest) return window.latest;
  const at = new Date(time ?? 0);
  if (at.getTime() > window.latest.getTime() || at.getTime() < window.earliest.getTime())
    throw new RdsServiceError('InvalidRestoreFault', `The restore time ${at.toISOString()} is outside the restorable window of ${source}.`);
  return at;
}

/** Every point-in-time restore the simulation performed: which resource's data, as of when (for assertions). */
export interface PointInTimeRestore {
  kind: 'instance' | 'cluster';
  identifier: string;
  sourceResourceId: string;
  restoredTo: Date;
}

/**
 * API, RestoreDBInstanceToPointInTime: the source by SourceDBInstanceIdentifier or
 * SourceDbiResourceId (one of them), TargetDBInstanceIdentifier free; the copy gets what a
 * snapshot restore of the source would (RDS-RULES.md, "restore").
 */
export function restoreInstanceToTime(
  store: SimStore,
  input: RestoreDBInstanceToPointInTimeMessage,
  outcome: string,
  log: PointInTimeRestore[],
) {
  const id = checkIdentifier('TargetDBInstanceIdentifier', input.TargetDBInstanceIdentifier);
  if (input.SourceDBInstanceAutomatedBackupsArn !== undefined)
    throw new Error('SimulatedRds does not simulate restoring from retained automated backups.');
  if ((input.SourceDBInstanceIdentifier === undefined) === (input.SourceDbiResourceId === undefined))
    throw refuse.combination('Specify one of SourceDBInstanceIdentifier and SourceDbiResourceId.');
  const source = input.SourceDbiResourceId
    ? store.instances.find((r) => !r.gone && r.db.DbiResourceId === input.SourceDbiResourceId)
    : store.instance(input.SourceDBInstanceIdentifier);
  if (!source) throw refuse.instanceNotFound(input.SourceDBInstanceIdentifier ?? input.SourceDbiResourceId ?? '');
  const name = source.db.DBInstanceIdentifier ?? '';
  const restoredTo = restoreTimeOf(
    instanceWindow(store, source.db),
    source.db.BackupRetentionPeriod,
    input.RestoreTime,
    input.UseLatestRestorableTime,
    name,
  );
  const {
    SourceDBInstanceIdentifier: _s,
    SourceDbiResourceId: _r,
    TargetDBInstanceIdentifier: _t,
    RestoreTime: _time,
    UseLatestRestorableTime: _latest,
    MaxAllocatedStorage,
    ...settings
  } = input;
  const state = { ...snapshotShape(store, `${id}-pitr`, source.db, []), Status: 'available', SnapshotType: 'automated' };
  const output = restoreInstanceFrom(store, id, settings, { snap: state, source: structuredClone(source.db) }, outcome);
  const created = store.instance(id);
  if (created && MaxAllocatedStorage !== undefined) created.db.MaxAllocatedStorage = MaxAllocatedStorage;
  log.push({ kind: 'instance', identifier: id, sourceResourceId: source.db.DbiResourceId ?? '', restoredTo });
  return output;
}

/**
 * API, RestoreDBClusterToPointInTime: SourceDBClusterIdentifier (or SourceDbClusterResourceId);
 * RestoreType full-copy (default) or copy-on-write (a clone: "Can't be specified if the RestoreType
 * parameter is copy-on-write" for RestoreToTime). The copy runs the source's engine and version.
 */
export function restoreClusterToTime(
  store: SimStore,
  input: RestoreDBClusterToPointInTimeMessage,
  outcome: string,
  log: PointInTimeRestore[],
) {
  const id = checkIdentifier('DBClusterIdentifier', input.DBClusterIdentifier);
  if ((input.SourceDBClusterIdentifier === undefined) === (input.SourceDbClusterResourceId === undefined))
    throw refuse.combination('Specify one of SourceDBClusterIdentifier and SourceDbClusterResourceId.');
  if (input.RestoreType === 'copy-on-write' && input.RestoreToTime !== undefined)
    throw refuse.combination('RestoreToTime cannot be specified with RestoreType copy-on-write.');
  const source = input.SourceDbClusterResourceId
    ? store.clusters.find((r) => !r.gone && r.db.DbClusterResourceId === input.SourceDbClusterResourceId)
    : store.cluster(input.SourceDBClusterIdentifier);
  if (!source) throw refuse.clusterNotFound(input.SourceDBClusterIdentifier ?? input.SourceDbClusterResourceId ?? '');
  const name = source.db.DBClusterIdentifier ?? '';
  const restoredTo = restoreTimeOf(
    clusterWindow(store, source.db),
    source.db.BackupRetentionPeriod,
    input.RestoreToTime,
    input.UseLatestRestorableTime,
    name,
  );
  const {
    DBClusterIdentifier: _id,
    SourceDBClusterIdentifier: _s,
    SourceDbClusterResourceId: _r,
    RestoreType: _type,
    RestoreToTime: _time,
    UseLatestRestorableTime: _latest,
    ...settings
  } = input;
  const state = { ...clusterSnapshotShape(store, `${id}-pitr`, source.db, []), Status: 'available', SnapshotType: 'automated' };
  const engine = source.db.Engine ?? '';
  const version = source.db.EngineVersion;
  const output = restoreClusterFrom(
    store,
    id,
    { ...settings, Engine: engine, EngineVersion: version },
    { snap: state, source: structuredClone(source.db) },
    outcome,
    () => version,
  );
  log.push({ kind: 'cluster', identifier: id, sourceResourceId: source.db.DbClusterResourceId ?? '', restoredTo });
  return output;
}

/**
 * API, ModifyDBSnapshotAttribute / ModifyDBClusterSnapshotAttribute: AttributeName `restore`
 * ("To authorize other Amazon Web Services accounts to copy or restore a manual DB snapshot, set
 * this value to restore"), only for manual snapshots ("You can't use this API to share automated
 * snapshots", InvalidDBSnapshotState here, name not verified), account ids or `all`.
 */
export function modifySnapshotAttribute(
  store: SimStore,
  kind: 'instance' | 'cluster',
  input: {
    DBSnapshotIdentifier?: string;
    DBClusterSnapshotIdentifier?: string;
    AttributeName?: string;
    ValuesToAdd?: string[];
    ValuesToRemove?: string[];
  },
) {
  const id = kind === 'cluster' ? input.DBClusterSnapshotIdentifier : input.DBSnapshotIdentifier;
  const record = kind === 'cluster' ? store.clusterSnapshot(id) : store.snapshot(id);
  if (!record) throw kind === 'cluster' ? refuse.clusterSnapshotNotFound(id ?? '') : refuse.snapshotNotFound(id ?? '');
  if (input.AttributeName !== 'restore') throw refuse.invalidValue(`Invalid snapshot attribute name: ${input.AttributeName ?? ''}`);
  if (record.snap.SnapshotType !== 'manual') throw refuse.snapshotState('Only manual snapshots can be shared.');
  for (const value of [...(input.ValuesToAdd ?? []), ...(input.ValuesToRemove ?? [])])
    if (value !== 'all' && !/^\d{12}$/.test(value)) throw refuse.invalidValue(`Invalid account id ${value}.`);
  const shared = new Set(sharing.get(record) ?? []);
  for (const value of input.ValuesToAdd ?? []) shared.add(value);
  for (const value of input.ValuesToRemove ?? []) shared.delete(value);
  sharing.set(record, [...shared]);
  const attributes = [{ AttributeName: 'restore', AttributeValues: [...shared] }];
  return kind === 'cluster'
    ? { DBClusterSnapshotAttributesResult: { DBClusterSnapshotIdentifier: id, DBClusterSnapshotAttributes: attributes } }
    : { DBSnapshotAttributesResult: { DBSnapshotIdentifier: id, DBSnapshotAttributes: attributes } };
}

/** API, DescribeDBSnapshotAttributes / DescribeDBClusterSnapshotAttributes: the `restore` attribute. */
export function describeSnapshotAttributes(
  store: SimStore,
  kind: 'instance' | 'cluster',
  input: { DBSnapshotIdentifier?: string; DBClusterSnapshotIdentifier?: string },
) {
  const id = kind === 'cluster' ? input.DBClusterSnapshotIdentifier : input.DBSnapshotIdentifier;
  const record = kind === 'cluster' ? store.clusterSnapshot(id) : store.snapshot(id);
  if (!record) throw kind === 'cluster' ? refuse.clusterSnapshotNotFound(id ?? '') : refuse.snapshotNotFound(id ?? '');
  const attributes = [{ AttributeName: 'restore', AttributeValues: sharing.get(record) ?? [] }];
  return kind === 'cluster'
    ? { DBClusterSnapshotAttributesResult: { DBClusterSnapshotIdentifier: id, DBClusterSnapshotAttributes: attributes } }
    : { DBSnapshotAttributesResult: { DBSnapshotIdentifier: id, DBSnapshotAttributes: attributes } };
}

/** Who each snapshot is shared with (per record, so a simulation's snapshots keep their own). */
const sharing = new WeakMap<object, string[]>();
