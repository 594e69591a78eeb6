import os from 'node:os';
import path from 'node:path';
import type { Alerter } from '../alerts/alert.js';
import { SlackAlerter } from '../alerts/slack-alerter.js';
import type { SesAlerter } from '../aws/ses-alerter.js';
import type { CompositionInput } from '../cli/cli-context.js';
import { AWS_REGION_PATTERN } from '../config/config-rules.js';
import type { Config } from '../config/config-schema.js';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import type { Journal, LockStore } from '../engine/journal.js';
import { FileJournal } from '../stores/file-journal.js';
import { FileLockStore } from '../stores/file-lock-store.js';
import { ensurePrivateDir } from '../stores/private-dir.js';
import { systemClock } from '../time/system-clock.js';
import type { JournalDeps } from '../workflows/run/crashed-runs.js';
import type { AlertSettings } from '../workflows/service.js';
import { sdkClientOptions } from './sdk-options.js';

// The journal side of the composition root: what `runs`, `status` and the crash check of every
// command need. It imports no AWS SDK (test/cli/import-graph.test.ts keeps it so): a client is
// imported with import() where one is used, so these commands start fast.

/** Where runs are kept: the journal and its locks. The one place a command's run store is chosen from the loaded config. */
export async function buildRunStore(loaded: LoadedConfig): Promise<{ journal: Journal; locks: LockStore }> {
  // --state s3://…: runs and locks in S3, the S3 client loaded only then; the journal directory is not used.
  if (loaded.config.state.url) return openStateInS3(loaded, loaded.config.state.url);
  await ensurePrivateDir(loaded.journalDir, { create: true, what: 'journal directory' });
  return { journal: new FileJournal(loaded.journalDir), locks: new FileLockStore(path.join(loaded.journalDir, 'locks')) };
}

/** Shared state in S3 (src/aws/s3-state.ts, imported here only): a lease taken over or lost is said on stderr. */
async function openStateInS3(loaded: LoadedConfig, url: string): Promise<{ journal: Journal; locks: LockStore }> {
  const { openS3State } = await import('../aws/s3-state.js');
  const source = loaded.sources['state.url'];
  const where =
    source?.source === 'flag' || source?.source === 'env'
      ? source.name
      : source?.source === 'file'
        ? `state.url in ${source.path}`
        : 'state.url';
  const { region, profile } = loaded.config;
  return openS3State({
    url,
    where,
    leaseSeconds: loaded.config.state.leaseSeconds,
    clientOptions: sdkClientOptions({ region: region && AWS_REGION_PATTERN.test(region) ? region : undefined, profile }),
    clock: systemClock,
    notice: (notice) => process.stderr.write(`trapheus: ${notice.message}\n`),
  });
}

/**
 * The journal side only (runs, status, and the crash check every command makes): no AWS call is
 * made. The journal directory is checked (and created, 0700) first, whatever the command: a
 * directory that is a file, cannot be created, or that others may write is refused before
 * anything else happens. The alert channels are built (not used, their SDK not loaded) so that a
 * crashed run can be alerted.
 */
export async function buildJournalDeps(input: Pick<CompositionInput, 'flags' | 'env'>): Promise<JournalDeps & { loaded: LoadedConfig }> {
  const loaded = await loadConfig(input.flags, input.env);
  const { journal, locks } = await buildRunStore(loaded);
  // --region, the config file, AWS_REGION, AWS_DEFAULT_REGION (loadConfig); the profile's region is read only where AWS is called.
  const region = loaded.config.region;
  return {
    loaded,
    journal,
    locks,
    clock: systemClock,
    host: os.hostname(),
    pid: process.pid,
    region,
    alerts: buildAlerts(loaded.config, region && AWS_REGION_PATTERN.test(region) ? region : undefined),
    retention: loaded.config.journal.retention,
  };
}

/**
 * The alert channels the config names: one SES sender (its own region if set), one Slack
 * webhook each. The SES client is loaded on the sender's first use (an alert, or the check
 * that the sender is verified), never when no e-mail is configured.
 */
export function buildAlerts(config: Config, region: string | undefined): AlertSettings {
  const alerters: Alerter[] = [];
  const { email, slack } = config.alerts;
  let ses: LazySes | undefined;
  if (email.from && email.to.length > 0) {
    const options = { ...sdkClientOptions({ region: email.region ?? region, profile: config.profile }), maxAttempts: 2 };
    ses = lazySes(options, email.from, email.to);
    alerters.push(ses.alerter);
  }
  for (const url of slack.webhookUrls) alerters.push(new SlackAlerter(url, slack.timeoutSeconds * 1000));
  return {
    alerters,
    onSuccess: config.alerts.onSuccess,
    attempts: config.alerts.attempts,
    senderVerified: ses?.senderVerified,
    sender: email.from,
  };
}

interface LazySes {
  alerter: Alerter;
  senderVerified: () => Promise<boolean | undefined>;
}

/** An SES sender whose SDK client (and src/aws/ses-alerter.ts) is imported on first use, once. */
function lazySes(options: ReturnType<typeof sdkClientOptions>, from: string, to: string[]): LazySes {
  let loading: Promise<SesAlerter> | undefined;
  const load = () =>
    (loading ??= Promise.all([import('@aws-sdk/client-ses'), import('../aws/ses-alerter.js')]).then(
      ([{ SESClient }, { SesAlerter }]) => new SesAlerter(new SESClient(options), from, to),
    ));
  return {
    // As SesAlerter names itself (known before it is loaded).
    alerter: { channel: `e-mail ${to.join(', ')}`, send: async (alert, signal) => (await load()).send(alert, signal) },
    senderVerified: async () => (await load()).senderVerified(),
  };
}
