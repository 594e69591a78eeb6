import type { RunSummary } from '../core/run-summary.js';

/** What a command ended with: a run status (mapped to an exit code in main.ts), or plain success. */
export type CliResult = { status: RunSummary['status'] | 'ok' | 'error' };

/** The options every command takes. */
export interface GlobalOptions {
  config?: string;
  region?: string;
  profile?: string;
  journalDir?: string;
  /** `--state s3://bucket/prefix`: run journals and locks in S3, shared by every host. */
  state?: string;
  json?: boolean;
  verbose?: boolean;
  color?: boolean;
  /** `--log-file`: also append one line per event to this file (cron). */
  logFile?: string;
  /** Only errors and the final result line (with --json: nothing but the document). */
  quiet?: boolean;
  /** Stack traces and AWS request ids of errors (also TRAPHEUS_DEBUG=1). */
  debug?: boolean;
}

/**
 * An error the command has already told (inside its one `--json` document): main.ts maps
 * `reported` to the exit code and prints nothing more, so stdout keeps exactly one document.
 */
export class ReportedError extends Error {
  constructor(readonly reported: unknown) {
    super(reported instanceof Error ? reported.message : String(reported));
    this.name = 'ReportedError';
  }
}
