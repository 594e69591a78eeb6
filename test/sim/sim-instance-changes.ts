/** DB instances changing and going away: ModifyDBInstance (including renames) and DeleteDBInstance. */
import type { DeleteDBInstanceMessage, ModifyDBInstanceMessage, PendingModifiedValues } from '@aws-sdk/client-rds';
import { isTerminal } from '../../src/core/rds-status.js';
import { refuse } from './sim-errors.js';
import { modifyExtras } from './sim-extras.js';
import { checkOptionGroup, checkParameterGroup, checkSubnetGroup } from './sim-groups.js';
import { viewInstance } from './sim-instances.js';
import { showSecurityGroupChange, translate } from './sim-modify-values.js';
import {
  checkBackupRetention,
  checkFinalSnapshot,
  checkGp3,
  checkIdentifier,
  checkInsightsRetention,
  checkMonitoring,
} from './sim-rules.js';
import { setInstanceStatus, snapshotShape } from './sim-shapes.js';
import { failOver } from './sim-clusters.js';
import type { InstanceRecord, Phase, SimStore } from './sim-store.js';

const STORAGE: (keyof ModifyDBInstanceMessage)[] = ['AllocatedStorage', 'StorageType', 'Iops', 'StorageThroughput'];

/**
 * Settings a member of an Aurora cluster takes from its cluster: "The specified DB Instance is
 * a member of a DB Cluster. Modify … for the DB Cluster using the ModifyDbCluster API."
 * (InvalidParameterCombination; API, ModifyDBInstance: "doesn't apply to Amazon Aurora").
 */
const CLUSTER_OWNED: [keyof ModifyDBInstanceMessage, string][] = [
  ['BackupRetentionPeriod', 'backup retention'],
  ['PreferredBackupWindow', 'backup window'],
  ['VpcSecurityGroupIds', 'vpc security groups'],
  ['DBPortNumber', 'database endpoint port number'],
  ['MasterUserPassword', 'master user password'],
  ['AllocatedStorage', 'storage size'],
];

/** Applies what was deferred; says whether monitoring was turned on and storage changed. */
function applyDeferred(record: InstanceRecord): { monitoringOn: boolean; storageChanged: boolean } {
  const { db, deferred } = record;
  const monitoringOn = (db.MonitoringInterval ?? 0) === 0 && (deferred.MonitoringInterval ?? 0) > 0;
  const storageChanged = ['AllocatedStorage', 'StorageType', 'Iops', 'StorageThroughput'].some((k) => k in deferred);
  Object.assign(db, deferred);
  record.deferred = {};
  const pending: PendingModifiedValues = {};
  if (db.PendingModifiedValues?.DBInstanceIdentifier) pending.DBInstanceIdentifier = db.PendingModifiedValues.DBInstanceIdentifier;
  db.PendingModifiedValues = pending;
  for (const group of db.DBParameterGroups ?? [])
    if (group.ParameterApplyStatus === 'applying') group.ParameterApplyStatus = 'pending-reboot';
  return { monitoringOn, storageChanged };
}

/** The phases after a change lands: monitoring set-up, storage optimization, then `available`. */
function settling(store: SimStore, record: InstanceRecord, changed: { monitoringOn: boolean; storageChanged: boolean }): Phase[] {
  const t = store.timings;
  const phases: Phase[] = [];
  if (changed.monitoringOn)
    phases.push({ seconds: t.configuringMonitoring, run: () => setInstanceStatus(store, record, 'configuring-enhanced-monitoring') });
  if (changed.storageChanged && t.storageOptimization > 0)
    phases.push({ seconds: t.storageOptimization, run: () => setInstanceStatus(store, record, 'storage-optimization') });
  phases.push({ seconds: 0, run: () => setInstanceStatus(store, record, 'available') });
  return phases;
}

/** Available for a moment (RDS-RULES.md, "modify"), then `modifying`, then the change is in. */
function modifyTimeline(store: SimStore, record: InstanceRecord): void {
  store.restart(record);
  store.timeline(record, [
    { seconds: store.timings.modifyGap, run: () => undefined },
    {
      seconds: store.timings.modifying,
      run: () => {
        setInstanceStatus(store, record, 'modifying');
        showSecurityGroupChange(record);
      },
    },
    { seconds: 0, run: () => store.timeline(record, settling(store, record, applyDeferred(record))) },
  ]);
}

/**
 * UG, "Renaming a DB instance": with ApplyImmediately the instance is renamed and rebooted,
 * applying every pending modification; the old name stays `available` for a moment (with the
 * new one in PendingModifiedValues), then the instance is `renaming` under the new name.
 */
function renameTimeline(store: SimStore, record: InstanceRecord, to: string): void {
  const t = store.timings;
  store.restart(record);
  record.renaming = true;
  record.db.PendingModifiedValues = { ...record.db.PendingModifiedValues, DBInstanceIdentifier: to };
  const renamed = () => {
    const db = record.db;
    db.DBInstanceIdentifier = to;
    db.DBInstanceArn = store.arn('db', to);
    if (db.Endpoint) db.Endpoint = { ...db.Endpoint, Address: store.endpoint(to, 'instance') };
    delete db.PendingModifiedValues?.DBInstanceIdentifier;
    setInstanceStatus(store, record, 'renaming');
  };
  const rebooted = () => {
    record.renaming = false;
    const changed = applyDeferred(record);
    for (const group of record.db.DBParameterGroups ?? []) group.ParameterApplyStatus = 'in-sync';
    store.timeline(record, settling(store, record, changed));
  };
  store.timeline(record, [
    { seconds: t.renameGap, run: () => undefined },
    { seconds: t.renaming, run: renamed },
    { seconds: t.rebooting, run: () => setInstanceStatus(store, record, 'rebooting') },
    { seconds: 0, run: rebooted },
  ]);
}

/** API, ModifyDBInstance (and UG, "Renaming a DB instance"). */
export function modifyInstance(store: SimStore, input: ModifyDBInstanceMessage) {
  const record = store.instance(input.DBInstanceIdentifier);
  if (!record) throw refuse.instanceNotFound(input.DBInstanceIdentifier ?? '');
  const db = record.db;
  const id = db.DBInstanceIdentifier ?? '';
  const status = db.DBInstanceStatus ?? '';
  const storage = STORAGE.some((k) => input[k] !== undefined);
  // UG, "Working with storage": during storage-optimization the instance works, but its storage can't be changed again.
  if (status === 'storage-optimization' && storage)
    throw refuse.combination(`You can't currently modify the storage of ${id} because the previous storage change is being optimized.`);
  if (status !== 'available' && status !== 'storage-optimization') throw refuse.instanceState(id, status);
  if (db.DBClusterIdentifier) {
    const owned = CLUSTER_OWNED.find(([key]) => input[key] !== undefined);
    if (owned)
      throw refuse.combination(
        `The specified DB Instance is a member of a DB Cluster. Modify ${owned[1]} for the DB Cluster using the ModifyDbCluster API.`,
      );
  }
  const to =
    input.NewDBInstanceIdentifier === undefined ? undefined : checkIdentifier('NewDBInstanceIdentifier', input.NewDBInstanceIdentifier);
  // The same rename asked again while it is pending (a retried request) is taken as a no-op (not verified against RDS).
  const repeated = to !== undefined && db.PendingModifiedValues?.DBInstanceIdentifier === to;
  if (to !== undefined && to !== id && !repeated && store.instanceNameTaken(to)) throw refuse.instanceExists();
  const engine = db.Engine ?? '';
  const version = input.EngineVersion ?? db.EngineVersion ?? '';
  checkGp3(engine, input.StorageType ?? db.StorageType, input.AllocatedStorage ?? db.AllocatedStorage, input.Iops, input.StorageThroughput);
  checkBackupRetention(input.BackupRetentionPeriod, 0);
  checkMonitoring(input.MonitoringInterval, input.MonitoringRoleArn ?? db.MonitoringRoleArn);
  checkInsightsRetention(input.PerformanceInsightsRetentionPeriod);
  if (input.DBParameterGroupName !== undefined) checkParameterGroup(store, input.DBParameterGroupName, engine, version);
  if (input.OptionGroupName !== undefined) checkOptionGroup(store, input.OptionGroupName, engine, version);
  if (input.DBSubnetGroupName !== undefined) checkSubnetGroup(store, input.DBSubnetGroupName);

  const { instant, held, shown } = translate(input, db);
  const asap = { ...translate(input, db).asap, ...modifyExtras(store, input) };
  // Deletion protection: "Some modifications, such as turning on deletion protection … are
  // applied immediately" (API, ModifyDBCluster ApplyImmediately; the same for instances).
  Object.assign(db, instant);
  // API, DBParameterGroupName: "The parameter group name itself is changed immediately, but the actual parameter changes are not applied until you reboot".
  if (input.DBParameterGroupName !== undefined && input.DBParameterGroupName !== db.DBParameterGroups?.[0]?.DBParameterGroupName) {
    db.DBParameterGroups = [{ DBParameterGroupName: input.DBParameterGroupName, ParameterApplyStatus: 'applying' }];
  }
  db.PendingModifiedValues = { ...db.PendingModifiedValues, ...shown };
  if (input.ApplyImmediately) {
    // "the modifications in this request and any pending modifications are … applied as soon as possible"
    record.deferred = { ...record.deferred, ...record.windowed, ...held, ...asap };
    record.windowed = {};
    const rename = to !== undefined && to !== id ? to : record.windowedRename;
    record.windowedRename = undefined;
    if (rename !== undefined && !(record.renaming && repeated)) renameTimeline(store, record, rename);
    else if (!record.renaming && Object.keys(record.deferred).length + (input.DBParameterGroupName ? 1 : 0) > 0)
      modifyTimeline(store, record);
  } else {
    record.windowed = { ...record.windowed, ...held };
    if (to !== undefined && to !== id) {
      record.windowedRename = to;
      db.PendingModifiedValues = { ...db.PendingModifiedValues, DBInstanceIdentifier: to };
    }
    record.deferred = { ...record.deferred, ...asap };
    if (!record.renaming && Object.keys(asap).length > 0) modifyTimeline(store, record);
  }
  return { DBInstance: viewInstance(record) };
}

/**
 * API, DeleteDBInstance: deletion protection blocks it ("Cannot delete protected DB Instance",
 * InvalidParameterCombination); a final snapshot keeps the instance `deleting` until the
 * snapshot exists; "The default is to remove automated backups immediately after the DB
 * instance is deleted" unless DeleteAutomatedBackups=false. A member of an Aurora cluster can
 * be deleted even when its cluster is protected, and its cluster fails over if it was the writer.
 */
export function deleteInstance(store: SimStore, input: DeleteDBInstanceMessage) {
  const record = store.instance(input.DBInstanceIdentifier);
  if (!record) throw refuse.instanceNotFound(input.DBInstanceIdentifier ?? '');
  const db = record.db;
  const id = db.DBInstanceIdentifier ?? '';
  const member = db.DBClusterIdentifier !== undefined;
  if (db.DeletionProtection && !member)
    throw refuse.combination('Cannot delete protected DB Instance, please disable deletion protection and try again.');
  const status = db.DBInstanceStatus ?? '';
  if (status === 'deleting') throw refuse.instanceState(id, 'already being deleted');
  const deletable = status === 'available' || status === 'storage-optimization' || (isTerminal(status) && status !== 'stopping');
  if (!deletable) throw refuse.instanceState(id, status);
  checkFinalSnapshot(input.SkipFinalSnapshot, input.FinalDBSnapshotIdentifier, member);
  const finalId = input.FinalDBSnapshotIdentifier?.toLowerCase();
  if (finalId !== undefined && store.snapshot(finalId)) throw refuse.snapshotExists(finalId);
  store.restart(record);
  setInstanceStatus(store, record, 'deleting');
  let lasts = store.timings.deleting;
  if (finalId !== undefined) {
    const snapshot = {
      snap: snapshotShape(store, finalId, db, db.CopyTagsToSnapshot ? structuredClone(db.TagList) : []),
      source: structuredClone(db),
      epoch: 0,
      gone: false,
    };
    store.snapshots.push(snapshot);
    store.after(snapshot, store.timings.snapshotCreating, () => {
      snapshot.snap.Status = 'available';
      snapshot.snap.PercentProgress = 100;
    });
    lasts += store.timings.snapshotCreating;
  }
  if (!member && (db.BackupRetentionPeriod ?? 0) > 0) {
    store.automatedBackups.push({
      kind: 'instance',
      identifier: id,
      resourceId: db.DbiResourceId ?? '',
      retained: input.DeleteAutomatedBackups === false,
      at: store.date(),
    });
  }
  store.after(record, lasts, () => {
    record.gone = true;
    store.logStatus('instance', db.DbiResourceId, db.DBInstanceIdentifier, 'deleted');
    if (member) failOver(store, db.DBClusterIdentifier, db.DbiResourceId);
  });
  return { DBInstance: viewInstance(record) };
}
