/** How the engine retries a step that failed on a transient domain state. */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  factor: number;
  maxDelayMs: number;
}

/** Delay before attempt `attempt + 1` (attempt counts from 1): exponential, capped. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** (attempt - 1));
}
