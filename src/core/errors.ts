/**
 * The error hierarchy. Each class says what happened to the database, which is what decides
 * the exit code; the mapping to exit codes lives in `main.ts` only.
 */
export class TrapheusError extends Error {
  /** A short hint the user can act on, printed after the message. */
  readonly hint: string | undefined;
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }
}

/** Bad usage, flags or config: nothing was touched. */
export class UsageError extends TrapheusError {}

/** A precondition failed (missing snapshot, DB not available, lock held…): nothing was touched. */
export class PreconditionError extends TrapheusError {}

/** A step's action failed. Whether the run was rolled back is decided by the runner. */
export class StepError extends TrapheusError {}

/** A waiter gave up after the configured maximum wait, or saw a terminal failure state. */
export class WaiterTimeoutError extends StepError {}

/** The awaited resource reached a state it cannot leave on its own (e.g. incompatible-parameters). */
export class WaiterFailureError extends StepError {}

/**
 * A transient domain state (another operation in progress on the resource): the engine's
 * own retry handles it. Throttling and network errors are the SDK's retry strategy's job.
 */
export class RetryableStateError extends StepError {}

/**
 * The call may or may not have taken effect: its answer was lost (a network error or a 5xx
 * after the SDK's own retries). An idempotent step is re-checked once before it counts as failed.
 */
export class OutcomeUnknownError extends StepError {}

/** The journal could not be read or written: the run stops at once, touching nothing more. */
export class JournalError extends TrapheusError {}

/** The run was interrupted (Ctrl-C, SIGTERM): the journal is kept for `trapheus resume`. */
export class InterruptedError extends TrapheusError {}

/** A bug: something that should not happen. */
export class InternalError extends TrapheusError {}

/** Turns anything thrown into the `{ name, message }` that journals, summaries and alerts carry. */
export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
