import { isThrottlingError } from '@smithy/core/retry';
import { OutcomeUnknownError, PreconditionError, RetryableStateError, StepError, TrapheusError } from '../core/errors.js';

/** RDS fault names meaning "no such resource". */
const NOT_FOUND = new Set([
  'DBInstanceNotFoundFault',
  'DBInstanceNotFound',
  'DBClusterNotFoundFault',
  'DBSnapshotNotFoundFault',
  'DBSnapshotNotFound',
  'DBClusterSnapshotNotFoundFault',
  'DBClusterEndpointNotFoundFault',
]);

/** RDS fault names meaning "busy right now": the engine's own retry handles them. */
const BUSY = new Set([
  'InvalidDBInstanceStateFault',
  'InvalidDBInstanceState',
  'InvalidDBClusterStateFault',
  'InvalidDBSnapshotStateFault',
  'InvalidDBSnapshotState',
  'InvalidDBClusterSnapshotStateFault',
]);

/**
 * Node's codes for a connection that failed or broke before an answer arrived (the SDK's own
 * lists in its error classification, plus ECONNABORTED); a socket hang-up is ECONNRESET.
 */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Error names of a request that timed out: the SDK's HTTP handler names its timeouts `TimeoutError`. */
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

interface SdkErrorShape {
  code?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/**
 * Whether a create met its own earlier attempt: the SDK retried a request whose first answer
 * was lost, and RDS answers the retry with `…AlreadyExists` because the first one took effect.
 * RestoreDBInstanceFromDBSnapshot and CreateDBInstance are not idempotent, so this is an
 * unknown outcome (the step re-checks), not a refusal.
 */
function isOwnEarlierAttempt(error: unknown): boolean {
  if (!(error instanceof Error) || !/AlreadyExists/.test(error.name)) return false;
  return ((error as SdkErrorShape).$metadata?.attempts ?? 1) > 1;
}

/** Whether an SDK error says the resource does not exist (by error name, never message text). */
export function isNotFound(error: unknown): boolean {
  return error instanceof Error && NOT_FOUND.has(error.name);
}

/**
 * Whether the call's answer was lost: a network error, a timeout, or a 5xx. The request may
 * have reached RDS and taken effect. By code, name and HTTP status, never message text; an
 * abort (the user's Ctrl-C) is not one.
 */
export function isAnswerLost(error: unknown): boolean {
  if (!(error instanceof Error) || error.name === 'AbortError') return false;
  const { code, $metadata } = error as SdkErrorShape;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (TIMEOUT_NAMES.has(error.name)) return true;
  return ($metadata?.httpStatusCode ?? 0) >= 500;
}

/**
 * Whether an error is the weather, not the resource: throttling (the SDK's classification: HTTP
 * 429 or a throttling error name such as RDS's `Throttling`), or a lost answer. A wait keeps
 * polling through these; only a domain state ends it.
 */
export function isTransient(error: unknown): boolean {
  // The SDK's classifier reads only `name`, `$metadata` and `$retryable`, all optional.
  return isAnswerLost(error) || (error instanceof Error && isThrottlingError(error as Parameters<typeof isThrottlingError>[0]));
}

/** Maps an SDK error of a mutating call to the domain hierarchy, keeping it as `cause`. */
export function mapRdsError(error: unknown, action: string): TrapheusError {
  if (error instanceof TrapheusError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = `${action}: ${name}: ${error instanceof Error ? error.message : String(error)}`;
  if (NOT_FOUND.has(name)) return new PreconditionError(message, { cause: error });
  if (BUSY.has(name)) return new RetryableStateError(message, { cause: error });
  // Still throttled after the SDK's own (adaptive) retries: the account's rate, not the resource.
  // The engine's retry waits longer and tries again — and a revert never gives up on it.
  if (error instanceof Error && isThrottlingError(error as Parameters<typeof isThrottlingError>[0])) {
    return new RetryableStateError(message, { cause: error });
  }
  // The SDK has already retried (composition.ts): what is left is an answer that never came.
  // A 4xx is an answer, so it never lands here, even after a retry.
  if (isAnswerLost(error) || isOwnEarlierAttempt(error)) {
    return new OutcomeUnknownError(message, {
      cause: error,
      hint: 'Describe the resource to see whether the call took effect before trying again.',
    });
  }
  return new StepError(message, { cause: error });
}
