/**
 * The narrow RDS port: domain verbs over plain objects. SDK types never leave `src/aws/`;
 * the SDK adapter is `SdkRdsGateway`, the in-memory one for tests is `test/fakes/fake-rds.ts`.
 *
 * Conventions:
 * - `describe*` returns `undefined` when the resource does not exist (never throws NotFound).
 * - Mutating verbs throw `RetryableStateError` when the resource is busy
 *   (InvalidDBInstanceState / InvalidDBClusterStateFault), `PreconditionError` for a missing
 *   resource, and `StepError` for anything else.
 * - `wait*` resolve when the target state is reached; reject with `WaiterTimeoutError` after
 *   `maxWaitSeconds`, `WaiterFailureError` on a terminal state, or the abort reason.
 */

export interface Tag {
  key: string;
  value: string;
}

/** The settings of a DB instance that trapheus captures and carries over to the restored copy. */
export interface InstanceConfig {
  instanceClass: string;
  engine: string;
  engineVersion: string;
  dbSubnetGroupName?: string | undefined;
  vpcSecurityGroupIds: string[];
  dbParameterGroupName?: string | undefined;
  optionGroupName?: string | undefined;
  multiAZ: boolean;
  availabilityZone?: string | undefined;
  port?: number | undefined;
  storageType?: string | undefined;
  allocatedStorage?: number | undefined;
  iops?: number | undefined;
  storageThroughput?: number | undefined;
  maxAllocatedStorage?: number | undefined;
  publiclyAccessible: boolean;
  deletionProtection: boolean;
  iamDatabaseAuthentication: boolean;
  cloudwatchLogsExports: string[];
  copyTagsToSnapshot: boolean;
  autoMinorVersionUpgrade: boolean;
  backupRetentionPeriod?: number | undefined;
  preferredBackupWindow?: string | undefined;
  preferredMaintenanceWindow?: string | undefined;
  caCertificateIdentifier?: string | undefined;
  monitoringInterval?: number | undefined;
  monitoringRoleArn?: string | undefined;
  performanceInsightsEnabled: boolean;
  performanceInsightsKmsKeyId?: string | undefined;
  performanceInsightsRetentionPeriod?: number | undefined;
  tags: Tag[];
}

/** A DB instance as described now. `resourceId` (DbiResourceId) survives renames: it is identity. */
export interface InstanceInfo {
  identifier: string;
  resourceId: string;
  arn: string;
  status: string;
  createdAt?: Date | undefined;
  endpoint?: { address: string; port: number } | undefined;
  /**
   * A rename that was requested but has not happened yet (PendingModifiedValues): real RDS
   * keeps the old name for a moment after ModifyDBInstance.
   */
  pendingIdentifier?: string | undefined;
  /** Set when the instance is an Aurora cluster member. */
  clusterIdentifier?: string | undefined;
  readReplicaSourceIdentifier?: string | undefined;
  readReplicaIdentifiers: string[];
  /** Cluster members only: the promotion tier (0–15). */
  promotionTier?: number | undefined;
  config: InstanceConfig;
}

/** Settings passed to RestoreDBInstanceFromDBSnapshot (what that API accepts). */
export interface RestoreInstanceRequest {
  identifier: string;
  snapshotIdentifier: string;
  config: InstanceConfig;
}

/** Settings applied with ModifyDBInstance (ApplyImmediately) on an available instance. */
export type InstanceModification = Partial<
  Pick<
    InstanceConfig,
    | 'backupRetentionPeriod'
    | 'preferredBackupWindow'
    | 'preferredMaintenanceWindow'
    | 'maxAllocatedStorage'
    | 'monitoringInterval'
    | 'monitoringRoleArn'
    | 'performanceInsightsEnabled'
    | 'performanceInsightsKmsKeyId'
    | 'performanceInsightsRetentionPeriod'
    | 'deletionProtection'
    | 'caCertificateIdentifier'
    | 'dbParameterGroupName'
    | 'vpcSecurityGroupIds'
  >
>;

export interface DeleteInstanceOptions {
  /** Take a final snapshot under this identifier; omitted: SkipFinalSnapshot. */
  finalSnapshotIdentifier?: string | undefined;
  /** Keep the automated backups (point-in-time history) of the deleted instance. */
  keepAutomatedBackups: boolean;
}

/** A manual or automated snapshot of an instance or a cluster. */
export interface SnapshotInfo {
  identifier: string;
  arn: string;
  /** The instance or cluster it was taken of. */
  sourceIdentifier: string;
  engine: string;
  status: string;
  createdAt?: Date | undefined;
  snapshotType: string;
  tags: Tag[];
}

export interface ClusterMember {
  instanceIdentifier: string;
  isWriter: boolean;
  promotionTier?: number | undefined;
}

/** The settings of an Aurora DB cluster that trapheus captures and carries over. */
export interface ClusterConfig {
  engine: string;
  engineVersion: string;
  engineMode?: string | undefined;
  port?: number | undefined;
  dbSubnetGroupName?: string | undefined;
  vpcSecurityGroupIds: string[];
  dbClusterParameterGroupName?: string | undefined;
  deletionProtection: boolean;
  iamDatabaseAuthentication: boolean;
  cloudwatchLogsExports: string[];
  backtrackWindow?: number | undefined;
  backupRetentionPeriod?: number | undefined;
  preferredBackupWindow?: string | undefined;
  preferredMaintenanceWindow?: string | undefined;
  copyTagsToSnapshot: boolean;
  storageType?: string | undefined;
  serverlessV2Scaling?: { minCapacity: number; maxCapacity: number } | undefined;
  kmsKeyId?: string | undefined;
  databaseName?: string | undefined;
  tags: Tag[];
}

export interface ClusterInfo {
  identifier: string;
  resourceId: string;
  arn: string;
  status: string;
  createdAt?: Date | undefined;
  endpoint?: string | undefined;
  members: ClusterMember[];
  /** A requested rename not yet applied (PendingModifiedValues.DBClusterIdentifier). */
  pendingIdentifier?: string | undefined;
  globalClusterIdentifier?: string | undefined;
  config: ClusterConfig;
}

export interface RestoreClusterRequest {
  identifier: string;
  snapshotIdentifier: string;
  config: ClusterConfig;
}

export type ClusterModification = Partial<
  Pick<
    ClusterConfig,
    | 'backupRetentionPeriod'
    | 'preferredBackupWindow'
    | 'preferredMaintenanceWindow'
    | 'deletionProtection'
    | 'dbClusterParameterGroupName'
    | 'backtrackWindow'
    | 'copyTagsToSnapshot'
    | 'iamDatabaseAuthentication'
    | 'cloudwatchLogsExports'
    | 'vpcSecurityGroupIds'
  >
>;

/** CreateDBInstance of a cluster member. */
export interface CreateClusterMemberRequest {
  identifier: string;
  clusterIdentifier: string;
  promotionTier?: number | undefined;
  config: InstanceConfig;
}

/** How much of the account's DB instance / cluster quota is left. `undefined`: unknown. */
export interface QuotaInfo {
  instancesUsed?: number | undefined;
  instancesMax?: number | undefined;
  clustersUsed?: number | undefined;
  clustersMax?: number | undefined;
}

/** Options of every wait. `onStatus` is called with each observed status (or 'not found'). */
export interface WaitOptions {
  signal?: AbortSignal | undefined;
  onStatus?: ((status: string) => void) | undefined;
}

export interface RdsGateway {
  // instances
  describeInstance(identifier: string): Promise<InstanceInfo | undefined>;
  renameInstance(from: string, to: string): Promise<void>;
  restoreInstance(request: RestoreInstanceRequest): Promise<void>;
  modifyInstance(identifier: string, changes: InstanceModification): Promise<void>;
  deleteInstance(identifier: string, options: DeleteInstanceOptions): Promise<void>;
  createClusterMember(request: CreateClusterMemberRequest): Promise<void>;
  waitInstanceAvailable(identifier: string, options?: WaitOptions): Promise<InstanceInfo>;
  waitInstanceDeleted(identifier: string, options?: WaitOptions): Promise<void>;
  /** Until the old name is gone **and** the new one is available (real renames have a gap). */
  waitInstanceRenamed(from: string, to: string, options?: WaitOptions): Promise<InstanceInfo>;

  // instance snapshots
  describeSnapshot(identifierOrArn: string): Promise<SnapshotInfo | undefined>;
  /** Manual snapshots of one instance, with their tags. */
  listSnapshots(instanceIdentifier: string): Promise<SnapshotInfo[]>;
  createSnapshot(instanceIdentifier: string, snapshotIdentifier: string, tags: Tag[]): Promise<void>;
  deleteSnapshot(snapshotIdentifier: string): Promise<void>;
  waitSnapshotAvailable(snapshotIdentifier: string, options?: WaitOptions): Promise<SnapshotInfo>;

  // clusters
  describeCluster(identifier: string): Promise<ClusterInfo | undefined>;
  renameCluster(from: string, to: string): Promise<void>;
  restoreCluster(request: RestoreClusterRequest): Promise<void>;
  modifyCluster(identifier: string, changes: ClusterModification): Promise<void>;
  deleteCluster(identifier: string, options: DeleteInstanceOptions): Promise<void>;
  waitClusterAvailable(identifier: string, options?: WaitOptions): Promise<ClusterInfo>;
  waitClusterDeleted(identifier: string, options?: WaitOptions): Promise<void>;
  waitClusterRenamed(from: string, to: string, options?: WaitOptions): Promise<ClusterInfo>;

  // cluster snapshots
  describeClusterSnapshot(identifierOrArn: string): Promise<SnapshotInfo | undefined>;
  listClusterSnapshots(clusterIdentifier: string): Promise<SnapshotInfo[]>;
  createClusterSnapshot(clusterIdentifier: string, snapshotIdentifier: string, tags: Tag[]): Promise<void>;
  deleteClusterSnapshot(snapshotIdentifier: string): Promise<void>;
  waitClusterSnapshotAvailable(snapshotIdentifier: string, options?: WaitOptions): Promise<SnapshotInfo>;

  // account
  describeQuotas(): Promise<QuotaInfo>;
  /** The blue/green deployment a database (by ARN) is the source or target of, if any. */
  describeBlueGreenDeployment(resourceArn: string): Promise<{ identifier: string; status: string } | undefined>;
}
