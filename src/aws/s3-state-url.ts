import { UsageError } from '../core/errors.js';

/** Where shared state lives: a bucket and a key prefix (no leading or trailing slash; may be empty). */
export interface S3StateLocation {
  bucket: string;
  prefix: string;
}

/**
 * Bucket naming rules of general purpose buckets: 3–63 characters, lower-case letters, digits,
 * dots and hyphens, beginning and ending with a letter or digit, not shaped like an IP address.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_LIKE = /^\d+\.\d+\.\d+\.\d+$/;

/** Why a bucket name is refused, or undefined if it follows the naming rules. */
export function bucketNameProblem(bucket: string): string | undefined {
  if (!BUCKET.test(bucket))
    return 'a bucket name has 3 to 63 lower-case letters, digits, dots or hyphens and begins and ends with a letter or digit';
  if (IP_LIKE.test(bucket)) return 'a bucket name must not look like an IP address';
  if (bucket.includes('..')) return 'a bucket name must not hold two dots in a row';
  return undefined;
}

/**
 * Characters S3 documents as safe in object keys (letters, digits and ! - _ . * ' ( ) /):
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
 */
const SAFE_PREFIX = /^[A-Za-z0-9!_.*'()/-]*$/;

/** A prefix trimmed of its slashes; refused if it holds an empty level (`a//b`), a `.`/`..` level or characters outside S3's safe set. */
export function normalizePrefix(prefix: string, where: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  const levels = trimmed.split('/');
  if (!SAFE_PREFIX.test(trimmed) || (trimmed !== '' && levels.some((l) => l === '' || l === '.' || l === '..'))) {
    throw new UsageError(`${where}: the prefix "${prefix}" holds an empty or relative level or characters outside S3's safe set.`, {
      hint: "Use letters, digits and / ! - _ . * ' ( ) in the prefix, e.g. s3://my-bucket/trapheus/prod",
    });
  }
  return trimmed;
}

/** Parses `s3://bucket[/prefix]`; a malformed URL is a usage error naming the setting it came from. */
export function parseS3StateUrl(url: string, where = '--state'): S3StateLocation {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(url.trim());
  const hint =
    'Shared state is given as s3://BUCKET/PREFIX, e.g. --state s3://my-trapheus-state/prod (create the bucket with `trapheus setup-state --bucket my-trapheus-state --create`).';
  if (!match) throw new UsageError(`${where}: "${url}" is not an s3:// URL.`, { hint });
  const bucket = match[1] ?? '';
  const problem = bucketNameProblem(bucket);
  if (problem) throw new UsageError(`${where}: "${bucket}" is not a valid bucket name: ${problem}.`, { hint });
  return { bucket, prefix: normalizePrefix(match[2] ?? '', where) };
}

/** The state URL of a location, as a user writes it. */
export function formatS3StateUrl(location: S3StateLocation): string {
  return `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;
}

/** The key of `name` under the location's prefix. */
export function keyUnder(location: S3StateLocation, name: string): string {
  return location.prefix ? `${location.prefix}/${name}` : name;
}
