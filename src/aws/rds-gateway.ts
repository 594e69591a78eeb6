/**
 * The narrow RDS port: domain verbs over plain objects. SDK types never leave `src/aws/`;
 * the SDK adapter is `SdkRdsGateway`, the in-memory one for tests is `test/fakes/fake-rds.ts`.
 *
 * Conventions:
 * - `describe*` returns `undefined` when the resource does not exist (never throws NotFound).
 * - Mutating verbs throw `RetryableStateError` when the resource is busy
 *   (InvalidDBInstanceState / InvalidDBClusterStateFault), `PreconditionError` for a missing
 *   resource, `OutcomeUnknownError` when the answer was lost (network error or 5xx after the
 *   SDK's retries: the call may have taken effect), and `StepError` for anything else.
 * - Writes send only what real RDS accepts: no reserved (`aws:`/`rds:`) tag keys, no storage
 *   settings RDS refuses for the engine, type and size (see `storage-parameters.ts`).
 * - `wait*` resolve when the target state is reached; reject with `WaiterTimeoutError` after
 *   `maxWaitSeconds`, `WaiterFailureError` on a terminal state (`core/rds-status.ts`), or the
 *   abort reason. Throttling and network errors during a wait do not end it.
 */

import type {
  AssociatedRole,
  ClusterConfig,
  ClusterInfo,
  ClusterModification,
  CustomEndpoint,
  CustomEndpointInfo,
  InstanceConfig,
  InstanceInfo,
  InstanceModification,
  QuotaInfo,
  SnapshotInfo,
  Tag,
} from '../core/rds-resources.js';

/** Settings passed to RestoreDBInstanceFromDBSnapshot (what that API accepts). */
export interface RestoreInstanceRequest {
  identifier: string;
  snapshotIdentifier: string;
  config: InstanceConfig;
  /**
   * The snapshot as described: storage settings equal to the snapshot's are then left out (RDS
   * refuses some it reports, e.g. gp3 baseline IOPS). Without it, gp3 IOPS and throughput are
   * sent only from the engine's size threshold up.
   */
  snapshot?: SnapshotInfo | undefined;
}

export interface DeleteInstanceOptions {
  /** Take a final snapshot under this identifier; omitted: SkipFinalSnapshot. */
  finalSnapshotIdentifier?: string | undefined;
  /** Keep the automated backups (point-in-time history) of the deleted instance. */
  keepAutomatedBackups: boolean;
}

export interface RestoreClusterRequest {
  identifier: string;
  snapshotIdentifier: string;
  config: ClusterConfig;
}

/**
 * The span a point-in-time restore may target, as RDS reports it. Instances: LatestRestorableTime
 * (DescribeDBInstances) and the automated backups' RestoreWindow.EarliestTime
 * (DescribeDBInstanceAutomatedBackups); clusters: EarliestRestorableTime and LatestRestorableTime
 * (DescribeDBClusters). `latest` absent: no point-in-time restore (automated backups off).
 */
export interface RestorableWindow {
  /** Days of automated backups kept; 0 turns them (and point-in-time restore) off. */
  backupRetentionPeriod?: number | undefined;
  earliest?: Date | undefined;
  /** `earliest` is only a lower bound (the creation time): RDS did not report the window's start. */
  earliestIsBound?: boolean | undefined;
  latest?: Date | undefined;
}

/** Where a point-in-time restore takes its data: a database (by its current name) at a time, or the latest restorable time. */
export interface PointInTime {
  sourceIdentifier: string;
  /** Absent: UseLatestRestorableTime. */
  restoreTime?: Date | undefined;
}

/** RestoreDBInstanceToPointInTime: the copy `identifier` with `config`, the data of `source` at a time. */
export interface RestoreInstanceToTimeRequest extends PointInTime {
  identifier: string;
  config: InstanceConfig;
  /** The source as described: its storage is what the copy gets unless told otherwise (as a snapshot's). */
  source?: InstanceInfo | undefined;
}

/** RestoreDBClusterToPointInTime (a full copy). */
export interface RestoreClusterToTimeRequest extends PointInTime {
  identifier: string;
  config: ClusterConfig;
}

/** CreateDBInstance of a cluster member. */
export interface CreateClusterMemberRequest {
  identifier: string;
  clusterIdentifier: string;
  promotionTier?: number | undefined;
  config: InstanceConfig;
}

/**
 * A resource that has applied its changes. `needsReboot`: a DB parameter group is
 * `pending-reboot` and will not apply until the instance (or, for a cluster, each member whose
 * `parameterApplyStatus` says so) is rebooted; wait again after the reboot.
 */
export type Settled<T> = T & { needsReboot: boolean };

/** Options of every wait. `onStatus` is called with each observed status (or 'not found'). */
export interface WaitOptions {
  signal?: AbortSignal | undefined;
  onStatus?: ((status: string) => void) | undefined;
  /** Called with each observed percent progress, where the awaited resource reports one (snapshots). */
  onProgress?: ((percent: number) => void) | undefined;
  /** Clients are without the database (a cut-over): check every `wait.minDelaySeconds`, without backing off. */
  urgent?: boolean | undefined;
}

export interface RdsGateway {
  /**
   * Fleets (`--tag key=value`): the identifiers of every DB instance (or cluster) of the region
   * with this tag, in the order RDS lists them. Read-only; optional (a fake may leave it out).
   */
  listTagged?(kind: 'instance' | 'cluster', key: string, value: string): Promise<string[]>;
  // instances
  describeInstance(identifier: string): Promise<InstanceInfo | undefined>;
  /** Those of `identifiers` that exist, in one request (names compare without case); tags as the answer carries them. */
  describeInstances(identifiers: string[]): Promise<InstanceInfo[]>;
  renameInstance(from: string, to: string): Promise<void>;
  restoreInstance(request: RestoreInstanceRequest): Promise<void>;
  modifyInstance(identifier: string, changes: InstanceModification): Promise<void>;
  deleteInstance(identifier: string, options: DeleteInstanceOptions): Promise<void>;
  createClusterMember(request: CreateClusterMemberRequest): Promise<void>;
  /** Reboots the instance (RebootDBInstance), e.g. to apply a DB parameter group. */
  rebootInstance(identifier: string): Promise<void>;
  /**
   * Associates an IAM role with the instance for one feature (AddRoleToDBInstance: the instance
   * must be `available`). A role already associated for that feature is success.
   */
  addRoleToInstance(identifier: string, role: AssociatedRole): Promise<void>;
  waitInstanceAvailable(identifier: string, options?: WaitOptions): Promise<InstanceInfo>;
  /**
   * Until the instance is ready **and** has applied its changes: nothing pending in
   * PendingModifiedValues (a pending rename aside), parameter groups `in-sync`, security groups
   * `active`. ModifyDBInstance is asynchronous. Resolves with `needsReboot` instead of waiting on
   * a `pending-reboot` parameter group; fails on `failed-to-apply`.
   */
  waitInstanceSettled(identifier: string, options?: WaitOptions): Promise<Settled<InstanceInfo>>;
  waitInstanceDeleted(identifier: string, options?: WaitOptions): Promise<void>;
  /** Until the old name is gone **and** the new one is available (real renames have a gap). */
  waitInstanceRenamed(from: string, to: string, options?: WaitOptions): Promise<InstanceInfo>;
  /** Until every rename is done (as `waitInstanceRenamed`), looking at all of them with one request per check. */
  waitInstancesRenamed(renames: { from: string; to: string }[], options?: WaitOptions): Promise<InstanceInfo[]>;
  /** Until every one of `identifiers` is ready, one request per check; a terminal status fails the wait. */
  waitInstancesAvailable(identifiers: string[], options?: WaitOptions): Promise<InstanceInfo[]>;
  /**
   * Until no instance holds the names (`all`) or at least one of them (`any`), one request per
   * check; resolves with the free ones. A name is held while a rename away from it is pending.
   */
  waitInstanceNamesFree(identifiers: string[], which: 'any' | 'all', options?: WaitOptions): Promise<string[]>;

  // instance snapshots
  describeSnapshot(identifierOrArn: string): Promise<SnapshotInfo | undefined>;
  /** Manual snapshots of one instance, with their tags. */
  listSnapshots(instanceIdentifier: string): Promise<SnapshotInfo[]>;
  createSnapshot(instanceIdentifier: string, snapshotIdentifier: string, tags: Tag[]): Promise<void>;
  deleteSnapshot(snapshotIdentifier: string): Promise<void>;
  waitSnapshotAvailable(snapshotIdentifier: string, options?: WaitOptions): Promise<SnapshotInfo>;
  /** Manual and automated snapshots of one instance (DescribeDBSnapshots without SnapshotType), with the tags listed. */
  listAllSnapshots(instanceIdentifier: string): Promise<SnapshotInfo[]>;

  // point in time
  /** The instance's restorable window; undefined when there is no such instance. */
  describeInstanceRestorableWindow(identifier: string): Promise<RestorableWindow | undefined>;
  restoreInstanceToPointInTime(request: RestoreInstanceToTimeRequest): Promise<void>;
  describeClusterRestorableWindow(identifier: string): Promise<RestorableWindow | undefined>;
  restoreClusterToPointInTime(request: RestoreClusterToTimeRequest): Promise<void>;

  // clusters
  describeCluster(identifier: string): Promise<ClusterInfo | undefined>;
  /** Those of `identifiers` that exist, in one request; tags as the answer carries them. */
  describeClusters(identifiers: string[]): Promise<ClusterInfo[]>;
  renameCluster(from: string, to: string): Promise<void>;
  restoreCluster(request: RestoreClusterRequest): Promise<void>;
  modifyCluster(identifier: string, changes: ClusterModification): Promise<void>;
  /** Turns the RDS Data API (HTTP endpoint) on or off: EnableHttpEndpoint, or ModifyDBCluster for Aurora Serverless v1. */
  setClusterDataApi(identifier: string, enabled: boolean): Promise<void>;
  deleteCluster(identifier: string, options: DeleteInstanceOptions): Promise<void>;
  waitClusterAvailable(identifier: string, options?: WaitOptions): Promise<ClusterInfo>;
  /** As `waitInstanceSettled`, for the cluster (parameter status from its members). */
  waitClusterSettled(identifier: string, options?: WaitOptions): Promise<Settled<ClusterInfo>>;
  waitClusterDeleted(identifier: string, options?: WaitOptions): Promise<void>;
  waitClusterRenamed(from: string, to: string, options?: WaitOptions): Promise<ClusterInfo>;
  /**
   * FailoverDBCluster: promotes `targetInstance`, a reader of the Aurora cluster, to its writer.
   * Asynchronous: the cluster reads `failing-over`, then `available` with the new writer. A
   * cluster that is not available: `RetryableStateError`.
   */
  failoverDbCluster(identifier: string, targetInstance: string): Promise<void>;
  /** Until the cluster is ready with `writer` (an instance name) as its writer. */
  waitClusterWriter(identifier: string, writer: string, options?: WaitOptions): Promise<ClusterInfo>;

  // cluster snapshots
  describeClusterSnapshot(identifierOrArn: string): Promise<SnapshotInfo | undefined>;
  listClusterSnapshots(clusterIdentifier: string): Promise<SnapshotInfo[]>;
  createClusterSnapshot(clusterIdentifier: string, snapshotIdentifier: string, tags: Tag[]): Promise<void>;
  deleteClusterSnapshot(snapshotIdentifier: string): Promise<void>;
  waitClusterSnapshotAvailable(snapshotIdentifier: string, options?: WaitOptions): Promise<SnapshotInfo>;
  /** Manual and automated snapshots of one cluster. */
  listAllClusterSnapshots(clusterIdentifier: string): Promise<SnapshotInfo[]>;

  // sharing (the `restore` attribute of a manual snapshot)
  /** The accounts a manual snapshot is shared with (`all`: public). */
  snapshotSharedWith(kind: 'instance' | 'cluster', snapshotIdentifier: string): Promise<string[]>;
  /** Lets `accountIds` copy and restore the manual snapshot (ModifyDB[Cluster]SnapshotAttribute, `restore`). */
  shareSnapshot(kind: 'instance' | 'cluster', snapshotIdentifier: string, accountIds: string[]): Promise<void>;

  // copying a snapshot shared from another account or region (sdk-copy-calls.ts)
  /** A snapshot by id or ARN, shared ones included (IncludeShared); with `sourceRegion`, looked up in that region. */
  describeSnapshotToCopy(kind: 'instance' | 'cluster', identifierOrArn: string, sourceRegion?: string): Promise<SnapshotToCopy | undefined>;
  /** CopyDB[Cluster]Snapshot of `sourceArn` into this account and region under `targetIdentifier`. */
  copySnapshot(request: CopySnapshotRequest): Promise<void>;

  // Aurora custom endpoints
  /** The cluster's custom endpoints (not its writer and reader endpoints). */
  listCustomEndpoints(clusterIdentifier: string): Promise<CustomEndpointInfo[]>;
  describeCustomEndpoint(identifier: string): Promise<CustomEndpointInfo | undefined>;
  createCustomEndpoint(clusterIdentifier: string, endpoint: CustomEndpoint): Promise<void>;
  deleteCustomEndpoint(identifier: string): Promise<void>;
  waitCustomEndpointAvailable(identifier: string, options?: WaitOptions): Promise<CustomEndpointInfo>;
  waitCustomEndpointDeleted(identifier: string, options?: WaitOptions): Promise<void>;

  // account
  describeQuotas(): Promise<QuotaInfo>;
  /** The blue/green deployment a database (by ARN) is the source or target of, if any. */
  describeBlueGreenDeployment(resourceArn: string): Promise<{ identifier: string; status: string } | undefined>;
}

/** A snapshot to copy, with what its copy needs to know. */
export interface SnapshotToCopy {
  info: SnapshotInfo;
  /** StorageEncrypted: the copy then needs a KMS key of this account. */
  encrypted: boolean;
  kmsKeyId?: string | undefined;
}

/** What CopyDBSnapshot / CopyDBClusterSnapshot is asked. */
export interface CopySnapshotRequest {
  kind: 'instance' | 'cluster';
  /** The source snapshot's ARN (its region decides whether the copy is cross-region). */
  sourceArn: string;
  targetIdentifier: string;
  kmsKeyId?: string | undefined;
  tags: Tag[];
}
