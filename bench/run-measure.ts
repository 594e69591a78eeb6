/**
 * One measured run of one driver (trapheus swap or rename-first, or the predecessor model) on a
 * fresh simulated RDS: the world it runs in, and the figures taken from outside it.
 */
import { seedSampleCluster, seedSampleInstance, simWorld, type SimWorld } from '../test/sim/sim-world.js';
import { sinonTimers } from '../test/sim/virtual-time.js';
import type { SimTimings } from '../test/sim/sim-timings.js';
import { detectionLags, countCalls, type CallCounts } from './call-stats.js';
import { lookAtCluster, lookAtInstance, startProbe, summarizeProbe, type ProbeSummary } from './endpoint-probe.js';
import { jitterTimings, seededRandom, streamSeed, withSeededMathRandom } from './bench-random.js';
import type { DriverName, KindName } from './bench-scenarios.js';

/** The database every run restores: the simulated RDS's sample (see test/sim/sim-world.ts). */
export const TARGET = {
  instance: { identifier: 'db1', snapshot: 'db1-snapshot' },
  'aurora-cluster': { identifier: 'c1', snapshot: 'c1-snapshot' },
} as const;

/** What a driver reports of its own run. */
export interface DriverResult {
  /** `succeeded`, or what went wrong. */
  outcome: string;
  /** The tool's own downtime window (virtual ms), if it reports one. */
  /**
   * trapheus's journaled downtime: from its start to the end of its last outage; `seconds`, the
   * outages alone where there are two (a writer-last cut-over's renames, then its fail-back).
   */
  reported?: { startedAt: number; endedAt: number; seconds?: number | undefined } | undefined;
}

/** A driver: restores TARGET[kind] in `world` and says how it went. */
export type Driver = (world: SimWorld, kind: KindName) => Promise<DriverResult>;

/** Everything measured of one run. */
export interface RunMeasure extends CallCounts, ProbeSummary {
  driver: DriverName;
  kind: KindName;
  scenario: string;
  run: number;
  outcome: string;
  totalSeconds: number;
  /** The tool's own `downtimeSeconds` (trapheus only). */
  reportedDowntimeSeconds?: number | undefined;
  /** Reported window start minus probed first outage (negative: the tool counts before clients notice). */
  reportStartOffsetSeconds?: number | undefined;
  /** Reported window end minus probed back-up time: how late the tool noticed the name answering again. */
  cutoverLagSeconds?: number | undefined;
  /** Detection lag of the run's waits (see call-stats.ts), mean and worst. */
  lagMeanSeconds: number;
  lagMaxSeconds: number;
}

export interface RunOptions {
  driver: DriverName;
  run: Driver;
  kind: KindName;
  scenario: { name: string; timings: SimTimings };
  runIndex: number;
  seed: number;
  jitter: number;
  probeIntervalSeconds: number;
  /** The predecessor cannot delete a protected database: its sample has deletion protection off. */
  deletionProtection: boolean;
}

/** Redraws the durations before every mutating request, so each operation takes its own time. */
function installJitter(world: SimWorld, base: SimTimings, random: () => number, spread: number): void {
  const sim = world.sim;
  const handle = sim.handle.bind(sim);
  sim.handle = (command: string, input: object) => {
    if (!/^(Describe|List)/.test(command)) Object.assign(sim.timings, jitterTimings(base, random, spread));
    return handle(command, input);
  };
}

function seed(world: SimWorld, kind: KindName, deletionProtection: boolean): void {
  const { identifier, snapshot } = TARGET[kind];
  if (kind === 'instance') {
    seedSampleInstance(world.sim, identifier, snapshot);
    const record = world.sim.store.instance(identifier);
    if (record) record.db.DeletionProtection = deletionProtection;
  } else {
    seedSampleCluster(world.sim, identifier, snapshot);
    const record = world.sim.store.cluster(identifier);
    if (record) record.db.DeletionProtection = deletionProtection;
  }
}

/** One run: a fresh world on virtual time, the probe beside it, the figures after it. */
export async function measureRun(options: RunOptions): Promise<RunMeasure> {
  const { kind, scenario, runIndex, probeIntervalSeconds } = options;
  const world = simWorld({ timers: sinonTimers(), timings: scenario.timings });
  try {
    seed(world, kind, options.deletionProtection);
    installJitter(world, scenario.timings, seededRandom(streamSeed(options.seed, runIndex, 1)), options.jitter);
    const { identifier } = TARGET[kind];
    const intervalMs = probeIntervalSeconds * 1000;
    const look = kind === 'instance' ? () => lookAtInstance(world.sim, identifier) : () => lookAtCluster(world.sim, identifier);
    const began = world.time.now();
    const probe = startProbe(look, intervalMs);
    const result = await withSeededMathRandom(seededRandom(streamSeed(options.seed, runIndex, 2)), () =>
      world.time.run(options.run(world, kind)),
    );
    const ended = world.time.now();
    const probed = summarizeProbe(probe.stop(), intervalMs);
    const totalSeconds = (ended - began) / 1000;
    const lags = detectionLags(world.sim.store.statusLog, world.sim.calls, began, ended);
    const reported = result.reported;
    return {
      driver: options.driver,
      kind,
      scenario: scenario.name,
      run: runIndex,
      outcome: result.outcome,
      totalSeconds,
      ...countCalls(world.sim.calls, totalSeconds),
      ...probed,
      reportedDowntimeSeconds: reported && (reported.seconds ?? (reported.endedAt - reported.startedAt) / 1000),
      reportStartOffsetSeconds: reported && probed.firstDownAt !== undefined ? (reported.startedAt - probed.firstDownAt) / 1000 : undefined,
      cutoverLagSeconds: reported && probed.upAgainAt !== undefined ? (reported.endedAt - probed.upAgainAt) / 1000 : undefined,
      lagMeanSeconds: lags.length > 0 ? lags.reduce((a, b) => a + b, 0) / lags.length : NaN,
      lagMaxSeconds: lags.length > 0 ? Math.max(...lags) : NaN,
    };
  } finally {
    world.stop();
  }
}
