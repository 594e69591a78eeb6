/** A source of time; injected everywhere so time-driven behaviour is tested without waiting. */
export interface Clock {
  now(): Date;
  /** Resolves after `ms`; rejects with the signal's reason if aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
