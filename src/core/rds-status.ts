/**
 * The one table of RDS statuses, shared by the gateway's waits, the workflows and the
 * simulated RDS of the tests. Sources: RDS user guide, "Viewing Amazon RDS DB instance
 * status"; Aurora user guide, "Viewing DB cluster status".
 */

/** Statuses in which a DB instance or cluster serves clients and accepts changes. */
export const READY_STATUSES: ReadonlySet<string> = new Set([
  'available',
  // "The DB instance is fully operational" while storage is optimized, which can take a day
  // or more: waiting for `available` here would stall a restore for no reason.
  'storage-optimization',
]);

/**
 * Statuses a wait for availability cannot leave by waiting: the resource needs a person (or
 * a revert). Instances and clusters; `migration-failed` and `cloning-failed` are cluster-only.
 */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'failed',
  'incompatible-restore',
  'incompatible-parameters',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-credentials',
  'restore-error',
  'insufficient-capacity',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'storage-full',
  'stopped',
  'stopping',
  'deleting',
  'deleted',
  'migration-failed',
  'cloning-failed',
]);

/**
 * Statuses a resource passes through on its own (creating, modifying, renaming…): waiting
 * ends them. A revert lets a copy settle before deleting it.
 */
export const TRANSITIONAL_STATUSES: ReadonlySet<string> = new Set([
  'creating',
  'backing-up',
  'modifying',
  'rebooting',
  'renaming',
  'configuring-enhanced-monitoring',
  'configuring-iam-database-auth',
  'configuring-log-exports',
  'converting-to-vpc',
  'maintenance',
  'moving-to-vpc',
  'upgrading',
  'resetting-master-credentials',
  'starting',
  'migrating',
  'preparing-data-migration',
  'promoting',
  'storage-config-upgrade',
  'storage-initialization',
  'cloning',
  'backtracking',
  'failing-over',
  'update-iam-db-auth',
]);

/** Whether a resource in `status` serves clients and takes changes. */
export const isReady = (status: string): boolean => READY_STATUSES.has(status);

/** Whether waiting for availability from `status` is pointless. */
export const isTerminal = (status: string): boolean => TERMINAL_STATUSES.has(status);
