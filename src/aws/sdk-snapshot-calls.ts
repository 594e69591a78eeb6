import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBSnapshots,
} from '@aws-sdk/client-rds';
import type { SnapshotInfo, Tag } from '../core/rds-resources.js';
import { act, found, tagsOf, SdkCalls } from './rds-call.js';
import type { WaitOptions } from './rds-gateway.js';
import { fromTags, toClusterSnapshotInfo, toSnapshotInfo } from './rds-to-domain.js';
import { checkSnapshotAvailable } from './rds-wait-checks.js';
import { waitFor } from './wait-for.js';

const snapshotName = (idOrArn: string): string => (idOrArn.startsWith('arn:') ? idOrArn.slice(idOrArn.lastIndexOf(':') + 1) : idOrArn);

/** The snapshot verbs of the RDS port (instance and cluster snapshots) over the SDK client. */
export class SdkSnapshotCalls extends SdkCalls {
  // ---- instance snapshots ----------------------------------------------------------------

  async describeSnapshot(identifierOrArn: string): Promise<SnapshotInfo | undefined> {
    const snap = await found(
      async () =>
        (await this.client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: identifierOrArn }), this.call)).DBSnapshots?.[0],
    );
    if (!snap) return undefined;
    const info = toSnapshotInfo(snap);
    if (!snap.TagList && info.arn) info.tags = await tagsOf(this.client, info.arn, this.call);
    return info;
  }

  async listSnapshots(instanceIdentifier: string): Promise<SnapshotInfo[]> {
    const list: SnapshotInfo[] = [];
    const query = { DBInstanceIdentifier: instanceIdentifier, SnapshotType: 'manual' };
    for await (const page of paginateDescribeDBSnapshots({ client: this.client }, query, this.call)) {
      for (const snap of page.DBSnapshots ?? []) list.push(toSnapshotInfo(snap));
    }
    return list;
  }

  async createSnapshot(instanceIdentifier: string, snapshotIdentifier: string, tags: Tag[]): Promise<void> {
    const input = { DBInstanceIdentifier: instanceIdentifier, DBSnapshotIdentifier: snapshotIdentifier, Tags: fromTags(tags) };
    await act(`Snapshot ${instanceIdentifier}`, () => this.client.send(new CreateDBSnapshotCommand(input), this.call));
  }

  async deleteSnapshot(snapshotIdentifier: string): Promise<void> {
    const input = { DBSnapshotIdentifier: snapshotName(snapshotIdentifier) };
    await act(`Delete snapshot ${snapshotIdentifier}`, () => this.client.send(new DeleteDBSnapshotCommand(input), this.call));
  }

  waitSnapshotAvailable(snapshotIdentifier: string, options?: WaitOptions): Promise<SnapshotInfo> {
    const check = () => checkSnapshotAvailable(() => this.describeSnapshot(snapshotIdentifier));
    return waitFor(`snapshot ${snapshotIdentifier} to be available`, this.waits, check, options);
  }

  // ---- cluster snapshots -----------------------------------------------------------------

  async describeClusterSnapshot(identifierOrArn: string): Promise<SnapshotInfo | undefined> {
    const input = { DBClusterSnapshotIdentifier: identifierOrArn };
    const snap = await found(
      async () => (await this.client.send(new DescribeDBClusterSnapshotsCommand(input), this.call)).DBClusterSnapshots?.[0],
    );
    if (!snap) return undefined;
    const info = toClusterSnapshotInfo(snap);
    if (!snap.TagList && info.arn) info.tags = await tagsOf(this.client, info.arn, this.call);
    return info;
  }

  async listClusterSnapshots(clusterIdentifier: string): Promise<SnapshotInfo[]> {
    const list: SnapshotInfo[] = [];
    const query = { DBClusterIdentifier: clusterIdentifier, SnapshotType: 'manual' };
    for await (const page of paginateDescribeDBClusterSnapshots({ client: this.client }, query, this.call)) {
      for (const snap of page.DBClusterSnapshots ?? []) list.push(toClusterSnapshotInfo(snap));
    }
    return list;
  }

  async createClusterSnapshot(clusterIdentifier: string, snapshotIdentifier: string, tags: Tag[]): Promise<void> {
    const input = { DBClusterIdentifier: clusterIdentifier, DBClusterSnapshotIdentifier: snapshotIdentifier, Tags: fromTags(tags) };
    await act(`Snapshot cluster ${clusterIdentifier}`, () => this.client.send(new CreateDBClusterSnapshotCommand(input), this.call));
  }

  async deleteClusterSnapshot(snapshotIdentifier: string): Promise<void> {
    const input = { DBClusterSnapshotIdentifier: snapshotName(snapshotIdentifier) };
    await act(`Delete cluster snapshot ${snapshotIdentifier}`, () =>
      this.client.send(new DeleteDBClusterSnapshotCommand(input), this.call),
    );
  }

  waitClusterSnapshotAvailable(snapshotIdentifier: string, options?: WaitOptions): Promise<SnapshotInfo> {
    const check = () => checkSnapshotAvailable(() => this.describeClusterSnapshot(snapshotIdentifier));
    return waitFor(`cluster snapshot ${snapshotIdentifier} to be available`, this.waits, check, options);
  }
}
