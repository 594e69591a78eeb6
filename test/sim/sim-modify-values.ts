/** How ModifyDBInstance's settings show on the instance: at once, when `modifying` ends, or pending. */
import type { DBInstance, ModifyDBInstanceMessage, PendingModifiedValues } from '@aws-sdk/client-rds';
import type { InstanceRecord } from './sim-store.js';

/**
 * The request as changes to the Describe view, in three kinds (API, ModifyDBInstance, each
 * setting's text): `instant` — settings without an outage that only change metadata, visible in
 * the answer already (deletion protection is documented as immediate; the sim treats windows,
 * tag copying, minor upgrades and the storage ceiling alike); `asap` — "applied as soon as
 * possible" whatever ApplyImmediately says, but only when the `modifying` phase ends, and
 * *invisible until then* (they are not PendingModifiedValues members: monitoring, Performance
 * Insights, security groups, public access, log exports, retention between non-zero values);
 * `held` — waiting for ApplyImmediately or the maintenance window, shown in PendingModifiedValues.
 */
export function translate(m: ModifyDBInstanceMessage, db: DBInstance) {
  const instant: Partial<DBInstance> = {};
  const asap: Partial<DBInstance> = {};
  const held: Partial<DBInstance> = {};
  const shown: PendingModifiedValues = {};
  const hold = <K extends keyof DBInstance & keyof PendingModifiedValues>(key: K, value: DBInstance[K] & PendingModifiedValues[K]) => {
    held[key] = value;
    shown[key] = value;
  };
  if (m.DBInstanceClass !== undefined) hold('DBInstanceClass', m.DBInstanceClass);
  if (m.AllocatedStorage !== undefined) hold('AllocatedStorage', m.AllocatedStorage);
  if (m.StorageType !== undefined) hold('StorageType', m.StorageType);
  if (m.Iops !== undefined) hold('Iops', m.Iops);
  if (m.StorageThroughput !== undefined) hold('StorageThroughput', m.StorageThroughput);
  if (m.MultiAZ !== undefined) hold('MultiAZ', m.MultiAZ);
  if (m.EngineVersion !== undefined) hold('EngineVersion', m.EngineVersion);
  if (m.CACertificateIdentifier !== undefined) hold('CACertificateIdentifier', m.CACertificateIdentifier);
  if (m.EnableIAMDatabaseAuthentication !== undefined) {
    held.IAMDatabaseAuthenticationEnabled = m.EnableIAMDatabaseAuthentication;
    shown.IAMDatabaseAuthenticationEnabled = m.EnableIAMDatabaseAuthentication;
  }
  if (m.DBSubnetGroupName !== undefined) {
    held.DBSubnetGroup = { ...db.DBSubnetGroup, DBSubnetGroupName: m.DBSubnetGroupName };
    shown.DBSubnetGroupName = m.DBSubnetGroupName;
  }
  if (m.DBPortNumber !== undefined) {
    held.Endpoint = { ...db.Endpoint, Port: m.DBPortNumber };
    shown.Port = m.DBPortNumber;
  }
  if (m.MasterUserPassword !== undefined) shown.MasterUserPassword = '****';
  // "If you change the parameter from one non-zero value to another non-zero value, the change is asynchronously applied as soon as possible."
  if (m.BackupRetentionPeriod !== undefined) {
    if ((m.BackupRetentionPeriod === 0) !== ((db.BackupRetentionPeriod ?? 0) === 0)) hold('BackupRetentionPeriod', m.BackupRetentionPeriod);
    else asap.BackupRetentionPeriod = m.BackupRetentionPeriod;
  }
  if (m.OptionGroupName !== undefined) held.OptionGroupMemberships = [{ OptionGroupName: m.OptionGroupName, Status: 'in-sync' }];
  if (m.DeletionProtection !== undefined && !db.DBClusterIdentifier) instant.DeletionProtection = m.DeletionProtection;
  if (m.PreferredBackupWindow !== undefined) instant.PreferredBackupWindow = m.PreferredBackupWindow;
  if (m.PreferredMaintenanceWindow !== undefined) instant.PreferredMaintenanceWindow = m.PreferredMaintenanceWindow;
  if (m.AutoMinorVersionUpgrade !== undefined) instant.AutoMinorVersionUpgrade = m.AutoMinorVersionUpgrade;
  if (m.CopyTagsToSnapshot !== undefined) instant.CopyTagsToSnapshot = m.CopyTagsToSnapshot;
  if (m.MaxAllocatedStorage !== undefined) instant.MaxAllocatedStorage = m.MaxAllocatedStorage;
  if (m.VpcSecurityGroupIds !== undefined)
    asap.VpcSecurityGroups = m.VpcSecurityGroupIds.map((g) => ({ VpcSecurityGroupId: g, Status: 'active' }));
  if (m.PubliclyAccessible !== undefined) asap.PubliclyAccessible = m.PubliclyAccessible;
  if (m.MonitoringInterval !== undefined) asap.MonitoringInterval = m.MonitoringInterval;
  if (m.MonitoringRoleArn !== undefined) asap.MonitoringRoleArn = m.MonitoringRoleArn;
  if (m.EnablePerformanceInsights !== undefined) asap.PerformanceInsightsEnabled = m.EnablePerformanceInsights;
  if (m.PerformanceInsightsKMSKeyId !== undefined) asap.PerformanceInsightsKMSKeyId = m.PerformanceInsightsKMSKeyId;
  if (m.PerformanceInsightsRetentionPeriod !== undefined) asap.PerformanceInsightsRetentionPeriod = m.PerformanceInsightsRetentionPeriod;
  if (m.CloudwatchLogsExportConfiguration !== undefined) {
    const { EnableLogTypes = [], DisableLogTypes = [] } = m.CloudwatchLogsExportConfiguration;
    asap.EnabledCloudwatchLogsExports = [...new Set([...(db.EnabledCloudwatchLogsExports ?? []), ...EnableLogTypes])].filter(
      (t) => !DisableLogTypes.includes(t),
    );
  }
  return { instant, asap, held, shown };
}

/** API, VpcSecurityGroupMembership Status: new groups read `adding`, dropped ones `removing`, until applied. */
export function showSecurityGroupChange(record: InstanceRecord): void {
  const wanted = record.deferred.VpcSecurityGroups;
  if (!wanted) return;
  const current = record.db.VpcSecurityGroups ?? [];
  const has = (list: typeof current, id: string | undefined) => list.some((g) => g.VpcSecurityGroupId === id);
  record.db.VpcSecurityGroups = [
    ...current.filter((g) => !has(wanted, g.VpcSecurityGroupId)).map((g) => ({ ...g, Status: 'removing' })),
    ...wanted.map((g) => ({ ...g, Status: has(current, g.VpcSecurityGroupId) ? 'active' : 'adding' })),
  ];
}
