import type { SnapshotInfo } from '../core/rds-resources.js';
import { isReady, isTerminal } from '../core/rds-status.js';
import type { Settled } from './rds-gateway.js';
import type { WaitCheck } from './wait-for.js';

/**
 * One observation of each kind of wait, given a describe call: what `waitFor` polls. Every
 * status decision goes through the one table in `core/rds-status.ts`.
 */

/** Until the resource is ready; a terminal status fails the wait at once. */
export async function checkAvailable<T extends { status: string }>(describe: () => Promise<T | undefined>): Promise<WaitCheck<T>> {
  // Not found yet is not a failure: a restore just requested may not be visible for a moment.
  const info = await describe();
  if (!info) return { state: 'retry', status: 'not found' };
  if (isReady(info.status)) return { state: 'success', value: info, status: info.status };
  return { state: isTerminal(info.status) ? 'failure' : 'retry', status: info.status };
}

/** Until the resource is gone. */
export async function checkDeleted(describe: () => Promise<{ status: string } | undefined>): Promise<WaitCheck<void>> {
  const info = await describe();
  return info ? { state: 'retry', status: info.status } : { state: 'success', value: undefined, status: 'deleted' };
}

/** Until the old name is gone and the new one is ready (real RDS keeps the old name a moment). */
export async function checkRenamed<T extends { status: string }>(
  from: string,
  to: string,
  describe: (id: string) => Promise<T | undefined>,
): Promise<WaitCheck<T>> {
  // Real RDS keeps the old name for a moment, then shows the new one as renaming/rebooting.
  const [old, renamed] = await Promise.all([describe(from), describe(to)]);
  const status = `${from}: ${old ? old.status : 'gone'}, ${to}: ${renamed ? renamed.status : 'not found'}`;
  if (!old && renamed && isReady(renamed.status)) return { state: 'success', value: renamed, status: renamed.status };
  if (renamed && isTerminal(renamed.status)) return { state: 'failure', status };
  return { state: 'retry', status };
}

/** Until a snapshot is available; `failed`, `deleting`, `deleted` fail the wait at once. */
export async function checkSnapshotAvailable(describe: () => Promise<SnapshotInfo | undefined>): Promise<WaitCheck<SnapshotInfo>> {
  // Snapshots share the table: their statuses are a subset of the instances' (creating,
  // available, copying, failed, deleting).
  return checkAvailable(describe);
}

/** What a settled wait reads of a described instance or cluster. */
interface SettleState {
  status: string;
  pendingModifications?: string[] | undefined;
  parameterApplyStatus?: string | undefined;
  securityGroupsActive?: boolean | undefined;
}

/**
 * Until the resource is ready and has applied its changes (API reference ModifyDBInstance: the
 * changes show in PendingModifiedValues until applied; a new parameter group applies only after a
 * reboot). A `pending-reboot` parameter group ends the wait with `needsReboot`: waiting cannot
 * change it, a reboot (the workflow's own step) does. `failed-to-apply` fails the wait.
 */
export async function checkSettled<T extends SettleState>(describe: () => Promise<T | undefined>): Promise<WaitCheck<Settled<T>>> {
  const info = await describe();
  if (!info) return { state: 'retry', status: 'not found' };
  if (isTerminal(info.status)) return { state: 'failure', status: info.status };
  if (!isReady(info.status)) return { state: 'retry', status: info.status };
  const params = info.parameterApplyStatus;
  if (params === 'pending-reboot')
    return { state: 'success', value: { ...info, needsReboot: true }, status: `${info.status}, parameters pending-reboot` };
  if (params === 'failed-to-apply') return { state: 'failure', status: `${info.status}, parameters failed-to-apply` };
  const waiting = [
    ...(info.pendingModifications?.length ? [`pending ${info.pendingModifications.join(', ')}`] : []),
    ...(params !== undefined && params !== 'in-sync' ? [`parameters ${params}`] : []),
    ...(info.securityGroupsActive === false ? ['security groups not active yet'] : []),
  ];
  if (waiting.length > 0) return { state: 'retry', status: `${info.status}, ${waiting.join('; ')}` };
  return { state: 'success', value: { ...info, needsReboot: false }, status: info.status };
}
