import type { DatabaseInsightsMode } from '@aws-sdk/client-rds';
import type { DomainMembership, ManagedSecret } from '../core/rds-resources.js';

/**
 * Request parameters of settings whose form depends on their value or on the engine, shared by
 * the restore, create and modify inputs of `rds-requests.ts`. Pure, so each rule is tested
 * without a client.
 */

/**
 * EngineLifecycleSupport of an instance restore: "This setting applies only to RDS for MySQL and
 * RDS for PostgreSQL. For Amazon Aurora DB instances, the engine lifecycle support is managed by
 * the DB cluster" (API reference: RestoreDBInstanceFromDBSnapshot, CreateDBInstance). Without it
 * a restore enrols the copy in (paid) Extended Support: the default is
 * `open-source-rds-extended-support`.
 */
export function engineLifecycleOf(engine: string, lifecycle: string | undefined): string | undefined {
  return engine === 'mysql' || engine === 'postgres' ? lifecycle : undefined;
}

/**
 * The Active Directory parameters of an instance restore (API reference:
 * RestoreDBInstanceFromDBSnapshot, Domain*). AWS Managed Microsoft AD is named by its directory
 * id with the IAM role RDS calls Directory Service with; a self-managed AD by its FQDN, OU, the
 * Secrets Manager secret of the joining user and its DNS IPs (user guide: Joining your DB
 * instance to self-managed Active Directory) — the auth secret is what tells them apart.
 */
export function domainParameters(domain: DomainMembership | undefined): {
  Domain?: string;
  DomainIAMRoleName?: string;
  DomainFqdn?: string;
  DomainOu?: string;
  DomainAuthSecretArn?: string;
  DomainDnsIps?: string[];
} {
  if (!domain) return {};
  if (domain.authSecretArn) {
    return {
      DomainFqdn: domain.fqdn,
      DomainOu: domain.ou,
      DomainAuthSecretArn: domain.authSecretArn,
      DomainDnsIps: domain.dnsIps,
    };
  }
  return domain.domain ? { Domain: domain.domain, DomainIAMRoleName: domain.iamRoleName } : {};
}

/** Database Insights' retention in advanced mode, in days (API reference: ModifyDBInstance, DatabaseInsightsMode). */
export const ADVANCED_INSIGHTS_RETENTION_DAYS = 465;

/**
 * DatabaseInsightsMode of ModifyDBInstance / ModifyDBCluster: "If you change the value from
 * standard to advanced, you must set the PerformanceInsightsEnabled parameter to true and the
 * PerformanceInsightsRetentionPeriod parameter to 465" (API reference: ModifyDBCluster,
 * DatabaseInsightsMode), so advanced mode carries Performance Insights with it.
 */
export function insightsParameters(
  mode: string | undefined,
  retentionDays: number | undefined,
): { DatabaseInsightsMode?: DatabaseInsightsMode; EnablePerformanceInsights?: boolean; PerformanceInsightsRetentionPeriod?: number } {
  if (mode === undefined) return {};
  // RDS's own value, as DescribeDBInstances / DescribeDBClusters reported it.
  const DatabaseInsightsMode = mode as DatabaseInsightsMode;
  if (mode !== 'advanced') return { DatabaseInsightsMode };
  return {
    DatabaseInsightsMode,
    EnablePerformanceInsights: true,
    PerformanceInsightsRetentionPeriod: retentionDays ?? ADVANCED_INSIGHTS_RETENTION_DAYS,
  };
}

/**
 * Turns on RDS management of the master password in Secrets Manager with the original's KMS key:
 * RDS generates a new password and a new secret. "If you are turning on ManageMasterUserPassword
 * and don't specify MasterUserSecretKmsKeyId, then the aws/secretsmanager KMS key is used"
 * (API reference: ModifyDBInstance, ModifyDBCluster, MasterUserSecretKmsKeyId).
 */
export function managedSecretParameters(secret: ManagedSecret | undefined): {
  ManageMasterUserPassword?: boolean;
  MasterUserSecretKmsKeyId?: string;
} {
  return secret ? { ManageMasterUserPassword: true, MasterUserSecretKmsKeyId: secret.kmsKeyId } : {};
}
