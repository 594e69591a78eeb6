import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { Journal, LockStore } from '../engine/journal.js';
import type { Clock } from '../time/clock.js';
import { S3Journal } from './s3-journal.js';
import { S3LockStore, type LeaseNotice } from './s3-lock-store.js';
import { S3StateObjects } from './s3-state-objects.js';
import { parseS3StateUrl } from './s3-state-url.js';

/** What shared state in S3 is opened with. */
export interface S3StateOptions {
  /** `s3://bucket/prefix`, as given (validated here: a malformed one is a usage error naming `where`). */
  url: string;
  /** Where the URL came from, for messages (`--state`, `TRAPHEUS_STATE`, `state.url in <file>`). */
  where?: string | undefined;
  leaseSeconds: number;
  /** The SDK client options every client gets (profile, region if known, retries, timeouts). */
  clientOptions: S3ClientConfig;
  clock: Clock;
  /** Told when a lease is taken over from a holder that stopped renewing it, or lost. */
  notice?: ((notice: LeaseNotice) => void) | undefined;
}

/**
 * Opens run journals and locks in S3: one S3 client, its region as the AWS CLI finds it (else
 * us-east-1), following the bucket's region if it is elsewhere (a state bucket need not be in
 * the database's region). Every journal save first checks the run's lease (`assertHeld`).
 */
export async function openS3State(options: S3StateOptions): Promise<{ journal: Journal; locks: S3LockStore; url: string }> {
  const location = parseS3StateUrl(options.url, options.where);
  const region = options.clientOptions.region ?? (await configuredRegion(options.clientOptions));
  const client = new S3Client({ ...options.clientOptions, region: region ?? 'us-east-1', followRegionRedirects: true });
  const objects = new S3StateObjects(client, location);
  const locks = new S3LockStore(objects, { clock: options.clock, leaseMs: options.leaseSeconds * 1000, notice: options.notice });
  const journal: Journal = new S3Journal(objects, (runId) => locks.assertHeld(runId));
  return { journal, locks: locks satisfies LockStore, url: objects.url };
}

/** The region of the profile or environment, if any (the SDK's own lookup), else undefined. */
async function configuredRegion(clientOptions: S3ClientConfig): Promise<string | undefined> {
  try {
    const region = await new S3Client(clientOptions).config.region();
    return region || undefined;
  } catch {
    return undefined;
  }
}
