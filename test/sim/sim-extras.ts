/**
 * Settings beyond the core of a restore — lifecycle support, network type, Active Directory,
 * processor features, Database Insights, the managed master secret, IAM roles, the Data API,
 * local write forwarding — and the calls that set them apart from Modify: AddRoleToDBInstance,
 * EnableHttpEndpoint, DisableHttpEndpoint.
 */
import type {
  AddRoleToDBInstanceMessage,
  CreateDBInstanceMessage,
  DBCluster,
  DBInstance,
  DisableHttpEndpointRequest,
  EnableHttpEndpointRequest,
  ModifyDBClusterMessage,
  ModifyDBInstanceMessage,
  RestoreDBClusterFromSnapshotMessage,
  RestoreDBInstanceFromDBSnapshotMessage,
} from '@aws-sdk/client-rds';
import { RdsServiceError, refuse } from './sim-errors.js';
import type { SimStore } from './sim-store.js';

type Domainish = Pick<
  RestoreDBInstanceFromDBSnapshotMessage,
  'Domain' | 'DomainIAMRoleName' | 'DomainFqdn' | 'DomainOu' | 'DomainAuthSecretArn' | 'DomainDnsIps'
>;

/** API, Domain* (AWS Managed Microsoft AD by directory id, or self-managed by FQDN): the membership Describe shows. */
function domainMemberships(input: Domainish): DBInstance['DomainMemberships'] | undefined {
  if (!input.Domain && !input.DomainFqdn) return undefined;
  return [
    {
      Domain: input.Domain,
      IAMRoleName: input.DomainIAMRoleName,
      FQDN: input.DomainFqdn,
      OU: input.DomainOu,
      AuthSecretArn: input.DomainAuthSecretArn,
      DnsIps: input.DomainDnsIps,
      Status: 'joined',
    },
  ];
}

/**
 * API, EngineLifecycleSupport: "This setting applies only to RDS for MySQL and RDS for
 * PostgreSQL" (instances; Aurora's is the cluster's). The default is
 * `open-source-rds-extended-support`. (The error name of the refusal is not verified.)
 */
export function checkLifecycle(engine: string, lifecycle: string | undefined): void {
  if (lifecycle !== undefined && engine !== 'mysql' && engine !== 'postgres' && !engine.startsWith('aurora')) {
    throw refuse.combination(`EngineLifecycleSupport applies only to RDS for MySQL and RDS for PostgreSQL, not ${engine}.`);
  }
}

/** What RestoreDBInstanceFromDBSnapshot and CreateDBInstance set beyond the core settings. */
export function instanceExtras(
  store: SimStore,
  engine: string,
  input: RestoreDBInstanceFromDBSnapshotMessage | CreateDBInstanceMessage,
): Partial<DBInstance> {
  checkLifecycle(engine, input.EngineLifecycleSupport);
  const lifecycle =
    engine === 'mysql' || engine === 'postgres' ? (input.EngineLifecycleSupport ?? 'open-source-rds-extended-support') : undefined;
  return {
    ...(lifecycle ? { EngineLifecycleSupport: lifecycle } : {}),
    ...(input.NetworkType ? { NetworkType: input.NetworkType } : {}),
    ...(input.DedicatedLogVolume !== undefined ? { DedicatedLogVolume: input.DedicatedLogVolume } : {}),
    ...(input.ProcessorFeatures ? { ProcessorFeatures: structuredClone(input.ProcessorFeatures) } : {}),
    ...(domainMemberships(input) ? { DomainMemberships: domainMemberships(input) } : {}),
    ...('DatabaseInsightsMode' in input && input.DatabaseInsightsMode ? { DatabaseInsightsMode: input.DatabaseInsightsMode } : {}),
    ...('PreferredMaintenanceWindow' in input && input.PreferredMaintenanceWindow
      ? { PreferredMaintenanceWindow: input.PreferredMaintenanceWindow }
      : {}),
    ...(input.ManageMasterUserPassword ? { MasterUserSecret: secret(store, input.MasterUserSecretKmsKeyId) } : {}),
  };
}

/** A new managed master secret (API, MasterUserSecret); without a key, aws/secretsmanager's. */
function secret(store: SimStore, kmsKeyId: string | undefined): NonNullable<DBInstance['MasterUserSecret']> {
  const { region, accountId } = store.options;
  return {
    SecretArn: `arn:aws:secretsmanager:${region}:${accountId}:secret:rds!sim-${store.newResourceId('db').slice(3)}`,
    SecretStatus: 'active',
    KmsKeyId: kmsKeyId ?? `arn:aws:kms:${region}:${accountId}:alias/aws/secretsmanager`,
  };
}

/** ModifyDBInstance settings of this module, applied when `modifying` ends (none is a PendingModifiedValues member). */
export function modifyExtras(store: SimStore, input: ModifyDBInstanceMessage): Partial<DBInstance> {
  return {
    ...(input.DatabaseInsightsMode ? { DatabaseInsightsMode: input.DatabaseInsightsMode } : {}),
    ...(input.NetworkType ? { NetworkType: input.NetworkType } : {}),
    ...(input.ManageMasterUserPassword ? { MasterUserSecret: secret(store, input.MasterUserSecretKmsKeyId) } : {}),
    ...(input.ManageMasterUserPassword === false ? { MasterUserSecret: undefined } : {}),
  };
}

/** What RestoreDBClusterFromSnapshot sets beyond the core settings (roles: DBClusterRole, `ACTIVE`). */
export function clusterRestoreExtras(input: RestoreDBClusterFromSnapshotMessage): Partial<DBCluster> {
  return {
    EngineLifecycleSupport: input.EngineLifecycleSupport ?? 'open-source-rds-extended-support',
    ...(input.NetworkType ? { NetworkType: input.NetworkType } : {}),
    ...(input.Domain ? { DomainMemberships: [{ Domain: input.Domain, IAMRoleName: input.DomainIAMRoleName, Status: 'joined' }] } : {}),
    AssociatedRoles: (input.AssociatedRoles ?? []).map((r) => ({ RoleArn: r.RoleArn, FeatureName: r.FeatureName, Status: 'ACTIVE' })),
    ...(input.ServerlessV2ScalingConfiguration
      ? { ServerlessV2ScalingConfiguration: structuredClone(input.ServerlessV2ScalingConfiguration) }
      : {}),
  };
}

/** ModifyDBCluster settings of this module. */
export function modifyClusterExtras(store: SimStore, input: ModifyDBClusterMessage): Partial<DBCluster> {
  return {
    ...(input.EnableLocalWriteForwarding !== undefined
      ? { LocalWriteForwardingStatus: input.EnableLocalWriteForwarding ? 'enabled' : 'disabled' }
      : {}),
    ...(input.DatabaseInsightsMode ? { DatabaseInsightsMode: input.DatabaseInsightsMode } : {}),
    ...(input.ManageMasterUserPassword ? { MasterUserSecret: secret(store, input.MasterUserSecretKmsKeyId) } : {}),
    ...(input.ServerlessV2ScalingConfiguration
      ? { ServerlessV2ScalingConfiguration: structuredClone(input.ServerlessV2ScalingConfiguration) }
      : {}),
  };
}

/**
 * API, AddRoleToDBInstance: "To add a role to a DB instance, the status of the DB instance must
 * be available"; a role already associated is DBInstanceRoleAlreadyExists. The role reads
 * `PENDING`, then `ACTIVE` (API, DBInstanceRole Status).
 */
export function addInstanceRole(store: SimStore, input: AddRoleToDBInstanceMessage) {
  const record = store.instance(input.DBInstanceIdentifier);
  if (!record) throw refuse.instanceNotFound(input.DBInstanceIdentifier ?? '');
  const status = record.db.DBInstanceStatus ?? '';
  if (status !== 'available') throw refuse.instanceState(record.db.DBInstanceIdentifier ?? '', status);
  const roles = (record.db.AssociatedRoles ??= []);
  if (roles.some((r) => r.RoleArn === input.RoleArn && r.FeatureName === input.FeatureName)) {
    throw new RdsServiceError(
      'DBInstanceRoleAlreadyExists',
      `Role ${input.RoleArn ?? ''} is already associated with ${record.db.DBInstanceIdentifier ?? ''}.`,
    );
  }
  const role = { RoleArn: input.RoleArn, FeatureName: input.FeatureName, Status: 'PENDING' };
  roles.push(role);
  store.after(record, store.timings.modifyGap, () => (role.Status = 'ACTIVE'));
  return {};
}

/** API, EnableHttpEndpoint / DisableHttpEndpoint (the Data API): ResourceNotFoundFault for an unknown cluster ARN. */
export function setHttpEndpoint(store: SimStore, input: EnableHttpEndpointRequest | DisableHttpEndpointRequest, enabled: boolean) {
  const record = store.clusters.find((c) => !c.gone && c.db.DBClusterArn === input.ResourceArn);
  if (!record) throw new RdsServiceError('ResourceNotFoundFault', `Resource ${input.ResourceArn ?? ''} not found.`, 404);
  if (record.db.EngineMode === 'serverless')
    throw new RdsServiceError('InvalidResourceStateFault', 'For Aurora Serverless v1, use ModifyDBCluster EnableHttpEndpoint.');
  record.db.HttpEndpointEnabled = enabled;
  return { ResourceArn: input.ResourceArn, HttpEndpointEnabled: enabled };
}
