import { z } from 'zod';

/**
 * The shapes of RDS resources as every layer sees them: plain objects, no SDK types. The
 * configurations are zod schemas because they are journaled (captured before the first change)
 * and validated again when a run is loaded.
 */

/** An RDS tag. */
export const tagSchema = z.object({ key: z.string(), value: z.string() });
export type Tag = z.infer<typeof tagSchema>;

/**
 * Whether RDS refuses a tag key on a write: keys "can't be prefixed with aws: or rds:" (API
 * reference: Tag). Describe calls do return such tags (AWS's own, e.g. from CloudFormation), so
 * a captured configuration carries them. Matched as written: a key the original carries in
 * another case was accepted by RDS when it was set, so it is sent again.
 */
export const isReservedTagKey = (key: string): boolean => key.startsWith('aws:') || key.startsWith('rds:');

const optionalString = z.string().optional();
const optionalNumber = z.number().optional();

/**
 * A master user password RDS manages in Secrets Manager (MasterUserSecret). A restore does not
 * re-create it, and deleting the database deletes the secret (user guide: Password management
 * with Amazon RDS and AWS Secrets Manager): carried only on request, as a new secret.
 */
export const managedSecretSchema = z.object({ secretArn: z.string(), kmsKeyId: optionalString });
export type ManagedSecret = z.infer<typeof managedSecretSchema>;

/** An IAM role associated with a DB instance or cluster for one feature (`s3Import`, `Lambda`…). */
export const associatedRoleSchema = z.object({ roleArn: z.string(), featureName: optionalString });
export type AssociatedRole = z.infer<typeof associatedRoleSchema>;

/**
 * Active Directory membership (DomainMemberships[0]): AWS Managed Microsoft AD by directory id
 * and IAM role; a self-managed AD by FQDN, OU, the secret of the joining user and DNS IPs.
 */
export const domainMembershipSchema = z.object({
  domain: optionalString,
  fqdn: optionalString,
  ou: optionalString,
  authSecretArn: optionalString,
  dnsIps: z.array(z.string()).optional(),
  iamRoleName: optionalString,
});
export type DomainMembership = z.infer<typeof domainMembershipSchema>;

/** A processor feature of the instance class (`coreCount`, `threadsPerCore`). */
export const processorFeatureSchema = z.object({ name: z.string(), value: z.string() });

/** The settings of a DB instance that trapheus captures and carries over to the restored copy. */
export const instanceConfigSchema = z.object({
  instanceClass: z.string(),
  engine: z.string(),
  engineVersion: z.string(),
  dbSubnetGroupName: optionalString,
  vpcSecurityGroupIds: z.array(z.string()),
  dbParameterGroupName: optionalString,
  optionGroupName: optionalString,
  multiAZ: z.boolean(),
  availabilityZone: optionalString,
  port: optionalNumber,
  storageType: optionalString,
  allocatedStorage: optionalNumber,
  iops: optionalNumber,
  storageThroughput: optionalNumber,
  maxAllocatedStorage: optionalNumber,
  publiclyAccessible: z.boolean(),
  deletionProtection: z.boolean(),
  iamDatabaseAuthentication: z.boolean(),
  cloudwatchLogsExports: z.array(z.string()),
  copyTagsToSnapshot: z.boolean(),
  autoMinorVersionUpgrade: z.boolean(),
  backupRetentionPeriod: optionalNumber,
  preferredBackupWindow: optionalString,
  preferredMaintenanceWindow: optionalString,
  caCertificateIdentifier: optionalString,
  monitoringInterval: optionalNumber,
  monitoringRoleArn: optionalString,
  performanceInsightsEnabled: z.boolean(),
  performanceInsightsKmsKeyId: optionalString,
  performanceInsightsRetentionPeriod: optionalNumber,
  tags: z.array(tagSchema),
  // Optional: journals of runs before these were captured still load.
  /** `open-source-rds-extended-support[-disabled]`: whether the engine is enrolled in paid Extended Support. */
  engineLifecycleSupport: optionalString,
  /** `IPV4` or `DUAL`. */
  networkType: optionalString,
  /** Database Insights: `standard` or `advanced`. */
  databaseInsightsMode: optionalString,
  dedicatedLogVolume: z.boolean().optional(),
  processorFeatures: z.array(processorFeatureSchema).optional(),
  domain: domainMembershipSchema.optional(),
  associatedRoles: z.array(associatedRoleSchema).optional(),
  masterUserSecret: managedSecretSchema.optional(),
});
export type InstanceConfig = z.infer<typeof instanceConfigSchema>;

/** The settings of an Aurora DB cluster that trapheus captures and carries over. */
export const clusterConfigSchema = z.object({
  engine: z.string(),
  engineVersion: z.string(),
  engineMode: optionalString,
  port: optionalNumber,
  dbSubnetGroupName: optionalString,
  vpcSecurityGroupIds: z.array(z.string()),
  dbClusterParameterGroupName: optionalString,
  deletionProtection: z.boolean(),
  iamDatabaseAuthentication: z.boolean(),
  cloudwatchLogsExports: z.array(z.string()),
  backtrackWindow: optionalNumber,
  backupRetentionPeriod: optionalNumber,
  preferredBackupWindow: optionalString,
  preferredMaintenanceWindow: optionalString,
  copyTagsToSnapshot: z.boolean(),
  storageType: optionalString,
  serverlessV2Scaling: z.object({ minCapacity: z.number(), maxCapacity: z.number(), secondsUntilAutoPause: optionalNumber }).optional(),
  kmsKeyId: optionalString,
  databaseName: optionalString,
  tags: z.array(tagSchema),
  // Optional: journals of runs before these were captured still load.
  engineLifecycleSupport: optionalString,
  networkType: optionalString,
  databaseInsightsMode: optionalString,
  domain: domainMembershipSchema.optional(),
  associatedRoles: z.array(associatedRoleSchema).optional(),
  /** The RDS Data API (HTTP endpoint). */
  httpEndpointEnabled: z.boolean().optional(),
  /** Readers forward writes to the writer (LocalWriteForwardingStatus enabled, enabling or requested). */
  localWriteForwarding: z.boolean().optional(),
  masterUserSecret: managedSecretSchema.optional(),
});
export type ClusterConfig = z.infer<typeof clusterConfigSchema>;

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
  /** Names of the changes still waiting in PendingModifiedValues (a pending rename excluded). */
  pendingModifications?: string[] | undefined;
  /** The DB parameter groups' apply status: `in-sync`, `applying`, `pending-reboot`… */
  parameterApplyStatus?: string | undefined;
  /** Whether every VPC security group reads `active`. */
  securityGroupsActive?: boolean | undefined;
}

/** One member of a DB cluster, as the cluster lists it. */
export interface ClusterMember {
  instanceIdentifier: string;
  isWriter: boolean;
  promotionTier?: number | undefined;
  /** The cluster parameter group's status on this member (`pending-reboot`: reboot this one). */
  parameterApplyStatus?: string | undefined;
}

/** A DB cluster as described now. `resourceId` (DbClusterResourceId) survives renames. */
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
  /** Names of the changes still waiting in PendingModifiedValues (a pending rename excluded). */
  pendingModifications?: string[] | undefined;
  /** The members' cluster parameter group status, the most pressing one. */
  parameterApplyStatus?: string | undefined;
  /** Whether every VPC security group reads `active`. */
  securityGroupsActive?: boolean | undefined;
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
  /** The snapshot's engine version: a restore comes back at this version. */
  engineVersion?: string | undefined;
  /** The storage a restore gets when the request names none (GiB, type, IOPS, MiB/s). */
  allocatedStorage?: number | undefined;
  storageType?: string | undefined;
  iops?: number | undefined;
  storageThroughput?: number | undefined;
  /**
   * How much of the snapshot's data has been transferred, 0–100, while it is created or copied
   * (botocore rds service-2.json: DBSnapshot.PercentProgress and DBClusterSnapshot.PercentProgress, Integer).
   */
  percentProgress?: number | undefined;
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
    | 'allocatedStorage'
    | 'storageType'
    | 'iops'
    | 'storageThroughput'
    | 'databaseInsightsMode'
    /** Turn on RDS management of the master password in Secrets Manager, with this secret's KMS key (a new secret). */
    | 'masterUserSecret'
    /** Roles to associate (AddRoleToDBInstance, one call per role): only those the instance lacks. */
    | 'associatedRoles'
  >
>;

/** Settings applied with ModifyDBCluster (ApplyImmediately). */
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
    | 'databaseInsightsMode'
    | 'localWriteForwarding'
    /** Turn on RDS management of the master password in Secrets Manager, with this secret's KMS key (a new secret). */
    | 'masterUserSecret'
    /** The Data API: EnableHttpEndpoint (ModifyDBCluster for Aurora Serverless v1). */
    | 'httpEndpointEnabled'
  >
>;

/** How much of the account's DB instance / cluster quota is left. `undefined`: unknown. */
export interface QuotaInfo {
  instancesUsed?: number | undefined;
  instancesMax?: number | undefined;
  clustersUsed?: number | undefined;
  clustersMax?: number | undefined;
}

/**
 * An Aurora custom endpoint: a DNS name over a chosen set of the cluster's instances. Its name
 * is unique per account and region and does not contain the cluster's (Aurora user guide:
 * Custom endpoints), so it stays with a renamed cluster.
 */
export const customEndpointSchema = z.object({
  identifier: z.string(),
  /** `READER` or `ANY`. */
  type: z.string(),
  /** Only these instances (empty: every instance not excluded). */
  staticMembers: z.array(z.string()),
  excludedMembers: z.array(z.string()),
  tags: z.array(tagSchema),
});
export type CustomEndpoint = z.infer<typeof customEndpointSchema>;

/** A custom endpoint as described now, with the cluster it belongs to. */
export interface CustomEndpointInfo extends CustomEndpoint {
  clusterIdentifier: string;
  status: string;
}
