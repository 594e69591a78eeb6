import {
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DeleteDBClusterCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBInstanceCommand,
  DeleteDBSnapshotCommand,
  DescribeAccountAttributesCommand,
  DescribeBlueGreenDeploymentsCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  ListTagsForResourceCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBSnapshots,
  RebootDBInstanceCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { StepError } from '../core/errors.js';
import { isNotFound, mapRdsError } from './map-rds-error.js';
import type { CreateClusterMemberRequest, DeleteInstanceOptions, RdsGateway, RestoreClusterRequest, RestoreInstanceRequest, Settled, WaitOptions } from './rds-gateway.js';
import type { ClusterInfo, ClusterModification, InstanceInfo, InstanceModification, QuotaInfo, SnapshotInfo, Tag } from '../core/rds-resources.js';
import { fromTags, toClusterInfo, toClusterSnapshotInfo, toInstanceInfo, toSnapshotInfo, toTags } from './rds-to-domain.js';
import { changesStorage, createMemberInput, modifyClusterInput, modifyInstanceInput, restoreClusterInput, restoreInstanceInput } from './rds-requests.js';
import { checkAvailable, checkDeleted, checkRenamed, checkSettled, checkSnapshotAvailable } from './rds-wait-checks.js';
import { waitFor, type WaitSettings } from './wait-for.js';

const snapshotName = (idOrArn: string): string => (idOrArn.startsWith('arn:') ? idOrArn.slice(idOrArn.lastIndexOf(':') + 1) : idOrArn);

/** The RDS port over the AWS SDK v3 client; every wait uses the SDK waiter machinery. */
export class SdkRdsGateway implements RdsGateway {
  constructor(
    private readonly client: RDSClient,
    private readonly waits: WaitSettings,
  ) {}

  // ---- instances -------------------------------------------------------------------------

  async describeInstance(identifier: string): Promise<InstanceInfo | undefined> {
    try {
      const out = await this.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
      const db = out.DBInstances?.[0];
      if (!db) return undefined;
      const info = toInstanceInfo(db);
      if (!db.TagList && info.arn) info.config.tags = await this.tagsOf(info.arn);
      return info;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async renameInstance(from: string, to: string): Promise<void> {
    await this.act(`Rename ${from} to ${to}`, () =>
      this.client.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: from, NewDBInstanceIdentifier: to, ApplyImmediately: true })),
    );
  }

  async restoreInstance(request: RestoreInstanceRequest): Promise<void> {
    await this.act(`Restore ${request.snapshotIdentifier} as ${request.identifier}`, () => this.client.send(new RestoreDBInstanceFromDBSnapshotCommand(restoreInstanceInput(request))));
  }

  async modifyInstance(identifier: string, changes: InstanceModification): Promise<void> {
    const action = `Modify ${identifier}`;
    // Which storage values RDS takes depends on the engine, the type and the size now.
    const described = changesStorage(changes) ? await this.readFirst(action, () => this.describeInstance(identifier)) : undefined;
    await this.act(action, () => this.client.send(new ModifyDBInstanceCommand(modifyInstanceInput(identifier, changes, described))));
  }

  async deleteInstance(identifier: string, options: DeleteInstanceOptions): Promise<void> {
    await this.act(`Delete ${identifier}`, () =>
      this.client.send(
        new DeleteDBInstanceCommand({
          DBInstanceIdentifier: identifier,
          SkipFinalSnapshot: options.finalSnapshotIdentifier === undefined,
          FinalDBSnapshotIdentifier: options.finalSnapshotIdentifier,
          DeleteAutomatedBackups: !options.keepAutomatedBackups,
        }),
      ),
    );
  }

  async createClusterMember(request: CreateClusterMemberRequest): Promise<void> {
    await this.act(`Create ${request.identifier} in ${request.clusterIdentifier}`, () => this.client.send(new CreateDBInstanceCommand(createMemberInput(request))));
  }

  async rebootInstance(identifier: string): Promise<void> {
    await this.act(`Reboot ${identifier}`, () => this.client.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: identifier })));
  }

  waitInstanceSettled(identifier: string, options?: WaitOptions): Promise<Settled<InstanceInfo>> {
    return waitFor(`${identifier} to apply its changes`, this.waits, () => checkSettled(() => this.describeInstance(identifier)), options);
  }

  waitInstanceAvailable(identifier: string, options?: WaitOptions): Promise<InstanceInfo> {
    return waitFor(`${identifier} to be available`, this.waits, () => checkAvailable(() => this.describeInstance(identifier)), options);
  }

  waitInstanceDeleted(identifier: string, options?: WaitOptions): Promise<void> {
    return waitFor(`${identifier} to be deleted`, this.waits, () => checkDeleted(() => this.describeInstance(identifier)), options);
  }

  waitInstanceRenamed(from: string, to: string, options?: WaitOptions): Promise<InstanceInfo> {
    return waitFor(`${from} to be renamed to ${to}`, this.waits, () => checkRenamed(from, to, (id) => this.describeInstance(id)), options);
  }

  // ---- instance snapshots ----------------------------------------------------------------

  async describeSnapshot(identifierOrArn: string): Promise<SnapshotInfo | undefined> {
    try {
      const out = await this.client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: identifierOrArn }));
      const snap = out.DBSnapshots?.[0];
      if (!snap) return undefined;
      const info = toSnapshotInfo(snap);
      if (!snap.TagList && info.arn) info.tags = await this.tagsOf(info.arn);
      return info;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async listSnapshots(instanceIdentifier: string): Promise<SnapshotInfo[]> {
    const found: SnapshotInfo[] = [];
    for await (const page of paginateDescribeDBSnapshots({ client: this.client }, { DBInstanceIdentifier: instanceIdentifier, SnapshotType: 'manual' })) {
      for (const snap of page.DBSnapshots ?? []) found.push(toSnapshotInfo(snap));
    }
    return found;
  }

  async createSnapshot(instanceIdentifier: string, snapshotIdentifier: string, tags: Tag[]): Promise<void> {
    await this.act(`Snapshot ${instanceIdentifier}`, () =>
      this.client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: instanceIdentifier, DBSnapshotIdentifier: snapshotIdentifier, Tags: fromTags(tags) })),
    );
  }

  async deleteSnapshot(snapshotIdentifier: string): Promise<void> {
    await this.act(`Delete snapshot ${snapshotIdentifier}`, () => this.client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: snapshotName(snapshotIdentifier) })));
  }

  waitSnapshotAvailable(snapshotIdentifier: string, options?: WaitOptions): Promise<SnapshotInfo> {
    return waitFor(`snapshot ${snapshotIdentifier} to be available`, this.waits, () => checkSnapshotAvailable(() => this.describeSnapshot(snapshotIdentifier)), options);
  }

  // ---- clusters --------------------------------------------------------------------------

  async describeCluster(identifier: string): Promise<ClusterInfo | undefined> {
    try {
      const out = await this.client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }));
      const cluster = out.DBClusters?.[0];
      if (!cluster) return undefined;
      const info = toClusterInfo(cluster);
      if (!cluster.TagList && info.arn) info.config.tags = await this.tagsOf(info.arn);
      return info;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async renameCluster(from: string, to: string): Promise<void> {
    await this.act(`Rename cluster ${from} to ${to}`, () =>
      this.client.send(new ModifyDBClusterCommand({ DBClusterIdentifier: from, NewDBClusterIdentifier: to, ApplyImmediately: true })),
    );
  }

  async restoreCluster(request: RestoreClusterRequest): Promise<void> {
    await this.act(`Restore ${request.snapshotIdentifier} as cluster ${request.identifier}`, () => this.client.send(new RestoreDBClusterFromSnapshotCommand(restoreClusterInput(request))));
  }

  async modifyCluster(identifier: string, changes: ClusterModification): Promise<void> {
    await this.act(`Modify cluster ${identifier}`, () => this.client.send(new ModifyDBClusterCommand(modifyClusterInput(identifier, changes))));
  }

  async deleteCluster(identifier: string, options: DeleteInstanceOptions): Promise<void> {
    await this.act(`Delete cluster ${identifier}`, () =>
      this.client.send(
        new DeleteDBClusterCommand({
          DBClusterIdentifier: identifier,
          SkipFinalSnapshot: options.finalSnapshotIdentifier === undefined,
          FinalDBSnapshotIdentifier: options.finalSnapshotIdentifier,
          // Unlike DeleteDBInstance, DeleteDBCluster *removes* the automated backups unless told
          // otherwise: "The default is to remove automated backups immediately after the DB cluster
          // is deleted" (API reference: DeleteDBCluster, DeleteAutomatedBackups).
          DeleteAutomatedBackups: !options.keepAutomatedBackups,
        }),
      ),
    );
  }

  waitClusterAvailable(identifier: string, options?: WaitOptions): Promise<ClusterInfo> {
    return waitFor(`cluster ${identifier} to be available`, this.waits, () => checkAvailable(() => this.describeCluster(identifier)), options);
  }

  waitClusterSettled(identifier: string, options?: WaitOptions): Promise<Settled<ClusterInfo>> {
    return waitFor(`cluster ${identifier} to apply its changes`, this.waits, () => checkSettled(() => this.describeCluster(identifier)), options);
  }

  waitClusterDeleted(identifier: string, options?: WaitOptions): Promise<void> {
    return waitFor(`cluster ${identifier} to be deleted`, this.waits, () => checkDeleted(() => this.describeCluster(identifier)), options);
  }

  waitClusterRenamed(from: string, to: string, options?: WaitOptions): Promise<ClusterInfo> {
    return waitFor(`cluster ${from} to be renamed to ${to}`, this.waits, () => checkRenamed(from, to, (id) => this.describeCluster(id)), options);
  }

  // ---- cluster snapshots -----------------------------------------------------------------

  async describeClusterSnapshot(identifierOrArn: string): Promise<SnapshotInfo | undefined> {
    try {
      const out = await this.client.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: identifierOrArn }));
      const snap = out.DBClusterSnapshots?.[0];
      if (!snap) return undefined;
      const info = toClusterSnapshotInfo(snap);
      if (!snap.TagList && info.arn) info.tags = await this.tagsOf(info.arn);
      return info;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async listClusterSnapshots(clusterIdentifier: string): Promise<SnapshotInfo[]> {
    const found: SnapshotInfo[] = [];
    for await (const page of paginateDescribeDBClusterSnapshots({ client: this.client }, { DBClusterIdentifier: clusterIdentifier, SnapshotType: 'manual' })) {
      for (const snap of page.DBClusterSnapshots ?? []) found.push(toClusterSnapshotInfo(snap));
    }
    return found;
  }

  async createClusterSnapshot(clusterIdentifier: string, snapshotIdentifier: string, tags: Tag[]): Promise<void> {
    await this.act(`Snapshot cluster ${clusterIdentifier}`, () =>
      this.client.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: clusterIdentifier, DBClusterSnapshotIdentifier: snapshotIdentifier, Tags: fromTags(tags) })),
    );
  }

  async deleteClusterSnapshot(snapshotIdentifier: string): Promise<void> {
    await this.act(`Delete cluster snapshot ${snapshotIdentifier}`, () =>
      this.client.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: snapshotName(snapshotIdentifier) })),
    );
  }

  waitClusterSnapshotAvailable(snapshotIdentifier: string, options?: WaitOptions): Promise<SnapshotInfo> {
    return waitFor(`cluster snapshot ${snapshotIdentifier} to be available`, this.waits, () => checkSnapshotAvailable(() => this.describeClusterSnapshot(snapshotIdentifier)), options);
  }

  async describeQuotas(): Promise<QuotaInfo> {
    let out;
    try {
      out = await this.client.send(new DescribeAccountAttributesCommand({}));
    } catch {
      // Quotas are advisory: without rds:DescribeAccountAttributes (or on an emulator that
      // lacks it) the preflight says the quota was not checked instead of failing.
      return {};
    }
    const quota = (name: string) => out.AccountQuotas?.find((q) => q.AccountQuotaName === name);
    return {
      instancesUsed: quota('DBInstances')?.Used,
      instancesMax: quota('DBInstances')?.Max,
      clustersUsed: quota('DBClusters')?.Used,
      clustersMax: quota('DBClusters')?.Max,
    };
  }

  async describeBlueGreenDeployment(resourceArn: string): Promise<{ identifier: string; status: string } | undefined> {
    for (const side of ['source', 'target']) {
      const out = await this.client.send(new DescribeBlueGreenDeploymentsCommand({ Filters: [{ Name: side, Values: [resourceArn] }] }));
      const found = out.BlueGreenDeployments?.[0];
      if (found) return { identifier: found.BlueGreenDeploymentIdentifier ?? found.BlueGreenDeploymentName ?? '?', status: found.Status ?? 'unknown' };
    }
    return undefined;
  }

  // ---- internals -------------------------------------------------------------------------

  private async act(action: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      throw mapRdsError(error, action);
    }
  }

  /** A read a write depends on: when it fails, the write was not sent. */
  private async readFirst<T>(action: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw new StepError(`${action}: could not read it first: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
    }
  }

  private async tagsOf(arn: string): Promise<Tag[]> {
    const out = await this.client.send(new ListTagsForResourceCommand({ ResourceName: arn }));
    return toTags(out.TagList);
  }
}
