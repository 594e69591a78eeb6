import { describeError, InterruptedError, PreconditionError, TrapheusError, UsageError } from '../../core/errors.js';
import type { RunSummary } from '../../core/run-summary.js';
import { LockHeldError } from '../../engine/journal.js';
import type { Clock } from '../../time/clock.js';

/**
 * How one database's run of a fleet ended, from the worst to the best. The fleet's outcome (and
 * so its exit code) is the worst of its runs:
 *
 *   interrupted (130) > needs_attention (4) > rolled_back (1) > precondition_failed (3) > skipped (5) > succeeded (0)
 *
 * Interrupted first: Ctrl-C stopped everything. Then what needs a person (a database left in a
 * state trapheus could not finish or revert), then what was changed and put back, then what was
 * refused before any change, then what another process was already doing. Usage errors (2) are
 * found before any run starts.
 */
export const FLEET_OUTCOMES = ['interrupted', 'needs_attention', 'rolled_back', 'precondition_failed', 'skipped', 'succeeded'] as const;
export type FleetOutcome = (typeof FLEET_OUTCOMES)[number];

/** One database's run, as the fleet's summary shows it. */
export interface FleetRunResult {
  identifier: string;
  /** null when no run was journaled (a failed preflight, a lock held elsewhere, not started before Ctrl-C). */
  runId: string | null;
  outcome: FleetOutcome;
  /** The run's own status (`succeeded`, `rolled_back`, `failed`…), or `error` when it never became a run. */
  status: string;
  durationMs: number;
  summary?: RunSummary;
  error?: { name: string; message: string; hint?: string };
}

export interface FleetResult {
  runs: FleetRunResult[];
  /** The worst outcome of `runs` (FLEET_OUTCOMES order); `succeeded` for an empty fleet. */
  worst: FleetOutcome;
}

export interface FleetOptions {
  /** At most this many runs at once (at least 1). */
  concurrency: number;
  clock: Pick<Clock, 'now'>;
  /** Ctrl-C: runs in flight are interrupted by their own signal (the same one); runs not started yet are not started. */
  signal?: AbortSignal;
}

/** One run of the fleet: the single-run path (prepare and start, or snapshot-only), its summary at the end. */
export type FleetRunner = (identifier: string) => Promise<RunSummary>;

/** The worse of two outcomes. */
export function worseOutcome(a: FleetOutcome, b: FleetOutcome): FleetOutcome {
  return FLEET_OUTCOMES.indexOf(a) <= FLEET_OUTCOMES.indexOf(b) ? a : b;
}

/** What a finished run's summary means for the fleet. */
export function outcomeOfSummary(summary: RunSummary): FleetOutcome {
  switch (summary.status) {
    case 'succeeded':
      return 'succeeded';
    case 'planned':
      return summary.error ? 'precondition_failed' : 'succeeded';
    case 'rolled_back':
      return 'rolled_back';
    case 'interrupted':
      return 'interrupted';
    default:
      return 'needs_attention';
  }
}

/** What a run that threw means: a lock held elsewhere is a skip, a refused precondition changed nothing. */
export function outcomeOfError(error: unknown): FleetOutcome {
  if (error instanceof LockHeldError) return 'skipped';
  if (error instanceof InterruptedError) return 'interrupted';
  if (error instanceof PreconditionError || error instanceof UsageError) return 'precondition_failed';
  return 'needs_attention';
}

/**
 * Runs `run` once per identifier, at most `concurrency` at a time, in the order given. Each run is
 * the single-run path with its own run id, journal, lock, revert and alert; one run's failure
 * never stops or reverts another. After Ctrl-C (the signal aborted) the runs in flight end as
 * their own Ctrl-C handling says (each journals `run_interrupted`) and the others are not started.
 */
export async function runFleet(identifiers: readonly string[], run: FleetRunner, options: FleetOptions): Promise<FleetResult> {
  const results: FleetRunResult[] = new Array<FleetRunResult>(identifiers.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < identifiers.length) {
      const index = next++;
      const identifier = identifiers[index] as string;
      results[index] = options.signal?.aborted ? notStarted(identifier) : await runOne(identifier, run, options.clock);
    }
  };
  const width = Math.max(1, Math.min(Math.floor(options.concurrency), identifiers.length));
  await Promise.all(Array.from({ length: width }, worker));
  return { runs: results, worst: results.reduce<FleetOutcome>((w, r) => worseOutcome(w, r.outcome), 'succeeded') };
}

async function runOne(identifier: string, run: FleetRunner, clock: Pick<Clock, 'now'>): Promise<FleetRunResult> {
  const started = clock.now().getTime();
  const elapsed = () => Math.max(0, clock.now().getTime() - started);
  try {
    const summary = await run(identifier);
    return {
      identifier,
      runId: summary.runId,
      outcome: outcomeOfSummary(summary),
      status: summary.status === 'planned' && summary.error ? 'error' : summary.status,
      durationMs: elapsed(),
      summary,
      ...(summary.error ? { error: { name: summary.error.name, message: summary.error.message } } : {}),
    };
  } catch (error) {
    const hint = error instanceof TrapheusError ? error.hint : undefined;
    return {
      identifier,
      runId: null,
      outcome: outcomeOfError(error),
      status: error instanceof LockHeldError ? 'skipped' : 'error',
      durationMs: elapsed(),
      error: { ...describeError(error), ...(hint ? { hint } : {}) },
    };
  }
}

function notStarted(identifier: string): FleetRunResult {
  return {
    identifier,
    runId: null,
    outcome: 'interrupted',
    status: 'interrupted',
    durationMs: 0,
    error: { name: 'InterruptedError', message: 'Not started: the fleet was interrupted first.' },
  };
}
