import type { ExportGateway, ExportTaskInfo, KeyInfo, KeyPolicyRead, StartExportRequest } from '../aws/export-gateway.js';

/**
 * The export port, its implementation (S3 and KMS clients, src/aws/sdk-export-gateway.ts)
 * imported on the first call, once: a restore or snapshot without an export never loads S3 or
 * KMS. A method added to ExportGateway must be added here too (the compiler says so).
 */
export class LazyExportGateway implements ExportGateway {
  private loading: Promise<ExportGateway> | undefined;

  constructor(private readonly load: () => Promise<ExportGateway>) {}

  private gateway(): Promise<ExportGateway> {
    return (this.loading ??= this.load());
  }

  async bucketExists(bucket: string): Promise<boolean> {
    return (await this.gateway()).bucketExists(bucket);
  }
  async bucketSetup(bucket: string): Promise<{ publicAccessBlocked: boolean; encrypted: boolean }> {
    return (await this.gateway()).bucketSetup(bucket);
  }
  async createBucket(bucket: string, region: string): Promise<void> {
    return (await this.gateway()).createBucket(bucket, region);
  }
  async blockPublicAccess(bucket: string): Promise<void> {
    return (await this.gateway()).blockPublicAccess(bucket);
  }
  async enableDefaultEncryption(bucket: string, kmsKeyArn: string): Promise<void> {
    return (await this.gateway()).enableDefaultEncryption(bucket, kmsKeyArn);
  }
  async describeKey(keyIdOrAlias: string): Promise<KeyInfo | undefined> {
    return (await this.gateway()).describeKey(keyIdOrAlias);
  }
  async createKey(description: string): Promise<KeyInfo> {
    return (await this.gateway()).createKey(description);
  }
  async createAlias(alias: string, keyId: string): Promise<void> {
    return (await this.gateway()).createAlias(alias, keyId);
  }
  async startExportTask(request: StartExportRequest): Promise<void> {
    return (await this.gateway()).startExportTask(request);
  }
  async describeExportTasks(taskId?: string): Promise<ExportTaskInfo[]> {
    return (await this.gateway()).describeExportTasks(taskId);
  }
  async exportTasksOf(sourceArn: string): Promise<ExportTaskInfo[]> {
    return (await this.gateway()).exportTasksOf(sourceArn);
  }
  async readKeyPolicy(keyIdOrAlias: string): Promise<KeyPolicyRead> {
    return (await this.gateway()).readKeyPolicy(keyIdOrAlias);
  }
}
