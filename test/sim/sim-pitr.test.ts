import {
  DescribeDBClustersCommand,
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  RestoreDBClusterToPointInTimeCommand,
  RestoreDBInstanceToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listDatabaseSnapshots } from '../../src/workflows/snapshot/list-snapshots.js';
import { expectRdsError, simKit, type SimKit } from './sim-kit.js';
import { seedSampleCluster, seedSampleInstance } from './sim-world.js';
import { vitestTimers } from './virtual-time.js';

// The point-in-time side of the simulated RDS (sim-pitr.ts), and `trapheus snapshots` over it.

const DAY = 86_400_000;
let kit: SimKit | undefined;
afterEach(() => kit?.stop());

/** db1 (14 days of backups) and c1 (7), created three days ago. */
function start(): SimKit {
  kit = simKit(vitestTimers(vi));
  seedSampleInstance(kit.sim);
  seedSampleCluster(kit.sim);
  const created = new Date(kit.time.now() - 3 * DAY);
  for (const r of kit.sim.store.instances) r.db.InstanceCreateTime = created;
  for (const r of kit.sim.store.clusters) r.db.ClusterCreateTime = created;
  return kit;
}

describe('restorable windows', () => {
  it('an instance reports LatestRestorableTime about five minutes back; its automated backups the whole window', async () => {
    const k = start();
    const now = k.time.now();
    const [db] = (await k.run(k.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'db1' })))).DBInstances ?? [];
    expect(db?.LatestRestorableTime).toEqual(new Date(now - 300_000));
    const backups = await k.run(k.client.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: 'db1' })));
    // The request budget spaces the two requests (100 ms of virtual time): the window is the second's.
    const later = k.time.now();
    expect(backups.DBInstanceAutomatedBackups?.[0]).toMatchObject({
      Status: 'active',
      DbiResourceId: db?.DbiResourceId,
      RestoreWindow: { EarliestTime: new Date(now - 3 * DAY), LatestTime: new Date(later - 300_000) },
    });
    // Cluster members have no window of their own.
    const [member] = (await k.run(k.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'c1-a' })))).DBInstances ?? [];
    expect(member?.LatestRestorableTime).toBeUndefined();
  });

  it('a cluster reports both ends; the retention period bounds the start', async () => {
    const k = start();
    const now = k.time.now();
    k.sim.store.clusters[0]!.db.ClusterCreateTime = new Date(now - 30 * DAY);
    const [c1] = (await k.run(k.client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'c1' })))).DBClusters ?? [];
    expect(c1).toMatchObject({ EarliestRestorableTime: new Date(now - 7 * DAY), LatestRestorableTime: new Date(now - 300_000) });
  });

  it('the gateway reads both, and no window without automated backups', async () => {
    const k = start();
    k.sim.seedInstance({ DBInstanceIdentifier: 'nobackups', BackupRetentionPeriod: 0 });
    const asked = k.time.now();
    const window = await k.run(k.gateway.describeInstanceRestorableWindow('db1'));
    expect(window).toMatchObject({ backupRetentionPeriod: 14, earliestIsBound: false });
    expect(window?.latest).toEqual(new Date(asked - 300_000));
    expect(await k.run(k.gateway.describeInstanceRestorableWindow('nobackups'))).toMatchObject({
      backupRetentionPeriod: 0,
      latest: undefined,
    });
    expect(await k.run(k.gateway.describeInstanceRestorableWindow('missing'))).toBeUndefined();
  });
});

describe('RestoreDBInstanceToPointInTime and RestoreDBClusterToPointInTime', () => {
  it('refuses a time and the latest together, a time outside the window, a source without backups, a taken name', async () => {
    const k = start();
    k.sim.seedInstance({ DBInstanceIdentifier: 'nobackups', BackupRetentionPeriod: 0 });
    const send = (input: Record<string, unknown>) =>
      k.failure(
        k.client.send(
          new RestoreDBInstanceToPointInTimeCommand({ SourceDBInstanceIdentifier: 'db1', TargetDBInstanceIdentifier: 'copy', ...input }),
        ),
      );
    const now = k.time.now();
    expectRdsError(await send({ RestoreTime: new Date(now - DAY), UseLatestRestorableTime: true }), 'InvalidParameterCombination');
    expectRdsError(await send({}), 'InvalidParameterCombination');
    expectRdsError(await send({ RestoreTime: new Date(now - 4 * DAY) }), 'InvalidRestoreFault');
    expectRdsError(await send({ RestoreTime: new Date(now - 60_000) }), 'InvalidRestoreFault');
    expectRdsError(await send({ SourceDBInstanceIdentifier: 'nobackups', UseLatestRestorableTime: true }), 'PointInTimeRestoreNotEnabled', {
      name: 'PointInTimeRestoreNotEnabledFault',
    });
    expectRdsError(await send({ TargetDBInstanceIdentifier: 'db1', UseLatestRestorableTime: true }), 'DBInstanceAlreadyExists', {
      name: 'DBInstanceAlreadyExistsFault',
    });
    expect(k.sim.pointInTimeRestores).toEqual([]);
  });

  it('creates the copy as a snapshot restore would: the source by resource id, the defaults where the request is silent', async () => {
    const k = start();
    const source = k.sim.instance('db1');
    const time = new Date(k.time.now() - DAY);
    await k.run(
      k.client.send(
        new RestoreDBInstanceToPointInTimeCommand({
          SourceDbiResourceId: source?.DbiResourceId,
          TargetDBInstanceIdentifier: 'copy',
          RestoreTime: time,
        }),
      ),
    );
    const copy = k.sim.instance('copy');
    expect(copy).toMatchObject({ DBInstanceStatus: 'creating', EngineVersion: '16.3', AllocatedStorage: 500 });
    // Not carried by the restore unless named (RDS-RULES.md): the default parameter group, one AZ.
    expect(copy).toMatchObject({ DBParameterGroups: [{ DBParameterGroupName: 'default.postgres16' }], MultiAZ: false });
    expect(copy?.DbiResourceId).not.toBe(source?.DbiResourceId);
    expect(k.sim.pointInTimeRestores).toEqual([
      { kind: 'instance', identifier: 'copy', sourceResourceId: source?.DbiResourceId, restoredTo: time },
    ]);
  });

  it('a cluster copy runs the source engine and version; copy-on-write takes no time', async () => {
    const k = start();
    const refused = await k.failure(
      k.client.send(
        new RestoreDBClusterToPointInTimeCommand({
          SourceDBClusterIdentifier: 'c1',
          DBClusterIdentifier: 'c2',
          RestoreType: 'copy-on-write',
          RestoreToTime: new Date(k.time.now() - DAY),
        }),
      ),
    );
    expectRdsError(refused, 'InvalidParameterCombination');
    await k.run(
      k.client.send(
        new RestoreDBClusterToPointInTimeCommand({
          SourceDBClusterIdentifier: 'c1',
          DBClusterIdentifier: 'c2',
          UseLatestRestorableTime: true,
        }),
      ),
    );
    expect(k.sim.cluster('c2')).toMatchObject({
      Engine: 'aurora-postgresql',
      EngineVersion: '16.3',
      Status: 'creating',
      DBClusterMembers: [],
    });
  });
});

describe('trapheus snapshots over the simulated RDS', () => {
  it("lists manual (trapheus's marked) and automated snapshots newest first, and the window", async () => {
    const k = start();
    const now = k.time.now();
    k.sim.seedSnapshot({
      DBSnapshotIdentifier: 'rds:db1-2025-12-31-03-00',
      DBInstanceIdentifier: 'db1',
      SnapshotType: 'automated',
      SnapshotCreateTime: new Date(now - 2 * 3600_000),
    });
    k.sim.seedSnapshot({
      DBSnapshotIdentifier: 'trapheus-db1-20251231-220000',
      DBInstanceIdentifier: 'db1',
      SnapshotCreateTime: new Date(now - 3600_000),
      TagList: [
        { Key: 'trapheus:managed', Value: 'true' },
        { Key: 'trapheus:source', Value: 'db1' },
        { Key: 'trapheus:run', Value: 'run-1' },
      ],
    });
    const clock = { now: () => new Date(k.time.now()), sleep: () => Promise.resolve() };
    const listing = await k.run(listDatabaseSnapshots({ rds: k.gateway, clock }, { identifier: 'DB1', kind: 'instance' }));
    // s1 was taken when the world began (now); the others before.
    expect(listing.snapshots.map((s) => [s.identifier, s.type, s.trapheus])).toEqual([
      ['s1', 'manual', false],
      ['trapheus-db1-20251231-220000', 'manual', true],
      ['rds:db1-2025-12-31-03-00', 'automated', false],
    ]);
    expect(listing.snapshots[2]?.ageSeconds).toBeGreaterThanOrEqual(7200);
    expect(listing.snapshots[2]?.ageSeconds).toBeLessThan(7260);
    expect(listing.snapshots[1]).toMatchObject({ runId: 'run-1', allocatedStorageGiB: 500, engine: 'postgres', engineVersion: '16.3' });
    expect(listing.restorableWindow).toMatchObject({ backupRetentionPeriod: 14, earliest: new Date(now - 3 * DAY).toISOString() });
    expect(Date.parse(listing.restorableWindow?.latest ?? '')).toBeGreaterThanOrEqual(now - 300_000);
    expect(k.sim.mutatingCalls()).toEqual([]);
  });
});
