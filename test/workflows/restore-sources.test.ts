import { afterEach, describe, expect, it, vi } from 'vitest';
import { PreconditionError, UsageError } from '../../src/core/errors.js';
import { restorePlanSchema } from '../../src/workflows/restore/restore-plan.js';
import { restoreSourceOf } from '../../src/workflows/restore/restore-source.js';
import { alertFacts } from '../../src/alerts/compose-alert.js';
import { alertFor } from '../../src/alerts/alert.js';
import { resumeRun } from '../../src/workflows/run/resume-run.js';
import { prepareRestore, runSnapshotOnly } from '../../src/workflows/run/start-run.js';
import { shareSnapshotStep } from '../../src/workflows/snapshot/share-snapshot-step.js';
import { snapshotOps } from '../../src/workflows/snapshot/snapshot-ops.js';
import { SimulatedCrash } from '../fakes/memory-journal.js';
import type { RestoreRequest } from '../../src/workflows/service.js';
import { FAST_TIMINGS } from '../sim/sim-timings.js';
import { seedSampleCluster, seedSampleInstance, simWorld, type SimWorld } from '../sim/sim-world.js';
import { vitestTimers } from '../sim/virtual-time.js';

// Restores whose data comes from elsewhere — another database's snapshot (--from), a point in
// time (--to-time, --latest-restorable) — through the production gateway on the simulated RDS.

const DAY = 86_400_000;
let world: SimWorld | undefined;
afterEach(() => world?.stop());

/** A world whose databases have existed for three days (so they have a restorable window). */
function newWorld(): SimWorld {
  world = simWorld({ timers: vitestTimers(vi), timings: FAST_TIMINGS });
  return world;
}

function age(w: SimWorld, days = 3): void {
  const created = new Date(w.time.now() - days * DAY);
  for (const r of w.sim.store.instances) r.db.InstanceCreateTime = created;
  for (const r of w.sim.store.clusters) r.db.ClusterCreateTime = created;
}

async function prepare(w: SimWorld, request: Partial<RestoreRequest> & { identifier: string }) {
  return w.time.run(prepareRestore(w.deps, { kind: 'instance', freshSnapshot: false, ...request }));
}

async function run(w: SimWorld, request: Partial<RestoreRequest> & { identifier: string }) {
  const prepared = await prepare(w, request);
  expect(prepared.summary.preflight?.filter((c) => !c.ok)).toEqual([]);
  return w.time.run(prepared.start());
}

/** staging-db (the sample instance: its settings are what must survive) and prod-db, bigger, with a manual and a newer automated snapshot. */
function seedStagingAndProd(w: SimWorld, prodVersion = '16.4'): void {
  seedSampleInstance(w.sim, 'staging-db', 'staging-snap');
  w.sim.seedInstance({
    DBInstanceIdentifier: 'prod-db',
    DBInstanceClass: 'db.r6g.4xlarge',
    EngineVersion: prodVersion,
    BackupRetentionPeriod: 7,
  });
  const t = w.time.now();
  w.sim.seedSnapshot({ DBSnapshotIdentifier: 'prod-manual', DBInstanceIdentifier: 'prod-db', SnapshotCreateTime: new Date(t - 2 * DAY) });
  w.sim.seedSnapshot({
    DBSnapshotIdentifier: 'rds:prod-db-2025-12-31-23-00',
    DBInstanceIdentifier: 'prod-db',
    SnapshotType: 'automated',
    SnapshotCreateTime: new Date(t - 3600_000),
  });
  age(w);
}

const mutating = (w: SimWorld) => w.sim.mutatingCalls().map((c) => c.command);

describe('--from: refresh a database from another one, keeping its own configuration', () => {
  it.each(['swap', 'rename-first'] as const)(
    'restores the newest snapshot of prod-db (automated here) into staging-db (%s)',
    async (strategy) => {
      const w = newWorld();
      seedStagingAndProd(w);
      const prepared = await prepare(w, { identifier: 'staging-db', from: 'prod-db', strategy });
      expect(prepared.ok).toBe(true);
      expect(prepared.summary.source).toEqual({
        kind: 'snapshot',
        description: 'snapshot rds:prod-db-2025-12-31-23-00 of prod-db',
        snapshotIdentifier: 'rds:prod-db-2025-12-31-23-00',
        of: 'prod-db',
      });
      const detail = (name: string) => prepared.summary.preflight?.find((c) => c.name === name)?.detail;
      expect(detail('snapshot')).toMatch(/newest available snapshot of prod-db, manual or automated: automated/);
      expect(detail('data and configuration')).toMatch(
        /^data: prod-db's snapshot rds:prod-db-2025-12-31-23-00 of prod-db; configuration: staging-db's own/,
      );
      // A minor version apart: allowed, said.
      expect(detail('Snapshot rds:prod-db-2025-12-31-23-00 engine version')).toMatch(/runs 16.4 until upgraded/);
      expect(prepared.summary.warnings.join(' ')).toMatch(/staging-db will be replaced by a copy of prod-db's data/);

      const result = await w.time.run(prepared.start());
      expect(result.outcome.status).toBe('succeeded');
      expect(w.sim.callsOf('RestoreDBInstanceFromDBSnapshot').map((c) => c.input.DBSnapshotIdentifier)).toEqual([
        'rds:prod-db-2025-12-31-23-00',
      ]);
      const staging = w.sim.instance('staging-db');
      expect(staging).toMatchObject({
        DBInstanceClass: 'db.r6g.large',
        EngineVersion: '16.4',
        DBParameterGroups: [{ DBParameterGroupName: 'custom-pg' }],
        DBSubnetGroup: { DBSubnetGroupName: 'private-subnets' },
        BackupRetentionPeriod: 14,
        TagList: [{ Key: 'team', Value: 'platform' }],
      });
      // prod-db is only read.
      expect(w.sim.mutatingCalls().filter((c) => JSON.stringify(c.input).includes('"prod-db"'))).toEqual([]);
      expect(w.sim.instance('prod-db')).toMatchObject({ DBInstanceStatus: 'available', DBInstanceClass: 'db.r6g.4xlarge' });
    },
  );

  it('takes a named snapshot of prod-db, and refuses one of a third database', async () => {
    const w = newWorld();
    seedStagingAndProd(w);
    const named = await prepare(w, { identifier: 'staging-db', from: 'prod-db', snapshot: 'prod-manual' });
    await named.release();
    expect(named.ok).toBe(true);
    expect(named.summary.snapshotIdentifier).toBe('prod-manual');
    const other = await prepare(w, { identifier: 'staging-db', from: 'prod-db', snapshot: 'staging-snap' });
    await other.release();
    expect(other.ok).toBe(false);
    expect(other.summary.error?.message).toMatch(/Snapshot staging-snap was taken of staging-db, not of prod-db \(--from\)/);
    expect(mutating(w)).toEqual([]);
  });

  it('refuses another major version, and a source without snapshots, changing nothing', async () => {
    const w = newWorld();
    seedStagingAndProd(w, '15.7');
    const major = await prepare(w, { identifier: 'staging-db', from: 'prod-db' });
    await major.release();
    expect(major.ok).toBe(false);
    expect(major.summary.error?.message).toMatch(/is of postgres 15.7, staging-db runs 16.3: another major version/);
    w.sim.seedInstance({ DBInstanceIdentifier: 'empty-db' });
    const none = await prepare(w, { identifier: 'staging-db', from: 'empty-db' });
    await none.release();
    expect(none.summary.error?.message).toMatch(
      /No available snapshot of empty-db: take one with `trapheus snapshot-only --identifier empty-db`/,
    );
    expect(mutating(w)).toEqual([]);
  });
});

describe('--to-time / --latest-restorable: point-in-time restore in place', () => {
  it.each([
    ['rename-first', 'db1-temp'],
    ['swap', 'db1'],
  ] as const)('an instance to a time inside its window (%s: the source is %s when the restore is sent)', async (strategy, sourceName) => {
    const w = newWorld();
    seedSampleInstance(w.sim);
    age(w);
    const original = w.sim.instance('db1')?.DbiResourceId;
    const time = new Date(w.time.now() - DAY).toISOString();
    const result = await run(w, { identifier: 'db1', toTime: time, strategy });
    expect(result.outcome.status).toBe('succeeded');
    expect(result.summary.source).toMatchObject({ kind: 'point-in-time', sourceIdentifier: 'db1', restoreTime: time, latest: false });
    expect(result.summary.snapshotIdentifier).toBeUndefined();
    const [call] = w.sim.callsOf('RestoreDBInstanceToPointInTime');
    expect(call?.input).toMatchObject({
      SourceDBInstanceIdentifier: sourceName,
      TargetDBInstanceIdentifier: strategy === 'swap' ? 'db1-restoring' : 'db1',
      DBParameterGroupName: 'custom-pg',
    });
    expect(call?.input.UseLatestRestorableTime).toBeUndefined();
    // The data is the original's, as of the asked time — even after rename-first renamed it away.
    expect(w.sim.pointInTimeRestores).toEqual([
      { kind: 'instance', identifier: call?.input.TargetDBInstanceIdentifier, sourceResourceId: original, restoredTo: new Date(time) },
    ]);
    expect(w.sim.instance('db1')).toMatchObject({ DBInstanceClass: 'db.r6g.large', MultiAZ: true, DeletionProtection: true });
    expect(w.sim.instance('db1')?.DbiResourceId).not.toBe(original);
  });

  it.each(['rename-first', 'swap'] as const)(
    'an Aurora cluster at its latest restorable time, members recreated (%s)',
    async (strategy) => {
      const w = newWorld();
      seedSampleCluster(w.sim);
      age(w);
      const original = w.sim.cluster('c1')?.DbClusterResourceId;
      const result = await run(w, { identifier: 'c1', kind: 'aurora-cluster', latestRestorable: true, strategy });
      expect(result.outcome.status).toBe('succeeded');
      const [call] = w.sim.callsOf('RestoreDBClusterToPointInTime');
      expect(call?.input).toMatchObject({
        SourceDBClusterIdentifier: strategy === 'rename-first' ? 'c1-temp' : 'c1',
        UseLatestRestorableTime: true,
        DBClusterParameterGroupName: 'custom-cpg',
      });
      expect(call?.input.RestoreType).toBeUndefined(); // full copy
      expect(w.sim.pointInTimeRestores[0]?.sourceResourceId).toBe(original);
      expect(
        w.sim
          .cluster('c1')
          ?.DBClusterMembers?.map((m) => m.DBInstanceIdentifier)
          .sort(),
      ).toEqual(['c1-a', 'c1-b', 'c1-c']);
    },
  );

  it('a point in time of another database (--from with --to-time)', async () => {
    const w = newWorld();
    seedStagingAndProd(w, '16.3');
    const time = new Date(w.time.now() - 2 * DAY).toISOString();
    const result = await run(w, { identifier: 'staging-db', from: 'prod-db', toTime: time });
    expect(result.outcome.status).toBe('succeeded');
    expect(w.sim.callsOf('RestoreDBInstanceToPointInTime')[0]?.input).toMatchObject({
      SourceDBInstanceIdentifier: 'prod-db',
      RestoreTime: new Date(time),
    });
    expect(w.sim.instance('staging-db')?.DBInstanceClass).toBe('db.r6g.large');
  });

  it('refuses a time in the future, before the window, or without automated backups: exit 3, not one mutating call', async () => {
    const w = newWorld();
    seedSampleInstance(w.sim);
    w.sim.seedInstance({ DBInstanceIdentifier: 'nobackups', BackupRetentionPeriod: 0 });
    age(w, 30);
    const failed = async (request: Partial<RestoreRequest> & { identifier: string }) => {
      const prepared = await prepare(w, request);
      await prepared.release();
      expect(prepared.ok).toBe(false);
      await expect(prepared.start()).rejects.toBeInstanceOf(PreconditionError);
      return prepared.summary.error?.message ?? '';
    };
    const now = w.time.now();
    expect(await failed({ identifier: 'db1', toTime: new Date(now + 3600_000).toISOString() })).toMatch(/is in the future/);
    // db1 keeps 14 days of backups: 20 days ago is before its window.
    expect(await failed({ identifier: 'db1', toTime: new Date(now - 20 * DAY).toISOString() })).toMatch(
      /is before db1's restorable window 2025-12-18T00:00:\S+ – 2025-12-31T23:55:\S+\./,
    );
    // Within RDS's five minutes: not restorable yet.
    expect(await failed({ identifier: 'db1', toTime: new Date(now - 60_000).toISOString() })).toMatch(/after db1's latest restorable time/);
    expect(await failed({ identifier: 'nobackups', latestRestorable: true })).toMatch(/automated backups are off/);
    expect(mutating(w)).toEqual([]);
  });

  it('refuses flags that do not go together before any AWS call (exit 2)', async () => {
    const w = newWorld();
    seedSampleInstance(w.sim);
    const refused = (request: Partial<RestoreRequest> & { identifier: string }) => prepare(w, request);
    await expect(refused({ identifier: 'db1', toTime: '2025-12-31T12:00:00Z', snapshot: 's1' })).rejects.toThrow(UsageError);
    await expect(refused({ identifier: 'db1', latestRestorable: true, freshSnapshot: true })).rejects.toThrow(
      /restores a point in time, not a snapshot/,
    );
    await expect(refused({ identifier: 'db1', toTime: '2025-12-31T12:00:00Z', latestRestorable: true })).rejects.toThrow(UsageError);
    await expect(refused({ identifier: 'db1', toTime: '2025-12-31 12:00' })).rejects.toThrow(/not an ISO 8601 time with a UTC offset/);
    await expect(refused({ identifier: 'db1', from: 'DB1' })).rejects.toThrow(/names the database being restored/);
    await expect(refused({ identifier: 'db1', from: 'prod-db', freshSnapshot: true })).rejects.toThrow(UsageError);
    await expect(refused({ identifier: 'db1', latestRestorable: true, export: {} })).rejects.toThrow(/a point-in-time restore has none/);
    expect(w.sim.calls).toEqual([]);
  });

  it('survives a lost answer on the point-in-time restore: one copy, found and awaited', async () => {
    const w = newWorld();
    seedSampleInstance(w.sim);
    age(w);
    w.sim.faults.loseAnswer('RestoreDBInstanceToPointInTime', 1);
    const result = await run(w, { identifier: 'db1', latestRestorable: true, strategy: 'rename-first' });
    expect(result.outcome.status).toBe('succeeded');
    // The SDK's own retry meets DBInstanceAlreadyExists; the step re-checks and waits for the one copy.
    expect(w.sim.callsOf('RestoreDBInstanceToPointInTime').map((c) => c.outcome)).toEqual(['answer-lost', 'DBInstanceAlreadyExists']);
    await w.time.advance(3600 * 1000);
    expect(w.sim.store.instances.filter((r) => !r.gone).map((r) => r.db.DBInstanceIdentifier)).toEqual(['db1']);
  });

  it('a failed point-in-time restore under rename-first puts the original back under its name', async () => {
    const w = newWorld();
    seedSampleInstance(w.sim);
    age(w);
    const original = w.sim.instance('db1')?.DbiResourceId;
    w.sim.failRestoresWith('incompatible-restore');
    const result = await run(w, { identifier: 'db1', latestRestorable: true, strategy: 'rename-first' });
    expect(result.outcome.status).toBe('rolled_back');
    expect(w.sim.instance('db1')?.DbiResourceId).toBe(original);
    expect(w.sim.instance('db1-temp')).toBeUndefined();
  });
});

describe('a point-in-time restore is journaled and resumable', () => {
  /** db1 (three days old) and a rename-first restore of it as of a day ago, crashing after journal write `crashAfter`. */
  async function crashing(crashAfter: number | undefined, failRestores = false) {
    const w = newWorld();
    seedSampleInstance(w.sim);
    age(w);
    if (failRestores) w.sim.failRestoresWith('incompatible-restore');
    const original = w.sim.instance('db1')?.DbiResourceId;
    const time = new Date(w.time.now() - DAY).toISOString();
    const prepared = await prepare(w, { identifier: 'db1', toTime: time, strategy: 'rename-first' });
    w.journal.crashAfterWrites = crashAfter;
    const started = w.time.run(prepared.start());
    return { w, original, time, started };
  }

  it('resumes after a crash at every journal write: one point-in-time restore, of the original, as of the journaled time', async () => {
    const probe = await crashing(undefined);
    expect((await probe.started).outcome.status).toBe('succeeded');
    const total = probe.w.journal.writes;
    probe.w.stop();
    for (let n = 1; n < total; n += 1) {
      const { w, original, time, started } = await crashing(n);
      await expect(started, `crash after write ${n}`).rejects.toBeInstanceOf(SimulatedCrash);
      w.journal.crashAfterWrites = undefined;
      await w.time.advance(3600_000);
      const resumed = await w.time.run(resumeRun(w.deps));
      expect(resumed.outcome.status, `crash after write ${n}`).toBe('succeeded');
      expect(resumed.summary.situation?.[0], `crash after write ${n}`).toBe(
        `db1 is restored from db1 as of ${time} and available, under its original identifier.`,
      );
      expect(
        w.sim.callsOf('RestoreDBInstanceToPointInTime').filter((c) => c.outcome === 'ok'),
        `crash after write ${n}`,
      ).toHaveLength(1);
      expect(w.sim.pointInTimeRestores, `crash after write ${n}`).toEqual([
        { kind: 'instance', identifier: 'db1', sourceResourceId: original, restoredTo: new Date(time) },
      ]);
      await w.time.advance(3600_000);
      expect(
        w.sim.store.instances.filter((r) => !r.gone).map((r) => r.db.DBInstanceIdentifier),
        `crash after write ${n}`,
      ).toEqual(['db1']);
      w.stop();
    }
  }, 180_000);

  it('resumes a revert after a crash at every journal write: the original back under its name', async () => {
    const probe = await crashing(undefined, true);
    expect((await probe.started).outcome.status).toBe('rolled_back');
    const total = probe.w.journal.writes;
    probe.w.stop();
    for (let n = 1; n < total; n += 1) {
      const { w, original, started } = await crashing(n, true);
      await expect(started, `crash after write ${n}`).rejects.toBeInstanceOf(SimulatedCrash);
      w.journal.crashAfterWrites = undefined;
      await w.time.advance(3600_000);
      expect((await w.time.run(resumeRun(w.deps))).outcome.status, `crash after write ${n}`).toBe('rolled_back');
      expect(w.sim.instance('db1')?.DbiResourceId, `crash after write ${n}`).toBe(original);
      expect(w.sim.instance('db1-temp'), `crash after write ${n}`).toBeUndefined();
      w.stop();
    }
  }, 180_000);

  it('alerts say where the data came from', async () => {
    const w = newWorld();
    seedStagingAndProd(w, '16.3');
    const result = await run(w, { identifier: 'staging-db', from: 'prod-db', latestRestorable: true });
    const facts = Object.fromEntries(alertFacts(alertFor(result.summary, { host: 'h' })));
    expect(facts['Data from']).toBe('prod-db at its latest restorable time');
    expect(facts.Snapshot).toBeUndefined();
  });
});

describe('snapshot-only --share-with: the other side of a cross-account restore', () => {
  const dbSnapshots = (w: SimWorld) => w.sim.callsOf('ModifyDBSnapshotAttribute').map((c) => c.input);

  it('shares the new snapshot with each account once (the restore attribute), after it is available', async () => {
    const w = newWorld();
    seedSampleInstance(w.sim);
    const result = await w.time.run(
      runSnapshotOnly(w.deps, { identifier: 'db1', kind: 'instance', shareWith: ['111122223333', '444455556666', '111122223333'] }),
    );
    expect(result.outcome.status).toBe('succeeded');
    const snapshot = result.summary.snapshotIdentifier;
    expect(dbSnapshots(w)).toEqual([
      { DBSnapshotIdentifier: snapshot, AttributeName: 'restore', ValuesToAdd: ['111122223333', '444455556666'] },
    ]);
    // Shared once available (a snapshot still being created is not shared).
    const create = w.sim.callsOf('CreateDBSnapshot')[0]?.at.getTime() ?? 0;
    expect(w.sim.callsOf('ModifyDBSnapshotAttribute')[0]?.at.getTime()).toBeGreaterThanOrEqual(
      create + FAST_TIMINGS.snapshotCreating * 1000,
    );
    // Run again (a resumed run): the accounts are there, nothing is added.
    const io = {
      signal: new AbortController().signal,
      status: () => undefined,
      notice: () => Promise.resolve(),
      checkpoint: () => Promise.resolve(),
    };
    const step = shareSnapshotStep(() => ({
      snapshots: snapshotOps(w.gateway, 'instance'),
      snapshotIdentifier: snapshot ?? '',
      shareWith: ['111122223333'],
    }));
    await w.time.run(step.run(undefined, io));
    expect(w.sim.callsOf('ModifyDBSnapshotAttribute')).toHaveLength(1);
    expect(await w.time.run(w.gateway.snapshotSharedWith('instance', snapshot ?? ''))).toEqual(['111122223333', '444455556666']);
    expect(result.summary.steps.map((s) => s.id)).toEqual(['create-snapshot', 'share-snapshot', 'prune-snapshots']);
  });

  it('a cluster snapshot too', async () => {
    const w = newWorld();
    seedSampleCluster(w.sim);
    const result = await w.time.run(runSnapshotOnly(w.deps, { identifier: 'c1', kind: 'aurora-cluster', shareWith: ['111122223333'] }));
    expect(result.outcome.status).toBe('succeeded');
    expect(w.sim.callsOf('ModifyDBClusterSnapshotAttribute').map((c) => c.input.ValuesToAdd)).toEqual([['111122223333']]);
  });

  it('refuses what is not an account id before any AWS call (exit 2)', async () => {
    const w = newWorld();
    seedSampleInstance(w.sim);
    await expect(w.time.run(runSnapshotOnly(w.deps, { identifier: 'db1', kind: 'instance', shareWith: ['all'] }))).rejects.toThrow(
      /--share-with takes AWS account ids \(12 digits\): all is not one/,
    );
    expect(w.sim.calls).toEqual([]);
  });
});

describe('the journaled source', () => {
  it('a plan journaled before sources existed restores its snapshot', () => {
    const old = restorePlanSchema.parse({
      identifier: 'db1',
      retiredIdentifier: 'db1-temp',
      snapshotIdentifier: 's1',
      snapshotSource: 'named',
      retain: 3,
    });
    expect(restoreSourceOf(old)).toEqual({ kind: 'snapshot', snapshotIdentifier: 's1' });
  });

  it('refuses a point-in-time source with both a time and latest, and a time without an offset', () => {
    const base = { identifier: 'db1', retiredIdentifier: 'db1-temp', snapshotSource: 'point-in-time', retain: 3 };
    const both = restorePlanSchema.parse({
      ...base,
      source: {
        kind: 'point-in-time',
        sourceIdentifier: 'db1',
        sourceResourceId: 'db-1',
        restoreTime: '2025-12-31T00:00:00Z',
        latest: true,
      },
    });
    expect(() => restoreSourceOf(both)).toThrow(/either a restore time or the latest/);
    expect(
      restorePlanSchema.safeParse({
        ...base,
        source: { kind: 'point-in-time', sourceIdentifier: 'db1', sourceResourceId: 'db-1', restoreTime: '2025-12-31 00:00' },
      }).success,
    ).toBe(false);
  });
});
