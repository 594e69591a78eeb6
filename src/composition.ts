import os from 'node:os';
import path from 'node:path';
import { RDSClient } from '@aws-sdk/client-rds';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SdkExportGateway } from './aws/sdk-export-gateway.js';
import type { Alerter } from './alerts/alert.js';
import { SlackAlerter } from './alerts/slack-alerter.js';
import { SesAlerter } from './aws/ses-alerter.js';
import type { Config } from './config/config-schema.js';
import { SdkRdsGateway } from './aws/sdk-rds-gateway.js';
import { loadConfig, type LoadedConfig } from './config/load-config.js';
import { UsageError } from './core/errors.js';
import type { CompositionInput } from './cli/cli-context.js';
import { FileJournal } from './stores/file-journal.js';
import { FileLockStore } from './stores/file-lock-store.js';
import { ensurePrivateDir } from './stores/private-dir.js';
import { systemClock } from './time/system-clock.js';
import type { AlertSettings, ServiceDeps } from './workflows/service.js';

/**
 * The journal side only (runs, status): no AWS client is built. The journal directory is
 * checked (and created, 0700) first, whatever the command: a directory that is a file, cannot
 * be created, or that others may write is refused before anything else happens.
 */
export async function buildJournalDeps(
  input: Pick<CompositionInput, 'flags' | 'env'>,
): Promise<Pick<ServiceDeps, 'journal' | 'locks'> & { loaded: LoadedConfig }> {
  const loaded = await loadConfig(input.flags, input.env);
  await ensurePrivateDir(loaded.journalDir, { create: true, what: 'journal directory' });
  return { loaded, journal: new FileJournal(loaded.journalDir), locks: new FileLockStore(path.join(loaded.journalDir, 'locks')) };
}

/**
 * The one place that builds SDK clients, the journal, the clock and the service dependencies.
 * The SDK's own retry strategy handles throttling and network errors; the engine retries only
 * domain states. No endpoint is forced, so AWS_ENDPOINT_URL works as for the AWS CLI.
 */
export async function buildServiceDeps(input: CompositionInput): Promise<ServiceDeps & { loaded: LoadedConfig }> {
  const { loaded, journal, locks } = await buildJournalDeps(input);
  const { config } = loaded;
  const client = new RDSClient({
    ...(config.region ? { region: config.region } : {}),
    ...(config.profile ? { profile: config.profile } : {}),
    retryMode: 'adaptive',
    maxAttempts: 4,
  });
  let region: string;
  try {
    region = await client.config.region();
  } catch {
    region = '';
  }
  if (!region) {
    throw new UsageError('No AWS region is set.', {
      hint: 'Pass --region, set AWS_REGION, set "region" in .trapheusrc.json, or set a region in your AWS profile.',
    });
  }
  const clientConfig = { region, ...(config.profile ? { profile: config.profile } : {}), retryMode: 'adaptive', maxAttempts: 4 };
  const rds = new SdkRdsGateway(client, {
    minDelaySeconds: config.wait.minDelaySeconds,
    maxDelaySeconds: config.wait.maxDelaySeconds,
    maxWaitSeconds: config.wait.maxWaitMinutes * 60,
  });
  return {
    loaded,
    rds,
    journal,
    locks,
    clock: systemClock,
    config,
    region,
    signal: input.signal,
    observer: input.observer,
    host: os.hostname(),
    pid: process.pid,
    exports: new SdkExportGateway(new S3Client(clientConfig), new KMSClient(clientConfig), client),
    alerts: buildAlerts(config, region),
  };
}

/** The alert channels the config names: one SES sender (its own region if set), one Slack webhook each. */
function buildAlerts(config: Config, region: string): AlertSettings {
  const alerters: Alerter[] = [];
  const { email, slack } = config.alerts;
  let ses: SesAlerter | undefined;
  if (email.from && email.to.length > 0) {
    const client = new SESClient({
      region: email.region ?? region,
      ...(config.profile ? { profile: config.profile } : {}),
      maxAttempts: 2,
    });
    ses = new SesAlerter(client, email.from, email.to);
    alerters.push(ses);
  }
  for (const url of slack.webhookUrls) alerters.push(new SlackAlerter(url, slack.timeoutSeconds * 1000));
  return {
    alerters,
    onSuccess: config.alerts.onSuccess,
    attempts: config.alerts.attempts,
    senderVerified: ses ? () => ses.senderVerified() : undefined,
    sender: email.from,
  };
}
