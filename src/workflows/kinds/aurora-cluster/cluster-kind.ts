import { clusterConfigSchema, type ClusterConfig, type ClusterModification } from '../../../core/rds-resources.js';
import { UsageError } from '../../../core/errors.js';
import { isReady } from '../../../core/rds-status.js';
import { clusterOps } from '../../resources/resource-ops.js';
import { snapshotOps } from '../../snapshot/snapshot-ops.js';
import type { ResourceKind } from '../resource-kind.js';
import { auroraMembers } from './cluster-members.js';
import { clusterSettings } from './cluster-settings.js';

/** An Aurora DB cluster (MySQL- or PostgreSQL-compatible) and its member instances. */
export const auroraClusterKind: ResourceKind<ClusterConfig, ClusterModification> = {
  name: 'aurora-cluster',
  workflow: 'cluster-restore',
  noun: 'cluster',
  label: 'Aurora DB cluster',
  flag: ' --cluster',
  configSchema: clusterConfigSchema,
  stepIds: {
    restore: 'restore-cluster',
    rename: 'rename-cluster',
    renameRestored: 'rename-restored-cluster',
    deleteRetired: 'delete-original-cluster',
  },
  ops: clusterOps,
  snapshots: (rds) => snapshotOps(rds, 'cluster'),
  settings: clusterSettings,
  members: auroraMembers,
  customEndpoints: true,
  describeConfig: (c) => ({ engine: c.engine, engineVersion: c.engineVersion, summary: `${c.engine} ${c.engineVersion}` }),
  quotaNeeds: (cluster) => ({ instances: cluster.members?.length ?? 0, clusters: 1 }),

  async find(rds, identifier, command) {
    const cluster = await clusterOps(rds).describe(identifier);
    if (cluster) return cluster;
    if (await rds.describeInstance(identifier)) {
      throw new UsageError(`${identifier} is a DB instance, not an Aurora DB cluster.`, {
        hint: `Drop --cluster: trapheus ${command} --identifier ${identifier}`,
      });
    }
    return undefined;
  },

  async check(rds, { described: cluster }, { pass, fail, warn }) {
    const { identifier } = cluster;
    const members = cluster.members ?? [];
    // Multi-AZ DB clusters (non-Aurora engines) are restored with DBClusterInstanceClass and
    // RDS creates their members itself (API reference: RestoreDBClusterFromSnapshot); this
    // kind recreates members by hand, which would be wrong for them.
    if (!cluster.config.engine.startsWith('aurora')) {
      fail(
        'Aurora cluster',
        `${identifier} is a Multi-AZ DB cluster (${cluster.config.engine}), not an Aurora cluster; trapheus does not restore Multi-AZ DB clusters in place yet.`,
      );
    }
    if (cluster.globalClusterIdentifier) {
      fail(
        'not in a global database',
        `${identifier} belongs to the global database ${cluster.globalClusterIdentifier}; remove it from the global database before restoring it in place.`,
      );
    }
    if (members.length === 0) warn('members', `${identifier} has no instances; the restored cluster will have none either.`);
    const busy: string[] = [];
    // All members in one request (DescribeDBInstances, Filter db-instance-id), not one per member.
    const described = members.length > 0 ? await rds.describeInstances(members.map((m) => m.instanceIdentifier)) : [];
    for (const member of members) {
      const info = described.find((d) => d.identifier.toLowerCase() === member.instanceIdentifier.toLowerCase());
      if (!info) busy.push(`Member ${member.instanceIdentifier} could not be described.`);
      else if (!isReady(info.status)) busy.push(`Member ${member.instanceIdentifier} is ${info.status}; wait until it is available.`);
    }
    if (busy.length > 0) fail('members available', busy.join(' '));
    else pass('members available', members.map((m) => `${m.instanceIdentifier}${m.isWriter ? ' (writer)' : ''}`).join(', ') || 'none');
  },
};
