import { RestoreDBInstanceFromDBSnapshotCommand } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { simKit } from './sim-kit.js';
import { DEFAULT_TIMINGS } from './sim-timings.js';
import { sinonTimers, VirtualTime } from './virtual-time.js';

// The driver without vitest's `vi`: @sinonjs/fake-timers directly, as the bench would use it.
describe('VirtualTime outside vitest (sinonTimers)', () => {
  it('runs a production waiter over a restore of the default durations in milliseconds', async () => {
    const kit = simKit(sinonTimers(), { timings: DEFAULT_TIMINGS });
    try {
      kit.sim.seedInstance({ DBInstanceIdentifier: 'db1', BackupRetentionPeriod: 7 });
      kit.sim.seedSnapshot({ DBSnapshotIdentifier: 's1', DBInstanceIdentifier: 'db1' });
      const real = performance.now();
      const began = kit.time.now();
      await kit.run(
        kit.client.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'db2', DBSnapshotIdentifier: 's1' })),
      );
      const db2 = await kit.run(kit.gateway.waitInstanceAvailable('db2'));
      expect(db2.status).toBe('available');
      const virtualSeconds = (kit.time.now() - began) / 1000;
      expect(virtualSeconds).toBeGreaterThanOrEqual(DEFAULT_TIMINGS.restoreCreating + DEFAULT_TIMINGS.restoreBackingUp);
      expect(virtualSeconds).toBeLessThanOrEqual(DEFAULT_TIMINGS.restoreCreating + DEFAULT_TIMINGS.restoreBackingUp + 30);
      expect(performance.now() - real).toBeLessThan(2000);
      expect(kit.time.clock.now().getTime()).toBe(kit.time.now());
    } finally {
      kit.stop();
    }
  });

  it('parallel sleeps overlap as in real time; an aborted sleep rejects with the reason', async () => {
    const time = new VirtualTime(sinonTimers());
    try {
      const began = time.now();
      await time.run(Promise.all([time.clock.sleep(30_000), time.clock.sleep(60_000)]));
      expect(time.now() - began).toBe(60_000);
      const controller = new AbortController();
      const sleeping = time.clock.sleep(3_600_000, controller.signal);
      controller.abort(new Error('stop'));
      await expect(time.run(sleeping)).rejects.toThrow('stop');
    } finally {
      time.stop();
    }
  });

  it('says so when the work waits on nothing, instead of hanging', async () => {
    const time = new VirtualTime(sinonTimers());
    try {
      await expect(time.run(new Promise(() => undefined), { stuckAfterRealMs: 50 })).rejects.toThrow('stuck');
    } finally {
      time.stop();
    }
  });

  it('gives the real timers back on stop', () => {
    const real = globalThis.setTimeout;
    const time = new VirtualTime(sinonTimers());
    expect(globalThis.setTimeout).not.toBe(real);
    time.stop();
    expect(globalThis.setTimeout).toBe(real);
  });
});
