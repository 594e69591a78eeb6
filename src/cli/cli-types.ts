import type { RunSummary } from '../core/run-summary.js';

/** What a command ended with: a run status (mapped to an exit code in main.ts), or plain success. */
export type CliResult = { status: RunSummary['status'] | 'ok' | 'preflight_failed' };

/** The options every command takes. */
export interface GlobalOptions {
  config?: string;
  region?: string;
  profile?: string;
  journalDir?: string;
  json?: boolean;
  verbose?: boolean;
  color?: boolean;
}
