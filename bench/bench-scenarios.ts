/**
 * What the bench measures and with which durations. Every figure here is a parameter of
 * `npm run bench` (see run-bench.ts); the defaults and where they come from are stated beside them.
 */
import { DEFAULT_TIMINGS, SLOW_RENAME_TIMINGS, type SimTimings } from '../test/sim/sim-timings.js';

/** One set of RDS durations, named for the README and the JSON file. */
export interface Scenario {
  name: string;
  /** What distinguishes it, in a few words. */
  title: string;
  timings: SimTimings;
  /** Where its durations come from. */
  source: string;
}

/**
 * RDS documents its states, not their durations, with one exception: a renamed instance's new DNS
 * name "becomes effective in about 10 minutes" (RDS user guide, "Renaming a DB instance").
 * Everything else is the simulated RDS's typical figure for a small database
 * (test/sim/sim-timings.ts, DEFAULT_TIMINGS): restore `creating` 600 s + `backing-up` 120 s,
 * cluster restore 600 s, member `creating` 480 s, modify 5 s gap + 60 s, delete 300 s.
 */
export const SCENARIOS: Scenario[] = [
  {
    name: 'fast-release',
    title: 'rename done in 100 s',
    timings: DEFAULT_TIMINGS,
    source:
      'test/sim/sim-timings.ts DEFAULT_TIMINGS (not documented by RDS): a rename keeps the old name 10 s, then renaming 60 s, rebooting 30 s; a cluster rename 5 s + 60 s',
  },
  {
    name: 'rename-10min',
    title: 'rename "about 10 minutes"',
    timings: SLOW_RENAME_TIMINGS,
    source:
      'RDS user guide, "Renaming a DB instance": the new DNS name "becomes effective in about 10 minutes" — test/sim/sim-timings.ts SLOW_RENAME_TIMINGS: old name kept 60 s, renaming 480 s, rebooting 60 s (member instances too; a cluster rename stays 5 s + 60 s)',
  },
];

/** The drivers compared, in table order. */
export const DRIVERS = ['swap', 'rename-first', 'predecessor'] as const;
export type DriverName = (typeof DRIVERS)[number];

export const KINDS = ['instance', 'aurora-cluster'] as const;
export type KindName = (typeof KINDS)[number];

/** Defaults of the bench's own parameters. */
export const BENCH_DEFAULTS = {
  /** Runs per scenario, kind and driver. */
  runs: 10,
  /** Base seed: run i of every driver uses the streams of (seed, i). */
  seed: 1,
  /** Each duration is drawn uniformly within ±20 % of its scenario's value, at every mutating request. */
  jitter: 0.2,
  /** The probe looks at the endpoint every second of virtual time. */
  probeIntervalSeconds: 1,
};

/**
 * The predecessor's fixed figures, from its source (intuit/Trapheus: template.yaml,
 * src/common/python/constants.py, utility.py, checkstatus/*.py); see BASELINE.md.
 */
export const PREDECESSOR = {
  /** constants.DELAY_INTERVAL: every status Lambda polls with a boto3 waiter, `Delay` 40 s. */
  pollSeconds: 40,
  /** template.yaml Globals.Function.Timeout: a status Lambda's waiter gets floor((900 − 40) / 40) = 21 attempts. */
  lambdaTimeoutSeconds: 900,
  /** Step Functions Retry on InstanceUnavailableException (the renamed or restored resource not found yet): 5 s, ×2, 5 times. */
  notFoundRetry: { intervalSeconds: 5, maxAttempts: 5, backoffRate: 2 },
  /** Step Functions Retry on RateExceededException (throttled, or the waiter's attempts exhausted): 10 s, ×2, 5 times. */
  exhaustedRetry: { intervalSeconds: 10, maxAttempts: 5, backoffRate: 2 },
  /** Time a Step Functions transition and a Lambda start take: not documented, 0 by default (in the predecessor's favour). */
  hopSeconds: 0,
};
