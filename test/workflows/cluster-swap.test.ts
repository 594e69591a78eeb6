import { describe, expect, it } from 'vitest';
import { OutcomeUnknownError, RetryableStateError, StepError } from '../../src/core/errors.js';
import { resumeRun } from '../../src/workflows/run/resume-run.js';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { SimulatedCrash } from '../fakes/memory-journal.js';
import { C1_SETTINGS, clusterWorld } from './cluster-world.js';

type World = ReturnType<typeof clusterWorld>;
const swapWorld = () => clusterWorld({ restore: { strategy: 'swap' } });

/**
 * A run as a journal written before the writer-last cut-over reads: its plan has no
 * `failoverTarget`, so it cuts over with the renames alone (every member side by side).
 */
function oldJournalWorld(): World {
  const world = swapWorld();
  const save = world.journal.save.bind(world.journal);
  world.journal.save = async (doc) => {
    delete (doc.plan as { failoverTarget?: string }).failoverTarget;
    return save(doc);
  };
  return world;
}
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

  it('a journal without a failover target: renames the members and the cluster side by side: the cluster is not waited on, nor the retired members', async () => {
    const world = oldJournalWorld();
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

  it("a journal without a failover target: asks again, without failing the step, when RDS refuses the cluster's rename while its members rename", async () => {
    const world = oldJournalWorld();
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

  it("a journal without a failover target: asks again, without failing the step, when RDS refuses a restored member's rename while the cluster renames", async () => {
    const world = oldJournalWorld();
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

  it('--dry-run marks the cluster renames and the fail-back as the steps that cause downtime', async () => {
    const prepared = await prepareRestore(swapWorld().deps, {
      identifier: 'c1',
      kind: 'aurora-cluster',
      snapshot: 'cs1',
      freshSnapshot: false,
    });
    // Writer-last: the readers' renames and the first failover come before any outage, the writer's renames after it.
    expect(prepared.summary.steps.filter((s) => s.causesDowntime).map((s) => s.id)).toEqual([
      'rename-cluster',
      'rename-restored-cluster',
      'fail-back',
    ]);
    await prepared.release();
  });
});

describe('cluster restore, swap, writer-last cut-over (a cluster with readers)', () => {
  const failovers = (world: World) =>
    world.rds.calls.filter((c) => c.verb === 'failoverDbCluster').map((c) => (c.args as string[]).join(' → '));

  it('renames the readers and fails the copy over before the outage, the writer after it, then fails back to the original shape', async () => {
    const world = swapWorld();
    const { outcome, summary } = await start(world);
    expect(outcome.status).toBe('succeeded');
    await expectOnlyOriginalNames(world);
    // Both failovers touch the restored cluster only: aside (c1-restoring), then under its final name.
    expect(failovers(world)).toEqual(['c1-restoring → c1-b-restoring', 'c1 → c1-a']);
    const calls = world.rds.calls.map((c) => `${c.verb} ${String(c.args[0])}`);
    const at = (call: string) => calls.indexOf(call);
    const originalClusterRename = at('renameCluster c1');
    expect(originalClusterRename).toBeGreaterThan(0);
    // Before the outage: both readers renamed away, the copy failed over, the restored readers under their final names.
    for (const before of ['renameInstance c1-b', 'renameInstance c1-c', 'failoverDbCluster c1-restoring', 'renameInstance c1-b-restoring'])
      expect(at(before), before).toBeLessThan(originalClusterRename);
    // The writer's renames only after the clusters swapped names, the fail-back last of all.
    expect(at('renameInstance c1-a')).toBeGreaterThan(at('renameCluster c1-restoring'));
    expect(at('renameInstance c1-a-restoring')).toBeGreaterThan(at('renameInstance c1-a'));
    expect(at('failoverDbCluster c1')).toBeGreaterThan(at('renameInstance c1-a-restoring'));
    const doc = await world.journal.load(summary.runId!);
    const downtime = (doc.state as { downtime?: { startedAt: string; endedAt: string; failback?: { startedAt: string; endedAt: string } } })
      .downtime!;
    const seconds = (w: { startedAt: string; endedAt: string }) => (Date.parse(w.endedAt) - Date.parse(w.startedAt)) / 1000;
    // Two outages: the cluster renames, and the fail-back (a failover); the summary counts both.
    expect(seconds(downtime)).toBeGreaterThan(0);
    expect(seconds(downtime.failback!)).toBeGreaterThanOrEqual(60);
    expect(summary.downtimeSeconds).toBeCloseTo(seconds(downtime) + seconds(downtime.failback!), 1);
    // No instance rename is inside the first outage: it ends with the cluster's rename.
    expect(Date.parse(downtime.endedAt)).toBeLessThanOrEqual(
      world.rds.calls.find((c) => c.verb === 'renameInstance' && c.args[0] === 'c1-a')!.at.getTime(),
    );
  });

  it('a refused failover of the copy reverts: the readers come back, the copies go, the original is untouched', async () => {
    const world = swapWorld();
    const before = await ids(world);
    world.rds.failNext('failoverDbCluster', new StepError('InvalidParameterValue: Cannot find target instance'));
    const { outcome } = await start(world);
    expect(outcome).toMatchObject({ status: 'rolled_back', failure: { stepId: 'failover-restored' } });
    await expectOnlyOriginalNames(world);
    expect(await ids(world)).toEqual(before);
    expect(world.rds.calls.filter((c) => c.verb === 'renameCluster')).toEqual([]);
  });

  it('a failure after the cut-over (the fail-back refused) reverts: the original back under its names, writer c1-a, the copies deleted', async () => {
    const world = swapWorld();
    const before = await ids(world);
    let seen = 0;
    world.rds.onCall('failoverDbCluster', () => {
      seen += 1;
      // Armed by the copy's failover: the fail-back is refused.
      if (seen === 1) world.rds.failNext('failoverDbCluster', new StepError('InvalidParameterValue: refused (simulated)'));
    });
    const { outcome, summary } = await start(world);
    expect(outcome).toMatchObject({ status: 'rolled_back', failure: { stepId: 'fail-back' } });
    expect(summary.situation?.[0]).toBe('Cluster c1 and its members are back under their original names and available.');
    await expectOnlyOriginalNames(world);
    expect(await ids(world)).toEqual(before);
    // Never a failover of the original cluster, never a delete of it or its members.
    expect(failovers(world)).toEqual(['c1-restoring → c1-b-restoring', 'c1 → c1-a']);
    const deleted = world.rds.calls.filter((c) => c.verb === 'deleteInstance' || c.verb === 'deleteCluster').map((c) => String(c.args[0]));
    expect(deleted.sort()).toEqual(['c1-a-restoring', 'c1-b-restoring', 'c1-c-restoring', 'c1-restoring']);
  });

  it('a failover whose answer was lost is re-checked, not sent again: the step waits for the one under way', async () => {
    const world = swapWorld();
    world.rds.actThenFail('failoverDbCluster', new OutcomeUnknownError('socket hang up'));
    const { outcome } = await start(world);
    expect(outcome.status).toBe('succeeded');
    expect(failovers(world)).toEqual(['c1-restoring → c1-b-restoring', 'c1 → c1-a']);
    await expectOnlyOriginalNames(world);
  });

  it('a journal without a failover target resumes, after a crash at every journal write, with the renames alone', async () => {
    const probe = oldJournalWorld();
    await start(probe);
    for (let n = 1; n < probe.journal.writes; n += 1) {
      const world = oldJournalWorld();
      world.journal.crashAfterWrites = n;
      await expect(start(world), `crash after write ${n}`).rejects.toBeInstanceOf(SimulatedCrash);
      world.journal.crashAfterWrites = undefined;
      world.rds.settleAll();
      expect((await resumeRun(world.deps)).outcome.status, `crash after write ${n}`).toBe('succeeded');
      expect(failovers(world), `crash after write ${n}`).toEqual([]);
      await expectOnlyOriginalNames(world);
    }
  });

  it('a cluster without readers keeps the renames alone (no failover)', async () => {
    const world = swapWorld();
    for (const reader of ['c1-b', 'c1-c']) world.rds.instances.delete(reader);
    world.rds.endpoints.delete('c1-analytics');
    const { outcome } = await start(world);
    expect(outcome.status).toBe('succeeded');
    expect(failovers(world)).toEqual([]);
    expect((await world.rds.describeCluster('c1'))?.members.map((m) => `${m.instanceIdentifier} ${m.isWriter}`)).toEqual(['c1-a true']);
  });
});
