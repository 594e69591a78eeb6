import type { RunSummary } from '../core/run-summary.js';

/** The facts every alert carries, the same in every channel. */
export interface Alert {
  runId: string;
  command: string;
  identifier: string;
  cluster: boolean;
  region?: string | undefined;
  accountId?: string | undefined;
  status: RunSummary['status'] | 'test';
  /** The step that failed and its error (name and message, never a stack trace). */
  failedStep?: string | undefined;
  error?: { name: string; message: string } | undefined;
  /** Where the database stands now, in sentences. */
  situation: string[];
  snapshotIdentifier?: string | undefined;
  /** Restores: where the data came from, in a few words (`snapshot s1 of prod-db`, `db1 as of …`). */
  source?: string | undefined;
  /** The restored database's new managed master secret. */
  masterUserSecretArn?: string | undefined;
  startedAt?: string | undefined;
  endedAt?: string | undefined;
  host: string;
  /** The commands to run next. */
  resumeCommand?: string | undefined;
  statusCommand: string;
  warnings: string[];
}

/** A way of telling people: one SES sender, or one Slack webhook. */
export interface Alerter {
  /** Safe to print (a webhook is redacted). */
  readonly channel: string;
  send(alert: Alert, signal?: AbortSignal): Promise<void>;
}

/** Whether a run that ended with `status` alerts: failures and interruptions always, success on request. */
export function shouldAlert(status: RunSummary['status'], onSuccess: boolean): boolean {
  if (status === 'succeeded') return onSuccess;
  return status === 'rolled_back' || status === 'failed' || status === 'interrupted';
}

/** The alert for a finished run. */
export function alertFor(summary: RunSummary, meta: { region?: string | undefined; accountId?: string | undefined; host: string }): Alert {
  const runId = summary.runId ?? 'unknown';
  const unfinished = summary.status === 'failed' || summary.status === 'interrupted';
  return {
    runId,
    command: summary.command,
    identifier: summary.identifier,
    cluster: summary.cluster,
    region: meta.region,
    accountId: meta.accountId,
    status: summary.status,
    failedStep: summary.error?.step,
    error: summary.error ? { name: summary.error.name, message: summary.error.message } : undefined,
    situation: summary.situation ?? [],
    snapshotIdentifier: summary.snapshotIdentifier,
    source: summary.source?.description,
    masterUserSecretArn: summary.masterUserSecretArn,
    startedAt: summary.startedAt,
    endedAt: summary.endedAt,
    host: meta.host,
    resumeCommand: unfinished ? `trapheus resume ${runId}` : undefined,
    statusCommand: `trapheus status ${runId}`,
    warnings: summary.warnings,
  };
}

/** The 12-digit account id inside an ARN (`arn:aws:rds:region:ACCOUNT:…`). */
export function accountIdFromArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}
