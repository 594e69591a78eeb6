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
import { AWS_REGION_PATTERN, type Config } from './config/config-schema.js';
import { SdkRdsGateway } from './aws/sdk-rds-gateway.js';
import { loadConfig, type LoadedConfig } from './config/load-config.js';
import { UsageError } from './core/errors.js';
import type { CompositionInput } from './cli/cli-context.js';
import { FileJournal } from './stores/file-journal.js';
import { FileLockStore } from './stores/file-lock-store.js';
import { ensurePrivateDir } from './stores/private-dir.js';
import { systemClock } from './time/system-clock.js';
import type { JournalDeps } from './workflows/run/crashed-runs.js';
import type { AlertSettings, ServiceDeps } from './workflows/service.js';

/**
 * Connection and request timeouts of every SDK call: a connection that never opens, or an
 * answer that never comes, becomes a `TimeoutError` — retried by the SDK, and polled through by
 * a wait — instead of hanging the run for ever.
 */
export const HTTP_TIMEOUTS = { connectionTimeoutMs: 5_000, requestTimeoutMs: 60_000 };

/** What every SDK client is built with: region and profile, the SDK's adaptive retries, and the timeouts. */
export function sdkClientOptions(config: { region?: string | undefined; profile?: string | undefined }, timeouts = HTTP_TIMEOUTS) {
  return {
    ...(config.region ? { region: config.region } : {}),
    ...(config.profile ? { profile: config.profile } : {}),
    retryMode: 'adaptive',
    maxAttempts: 4,
    requestHandler: {
      connectionTimeout: timeouts.connectionTimeoutMs,
      // requestTimeout alone only logs a warning unless told to throw; socketTimeout ends a silent socket.
      requestTimeout: timeouts.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.requestTimeoutMs,
    },
  };
}

/**
 * The journal side only (runs, status, and the crash check every command makes): no AWS call is
 * made. The journal directory is checked (and created, 0700) first, whatever the command: a
 * directory that is a file, cannot be created, or that others may write is refused before
 * anything else happens. The alert channels are built (not used) so that a crashed run can be
 * alerted.
 */
export async function buildJournalDeps(input: Pick<CompositionInput, 'flags' | 'env'>): Promise<JournalDeps & { loaded: LoadedConfig }> {
  const loaded = await loadConfig(input.flags, input.env);
  await ensurePrivateDir(loaded.journalDir, { create: true, what: 'journal directory' });
  const region = loaded.config.region ?? input.env.AWS_REGION;
  return {
    loaded,
    journal: new FileJournal(loaded.journalDir),
    locks: new FileLockStore(path.join(loaded.journalDir, 'locks')),
    clock: systemClock,
    host: os.hostname(),
    pid: process.pid,
    region,
    alerts: buildAlerts(loaded.config, region && AWS_REGION_PATTERN.test(region) ? region : undefined),
  };
}

/**
 * The one place that builds SDK clients, the journal, the clock and the service dependencies.
 * The SDK's own retry strategy handles throttling and network errors; the engine retries only
 * domain states. No endpoint is forced, so AWS_ENDPOINT_URL works as for the AWS CLI. Every
 * RDS call carries the run's abort signal, so Ctrl-C stops a call in flight.
 */
export async function buildServiceDeps(input: CompositionInput): Promise<ServiceDeps & { loaded: LoadedConfig }> {
  const { loaded, journal, locks } = await buildJournalDeps(input);
  const { config } = loaded;
  const region = await resolveRegion(config, input.env);
  const clientConfig = sdkClientOptions({ region, profile: config.profile });
  const client = new RDSClient(clientConfig);
  const rds = new SdkRdsGateway(
    client,
    {
      minDelaySeconds: config.wait.minDelaySeconds,
      maxDelaySeconds: config.wait.maxDelaySeconds,
      maxWaitSeconds: config.wait.maxWaitMinutes * 60,
    },
    input.signal,
  );
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

/** The region, as the AWS CLI finds it (flag, config file, AWS_REGION, the profile), refused unless it looks like one. */
async function resolveRegion(config: Config, env: NodeJS.ProcessEnv): Promise<string> {
  const hint = 'Pass --region, set AWS_REGION, set "region" in .trapheusrc.json, or set a region in your AWS profile.';
  const given = config.region ?? env.AWS_REGION;
  const invalid = (region: string) =>
    new UsageError(`"${region}" is not a valid AWS region.`, {
      hint: `A region looks like eu-west-1 or us-east-1: check --region, AWS_REGION, "region" in the config file and your AWS profile.`,
    });
  if (given && !AWS_REGION_PATTERN.test(given)) throw invalid(given);
  let region: string;
  try {
    region = await new RDSClient(sdkClientOptions({ region: config.region, profile: config.profile })).config.region();
  } catch (error) {
    throw new UsageError(`No usable AWS region: ${(error as Error).message}`, { hint });
  }
  if (!region) throw new UsageError('No AWS region is set.', { hint });
  if (!AWS_REGION_PATTERN.test(region)) throw invalid(region);
  return region;
}

/** The alert channels the config names: one SES sender (its own region if set), one Slack webhook each. */
function buildAlerts(config: Config, region: string | undefined): AlertSettings {
  const alerters: Alerter[] = [];
  const { email, slack } = config.alerts;
  let ses: SesAlerter | undefined;
  if (email.from && email.to.length > 0) {
    const client = new SESClient({ ...sdkClientOptions({ region: email.region ?? region, profile: config.profile }), maxAttempts: 2 });
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
