import { describe, expect, it } from 'vitest';
import { InterruptedError, PreconditionError, StepError } from '../../src/core/errors.js';
import type { RunSummary } from '../../src/core/run-summary.js';
import { LockHeldError } from '../../src/engine/journal.js';
import { runFleet, worseOutcome, type FleetOutcome } from '../../src/workflows/run/fleet-run.js';

const clock = { now: () => new Date('2026-11-26T10:00:00Z') };

function summary(identifier: string, status: RunSummary['status'], error?: RunSummary['error']): RunSummary {
  return {
    runId: `run-${identifier}`,
    command: 'restore',
    identifier,
    cluster: false,
    status,
    steps: [],
    configDifferences: [],
    warnings: [],
    ...(error ? { error } : {}),
  };
}

/** A run that ends when told to, so a test sees how many are in flight at once. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('runFleet', () => {
  it('never runs more than --concurrency at once, and runs every database', async () => {
    let inFlight = 0;
    let peak = 0;
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const result = await runFleet(
      ids,
      async (id) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return summary(id, 'succeeded');
      },
      { concurrency: 3, clock },
    );
    expect(peak).toBe(3);
    expect(result.runs.map((r) => r.identifier)).toEqual(ids);
    expect(result.runs.map((r) => r.runId)).toEqual(ids.map((id) => `run-${id}`));
    expect(result.worst).toBe('succeeded');
  });

  it('one failure does not stop the others, and the fleet ends with the worst outcome', async () => {
    const started: string[] = [];
    const result = await runFleet(
      ['ok1', 'boom', 'ok2', 'locked', 'refused', 'back'],
      async (id) => {
        started.push(id);
        if (id === 'boom') throw new StepError('the rename failed');
        if (id === 'locked') throw new LockHeldError('locked by another process');
        if (id === 'refused') throw new PreconditionError('no snapshot');
        if (id === 'back') return summary(id, 'rolled_back');
        return summary(id, 'succeeded');
      },
      { concurrency: 1, clock },
    );
    expect(started).toEqual(['ok1', 'boom', 'ok2', 'locked', 'refused', 'back']);
    expect(Object.fromEntries(result.runs.map((r) => [r.identifier, r.outcome]))).toEqual({
      ok1: 'succeeded',
      boom: 'needs_attention',
      ok2: 'succeeded',
      locked: 'skipped',
      refused: 'precondition_failed',
      back: 'rolled_back',
    });
    expect(result.runs.find((r) => r.identifier === 'locked')?.status).toBe('skipped');
    expect(result.runs.find((r) => r.identifier === 'boom')?.error?.message).toBe('the rename failed');
    expect(result.worst).toBe('needs_attention');
  });

  it('orders outcomes: interrupted > needs attention > rolled back > precondition > skipped > succeeded', () => {
    const order: FleetOutcome[] = ['interrupted', 'needs_attention', 'rolled_back', 'precondition_failed', 'skipped', 'succeeded'];
    for (let i = 0; i < order.length; i++)
      for (let j = i; j < order.length; j++) {
        expect(worseOutcome(order[i]!, order[j]!)).toBe(order[i]);
        expect(worseOutcome(order[j]!, order[i]!)).toBe(order[i]);
      }
  });

  it('a failed preflight (planned with an error) is a precondition failure; a failed run needs attention', async () => {
    const result = await runFleet(
      ['p', 'f'],
      async (id) => (id === 'p' ? summary(id, 'planned', { name: 'PreconditionError', message: 'no' }) : summary(id, 'failed')),
      { concurrency: 2, clock },
    );
    expect(result.runs.map((r) => [r.outcome, r.status])).toEqual([
      ['precondition_failed', 'error'],
      ['needs_attention', 'failed'],
    ]);
  });

  it('Ctrl-C: the runs in flight end interrupted, the others are never started', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const inFlight = gate();
    const fleet = runFleet(
      ['a', 'b', 'c', 'd'],
      async (id) => {
        started.push(id);
        if (started.length === 2) inFlight.open();
        // Each run's own Ctrl-C handling: it journals run_interrupted and ends interrupted.
        await new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve()));
        return summary(id, 'interrupted');
      },
      { concurrency: 2, clock, signal: controller.signal },
    );
    await inFlight.opened;
    controller.abort(new InterruptedError('Interrupted'));
    const result = await fleet;
    expect(started).toEqual(['a', 'b']);
    expect(result.runs.map((r) => [r.identifier, r.outcome, r.runId])).toEqual([
      ['a', 'interrupted', 'run-a'],
      ['b', 'interrupted', 'run-b'],
      ['c', 'interrupted', null],
      ['d', 'interrupted', null],
    ]);
    expect(result.worst).toBe('interrupted');
  });

  it('measures each run on the injected clock', async () => {
    let t = 0;
    const ticking = { now: () => new Date(t) };
    const result = await runFleet(
      ['a'],
      async (id) => {
        t += 90_000;
        return summary(id, 'succeeded');
      },
      { concurrency: 4, clock: ticking },
    );
    expect(result.runs[0]?.durationMs).toBe(90_000);
  });
});
