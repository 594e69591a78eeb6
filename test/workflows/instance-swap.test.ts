import { describe, expect, it } from 'vitest';
import { StepError } from '../../src/core/errors.js';
import { prepareRestore, resumeRun } from '../../src/workflows/run/start-run.js';
import { DB1_SETTINGS, instanceWorld } from './instance-world.js';

type World = ReturnType<typeof instanceWorld>;
const swapWorld = () => instanceWorld({ restore: { strategy: 'swap' } });

async function start(world: World) {
  const prepared = await prepareRestore(world.deps, { identifier: 'db1', kind: 'instance', snapshot: 's1', freshSnapshot: false });
  expect(prepared.ok, JSON.stringify(prepared.summary.preflight)).toBe(true);
  return prepared.start();
}

const originalId = async (w: World) => (await w.rds.describeInstance('db1'))!.resourceId;

/** Only db1, available; nothing temporary left. */
async function expectOnlyDb1(world: World) {
  expect([...world.rds.instances.keys()]).toEqual(['db1']);
  const db1 = await world.rds.describeInstance('db1');
  expect(db1?.status).toBe('available');
  return db1!;
}

describe('instance restore, swap', () => {
  it('restores aside, verifies, then cuts over with two renames; the copy keeps the configuration', async () => {
    const world = swapWorld();
    const before = await originalId(world);
    const { outcome, summary } = await start(world);
    expect(outcome.status).toBe('succeeded');
    const db1 = await expectOnlyDb1(world);
    expect(db1.resourceId).not.toBe(before);
    expect(db1.config).toMatchObject(DB1_SETTINGS);
    expect(summary.steps.map((s) => s.id)).toEqual([
      'capture-original',
      'restore-snapshot',
      'apply-settings',
      'reboot-pending',
      'verify',
      'rename-original',
      'rename-restored',
      'unprotect-original',
      'delete-original',
    ]);
    expect(world.rds.calls.find((c) => c.verb === 'restoreInstance')?.args[0]).toMatchObject({ identifier: 'db1-restoring' });
  });

  it('never renames the original before the replacement is verified', async () => {
    const world = swapWorld();
    const { summary } = await start(world);
    const doc = await world.journal.load(summary.runId!);
    const verified = doc.events.findIndex((e) => e.type === 'step_succeeded' && e.stepId === 'verify');
    const firstRename = world.rds.calls.findIndex((c) => c.verb === 'renameInstance');
    const verifyAt = Date.parse(doc.events[verified]!.at);
    expect(world.rds.calls[firstRename]!.args).toEqual(['db1', 'db1-temp']);
    expect(world.rds.calls[firstRename]!.at.getTime()).toBeGreaterThanOrEqual(verifyAt);
  });

  it('measures a downtime of the rename window only, far shorter than rename-first', async () => {
    const swap = await start(swapWorld());
    const renameFirst = await start(instanceWorld());
    expect(swap.summary.downtimeSeconds).toBeGreaterThan(0);
    expect(renameFirst.summary.downtimeSeconds).toBeGreaterThan(swap.summary.downtimeSeconds! * 3);
    // The restore's own duration (600 s in the fake) is inside rename-first's window, not swap's.
    expect(renameFirst.summary.downtimeSeconds).toBeGreaterThan(600);
    expect(swap.summary.downtimeSeconds).toBeLessThan(600);
  });

  it('a failure before the cut-over deletes the copy and never touches the original', async () => {
    const world = swapWorld();
    const before = await originalId(world);
    world.rds.setRestoreOutcome('incompatible-parameters');
    const { outcome } = await start(world);
    expect(outcome.status).toBe('rolled_back');
    expect((await expectOnlyDb1(world)).resourceId).toBe(before);
    expect(world.rds.calls.filter((c) => c.verb === 'renameInstance' || (c.verb === 'modifyInstance' && c.args[0] === 'db1'))).toEqual([]);
  });

  it('a failure during the cut-over puts the original back under its name and removes the copy', async () => {
    const world = swapWorld();
    const before = await originalId(world);
    let renames = 0;
    world.rds.onCall('renameInstance', () => {
      renames += 1;
      // Armed by the first rename (the original moving away): the second one — the copy
      // taking the original's name — fails.
      if (renames === 1) world.rds.failNext('renameInstance', new StepError('InternalFailure'));
    });
    const { outcome, summary } = await start(world);
    expect(outcome).toMatchObject({ status: 'rolled_back', failure: { stepId: 'rename-restored' } });
    expect((await expectOnlyDb1(world)).resourceId).toBe(before);
    expect(summary.downtimeSeconds).toBeGreaterThan(0);
  });

  it("says where the copy is when a swap's revert cannot finish: under its restoring name, the original untouched", async () => {
    const world = swapWorld();
    const before = await originalId(world);
    world.rds.setRestoreOutcome('incompatible-parameters');
    world.rds.failNext('deleteInstance', new StepError('InternalFailure'));
    const { outcome, summary } = await start(world);
    expect(outcome.status).toBe('failed');
    expect(summary.situation).toEqual([
      'db1: the original instance, available.',
      'db1-restoring: the restored instance, incompatible-parameters.',
      `The revert did not finish. Run \`trapheus resume ${summary.runId}\` to continue it: it deletes the restored copy (db1-restoring, or under db1 if the cut-over had begun) and puts the original back under db1 if it was renamed.`,
    ]);
    expect((await resumeRun(world.deps, summary.runId!)).outcome.status).toBe('rolled_back');
    expect((await expectOnlyDb1(world)).resourceId).toBe(before);
  });

  it('--dry-run marks the steps that cause downtime', async () => {
    const world = swapWorld();
    const prepared = await prepareRestore(world.deps, { identifier: 'db1', kind: 'instance', snapshot: 's1', freshSnapshot: false });
    expect(prepared.summary.steps.filter((s) => s.causesDowntime).map((s) => s.id)).toEqual(['rename-original', 'rename-restored']);
    await prepared.release();
    const renameFirst = await prepareRestore(instanceWorld().deps, {
      identifier: 'db1',
      kind: 'instance',
      snapshot: 's1',
      freshSnapshot: false,
      strategy: 'rename-first',
    });
    expect(renameFirst.summary.steps.filter((s) => s.causesDowntime).map((s) => s.id)).toEqual(['rename-original']);
  });

  it('checks that the temporary copy name is free', async () => {
    const world = swapWorld();
    world.rds.addInstance({ identifier: 'db1-restoring' });
    const prepared = await prepareRestore(world.deps, { identifier: 'db1', kind: 'instance', snapshot: 's1', freshSnapshot: false });
    expect(prepared.ok).toBe(false);
    expect(prepared.summary.error?.message).toMatch(/db1-restoring already exists/);
    await prepared.release();
  });
});
