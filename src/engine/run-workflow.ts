import type { Journal } from './journal.js';
import type { RunDocument } from './run-document.js';
import type { Clock } from '../time/clock.js';
import {
  describeError,
  InterruptedError,
  JournalError,
  OutcomeUnknownError,
  PreconditionError,
  RetryableStateError,
} from '../core/errors.js';
import { planResume, type ResumePlan } from './plan-resume.js';
import { retryDelayMs, type RetryPolicy } from './retry-policy.js';
import type { RunEvent, UnstampedRunEvent } from './run-events.js';
import { deriveProgress } from './run-progress.js';
import type { Step, StepIo, Workflow } from './step.js';

/** Sees every journaled event (after it is written) and transient status lines. */
export interface RunObserver {
  /** `title` is the step's title for step and compensation events. */
  event(event: RunEvent, doc: RunDocument, title?: string): void;
  status(stepId: string, text: string): void;
  /**
   * Told once, before this session's first event, the workflow's steps in order — every step of
   * the plan, including those a resumed run has already done — so progress can say "step n of N".
   */
  begin?(steps: readonly { id: string; title: string }[], doc: RunDocument): void;
  /** How far what a step waits for has come, in percent (RDS's PercentProgress), where RDS reports it. */
  progress?(stepId: string, percent: number): void;
}

/** What the runner needs from the outside world. */
export interface RunnerDeps {
  journal: Journal;
  clock: Clock;
  retry: RetryPolicy;
  signal: AbortSignal;
  observer?: RunObserver | undefined;
  pid: number;
  host: string;
  /** `trapheus abort`: revert this run (as a failure would) instead of going forward; refused past the point of no return. */
  revert?: { name: string; message: string } | undefined;
  /** Told what the runner is about to do before it writes anything; answering false stops it there (`declined`). */
  confirm?: ((plan: ResumePlan) => Promise<boolean>) | undefined;
}

/** A step failure as carried by outcomes, summaries and alerts. */
export interface StepFailure {
  stepId: string;
  name: string;
  message: string;
}

/** How a run (or this session of it) ended. */
export interface RunOutcome {
  status: 'succeeded' | 'rolled_back' | 'failed' | 'interrupted';
  /** The step failure that failed the run or started the revert. */
  failure?: StepFailure | undefined;
  /** The compensation that could not finish (the revert is incomplete). */
  compensationFailure?: StepFailure | undefined;
  /** `confirm` answered no: nothing was run or written, and `status` is where the run already stood. */
  declined?: boolean | undefined;
}

/** Attempts of one compensation that meets transient failures: about 75 minutes with the default delays (10 s doubling, 300 s at most). */
export const REVERT_ATTEMPTS = 20;

type AttemptResult = { ok: true } | { ok: false; interrupted: true } | { ok: false; interrupted: false; failure: StepFailure };

/**
 * Runs (or resumes) a workflow over a journaled run. The journal is written before anything
 * else learns of an event, so a crash at any point leaves a log a resume can continue from.
 * A failure before the point of no return reverts every step that *started* — not only those
 * that completed — because an action may have been issued before its wait failed.
 * Ctrl-C never starts a revert by itself: the user decides with `trapheus resume`.
 */
export async function runWorkflow<C>(workflow: Workflow<C>, ctx: C, doc: RunDocument, deps: RunnerDeps): Promise<RunOutcome> {
  const titles = new Map(workflow.steps.map((s) => [s.id, s.title]));
  const append = async (event: UnstampedRunEvent): Promise<void> => {
    const stamped = { ...event, at: deps.clock.now().toISOString() };
    doc.events.push(stamped);
    await deps.journal.save(doc); // throws JournalError: the run stops, touching nothing more
    const title = 'stepId' in stamped && stamped.stepId ? titles.get(stamped.stepId) : undefined;
    deps.observer?.event(stamped, doc, title);
  };
  const io = (stepId: string): StepIo => ({
    signal: deps.signal,
    status: (text) => deps.observer?.status(stepId, text),
    progress: (percent) => deps.observer?.progress?.(stepId, percent),
    notice: (level, message) => append({ type: 'notice', level, message, stepId }),
    checkpoint: () => deps.journal.save(doc),
  });

  const progress = deriveProgress(doc.events);
  if (deps.revert || deps.confirm) {
    const plan = planResume(workflow, doc.events, Boolean(deps.revert));
    if (deps.revert && plan.direction !== 'revert') {
      throw new PreconditionError(
        `Run ${doc.runId} is past its point of no return (${plan.pointOfNoReturn ?? 'its last step'} succeeded): the restored database is in place, so it can no longer be reverted.`,
        { hint: `Finish it instead: trapheus resume ${doc.runId}` },
      );
    }
    if (deps.confirm && !(await deps.confirm(plan))) {
      return { status: progress.status === 'failed' ? 'failed' : 'interrupted', failure: progress.failure, declined: true };
    }
  }
  deps.observer?.begin?.(
    workflow.steps.map((s) => ({ id: s.id, title: s.title })),
    doc,
  );
  await append(
    doc.events.length === 0
      ? { type: 'run_started', pid: deps.pid, host: deps.host }
      : { type: 'run_resumed', pid: deps.pid, host: deps.host },
  );

  const attempt = async (step: Step<C>, kind: 'run' | 'compensate'): Promise<AttemptResult> => {
    let previous = kind === 'run' ? (progress.attempts.get(step.id) ?? 0) : 0;
    let rechecked = false;
    for (let tries = 1; ; tries += 1) {
      if (deps.signal.aborted) return { ok: false, interrupted: true };
      const number = previous + 1;
      previous = number;
      await append(
        kind === 'run'
          ? { type: 'step_started', stepId: step.id, attempt: number }
          : { type: 'compensation_started', stepId: step.id, attempt: number },
      );
      try {
        if (kind === 'run') await step.run(ctx, io(step.id));
        else await step.compensate?.(ctx, io(step.id));
        await append(kind === 'run' ? { type: 'step_succeeded', stepId: step.id } : { type: 'compensation_succeeded', stepId: step.id });
        return { ok: true };
      } catch (error) {
        if (error instanceof JournalError) throw error;
        if (deps.signal.aborted || error instanceof InterruptedError) return { ok: false, interrupted: true };
        // An action whose answer was lost may have taken effect (a rename applied, then a
        // network error): the step is idempotent, so running it once more checks what happened
        // before the failure counts — and a revert never starts over a change that landed.
        const recheck: boolean = error instanceof OutcomeUnknownError && !rechecked;
        rechecked ||= recheck;
        // A revert is what puts the original back: it keeps trying through transient states and
        // lost answers (its steps are idempotent) far longer than a forward step does.
        const transient = error instanceof RetryableStateError || (kind === 'compensate' && error instanceof OutcomeUnknownError);
        const budget = kind === 'compensate' ? Math.max(deps.retry.attempts, REVERT_ATTEMPTS) : deps.retry.attempts;
        const willRetry = recheck || (transient && tries < budget);
        const info = describeError(error);
        await append(
          kind === 'run'
            ? { type: 'step_failed', stepId: step.id, attempt: number, error: info, willRetry }
            : { type: 'compensation_failed', stepId: step.id, attempt: number, error: info, willRetry },
        );
        if (!willRetry) return { ok: false, interrupted: false, failure: { stepId: step.id, ...info } };
        try {
          await deps.clock.sleep(retryDelayMs(deps.retry, tries), deps.signal);
        } catch {
          return { ok: false, interrupted: true };
        }
      }
    }
  };

  const interrupted = async (): Promise<RunOutcome> => {
    await append({ type: 'run_interrupted' });
    return { status: 'interrupted', failure: progress.failure };
  };

  const rollback = async (failure: StepFailure | undefined): Promise<RunOutcome> => {
    const toUndo = [...workflow.steps]
      .reverse()
      .filter((s) => s.compensate && progress.started.has(s.id) && !progress.compensated.has(s.id));
    for (const step of toUndo) {
      const result = await attempt(step, 'compensate');
      if (result.ok) {
        progress.compensated.add(step.id);
        continue;
      }
      if (result.interrupted) return interrupted();
      // Stop at the first compensation that cannot finish: later ones (e.g. renaming the
      // original back) may depend on it (the original name must be free first).
      await append({ type: 'run_finished', status: 'failed' });
      return { status: 'failed', failure, compensationFailure: result.failure };
    }
    await append({ type: 'run_finished', status: 'rolled_back' });
    return { status: 'rolled_back', failure };
  };

  if (deps.revert && !progress.rollingBack) {
    // Asked for (trapheus abort): the revert starts as a failure's would, from the last step that started.
    const lastStarted = doc.events.findLast((e) => e.type === 'step_started');
    const stepId = lastStarted && 'stepId' in lastStarted ? lastStarted.stepId : (workflow.steps[0]?.id ?? 'none');
    await append({ type: 'rollback_started', stepId, error: deps.revert });
    progress.rollingBack = true;
    progress.failure = { stepId, ...deps.revert };
  }
  if (progress.rollingBack) return rollback(progress.failure);

  const noReturnIndex = workflow.pointOfNoReturn
    ? workflow.steps.findIndex((s) => s.id === workflow.pointOfNoReturn)
    : workflow.steps.length - 1;
  for (const [index, step] of workflow.steps.entries()) {
    if (progress.succeeded.has(step.id)) continue;
    progress.started.add(step.id);
    const result = await attempt(step, 'run');
    if (result.ok) {
      progress.succeeded.add(step.id);
      continue;
    }
    if (result.interrupted) return interrupted();
    progress.failure = result.failure;
    if (index > noReturnIndex) {
      // Past the point of no return the new database is in place: never revert it.
      await append({ type: 'run_finished', status: 'failed' });
      return { status: 'failed', failure: result.failure };
    }
    await append({ type: 'rollback_started', stepId: step.id, error: { name: result.failure.name, message: result.failure.message } });
    progress.rollingBack = true;
    return rollback(result.failure);
  }
  await append({ type: 'run_finished', status: 'succeeded' });
  return { status: 'succeeded' };
}
