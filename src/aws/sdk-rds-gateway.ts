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
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { isNotFound, mapRdsError } from './map-rds-error.js';
import type { CreateClusterMemberRequest, DeleteInstanceOptions, RdsGateway, RestoreClusterRequest, RestoreInstanceRequest, WaitOptions } from './rds-gateway.js';
import type { ClusterInfo, ClusterModification, InstanceInfo, InstanceModification, QuotaInfo, SnapshotInfo, Tag } from '../core/rds-resources.js';
import { fromTags, toClusterInfo, toClusterSnapshotInfo, toInstanceInfo, toSnapshotInfo, toTags } from './rds-to-domain.js';
import { isReady, isTerminal } from '../core/rds-status.js';
import { waitFor, type WaitCheck, type WaitSettings } from './wait-for.js';


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

  async restoreInstance({ identifier, snapshotIdentifier, config: c }: RestoreInstanceRequest): Promise<void> {
    await this.act(`Restore ${snapshotIdentifier} as ${identifier}`, () =>
      this.client.send(
        new RestoreDBInstanceFromDBSnapshotCommand({
          DBInstanceIdentifier: identifier,
          DBSnapshotIdentifier: snapshotIdentifier,
          DBInstanceClass: c.instanceClass,
          DBSubnetGroupName: c.dbSubnetGroupName,
          VpcSecurityGroupIds: c.vpcSecurityGroupIds.length > 0 ? c.vpcSecurityGroupIds : undefined,
          DBParameterGroupName: c.dbParameterGroupName,
          // A default option group is assigned by RDS anyway; naming it can only fail (an
          // engine-version mismatch, or an emulator that does not list default groups).
          OptionGroupName: c.optionGroupName?.startsWith('default:') ? undefined : c.optionGroupName,
          MultiAZ: c.multiAZ,
          // An AZ cannot be named for a Multi-AZ deployment.
          AvailabilityZone: c.multiAZ ? undefined : c.availabilityZone,
          Port: c.port,
          StorageType: c.storageType,
          Iops: c.iops,
          StorageThroughput: c.storageThroughput,
          AllocatedStorage: c.allocatedStorage,
          PubliclyAccessible: c.publiclyAccessible,
          DeletionProtection: c.deletionProtection,
          EnableIAMDatabaseAuthentication: c.iamDatabaseAuthentication,
          EnableCloudwatchLogsExports: c.cloudwatchLogsExports.length > 0 ? c.cloudwatchLogsExports : undefined,
          CopyTagsToSnapshot: c.copyTagsToSnapshot,
          AutoMinorVersionUpgrade: c.autoMinorVersionUpgrade,
          BackupRetentionPeriod: c.backupRetentionPeriod,
          PreferredBackupWindow: c.preferredBackupWindow,
          CACertificateIdentifier: c.caCertificateIdentifier,
          Tags: c.tags.length > 0 ? fromTags(c.tags) : undefined,
        }),
      ),
    );
  }

  async modifyInstance(identifier: string, m: InstanceModification): Promise<void> {
    await this.act(`Modify ${identifier}`, () =>
      this.client.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: identifier,
          ApplyImmediately: true,
          BackupRetentionPeriod: m.backupRetentionPeriod,
          PreferredBackupWindow: m.preferredBackupWindow,
          PreferredMaintenanceWindow: m.preferredMaintenanceWindow,
          MaxAllocatedStorage: m.maxAllocatedStorage,
          MonitoringInterval: m.monitoringInterval,
          MonitoringRoleArn: m.monitoringRoleArn,
          EnablePerformanceInsights: m.performanceInsightsEnabled,
          PerformanceInsightsKMSKeyId: m.performanceInsightsKmsKeyId,
          PerformanceInsightsRetentionPeriod: m.performanceInsightsRetentionPeriod,
          DeletionProtection: m.deletionProtection,
          CACertificateIdentifier: m.caCertificateIdentifier,
          DBParameterGroupName: m.dbParameterGroupName,
          VpcSecurityGroupIds: m.vpcSecurityGroupIds,
        }),
      ),
    );
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

  async createClusterMember({ identifier, clusterIdentifier, promotionTier, config: c }: CreateClusterMemberRequest): Promise<void> {
    await this.act(`Create ${identifier} in ${clusterIdentifier}`, () =>
      this.client.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: identifier,
          DBClusterIdentifier: clusterIdentifier,
          DBInstanceClass: c.instanceClass,
          Engine: c.engine,
          DBParameterGroupName: c.dbParameterGroupName,
          PromotionTier: promotionTier,
          AvailabilityZone: c.availabilityZone,
          PubliclyAccessible: c.publiclyAccessible,
          EnablePerformanceInsights: c.performanceInsightsEnabled,
          PerformanceInsightsKMSKeyId: c.performanceInsightsEnabled ? c.performanceInsightsKmsKeyId : undefined,
          PerformanceInsightsRetentionPeriod: c.performanceInsightsEnabled ? c.performanceInsightsRetentionPeriod : undefined,
          MonitoringInterval: c.monitoringInterval,
          MonitoringRoleArn: c.monitoringInterval ? c.monitoringRoleArn : undefined,
          AutoMinorVersionUpgrade: c.autoMinorVersionUpgrade,
          CACertificateIdentifier: c.caCertificateIdentifier,
          CopyTagsToSnapshot: c.copyTagsToSnapshot,
          Tags: c.tags.length > 0 ? fromTags(c.tags) : undefined,
        }),
      ),
    );
  }

  waitInstanceAvailable(identifier: string, options?: WaitOptions): Promise<InstanceInfo> {
    return waitFor(`${identifier} to be available`, this.waits, () => this.availability(() => this.describeInstance(identifier)), options);
  }

  waitInstanceDeleted(identifier: string, options?: WaitOptions): Promise<void> {
    return waitFor(`${identifier} to be deleted`, this.waits, () => this.deletion(() => this.describeInstance(identifier)), options);
  }

  waitInstanceRenamed(from: string, to: string, options?: WaitOptions): Promise<InstanceInfo> {
    return waitFor(`${from} to be renamed to ${to}`, this.waits, () => this.rename(from, to, (id) => this.describeInstance(id)), options);
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
    return waitFor(`snapshot ${snapshotIdentifier} to be available`, this.waits, () => this.snapshotAvailability(() => this.describeSnapshot(snapshotIdentifier)), options);
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

  async restoreCluster({ identifier, snapshotIdentifier, config: c }: RestoreClusterRequest): Promise<void> {
    await this.act(`Restore ${snapshotIdentifier} as cluster ${identifier}`, () =>
      this.client.send(
        new RestoreDBClusterFromSnapshotCommand({
          DBClusterIdentifier: identifier,
          SnapshotIdentifier: snapshotIdentifier,
          Engine: c.engine,
          EngineVersion: c.engineVersion,
          EngineMode: c.engineMode,
          Port: c.port,
          DBSubnetGroupName: c.dbSubnetGroupName,
          VpcSecurityGroupIds: c.vpcSecurityGroupIds.length > 0 ? c.vpcSecurityGroupIds : undefined,
          DBClusterParameterGroupName: c.dbClusterParameterGroupName,
          DeletionProtection: c.deletionProtection,
          EnableIAMDatabaseAuthentication: c.iamDatabaseAuthentication,
          EnableCloudwatchLogsExports: c.cloudwatchLogsExports.length > 0 ? c.cloudwatchLogsExports : undefined,
          BacktrackWindow: c.backtrackWindow,
          CopyTagsToSnapshot: c.copyTagsToSnapshot,
          StorageType: c.storageType,
          ServerlessV2ScalingConfiguration: c.serverlessV2Scaling
            ? { MinCapacity: c.serverlessV2Scaling.minCapacity, MaxCapacity: c.serverlessV2Scaling.maxCapacity }
            : undefined,
          KmsKeyId: c.kmsKeyId,
          BackupRetentionPeriod: c.backupRetentionPeriod,
          PreferredBackupWindow: c.preferredBackupWindow,
          Tags: c.tags.length > 0 ? fromTags(c.tags) : undefined,
        }),
      ),
    );
  }

  async modifyCluster(identifier: string, m: ClusterModification): Promise<void> {
    await this.act(`Modify cluster ${identifier}`, () =>
      this.client.send(
        new ModifyDBClusterCommand({
          DBClusterIdentifier: identifier,
          ApplyImmediately: true,
          BackupRetentionPeriod: m.backupRetentionPeriod,
          PreferredBackupWindow: m.preferredBackupWindow,
          PreferredMaintenanceWindow: m.preferredMaintenanceWindow,
          DeletionProtection: m.deletionProtection,
          DBClusterParameterGroupName: m.dbClusterParameterGroupName,
          BacktrackWindow: m.backtrackWindow,
          CopyTagsToSnapshot: m.copyTagsToSnapshot,
          EnableIAMDatabaseAuthentication: m.iamDatabaseAuthentication,
          CloudwatchLogsExportConfiguration: m.cloudwatchLogsExports ? { EnableLogTypes: m.cloudwatchLogsExports } : undefined,
          VpcSecurityGroupIds: m.vpcSecurityGroupIds,
        }),
      ),
    );
  }

  async deleteCluster(identifier: string, options: DeleteInstanceOptions): Promise<void> {
    await this.act(`Delete cluster ${identifier}`, () =>
      this.client.send(
        new DeleteDBClusterCommand({
          DBClusterIdentifier: identifier,
          SkipFinalSnapshot: options.finalSnapshotIdentifier === undefined,
          FinalDBSnapshotIdentifier: options.finalSnapshotIdentifier,
        }),
      ),
    );
  }

  waitClusterAvailable(identifier: string, options?: WaitOptions): Promise<ClusterInfo> {
    return waitFor(`cluster ${identifier} to be available`, this.waits, () => this.availability(() => this.describeCluster(identifier)), options);
  }

  waitClusterDeleted(identifier: string, options?: WaitOptions): Promise<void> {
    return waitFor(`cluster ${identifier} to be deleted`, this.waits, () => this.deletion(() => this.describeCluster(identifier)), options);
  }

  waitClusterRenamed(from: string, to: string, options?: WaitOptions): Promise<ClusterInfo> {
    return waitFor(`cluster ${from} to be renamed to ${to}`, this.waits, () => this.rename(from, to, (id) => this.describeCluster(id)), options);
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
    return waitFor(`cluster snapshot ${snapshotIdentifier} to be available`, this.waits, () => this.snapshotAvailability(() => this.describeClusterSnapshot(snapshotIdentifier)), options);
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

  private async tagsOf(arn: string): Promise<Tag[]> {
    const out = await this.client.send(new ListTagsForResourceCommand({ ResourceName: arn }));
    return toTags(out.TagList);
  }

  private async availability<T extends { status: string }>(describe: () => Promise<T | undefined>): Promise<WaitCheck<T>> {
    // Not found yet is not a failure: a restore just requested may not be visible for a moment.
    const info = await describe();
    if (!info) return { state: 'retry', status: 'not found' };
    if (isReady(info.status)) return { state: 'success', value: info, status: info.status };
    return { state: isTerminal(info.status) ? 'failure' : 'retry', status: info.status };
  }

  private async deletion(describe: () => Promise<{ status: string } | undefined>): Promise<WaitCheck<void>> {
    const info = await describe();
    return info ? { state: 'retry', status: info.status } : { state: 'success', value: undefined, status: 'deleted' };
  }

  private async rename<T extends { status: string }>(from: string, to: string, describe: (id: string) => Promise<T | undefined>): Promise<WaitCheck<T>> {
    // Real RDS keeps the old name for a moment, then shows the new one as renaming/rebooting.
    const [old, renamed] = await Promise.all([describe(from), describe(to)]);
    const status = `${from}: ${old ? old.status : 'gone'}, ${to}: ${renamed ? renamed.status : 'not found'}`;
    if (!old && renamed && isReady(renamed.status)) return { state: 'success', value: renamed, status: 'available' };
    if (renamed && isTerminal(renamed.status)) return { state: 'failure', status };
    return { state: 'retry', status };
  }

  private async snapshotAvailability(describe: () => Promise<SnapshotInfo | undefined>): Promise<WaitCheck<SnapshotInfo>> {
    const info = await describe();
    if (!info) return { state: 'retry', status: 'not found' };
    if (info.status === 'available') return { state: 'success', value: info, status: info.status };
    return { state: info.status === 'failed' || info.status === 'deleted' ? 'failure' : 'retry', status: info.status };
  }
}
