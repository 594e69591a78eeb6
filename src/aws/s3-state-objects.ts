import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PreconditionError } from '../core/errors.js';
import { formatS3StateUrl, keyUnder, type S3StateLocation } from './s3-state-url.js';

/** An object as read: its text and the ETag that a conditional write names. */
export interface StateObject {
  text: string;
  etag: string;
  lastModified?: Date | undefined;
}

/** How a conditional write ended: written (with the new ETag), or its condition did not hold. */
export type ConditionalResult = { ok: true; etag: string } | { ok: false; reason: 'exists' | 'changed' | 'missing' | 'conflict' };

/** A key below the prefix, as ListObjectsV2 returns it. */
export interface ListedObject {
  /** The key relative to the location's prefix (e.g. `runs/x.json`). */
  name: string;
  etag: string;
}

const named = (error: unknown, ...names: string[]): boolean => error instanceof Error && names.includes(error.name);
const status = (error: unknown): number | undefined => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** 412: the object exists (If-None-Match) or has another ETag (If-Match). */
const preconditionFailed = (error: unknown): boolean => named(error, 'PreconditionFailed') || status(error) === 412;
/**
 * 409 ConditionalRequestConflict: a concurrent write to the same key was in flight; "on a 409
 * failure you should retry" (PutObject IfMatch/IfNoneMatch, botocore s3 2006-03-01 service-2.json;
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
 */
const conflict = (error: unknown): boolean => named(error, 'ConditionalRequestConflict') || status(error) === 409;
const missing = (error: unknown): boolean => named(error, 'NoSuchKey', 'NotFound');

/**
 * The objects of shared state (run documents, leases) over S3, with the conditional writes that
 * keep two hosts from overwriting each other: create with `If-None-Match: *`, replace and delete
 * with `If-Match: <etag>` (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html).
 * No abort signal: a run stopped by Ctrl-C must still be able to journal that it stopped.
 */
export class S3StateObjects {
  constructor(
    private readonly s3: S3Client,
    readonly location: S3StateLocation,
  ) {}

  /** `s3://bucket/prefix`, for messages. */
  get url(): string {
    return formatS3StateUrl(this.location);
  }

  /** `s3://bucket/key` of a name below the prefix, for messages. */
  where(name: string): string {
    return `s3://${this.location.bucket}/${this.key(name)}`;
  }

  private key(name: string): string {
    return keyUnder(this.location, name);
  }

  /** The object, or undefined if there is none. */
  async get(name: string): Promise<StateObject | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(name) }));
      const text = (await out.Body?.transformToString('utf8')) ?? '';
      return { text, etag: out.ETag ?? '', lastModified: out.LastModified };
    } catch (error) {
      if (missing(error)) return undefined;
      throw this.refused(error);
    }
  }

  /** Creates the object only if there is none (`If-None-Match: *`). */
  async create(name: string, text: string): Promise<ConditionalResult> {
    return this.put(name, text, { IfNoneMatch: '*' });
  }

  /** Replaces the object only if its ETag is still `etag` (`If-Match`). */
  async replace(name: string, text: string, etag: string): Promise<ConditionalResult> {
    return this.put(name, text, { IfMatch: etag });
  }

  private async put(name: string, text: string, condition: { IfNoneMatch: string } | { IfMatch: string }): Promise<ConditionalResult> {
    try {
      const out = await this.s3.send(
        new PutObjectCommand({
          Bucket: this.location.bucket,
          Key: this.key(name),
          Body: text,
          ContentType: 'application/json',
          ...condition,
        }),
      );
      return { ok: true, etag: out.ETag ?? '' };
    } catch (error) {
      if (preconditionFailed(error)) return { ok: false, reason: 'IfNoneMatch' in condition ? 'exists' : 'changed' };
      if (conflict(error)) return { ok: false, reason: 'conflict' };
      // If-Match on a key that is gone: 404 NoSuchKey.
      if (missing(error)) return { ok: false, reason: 'missing' };
      throw this.refused(error);
    }
  }

  /**
   * Deletes the object only if its ETag is still `etag` (DeleteObject `If-Match`: conditional
   * deletes of general purpose buckets, which need s3:GetObject besides s3:DeleteObject,
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html); ok if
   * deleted or already gone. In a versioned bucket the delete leaves a delete marker: the lease
   * or run document's earlier versions stay recoverable.
   */
  async remove(name: string, etag?: string): Promise<ConditionalResult | { ok: true; etag: '' }> {
    try {
      await this.s3.send(
        new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.key(name), ...(etag ? { IfMatch: etag } : {}) }),
      );
      return { ok: true, etag: '' };
    } catch (error) {
      if (missing(error)) return { ok: true, etag: '' };
      if (preconditionFailed(error)) return { ok: false, reason: 'changed' };
      if (conflict(error)) return { ok: false, reason: 'conflict' };
      throw this.refused(error);
    }
  }

  /** Every object whose name begins with `dir` (e.g. `runs/`), one level deep: ListObjectsV2 with a delimiter, page by page. */
  async list(dir: string): Promise<ListedObject[]> {
    const prefix = this.key(dir);
    const strip = this.location.prefix ? this.location.prefix.length + 1 : 0;
    const found: ListedObject[] = [];
    let token: string | undefined;
    try {
      do {
        const out = await this.s3.send(
          new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
        );
        for (const item of out.Contents ?? []) if (item.Key) found.push({ name: item.Key.slice(strip), etag: item.ETag ?? '' });
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw this.refused(error);
    }
    return found;
  }

  /**
   * An S3 error that is not a condition: a missing bucket or a refused permission says what to
   * do; anything else (network, 5xx after the SDK's retries) is passed on for the caller to classify.
   */
  refused(error: unknown): unknown {
    if (named(error, 'NoSuchBucket')) {
      return new PreconditionError(`The state bucket ${this.location.bucket} does not exist (state ${this.url}).`, {
        cause: error,
        hint: `Create it with: trapheus setup-state --bucket ${this.location.bucket} --create`,
      });
    }
    if (named(error, 'AccessDenied', 'Forbidden', 'AllAccessDisabled') || status(error) === 403) {
      return new PreconditionError(`Access to the shared state ${this.url} was refused (${(error as Error).name}).`, {
        cause: error,
        hint: `Grant the IAM policy that \`trapheus setup-state --bucket ${this.location.bucket}${this.location.prefix ? ` --prefix ${this.location.prefix}` : ''}\` prints.`,
      });
    }
    return error;
  }
}
