// npm run bench: trapheus (both strategies) and a model of its predecessor restore the same
// database on the simulated RDS (test/sim) on a virtual clock — nothing waits in real time.
// trapheus runs as users run it: the service API over the production SdkRdsGateway and its
// waiters, with the simulated RDS behind the SDK client. Downtime is what an independent probe
// of the endpoint sees, beside the tool's own report. Prints a table, writes bench/results.json,
// and with --readme the README's figures. Options: --runs, --seed, --jitter, --probe-interval,
// --hop, --scenario, --kind, --driver, --timing key=seconds, --out, --readme (see README).
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_BURST, DEFAULT_MAX_REQUESTS_PER_SECOND } from '../src/aws/rate-budget.js';
import { ratios, summarizeRuns } from './bench-results.js';
import { clusterSentence, readmeBlock, replaceBetweenMarkers, textReport, type BenchResults } from './bench-report.js';
import { BENCH_DEFAULTS, DRIVERS, KINDS, PREDECESSOR, SCENARIOS, type DriverName } from './bench-scenarios.js';
import { predecessorDriver } from './predecessor-driver.js';
import { measureRun, type Driver, type RunMeasure } from './run-measure.js';
import { trapheusDriver } from './trapheus-driver.js';

// As the CLI does (src/main.ts): the SDK's notice about its future Node 22 floor is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    seed: { type: 'string' },
    jitter: { type: 'string' },
    'probe-interval': { type: 'string' },
    hop: { type: 'string' },
    scenario: { type: 'string', multiple: true },
    kind: { type: 'string', multiple: true },
    driver: { type: 'string', multiple: true },
    timing: { type: 'string', multiple: true },
    out: { type: 'string', default: 'bench/results.json' },
    readme: { type: 'boolean', default: false },
  },
});

function number(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} wants a number ≥ 0, not "${value}".`);
  return n;
}

function pick<T extends string>(name: string, all: readonly T[], chosen: string[] | undefined): T[] {
  for (const c of chosen ?? []) if (!all.includes(c as T)) throw new Error(`--${name} ${c}: one of ${all.join(', ')}.`);
  return chosen ? all.filter((a) => chosen.includes(a)) : [...all];
}

const overrides: Record<string, number> = {};
for (const pair of values.timing ?? []) {
  const [key = '', seconds] = pair.split('=');
  if (!(key in (SCENARIOS[0]?.timings ?? {})))
    throw new Error(`--timing ${pair}: unknown duration; one of ${Object.keys(SCENARIOS[0]?.timings ?? {}).join(', ')}.`);
  overrides[key] = number('timing', seconds, NaN);
}

const parameters = {
  runs: Math.max(1, Math.round(number('runs', values.runs, BENCH_DEFAULTS.runs))),
  seed: Math.round(number('seed', values.seed, BENCH_DEFAULTS.seed)),
  jitter: Math.min(0.9, number('jitter', values.jitter, BENCH_DEFAULTS.jitter)),
  probeIntervalSeconds: number('probe-interval', values['probe-interval'], BENCH_DEFAULTS.probeIntervalSeconds),
  hopSeconds: number('hop', values.hop, PREDECESSOR.hopSeconds),
  timingOverrides: overrides,
  requestBudget: { perSecond: DEFAULT_MAX_REQUESTS_PER_SECOND, burst: DEFAULT_BURST },
};
PREDECESSOR.hopSeconds = parameters.hopSeconds;
const scenarios = SCENARIOS.filter((s) => !values.scenario || values.scenario.includes(s.name)).map((s) => ({
  ...s,
  timings: { ...s.timings, ...overrides },
}));
if (scenarios.length === 0) throw new Error(`--scenario: one of ${SCENARIOS.map((s) => s.name).join(', ')}.`);
const kinds = pick('kind', KINDS, values.kind);
const drivers = pick('driver', DRIVERS, values.driver);

const DRIVER_RUNS: Record<DriverName, Driver> = {
  swap: trapheusDriver('swap'),
  'rename-first': trapheusDriver('rename-first'),
  predecessor: predecessorDriver,
};

const began = performance.now();
const measures: RunMeasure[] = [];
for (const scenario of scenarios)
  for (const kind of kinds)
    for (const driver of drivers) {
      for (let runIndex = 0; runIndex < parameters.runs; runIndex += 1) {
        measures.push(
          await measureRun({
            driver,
            run: DRIVER_RUNS[driver],
            kind,
            scenario,
            runIndex,
            seed: parameters.seed,
            jitter: parameters.jitter,
            probeIntervalSeconds: parameters.probeIntervalSeconds,
            deletionProtection: driver !== 'predecessor',
          }),
        );
      }
      process.stderr.write(
        `${scenario.name} ${kind} ${driver}: ${parameters.runs} runs, ${((performance.now() - began) / 1000).toFixed(1)} s\n`,
      );
    }

const rows = summarizeRuns(measures);
const results: BenchResults = {
  command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
  parameters,
  scenarios,
  predecessor: PREDECESSOR,
  rows,
  ratios: ratios(rows),
};
console.log(textReport(results));

// Formatted as Prettier would (the file is checked by npm run lint); prettier is a devDependency, like this bench.
const prettier = await import('prettier');
const rounded = (_key: string, value: unknown) => (typeof value === 'number' ? Math.round(value * 1000) / 1000 : value);
const json = await prettier.format(JSON.stringify(results, rounded), { ...(await prettier.resolveConfig(values.out)), parser: 'json' });
await writeFile(values.out, json);
console.log(`Written: ${values.out}`);
if (values.readme) {
  const readme = await readFile('README.md', 'utf8');
  await writeFile(
    'README.md',
    replaceBetweenMarkers(replaceBetweenMarkers(readme, readmeBlock(results)), clusterSentence(results), 'bench-cluster'),
  );
  console.log('Written: README.md (between the bench and bench-cluster markers)');
}
