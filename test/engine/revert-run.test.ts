import { describe, expect, it } from 'vitest';
import { OutcomeUnknownError, PreconditionError, RetryableStateError, StepError } from '../../src/core/errors.js';
import { planResume } from '../../src/engine/plan-resume.js';
import { RUN_SCHEMA_VERSION, type RunDocument } from '../../src/engine/run-document.js';
import type { RunEvent } from '../../src/engine/run-events.js';
import { REVERT_ATTEMPTS, runWorkflow, type RunnerDeps } from '../../src/engine/run-workflow.js';
import type { Step, Workflow } from '../../src/engine/step.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { MemoryJournal } from '../fakes/memory-journal.js';

type Log = string[];

const step = (id: string, undo = true): Step<Log> => ({
  id,
  title: `Step ${id}`,
  run: async (log) => void log.push(`run ${id}`),
  ...(undo ? { compensate: async (log: Log) => void log.push(`undo ${id}`) } : {}),
});

// a (no undo), b, c — point of no return — d.
const workflow: Workflow<Log> = { steps: [step('a', false), step('b'), step('c'), step('d')], pointOfNoReturn: 'c' };

function doc(events: RunEvent[]): RunDocument {
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    runId: 'run-1',
    command: 'test',
    workflow: 'test',
    identifier: 'db1',
    cluster: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    input: {},
    plan: {},
    state: {},
    events,
  };
}

const at = '2026-01-01T00:00:00.000Z';
const started = (stepId: string): RunEvent => ({ type: 'step_started', at, stepId, attempt: 1 });
const done = (stepId: string): RunEvent => ({ type: 'step_succeeded', at, stepId });
/** Stopped by Ctrl-C while b was running: a done, b started. */
const stoppedInB = (): RunEvent[] => [
  { type: 'run_started', at, pid: 1, host: 'h' },
  started('a'),
  done('a'),
  started('b'),
  { type: 'run_interrupted', at },
];

function deps(extra: Omit<Partial<RunnerDeps>, 'journal'> = {}): RunnerDeps & { journal: MemoryJournal } {
  return {
    journal: new MemoryJournal(),
    clock: new FakeClock(),
    signal: new AbortController().signal,
    retry: { attempts: 3, baseDelayMs: 10_000, factor: 2, maxDelayMs: 300_000 },
    pid: 1,
    host: 'test',
    ...extra,
  };
}

const revert = { name: 'RevertRequested', message: 'Reverted on request (trapheus abort).' };

describe('reverting a run on request (trapheus abort)', () => {
  it('before the point of no return: undoes every started step with an undo, latest first, and ends rolled back', async () => {
    const log: Log = [];
    const d = deps({ revert });
    const run = doc(stoppedInB());
    const outcome = await runWorkflow(workflow, log, run, d);
    expect(outcome).toMatchObject({ status: 'rolled_back', failure: { stepId: 'b', name: 'RevertRequested' } });
    expect(log).toEqual(['undo b']);
    expect(run.events.slice(5).map((e) => e.type)).toEqual([
      'run_resumed',
      'rollback_started',
      'compensation_started',
      'compensation_succeeded',
      'run_finished',
    ]);
  });

  it('past the point of no return: refused before anything is written or run', async () => {
    const log: Log = [];
    const d = deps({ revert });
    const run = doc([...stoppedInB().slice(0, 4), done('b'), started('c'), done('c'), started('d'), { type: 'run_interrupted', at }]);
    const before = run.events.length;
    const error = await runWorkflow(workflow, log, run, d).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionError);
    expect((error as Error).message).toMatch(/past its point of no return \(c succeeded\)/);
    expect((error as PreconditionError).hint).toBe('Finish it instead: trapheus resume run-1');
    expect(log).toEqual([]);
    expect(run.events).toHaveLength(before);
    expect(d.journal.writes).toBe(0);
  });

  it('tells the caller what it will do before it acts; a "no" writes and runs nothing', async () => {
    const log: Log = [];
    const seen: unknown[] = [];
    const d = deps({
      confirm: (plan) => {
        seen.push(plan);
        return Promise.resolve(false);
      },
    });
    const outcome = await runWorkflow(workflow, log, doc(stoppedInB()), d);
    expect(outcome).toMatchObject({ status: 'interrupted', declined: true });
    expect(seen).toEqual([
      {
        direction: 'forward',
        steps: ['b', 'c', 'd'].map((id) => ({ id, title: `Step ${id}` })),
        pointOfNoReturn: 'c',
        pastPointOfNoReturn: false,
      },
    ]);
    expect(log).toEqual([]);
    expect(d.journal.writes).toBe(0);
  });
});

describe('planResume', () => {
  it('continues a revert under way, whatever was asked', () => {
    const events: RunEvent[] = [
      ...stoppedInB().slice(0, 4),
      { type: 'step_failed', at, stepId: 'b', attempt: 1, error: { name: 'E', message: 'm' }, willRetry: false },
      { type: 'rollback_started', at, stepId: 'b', error: { name: 'E', message: 'm' } },
    ];
    expect(planResume(workflow, events)).toMatchObject({ direction: 'revert', steps: [{ id: 'b', title: 'Undo: Step b' }] });
  });

  it('has nothing to do for a finished run', () => {
    expect(planResume(workflow, [...stoppedInB(), { type: 'run_finished', at, status: 'succeeded' }]).direction).toBe('none');
  });
});

describe('a revert keeps trying through transient failures', () => {
  const flaky = (failures: number, error: () => Error): Step<Log> => {
    let left = failures;
    return {
      id: 'b',
      title: 'Step b',
      run: async () => {
        throw new StepError('b failed');
      },
      compensate: async (log) => {
        log.push('undo b');
        if (left-- > 0) throw error();
      },
    };
  };

  it.each([
    ['a lost answer', () => new OutcomeUnknownError('rename: socket hang up')],
    ['a transient state (throttled, busy)', () => new RetryableStateError('rename: Throttling')],
  ])('%s: retried with backoff on the injected clock, well beyond the attempts of a forward step', async (_what, error) => {
    const log: Log = [];
    const clock = new FakeClock();
    const d = deps({ clock });
    const outcome = await runWorkflow({ steps: [step('a', false), flaky(REVERT_ATTEMPTS - 1, error)] }, log, doc([]), d);
    expect(outcome.status).toBe('rolled_back');
    expect(log.filter((l) => l === 'undo b')).toHaveLength(REVERT_ATTEMPTS);
    expect(clock.sleeps).toHaveLength(REVERT_ATTEMPTS - 1);
    expect(Math.max(...clock.sleeps)).toBe(300_000);
  });

  it('still stops at a failure that is not transient, and after the budget', async () => {
    const stop = await runWorkflow({ steps: [flaky(1, () => new StepError('AccessDenied'))] }, [], doc([]), deps());
    expect(stop).toMatchObject({ status: 'failed', compensationFailure: { name: 'StepError' } });
    const budget = await runWorkflow({ steps: [flaky(REVERT_ATTEMPTS, () => new OutcomeUnknownError('x'))] }, [], doc([]), deps());
    expect(budget).toMatchObject({ status: 'failed', compensationFailure: { name: 'OutcomeUnknownError' } });
  });
});
