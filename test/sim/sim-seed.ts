/** Putting resources into the simulated account directly, in SDK shapes (no request, no rules). */
import type { DBCluster, DBClusterSnapshot, DBInstance, DBSnapshot } from '@aws-sdk/client-rds';
import { registerGroups } from './sim-groups.js';
import { clusterShape, clusterSnapshotShape, defaultVersion, instanceShape, snapshotShape } from './sim-shapes.js';
import type { ClusterRecord, InstanceRecord, SimStore } from './sim-store.js';

/** A seeded DB instance: any DBInstance fields; identifiers and ARNs are derived. */
export type InstanceSeed = Partial<DBInstance> & { DBInstanceIdentifier: string };
/** A seeded cluster member; `writer` marks the writer (default: the first). */
export type MemberSeed = Partial<DBInstance> & { DBInstanceIdentifier: string; writer?: boolean };
export type ClusterSeed = Partial<DBCluster> & { DBClusterIdentifier: string };

export function seedInstance(store: SimStore, seed: InstanceSeed): InstanceRecord {
  const id = seed.DBInstanceIdentifier.toLowerCase();
  const db = instanceShape(store, id, { ...seed, DBInstanceIdentifier: id });
  registerGroups(store, {
    engine: db.Engine ?? '',
    version: db.EngineVersion ?? '',
    parameterGroup: db.DBParameterGroups?.[0]?.DBParameterGroupName,
    optionGroup: db.OptionGroupMemberships?.[0]?.OptionGroupName,
    subnetGroup: db.DBSubnetGroup?.DBSubnetGroupName,
  });
  const record: InstanceRecord = { db, deferred: {}, windowed: {}, epoch: 0, gone: false };
  store.instances.push(record);
  return record;
}

/** A cluster and its members (Aurora by default). */
export function seedCluster(store: SimStore, seed: ClusterSeed, members: MemberSeed[] = []): ClusterRecord {
  const id = seed.DBClusterIdentifier.toLowerCase();
  const db = clusterShape(store, id, { ...seed, DBClusterIdentifier: id });
  const engine = db.Engine ?? '';
  const version = db.EngineVersion ?? defaultVersion(engine);
  registerGroups(store, { engine, version, clusterParameterGroup: db.DBClusterParameterGroup, subnetGroup: db.DBSubnetGroup });
  const record: ClusterRecord = { db, deferred: {}, multiAz: !engine.startsWith('aurora'), epoch: 0, gone: false };
  store.clusters.push(record);
  for (const { writer, ...member } of members) {
    const created = seedInstance(store, {
      Engine: engine,
      EngineVersion: version,
      DBClusterIdentifier: id,
      PromotionTier: 1,
      BackupRetentionPeriod: db.BackupRetentionPeriod,
      PreferredBackupWindow: db.PreferredBackupWindow,
      VpcSecurityGroups: structuredClone(db.VpcSecurityGroups),
      DBSubnetGroup: { DBSubnetGroupName: db.DBSubnetGroup, VpcId: 'vpc-default', SubnetGroupStatus: 'Complete' },
      MasterUsername: db.MasterUsername,
      Endpoint: { Port: db.Port },
      ...member,
    });
    if (writer || record.writer === undefined) record.writer = created.db.DbiResourceId;
  }
  return record;
}

/** An available manual snapshot of an existing instance, as it is now (fields of `seed` override, e.g. an older EngineVersion). */
export function seedSnapshot(
  store: SimStore,
  seed: Partial<DBSnapshot> & { DBSnapshotIdentifier: string; DBInstanceIdentifier: string },
): DBSnapshot {
  const source =
    store.instance(seed.DBInstanceIdentifier)?.db ??
    instanceShape(store, seed.DBInstanceIdentifier.toLowerCase(), { Engine: seed.Engine, EngineVersion: seed.EngineVersion });
  const id = seed.DBSnapshotIdentifier.toLowerCase();
  const snap: DBSnapshot = {
    ...snapshotShape(store, id, source, []),
    Status: 'available',
    PercentProgress: 100,
    ...seed,
    DBSnapshotIdentifier: id,
  };
  const frozen = structuredClone({ ...source, ...(seed.EngineVersion ? { EngineVersion: seed.EngineVersion } : {}) });
  store.snapshots.push({ snap, source: frozen, epoch: 0, gone: false });
  registerGroups(store, { engine: snap.Engine ?? '', version: snap.EngineVersion ?? '', optionGroup: snap.OptionGroupName });
  return structuredClone(snap);
}

export function seedClusterSnapshot(
  store: SimStore,
  seed: Partial<DBClusterSnapshot> & { DBClusterSnapshotIdentifier: string; DBClusterIdentifier: string },
): DBClusterSnapshot {
  const source =
    store.cluster(seed.DBClusterIdentifier)?.db ??
    clusterShape(store, seed.DBClusterIdentifier.toLowerCase(), { Engine: seed.Engine, EngineVersion: seed.EngineVersion });
  const id = seed.DBClusterSnapshotIdentifier.toLowerCase();
  const snap: DBClusterSnapshot = {
    ...clusterSnapshotShape(store, id, source, []),
    Status: 'available',
    PercentProgress: 100,
    ...seed,
    DBClusterSnapshotIdentifier: id,
  };
  store.clusterSnapshots.push({ snap, source: structuredClone(source), epoch: 0, gone: false });
  return structuredClone(snap);
}
