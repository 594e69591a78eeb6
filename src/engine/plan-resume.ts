import type { RunEvent } from './run-events.js';
import { deriveProgress } from './run-progress.js';
import type { Workflow } from './step.js';

/** What continuing a run would do, worked out from its journal alone: nothing is run or written. */
export interface ResumePlan {
  /** Forward through the steps left, the revert (under way, or asked for), or nothing (the run ended). */
  direction: 'forward' | 'revert' | 'none';
  /** The steps that would run (forward) or be undone (revert), in that order. */
  steps: { id: string; title: string }[];
  /** The step after whose success the run is no longer reverted. */
  pointOfNoReturn: string | undefined;
  /** That step succeeded: the run can only go forward. */
  pastPointOfNoReturn: boolean;
}

/**
 * What `runWorkflow` would do with this run's events, forward or — with `revert` (`trapheus
 * abort`), or when a revert is under way — backwards over every step that started and has an
 * undo, latest first (the same choice the runner makes).
 */
export function planResume<C>(workflow: Workflow<C>, events: readonly RunEvent[], revert = false): ResumePlan {
  const progress = deriveProgress(events);
  const last = workflow.steps[workflow.steps.length - 1]?.id;
  const pointOfNoReturn = workflow.pointOfNoReturn ?? last;
  const pastPointOfNoReturn = pointOfNoReturn !== undefined && progress.succeeded.has(pointOfNoReturn);
  const plan = (direction: ResumePlan['direction'], steps: Workflow<C>['steps']): ResumePlan => ({
    direction,
    steps: steps.map((s) => ({ id: s.id, title: direction === 'revert' ? (s.compensateTitle ?? `Undo: ${s.title}`) : s.title })),
    pointOfNoReturn,
    pastPointOfNoReturn,
  });
  if (progress.status === 'succeeded' || progress.status === 'rolled_back') return plan('none', []);
  if (progress.rollingBack || (revert && !pastPointOfNoReturn)) {
    const undo = [...workflow.steps].reverse().filter((s) => s.compensate && progress.started.has(s.id) && !progress.compensated.has(s.id));
    return plan('revert', undo);
  }
  return plan(
    'forward',
    workflow.steps.filter((s) => !progress.succeeded.has(s.id)),
  );
}
