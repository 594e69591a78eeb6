import { afterEach, describe, expect, it, vi } from 'vitest';
import { DescribeBatcher } from '../../src/aws/describe-batcher.js';
import { simKit, type SimKit } from '../sim/sim-kit.js';
import { FAST_TIMINGS } from '../sim/sim-timings.js';
import { vitestTimers } from '../sim/virtual-time.js';

/** Timers by hand: `fire()` runs what is due at `t`. */
function manualTimers() {
  let t = 0;
  const due: { at: number; run: () => void }[] = [];
  return {
    now: () => t,
    setTimer: (run: () => void, ms: number) => void due.push({ at: t + ms, run }),
    pending: () => due.length,
    async advance(ms: number) {
      t += ms;
      for (const timer of due.filter((d) => d.at <= t)) {
        due.splice(due.indexOf(timer), 1);
        timer.run();
      }
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('DescribeBatcher', () => {
  it('answers every request of one window from one call naming all of them; one missing from the answer is not found', async () => {
    const timers = manualTimers();
    const calls: string[][] = [];
    const batcher = new DescribeBatcher(
      async (ids: string[]) => {
        calls.push(ids);
        return ids.filter((id) => id !== 'gone').map((identifier) => ({ identifier, status: 'available' }));
      },
      (e) => e.identifier,
      { windowMs: 50, now: timers.now, setTimer: timers.setTimer },
    );
    const answers = Promise.all([batcher.describe('a'), batcher.describe('B'), batcher.describe('gone'), batcher.describe('a')]);
    await timers.advance(49);
    expect(calls).toEqual([]);
    await timers.advance(1);
    expect(calls).toEqual([['a', 'b', 'gone']]);
    expect(await answers).toEqual([
      { identifier: 'a', status: 'available' },
      { identifier: 'b', status: 'available' },
      undefined,
      { identifier: 'a', status: 'available' },
    ]);
  });

  it('at most maxPerCall identifiers per call; the rest go in the next one', async () => {
    const timers = manualTimers();
    const calls: number[] = [];
    const batcher = new DescribeBatcher(
      async (ids: string[]) => {
        calls.push(ids.length);
        return ids.map((identifier) => ({ identifier }));
      },
      (e) => e.identifier,
      { windowMs: 10, maxPerCall: 100, now: timers.now, setTimer: timers.setTimer },
    );
    const all = Promise.all(Array.from({ length: 250 }, (_, i) => batcher.describe(`db${i}`)));
    for (let i = 0; i < 3; i++) await timers.advance(10);
    expect(calls).toEqual([100, 100, 50]);
    expect((await all).every((x) => x !== undefined)).toBe(true);
  });

  it('two calls are at least minIntervalMs apart, however many ask in between', async () => {
    const timers = manualTimers();
    const at: number[] = [];
    const batcher = new DescribeBatcher(
      async (ids: string[]) => {
        at.push(timers.now());
        return ids.map((identifier) => ({ identifier }));
      },
      (e) => e.identifier,
      { windowMs: 50, minIntervalMs: 5000, now: timers.now, setTimer: timers.setTimer },
    );
    void batcher.describe('a');
    await timers.advance(50);
    for (let i = 0; i < 20; i++) {
      void batcher.describe(`x${i}`);
      await timers.advance(200);
    }
    await timers.advance(1000); // t = 5050
    expect(at).toEqual([50, 5050]);
  });

  it('after a call that answered several waits, the next is crowdedIntervalMs later; after a lone one, minIntervalMs', async () => {
    const timers = manualTimers();
    const at: number[] = [];
    const batcher = new DescribeBatcher(
      async (ids: string[]) => {
        at.push(timers.now());
        return ids.map((identifier) => ({ identifier }));
      },
      (e) => e.identifier,
      { windowMs: 50, minIntervalMs: 5000, crowdedIntervalMs: 30_000, now: timers.now, setTimer: timers.setTimer },
    );
    void batcher.describe('a');
    void batcher.describe('b');
    await timers.advance(50); // one call for a and b
    void batcher.describe('a');
    await timers.advance(29_999);
    expect(at).toEqual([50]);
    await timers.advance(1); // 30 s after the crowded call
    void batcher.describe('a');
    await timers.advance(5000); // 5 s after a lone one
    expect(at).toEqual([50, 30_050, 35_050]);
  });

  it('a failed call fails each of its askers, and the next call is made afresh', async () => {
    const timers = manualTimers();
    let fail = true;
    const batcher = new DescribeBatcher(
      async (ids: string[]) => {
        if (fail) throw new Error('Throttling');
        return ids.map((identifier) => ({ identifier }));
      },
      (e) => e.identifier,
      { windowMs: 1, now: timers.now, setTimer: timers.setTimer },
    );
    const first = Promise.allSettled([batcher.describe('a'), batcher.describe('b')]);
    await timers.advance(1);
    expect((await first).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    const second = batcher.describe('a');
    await timers.advance(1);
    expect(await second).toEqual({ identifier: 'a' });
  });
});

describe('one poller for the waits of many runs (production gateway on the simulated RDS)', () => {
  let kit: SimKit | undefined;
  afterEach(() => {
    kit?.stop();
    kit = undefined;
  });

  it('20 waits for deletion share one DescribeDBInstances per check, naming them all', async () => {
    kit = simKit(vitestTimers(vi), { timings: FAST_TIMINGS });
    const names = Array.from({ length: 20 }, (_, i) => `fleet-${i}`);
    for (const name of names) kit.sim.seedInstance({ DBInstanceIdentifier: name });
    await kit.run(Promise.all(names.map((n) => kit!.gateway.deleteInstance(n, { keepAutomatedBackups: false }))));
    const before = kit.sim.callsOf('DescribeDBInstances').length;
    await kit.run(Promise.all(names.map((n) => kit!.gateway.waitInstanceDeleted(n))));
    const checks = kit.sim.callsOf('DescribeDBInstances').slice(before);
    // Without batching: at least one call per wait (20); with it: one call per round of checks.
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.length).toBeLessThan(names.length);
    const first = (checks[0]!.input.Filters as { Name: string; Values: string[] }[])[0]!;
    expect(first.Name).toBe('db-instance-id');
    expect([...first.Values].sort()).toEqual([...names].sort());
    for (const name of names) expect(kit.sim.instance(name)).toBeUndefined();
  });
});
