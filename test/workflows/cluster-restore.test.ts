import { describe, expect, it } from 'vitest';
import { StepError, UsageError } from '../../src/core/errors.js';
import { prepareRestore, resumeRun, runSnapshotOnly } from '../../src/workflows/run/start-run.js';
import { SimulatedCrash } from '../fakes/memory-journal.js';
import { C1_SETTINGS, clusterWorld } from './cluster-world.js';

type World = ReturnType<typeof clusterWorld>;

async function start(world: World, fresh = false) {
  const prepared = await prepareRestore(world.deps, {
    identifier: 'c1',
    kind: 'aurora-cluster',
    freshSnapshot: fresh,
    ...(fresh ? {} : { snapshot: 'cs1' }),
  });
  expect(prepared.ok, JSON.stringify(prepared.summary.preflight)).toBe(true);
  return prepared.start();
}

async function ids(world: World) {
  const cluster = await world.rds.describeCluster('c1');
  const members = await Promise.all(['c1-a', 'c1-b', 'c1-c'].map((m) => world.rds.describeInstance(m)));
  return { cluster: cluster?.resourceId, members: members.map((m) => m?.resourceId) };
}

/** Only the cluster and its three members, under their own names, all available. */
async function expectOnlyOriginalNames(world: World) {
  expect([...world.rds.clusters.keys()]).toEqual(['c1']);
  expect([...world.rds.instances.keys()].sort()).toEqual(['c1-a', 'c1-b', 'c1-c']);
  const cluster = await world.rds.describeCluster('c1');
  expect(cluster?.status).toBe('available');
  expect(cluster?.members.map((m) => m.instanceIdentifier).sort()).toEqual(['c1-a', 'c1-b', 'c1-c']);
  for (const m of ['c1-a', 'c1-b', 'c1-c']) expect((await world.rds.describeInstance(m))?.status).toBe('available');
  return cluster!;
}

describe('cluster restore, rename-first', () => {
  it('restores the cluster and its members in place, keeping settings and the writer', async () => {
    const world = clusterWorld();
    const before = await ids(world);
    const { outcome, summary } = await start(world);
    expect(outcome.status).toBe('succeeded');
    const cluster = await expectOnlyOriginalNames(world);
    const after = await ids(world);
    expect(after.cluster).not.toBe(before.cluster);
    after.members.forEach((id, i) => expect(id).not.toBe(before.members[i]));
    expect(cluster.config).toMatchObject(C1_SETTINGS);
    expect(cluster.members.find((m) => m.isWriter)?.instanceIdentifier).toBe('c1-a');
    expect((await world.rds.describeInstance('c1-c'))?.config.instanceClass).toBe('db.r6g.xlarge');
    expect((await world.rds.describeInstance('c1-a'))?.config.performanceInsightsEnabled).toBe(true);
    expect(summary.configDifferences).toEqual([]);
  });

  it('creates the writer first, then the readers together', async () => {
    const world = clusterWorld();
    await start(world);
    const creates = world.rds.calls.filter((c) => c.verb === 'createClusterMember');
    expect(creates.map((c) => (c.args[0] as { identifier: string }).identifier)).toEqual(['c1-a', 'c1-b', 'c1-c']);
    // The writer is available before any reader is created; the readers start at the same moment.
    expect(creates[1]!.at.getTime()).toBeGreaterThanOrEqual(creates[0]!.at.getTime() + world.rds.timings.createMember * 1000);
    expect(creates[2]!.at.getTime()).toBe(creates[1]!.at.getTime());
  });

  it('renames every member and the cluster once, never x-temp-temp, even when resumed after a crash', async () => {
    const world = clusterWorld();
    world.journal.crashAfterWrites = 6; // inside the member renames
    await expect(start(world)).rejects.toBeInstanceOf(SimulatedCrash);
    world.journal.crashAfterWrites = undefined;
    world.rds.settleAll();
    expect((await resumeRun(world.deps)).outcome.status).toBe('succeeded');
    const renames = world.rds.calls
      .filter((c) => c.verb === 'renameInstance' || c.verb === 'renameCluster')
      .map((c) => c.args[1] as string);
    expect(renames.every((to) => !to.includes('temp-temp'))).toBe(true);
    expect(new Set(renames).size).toBe(renames.length);
  });

  it('says which flag was meant, and refuses a global database member', async () => {
    const world = clusterWorld();
    world.rds.addInstance({ identifier: 'db1' });
    await expect(prepareRestore(world.deps, { identifier: 'db1', kind: 'aurora-cluster', freshSnapshot: false })).rejects.toThrow(
      UsageError,
    );
    await expect(runSnapshotOnly(world.deps, { identifier: 'db1', kind: 'aurora-cluster' })).rejects.toThrow(
      /Drop --cluster|DB instance, not an Aurora/,
    );
    world.rds.addCluster({ identifier: 'g1', globalClusterIdentifier: 'global-1' });
    world.rds.addClusterSnapshot({ identifier: 'gs1', sourceIdentifier: 'g1' });
    const prepared = await prepareRestore(world.deps, { identifier: 'g1', kind: 'aurora-cluster', freshSnapshot: false, snapshot: 'gs1' });
    expect(prepared.ok).toBe(false);
    expect(prepared.summary.error?.message).toMatch(/global database global-1/);
    await prepared.release();
    expect(world.rds.mutatingCalls()).toEqual([]);
  });

  it('refuses a cluster in a blue/green deployment, and warns when deployments cannot be listed', async () => {
    const world = clusterWorld();
    world.rds.blueGreen.set('arn:aws:rds:us-east-1:123456789012:cluster:c1', { identifier: 'bgd-123', status: 'AVAILABLE' });
    let prepared = await prepareRestore(world.deps, { identifier: 'c1', kind: 'aurora-cluster', freshSnapshot: false, snapshot: 'cs1' });
    expect(prepared.ok).toBe(false);
    expect(prepared.summary.error?.message).toMatch(/blue\/green deployment bgd-123 \(AVAILABLE\)/);
    await prepared.release();

    world.rds.blueGreen.clear();
    world.rds.failNext('describeBlueGreenDeployment', Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    prepared = await prepareRestore(world.deps, { identifier: 'c1', kind: 'aurora-cluster', freshSnapshot: false, snapshot: 'cs1' });
    expect(prepared.ok).toBe(true);
    expect(prepared.summary.warnings.join(' ')).toMatch(/Blue\/green deployments could not be listed \(AccessDenied\)/);
    await prepared.release();
    expect(world.rds.mutatingCalls()).toEqual([]);
  });

  it('fails the preflight when a temporary member name is taken, with zero mutating calls', async () => {
    const world = clusterWorld();
    world.rds.addInstance({ identifier: 'c1-b-temp' });
    const prepared = await prepareRestore(world.deps, { identifier: 'c1', kind: 'aurora-cluster', freshSnapshot: false, snapshot: 'cs1' });
    expect(prepared.ok).toBe(false);
    expect(prepared.summary.error?.message).toMatch(/c1-b-temp already exist/);
    await prepared.release();
    expect(world.rds.mutatingCalls()).toEqual([]);
  });

  it("keeps the retired cluster's automated backups (point-in-time history) unless configured otherwise", async () => {
    const world = clusterWorld();
    expect((await start(world)).outcome.status).toBe('succeeded');
    expect(world.rds.calls.find((c) => c.verb === 'deleteCluster')?.args).toEqual(['c1-temp', { keepAutomatedBackups: true }]);
    expect(world.rds.deletedAutomatedBackupsOf).toEqual([]);

    const dropping = clusterWorld({ restore: { keepAutomatedBackups: false } });
    expect((await start(dropping)).outcome.status).toBe('succeeded');
    expect(dropping.rds.deletedAutomatedBackupsOf).toEqual(['c1-temp']);
  });

  it('refuses a Multi-AZ DB cluster (RDS manages its members), with zero mutating calls', async () => {
    const world = clusterWorld();
    world.rds.addCluster({ identifier: 'maz1', engine: 'postgres', members: [{ identifier: 'maz1-a', isWriter: true }] });
    world.rds.addClusterSnapshot({ identifier: 'mazs1', sourceIdentifier: 'maz1', engine: 'postgres' });
    const prepared = await prepareRestore(world.deps, {
      identifier: 'maz1',
      kind: 'aurora-cluster',
      freshSnapshot: false,
      snapshot: 'mazs1',
    });
    expect(prepared.ok).toBe(false);
    expect(prepared.summary.error?.message).toMatch(/maz1 is a Multi-AZ DB cluster \(postgres\), not an Aurora cluster/);
    await prepared.release();
    expect(world.rds.mutatingCalls()).toEqual([]);
  });

  it('snapshot-only --cluster takes a tagged cluster snapshot', async () => {
    const world = clusterWorld();
    const { outcome, summary } = await runSnapshotOnly(world.deps, { identifier: 'c1', kind: 'aurora-cluster' });
    expect(outcome.status).toBe('succeeded');
    const snap = await world.rds.describeClusterSnapshot(summary.snapshotIdentifier!);
    expect(snap?.tags).toContainEqual({ key: 'trapheus:managed', value: 'true' });
  });

  it('restores with --fresh-snapshot from a new cluster snapshot', async () => {
    const world = clusterWorld();
    const { outcome, summary } = await start(world, true);
    expect(outcome.status).toBe('succeeded');
    expect(summary.snapshotIdentifier).toMatch(/^trapheus-c1-/);
    await expectOnlyOriginalNames(world);
  });
});

describe('cluster restore: revert on failure', () => {
  const branches: [string, (w: World) => void][] = [
    ['a member rename fails', (w) => w.rds.failNext('renameInstance', new StepError('AccessDenied'))],
    ['the cluster rename fails', (w) => w.rds.failNext('renameCluster', new StepError('AccessDenied'))],
    ['the cluster restore call fails', (w) => w.rds.failNext('restoreCluster', new StepError('InsufficientStorageClusterCapacity'))],
    ['the restored cluster ends in incompatible-restore', (w) => w.rds.setRestoreOutcome('incompatible-restore')],
    ['creating a member fails', (w) => w.rds.failNext('createClusterMember', new StepError('InsufficientDBInstanceCapacity'))],
    ['applying the cluster settings fails', (w) => w.rds.failNext('modifyCluster', new StepError('InvalidParameterValue'))],
  ];
  for (const [name, arrange] of branches) {
    it(`puts the cluster and its members back when ${name}`, async () => {
      const world = clusterWorld();
      const before = await ids(world);
      arrange(world);
      const { outcome, summary } = await start(world);
      expect(outcome.status).toBe('rolled_back');
      expect(summary.situation?.[0]).toBe('Cluster c1 and its members are back under their original names and available.');
      await expectOnlyOriginalNames(world);
      expect(await ids(world)).toEqual(before);
    });
  }

  it('exits failed listing what is where when the revert cannot finish; resume completes it', async () => {
    const world = clusterWorld();
    const before = await ids(world);
    world.rds.failNext('modifyCluster', new StepError('InvalidParameterValue'));
    world.rds.failNext('deleteCluster', new StepError('InternalFailure'));
    const { outcome, summary } = await start(world);
    expect(outcome).toMatchObject({ status: 'failed', compensationFailure: { stepId: 'restore-cluster' } });
    expect(summary.situation).toContain('c1: the restored cluster, available.');
    expect(summary.situation).toContain('c1-temp: the original cluster, available (renamed away).');
    expect((await resumeRun(world.deps, summary.runId!)).outcome.status).toBe('rolled_back');
    await expectOnlyOriginalNames(world);
    expect(await ids(world)).toEqual(before);
  });

  it('never touches the restored cluster when deleting the old copy fails; resume finishes', async () => {
    const world = clusterWorld();
    world.rds.failNext('deleteCluster', new StepError('InternalFailure'));
    const { outcome } = await start(world);
    expect(outcome.status).toBe('failed');
    const restored = await ids(world);
    expect((await resumeRun(world.deps)).outcome.status).toBe('succeeded');
    await expectOnlyOriginalNames(world);
    expect(await ids(world)).toEqual(restored);
  });
});
