import type { ResumePlan } from '../engine/plan-resume.js';
import type { RunDocument } from '../engine/run-document.js';
import { deriveProgress } from '../engine/run-progress.js';

/** `restore of db1 (run …, interrupted at restore-snapshot)`: which run, in words. */
export function describeRun(doc: RunDocument): string {
  const progress = deriveProgress(doc.events);
  const lastStep = doc.events.findLast((e) => e.type === 'step_started' || e.type === 'compensation_started');
  const where = lastStep && 'stepId' in lastStep ? ` at ${lastStep.stepId}` : '';
  const state = progress.status === 'running' ? 'stopped without a trace (its process is gone)' : progress.status;
  return `run ${doc.runId} (${doc.command} of ${doc.cluster ? 'cluster ' : ''}${doc.identifier}, ${state}${where})`;
}

/** What a resume (or an abort) does next, one line per step. */
export function describePlan(plan: ResumePlan): string[] {
  if (plan.direction === 'none') return ['Nothing: the run has ended.'];
  const head =
    plan.direction === 'revert'
      ? 'It reverts: it deletes what the run restored and puts the original back under its name, undoing'
      : `It goes forward${plan.pastPointOfNoReturn ? ' (past its point of no return: it can only go forward)' : ''} with`;
  if (plan.steps.length === 0) return [`${head} nothing more.`];
  return [`${head}:`, ...plan.steps.map((s, i) => `  ${i + 1}. ${s.id} — ${s.title}`)];
}
