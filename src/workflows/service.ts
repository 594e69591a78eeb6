import type { Alerter } from '../alerts/alert.js';
import type { ExportGateway } from '../aws/export-gateway.js';
import type { StateBucketGateway } from '../aws/s3-state-bucket.js';
import type { RdsGateway } from '../aws/rds-gateway.js';
import type { Config } from '../config/config-schema.js';
import type { CommandRunner } from '../engine/command-runner.js';
import type { RunObserver, RunOutcome } from '../engine/run-workflow.js';
import type { Journal, LockStore } from '../engine/journal.js';
import type { Clock } from '../time/clock.js';
import type { KindName } from './kinds/registry.js';
import type { ExportFlags } from './export/export-plan.js';
import type { RunSummary } from '../core/run-summary.js';

/** Everything a command needs to plan, run and resume workflows; built in `composition.ts`. */
export interface ServiceDeps {
  rds: RdsGateway;
  /**
   * Read-only looks once a run has ended (the "what is where" report), without the run's abort
   * signal: a run stopped by Ctrl-C must still be able to say where the database is. Default: `rds`.
   */
  lookup?: RdsGateway | undefined;
  journal: Journal;
  locks: LockStore;
  clock: Clock;
  config: Config;
  region?: string | undefined;
  /**
   * The AWS account the credentials belong to (STS GetCallerIdentity), asked once and only when
   * wanted (a preflight names where it looked); `{}` when it cannot tell. Absent: unknown.
   */
  whoAmI?: (() => Promise<{ account?: string | undefined }>) | undefined;
  signal: AbortSignal;
  observer?: RunObserver | undefined;
  host: string;
  pid: number;
  /** S3/KMS/export calls; absent where no export is possible (tests). */
  exports?: ExportGateway | undefined;
  /** The S3 calls of `setup-state` (the state bucket), loaded on first use; absent where none is possible (tests). */
  stateBucket?: (() => Promise<StateBucketGateway>) | undefined;
  /** Runs hooks (`hooks.*` in the config); absent: a run with hooks fails at its first hook step. */
  commands?: CommandRunner | undefined;
  /** Where alerts go; absent or empty: no alerts. */
  alerts?: AlertSettings | undefined;
}

/** The configured alert channels and when to use them. */
export interface AlertSettings {
  alerters: Alerter[];
  onSuccess: boolean;
  attempts: number;
  /** Whether the e-mail sender is a verified SES identity (undefined: cannot tell, or no e-mail). */
  senderVerified?: (() => Promise<boolean | undefined>) | undefined;
  sender?: string | undefined;
}

/** `trapheus restore`. */
export interface RestoreRequest {
  identifier: string;
  /** Which kind of database (the CLI's `--cluster` picks `aurora-cluster`). */
  kind: KindName;
  /** Snapshot id or ARN; absent: the newest the tool took, else `<id>-snapshot`. */
  snapshot?: string | undefined;
  freshSnapshot: boolean;
  /** Default: `restore.strategy` from the config. */
  strategy?: 'swap' | 'rename-first' | undefined;
  /** `--final-snapshot`; default: `restore.finalSnapshot` from the config. */
  finalSnapshot?: boolean | undefined;
  /** `--manage-master-password`; default: `restore.manageMasterUserPassword` from the config. */
  manageMasterUserPassword?: boolean | undefined;
  /** `--export`: also export the snapshot to S3 (never on the critical path). */
  export?: ExportFlags | undefined;
  /** `--from`: restore another database's data (its newest snapshot, `snapshot`, or a point in time of it), keeping this one's configuration. */
  from?: string | undefined;
  /** `--to-time`: ISO 8601 with a UTC offset; restore the data as it was then (point-in-time restore). */
  toTime?: string | undefined;
  /** `--latest-restorable`: restore the data at the latest restorable time. */
  latestRestorable?: boolean | undefined;
  /** `--source-region`: `snapshot` is in that region; it is copied into this one first. */
  sourceRegion?: string | undefined;
}

/** `trapheus snapshot-only`. */
export interface SnapshotRequest {
  identifier: string;
  kind: KindName;
  /** `--share-with`: AWS account ids (12 digits) the new snapshot is shared with. */
  shareWith?: readonly string[] | undefined;
  export?: ExportFlags | undefined;
}

/** The end of a run (or of this session of it). */
export interface RunResult {
  summary: RunSummary;
  outcome: RunOutcome;
}

/**
 * A restore that passed (or failed) preflight, holding the identifier's lock.
 * `summary.status` is `planned`; `summary.preflight` lists every check.
 */
export interface PreparedRun {
  summary: RunSummary;
  /** Every preflight check passed (warnings allowed). */
  ok: boolean;
  /** Journals the run and executes it; releases the lock when done. */
  start(): Promise<RunResult>;
  /** Releases the lock without running (dry run, declined confirmation, failed preflight). */
  release(): Promise<void>;
}

/** One line of `trapheus runs`. */
export interface RunListEntry {
  runId: string;
  command: string;
  identifier: string;
  cluster: boolean;
  status: RunSummary['status'];
  startedAt: string;
  endedAt?: string | undefined;
  durationSeconds?: number | undefined;
  /** A run is 'running' only while its lock is held by a live process. */
  active: boolean;
}
