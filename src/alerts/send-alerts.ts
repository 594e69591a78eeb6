import { describeError } from '../core/errors.js';
import type { Clock } from '../time/clock.js';
import type { Alert, Alerter } from './alert.js';

/** How one channel fared. */
export interface AlertDelivery {
  channel: string;
  ok: boolean;
  attempts: number;
  error?: string | undefined;
}

/**
 * Sends an alert on every channel at once, each retried with exponential backoff on its own.
 * Never throws: an alert must never change a run's outcome, exit code or revert.
 */
export async function sendAlerts(
  alerters: readonly Alerter[],
  alert: Alert,
  options: { clock: Clock; attempts: number; baseDelayMs?: number; signal?: AbortSignal | undefined },
): Promise<AlertDelivery[]> {
  const base = options.baseDelayMs ?? 2000;
  return Promise.all(
    alerters.map(async (alerter): Promise<AlertDelivery> => {
      let lastError = '';
      for (let attempt = 1; attempt <= options.attempts; attempt += 1) {
        try {
          await alerter.send(alert, options.signal);
          return { channel: alerter.channel, ok: true, attempts: attempt };
        } catch (error) {
          const { name, message } = describeError(error);
          lastError = `${name}: ${message}`;
          if (attempt < options.attempts) await options.clock.sleep(base * 2 ** (attempt - 1)).catch(() => undefined);
        }
      }
      return { channel: alerter.channel, ok: false, attempts: options.attempts, error: lastError };
    }),
  );
}
