import { afterEach, describe, expect, it, vi } from 'vitest';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import type { FaultError } from '../sim/sim-faults.js';
import { seedSampleInstance, simWorld, type SimWorld } from '../sim/sim-world.js';
import { vitestTimers } from '../sim/virtual-time.js';

// Whole restores through the production client and gateway (the SDK's own 4 attempts, then the
// wait's backoff) against the simulated RDS on virtual time: transient faults inside a wait —
// throttling, connection refused — are observations ("no answer"), never the end of the run or
// of its revert. Nothing here waits in real time.
let world: SimWorld | undefined;
afterEach(() => world?.stop());

function start(): SimWorld {
  world = simWorld({ timers: vitestTimers(vi) });
  seedSampleInstance(world.sim);
  return world;
}

/** The next `count` DescribeDBInstances fail with `error`, once `armed()` says so. */
function describeFails(w: SimWorld, armed: () => boolean, error: FaultError, count: number): void {
  w.sim.faults.failNext({ command: 'DescribeDBInstances', when: () => armed() }, error, count);
}

/** DescribeDBInstances refuses connections for `ms` of virtual time from the first one after `armed()`. */
function refusedFor(w: SimWorld, armed: () => boolean, ms: number): void {
  let from: number | undefined;
  describeFails(
    w,
    () => {
      if (!armed()) return false;
      from ??= w.time.now();
      return w.time.now() - from < ms;
    },
    'ECONNREFUSED',
    10_000,
  );
}

async function restore(w: SimWorld, strategy: 'swap' | 'rename-first') {
  const prepared = await w.time.run(
    prepareRestore(w.deps, { identifier: 'db1', kind: 'instance', snapshot: 's1', freshSnapshot: false, strategy }),
  );
  expect(prepared.ok).toBe(true);
  return w.time.run(prepared.start());
}

const called = (w: SimWorld, command: string) => () => w.sim.callsOf(command).length > 0;
const noAnswer = (w: SimWorld, code: string) => w.sim.callsOf('DescribeDBInstances').filter((c) => c.outcome === `fault:${code}`).length;

describe('a restore rides out transient faults inside its waits', () => {
  it.each(['rename-first', 'swap'] as const)('%s: twenty throttled DescribeDBInstances during the restore wait', async (strategy) => {
    const w = start();
    describeFails(w, called(w, 'RestoreDBInstanceFromDBSnapshot'), { code: 'Throttling' }, 20);
    const { outcome } = await restore(w, strategy);
    expect(outcome.status).toBe('succeeded');
    expect(noAnswer(w, 'Throttling')).toBe(20);
    expect(w.sim.instance('db1-restoring')).toBeUndefined();
  });

  it.each(['rename-first', 'swap'] as const)('%s: six seconds of connection refused during the restore wait', async (strategy) => {
    const w = start();
    refusedFor(w, called(w, 'RestoreDBInstanceFromDBSnapshot'), 6000);
    const { outcome } = await restore(w, strategy);
    expect(outcome.status).toBe('succeeded');
    expect(noAnswer(w, 'ECONNREFUSED')).toBeGreaterThan(3);
  });
});

describe('a revert never gives up on a transient error in its waits', () => {
  it.each(['rename-first', 'swap'] as const)(
    '%s: the original is back under its name despite throttling and refused connections',
    async (strategy) => {
      const w = start();
      const original = w.sim.instance('db1')!.DbiResourceId;
      w.sim.failRestoresWith('incompatible-parameters');
      // The revert begins with deleting the partial copy: from then on, every wait meets the weather.
      const reverting = called(w, 'DeleteDBInstance');
      describeFails(w, reverting, { code: 'Throttling' }, 20);
      refusedFor(w, () => reverting() && noAnswer(w, 'Throttling') >= 20, 6000);
      const { outcome, summary } = await restore(w, strategy);
      expect(outcome).toMatchObject({ status: 'rolled_back' });
      expect(outcome.compensationFailure).toBeUndefined();
      expect(w.sim.instance('db1')).toMatchObject({ DbiResourceId: original, DBInstanceStatus: 'available' });
      expect(w.sim.instance('db1-temp')).toBeUndefined();
      expect(noAnswer(w, 'Throttling')).toBe(20);
      expect(noAnswer(w, 'ECONNREFUSED')).toBeGreaterThan(3);
      expect(summary.situation?.join(' ')).toMatch(/db1 is back under its original name/);
    },
  );

  it.each([[{ code: 'Throttling' }], ['ECONNREFUSED' as const], [{ code: 'ServiceUnavailable' }]])(
    'rename-first: its own calls retry too — eight failures of the rename back (%j) do not leave the original renamed away',
    async (error: FaultError) => {
      const w = start();
      const original = w.sim.instance('db1')!.DbiResourceId;
      w.sim.failRestoresWith('incompatible-parameters');
      w.sim.faults.failNext({ command: 'ModifyDBInstance', when: () => called(w, 'DeleteDBInstance')() }, error, 8);
      const { outcome } = await restore(w, 'rename-first');
      expect(outcome.status).toBe('rolled_back');
      expect(w.sim.instance('db1')).toMatchObject({ DbiResourceId: original, DBInstanceStatus: 'available' });
      expect(w.sim.faults.pending()).toBe(0);
    },
  );
});
