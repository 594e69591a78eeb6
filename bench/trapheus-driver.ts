/**
 * trapheus itself, as a user runs it: the service API (`prepareRestore`, then `start`) over the
 * production SdkRdsGateway and its waiters, whose RDSClient has the simulated RDS behind it.
 */
import { prepareRestore } from '../src/workflows/run/start-run.js';
import type { SimWorld } from '../test/sim/sim-world.js';
import type { KindName } from './bench-scenarios.js';
import { TARGET, type Driver, type DriverResult } from './run-measure.js';

/** The downtime window trapheus journaled (`state.downtime`), which its `downtimeSeconds` is computed from. */
function journaledDowntime(world: SimWorld): DriverResult['reported'] {
  const doc = [...world.journal.docs.values()].find((d) => d.command === 'restore');
  type Window = { startedAt?: string; endedAt?: string };
  const downtime = (doc?.state as { downtime?: Window & { failback?: Window } } | undefined)?.downtime;
  if (!downtime?.startedAt || !downtime.endedAt) return undefined;
  const window = { startedAt: Date.parse(downtime.startedAt), endedAt: Date.parse(downtime.endedAt) };
  const failback = downtime.failback;
  if (!failback?.startedAt || !failback.endedAt) return window;
  // A writer-last cut-over: two outages, the cluster renames and the fail-back (a failover).
  const failbackSeconds = (Date.parse(failback.endedAt) - Date.parse(failback.startedAt)) / 1000;
  return {
    startedAt: window.startedAt,
    endedAt: Date.parse(failback.endedAt),
    seconds: (window.endedAt - window.startedAt) / 1000 + failbackSeconds,
  };
}

export function trapheusDriver(strategy: 'swap' | 'rename-first'): Driver {
  return async (world: SimWorld, kind: KindName): Promise<DriverResult> => {
    const { identifier, snapshot } = TARGET[kind];
    const prepared = await prepareRestore(world.deps, { identifier, kind, snapshot, freshSnapshot: false, strategy });
    if (!prepared.ok) {
      await prepared.release();
      const failed = prepared.summary.preflight?.filter((c) => !c.ok).map((c) => c.name) ?? [];
      return { outcome: `preflight failed: ${failed.join(', ')}` };
    }
    const { outcome, summary } = await prepared.start();
    const reported = journaledDowntime(world);
    // The journaled window is what downtimeSeconds is computed from; check they agree, so the bench reports the tool's own figure.
    if (
      reported &&
      summary.downtimeSeconds !== undefined &&
      Math.abs((reported.seconds ?? (reported.endedAt - reported.startedAt) / 1000) - summary.downtimeSeconds) > 0.1
    )
      throw new Error(`downtimeSeconds ${summary.downtimeSeconds} differs from the journaled window.`);
    return { outcome: outcome.status === 'succeeded' ? 'succeeded' : `${outcome.status}`, reported };
  };
}
