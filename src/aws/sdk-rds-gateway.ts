import {
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeAccountAttributesCommand,
  DescribeBlueGreenDeploymentsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  FailoverDBClusterCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  RebootDBInstanceCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type {
  AssociatedRole,
  ClusterInfo,
  ClusterModification,
  CustomEndpoint,
  CustomEndpointInfo,
  InstanceInfo,
  InstanceModification,
  QuotaInfo,
  SnapshotInfo,
  Tag,
} from '../core/rds-resources.js';
import { act, callOptions, found, readFirst, tagsOf } from './rds-call.js';
import type {
  CopySnapshotRequest,
  CreateClusterMemberRequest,
  DeleteInstanceOptions,
  RdsGateway,
  RestorableWindow,
  RestoreClusterRequest,
  RestoreClusterToTimeRequest,
  RestoreInstanceRequest,
  RestoreInstanceToTimeRequest,
  Settled,
  SnapshotToCopy,
  WaitOptions,
} from './rds-gateway.js';
import {
  changesStorage,
  createMemberInput,
  modifyClusterInput,
  modifyInstanceInput,
  restoreClusterInput,
  restoreInstanceInput,
} from './rds-requests.js';
import { toClusterInfo, toInstanceInfo } from './rds-to-domain.js';
import {
  checkAllAvailable,
  checkAllRenamed,
  checkAvailable,
  checkDeleted,
  checkNamesFree,
  checkRenamed,
  checkSettled,
  checkWriter,
} from './rds-wait-checks.js';
import { ModificationTracker } from './modification-tracker.js';
import { installRateBudget, processRateBudget } from './rate-budget.js';
import { SdkEndpointCalls } from './sdk-endpoint-calls.js';
import { addInstanceRole, setDataApi } from './sdk-feature-calls.js';
import { SdkSnapshotCalls } from './sdk-snapshot-calls.js';
import { SdkSourceCalls } from './sdk-source-calls.js';
import { SdkCopyCalls } from './sdk-copy-calls.js';
import { DescribeBatcher } from './describe-batcher.js';
import { listTagged } from './sdk-tag-lookup.js';
import { waitFor, type WaitSettings } from './wait-for.js';

/**
 * The RDS port over the AWS SDK v3 client; every wait uses the SDK waiter machinery. Request
 * building is in `rds-requests.ts`, wait checks in `rds-wait-checks.ts`, snapshots in
 * `sdk-snapshot-calls.ts`, Aurora custom endpoints in `sdk-endpoint-calls.ts`.
 */
export class SdkRdsGateway implements RdsGateway {
  private readonly snapshots: SdkSnapshotCalls;
  private readonly endpoints: SdkEndpointCalls;
  /** Every snapshot of a database, restorable windows and point-in-time restores. */
  private readonly sources: SdkSourceCalls;
  private readonly copies: SdkCopyCalls;
  /** What was asked of each resource, so a settled wait does not end in RDS's "not started yet" gap. */
  private readonly modifications: ModificationTracker;

  /** Every call carries the run's abort signal: Ctrl-C stops a call in flight, not only a wait. */
  private readonly call: ReturnType<typeof callOptions>;

  /** One poller for every wait of the process's runs: their Describes batched by identifier (describe-batcher.ts). */
  private readonly polled: { instance: DescribeBatcher<InstanceInfo>; cluster: DescribeBatcher<ClusterInfo> };

  /**
   * The cut-over's checks (renames, names released, members available), batched too but never
   * slowed by a crowd: one call per `wait.minDelaySeconds` answers every run's cut-over checks,
   * so a fleet's Describe calls while waiting do not grow with the number of runs, and a rename
   * is seen as soon as it would be alone.
   */
  private readonly cutover: { instance: (ids: string[]) => Promise<InstanceInfo[]>; cluster: (ids: string[]) => Promise<ClusterInfo[]> };

  /**
   * `maxRequestsPerSecond`: the process's request budget (`rds.maxRequestsPerSecond`), installed
   * on the client unless it has one; every gateway and client of the process shares it.
   */
  constructor(
    private readonly client: RDSClient,
    private readonly waits: WaitSettings,
    signal?: AbortSignal,
    maxRequestsPerSecond?: number,
  ) {
    installRateBudget(client, processRateBudget(maxRequestsPerSecond));
    this.call = callOptions(signal);
    this.snapshots = new SdkSnapshotCalls(client, waits, signal);
    // RDS's gap before `modifying` is seconds: a few polls at the longest delay outlast it.
    this.modifications = new ModificationTracker(Math.max(waits.maxDelaySeconds, 1) * 4 * 1000);
    this.endpoints = new SdkEndpointCalls(client, waits, signal);
    this.sources = new SdkSourceCalls(client, waits, signal);
    this.copies = new SdkCopyCalls(client, waits, signal);
    const minIntervalMs = waits.minDelaySeconds * 1000;
    const crowdedIntervalMs = Math.max(waits.maxDelaySeconds, waits.minDelaySeconds) * 1000;
    this.polled = {
      instance: new DescribeBatcher(
        (ids) => this.describeInstances(ids),
        (i) => i.identifier,
        { minIntervalMs, crowdedIntervalMs },
      ),
      cluster: new DescribeBatcher(
        (ids) => this.describeClusters(ids),
        (c) => c.identifier,
        { minIntervalMs, crowdedIntervalMs },
      ),
    };
    this.cutover = {
      instance: describeMany(
        new DescribeBatcher(
          (ids) => this.describeInstances(ids),
          (i) => i.identifier,
          { minIntervalMs },
        ),
      ),
      cluster: describeMany(
        new DescribeBatcher(
          (ids) => this.describeClusters(ids),
          (c) => c.identifier,
          { minIntervalMs },
        ),
      ),
    };
  }

  /** Fleets (`--tag`): every instance or cluster with the tag key=value (sdk-tag-lookup.ts). */
  listTagged(kind: 'instance' | 'cluster', key: string, value: string): Promise<string[]> {
    return listTagged(this.client, kind, key, value, this.call);
  }

  // ---- instances -------------------------------------------------------------------------

  async describeInstance(identifier: string): Promise<InstanceInfo | undefined> {
    const db = await found(
      async () =>
        (await this.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }), this.call)).DBInstances?.[0],
    );
    if (!db) return undefined;
    const info = toInstanceInfo(db);
    if (!db.TagList && info.arn) info.config.tags = await tagsOf(this.client, info.arn, this.call);
    return info;
  }

  /**
   * Those of `identifiers` that exist, in one request: DescribeDBInstances with the Filter
   * `db-instance-id` ("Accepts DB instance identifiers and DB instance Amazon Resource Names
   * (ARNs)", API reference: DescribeDBInstances, Filters). Tags as the answer carries them.
   */
  async describeInstances(identifiers: string[]): Promise<InstanceInfo[]> {
    const out: InstanceInfo[] = [];
    if (identifiers.length === 0) return out;
    let marker: string | undefined;
    do {
      const page = await this.client.send(
        new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-instance-id', Values: [...new Set(identifiers)] }], Marker: marker }),
        this.call,
      );
      out.push(...(page.DBInstances ?? []).map(toInstanceInfo));
      marker = page.Marker;
    } while (marker);
    return out;
  }

  async renameInstance(from: string, to: string): Promise<void> {
    await act(`Rename ${from} to ${to}`, () =>
      this.client.send(
        new ModifyDBInstanceCommand({ DBInstanceIdentifier: from, NewDBInstanceIdentifier: to, ApplyImmediately: true }),
        this.call,
      ),
    );
  }

  async restoreInstance(request: RestoreInstanceRequest): Promise<void> {
    await act(`Restore ${request.snapshotIdentifier} as ${request.identifier}`, () =>
      this.client.send(new RestoreDBInstanceFromDBSnapshotCommand(restoreInstanceInput(request)), this.call),
    );
  }

  async modifyInstance(identifier: string, changes: InstanceModification): Promise<void> {
    const action = `Modify ${identifier}`;
    // Which storage values RDS takes depends on the engine, the type and the size now.
    const described = changesStorage(changes) ? await readFirst(action, () => this.describeInstance(identifier)) : undefined;
    await act(action, () => this.client.send(new ModifyDBInstanceCommand(modifyInstanceInput(identifier, changes, described)), this.call));
    this.modifications.record(`instance:${identifier}`, changes);
  }

  async deleteInstance(identifier: string, options: DeleteInstanceOptions): Promise<void> {
    await act(`Delete ${identifier}`, () =>
      this.client.send(
        new DeleteDBInstanceCommand({
          DBInstanceIdentifier: identifier,
          SkipFinalSnapshot: options.finalSnapshotIdentifier === undefined,
          FinalDBSnapshotIdentifier: options.finalSnapshotIdentifier,
          DeleteAutomatedBackups: !options.keepAutomatedBackups,
        }),
        this.call,
      ),
    );
  }

  async createClusterMember(request: CreateClusterMemberRequest): Promise<void> {
    await act(`Create ${request.identifier} in ${request.clusterIdentifier}`, () =>
      this.client.send(new CreateDBInstanceCommand(createMemberInput(request)), this.call),
    );
  }

  async rebootInstance(identifier: string): Promise<void> {
    await act(`Reboot ${identifier}`, () => this.client.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: identifier }), this.call));
  }

  addRoleToInstance(identifier: string, role: AssociatedRole): Promise<void> {
    return addInstanceRole(this.client, identifier, role, this.call);
  }

  waitInstanceSettled(identifier: string, options?: WaitOptions): Promise<Settled<InstanceInfo>> {
    const key = `instance:${identifier}`;
    const check = async () => this.modifications.check(key, await checkSettled(() => this.polled.instance.describe(identifier)));
    return waitFor(`${identifier} to apply its changes`, this.waits, check, options);
  }

  waitInstanceAvailable(identifier: string, options?: WaitOptions): Promise<InstanceInfo> {
    return waitFor(
      `${identifier} to be available`,
      this.waits,
      () => checkAvailable(() => this.polled.instance.describe(identifier)),
      options,
    );
  }

  waitInstanceDeleted(identifier: string, options?: WaitOptions): Promise<void> {
    return waitFor(`${identifier} to be deleted`, this.waits, () => checkDeleted(() => this.polled.instance.describe(identifier)), options);
  }

  waitInstanceRenamed(from: string, to: string, options?: WaitOptions): Promise<InstanceInfo> {
    return waitFor(`${from} to be renamed to ${to}`, this.waits, () => checkRenamed(from, to, this.cutover.instance), options);
  }

  waitInstancesRenamed(renames: { from: string; to: string }[], options?: WaitOptions): Promise<InstanceInfo[]> {
    const what = renames.map((r) => `${r.from} to be renamed to ${r.to}`).join(', ');
    return waitFor(what, this.waits, () => checkAllRenamed(renames, this.cutover.instance), options);
  }

  waitInstancesAvailable(identifiers: string[], options?: WaitOptions): Promise<InstanceInfo[]> {
    return waitFor(
      `${identifiers.join(', ')} to be available`,
      this.waits,
      () => checkAllAvailable(identifiers, this.cutover.instance),
      options,
    );
  }

  waitInstanceNamesFree(identifiers: string[], which: 'any' | 'all', options?: WaitOptions): Promise<string[]> {
    return waitFor(
      `${which === 'all' ? '' : 'one of '}${identifiers.join(', ')} to be free`,
      this.waits,
      () => checkNamesFree(identifiers, which, this.cutover.instance),
      options,
    );
  }

  // ---- instance snapshots ----------------------------------------------------------------

  describeSnapshot(identifierOrArn: string): Promise<SnapshotInfo | undefined> {
    return this.snapshots.describeSnapshot(identifierOrArn);
  }

  listSnapshots(instanceIdentifier: string): Promise<SnapshotInfo[]> {
    return this.snapshots.listSnapshots(instanceIdentifier);
  }

  createSnapshot(instanceIdentifier: string, snapshotIdentifier: string, tags: Tag[]): Promise<void> {
    return this.snapshots.createSnapshot(instanceIdentifier, snapshotIdentifier, tags);
  }

  deleteSnapshot(snapshotIdentifier: string): Promise<void> {
    return this.snapshots.deleteSnapshot(snapshotIdentifier);
  }

  waitSnapshotAvailable(snapshotIdentifier: string, options?: WaitOptions): Promise<SnapshotInfo> {
    return this.snapshots.waitSnapshotAvailable(snapshotIdentifier, options);
  }

  // ---- clusters --------------------------------------------------------------------------

  async describeCluster(identifier: string): Promise<ClusterInfo | undefined> {
    const cluster = await found(
      async () => (await this.client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }), this.call)).DBClusters?.[0],
    );
    if (!cluster) return undefined;
    const info = toClusterInfo(cluster);
    if (!cluster.TagList && info.arn) info.config.tags = await tagsOf(this.client, info.arn, this.call);
    return info;
  }

  /** Those of `identifiers` that exist, in one request: DescribeDBClusters with the Filter `db-cluster-id` (API reference: DescribeDBClusters, Filters). */
  async describeClusters(identifiers: string[]): Promise<ClusterInfo[]> {
    const out: ClusterInfo[] = [];
    if (identifiers.length === 0) return out;
    let marker: string | undefined;
    do {
      const page = await this.client.send(
        new DescribeDBClustersCommand({ Filters: [{ Name: 'db-cluster-id', Values: [...new Set(identifiers)] }], Marker: marker }),
        this.call,
      );
      out.push(...(page.DBClusters ?? []).map(toClusterInfo));
      marker = page.Marker;
    } while (marker);
    return out;
  }

  async renameCluster(from: string, to: string): Promise<void> {
    await act(`Rename cluster ${from} to ${to}`, () =>
      this.client.send(
        new ModifyDBClusterCommand({ DBClusterIdentifier: from, NewDBClusterIdentifier: to, ApplyImmediately: true }),
        this.call,
      ),
    );
  }

  async restoreCluster(request: RestoreClusterRequest): Promise<void> {
    await act(`Restore ${request.snapshotIdentifier} as cluster ${request.identifier}`, () =>
      this.client.send(new RestoreDBClusterFromSnapshotCommand(restoreClusterInput(request)), this.call),
    );
  }

  async modifyCluster(identifier: string, changes: ClusterModification): Promise<void> {
    await act(`Modify cluster ${identifier}`, () =>
      this.client.send(new ModifyDBClusterCommand(modifyClusterInput(identifier, changes)), this.call),
    );
    this.modifications.record(`cluster:${identifier}`, changes);
  }

  setClusterDataApi(identifier: string, enabled: boolean): Promise<void> {
    return setDataApi(this.client, identifier, enabled, () => this.describeCluster(identifier), this.call);
  }

  async deleteCluster(identifier: string, options: DeleteInstanceOptions): Promise<void> {
    await act(`Delete cluster ${identifier}`, () =>
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
        this.call,
      ),
    );
  }

  waitClusterAvailable(identifier: string, options?: WaitOptions): Promise<ClusterInfo> {
    return waitFor(
      `cluster ${identifier} to be available`,
      this.waits,
      () => checkAvailable(() => this.polled.cluster.describe(identifier)),
      options,
    );
  }

  waitClusterSettled(identifier: string, options?: WaitOptions): Promise<Settled<ClusterInfo>> {
    return waitFor(
      `cluster ${identifier} to apply its changes`,
      this.waits,
      async () => this.modifications.check(`cluster:${identifier}`, await checkSettled(() => this.polled.cluster.describe(identifier))),
      options,
    );
  }

  waitClusterDeleted(identifier: string, options?: WaitOptions): Promise<void> {
    return waitFor(
      `cluster ${identifier} to be deleted`,
      this.waits,
      () => checkDeleted(() => this.polled.cluster.describe(identifier)),
      options,
    );
  }

  waitClusterRenamed(from: string, to: string, options?: WaitOptions): Promise<ClusterInfo> {
    return waitFor(`cluster ${from} to be renamed to ${to}`, this.waits, () => checkRenamed(from, to, this.cutover.cluster), options);
  }

  async failoverDbCluster(identifier: string, targetInstance: string): Promise<void> {
    await act(`Fail over cluster ${identifier} to ${targetInstance}`, () =>
      this.client.send(
        new FailoverDBClusterCommand({ DBClusterIdentifier: identifier, TargetDBInstanceIdentifier: targetInstance }),
        this.call,
      ),
    );
  }

  /** A cut-over's wait (a failover is an outage of the writer endpoint): checked like a rename, batched, never slowed by a crowd. */
  waitClusterWriter(identifier: string, writer: string, options?: WaitOptions): Promise<ClusterInfo> {
    return waitFor(
      `cluster ${identifier} to have ${writer} as its writer`,
      this.waits,
      () => checkWriter(identifier, writer, this.cutover.cluster),
      options,
    );
  }

  // ---- cluster snapshots -----------------------------------------------------------------

  describeClusterSnapshot(identifierOrArn: string): Promise<SnapshotInfo | undefined> {
    return this.snapshots.describeClusterSnapshot(identifierOrArn);
  }

  listClusterSnapshots(clusterIdentifier: string): Promise<SnapshotInfo[]> {
    return this.snapshots.listClusterSnapshots(clusterIdentifier);
  }

  createClusterSnapshot(clusterIdentifier: string, snapshotIdentifier: string, tags: Tag[]): Promise<void> {
    return this.snapshots.createClusterSnapshot(clusterIdentifier, snapshotIdentifier, tags);
  }

  deleteClusterSnapshot(snapshotIdentifier: string): Promise<void> {
    return this.snapshots.deleteClusterSnapshot(snapshotIdentifier);
  }

  waitClusterSnapshotAvailable(snapshotIdentifier: string, options?: WaitOptions): Promise<SnapshotInfo> {
    return this.snapshots.waitClusterSnapshotAvailable(snapshotIdentifier, options);
  }

  // ---- every snapshot, restorable windows, point-in-time restores -------------------------

  listAllSnapshots(instanceIdentifier: string): Promise<SnapshotInfo[]> {
    return this.sources.listAllSnapshots(instanceIdentifier);
  }

  listAllClusterSnapshots(clusterIdentifier: string): Promise<SnapshotInfo[]> {
    return this.sources.listAllClusterSnapshots(clusterIdentifier);
  }

  describeInstanceRestorableWindow(identifier: string): Promise<RestorableWindow | undefined> {
    return this.sources.describeInstanceRestorableWindow(identifier);
  }

  describeClusterRestorableWindow(identifier: string): Promise<RestorableWindow | undefined> {
    return this.sources.describeClusterRestorableWindow(identifier);
  }

  restoreInstanceToPointInTime(request: RestoreInstanceToTimeRequest): Promise<void> {
    return this.sources.restoreInstanceToPointInTime(request);
  }

  restoreClusterToPointInTime(request: RestoreClusterToTimeRequest): Promise<void> {
    return this.sources.restoreClusterToPointInTime(request);
  }

  snapshotSharedWith(kind: 'instance' | 'cluster', snapshotIdentifier: string): Promise<string[]> {
    return this.sources.snapshotSharedWith(kind, snapshotIdentifier);
  }

  shareSnapshot(kind: 'instance' | 'cluster', snapshotIdentifier: string, accountIds: string[]): Promise<void> {
    return this.sources.shareSnapshot(kind, snapshotIdentifier, accountIds);
  }

  describeSnapshotToCopy(
    kind: 'instance' | 'cluster',
    identifierOrArn: string,
    sourceRegion?: string,
  ): Promise<SnapshotToCopy | undefined> {
    return this.copies.describeSnapshotToCopy(kind, identifierOrArn, sourceRegion);
  }

  copySnapshot(request: CopySnapshotRequest): Promise<void> {
    return this.copies.copySnapshot(request);
  }

  // ---- Aurora custom endpoints ------------------------------------------------------------

  listCustomEndpoints(clusterIdentifier: string): Promise<CustomEndpointInfo[]> {
    return this.endpoints.listCustomEndpoints(clusterIdentifier);
  }

  describeCustomEndpoint(identifier: string): Promise<CustomEndpointInfo | undefined> {
    return this.endpoints.describeCustomEndpoint(identifier);
  }

  createCustomEndpoint(clusterIdentifier: string, endpoint: CustomEndpoint): Promise<void> {
    return this.endpoints.createCustomEndpoint(clusterIdentifier, endpoint);
  }

  deleteCustomEndpoint(identifier: string): Promise<void> {
    return this.endpoints.deleteCustomEndpoint(identifier);
  }

  waitCustomEndpointAvailable(identifier: string, options?: WaitOptions): Promise<CustomEndpointInfo> {
    return this.endpoints.waitCustomEndpointAvailable(identifier, options);
  }

  waitCustomEndpointDeleted(identifier: string, options?: WaitOptions): Promise<void> {
    return this.endpoints.waitCustomEndpointDeleted(identifier, options);
  }

  // ---- account ---------------------------------------------------------------------------

  async describeQuotas(): Promise<QuotaInfo> {
    let out;
    try {
      out = await this.client.send(new DescribeAccountAttributesCommand({}), this.call);
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
      const out = await this.client.send(
        new DescribeBlueGreenDeploymentsCommand({ Filters: [{ Name: side, Values: [resourceArn] }] }),
        this.call,
      );
      const found = out.BlueGreenDeployments?.[0];
      if (found)
        return {
          identifier: found.BlueGreenDeploymentIdentifier ?? found.BlueGreenDeploymentName ?? '?',
          status: found.Status ?? 'unknown',
        };
    }
    return undefined;
  }
}

/** Several identifiers through a batcher: those that exist, from the batch each is answered in. */
function describeMany<T extends object>(batcher: DescribeBatcher<T>): (identifiers: string[]) => Promise<T[]> {
  return async (identifiers) => {
    const found: T[] = [];
    for (const entry of await Promise.all(identifiers.map((id) => batcher.describe(id)))) if (entry) found.push(entry);
    return found;
  };
}
