import { PreconditionError } from '../../core/errors.js';
import type { PreflightCheck } from '../../core/run-summary.js';

/** A preflight's list of checks and the three ways to add to it. */
export interface CheckList {
  readonly checks: PreflightCheck[];
  pass: (name: string, detail: string) => void;
  fail: (name: string, detail: string) => void;
  /** Shown, but does not fail the preflight. */
  warn: (name: string, detail: string) => void;
  /** Whether every check so far passed (warnings allowed). */
  ok: () => boolean;
}

/** An empty check list. */
export function checkList(): CheckList {
  const checks: PreflightCheck[] = [];
  return {
    checks,
    pass: (name, detail) => void checks.push({ name, ok: true, detail }),
    fail: (name, detail) => void checks.push({ name, ok: false, detail }),
    warn: (name, detail) => void checks.push({ name, ok: true, warning: true, detail }),
    ok: () => checks.every((c) => c.ok),
  };
}

/**
 * The error a failed preflight ends with (exit 3): every failed check, and that nothing was
 * changed; `where` names the region and account it looked in ("eu-west-1 (account 123456789012)").
 */
export function preflightError(checks: readonly PreflightCheck[], where?: string): PreconditionError {
  const failed = checks.filter((c) => !c.ok).map((c) => c.detail);
  return new PreconditionError(`Preflight failed${where ? ` in ${where}` : ''}: ${failed.join(' ')}`, { hint: 'Nothing was changed.' });
}
