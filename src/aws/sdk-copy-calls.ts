import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { act, found, SdkCalls } from './rds-call.js';
import type { CopySnapshotRequest, SnapshotToCopy } from './rds-gateway.js';
import { fromTags, toClusterSnapshotInfo, toSnapshotInfo } from './rds-to-domain.js';

/**
 * Copying a snapshot shared from another account, or kept in another region, into this account
 * and region, so that it can be restored (a shared encrypted snapshot cannot be restored directly).
 */
export class SdkCopyCalls extends SdkCalls {
  /** A client of the same credentials (and endpoint, if one is configured) in `region`. */
  private clientIn(region: string | undefined): RDSClient {
    if (!region) return this.client;
    const config = this.client.config;
    return new RDSClient({
      region,
      credentials: config.credentials,
      requestHandler: config.requestHandler,
      ...(config.isCustomEndpoint ? { endpoint: config.endpoint } : {}),
    });
  }

  /**
   * DescribeDB[Cluster]Snapshots by id or ARN with IncludeShared: "True to include shared manual
   * DB snapshots from other Amazon Web Services accounts that this Amazon Web Services account has
   * been given permission to copy or restore" (API reference: DescribeDBSnapshots, IncludeShared).
   */
  async describeSnapshotToCopy(
    kind: 'instance' | 'cluster',
    identifierOrArn: string,
    sourceRegion?: string,
  ): Promise<SnapshotToCopy | undefined> {
    const client = this.clientIn(sourceRegion);
    if (kind === 'cluster') {
      const input = { DBClusterSnapshotIdentifier: identifierOrArn, IncludeShared: true };
      const snap = await found(
        async () => (await client.send(new DescribeDBClusterSnapshotsCommand(input), this.call)).DBClusterSnapshots?.[0],
      );
      return snap && { info: toClusterSnapshotInfo(snap), encrypted: snap.StorageEncrypted ?? false, kmsKeyId: snap.KmsKeyId };
    }
    const input = { DBSnapshotIdentifier: identifierOrArn, IncludeShared: true };
    const snap = await found(async () => (await client.send(new DescribeDBSnapshotsCommand(input), this.call)).DBSnapshots?.[0]);
    return snap && { info: toSnapshotInfo(snap), encrypted: snap.Encrypted ?? false, kmsKeyId: snap.KmsKeyId };
  }

  /**
   * CopyDBSnapshot / CopyDBClusterSnapshot with the source's ARN: "If you are copying from a shared
   * manual DB snapshot, this parameter must be the Amazon Resource Name (ARN) of the shared DB
   * snapshot"; KmsKeyId: "If you copy an encrypted DB snapshot that is shared from another Amazon
   * Web Services account, then you must specify a value for KmsKeyId" (API reference:
   * CopyDBSnapshot). For a source in another region the SDK's RDS middleware
   * (@aws-sdk/middleware-sdk-rds) signs the PreSignedUrl itself, from the region in the ARN.
   */
  async copySnapshot(request: CopySnapshotRequest): Promise<void> {
    const common = { KmsKeyId: request.kmsKeyId, Tags: fromTags(request.tags) };
    await act(`Copy snapshot ${request.sourceArn} as ${request.targetIdentifier}`, () =>
      request.kind === 'cluster'
        ? this.client.send(
            new CopyDBClusterSnapshotCommand({
              SourceDBClusterSnapshotIdentifier: request.sourceArn,
              TargetDBClusterSnapshotIdentifier: request.targetIdentifier,
              ...common,
            }),
            this.call,
          )
        : this.client.send(
            new CopyDBSnapshotCommand({
              SourceDBSnapshotIdentifier: request.sourceArn,
              TargetDBSnapshotIdentifier: request.targetIdentifier,
              ...common,
            }),
            this.call,
          ),
    );
  }
}
