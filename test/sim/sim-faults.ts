/**
 * Injected faults of both kinds (DESIGN.md §6):
 * - `fail`: the call fails and nothing happened — a service error (Throttling,
 *   ThrottlingException, InternalFailure 500, ServiceUnavailable 503, any RDS code) or a
 *   network error (ECONNRESET…) before the request reached RDS;
 * - `loseAnswer`: the call takes effect and its answer is lost — the state changes, then the
 *   caller gets a network error. This is what makes a step re-check before deciding it failed
 *   (and what makes the SDK's own retry of a create meet `…AlreadyExists`).
 * Faults count requests as RDS sees them: each SDK retry attempt is a request.
 */
import { networkError, RdsServiceError, type NetworkErrorCode } from './sim-errors.js';

/** A service error by its wire code (optionally with an HTTP status), or a network error code. */
export type FaultError = { code: string; message?: string; httpStatus?: number } | NetworkErrorCode;

/** Which requests a fault applies to: a command name (`ModifyDBInstance`), `*` for any, and an optional test on the input. */
export interface FaultTarget {
  command: string;
  when?: ((input: Record<string, unknown>) => boolean) | undefined;
}

interface Armed extends FaultTarget {
  kind: 'fail' | 'lose-answer';
  error: FaultError;
  remaining: number;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/** The error a fault throws at the caller. */
export function faultError(error: FaultError): Error {
  if (typeof error === 'string') {
    if (!NETWORK_CODES.has(error)) throw new Error(`Unknown network error code ${error}`);
    return networkError(error);
  }
  return new RdsServiceError(error.code, error.message ?? defaultMessage(error.code), error.httpStatus ?? defaultStatus(error.code));
}

const defaultMessage = (code: string): string => (/throttl/i.test(code) ? 'Rate exceeded' : `Simulated ${code}`);
const defaultStatus = (code: string): number | undefined =>
  ({
    InternalFailure: 500,
    InternalServerError: 500,
    ServiceUnavailable: 503,
    RequestLimitExceeded: 503,
    Throttling: 400,
    ThrottlingException: 400,
  })[code];

/** The armed faults of one simulated RDS. */
export class SimFaults {
  private armed: Armed[] = [];

  /** The next `times` matching requests fail with `error`, and nothing happens. */
  failNext(target: string | FaultTarget, error: FaultError, times = 1): this {
    this.armed.push({ ...toTarget(target), kind: 'fail', error, remaining: times });
    return this;
  }

  /** The next `times` matching requests take effect, then their answer is lost (a network error, ECONNRESET by default). */
  loseAnswer(target: string | FaultTarget, times = 1, error: NetworkErrorCode = 'ECONNRESET'): this {
    this.armed.push({ ...toTarget(target), kind: 'lose-answer', error, remaining: times });
    return this;
  }

  clear(): void {
    this.armed = [];
  }

  /** How many armed faults have not fired yet. */
  pending(): number {
    return this.armed.reduce((n, f) => n + f.remaining, 0);
  }

  /** Consumes the fault of `kind` that applies to this request, if any. */
  take(kind: Armed['kind'], command: string, input: Record<string, unknown>): FaultError | undefined {
    const fault = this.armed.find(
      (f) => f.kind === kind && f.remaining > 0 && (f.command === '*' || f.command === command) && (!f.when || f.when(input)),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    return fault.error;
  }
}

function toTarget(target: string | FaultTarget): FaultTarget {
  return typeof target === 'string' ? { command: target } : target;
}
