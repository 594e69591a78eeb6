import {
  DescribeDBClustersCommand,
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBSnapshots,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBSnapshotAttributesCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBSnapshotAttributeCommand,
  RestoreDBClusterToPointInTimeCommand,
  RestoreDBInstanceToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import type { SnapshotInfo } from '../core/rds-resources.js';
import { restoreClusterToTimeInput, restoreInstanceToTimeInput } from './point-in-time-requests.js';
import { act, found, SdkCalls } from './rds-call.js';
import type { RestorableWindow, RestoreClusterToTimeRequest, RestoreInstanceToTimeRequest } from './rds-gateway.js';
import { toClusterSnapshotInfo, toSnapshotInfo } from './rds-to-domain.js';

const asOf = (restore: Date | undefined): string => (restore ? `as of ${restore.toISOString()}` : 'at its latest restorable time');

/** What a restore can take its data from besides a named snapshot: every snapshot of a database, and points in time. */
export class SdkSourceCalls extends SdkCalls {
  /** DescribeDBSnapshots without SnapshotType: "both automated and manual snapshots are returned" (API reference). */
  async listAllSnapshots(instanceIdentifier: string): Promise<SnapshotInfo[]> {
    const list: SnapshotInfo[] = [];
    for await (const page of paginateDescribeDBSnapshots(
      { client: this.client },
      { DBInstanceIdentifier: instanceIdentifier },
      this.call,
    )) {
      for (const snap of page.DBSnapshots ?? []) list.push(toSnapshotInfo(snap));
    }
    return list;
  }

  async listAllClusterSnapshots(clusterIdentifier: string): Promise<SnapshotInfo[]> {
    const list: SnapshotInfo[] = [];
    const query = { DBClusterIdentifier: clusterIdentifier };
    for await (const page of paginateDescribeDBClusterSnapshots({ client: this.client }, query, this.call)) {
      for (const snap of page.DBClusterSnapshots ?? []) list.push(toClusterSnapshotInfo(snap));
    }
    return list;
  }

  /**
   * An instance reports only LatestRestorableTime; the start of its window is the automated
   * backups' RestoreWindow.EarliestTime (DescribeDBInstanceAutomatedBackups, whose "active" entry
   * is the live instance's). Where that cannot be read (no permission, an emulator without it),
   * the creation time is the bound: nothing before it can be restored.
   */
  async describeInstanceRestorableWindow(identifier: string): Promise<RestorableWindow | undefined> {
    const db = await found(
      async () =>
        (await this.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }), this.call)).DBInstances?.[0],
    );
    if (!db) return undefined;
    let earliest: Date | undefined;
    try {
      const out = await this.client.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: identifier }), this.call);
      const own = (out.DBInstanceAutomatedBackups ?? []).filter(
        (b) =>
          (b.DbiResourceId ? b.DbiResourceId === db.DbiResourceId : b.DBInstanceIdentifier === db.DBInstanceIdentifier) && b.RestoreWindow,
      );
      earliest = own.map((b) => b.RestoreWindow?.EarliestTime).find((t) => t !== undefined);
    } catch {
      // Advisory: RDS itself refuses a time outside the window.
    }
    return {
      backupRetentionPeriod: db.BackupRetentionPeriod,
      latest: db.LatestRestorableTime,
      earliest: earliest ?? db.InstanceCreateTime,
      earliestIsBound: earliest === undefined,
    };
  }

  async describeClusterRestorableWindow(identifier: string): Promise<RestorableWindow | undefined> {
    const cluster = await found(
      async () => (await this.client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }), this.call)).DBClusters?.[0],
    );
    if (!cluster) return undefined;
    return {
      backupRetentionPeriod: cluster.BackupRetentionPeriod,
      latest: cluster.LatestRestorableTime,
      earliest: cluster.EarliestRestorableTime ?? cluster.ClusterCreateTime,
      earliestIsBound: cluster.EarliestRestorableTime === undefined,
    };
  }

  async restoreInstanceToPointInTime(request: RestoreInstanceToTimeRequest): Promise<void> {
    await act(`Restore ${request.sourceIdentifier} ${asOf(request.restoreTime)} as ${request.identifier}`, () =>
      this.client.send(new RestoreDBInstanceToPointInTimeCommand(restoreInstanceToTimeInput(request)), this.call),
    );
  }

  async restoreClusterToPointInTime(request: RestoreClusterToTimeRequest): Promise<void> {
    await act(`Restore cluster ${request.sourceIdentifier} ${asOf(request.restoreTime)} as ${request.identifier}`, () =>
      this.client.send(new RestoreDBClusterToPointInTimeCommand(restoreClusterToTimeInput(request)), this.call),
    );
  }

  /** DescribeDB[Cluster]SnapshotAttributes: the `restore` attribute lists the accounts allowed to copy and restore. */
  async snapshotSharedWith(kind: 'instance' | 'cluster', snapshotIdentifier: string): Promise<string[]> {
    const attributes =
      kind === 'cluster'
        ? (
            await this.client.send(
              new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: snapshotIdentifier }),
              this.call,
            )
          ).DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes
        : (await this.client.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: snapshotIdentifier }), this.call))
            .DBSnapshotAttributesResult?.DBSnapshotAttributes;
    return (attributes ?? []).find((a) => a.AttributeName === 'restore')?.AttributeValues ?? [];
  }

  /**
   * Shares a manual snapshot: "To authorize other Amazon Web Services accounts to copy or restore
   * a manual DB snapshot, set this value to restore" (API reference: ModifyDBSnapshotAttribute).
   */
  async shareSnapshot(kind: 'instance' | 'cluster', snapshotIdentifier: string, accountIds: string[]): Promise<void> {
    await act(`Share snapshot ${snapshotIdentifier} with ${accountIds.join(', ')}`, () =>
      kind === 'cluster'
        ? this.client.send(
            new ModifyDBClusterSnapshotAttributeCommand({
              DBClusterSnapshotIdentifier: snapshotIdentifier,
              AttributeName: 'restore',
              ValuesToAdd: accountIds,
            }),
            this.call,
          )
        : this.client.send(
            new ModifyDBSnapshotAttributeCommand({
              DBSnapshotIdentifier: snapshotIdentifier,
              AttributeName: 'restore',
              ValuesToAdd: accountIds,
            }),
            this.call,
          ),
    );
  }
}
