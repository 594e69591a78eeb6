import { PreconditionError, RetryableStateError, StepError, TrapheusError } from '../core/errors.js';

/** RDS fault names meaning "no such resource". */
const NOT_FOUND = new Set([
  'DBInstanceNotFoundFault',
  'DBInstanceNotFound',
  'DBClusterNotFoundFault',
  'DBSnapshotNotFoundFault',
  'DBSnapshotNotFound',
  'DBClusterSnapshotNotFoundFault',
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

/** Whether an SDK error says the resource does not exist (by error name, never message text). */
export function isNotFound(error: unknown): boolean {
  return error instanceof Error && NOT_FOUND.has(error.name);
}

/** Maps an SDK error of a mutating call to the domain hierarchy, keeping it as `cause`. */
export function mapRdsError(error: unknown, action: string): TrapheusError {
  if (error instanceof TrapheusError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = `${action}: ${name}: ${error instanceof Error ? error.message : String(error)}`;
  if (NOT_FOUND.has(name)) return new PreconditionError(message, { cause: error });
  if (BUSY.has(name)) return new RetryableStateError(message, { cause: error });
  return new StepError(message, { cause: error });
}
