import { describe, expect, it } from 'vitest';
import { PreconditionError, RetryableStateError, StepError, WaiterTimeoutError } from '../../src/core/errors.js';
import { prepareRestore, resumeRun } from '../../src/workflows/run/start-run.js';
import { SimulatedCrash } from '../fakes/memory-journal.js';
import { instanceWorld } from './instance-world.js';

type World = ReturnType<typeof instanceWorld>;

async function start(world: World, freshSnapshot = false) {
  const prepared = await prepareRestore(world.deps, {
    identifier: 'db1',
    kind: 'instance',
    freshSnapshot,
    ...(freshSnapshot ? {} : { snapshot: 's1' }),
  });
  expect(prepared.ok, JSON.stringify(prepared.summary.preflight)).toBe(true);
  return prepared.start();
}

/** db1 is the very same original instance, available, and nothing else was left behind. */
async function expectOriginalBack(world: World, originalResourceId: string) {
  const db1 = await world.rds.describeInstance('db1');
  expect(db1?.resourceId).toBe(originalResourceId);
  expect(db1?.status).toBe('available');
  expect(await world.rds.describeInstance('db1-temp')).toBeUndefined();
  expect([...world.rds.instances.keys()]).toEqual(['db1']);
}

async function originalId(world: World) {
  return (await world.rds.describeInstance('db1'))!.resourceId;
}

describe('instance restore: revert on failure', () => {
  const branches: [string, (w: World) => void][] = [
    ['the rename call fails', (w) => w.rds.failNext('renameInstance', new StepError('AccessDenied'))],
    ['the restore call fails', (w) => w.rds.failNext('restoreInstance', new StepError('InsufficientDBInstanceCapacity'))],
    ['the restored instance ends in incompatible-parameters', (w) => w.rds.setRestoreOutcome('incompatible-parameters')],
    [
      'applying the remaining settings fails',
      (w) => w.rds.failNext('modifyInstance', new StepError('InvalidParameterValue: monitoring role')),
    ],
    [
      'the rename stays busy beyond every retry',
      (w) => w.rds.failNext('renameInstance', new RetryableStateError('InvalidDBInstanceState'), 100),
    ],
  ];
  for (const [name, arrange] of branches) {
    it(`puts the original back under its name when ${name}`, async () => {
      const world = instanceWorld();
      const before = await originalId(world);
      arrange(world);
      const { outcome, summary } = await start(world);
      expect(outcome.status).toBe('rolled_back');
      expect(summary.error?.step).toBeDefined();
      expect(summary.situation?.[0]).toBe('db1 is back under its original name and available.');
      await expectOriginalBack(world, before);
      // The original is never deleted, and the partly restored copy is deleted without a trace.
      for (const call of world.rds.calls.filter((c) => c.verb === 'deleteInstance')) expect(call.args[0]).toBe('db1');
    });
  }

  it('turns deletion protection off on the partly restored copy before deleting it, never on the original', async () => {
    const world = instanceWorld();
    const before = await originalId(world);
    world.rds.failNext('modifyInstance', new StepError('apply failed'));
    const { outcome } = await start(world);
    expect(outcome.status).toBe('rolled_back');
    const modifies = world.rds.calls.filter((c) => c.verb === 'modifyInstance').map((c) => c.args[0]);
    expect(modifies.every((id) => id === 'db1')).toBe(true);
    await expectOriginalBack(world, before);
    expect((await world.rds.describeInstance('db1'))?.config.deletionProtection).toBe(true);
  });

  it('waits for a requested rename to land before undoing it (the real rename gap)', async () => {
    const world = instanceWorld();
    const before = await originalId(world);
    // The rename is accepted but the wait for it fails at once: the revert meets the original
    // still under its old name with the rename pending.
    world.rds.failNext('waitInstanceDeleted', new WaiterTimeoutError('gave up')); // the wait for the name's release
    const { outcome } = await start(world);
    expect(outcome.status).toBe('rolled_back');
    const renames = world.rds.calls.filter((c) => c.verb === 'renameInstance').map((c) => c.args);
    expect(renames).toEqual([
      ['db1', 'db1-temp'],
      ['db1-temp', 'db1'],
    ]);
    await expectOriginalBack(world, before);
  });

  it('cannot delete a copy still being created after the maximum wait: exits failed, and resume finishes the revert later', async () => {
    const world = instanceWorld();
    const before = await originalId(world);
    world.rds.timings.restore = 10 * 3600;
    const { outcome, summary } = await start(world);
    expect(outcome).toMatchObject({
      status: 'failed',
      failure: { name: 'WaiterTimeoutError' },
      compensationFailure: { stepId: 'restore-snapshot' },
    });
    expect(summary.situation?.[0]).toBe('db1: the restored instance, creating.');
    world.rds.settleAll();
    expect((await resumeRun(world.deps)).outcome.status).toBe('rolled_back');
    await expectOriginalBack(world, before);
  });

  it('exits as failed, listing what is where, when the revert cannot finish; resume completes the revert', async () => {
    const world = instanceWorld();
    const before = await originalId(world);
    world.rds.setRestoreOutcome('incompatible-parameters');
    world.rds.failNext('deleteInstance', new StepError('InternalFailure'), 1);
    const { outcome, summary } = await start(world);
    expect(outcome.status).toBe('failed');
    expect(outcome.compensationFailure?.stepId).toBe('restore-snapshot');
    expect(summary.situation).toEqual([
      'db1: the restored instance, incompatible-parameters.',
      'db1-temp: the original instance, available (renamed away).',
      expect.stringContaining(`trapheus resume ${summary.runId}`),
    ]);

    const resumed = await resumeRun(world.deps, summary.runId!);
    expect(resumed.outcome.status).toBe('rolled_back');
    await expectOriginalBack(world, before);
    // Safe to call twice: a finished run is not run again.
    await expect(resumeRun(world.deps, summary.runId!)).rejects.toBeInstanceOf(PreconditionError);
  });

  it('never touches the restored instance when deleting the original fails; resume retries the delete', async () => {
    const world = instanceWorld();
    const before = await originalId(world);
    world.rds.failNext('deleteInstance', new StepError('InternalFailure'));
    const { outcome } = await start(world);
    expect(outcome.status).toBe('failed');
    expect(outcome.compensationFailure).toBeUndefined();
    const restored = await world.rds.describeInstance('db1');
    expect(restored?.resourceId).not.toBe(before);
    expect((await world.rds.describeInstance('db1-temp'))?.resourceId).toBe(before);

    const resumed = await resumeRun(world.deps);
    expect(resumed.outcome.status).toBe('succeeded');
    expect((await world.rds.describeInstance('db1'))?.resourceId).toBe(restored?.resourceId);
    expect(await world.rds.describeInstance('db1-temp')).toBeUndefined();
  });

  it('on Ctrl-C records the run as interrupted without reverting; resume finishes it', async () => {
    const world = instanceWorld();
    const controller = new AbortController();
    world.deps.signal = controller.signal;
    world.rds.onCall('restoreInstance', () => controller.abort(new Error('SIGINT')));
    const { outcome, summary } = await start(world);
    expect(outcome.status).toBe('interrupted');
    expect(world.rds.calls.some((c) => c.verb === 'deleteInstance')).toBe(false);
    expect(await world.rds.describeInstance('db1-temp')).toBeDefined();

    world.rds.clearFaults();
    const resumed = await resumeRun({ ...world.deps, signal: new AbortController().signal }, summary.runId!);
    expect(resumed.outcome.status).toBe('succeeded');
    expect(await world.rds.describeInstance('db1-temp')).toBeUndefined();
  });
});

describe('instance restore: a crash after any journal write, then resume', () => {
  /** Writes of a complete run of the given kind, measured on an undisturbed world. */
  async function countWrites(arrange: (w: World) => void, fresh: boolean): Promise<number> {
    const world = instanceWorld();
    arrange(world);
    await start(world, fresh);
    return world.journal.writes;
  }

  const paths: [string, (w: World) => void, 'restored' | 'original', boolean][] = [
    // Plain restores of every kind and strategy: restore-matrix.test.ts.
    ['a successful --fresh-snapshot restore', () => undefined, 'restored', true],
  ];
  for (const [name, arrange, expected, fresh] of paths) {
    it(`ends with exactly one db1 and nothing left behind, for ${name}`, async () => {
      const total = await countWrites(arrange, fresh);
      expect(total).toBeGreaterThan(10);
      for (let n = 1; n < total; n += 1) {
        const world = instanceWorld();
        const before = await originalId(world);
        arrange(world);
        world.journal.crashAfterWrites = n;
        const crashed = await start(world, fresh).catch((error: unknown) => error);
        expect(crashed, `crash after write ${n}`).toBeInstanceOf(SimulatedCrash);
        // The process is gone; RDS goes on with whatever was requested.
        world.journal.crashAfterWrites = undefined;
        world.rds.settleAll();

        const { outcome } = await resumeRun(world.deps);
        expect(outcome.status, `crash after write ${n}`).toBe(expected === 'restored' ? 'succeeded' : 'rolled_back');
        expect([...world.rds.instances.keys()], `crash after write ${n}`).toEqual(['db1']);
        const db1 = await world.rds.describeInstance('db1');
        expect(db1?.status).toBe('available');
        if (expected === 'original') expect(db1?.resourceId).toBe(before);
        else expect(db1?.resourceId).not.toBe(before);
        expect(world.rds.calls.filter((c) => c.verb === 'restoreInstance').length).toBeLessThanOrEqual(2);
      }
    });
  }
});
