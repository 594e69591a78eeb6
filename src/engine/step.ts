/** What a step may do besides its work: observe the abort signal, report status, leave notices. */
export interface StepIo {
  readonly signal: AbortSignal;
  /** The current status of what the step is waiting for (shown next to the spinner). */
  status(text: string): void;
  /** How far what the step waits for has come, in percent, where RDS reports it (a snapshot's PercentProgress). */
  progress?(percent: number): void;
  /** A journaled notice (e.g. a configuration difference), shown in the summary. */
  notice(level: 'info' | 'warning', message: string): Promise<void>;
  /**
   * Persists the run's state now, without an event: call it before an action whose effect a
   * resumed run must know about (e.g. "rename requested") even if the process dies right after.
   */
  checkpoint(): Promise<void>;
}

/**
 * One step of a workflow. `id` is the journal key: never rename one that has shipped. `run`
 * and `compensate` must be idempotent (check, then act), because after a crash between the
 * act and the journal write they run again.
 *
 * What a step learns (the restored copy's identity, downtime marks) it writes into the run's
 * state, which is the journal document's own object; the runner saves it with the step's
 * `step_succeeded` event, before the next step starts. That is as safe as returning it:
 * - a crash before that save re-runs the step on resume, and the step learns it again (its
 *   check finds what its act did) — nothing is acted on from an unsaved fact;
 * - a fact needed even if the process dies in the middle of the step (a rename was requested)
 *   is saved at once with `checkpoint()` before the action;
 * - facts kept as "first seen" (`??=`) are not overwritten by a re-run.
 * An action whose answer was lost (`OutcomeUnknownError`) is re-checked by running the step
 * once more before it counts as failed, so a change that landed never starts a revert.
 */
export interface Step<C> {
  id: string;
  title: string;
  run(ctx: C, io: StepIo): Promise<void>;
  /** Undoes what `run` may have done, even partly. Absent: nothing to undo. */
  compensate?(ctx: C, io: StepIo): Promise<void>;
  /** Title of the compensation, for the terminal and the journal reader. */
  compensateTitle?: string;
  /** Clients lose the database while this step runs (shown by --dry-run). */
  causesDowntime?: boolean;
}

/** An ordered list of steps. Failures after `pointOfNoReturn` are not reverted: resume retries them. */
export interface Workflow<C> {
  steps: Step<C>[];
  /** Id of the last step whose failure (or any earlier one's) triggers a revert. Absent: every step. */
  pointOfNoReturn?: string;
}
