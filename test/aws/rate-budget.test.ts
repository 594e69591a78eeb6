import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BURST, installRateBudget, processRateBudget, RateBudget } from '../../src/aws/rate-budget.js';

/** A clock that moves only when told, and a sleep that moves it (nothing waits in real time). */
function manualClock() {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => (now += ms),
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    slept,
  };
}

/** The most request starts within any window of `windowMs` (half-open). */
function peak(times: number[], windowMs: number): number {
  let best = 0;
  for (const t of times) best = Math.max(best, times.filter((u) => u >= t && u < t + windowMs).length);
  return best;
}

describe('RateBudget', () => {
  it('lets a burst go at once, then one request per 1/rate seconds', () => {
    const clock = manualClock();
    const budget = new RateBudget({ ratePerSecond: 10, burst: 5, now: clock.now });
    const waits = Array.from({ length: 8 }, () => budget.reserve());
    expect(waits).toEqual([0, 0, 0, 0, 0, 100, 200, 300]);
    // After a quiet second the bucket is full again (burst, not more).
    clock.advance(10_000);
    expect(Array.from({ length: 6 }, () => budget.reserve())).toEqual([0, 0, 0, 0, 0, 100]);
  });

  it('never lets more than burst + rate × t requests start in any t seconds, however many callers ask at once', () => {
    const clock = manualClock();
    const budget = new RateBudget({ ratePerSecond: 10, burst: 5, now: clock.now });
    // 100 callers at once, each reserving its token: a request starts when its wait is over.
    const t0 = clock.now();
    const starts = Array.from({ length: 100 }, () => t0 + budget.reserve());
    expect(peak(starts, 1000)).toBeLessThanOrEqual(5 + 10);
    expect(peak(starts, 10_000)).toBeLessThanOrEqual(5 + 100);
    expect(Math.max(...starts) - Math.min(...starts)).toBe(9_500); // 95 requests beyond the burst, 100 ms apart
    expect(budget.stats).toMatchObject({ requests: 100, delayed: 95 });
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => new RateBudget({ ratePerSecond: 0 })).toThrow(RangeError);
    expect(() => new RateBudget({ ratePerSecond: Number.NaN })).toThrow(RangeError);
  });

  it('by default never lets more than the rate start in any second (half-open), even after a quiet spell', () => {
    const clock = manualClock();
    const budget = new RateBudget({ ratePerSecond: 10, now: clock.now });
    expect(DEFAULT_BURST).toBe(1);
    clock.advance(60_000);
    const starts = Array.from({ length: 30 }, () => clock.now() + budget.reserve());
    const inFirstSecond = starts.filter((t) => t - starts[0]! < 1000).length;
    expect(inFirstSecond).toBe(10);
  });

  it('starts afresh when its clock goes back (another time line), instead of holding requests up', () => {
    const clock = manualClock();
    const budget = new RateBudget({ ratePerSecond: 10, burst: 2, now: clock.now });
    expect([budget.reserve(), budget.reserve(), budget.reserve()]).toEqual([0, 0, 100]);
    clock.advance(-3_600_000);
    expect(budget.reserve()).toBe(0);
  });

  it('is one object per process, whose rate a later caller may set', () => {
    const budget = processRateBudget();
    expect(processRateBudget()).toBe(budget);
    const rate = budget.ratePerSecond;
    processRateBudget(4);
    expect(budget.ratePerSecond).toBe(4);
    processRateBudget(rate);
  });
});

describe('installRateBudget', () => {
  it('makes every request of the client wait for its slot, and is installed once per client', async () => {
    const client = new RDSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
    const taken: string[] = [];
    const budget = new RateBudget({ ratePerSecond: 10 });
    budget.take = async () => {
      taken.push('token');
    };
    installRateBudget(client, budget);
    installRateBudget(client, new RateBudget({ ratePerSecond: 1 }));
    expect(client.middlewareStack.identify().filter((m) => m.startsWith('trapheusRateBudget'))).toHaveLength(1);
    // A handler that answers without a network: the request reaches it only after the budget.
    client.middlewareStack.add(
      () => async () => {
        taken.push('sent');
        return { output: { DBInstances: [], $metadata: {} }, response: {} };
      },
      { step: 'finalizeRequest', name: 'answer', priority: 'low' },
    );
    await client.send(new DescribeDBInstancesCommand({}));
    await client.send(new DescribeDBInstancesCommand({}));
    expect(taken).toEqual(['token', 'sent', 'token', 'sent']);
  });
});
