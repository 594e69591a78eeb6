import type { DeleteInstanceOptions, PointInTime, RdsGateway, RestorableWindow, WaitOptions } from '../../aws/rds-gateway.js';
import type {
  ClusterConfig,
  ClusterInfo,
  ClusterMember,
  ClusterModification,
  InstanceConfig,
  InstanceInfo,
  InstanceModification,
  ManagedSecret,
} from '../../core/rds-resources.js';

/** A described instance or cluster, as the generic steps see it. */
export interface DescribedResource<C> {
  identifier: string;
  resourceId: string;
  createdAt?: Date | undefined;
  arn: string;
  status: string;
  /** Changes waiting in PendingModifiedValues (a rename with ApplyImmediately would apply them all). */
  pendingModifications?: string[] | undefined;
  /** A requested rename that has not landed yet (real RDS keeps the old name for a moment). */
  pendingIdentifier?: string | undefined;
  deletionProtection: boolean;
  endpoint?: { address: string; port?: number | undefined } | undefined;
  /** Instances only: replication (a source is promoted away from its replicas when deleted). */
  readReplicaSourceIdentifier?: string | undefined;
  readReplicaIdentifiers?: string[] | undefined;
  /** Clusters only: the global database it belongs to. */
  globalClusterIdentifier?: string | undefined;
  /** Clusters only: the member instances as the cluster lists them. */
  members?: ClusterMember[] | undefined;
  /** The master password as RDS manages it in Secrets Manager, if it does. */
  masterUserSecret?: ManagedSecret | undefined;
  config: C;
}

/**
 * The verbs of one kind of RDS resource (DB instance or DB cluster), bound to a gateway, so
 * that renames, restores, reverts and deletes are written once for both. `C` is its captured
 * configuration, `M` the modification its Modify call takes.
 */
export interface ResourceOps<C, M> {
  noun: 'instance' | 'cluster';
  describe(identifier: string): Promise<DescribedResource<C> | undefined>;
  /**
   * Those of `identifiers` that exist, in one request (a rename's check looks at both names at
   * once); for identity and status: tags as the answer carries them.
   */
  describeMany(identifiers: string[]): Promise<DescribedResource<C>[]>;
  rename(from: string, to: string): Promise<void>;
  waitRenamed(from: string, to: string, options: WaitOptions): Promise<unknown>;
  /** Resolves with what identifies the resource once it is available. */
  waitAvailable(identifier: string, options: WaitOptions): Promise<{ resourceId: string; createdAt?: Date | undefined }>;
  waitDeleted(identifier: string, options: WaitOptions): Promise<void>;
  /**
   * Until the resource has applied its changes (ModifyDB* is asynchronous: RDS may read
   * `available` before `modifying`). `needsReboot`: a parameter group waits for a reboot.
   */
  waitSettled(identifier: string, options: WaitOptions): Promise<{ needsReboot: boolean }>;
  /**
   * Reboots what holds a `pending-reboot` parameter group (the instance; a cluster's members),
   * so static parameters take effect. Returns the instances rebooted; none is a no-op.
   */
  rebootPending(identifier: string): Promise<string[]>;
  restore(identifier: string, snapshotIdentifier: string, config: C): Promise<void>;
  /** Restores the data of another resource (by its current name) at a point in time as `identifier`, with `config`. */
  restoreToTime(identifier: string, source: PointInTime, config: C): Promise<void>;
  /** The span a point-in-time restore of `identifier` may target; undefined when it does not exist. */
  restorableWindow(identifier: string): Promise<RestorableWindow | undefined>;
  modify(identifier: string, changes: M): Promise<void>;
  unprotect(identifier: string): Promise<void>;
  /** Deletes the retired original: a final snapshot if asked, automated backups kept if asked. */
  deleteRetired(identifier: string, options: DeleteInstanceOptions): Promise<void>;
  /** Deletes a copy this run made: no final snapshot, nothing kept. */
  deleteCopy(identifier: string): Promise<void>;
}

const describedInstance = (i: InstanceInfo): DescribedResource<InstanceConfig> => ({
  ...i,
  deletionProtection: i.config.deletionProtection,
  masterUserSecret: i.config.masterUserSecret,
});

const describedCluster = (c: ClusterInfo): DescribedResource<ClusterConfig> => ({
  ...c,
  deletionProtection: c.config.deletionProtection,
  masterUserSecret: c.config.masterUserSecret,
  endpoint: c.endpoint ? { address: c.endpoint, port: c.config.port } : undefined,
});

/** The DB instance verbs of a gateway (standalone instances and cluster members alike). */
export function instanceOps(rds: RdsGateway): ResourceOps<InstanceConfig, InstanceModification> {
  return {
    noun: 'instance',
    describe: async (id) => {
      const info = await rds.describeInstance(id);
      return info && describedInstance(info);
    },
    describeMany: async (ids) => (await rds.describeInstances(ids)).map(describedInstance),
    rename: (from, to) => rds.renameInstance(from, to),
    waitRenamed: (from, to, o) => rds.waitInstanceRenamed(from, to, o),
    waitAvailable: (id, o) => rds.waitInstanceAvailable(id, o),
    waitDeleted: (id, o) => rds.waitInstanceDeleted(id, o),
    waitSettled: (id, o) => rds.waitInstanceSettled(id, o),
    rebootPending: async (id) => {
      const info = await rds.describeInstance(id);
      if (info?.parameterApplyStatus !== 'pending-reboot') return [];
      await rds.rebootInstance(id);
      return [id];
    },
    // The snapshot's storage decides which storage settings the restore may send (gp3 baselines, SQL Server).
    restore: async (identifier, snapshotIdentifier, config) =>
      rds.restoreInstance({ identifier, snapshotIdentifier, config, snapshot: await rds.describeSnapshot(snapshotIdentifier) }),
    // The source's storage is what the copy gets unless told otherwise, as a snapshot's is.
    restoreToTime: async (identifier, source, config) =>
      rds.restoreInstanceToPointInTime({ identifier, config, ...source, source: await rds.describeInstance(source.sourceIdentifier) }),
    restorableWindow: (id) => rds.describeInstanceRestorableWindow(id),
    // IAM roles are associated one by one (AddRoleToDBInstance), first, while the instance is available.
    modify: async (id, { associatedRoles, ...changes }) => {
      for (const role of associatedRoles ?? []) await rds.addRoleToInstance(id, role);
      if (Object.keys(changes).length > 0) await rds.modifyInstance(id, changes);
    },
    unprotect: (id) => rds.modifyInstance(id, { deletionProtection: false }),
    deleteRetired: (id, options) => rds.deleteInstance(id, options),
    deleteCopy: (id) => rds.deleteInstance(id, { keepAutomatedBackups: false }),
  };
}

/** The DB cluster verbs of a gateway. */
export function clusterOps(rds: RdsGateway): ResourceOps<ClusterConfig, ClusterModification> {
  return {
    noun: 'cluster',
    describe: async (id) => {
      const info = await rds.describeCluster(id);
      return info && describedCluster(info);
    },
    describeMany: async (ids) => (await rds.describeClusters(ids)).map(describedCluster),
    rename: (from, to) => rds.renameCluster(from, to),
    waitRenamed: (from, to, o) => rds.waitClusterRenamed(from, to, o),
    waitAvailable: (id, o) => rds.waitClusterAvailable(id, o),
    waitDeleted: (id, o) => rds.waitClusterDeleted(id, o),
    waitSettled: (id, o) => rds.waitClusterSettled(id, o),
    // Aurora applies a cluster's parameter groups on its instances: reboot each member that waits for it.
    rebootPending: async (id) => {
      const members = (await rds.describeCluster(id))?.members ?? [];
      const pending = members.filter((m) => m.parameterApplyStatus === 'pending-reboot').map((m) => m.instanceIdentifier);
      for (const member of pending) await rds.rebootInstance(member);
      return pending;
    },
    restore: (identifier, snapshotIdentifier, config) => rds.restoreCluster({ identifier, snapshotIdentifier, config }),
    restoreToTime: (identifier, source, config) => rds.restoreClusterToPointInTime({ identifier, config, ...source }),
    restorableWindow: (id) => rds.describeClusterRestorableWindow(id),
    // The Data API has a call of its own (EnableHttpEndpoint), made first, while the cluster is available.
    modify: async (id, { httpEndpointEnabled, ...changes }) => {
      if (httpEndpointEnabled !== undefined) await rds.setClusterDataApi(id, httpEndpointEnabled);
      if (Object.keys(changes).length > 0) await rds.modifyCluster(id, changes);
    },
    unprotect: (id) => rds.modifyCluster(id, { deletionProtection: false }),
    deleteRetired: (id, options) => rds.deleteCluster(id, options),
    deleteCopy: (id) => rds.deleteCluster(id, { keepAutomatedBackups: false }),
  };
}
