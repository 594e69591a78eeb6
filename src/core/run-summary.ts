/** One step of a run as shown by `trapheus status` and `--json`. */
export interface StepSummary {
  id: string;
  title: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed' | 'reverting' | 'reverted' | 'revert_failed';
  startedAt?: string | undefined;
  endedAt?: string | undefined;
  attempts: number;
}

/** A setting of the restored database that differs from the original's. A warning, not a failure. */
export interface ConfigDifference {
  /** Resource identifier (the instance, the cluster or a member). */
  resource: string;
  setting: string;
  expected: unknown;
  actual: unknown;
}

/** The one JSON document `--json` prints, and what the terminal summary shows. */
export interface RunSummary {
  runId: string | null;
  command: string;
  identifier: string;
  cluster: boolean;
  status: 'succeeded' | 'rolled_back' | 'failed' | 'interrupted' | 'running' | 'planned';
  steps: (Pick<StepSummary, 'id' | 'status' | 'startedAt' | 'endedAt' | 'attempts'> & {
    title?: string | undefined;
    causesDowntime?: boolean | undefined;
  })[];
  configDifferences: ConfigDifference[];
  snapshotIdentifier?: string | undefined;
  /** Restores: where the data comes from (a snapshot, another database's snapshot, a point in time). */
  source?: SourceSummary | undefined;
  /** Where the preflight looked (a restore's plan, or its failed preflight): the AWS region and, when STS could tell, the account. */
  region?: string | undefined;
  account?: string | undefined;
  /** Human sentences: where the database stands now, and what to do. */
  situation?: string[] | undefined;
  warnings: string[];
  error?: { step?: string | undefined; name: string; message: string } | undefined;
  /** Dry run only: the preflight checks. */
  preflight?: PreflightCheck[] | undefined;
  startedAt?: string | undefined;
  endedAt?: string | undefined;
  /** How long the original name did not answer as available (rename to available again, as observed). */
  downtimeSeconds?: number | undefined;
  /**
   * The Secrets Manager secret that holds the restored database's master password
   * (`--manage-master-password`): a new secret, the original's is deleted with it.
   */
  masterUserSecretArn?: string | undefined;
  /** The snapshot export this run started (`--export`), or why it could not. */
  export?: { taskId: string; started: boolean; error?: string | undefined } | undefined;
  /** How each alert channel fared (absent when no alert was due). */
  alerts?: { channel: string; ok: boolean; attempts: number; error?: string | undefined }[] | undefined;
  /** `clone`: the new database (`identifier` is the database cloned). */
  target?: string | undefined;
  /** What each hook did (`hooks.*` in the config), in the order they ran. */
  hooks?: HookSummary[] | undefined;
}

/** One hook of a run: where it ran, how it ended, and the tail of its output (the last 64 KiB). */
export interface HookSummary {
  name: string;
  command: string;
  /** The restored copy's identifier when it ran. */
  identifier: string;
  attempts: number;
  startedAt: string;
  endedAt?: string | undefined;
  exitCode?: number | undefined;
  signal?: string | undefined;
  timedOut?: boolean | undefined;
  interrupted?: boolean | undefined;
  startError?: string | undefined;
  output?: string | undefined;
  outputBytes?: number | undefined;
  truncated?: boolean | undefined;
}

/** Where a restore's data comes from; the configuration is always the restored database's own. */
export interface SourceSummary {
  kind: 'snapshot' | 'point-in-time';
  /** In a few words: `snapshot s1 of prod-db`, `db1 as of 2026-11-26T09:30:00.000Z`, `db1 at its latest restorable time`. */
  description: string;
  snapshotIdentifier?: string | undefined;
  /** The other database a snapshot was taken of (`--from`). */
  of?: string | undefined;
  /** Point in time: the database whose automated backups are restored. */
  sourceIdentifier?: string | undefined;
  restoreTime?: string | undefined;
  latest?: boolean | undefined;
}

/** One preflight check and its result. */
export interface PreflightCheck {
  name: string;
  ok: boolean;
  /** What was found, or what is wrong and how to fix it. */
  detail: string;
  /** A warning: shown, but does not fail the preflight. */
  warning?: boolean | undefined;
}
