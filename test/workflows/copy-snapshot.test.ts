import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { resumeRun } from '../../src/workflows/run/resume-run.js';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import type { RestoreRequest } from '../../src/workflows/service.js';
import { SimulatedCrash } from '../fakes/memory-journal.js';
import { foreignArn } from '../sim/sim-copies.js';
import { FAST_TIMINGS } from '../sim/sim-timings.js';
import { seedSampleCluster, seedSampleInstance, simWorld, type SimWorld } from '../sim/sim-world.js';
import { vitestTimers } from '../sim/virtual-time.js';

// The receiving side of a snapshot shared from another account: copied into this account and
// region (tagged as trapheus's), then restored — through the production gateway on the simulated RDS.

const OTHER_ACCOUNT = '210987654321';
const SHARED = foreignArn('us-east-1', OTHER_ACCOUNT, 'snapshot', 'prod-weekly');
const SHARED_CLUSTER = foreignArn('us-east-1', OTHER_ACCOUNT, 'cluster-snapshot', 'prod-c-weekly');
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

let world: SimWorld | undefined;
afterEach(() => world?.stop());

/** db1 (the sample instance) and a snapshot of prod-db in another account, shared with this one. */
function newWorld(options: { encrypted?: boolean; key?: boolean } = {}): SimWorld {
  world = simWorld({ timers: vitestTimers(vi), timings: FAST_TIMINGS, config: options.key ? { restore: { copyKmsKeyId: KEY } } : {} });
  seedSampleInstance(world.sim);
  const db1 = world.sim.instance('db1');
  world.sim.seedSharedSnapshot(SHARED, {
    DBInstanceIdentifier: 'prod-db',
    Engine: db1?.Engine,
    EngineVersion: db1?.EngineVersion,
    Encrypted: options.encrypted ?? false,
    ...(options.encrypted ? { KmsKeyId: `arn:aws:kms:us-east-1:${OTHER_ACCOUNT}:key/other` } : {}),
  });
  return world;
}

async function prepare(w: SimWorld, request: Partial<RestoreRequest> = {}) {
  return w.time.run(prepareRestore(w.deps, { kind: 'instance', identifier: 'db1', freshSnapshot: false, snapshot: SHARED, ...request }));
}

const copies = (w: SimWorld) => w.sim.store.snapshots.filter((r) => !r.gone && r.snap.SourceDBSnapshotIdentifier === SHARED);
const tagsOf = (w: SimWorld): Record<string, string | undefined> =>
  Object.fromEntries((copies(w)[0]?.snap.TagList ?? []).map((t): [string, string | undefined] => [t.Key ?? '', t.Value]));

describe('restore --snapshot <ARN shared by another account>', () => {
  it.each(['swap', 'rename-first'] as const)(
    'copies it into this account, tagged as trapheus’s, then restores the copy (%s)',
    async (strategy) => {
      const w = newWorld({ encrypted: true, key: true });
      const prepared = await prepare(w, { strategy });
      expect(prepared.summary.preflight?.filter((c) => !c.ok)).toEqual([]);
      expect(prepared.summary.preflight?.find((c) => c.name === 'KMS key for the copy')?.detail).toContain(KEY);
      // Nothing is copied before the run starts.
      expect(w.sim.mutatingCalls()).toEqual([]);
      const { outcome } = await w.time.run(prepared.start());
      expect(outcome.status).toBe('succeeded');

      const [request] = w.sim.shared.copyRequests;
      expect(w.sim.shared.copyRequests).toHaveLength(1);
      expect(request).toMatchObject({ SourceDBSnapshotIdentifier: SHARED, KmsKeyId: KEY });
      expect(copies(w)).toHaveLength(1);
      const copy = copies(w)[0]?.snap;
      expect(copy?.DBSnapshotIdentifier).toMatch(/^db1-copy-\d{8}-\d{6}$/);
      expect(tagsOf(w)).toEqual({ 'trapheus:managed': 'true', 'trapheus:source': 'prod-db', 'trapheus:run': expect.any(String) as string });
      // The restore used the copy: the calls name it, never the other account's ARN.
      const restores = w.sim.callsOf('RestoreDBInstanceFromDBSnapshot').filter((c) => c.outcome === 'ok');
      expect(restores.map((c) => (c.input as { DBSnapshotIdentifier?: string }).DBSnapshotIdentifier)).toEqual([
        copy?.DBSnapshotIdentifier,
      ]);
      // The copy step comes before anything is renamed.
      const commands = w.sim.mutatingCalls().map((c) => c.command);
      expect(commands.indexOf('CopyDBSnapshot')).toBeLessThan(commands.indexOf('ModifyDBInstance'));
      expect(w.sim.instance('db1')?.DBInstanceStatus).toBe('available');
    },
  );

  it('the copy is left to the retention: older trapheus copies of the same source beyond snapshots.retain are deleted, others kept', async () => {
    world = simWorld({ timers: vitestTimers(vi), timings: FAST_TIMINGS, config: { snapshots: { retain: 1 } } });
    const w = world;
    seedSampleInstance(w.sim);
    const db1 = w.sim.instance('db1');
    w.sim.seedSharedSnapshot(SHARED, { DBInstanceIdentifier: 'prod-db', Engine: db1?.Engine, EngineVersion: db1?.EngineVersion });
    const managed = (run: string) => [
      { Key: 'trapheus:managed', Value: 'true' },
      { Key: 'trapheus:source', Value: 'prod-db' },
      { Key: 'trapheus:run', Value: run },
    ];
    const old = new Date(w.time.now() - 86_400_000);
    w.sim.seedSnapshot({
      DBSnapshotIdentifier: 'db1-copy-old',
      DBInstanceIdentifier: 'prod-db',
      TagList: managed('r0'),
      SnapshotCreateTime: old,
    });
    w.sim.seedSnapshot({ DBSnapshotIdentifier: 'someone-elses', DBInstanceIdentifier: 'prod-db', SnapshotCreateTime: old });
    const { outcome } = await w.time.run((await prepare(w)).start());
    expect(outcome.status).toBe('succeeded');
    const left = w.sim.store.snapshots.filter((r) => !r.gone).map((r) => r.snap.DBSnapshotIdentifier);
    expect(left).not.toContain('db1-copy-old');
    expect(left).toContain('someone-elses');
    expect(copies(w)).toHaveLength(1);
  });

  it('an unencrypted shared snapshot needs no key', async () => {
    const w = newWorld();
    const { outcome } = await w.time.run((await prepare(w)).start());
    expect(outcome.status).toBe('succeeded');
    expect(w.sim.shared.copyRequests[0]?.KmsKeyId).toBeUndefined();
  });

  it('refuses an encrypted shared snapshot without restore.copyKmsKeyId, with no mutating call', async () => {
    const w = newWorld({ encrypted: true });
    const prepared = await prepare(w);
    expect(prepared.ok).toBe(false);
    const failed = prepared.summary.preflight?.filter((c) => !c.ok) ?? [];
    expect(failed.map((c) => c.name)).toEqual(['KMS key for the copy']);
    expect(failed[0]?.detail).toContain('restore.copyKmsKeyId');
    expect(w.sim.mutatingCalls()).toEqual([]);
  });

  it('refuses a snapshot that is not shared with this account, with no mutating call', async () => {
    const w = newWorld();
    const prepared = await prepare(w, { snapshot: foreignArn('us-east-1', OTHER_ACCOUNT, 'snapshot', 'not-shared') });
    expect(prepared.ok).toBe(false);
    expect(prepared.summary.preflight?.find((c) => !c.ok)?.detail).toContain('not visible to this account');
    expect(w.sim.mutatingCalls()).toEqual([]);
  });

  it('with --from, refuses a shared snapshot of another database', async () => {
    const w = newWorld();
    w.sim.seedInstance({ DBInstanceIdentifier: 'staging-db' });
    const prepared = await prepare(w, { from: 'staging-db' });
    expect(prepared.summary.preflight?.find((c) => !c.ok)?.detail).toContain('was taken of prod-db, not of staging-db (--from)');
    expect(w.sim.mutatingCalls()).toEqual([]);
  });

  it('refuses a snapshot of another major version', async () => {
    const w = newWorld();
    w.sim.seedSharedSnapshot(foreignArn('us-east-1', OTHER_ACCOUNT, 'snapshot', 'old'), {
      DBInstanceIdentifier: 'prod-db',
      Engine: w.sim.instance('db1')?.Engine,
      EngineVersion: '12.19',
    });
    const prepared = await prepare(w, { snapshot: foreignArn('us-east-1', OTHER_ACCOUNT, 'snapshot', 'old') });
    expect(prepared.summary.preflight?.find((c) => !c.ok)?.detail).toContain('another major version');
    expect(w.sim.mutatingCalls()).toEqual([]);
  });

  it('--dry-run lists the copy step right after the capture, and the pruning of older copies', async () => {
    const w = newWorld();
    const prepared = await prepare(w);
    const steps = prepared.summary.steps.map((s) => s.id);
    expect(steps.slice(0, 2)).toEqual(['capture-original', 'copy-snapshot']);
    expect(steps).toContain('prune-snapshots');
    expect(w.sim.mutatingCalls()).toEqual([]);
    await prepared.release();
  });

  it('--source-region without --snapshot, or with --from, is a usage error before any AWS call', async () => {
    const w = newWorld();
    await expect(prepare(w, { snapshot: undefined, sourceRegion: 'eu-west-1' })).rejects.toBeInstanceOf(UsageError);
    await expect(prepare(w, { sourceRegion: 'eu-west-1', from: 'prod-db' })).rejects.toBeInstanceOf(UsageError);
    await expect(prepare(w, { sourceRegion: 'not a region' })).rejects.toBeInstanceOf(UsageError);
    expect(w.sim.calls).toEqual([]);
  });
});

describe('restore --cluster --snapshot <cluster snapshot ARN shared by another account>', () => {
  it('copies the (encrypted) cluster snapshot with the configured key, then restores the cluster from the copy', async () => {
    world = simWorld({ timers: vitestTimers(vi), timings: FAST_TIMINGS, config: { restore: { copyKmsKeyId: KEY } } });
    const w = world;
    seedSampleCluster(w.sim);
    const c1 = w.sim.cluster('c1');
    w.sim.seedSharedClusterSnapshot(SHARED_CLUSTER, {
      DBClusterIdentifier: 'prod-c',
      Engine: c1?.Engine,
      EngineVersion: c1?.EngineVersion,
    });
    const prepared = await w.time.run(
      prepareRestore(w.deps, { kind: 'aurora-cluster', identifier: 'c1', freshSnapshot: false, snapshot: SHARED_CLUSTER }),
    );
    expect(prepared.summary.preflight?.filter((c) => !c.ok)).toEqual([]);
    const { outcome } = await w.time.run(prepared.start());
    expect(outcome.status).toBe('succeeded');
    expect(w.sim.shared.copyRequests).toMatchObject([{ SourceDBClusterSnapshotIdentifier: SHARED_CLUSTER, KmsKeyId: KEY }]);
    const copy = w.sim.store.clusterSnapshots.find((r) => !r.gone && r.snap.SourceDBClusterSnapshotArn === SHARED_CLUSTER);
    const restored = w.sim.callsOf('RestoreDBClusterFromSnapshot').filter((c) => c.outcome === 'ok');
    expect(restored.map((c) => (c.input as { SnapshotIdentifier?: string }).SnapshotIdentifier)).toEqual([
      copy?.snap.DBClusterSnapshotIdentifier,
    ]);
  });
});

describe('CopyDBSnapshot of another region', () => {
  it('the SDK adds the PreSignedUrl RDS needs, signed for the source region, from the region in the ARN', async () => {
    const w = newWorld();
    const arn = foreignArn('us-west-2', '123456789012', 'snapshot', 'west-weekly');
    w.sim.seedSharedSnapshot(arn, { DBInstanceIdentifier: 'west-db' });
    await w.time.run(w.gateway.copySnapshot({ kind: 'instance', sourceArn: arn, targetIdentifier: 'db1-copy-west', tags: [] }));
    const url = new URL(String(w.sim.shared.copyRequests[0]?.PreSignedUrl));
    expect(url.hostname).toBe('rds.us-west-2.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('CopyDBSnapshot');
    expect(url.searchParams.get('DestinationRegion')).toBe('us-east-1');
    expect(url.searchParams.get('SourceDBSnapshotIdentifier')).toBe(arn);
  });
});

describe('the copy is journaled and resumable', () => {
  async function crashing(crashAfter: number | undefined) {
    const w = newWorld({ encrypted: true, key: true });
    const prepared = await prepare(w, { strategy: 'rename-first' });
    w.journal.crashAfterWrites = crashAfter;
    return { w, started: w.time.run(prepared.start()) };
  }

  it('resumes after a crash at every journal write: exactly one copy, and the restore from it', async () => {
    const probe = await crashing(undefined);
    expect((await probe.started).outcome.status).toBe('succeeded');
    const total = probe.w.journal.writes;
    probe.w.stop();
    for (let n = 1; n < total; n += 1) {
      const { w, started } = await crashing(n);
      await expect(started, `crash after write ${n}`).rejects.toBeInstanceOf(SimulatedCrash);
      w.journal.crashAfterWrites = undefined;
      await w.time.advance(3600_000);
      const resumed = await w.time.run(resumeRun(w.deps));
      expect(resumed.outcome.status, `crash after write ${n}`).toBe('succeeded');
      expect(
        w.sim.callsOf('CopyDBSnapshot').filter((c) => c.outcome === 'ok'),
        `crash after write ${n}`,
      ).toHaveLength(1);
      expect(copies(w), `crash after write ${n}`).toHaveLength(1);
      const restores = w.sim.callsOf('RestoreDBInstanceFromDBSnapshot').filter((c) => c.outcome === 'ok');
      expect(
        restores.map((c) => (c.input as { DBSnapshotIdentifier?: string }).DBSnapshotIdentifier),
        `crash after write ${n}`,
      ).toEqual([copies(w)[0]?.snap.DBSnapshotIdentifier]);
      w.stop();
    }
  }, 180_000);
});
