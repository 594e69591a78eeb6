import { describe, expect, it } from 'vitest';
import { RetryableStateError, StepError } from '../../src/core/errors.js';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { C1_SETTINGS, clusterWorld } from './cluster-world.js';

type World = ReturnType<typeof clusterWorld>;
const swapWorld = () => clusterWorld({ restore: { strategy: 'swap' } });
const MEMBERS = ['c1-a', 'c1-b', 'c1-c'];

async function start(world: World) {
  const prepared = await prepareRestore(world.deps, { identifier: 'c1', kind: 'aurora-cluster', snapshot: 'cs1', freshSnapshot: false });
  expect(prepared.ok, JSON.stringify(prepared.summary.preflight)).toBe(true);
  return prepared.start();
}

async function ids(world: World) {
  return {
    cluster: (await world.rds.describeCluster('c1'))?.resourceId,
    members: await Promise.all(MEMBERS.map(async (m) => (await world.rds.describeInstance(m))?.resourceId)),
  };
}

/** Only c1 and its three members, under their names, available, c1-a the writer. */
async function expectOnlyOriginalNames(world: World) {
  expect([...world.rds.clusters.keys()]).toEqual(['c1']);
  expect([...world.rds.instances.keys()].sort()).toEqual(MEMBERS);
  const cluster = await world.rds.describeCluster('c1');
  expect(cluster?.status).toBe('available');
  expect(cluster?.members.map((m) => m.instanceIdentifier).sort()).toEqual(MEMBERS);
  expect(cluster?.members.find((m) => m.isWriter)?.instanceIdentifier).toBe('c1-a');
  return cluster!;
}

describe('cluster restore, swap', () => {
  it('restores and verifies aside, then cuts over; settings, members and writer come back under the original names', async () => {
    const world = swapWorld();
    const before = await ids(world);
    const { outcome, summary } = await start(world);
    expect(outcome.status).toBe('succeeded');
    const cluster = await expectOnlyOriginalNames(world);
    expect(cluster.config).toMatchObject(C1_SETTINGS);
    const after = await ids(world);
    expect(after.cluster).not.toBe(before.cluster);
    expect(summary.configDifferences).toEqual([]);
    expect(summary.downtimeSeconds).toBeGreaterThan(0);
    expect(world.rds.calls.find((c) => c.verb === 'restoreCluster')?.args[0]).toMatchObject({ identifier: 'c1-restoring' });
    expect(
      world.rds.calls.filter((c) => c.verb === 'createClusterMember').map((c) => (c.args[0] as { identifier: string }).identifier),
    ).toEqual(['c1-a-restoring', 'c1-b-restoring', 'c1-c-restoring']);
  });

  it('does not rename any original before the replacement is verified, and has a far shorter downtime than rename-first', async () => {
    const world = swapWorld();
    const { summary } = await start(world);
    const doc = await world.journal.load(summary.runId!);
    const verifiedAt = Date.parse(doc.events.find((e) => e.type === 'step_succeeded' && e.stepId === 'verify')!.at);
    const firstRename = world.rds.calls.find((c) => c.verb === 'renameInstance' || c.verb === 'renameCluster');
    expect(firstRename!.at.getTime()).toBeGreaterThanOrEqual(verifiedAt);
    const renameFirst = await (async () => {
      const w = clusterWorld();
      const p = await prepareRestore(w.deps, { identifier: 'c1', kind: 'aurora-cluster', snapshot: 'cs1', freshSnapshot: false });
      return (await p.start()).summary;
    })();
    expect(renameFirst.downtimeSeconds).toBeGreaterThan(summary.downtimeSeconds! * 2);
  });

  it('a failure before the cut-over removes the copies and never touches the originals', async () => {
    const world = swapWorld();
    const before = await ids(world);
    world.rds.failNext('createClusterMember', new StepError('InsufficientDBInstanceCapacity'));
    const { outcome } = await start(world);
    expect(outcome.status).toBe('rolled_back');
    await expectOnlyOriginalNames(world);
    expect(await ids(world)).toEqual(before);
    expect(world.rds.calls.filter((c) => c.verb === 'renameInstance' || c.verb === 'renameCluster')).toEqual([]);
  });

  it('a failure during the cut-over puts the originals back and removes the copies', async () => {
    const world = swapWorld();
    const before = await ids(world);
    let clusterRenames = 0;
    world.rds.onCall('renameCluster', () => {
      clusterRenames += 1;
      // Armed by the original's rename: the copy taking the name c1 fails.
      if (clusterRenames === 1) world.rds.failNext('renameCluster', new StepError('InternalFailure'));
    });
    const { outcome, summary } = await start(world);
    expect(outcome).toMatchObject({ status: 'rolled_back', failure: { stepId: 'rename-restored-cluster' } });
    expect(summary.situation?.[0]).toBe('Cluster c1 and its members are back under their original names and available.');
    await expectOnlyOriginalNames(world);
    expect(await ids(world)).toEqual(before);
  });

  it('renames the members and the cluster side by side: the cluster is not waited on, nor the retired members', async () => {
    const world = swapWorld();
    const { outcome } = await start(world);
    expect(outcome.status).toBe('succeeded');
    const verbs = world.rds.calls.map((c) => c.verb);
    const firstClusterRename = verbs.indexOf('renameCluster');
    // The three original members' renames are requested before the cluster's, with nothing waited for between.
    expect(verbs.slice(verbs.indexOf('renameInstance'), firstClusterRename).filter((v) => v.startsWith('wait'))).toEqual([]);
    expect(verbs.slice(0, firstClusterRename).filter((v) => v === 'renameInstance')).toHaveLength(3);
    // Nothing waits for the retired side's renames to land: only the restored ones are awaited.
    const awaited = world.rds.calls
      .filter((c) => c.verb === 'waitInstancesRenamed' || c.verb === 'waitInstanceRenamed' || c.verb === 'waitClusterRenamed')
      .map((c) => JSON.stringify(c.args));
    expect(awaited.length).toBeGreaterThan(0);
    expect(awaited.filter((a) => a.includes('-temp'))).toEqual([]);
  });

  it("asks again, without failing the step, when RDS refuses the cluster's rename while its members rename", async () => {
    const world = swapWorld();
    world.rds.failNext('renameCluster', new RetryableStateError('InvalidDBClusterStateFault: members are being modified'));
    const { outcome, summary } = await start(world);
    expect(outcome.status).toBe('succeeded');
    const verbs = world.rds.calls.map((c) => c.verb);
    const refused = verbs.indexOf('renameCluster');
    const waited = verbs.indexOf('waitInstancesRenamed', refused);
    expect(waited).toBeGreaterThan(refused);
    expect(verbs.indexOf('renameCluster', refused + 1)).toBeGreaterThan(waited);
    const doc = await world.journal.load(summary.runId!);
    expect(doc.events.filter((e) => e.type === 'step_failed')).toEqual([]);
  });

  it("asks again, without failing the step, when RDS refuses a restored member's rename while the cluster renames", async () => {
    const world = swapWorld();
    let renames = 0;
    world.rds.onCall('renameInstance', () => {
      renames += 1;
      // The fake reads its fault before the hook: armed at the third, it refuses the fourth (the first restored member).
      if (renames === 3) world.rds.failNext('renameInstance', new RetryableStateError('InvalidDBInstanceState: cluster renaming'));
    });
    const { outcome, summary } = await start(world);
    expect(outcome.status).toBe('succeeded');
    const verbs = world.rds.calls.map((c) => c.verb);
    const renameIndexes = verbs.flatMap((v, i) => (v === 'renameInstance' ? [i] : []));
    const refused = renameIndexes[3] ?? -1;
    expect(verbs.indexOf('waitClusterRenamed', refused)).toBeGreaterThan(refused);
    await expectOnlyOriginalNames(world);
    const doc = await world.journal.load(summary.runId!);
    expect(doc.events.filter((e) => e.type === 'step_failed')).toEqual([]);
  });

  it('checks every temporary name of the swap in the preflight', async () => {
    const world = swapWorld();
    world.rds.addInstance({ identifier: 'c1-b-restoring' });
    const prepared = await prepareRestore(world.deps, { identifier: 'c1', kind: 'aurora-cluster', snapshot: 'cs1', freshSnapshot: false });
    expect(prepared.ok).toBe(false);
    expect(prepared.summary.error?.message).toMatch(/c1-b-restoring already exist/);
    await prepared.release();
  });

  it('--dry-run marks the cut-over renames as the steps that cause downtime', async () => {
    const prepared = await prepareRestore(swapWorld().deps, {
      identifier: 'c1',
      kind: 'aurora-cluster',
      snapshot: 'cs1',
      freshSnapshot: false,
    });
    expect(prepared.summary.steps.filter((s) => s.causesDowntime).map((s) => s.id)).toEqual([
      'rename-members',
      'rename-cluster',
      'rename-restored-cluster',
      'rename-restored-members',
    ]);
    await prepared.release();
  });
});
