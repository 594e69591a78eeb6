import type { RunDocument } from '../../engine/run-document.js';
import type { RunEvent } from '../../engine/run-events.js';
import { formatDuration } from '../format.js';

/** One step of the workflow as the runner announces it (`RunObserver.begin`). */
export interface StepInfo {
  id: string;
  title: string;
}

/** Where a run stands for a progress line: which step of how many, and for how long. */
export interface StepPosition {
  /** 1-based index of the step in the workflow (steps a resumed run has done count too). */
  n: number;
  /** Every step of the workflow, as `--dry-run` lists them, including those that turn out to have nothing to do. */
  of: number;
}

/** The percent progress RDS reported for the awaited resource, and the time left if it can be told. */
export interface ProgressEstimate {
  percent: number;
  /** Absent while the rate is unknown (one observation, or no progress since the first). */
  remainingMs?: number | undefined;
}

/**
 * What both reporters (and the log file) say about a run besides its events: step n of N,
 * the time since this session began, and the awaited resource's percent progress with an
 * estimate of the time left. The estimate is the average rate since the step's first
 * observation (percent gained over time taken): nothing is said until the percent has moved,
 * rather than a guess.
 */
export class RunTracker {
  private steps: readonly StepInfo[] = [];
  private since: number | undefined;
  private samples = new Map<string, { first: { at: number; percent: number }; last: { at: number; percent: number } }>();

  constructor(private readonly now: () => number) {}

  /** The workflow's steps, told once by the runner before this session's first event. */
  begin(steps: readonly StepInfo[]): void {
    this.steps = steps;
    this.since ??= this.now();
  }

  /** Notes an event: the session's clock starts at the first one seen, a step's progress restarts with the step. */
  event(event: RunEvent): void {
    this.since ??= this.now();
    if (event.type === 'step_started' || event.type === 'compensation_started') this.samples.delete(event.stepId);
  }

  /** How many steps the workflow has (0: not told). */
  get stepCount(): number {
    return this.steps.length;
  }

  /** Step n of N, when the runner told the steps and this is one of them. */
  position(stepId: string): StepPosition | undefined {
    const index = this.steps.findIndex((s) => s.id === stepId);
    return index < 0 ? undefined : { n: index + 1, of: this.steps.length };
  }

  /** Milliseconds since this session began (its first event, or the runner's `begin`). */
  elapsedMs(): number {
    return this.since === undefined ? 0 : Math.max(0, this.now() - this.since);
  }

  /** Records a percent RDS reported for the step's awaited resource. */
  progress(stepId: string, percent: number): void {
    const sample = { at: this.now(), percent: Math.min(100, Math.max(0, percent)) };
    const known = this.samples.get(stepId);
    if (known) known.last = sample;
    else this.samples.set(stepId, { first: sample, last: sample });
  }

  /** The step's last percent and, once it has moved, the time left at the average rate so far. */
  estimate(stepId: string): ProgressEstimate | undefined {
    const known = this.samples.get(stepId);
    if (!known) return undefined;
    const { first, last } = known;
    const gained = last.percent - first.percent;
    const took = last.at - first.at;
    if (gained <= 0 || took <= 0 || last.percent >= 100) return { percent: last.percent };
    // From the last observation, at the average rate; the time since then is taken off (never below zero).
    const remainingMs = Math.max(0, ((100 - last.percent) * took) / gained - (this.now() - last.at));
    return { percent: last.percent, remainingMs };
  }
}

/** `about 3m 10s left`. */
export const formatRemaining = (remainingMs: number): string => `about ${formatDuration(remainingMs / 1000)} left`;

/** `42%, about 3m 10s left` — or just `42%` while the rate is unknown. */
export function formatEstimate(estimate: ProgressEstimate): string {
  return `${estimate.percent}%${estimate.remainingMs === undefined ? '' : `, ${formatRemaining(estimate.remainingMs)}`}`;
}

/** `step 3/12`. */
export const formatPosition = (position: StepPosition): string => `step ${position.n}/${position.of}`;

/**
 * What the run is about to do, said before its first change: the database (identifier, kind,
 * region), the snapshot and the strategy, the number of steps and the run id.
 */
export function describeRun(doc: RunDocument, stepCount: number, resumed: boolean): string {
  const kind = doc.cluster ? 'Aurora DB cluster' : 'DB instance';
  const where = `${doc.identifier} (${kind}${doc.region ? `, ${doc.region}` : ''})`;
  const snapshot = typeof doc.plan.snapshotIdentifier === 'string' ? doc.plan.snapshotIdentifier : undefined;
  const strategy = typeof doc.plan.strategy === 'string' ? doc.plan.strategy : undefined;
  let what: string;
  if (doc.command === 'restore') {
    what = `restore ${where} from snapshot ${snapshot ?? '?'}${strategy ? `, strategy ${strategy}` : ''}`;
  } else if (doc.command === 'snapshot-only') {
    what = `snapshot ${where} as ${snapshot ?? '?'}`;
  } else {
    what = `${doc.command} ${where}`;
  }
  const steps = stepCount > 0 ? `${stepCount} steps, ` : '';
  return `${resumed ? 'Resuming' : 'Starting'} ${what} (${steps}run ${doc.runId})`;
}
