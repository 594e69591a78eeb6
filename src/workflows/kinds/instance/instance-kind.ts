import { instanceConfigSchema, type InstanceConfig, type InstanceModification } from '../../../core/rds-resources.js';
import { UsageError } from '../../../core/errors.js';
import { instanceOps } from '../../resources/resource-ops.js';
import { snapshotOps } from '../../snapshot/snapshot-ops.js';
import type { ResourceKind } from '../resource-kind.js';
import { instanceSettings } from './instance-settings.js';

/** A standalone DB instance (RDS for PostgreSQL, MySQL, MariaDB, Oracle, SQL Server, Db2). */
export const instanceKind: ResourceKind<InstanceConfig, InstanceModification> = {
  name: 'instance',
  workflow: 'instance-restore',
  noun: 'instance',
  label: 'DB instance',
  flag: '',
  configSchema: instanceConfigSchema,
  stepIds: { restore: 'restore-snapshot', rename: 'rename-original', renameRestored: 'rename-restored', deleteRetired: 'delete-original' },
  ops: instanceOps,
  snapshots: (rds) => snapshotOps(rds, 'instance'),
  settings: instanceSettings,
  describeConfig: (c) => ({
    engine: c.engine,
    engineVersion: c.engineVersion,
    summary: `${c.engine} ${c.engineVersion}, ${c.instanceClass}`,
  }),
  quotaNeeds: () => ({ instances: 1, clusters: 0 }),

  async find(rds, identifier, command) {
    const info = await rds.describeInstance(identifier);
    if (!info) {
      if (await rds.describeCluster(identifier)) {
        throw new UsageError(`${identifier} is an Aurora DB cluster, not a DB instance.`, {
          hint: `Add --cluster: trapheus ${command} --identifier ${identifier} --cluster`,
        });
      }
      return undefined;
    }
    if (info.clusterIdentifier) {
      throw new UsageError(`${identifier} is a member of the Aurora DB cluster ${info.clusterIdentifier}.`, {
        hint: `Restore the cluster instead: trapheus ${command} --identifier ${info.clusterIdentifier} --cluster`,
      });
    }
    return instanceOps(rds).describe(identifier);
  },

  check(_rds, { described: info, config }, { fail, warn }) {
    const { identifier } = info;
    const replicaIdentifiers = info.readReplicaIdentifiers ?? [];
    if (info.readReplicaSourceIdentifier) {
      fail(
        'not a read replica',
        `${identifier} is a read replica of ${info.readReplicaSourceIdentifier}; restoring it in place would turn it into a standalone instance. Restore the source instead.`,
      );
    }
    if (replicaIdentifiers.length > 0) {
      const replicas = replicaIdentifiers.join(', ');
      // Deleting a source instance promotes its same-region read replicas to standalone
      // instances (user guide: Deleting a DB instance).
      if (config.restore.allowReadReplicaSource) {
        warn(
          'read replicas',
          `${identifier} has read replicas (${replicas}); they keep replicating from the renamed original and are promoted to standalone instances when it is deleted.`,
        );
      } else {
        fail(
          'read replicas',
          `${identifier} is the source of read replicas (${replicas}); they would not follow the restored copy and would be promoted to standalone instances when the original is deleted. Set restore.allowReadReplicaSource to true in the config to accept that.`,
        );
      }
    }
    return Promise.resolve();
  },
};
