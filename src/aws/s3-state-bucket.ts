import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { PreconditionError } from '../core/errors.js';

/** How a state bucket is set up. */
export interface StateBucketSettings {
  /** Versioning is on: an overwritten or deleted run document can be recovered. */
  versioned: boolean;
  /** Default encryption, if any: AES256 (SSE-S3) or aws:kms with its key. */
  encryption?: { algorithm: string; kmsKeyId?: string | undefined } | undefined;
  /** All four public-access-block settings are on. */
  publicAccessBlocked: boolean;
}

/** The S3 calls `setup-state` makes. */
export interface StateBucketGateway {
  /** True if the bucket exists and is ours; false if there is none; a bucket of another account is a precondition. */
  bucketExists(bucket: string): Promise<boolean>;
  settings(bucket: string): Promise<StateBucketSettings>;
  /** Creates the bucket in `region`; a bucket this account already owns is not an error. */
  createBucket(bucket: string, region: string): Promise<void>;
  enableVersioning(bucket: string): Promise<void>;
  /** SSE-S3 (AES256) default encryption: keeps runners free of KMS permissions. */
  enableDefaultEncryption(bucket: string): Promise<void>;
  blockPublicAccess(bucket: string): Promise<void>;
}

const named = (error: unknown, ...names: string[]): boolean => error instanceof Error && names.includes(error.name);
const status = (error: unknown): number | undefined => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** The state bucket's set-up over an S3 client. */
export class SdkStateBucket implements StateBucketGateway {
  constructor(private readonly s3: S3Client) {}

  async bucketExists(bucket: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadBucketCommand({ Bucket: bucket }));
      return true;
    } catch (error) {
      if (named(error, 'NotFound', 'NoSuchBucket') || status(error) === 404) return false;
      // HeadBucket answers 403 for a bucket of another account, or without s3:ListBucket on it.
      if (status(error) === 403) {
        throw new PreconditionError(`The bucket ${bucket} exists but is not yours, or you may not read it (403).`, {
          cause: error,
          hint: 'Bucket names are global: pick another name, or check your credentials (s3:ListBucket on the bucket).',
        });
      }
      throw error;
    }
  }

  async settings(bucket: string): Promise<StateBucketSettings> {
    const versioning = await this.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    let encryption: StateBucketSettings['encryption'];
    try {
      const rules = (await this.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules ?? [];
      const rule = rules.find((r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm)?.ApplyServerSideEncryptionByDefault;
      if (rule?.SSEAlgorithm) encryption = { algorithm: rule.SSEAlgorithm, kmsKeyId: rule.KMSMasterKeyID };
    } catch (error) {
      if (!named(error, 'ServerSideEncryptionConfigurationNotFoundError')) throw error;
    }
    let publicAccessBlocked = false;
    try {
      const c = (await this.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration;
      publicAccessBlocked = Boolean(c?.BlockPublicAcls && c.IgnorePublicAcls && c.BlockPublicPolicy && c.RestrictPublicBuckets);
    } catch (error) {
      if (!named(error, 'NoSuchPublicAccessBlockConfiguration')) throw error;
    }
    return { versioned: versioning.Status === 'Enabled', encryption, publicAccessBlocked };
  }

  async createBucket(bucket: string, region: string): Promise<void> {
    // us-east-1 is the one region that takes no location constraint
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html).
    const location = region === 'us-east-1' ? undefined : { LocationConstraint: region as BucketLocationConstraint };
    try {
      await this.s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: location }));
    } catch (error) {
      if (named(error, 'BucketAlreadyOwnedByYou')) return;
      if (named(error, 'BucketAlreadyExists')) {
        throw new PreconditionError(`The bucket name ${bucket} is taken by another account.`, {
          cause: error,
          hint: 'Bucket names are global: pick another name.',
        });
      }
      throw error;
    }
  }

  async enableVersioning(bucket: string): Promise<void> {
    await this.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }

  async enableDefaultEncryption(bucket: string): Promise<void> {
    await this.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      }),
    );
  }

  async blockPublicAccess(bucket: string): Promise<void> {
    await this.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
  }
}
