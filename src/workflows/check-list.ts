import type { PreflightCheck } from '../core/run-summary.js';

/** A preflight's list of checks and the three ways to add to it. */
export function checkList() {
  const checks: PreflightCheck[] = [];
  return {
    checks,
    pass: (name: string, detail: string): void => void checks.push({ name, ok: true, detail }),
    fail: (name: string, detail: string): void => void checks.push({ name, ok: false, detail }),
    /** Shown, but does not fail the preflight. */
    warn: (name: string, detail: string): void => void checks.push({ name, ok: true, warning: true, detail }),
  };
}
