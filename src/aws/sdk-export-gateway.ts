import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  type KMSClient,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { DescribeExportTasksCommand, StartExportTaskCommand, paginateDescribeExportTasks, type RDSClient } from '@aws-sdk/client-rds';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { StepError } from '../core/errors.js';
import type { ExportGateway, ExportTaskInfo, KeyInfo, KeyPolicyRead, StartExportRequest } from './export-gateway.js';
import { mapRdsError } from './map-rds-error.js';
import { callOptions, type CallOptions } from './rds-call.js';

const named = (error: unknown, ...names: string[]): boolean => error instanceof Error && names.includes(error.name);

function toKey(meta: KeyMetadata | undefined): KeyInfo {
  return {
    keyId: meta?.KeyId ?? '',
    arn: meta?.Arn ?? '',
    enabled: meta?.Enabled === true && meta.KeyState === 'Enabled',
    symmetric: (meta?.KeySpec ?? meta?.CustomerMasterKeySpec) === 'SYMMETRIC_DEFAULT',
  };
}

/** The export port over S3, KMS and RDS SDK clients. */
export class SdkExportGateway implements ExportGateway {
  /** Every call carries the run's abort signal (Ctrl-C stops a call in flight). */
  private readonly call: CallOptions;

  constructor(
    private readonly s3: S3Client,
    private readonly kms: KMSClient,
    private readonly rds: RDSClient,
    signal?: AbortSignal,
  ) {
    this.call = callOptions(signal);
  }

  async bucketExists(bucket: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadBucketCommand({ Bucket: bucket }), this.call);
      return true;
    } catch (error) {
      if (named(error, 'NotFound', 'NoSuchBucket')) return false;
      throw new StepError(`Cannot check bucket ${bucket}: ${(error as Error).name}`, { cause: error });
    }
  }

  async bucketSetup(bucket: string): Promise<{ publicAccessBlocked: boolean; encrypted: boolean }> {
    let publicAccessBlocked = false;
    try {
      const c = (await this.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }), this.call)).PublicAccessBlockConfiguration;
      publicAccessBlocked = Boolean(c?.BlockPublicAcls && c.IgnorePublicAcls && c.BlockPublicPolicy && c.RestrictPublicBuckets);
    } catch (error) {
      if (!named(error, 'NoSuchPublicAccessBlockConfiguration')) throw error;
    }
    let encrypted = false;
    try {
      const rules =
        (await this.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }), this.call)).ServerSideEncryptionConfiguration?.Rules ?? [];
      encrypted = rules.some((r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm);
    } catch (error) {
      if (!named(error, 'ServerSideEncryptionConfigurationNotFoundError')) throw error;
    }
    return { publicAccessBlocked, encrypted };
  }

  async createBucket(bucket: string, region: string): Promise<void> {
    // us-east-1 is the one region that takes no location constraint.
    const location = region === 'us-east-1' ? undefined : { LocationConstraint: region as BucketLocationConstraint };
    await this.s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: location }), this.call);
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
      this.call,
    );
  }

  async enableDefaultEncryption(bucket: string, kmsKeyArn: string): Promise<void> {
    await this.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKeyArn }, BucketKeyEnabled: true }],
        },
      }),
      this.call,
    );
  }

  async describeKey(keyIdOrAlias: string): Promise<KeyInfo | undefined> {
    try {
      return toKey((await this.kms.send(new DescribeKeyCommand({ KeyId: keyIdOrAlias }), this.call)).KeyMetadata);
    } catch (error) {
      if (named(error, 'NotFoundException')) return undefined;
      throw error;
    }
  }

  async createKey(description: string): Promise<KeyInfo> {
    return toKey(
      (
        await this.kms.send(
          new CreateKeyCommand({ Description: description, KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }),
          this.call,
        )
      ).KeyMetadata,
    );
  }

  async createAlias(alias: string, keyId: string): Promise<void> {
    await this.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }), this.call);
  }

  async startExportTask(r: StartExportRequest): Promise<void> {
    try {
      await this.rds.send(
        new StartExportTaskCommand({
          ExportTaskIdentifier: r.taskId,
          SourceArn: r.sourceArn,
          S3BucketName: r.bucket,
          S3Prefix: r.prefix,
          KmsKeyId: r.kmsKeyId,
          IamRoleArn: r.iamRoleArn,
          ExportOnly: r.tables && r.tables.length > 0 ? r.tables : undefined,
        }),
        this.call,
      );
    } catch (error) {
      throw mapRdsError(error, `Start export ${r.taskId}`);
    }
  }

  async describeExportTasks(taskId?: string): Promise<ExportTaskInfo[]> {
    const tasks: ExportTaskInfo[] = [];
    if (taskId) {
      const out = await this.rds.send(new DescribeExportTasksCommand({ ExportTaskIdentifier: taskId }), this.call);
      for (const t of out.ExportTasks ?? []) tasks.push(toTask(t));
      return tasks;
    }
    for await (const page of paginateDescribeExportTasks({ client: this.rds }, {}, this.call)) {
      for (const t of page.ExportTasks ?? []) tasks.push(toTask(t));
    }
    return tasks;
  }

  async exportTasksOf(sourceArn: string): Promise<ExportTaskInfo[]> {
    const tasks: ExportTaskInfo[] = [];
    for await (const page of paginateDescribeExportTasks({ client: this.rds }, { SourceArn: sourceArn }, this.call)) {
      for (const t of page.ExportTasks ?? []) tasks.push(toTask(t));
    }
    // RDS filters on SourceArn; moto ignores the filter and answers every task, so filter again here.
    return tasks.filter((t) => t.sourceArn === sourceArn);
  }

  async readKeyPolicy(keyIdOrAlias: string): Promise<KeyPolicyRead> {
    try {
      // GetKeyPolicy takes a key id or key ARN, not an alias (KMS API reference: GetKeyPolicy KeyId).
      const arn = (await this.kms.send(new DescribeKeyCommand({ KeyId: keyIdOrAlias }), this.call)).KeyMetadata?.Arn;
      if (!arn) return { readable: false, reason: 'DescribeKey returned no key ARN' };
      const out = await this.kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }), this.call);
      return out.Policy
        ? { readable: true, keyArn: arn, policy: out.Policy }
        : { readable: false, reason: 'GetKeyPolicy returned no policy' };
    } catch (error) {
      if (named(error, 'AbortError')) throw error;
      return { readable: false, reason: error instanceof Error ? error.name : String(error) };
    }
  }
}

function toTask(t: {
  ExportTaskIdentifier?: string;
  SourceArn?: string;
  Status?: string;
  PercentProgress?: number;
  S3Bucket?: string;
  S3Prefix?: string;
  KmsKeyId?: string;
  FailureCause?: string;
  TaskStartTime?: Date;
}): ExportTaskInfo {
  return {
    taskId: t.ExportTaskIdentifier ?? '',
    sourceArn: t.SourceArn ?? '',
    status: t.Status ?? 'unknown',
    percentProgress: t.PercentProgress,
    bucket: t.S3Bucket ?? '',
    prefix: t.S3Prefix || undefined,
    kmsKeyId: t.KmsKeyId,
    failureCause: t.FailureCause,
    startedAt: t.TaskStartTime,
  };
}
