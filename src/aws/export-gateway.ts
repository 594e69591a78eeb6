/** A KMS key as the export set-up sees it. */
export interface KeyInfo {
  keyId: string;
  arn: string;
  enabled: boolean;
  symmetric: boolean;
}

/** An RDS snapshot export task. Status words are upper case in AWS and lower case in moto. */
export interface ExportTaskInfo {
  taskId: string;
  sourceArn: string;
  status: string;
  percentProgress?: number | undefined;
  bucket: string;
  prefix?: string | undefined;
  kmsKeyId?: string | undefined;
  failureCause?: string | undefined;
  startedAt?: Date | undefined;
}

/** What StartExportTask takes. */
export interface StartExportRequest {
  taskId: string;
  sourceArn: string;
  bucket: string;
  prefix?: string | undefined;
  kmsKeyId: string;
  iamRoleArn: string;
  tables?: string[] | undefined;
}

/**
 * A KMS key's policy as `GetKeyPolicy` returns it (the JSON text, policy name `default`), or
 * why it could not be read (the error's name, e.g. `AccessDeniedException`).
 */
export type KeyPolicyRead = { readable: true; keyArn: string; policy: string } | { readable: false; reason: string };

/**
 * The narrow S3 / KMS / RDS-export port. Missing things are `false`/`undefined`, never NotFound
 * errors; SDK types stay in `src/aws/`.
 */
export interface ExportGateway {
  bucketExists(bucket: string): Promise<boolean>;
  /** Whether public access is fully blocked and default encryption is on. */
  bucketSetup(bucket: string): Promise<{ publicAccessBlocked: boolean; encrypted: boolean }>;
  createBucket(bucket: string, region: string): Promise<void>;
  blockPublicAccess(bucket: string): Promise<void>;
  enableDefaultEncryption(bucket: string, kmsKeyArn: string): Promise<void>;
  describeKey(keyIdOrAlias: string): Promise<KeyInfo | undefined>;
  createKey(description: string): Promise<KeyInfo>;
  createAlias(alias: string, keyId: string): Promise<void>;
  startExportTask(request: StartExportRequest): Promise<void>;
  describeExportTasks(taskId?: string): Promise<ExportTaskInfo[]>;
  /** Every export task of one source snapshot (DescribeExportTasks `SourceArn`), whatever its status. */
  exportTasksOf(sourceArn: string): Promise<ExportTaskInfo[]>;
  /** The key's policy, read-only: DescribeKey resolves an alias, then GetKeyPolicy (which takes no alias). */
  readKeyPolicy(keyIdOrAlias: string): Promise<KeyPolicyRead>;
}
