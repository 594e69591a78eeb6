// npm run bench: both restore strategies on the simulated RDS (test/fakes/fake-rds.ts) with a
// virtual clock — no AWS, no real waiting. Prints, per strategy: downtime, total duration, RDS
// API calls, and the mean and worst lag between a resource reaching a state and trapheus
// noticing it. Durations are configurable: `npm run bench -- --restore 1800 --rename 240`.
import { parseArgs } from 'node:util';
import { configSchema } from '../src/config/config-schema.js';
import { prepareRestore } from '../src/workflows/run/start-run.js';
import { FakeClock } from '../test/fakes/fake-clock.js';
import { FakeRds, type FakeTimings } from '../test/fakes/fake-rds.js';
import { MemoryJournal, MemoryLockStore } from '../test/fakes/memory-journal.js';

/**
 * Default durations in seconds. RDS documents no fixed durations; these are typical figures
 * for a small (20–100 GiB) instance, stated in the README, and every one can be overridden.
 */
export const BENCH_TIMINGS: FakeTimings = {
  renameGap: 10,
  rename: 120,
  restore: 900,
  createMember: 600,
  delete: 300,
  snapshot: 600,
  modify: 60,
};

const { values } = parseArgs({
  options: {
    restore: { type: 'string' },
    rename: { type: 'string' },
    'rename-gap': { type: 'string' },
    delete: { type: 'string' },
    snapshot: { type: 'string' },
    modify: { type: 'string' },
    'min-delay': { type: 'string', default: '5' },
    'max-delay': { type: 'string', default: '30' },
    'fresh-snapshot': { type: 'boolean', default: false },
  },
});
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const timings: FakeTimings = {
  ...BENCH_TIMINGS,
  restore: num(values.restore, BENCH_TIMINGS.restore),
  rename: num(values.rename, BENCH_TIMINGS.rename),
  renameGap: num(values['rename-gap'], BENCH_TIMINGS.renameGap),
  delete: num(values.delete, BENCH_TIMINGS.delete),
  snapshot: num(values.snapshot, BENCH_TIMINGS.snapshot),
  modify: num(values.modify, BENCH_TIMINGS.modify),
};
const waits = { minDelaySeconds: num(values['min-delay'], 5), maxDelaySeconds: num(values['max-delay'], 30), maxWaitSeconds: 24 * 3600 };

async function measure(strategy: 'swap' | 'rename-first', cluster: boolean) {
  const clock = new FakeClock();
  const rds = new FakeRds(clock, { timings, waits });
  if (cluster) {
    rds.addCluster({
      identifier: 'db1',
      deletionProtection: true,
      members: [{ identifier: 'db1-a', isWriter: true }, { identifier: 'db1-b' }],
    });
    rds.addClusterSnapshot({ identifier: 's1', sourceIdentifier: 'db1' });
  } else {
    rds.addInstance({ identifier: 'db1', deletionProtection: true, backupRetentionPeriod: 7 });
    rds.addSnapshot({ identifier: 's1', sourceIdentifier: 'db1' });
  }
  const deps = {
    rds,
    journal: new MemoryJournal(),
    locks: new MemoryLockStore(),
    clock,
    config: configSchema.parse({
      restore: { strategy },
      wait: { minDelaySeconds: waits.minDelaySeconds, maxDelaySeconds: waits.maxDelaySeconds },
    }),
    signal: new AbortController().signal,
    host: 'bench',
    pid: 0,
  };
  const started = clock.nowMs();
  const prepared = await prepareRestore(deps, {
    identifier: 'db1',
    kind: cluster ? 'aurora-cluster' : 'instance',
    freshSnapshot: values['fresh-snapshot'],
    ...(values['fresh-snapshot'] ? {} : { snapshot: 's1' }),
  });
  const { outcome, summary } = await prepared.start();
  if (outcome.status !== 'succeeded') throw new Error(`${strategy}: ${outcome.status}`);
  const lags = rds.detectionLags.map((ms) => ms / 1000);
  return {
    strategy: `${cluster ? 'cluster' : 'instance'} ${strategy}`,
    downtime: summary.downtimeSeconds ?? NaN,
    total: (clock.nowMs() - started) / 1000,
    calls: rds.calls.filter((c) => !c.verb.startsWith('wait')).length,
    meanLag: lags.reduce((a, b) => a + b, 0) / Math.max(1, lags.length),
    worstLag: Math.max(0, ...lags),
  };
}

const rows = [
  await measure('swap', false),
  await measure('rename-first', false),
  await measure('swap', true),
  await measure('rename-first', true),
];
const fmt = (s: number) => (s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);
console.log(
  `Simulated RDS, virtual clock. Durations (s): ${JSON.stringify(timings)}; status checks every ${waits.minDelaySeconds}–${waits.maxDelaySeconds} s (doubling). Clusters: a writer and a reader.`,
);
console.log('');
console.log(
  [
    'strategy'.padEnd(22),
    'downtime'.padStart(10),
    'total'.padStart(10),
    'RDS calls'.padStart(10),
    'mean lag'.padStart(10),
    'worst lag'.padStart(10),
  ].join(''),
);
for (const r of rows) {
  console.log(
    [
      r.strategy.padEnd(22),
      fmt(r.downtime).padStart(10),
      fmt(r.total).padStart(10),
      String(r.calls).padStart(10),
      fmt(r.meanLag).padStart(10),
      fmt(r.worstLag).padStart(10),
    ].join(''),
  );
}
console.log('');
console.log('downtime: from the rename of the original until its name answers as available again (as observed).');
console.log('lag: time between a resource reaching the awaited state and trapheus seeing it (the predecessor polled every 40 s).');
