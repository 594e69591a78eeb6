// npm run bench:fleet: fleets of N = 1, 10, 50 restores (all at once: --concurrency N) through
// the production SdkRdsGateway, its waiters and its one poller (src/aws/describe-batcher.ts),
// with the simulated RDS (test/sim) behind one RDSClient and the process's request budget on a
// virtual clock — nothing waits in real time. Measured from every request RDS saw: the
// Describe calls per minute while the runs wait (goal: independent of N) and the peak request
// rate over any 1-s window (goal: never above the budget, rds.maxRequestsPerSecond). Prints a
// table, writes bench/fleet-results.json. Options: --sizes 1,10,50 --out file.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_BURST, DEFAULT_MAX_REQUESTS_PER_SECOND } from '../src/aws/rate-budget.js';
import { runFleet } from '../src/workflows/run/fleet-run.js';
import { prepareRestore } from '../src/workflows/run/start-run.js';
import type { SimCall } from '../test/sim/simulated-rds.js';
import { seedSampleInstance, simWorld } from '../test/sim/sim-world.js';
import { sinonTimers } from '../test/sim/virtual-time.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({ options: { sizes: { type: 'string' }, out: { type: 'string' } } });
const sizes = (values.sizes ?? '1,10,50').split(',').map(Number);
const out = values.out ?? 'bench/fleet-results.json';

const DESCRIBES = new Set(['DescribeDBInstances', 'DescribeDBClusters']);
/** Waiting: the Describe calls a wait makes are the only ones in a window without any other call type. */
const isDescribe = (c: SimCall) => DESCRIBES.has(c.command);

interface FleetMeasure {
  n: number;
  succeeded: number;
  minutes: number;
  calls: number;
  describeCalls: number;
  describesPerMinute: number;
  /** Describe calls per minute in the minutes where every call was a Describe (everyone waiting). */
  waitingDescribesPerMinute: number;
  /** … of them with a Filter (the poller's batches, each run's rename checks) and by one identifier (a step's check). */
  waitingFilteredPerMinute: number;
  waitingByIdPerMinute: number;
  peakPerSecond: number;
  budgetPerSecond: number;
  burst: number;
}

/** The largest number of requests in any window of `ms` (sliding over the requests' times). */
function peakIn(times: number[], ms: number): number {
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] as number) - (times[j] as number) >= ms) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

async function measure(n: number): Promise<FleetMeasure> {
  const world = simWorld({ timers: sinonTimers() });
  try {
    const ids = Array.from({ length: n }, (_, i) => `fleet-db-${String(i).padStart(2, '0')}`);
    for (const id of ids) seedSampleInstance(world.sim, id, `${id}-snap`);
    // A team with 50 databases has raised the DB instance quota (default 40): room for each copy.
    world.sim.setQuotas({ DBInstances: 2 * n + 40 });
    const began = world.time.now();
    const result = await world.time.run(
      runFleet(
        ids,
        async (identifier) => {
          const prepared = await prepareRestore(world.deps, {
            identifier,
            kind: 'instance',
            snapshot: `${identifier}-snap`,
            freshSnapshot: false,
          });
          if (!prepared.ok) {
            await prepared.release();
            return prepared.summary;
          }
          return (await prepared.start()).summary;
        },
        { concurrency: n, clock: world.deps.clock },
      ),
    );
    const ended = world.time.now();
    for (const r of result.runs.filter((x) => x.outcome !== 'succeeded').slice(0, 2))
      console.error(`${r.identifier}: ${r.status} ${r.error?.message ?? ''}`);
    const calls = world.sim.calls.filter((c) => c.at.getTime() >= began && c.at.getTime() <= ended);
    const times = calls.map((c) => c.at.getTime()).sort((a, b) => a - b);
    const minutes = (ended - began) / 60_000;
    // Per virtual minute: the minutes in which every request was a Describe are pure waiting.
    const byMinute = new Map<number, SimCall[]>();
    for (const c of calls) {
      const m = Math.floor((c.at.getTime() - began) / 60_000);
      byMinute.set(m, [...(byMinute.get(m) ?? []), c]);
    }
    const waiting = [...byMinute.values()].filter((cs) => cs.every(isDescribe));
    const waitingDescribes = waiting.reduce((sum, cs) => sum + cs.length, 0);
    // Of those: Describes of many identifiers at once (the poller's batches, the rename checks' pairs) and of one (a step's own check).
    const filtered = waiting.flat().filter((c) => c.input.Filters !== undefined).length;
    const budget = world.deps.config.rds.maxRequestsPerSecond ?? DEFAULT_MAX_REQUESTS_PER_SECOND;
    return {
      n,
      succeeded: result.runs.filter((r) => r.outcome === 'succeeded').length,
      minutes: round(minutes),
      calls: calls.length,
      describeCalls: calls.filter(isDescribe).length,
      describesPerMinute: round(calls.filter(isDescribe).length / minutes),
      waitingDescribesPerMinute: round(waiting.length > 0 ? waitingDescribes / waiting.length : NaN),
      waitingFilteredPerMinute: round(waiting.length > 0 ? filtered / waiting.length : NaN),
      waitingByIdPerMinute: round(waiting.length > 0 ? (waitingDescribes - filtered) / waiting.length : NaN),
      peakPerSecond: peakIn(times, 1000),
      budgetPerSecond: budget,
      burst: DEFAULT_BURST,
    };
  } finally {
    world.stop();
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

const results: FleetMeasure[] = [];
for (const n of sizes) {
  results.push(await measure(n));
  console.error(`N = ${n} done`);
}
const header = [
  'N',
  'ok',
  'virtual min',
  'requests',
  'Describe',
  'Describe/min',
  'Describe/min waiting',
  '(filtered + by id)',
  'peak req/1 s',
  'budget/s',
];
const rows = results.map((r) =>
  [
    r.n,
    r.succeeded,
    r.minutes,
    r.calls,
    r.describeCalls,
    r.describesPerMinute,
    r.waitingDescribesPerMinute,
    `${r.waitingFilteredPerMinute} + ${r.waitingByIdPerMinute}`,
    r.peakPerSecond,
    `${r.budgetPerSecond} (burst ${r.burst})`,
  ].map(String),
);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
for (const line of [header, ...rows]) console.log(line.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
await writeFile(out, `${JSON.stringify({ generatedBy: 'npm run bench:fleet', results }, null, 2)}\n`);
console.log(`wrote ${out}`);
