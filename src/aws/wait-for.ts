import { createWaiter, WaiterState } from '@smithy/core/client';
import { InterruptedError, StepError, WaiterFailureError, WaiterTimeoutError } from '../core/errors.js';
import { isTransient } from './map-rds-error.js';
import type { WaitOptions } from './rds-gateway.js';

/** Delays and ceiling of every wait, from the config. */
export interface WaitSettings {
  minDelaySeconds: number;
  maxDelaySeconds: number;
  maxWaitSeconds: number;
}

/** One observation of the awaited resource. */
export type WaitCheck<T> = (
  { state: 'success'; value: T; status: string } | { state: 'retry'; status: string } | { state: 'failure'; status: string }
) & {
  /** Percent progress, where the resource reports one (a snapshot's PercentProgress). */
  percent?: number | undefined;
};

/**
 * Polls `check` with the SDK's waiter machinery (`createWaiter`, the function behind
 * `waitUntilDBInstanceAvailable`): first check at once, then exponential backoff with jitter
 * between the configured delays, up to the configured maximum — no hidden ceiling. Each
 * observed status goes to `options.onStatus`, and a percent progress to `options.onProgress`.
 *
 * A wait outlives the SDK's retries of a single call: a throttled, 5xx or network-failed
 * Describe during a wait is an observation ("no answer"), and polling goes on with the same
 * backoff and the same maximum. Only a domain state (success, a terminal status, the maximum
 * wait) ends a wait; any other error ends it as a `StepError`.
 */
export async function waitFor<T>(
  what: string,
  settings: WaitSettings,
  check: () => Promise<WaitCheck<T>>,
  options?: WaitOptions,
): Promise<T> {
  let value: T | undefined;
  let lastStatus = 'unknown';
  const result = await createWaiter(
    {
      client: {},
      minDelay: settings.minDelaySeconds,
      // Urgent (a cut-over): no backoff, so the next rename goes out within one short delay.
      maxDelay: options?.urgent ? settings.minDelaySeconds : Math.max(settings.maxDelaySeconds, settings.minDelaySeconds),
      // The SDK insists on a ceiling above the first delay.
      maxWaitTime: Math.max(settings.maxWaitSeconds, settings.minDelaySeconds * 1.5),
      abortSignal: options?.signal,
    },
    undefined,
    async () => {
      const observed = await observe(what, check, options);
      lastStatus = observed.status;
      options?.onStatus?.(observed.status);
      if (observed.percent !== undefined) options?.onProgress?.(observed.percent);
      if (observed.state === 'success') {
        value = observed.value;
        return { state: WaiterState.SUCCESS };
      }
      return { state: observed.state === 'failure' ? WaiterState.FAILURE : WaiterState.RETRY };
    },
  );
  switch (result.state) {
    case WaiterState.SUCCESS:
      return value as T;
    case WaiterState.FAILURE:
      throw new WaiterFailureError(`${what}: it reached "${lastStatus}", which it cannot leave on its own.`);
    case WaiterState.ABORTED:
      throw options?.signal?.reason instanceof Error ? options.signal.reason : new InterruptedError(`Stopped waiting for ${what}.`);
    default:
      throw new WaiterTimeoutError(
        `Gave up waiting for ${what} after ${Math.round(settings.maxWaitSeconds / 60)} min (last status: ${lastStatus}).`,
        {
          hint: 'Raise wait.maxWaitMinutes in the config if this operation is known to take longer.',
        },
      );
  }
}

/** One check; a transient error is a status to report and retry, not the end of the wait. */
async function observe<T>(what: string, check: () => Promise<WaitCheck<T>>, options: WaitOptions | undefined): Promise<WaitCheck<T>> {
  try {
    return await check();
  } catch (error) {
    if (options?.signal?.aborted)
      throw options.signal.reason instanceof Error ? options.signal.reason : new InterruptedError(`Stopped waiting for ${what}.`);
    if (isTransient(error)) return { state: 'retry', status: `no answer (${error instanceof Error ? error.name : 'error'})` };
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new StepError(`Waiting for ${what}: ${detail}`, { cause: error });
  }
}
