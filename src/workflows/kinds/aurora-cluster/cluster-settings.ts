import type { ClusterConfig, ClusterModification, InstanceConfig, InstanceModification } from '../../../core/rds-resources.js';
import {
  BACKUP_AND_MAINTENANCE,
  changedSettings,
  diffSettings,
  INSTANCE_LEVEL_MODIFIABLE,
  instanceModification,
} from '../../resources/settings-diff.js';
import type { SettingsRules } from '../resource-kind.js';

/** Cluster settings applied with ModifyDBCluster after the restore, if the restore did not keep them. */
const CLUSTER_MODIFIABLE = [
  ...BACKUP_AND_MAINTENANCE,
  'dbClusterParameterGroupName',
  'backtrackWindow',
  'copyTagsToSnapshot',
  'iamDatabaseAuthentication',
  'cloudwatchLogsExports',
  'vpcSecurityGroupIds',
  'deletionProtection',
] as const satisfies readonly (keyof ClusterModification)[];

/** Cluster settings compared by the verification: all of the above, and what the restore call takes. */
const CLUSTER_VERIFIED: readonly (keyof ClusterConfig)[] = [
  ...CLUSTER_MODIFIABLE,
  'engine',
  'engineVersion',
  'engineMode',
  'port',
  'dbSubnetGroupName',
  'storageType',
  'serverlessV2Scaling',
  'kmsKeyId',
  'databaseName',
  'tags',
];

/** Member settings compared by the verification: what CreateDBInstance takes, and the instance-level settings applied after. */
const MEMBER_VERIFIED: readonly (keyof InstanceConfig)[] = [
  ...INSTANCE_LEVEL_MODIFIABLE,
  'instanceClass',
  'availabilityZone',
  'publiclyAccessible',
  'autoMinorVersionUpgrade',
  'tags',
];

/** How an Aurora cluster's own settings are carried over and verified. */
export const clusterSettings: SettingsRules<ClusterConfig, ClusterModification> = {
  pending: (wanted, actual) => changedSettings(CLUSTER_MODIFIABLE, wanted, actual),
  diff: (resource, expected, actual) => diffSettings(resource, CLUSTER_VERIFIED, expected, actual),
};

/** How a member instance's settings are carried over (CreateDBInstance takes few) and verified. */
export const memberSettings: SettingsRules<InstanceConfig, InstanceModification> = {
  pending: (wanted, actual) => instanceModification(INSTANCE_LEVEL_MODIFIABLE, wanted, actual),
  diff: (resource, expected, actual) => diffSettings(resource, MEMBER_VERIFIED, expected, actual),
};
