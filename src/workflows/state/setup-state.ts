import { bucketNameProblem, formatS3StateUrl, normalizePrefix } from '../../aws/s3-state-url.js';
import type { StateBucketGateway } from '../../aws/s3-state-bucket.js';
import { InternalError, UsageError } from '../../core/errors.js';
import type { ServiceDeps } from '../service.js';
import { statePolicy } from './state-policy.js';

/** What `setup-state` found and did. */
export interface SetupStateReport {
  bucket: string;
  prefix: string;
  region: string;
  /** The URL to give --state (or state.url). */
  url: string;
  /** What was created or changed (empty the second time: it is idempotent). */
  changes: string[];
  /** What is missing (only without --create). */
  missing: string[];
  config: { state: { url: string } };
  /** The IAM policy the runners need (attach it to their role or user). */
  policy: unknown;
}

/**
 * Checks — and with `create` creates — the bucket that keeps shared state: versioning on (an
 * overwritten or deleted run document can be recovered), default encryption, and every public
 * access blocked. Each piece is checked before it is set, so a second run changes nothing.
 * Never creates IAM resources: the runners' policy is printed instead.
 */
export async function setupState(
  bucketGateway: StateBucketGateway,
  options: { bucket: string; prefix?: string | undefined; region: string; create: boolean },
): Promise<SetupStateReport> {
  const problem = bucketNameProblem(options.bucket);
  if (problem) {
    throw new UsageError(`"${options.bucket}" is not a valid bucket name: ${problem}.`, {
      hint: 'Pick a name like my-team-trapheus-state.',
    });
  }
  const prefix = normalizePrefix(options.prefix ?? 'trapheus', '--prefix');
  const { bucket, region, create } = options;
  const changes: string[] = [];
  const missing: string[] = [];

  let exists = await bucketGateway.bucketExists(bucket);
  if (!exists && create) {
    await bucketGateway.createBucket(bucket, region);
    changes.push(`created bucket ${bucket} in ${region}`);
    exists = true;
  } else if (!exists) missing.push(`bucket ${bucket}`);

  let kmsKeyId: string | undefined;
  if (exists) {
    const settings = await bucketGateway.settings(bucket);
    if (!settings.publicAccessBlocked) {
      if (create) {
        await bucketGateway.blockPublicAccess(bucket);
        changes.push(`blocked all public access to ${bucket}`);
      } else missing.push(`public access block on ${bucket}`);
    }
    if (!settings.versioned) {
      if (create) {
        await bucketGateway.enableVersioning(bucket);
        changes.push(`turned on versioning of ${bucket}`);
      } else missing.push(`versioning on ${bucket}`);
    }
    if (!settings.encryption) {
      if (create) {
        await bucketGateway.enableDefaultEncryption(bucket);
        changes.push(`turned on default encryption (SSE-S3) of ${bucket}`);
      } else missing.push(`default encryption on ${bucket}`);
    } else if (settings.encryption.algorithm.startsWith('aws:kms')) kmsKeyId = settings.encryption.kmsKeyId; // none: the AWS managed key aws/s3, whose key policy admits the account's S3 users
  }
  const url = formatS3StateUrl({ bucket, prefix });
  return {
    bucket,
    prefix,
    region,
    url,
    changes,
    missing,
    config: { state: { url } },
    policy: statePolicy({ bucket, prefix, region, kmsKeyId }),
  };
}

/** `trapheus setup-state` over the service: the region is where a created bucket goes. */
export async function runSetupState(
  deps: Pick<ServiceDeps, 'stateBucket' | 'region'>,
  options: { bucket: string; prefix?: string | undefined; create: boolean },
): Promise<SetupStateReport> {
  if (!deps.stateBucket) throw new InternalError('No S3 client for the state bucket was built.');
  return setupState(await deps.stateBucket(), { ...options, region: deps.region ?? 'us-east-1' });
}
