import type { VpcSecurityGroupMembership } from '@aws-sdk/client-rds';

/**
 * What a described instance or cluster still has to apply. ModifyDBInstance is asynchronous:
 * changes wait in `PendingModifiedValues` until applied, a new DB parameter group reads
 * `applying` then `in-sync`, or `pending-reboot` until the instance reboots (API reference
 * ModifyDBInstance; DBParameterGroupStatus), and security groups read `adding`/`removing` before
 * `active` (VpcSecurityGroupMembership).
 */

/** Whether a pending value says nothing: absent, an empty list, or an object of such values. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Date) return false;
  if (typeof value === 'object') return Object.values(value).every(isEmpty);
  return false;
}

/**
 * The names of the values waiting in `PendingModifiedValues`, for a preflight message. Empty
 * members (RDS sends e.g. `PendingCloudwatchLogsExports: {}`) and the rename (`renamed`, handled
 * by the rename wait) are left out.
 */
export function pendingNames(values: object | undefined, renamed: 'DBInstanceIdentifier' | 'DBClusterIdentifier'): string[] {
  return Object.entries(values ?? {})
    .filter(([name, value]) => name !== renamed && !isEmpty(value))
    .map(([name]) => name);
}

/** From the status that needs a person, to the one that needs a reboot, to waiting, to done. */
const PRECEDENCE = ['failed-to-apply', 'pending-reboot', 'applying', 'pending-database-upgrade', 'in-sync'];

/**
 * One apply status for several DB parameter groups (an instance's groups, or a cluster's members'
 * `DBClusterParameterGroupStatus`): the one that decides what happens next. `undefined` when none
 * is reported. An unknown status ranks before `in-sync`, so it is waited on, never taken as done.
 */
export function parameterStatusOf(statuses: (string | undefined)[]): string | undefined {
  const known = statuses.filter((s): s is string => s !== undefined && s !== '');
  if (known.length === 0) return undefined;
  const inSync = PRECEDENCE.indexOf('in-sync');
  const rank = (s: string) => (PRECEDENCE.includes(s) ? PRECEDENCE.indexOf(s) : inSync - 0.5);
  return known.reduce((worst, s) => (rank(s) < rank(worst) ? s : worst));
}

/**
 * Whether every VPC security group is `active`. A membership without a status counts as active:
 * an unreported state must not hold a wait until its timeout.
 */
export function securityGroupsActive(groups: VpcSecurityGroupMembership[] | undefined): boolean {
  return (groups ?? []).every((g) => g.Status === undefined || g.Status === 'active');
}
