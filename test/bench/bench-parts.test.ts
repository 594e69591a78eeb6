import { afterEach, describe, expect, it, vi } from 'vitest';
import { ratios, summarizeRuns } from '../../bench/bench-results.js';
import {
  clusterSentence,
  rangedDuration,
  readmeBlock,
  replaceBetweenMarkers,
  textReport,
  type BenchResults,
} from '../../bench/bench-report.js';
import { jitterTimings, seededRandom } from '../../bench/bench-random.js';
import { countCalls, detectionLags, peakInWindow } from '../../bench/call-stats.js';
import { lookAtInstance, startProbe, summarizeProbe, type ProbeSample } from '../../bench/endpoint-probe.js';
import type { RunMeasure } from '../../bench/run-measure.js';
import { percentile, spread } from '../../bench/statistics.js';
import { FAST_TIMINGS } from '../sim/sim-timings.js';
import type { SimCall } from '../sim/simulated-rds.js';
import { SimulatedRds } from '../sim/simulated-rds.js';
import { vitestTimers, VirtualTime } from '../sim/virtual-time.js';

// The bench (npm run bench) is not part of npm test: these run its pure parts — the probe, the
// call counts, the statistics, the report — on a tiny scenario, so that they cannot rot
// unnoticed. Nothing here asserts a duration of the real clock.

let time: VirtualTime | undefined;
afterEach(() => time?.stop());

const sample = (at: number, state: ProbeSample['state']): ProbeSample => ({ at: at * 1000, state, status: state });
const call = (command: string, atSeconds: number, input: Record<string, unknown> = {}): SimCall => ({
  command,
  input,
  at: new Date(atSeconds * 1000),
  outcome: 'ok',
});

describe('the endpoint probe', () => {
  it('sums samples into outages, counting busy time apart', () => {
    const samples = [sample(0, 'up'), sample(1, 'down'), sample(2, 'busy'), sample(3, 'up'), sample(4, 'down'), sample(5, 'up')];
    expect(summarizeProbe(samples, 1000)).toEqual({
      downtimeSeconds: 3,
      busySeconds: 1,
      outages: 2,
      longestOutageSeconds: 2,
      firstDownAt: 1000,
      upAgainAt: 5000,
    });
    expect(summarizeProbe([sample(0, 'up'), sample(1, 'down')], 1000).upAgainAt).toBeUndefined();
  });

  it('sees an instance renamed away and back as one outage, from outside the API', async () => {
    time = new VirtualTime(vitestTimers(vi));
    const sim = new SimulatedRds({ timings: FAST_TIMINGS });
    sim.seedInstance({ DBInstanceIdentifier: 'db1' });
    const probe = startProbe(() => lookAtInstance(sim, 'db1'), 1000);
    sim.handle('ModifyDBInstance', { DBInstanceIdentifier: 'db1', NewDBInstanceIdentifier: 'db1-temp', ApplyImmediately: true });
    await time.advance(60_000);
    sim.handle('ModifyDBInstance', { DBInstanceIdentifier: 'db1-temp', NewDBInstanceIdentifier: 'db1', ApplyImmediately: true });
    await time.advance(60_000);
    const samples = probe.stop();
    const summary = summarizeProbe(samples, 1000);

    expect(summary.outages).toBe(1);
    expect(summary.downtimeSeconds).toBeGreaterThan(0);
    expect(summary.downtimeSeconds).toBeLessThan(samples.length);
    expect(samples.map((s) => s.status)).toEqual(expect.arrayContaining(['available', 'unresolved', 'renaming', 'rebooting']));
    expect(samples.at(-1)?.state).toBe('up');
    expect(sim.calls).toHaveLength(2); // the probe made no request
  });
});

describe('call counts and lag', () => {
  it('counts mutating and Describe calls apart, per minute, and the busiest second', () => {
    const calls = [
      call('DescribeDBInstances', 0),
      call('ModifyDBInstance', 0.5),
      call('DescribeDBInstances', 0.9),
      call('ListTagsForResource', 60),
    ];
    expect(countCalls(calls, 120)).toEqual({ mutating: 1, describe: 3, describePerMinute: 1.5, peakPerSecond: 3 });
    expect(peakInWindow([0, 999, 1000, 1500, 1999], 1000)).toBe(3);
    expect(peakInWindow([], 1000)).toBe(0);
  });

  it('measures the lag of a wait that was polling, not of a change nobody waited for', () => {
    const log = [
      { kind: 'instance' as const, resourceId: 'r1', identifier: 'db1', status: 'available', at: 100_000 },
      { kind: 'instance' as const, resourceId: 'r2', identifier: 'db2', status: 'available', at: 100_000 },
    ];
    const calls = [
      call('DescribeDBInstances', 90, { DBInstanceIdentifier: 'db1' }),
      call('DescribeDBInstances', 112, { Filters: [{ Name: 'db-instance-id', Values: ['db1'] }] }),
      call('DescribeDBInstances', 0, { DBInstanceIdentifier: 'db2' }),
      call('DescribeDBInstances', 900, { DBInstanceIdentifier: 'db2' }),
    ];
    expect(detectionLags(log, calls, 0, 1_000_000)).toEqual([12]);
  });
});

describe('statistics and report', () => {
  it('gives mean, extremes and nearest-rank percentiles', () => {
    expect(spread([4, 1, 3, 2])).toEqual({ mean: 2.5, min: 1, max: 4, p50: 2, p95: 4, n: 4 });
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(spread([]).n).toBe(0);
  });

  it('draws seeded durations within the spread, the same for the same seed', () => {
    const a = jitterTimings(FAST_TIMINGS, seededRandom(7), 0.2);
    expect(a).toEqual(jitterTimings(FAST_TIMINGS, seededRandom(7), 0.2));
    for (const [key, base] of Object.entries(FAST_TIMINGS)) {
      expect(a[key as keyof typeof a]).toBeGreaterThanOrEqual(base * 0.8 - 0.05);
      expect(a[key as keyof typeof a]).toBeLessThanOrEqual(base * 1.2 + 0.05);
    }
  });

  it('summarizes runs into rows, ratios, a table and the README block between its markers', () => {
    const run = (driver: RunMeasure['driver'], downtimeSeconds: number, runIndex: number): RunMeasure => ({
      driver,
      kind: 'instance',
      scenario: 'tiny',
      run: runIndex,
      outcome: 'succeeded',
      totalSeconds: 600,
      mutating: 3,
      describe: 30,
      describePerMinute: 3,
      peakPerSecond: 2,
      downtimeSeconds,
      busySeconds: 0,
      outages: 1,
      longestOutageSeconds: downtimeSeconds,
      reportedDowntimeSeconds: driver === 'predecessor' ? undefined : downtimeSeconds + 10,
      lagMeanSeconds: 10,
      lagMaxSeconds: 20,
    });
    const rows = summarizeRuns([run('swap', 60, 0), run('swap', 100, 1), run('rename-first', 400, 0), run('predecessor', 800, 0)]);
    expect(rows.find((r) => r.driver === 'swap')?.figures.downtimeSeconds).toMatchObject({ mean: 80, min: 60, max: 100 });
    expect(rows.find((r) => r.driver === 'predecessor')?.figures.reportedDowntimeSeconds).toBeUndefined();
    const found = ratios(rows, ['downtimeSeconds']);
    expect(found.find((r) => r.of === 'swap' && r.to === 'rename-first')?.ratio).toBe(0.2);

    const results: BenchResults = {
      command: 'npm run bench',
      parameters: { runs: 2, seed: 1, jitter: 0.2, probeIntervalSeconds: 1, hopSeconds: 0, timingOverrides: {} },
      scenarios: [{ name: 'tiny', title: 'tiny', timings: FAST_TIMINGS, source: 'FAST_TIMINGS' }],
      predecessor: {},
      rows,
      ratios: found,
    };
    expect(textReport(results)).toContain('80 s (60–100)');
    const block = readmeBlock(results);
    expect(block).toContain('| instance | swap | 80 s (60–100) |');
    expect(block).toContain('20 % (instance, `tiny`)');
    const readme = 'intro\n<!-- bench:start -->\nold figures\n<!-- bench:end -->\nrest\n';
    expect(replaceBetweenMarkers(readme, block)).toBe(`intro\n<!-- bench:start -->\n${block}\n<!-- bench:end -->\nrest\n`);
    expect(() => replaceBetweenMarkers('no markers', block)).toThrow(/markers/);
    expect(rangedDuration({ mean: -119, min: -127, max: -107, p50: 0, p95: 0, n: 2 })).toBe('−119 s (−127 to −107)');

    // The Aurora section's sentence: the cluster's swap row, with its scenario; its own markers.
    expect(clusterSentence(results)).toMatch(/no Aurora cluster swap row/);
    const clusterRows = summarizeRuns([{ ...run('swap', 90, 0), kind: 'aurora-cluster', outages: 2 }]);
    const sentence = clusterSentence({ ...results, rows: clusterRows });
    expect(sentence).toContain('`tiny`: downtime (probe) 90 s, 2 outages');
    expect(sentence).toContain('at most 2 requests in one second');
    const both = 'a\n<!-- bench-cluster:start -->\nold\n<!-- bench-cluster:end -->\nb\n';
    expect(replaceBetweenMarkers(both, sentence, 'bench-cluster')).toBe(
      `a\n<!-- bench-cluster:start -->\n${sentence}\n<!-- bench-cluster:end -->\nb\n`,
    );
  });
});
