/**
 * The outside view of a restore: an independent probe of the database's endpoint, as a client
 * would see it, on the same virtual clock as the run but not through trapheus. Every
 * `intervalMs` it asks the simulated store (not the API: it makes no RDS request and is not
 * counted) whether the original name resolves and answers as available.
 *
 * - An instance is up when an instance of that name exists and is `available`.
 * - A cluster is up when a cluster of that name is `available` and its writer instance is
 *   `available` (clients use the cluster endpoint; it serves while the writer does).
 *
 * A resolvable database in a status where RDS keeps it open (`backing-up`, `modifying`, …) is
 * counted apart as `busy`: not available by the probe's definition, but probably serving.
 */
import type { SimulatedRds } from '../test/sim/simulated-rds.js';

/** What one look at the endpoint found. */
export type ProbeState = 'up' | 'busy' | 'down';

export interface ProbeSample {
  /** Virtual time, ms. */
  at: number;
  state: ProbeState;
  /** The status seen, or `unresolved` when no database has the name. */
  status: string;
}

/** Statuses in which RDS keeps a database open while it works on it (RDS user guide, "Viewing Amazon RDS DB instance status"). */
const BUSY_SERVING = new Set([
  'backing-up',
  'modifying',
  'configuring-enhanced-monitoring',
  'configuring-iam-database-auth',
  'configuring-log-exports',
  'storage-optimization',
]);

const stateOf = (status: string | undefined): ProbeState =>
  status === 'available' ? 'up' : status !== undefined && BUSY_SERVING.has(status) ? 'busy' : 'down';

/** One look at an instance's endpoint. */
export function lookAtInstance(sim: SimulatedRds, identifier: string): Omit<ProbeSample, 'at'> {
  const status = sim.instance(identifier)?.DBInstanceStatus;
  return { state: status === undefined ? 'down' : stateOf(status), status: status ?? 'unresolved' };
}

/** One look at a cluster's (writer) endpoint. */
export function lookAtCluster(sim: SimulatedRds, identifier: string): Omit<ProbeSample, 'at'> {
  const cluster = sim.cluster(identifier);
  if (!cluster) return { state: 'down', status: 'unresolved' };
  const writer = cluster.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
  const writerStatus = writer === undefined ? 'no-writer' : (sim.instance(writer)?.DBInstanceStatus ?? 'no-writer');
  const clusterState = stateOf(cluster.Status);
  const writerState = stateOf(writerStatus);
  const state: ProbeState = clusterState === 'down' || writerState === 'down' ? 'down' : clusterState === 'busy' ? 'busy' : writerState;
  return { state, status: `${cluster.Status ?? 'unknown'}/${writerStatus}` };
}

/** A running probe; `stop` ends it and hands over what it saw. */
export interface Probe {
  stop(): ProbeSample[];
}

/**
 * Looks every `intervalMs` of (virtual) time, first at once. It uses the global `setTimeout`, so
 * under fake timers it moves with the run and never waits in real time.
 */
export function startProbe(look: () => Omit<ProbeSample, 'at'>, intervalMs: number): Probe {
  const samples: ProbeSample[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    samples.push({ at: Date.now(), ...look() });
    timer = setTimeout(tick, intervalMs);
  };
  tick();
  return {
    stop: () => {
      if (timer !== undefined) clearTimeout(timer);
      return samples;
    },
  };
}

/** What the probe saw, in seconds. */
export interface ProbeSummary {
  /** Time the name did not answer as available (each sample stands for one interval). */
  downtimeSeconds: number;
  /** Of it, time in a status where the database probably served (`busy`). */
  busySeconds: number;
  /** Separate outages (an outage: samples not `up`, between two `up` samples). */
  outages: number;
  /** The longest outage. */
  longestOutageSeconds: number;
  /** First sample not up, and first sample up again after the last outage (ms), if any outage. */
  firstDownAt?: number | undefined;
  upAgainAt?: number | undefined;
}

/** Sums samples taken every `intervalMs` into outages; pure, so it is unit-tested. */
export function summarizeProbe(samples: ProbeSample[], intervalMs: number): ProbeSummary {
  const seconds = intervalMs / 1000;
  let downtimeSeconds = 0;
  let busySeconds = 0;
  let outages = 0;
  let longest = 0;
  let current = 0;
  let firstDownAt: number | undefined;
  let upAgainAt: number | undefined;
  for (const sample of samples) {
    if (sample.state === 'up') {
      if (current > 0) upAgainAt = sample.at;
      current = 0;
      continue;
    }
    if (current === 0) outages += 1;
    firstDownAt ??= sample.at;
    current += seconds;
    longest = Math.max(longest, current);
    downtimeSeconds += seconds;
    if (sample.state === 'busy') busySeconds += seconds;
  }
  if (current > 0) upAgainAt = undefined; // still down at the end
  return { downtimeSeconds, busySeconds, outages, longestOutageSeconds: longest, firstDownAt, upAgainAt };
}
