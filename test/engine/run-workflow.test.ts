import { describe, expect, it } from 'vitest';
import { JournalError, OutcomeUnknownError, RetryableStateError, StepError } from '../../src/core/errors.js';
import type { RunEvent } from '../../src/engine/run-events.js';
import { runWorkflow, type RunnerDeps } from '../../src/engine/run-workflow.js';
import type { Step, Workflow } from '../../src/engine/step.js';
import { RUN_SCHEMA_VERSION, type RunDocument } from '../../src/engine/run-document.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { MemoryJournal, SimulatedCrash } from '../fakes/memory-journal.js';

type Log = string[];

/** A step that logs what it does and can be told to fail. */
function step(id: string, opts: { fail?: () => Error | undefined; failUndo?: () => Error | undefined; undo?: boolean } = {}): Step<Log> {
  return {
    id,
    title: `Step ${id}`,
    async run(log) {
      log.push(`run ${id}`);
      const error = opts.fail?.();
      if (error) throw error;
    },
    ...(opts.undo === false
      ? {}
      : {
          async compensate(log: Log) {
            log.push(`undo ${id}`);
            const error = opts.failUndo?.();
            if (error) throw error;
          },
        }),
  };
}

function newDoc(): RunDocument {
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
    events: [],
  };
}

function deps(
  journal = new MemoryJournal(),
  clock = new FakeClock(),
  signal = new AbortController().signal,
): RunnerDeps & { journal: MemoryJournal; clock: FakeClock } {
  return {
    journal,
    clock,
    signal,
    retry: { attempts: 3, baseDelayMs: 10_000, factor: 2, maxDelayMs: 300_000 },
    pid: 1,
    host: 'test',
  };
}

const types = (events: RunEvent[]): string[] => events.map((e) => ('stepId' in e ? `${e.type}:${e.stepId}` : e.type));

describe('runWorkflow', () => {
  it('runs every step in order and journals each before the next starts', async () => {
    const log: Log = [];
    const d = deps();
    const doc = newDoc();
    const outcome = await runWorkflow({ steps: [step('a'), step('b')] }, log, doc, d);
    expect(outcome.status).toBe('succeeded');
    expect(log).toEqual(['run a', 'run b']);
    expect(types((await d.journal.load('run-1')).events)).toEqual([
      'run_started',
      'step_started:a',
      'step_succeeded:a',
      'step_started:b',
      'step_succeeded:b',
      'run_finished',
    ]);
  });

  it('reverts every started step in reverse order, the failed one included, when a step fails before the point of no return', async () => {
    const log: Log = [];
    const wf: Workflow<Log> = {
      steps: [step('a'), step('b'), step('c', { fail: () => new StepError('boom') }), step('d')],
      pointOfNoReturn: 'c',
    };
    const outcome = await runWorkflow(wf, log, newDoc(), deps());
    expect(outcome).toMatchObject({ status: 'rolled_back', failure: { stepId: 'c', name: 'StepError', message: 'boom' } });
    expect(log).toEqual(['run a', 'run b', 'run c', 'undo c', 'undo b', 'undo a']);
  });

  it('does not revert a failure after the point of no return, and a resume retries that step', async () => {
    const log: Log = [];
    let failing = true;
    const wf: Workflow<Log> = {
      steps: [step('a'), step('b'), step('c', { fail: () => (failing ? new StepError('delete failed') : undefined) })],
      pointOfNoReturn: 'b',
    };
    const d = deps();
    const doc = newDoc();
    expect((await runWorkflow(wf, log, doc, d)).status).toBe('failed');
    expect(log).toEqual(['run a', 'run b', 'run c']);

    failing = false;
    const resumed = await d.journal.load('run-1');
    const outcome = await runWorkflow(wf, log, resumed, d);
    expect(outcome.status).toBe('succeeded');
    expect(log).toEqual(['run a', 'run b', 'run c', 'run c']);
    expect(
      resumed.events.filter((e) => e.type === 'step_started' && e.stepId === 'c').map((e) => (e as { attempt: number }).attempt),
    ).toEqual([1, 2]);
  });

  it('stops the revert at a compensation that fails, and a resume continues the revert only', async () => {
    const log: Log = [];
    let undoFails = true;
    const wf: Workflow<Log> = {
      steps: [
        step('a'),
        step('b', { failUndo: () => (undoFails ? new StepError('cannot delete') : undefined) }),
        step('c', { fail: () => new StepError('boom') }),
      ],
    };
    const d = deps();
    const outcome = await runWorkflow(wf, log, newDoc(), d);
    expect(outcome).toMatchObject({
      status: 'failed',
      failure: { stepId: 'c' },
      compensationFailure: { stepId: 'b', message: 'cannot delete' },
    });
    expect(log).toEqual(['run a', 'run b', 'run c', 'undo c', 'undo b']);

    undoFails = false;
    const again = await runWorkflow(wf, log, await d.journal.load('run-1'), d);
    expect(again).toMatchObject({ status: 'rolled_back', failure: { stepId: 'c' } });
    // No step runs forward again; 'c' is not undone twice.
    expect(log.slice(5)).toEqual(['undo b', 'undo a']);
  });

  it('retries a transient state with exponential backoff on the injected clock, journaling each attempt', async () => {
    const log: Log = [];
    let failures = 2;
    const wf: Workflow<Log> = {
      steps: [step('a', { fail: () => (failures-- > 0 ? new RetryableStateError('InvalidDBInstanceState') : undefined) })],
    };
    const d = deps();
    const outcome = await runWorkflow(wf, log, newDoc(), d);
    expect(outcome.status).toBe('succeeded');
    expect(d.clock.sleeps).toEqual([10_000, 20_000]);
    const doc = await d.journal.load('run-1');
    expect(doc.events.filter((e) => e.type === 'step_failed').map((e) => (e as { willRetry: boolean }).willRetry)).toEqual([true, true]);
  });

  it('gives up after the configured attempts and reverts', async () => {
    const log: Log = [];
    const wf: Workflow<Log> = { steps: [step('a'), step('b', { fail: () => new RetryableStateError('busy') })] };
    const d = deps();
    const outcome = await runWorkflow(wf, log, newDoc(), d);
    expect(outcome.status).toBe('rolled_back');
    expect(log.filter((l) => l === 'run b')).toHaveLength(3);
    expect(d.clock.sleeps).toHaveLength(2);
  });

  it('never retries a plain step error', async () => {
    const log: Log = [];
    const d = deps();
    await runWorkflow({ steps: [step('a', { fail: () => new StepError('no') })] }, log, newDoc(), d);
    expect(log.filter((l) => l === 'run a')).toHaveLength(1);
    expect(d.clock.sleeps).toEqual([]);
  });

  it('records an interruption without reverting anything, and a resume continues forward', async () => {
    const log: Log = [];
    const controller = new AbortController();
    const wf: Workflow<Log> = {
      steps: [
        step('a'),
        {
          id: 'b',
          title: 'b',
          async run(l) {
            l.push('run b');
            controller.abort(new Error('SIGINT'));
            throw new Error('aborted');
          },
          async compensate(l) {
            l.push('undo b');
          },
        },
        step('c'),
      ],
    };
    const d = deps(new MemoryJournal(), new FakeClock(), controller.signal);
    const outcome = await runWorkflow(wf, log, newDoc(), d);
    expect(outcome.status).toBe('interrupted');
    expect(log).toEqual(['run a', 'run b']);
    const doc = await d.journal.load('run-1');
    expect(doc.events.at(-1)?.type).toBe('run_interrupted');

    wf.steps[1] = step('b');
    const resumed = await runWorkflow(wf, log, doc, deps(d.journal));
    expect(resumed.status).toBe('succeeded');
    expect(log).toEqual(['run a', 'run b', 'run b', 'run c']);
    expect(doc.events.some((e) => e.type === 'run_resumed')).toBe(true);
  });

  it('stops at once when the journal cannot be written: the next action never happens', async () => {
    const log: Log = [];
    const journal = new MemoryJournal();
    journal.crashAfterWrites = 2; // run_started, step_started:a
    await expect(runWorkflow({ steps: [step('a'), step('b')] }, log, newDoc(), deps(journal))).rejects.toBeInstanceOf(JournalError);
    expect(log).toEqual(['run a']);
  });

  it('resumes after a crash at any journal write: every step runs to success exactly once, and no step is skipped (counted)', async () => {
    const wf: Workflow<Log> = { steps: [step('a'), step('b'), step('c')] };
    // run_started + 3 × (step_started, step_succeeded) + run_finished = 8 writes; crash after each but the last.
    for (let n = 1; n < 8; n += 1) {
      const log: Log = [];
      const journal = new MemoryJournal();
      journal.crashAfterWrites = n;
      await expect(runWorkflow(wf, log, newDoc(), deps(journal))).rejects.toBeInstanceOf(SimulatedCrash);
      journal.crashAfterWrites = undefined;
      const doc = await journal.load('run-1');
      const beforeResume = structuredClone(doc.events);
      const outcome = await runWorkflow(wf, log, doc, deps(journal));
      expect(outcome.status, `crash after write ${n}`).toBe('succeeded');
      const final = await journal.load('run-1');
      for (const id of ['a', 'b', 'c']) {
        // Journaled as succeeded exactly once …
        expect(final.events.filter((e) => e.type === 'step_succeeded' && e.stepId === id).length, `${id}, crash after write ${n}`).toBe(1);
        // … and run at most twice: once more only if the crash fell between its start and its success.
        const runs = log.filter((l) => l === `run ${id}`).length;
        const startedBeforeCrash = beforeResume.some((e) => e.type === 'step_started' && e.stepId === id);
        const succeededBeforeCrash = beforeResume.some((e) => e.type === 'step_succeeded' && e.stepId === id);
        expect(runs, `${id}, crash after write ${n}`).toBe(startedBeforeCrash && !succeededBeforeCrash ? 2 : 1);
      }
    }
  });

  it('re-checks a step once when the outcome of its action is unknown, instead of reverting', async () => {
    let lost = 1;
    const wf: Workflow<Log> = {
      steps: [step('a'), step('b', { fail: () => (lost-- > 0 ? new OutcomeUnknownError('socket hang up') : undefined) }), step('c')],
    };
    const log: Log = [];
    const d = deps();
    const outcome = await runWorkflow(wf, log, newDoc(), d);
    expect(outcome.status).toBe('succeeded');
    expect(log).toEqual(['run a', 'run b', 'run b', 'run c']);
    const doc = await d.journal.load('run-1');
    expect(types(doc.events)).toContain('step_failed:b');
    expect(doc.events.find((e) => e.type === 'step_failed')).toMatchObject({ willRetry: true });
  });

  it('reverts when the outcome stays unknown after the one re-check', async () => {
    const wf: Workflow<Log> = { steps: [step('a'), step('b', { fail: () => new OutcomeUnknownError('socket hang up') })] };
    const log: Log = [];
    const outcome = await runWorkflow(wf, log, newDoc(), deps());
    expect(outcome.status).toBe('rolled_back');
    expect(log).toEqual(['run a', 'run b', 'run b', 'undo b', 'undo a']);
  });
});
