/**
 * RDS API calls as RDS saw them (`sim.calls`: every SDK attempt, with its virtual time), and the
 * lag between a resource reaching a state and the caller looking at it. Pure functions.
 */
import type { SimCall } from '../test/sim/simulated-rds.js';
import type { StatusChange } from '../test/sim/sim-store.js';

const READ_ONLY = /^(Describe|List)/;

/** Counts of one run's calls. */
export interface CallCounts {
  /** Requests that may change something (everything but Describe… and List…). */
  mutating: number;
  /** Describe… and List… requests (status checks, preflight, verification). */
  describe: number;
  /** Describe calls per minute of the run (calls take no virtual time: the run is all waiting). */
  describePerMinute: number;
  /** Most requests in any 1-second window (RDS throttles at about 12/s sustained, 300 burst per account and region). */
  peakPerSecond: number;
}

export function countCalls(calls: SimCall[], durationSeconds: number): CallCounts {
  const describe = calls.filter((c) => READ_ONLY.test(c.command)).length;
  return {
    mutating: calls.length - describe,
    describe,
    describePerMinute: durationSeconds > 0 ? describe / (durationSeconds / 60) : 0,
    peakPerSecond: peakInWindow(
      calls.map((c) => c.at.getTime()),
      1000,
    ),
  };
}

/** The most timestamps (ms) within any window of `windowMs` (half-open: [t, t + windowMs)). */
export function peakInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while ((sorted[last] ?? 0) - (sorted[first] ?? 0) >= windowMs) first += 1;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

/** Whether a Describe call looked at `kind` `identifier` (by name, ARN or filter; no name and no filter: every one). */
export function looksAt(call: SimCall, kind: 'instance' | 'cluster', identifier: string): boolean {
  const [command, idKey, filterName, arnType] =
    kind === 'instance'
      ? ['DescribeDBInstances', 'DBInstanceIdentifier', 'db-instance-id', 'db']
      : ['DescribeDBClusters', 'DBClusterIdentifier', 'db-cluster-id', 'cluster'];
  if (call.command !== command) return false;
  const name = identifier.toLowerCase();
  const matches = (value: unknown) =>
    typeof value === 'string' && (value.toLowerCase() === name || value.toLowerCase().endsWith(`:${arnType}:${name}`));
  const id = call.input[idKey];
  if (id !== undefined) return matches(id);
  const filters = call.input.Filters as { Name?: string; Values?: string[] }[] | undefined;
  const values = filters?.find((f) => f.Name === filterName)?.Values;
  if (values !== undefined) return values.some(matches);
  return filters === undefined || filters.length === 0;
}

/**
 * Detection lag of the waits of a run: for every change to `available` or `deleted` between
 * `fromMs` and `toMs` that the caller was polling for — it had looked at the resource within
 * `watchMs` before the change — the time until it next looked. Changes nobody was waiting for
 * (a retired original finishing its rename while the run does something else) are left out.
 */
export function detectionLags(log: StatusChange[], calls: SimCall[], fromMs: number, toMs: number, watchMs = 300_000): number[] {
  const lags: number[] = [];
  for (const change of log) {
    if (change.at < fromMs || change.at > toMs) continue;
    if (change.status !== 'available' && change.status !== 'deleted') continue;
    const relevant = calls.filter((c) => looksAt(c, change.kind, change.identifier));
    const before = relevant.findLast((c) => c.at.getTime() < change.at);
    const after = relevant.find((c) => c.at.getTime() >= change.at);
    if (!before || !after || after.at.getTime() - before.at.getTime() > watchMs) continue;
    lags.push((after.at.getTime() - change.at) / 1000);
  }
  return lags;
}
