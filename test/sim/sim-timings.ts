/**
 * How long the simulated RDS spends in each state, in seconds of virtual time.
 *
 * RDS documents the states (RDS user guide, "Viewing Amazon RDS DB instance status"; Aurora
 * user guide, "Viewing DB cluster status") but, with one exception, not their durations: the
 * figures below are typical of a small (20–100 GiB) database and every one can be overridden.
 * The exception is a rename: "the new DNS name for the renamed DB instance becomes effective
 * in about 10 minutes" (RDS user guide, "Renaming a DB instance") — `SLOW_RENAME_TIMINGS`.
 */
export interface SimTimings {
  /** RestoreDBInstanceFromDBSnapshot: `creating`. */
  restoreCreating: number;
  /** … then `backing-up` (the first automated backup of the new instance). */
  restoreBackingUp: number;
  /** `configuring-enhanced-monitoring`, whenever Enhanced Monitoring is turned on. */
  configuringMonitoring: number;
  /** CreateDBInstance of a cluster member: `creating`. */
  memberCreating: number;
  /** ModifyDBInstance / ModifyDBCluster: the status still reads `available` this long … */
  modifyGap: number;
  /** … then `modifying` this long, after which the change is applied. */
  modifying: number;
  /** Rename: the old name stays `available` (with `PendingModifiedValues.DBInstanceIdentifier`) this long … */
  renameGap: number;
  /** … then the new name is `renaming` … */
  renaming: number;
  /** … then `rebooting` (a rename reboots the instance), then `available`. Also RebootDBInstance. */
  rebooting: number;
  /** DeleteDBInstance: `deleting`, then gone. */
  deleting: number;
  /** CreateDBSnapshot / CreateDBClusterSnapshot (and a final snapshot): `creating` → `available`. */
  snapshotCreating: number;
  /** After a storage change: `storage-optimization` ("can take 24 hours or more"); 0 skips it. */
  storageOptimization: number;
  /** RestoreDBClusterFromSnapshot: `creating` → `available`. */
  clusterCreating: number;
  /** ModifyDBCluster rename: the old cluster name stays `available` this long … */
  clusterRenameGap: number;
  /** … then `renaming` under the new name. */
  clusterRenaming: number;
  /** DeleteDBCluster: `deleting`, then gone. */
  clusterDeleting: number;
  /**
   * FailoverDBCluster: the cluster reads `failing-over` this long, then `available` with the new
   * writer (Aurora UG, "Failing over an Amazon Aurora DB cluster"). AWS whitepaper "Amazon Aurora
   * MySQL Database Administrator's Handbook", "Designing for fault tolerance and quick recovery":
   * Aurora promotes a new primary and fails over to it, "which typically happens within 30
   * seconds". The simulation takes twice that, 60 s (against trapheus: it is an outage).
   */
  failingOver: number;
  /** CreateDBClusterEndpoint (Aurora custom endpoint): `creating` → `available`. */
  endpointCreating: number;
  /** DeleteDBClusterEndpoint: `deleting`, then gone. */
  endpointDeleting: number;
}

/** Typical figures; see the module comment. */
export const DEFAULT_TIMINGS: SimTimings = {
  restoreCreating: 600,
  restoreBackingUp: 120,
  configuringMonitoring: 60,
  memberCreating: 480,
  modifyGap: 5,
  modifying: 60,
  renameGap: 10,
  renaming: 60,
  rebooting: 30,
  deleting: 300,
  snapshotCreating: 300,
  storageOptimization: 0,
  clusterCreating: 600,
  clusterRenameGap: 5,
  clusterRenaming: 60,
  clusterDeleting: 120,
  failingOver: 60,
  endpointCreating: 60,
  endpointDeleting: 30,
};

/** A rename taking "about 10 minutes" end to end, as the user guide says of its DNS name. */
export const SLOW_RENAME_TIMINGS: SimTimings = { ...DEFAULT_TIMINGS, renameGap: 60, renaming: 480, rebooting: 60 };

/** Everything quick (seconds), keeping every state visible: for tests that count steps, not minutes. */
export const FAST_TIMINGS: SimTimings = {
  restoreCreating: 20,
  restoreBackingUp: 5,
  configuringMonitoring: 5,
  memberCreating: 15,
  modifyGap: 2,
  modifying: 5,
  renameGap: 2,
  renaming: 5,
  rebooting: 3,
  deleting: 10,
  snapshotCreating: 10,
  storageOptimization: 0,
  clusterCreating: 20,
  clusterRenameGap: 2,
  clusterRenaming: 5,
  clusterDeleting: 10,
  failingOver: 5,
  endpointCreating: 5,
  endpointDeleting: 5,
};
