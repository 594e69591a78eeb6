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

/** Described resources by lower-cased name (RDS compares identifiers without case). */
type ByName<T> = (name: string) => T | undefined;

function byName<T extends { identifier: string }>(found: readonly T[]): ByName<T> {
  const map = new Map(found.map((r) => [r.identifier.toLowerCase(), r]));
  return (name) => map.get(name.toLowerCase());
}

/**
 * Until every old name is gone and every new one is ready (real RDS keeps the old name a
 * moment, then shows the new one as renaming/rebooting). `describe` looks at all the names in
 * one request (DescribeDB*s with a Filter on both identifiers of every rename).
 */
export async function checkAllRenamed<T extends { identifier: string; status: string }>(
  renames: readonly { from: string; to: string }[],
  describe: (ids: string[]) => Promise<T[]>,
): Promise<WaitCheck<T[]>> {
  const at = byName(await describe(renames.flatMap((r) => [r.from, r.to])));
  const done: T[] = [];
  const statuses: string[] = [];
  let failed = false;
  for (const { from, to } of renames) {
    const old = at(from);
    const renamed = at(to);
    statuses.push(`${from}: ${old ? old.status : 'gone'}, ${to}: ${renamed ? renamed.status : 'not found'}`);
    if (!old && renamed && isReady(renamed.status)) done.push(renamed);
    else if (renamed && isTerminal(renamed.status)) failed = true;
  }
  const status = done.length === renames.length && renames.length === 1 ? (done[0]?.status ?? '') : statuses.join('; ');
  if (failed) return { state: 'failure', status };
  return done.length === renames.length ? { state: 'success', value: done, status } : { state: 'retry', status };
}

/** One rename: `checkAllRenamed` of one. */
export async function checkRenamed<T extends { identifier: string; status: string }>(
  from: string,
  to: string,
  describe: (ids: string[]) => Promise<T[]>,
): Promise<WaitCheck<T>> {
  const check = await checkAllRenamed([{ from, to }], describe);
  return check.state === 'success' ? { ...check, value: check.value[0] as T } : check;
}

/**
 * Until the cluster is ready with `writer` as its writer: a failover is asynchronous (the cluster
 * reads `failing-over`, then `available` with the roles switched — Aurora UG, "Failing over an
 * Amazon Aurora DB cluster"), and may still read `available` with the old writer a moment after
 * FailoverDBCluster answered. A terminal cluster status fails the wait.
 */
export async function checkWriter<
  T extends { identifier: string; status: string; members: { instanceIdentifier: string; isWriter: boolean }[] },
>(identifier: string, writer: string, describe: (ids: string[]) => Promise<T[]>): Promise<WaitCheck<T>> {
  const cluster = byName(await describe([identifier]))(identifier);
  if (!cluster) return { state: 'retry', status: 'not found' };
  const current = cluster.members.find((m) => m.isWriter)?.instanceIdentifier;
  const status = `${cluster.status}, writer ${current ?? 'none'}`;
  if (isTerminal(cluster.status)) return { state: 'failure', status };
  const done = isReady(cluster.status) && current?.toLowerCase() === writer.toLowerCase();
  return done ? { state: 'success', value: cluster, status } : { state: 'retry', status };
}

/** Until every one of `ids` is ready (one request for all); a terminal status fails the wait. */
export async function checkAllAvailable<T extends { identifier: string; status: string }>(
  ids: readonly string[],
  describe: (ids: string[]) => Promise<T[]>,
): Promise<WaitCheck<T[]>> {
  const at = byName(await describe([...ids]));
  const seen = ids.map((id) => at(id));
  const status = ids.map((id, i) => `${id}: ${seen[i]?.status ?? 'not found'}`).join('; ');
  if (seen.some((r) => r && isTerminal(r.status))) return { state: 'failure', status };
  const ready = seen.filter((r): r is T => r !== undefined && isReady(r.status));
  return ready.length === ids.length ? { state: 'success', value: ready, status } : { state: 'retry', status };
}

/**
 * Until no resource holds the names (`all`), or at least one of them (`any`): resolves with the
 * free ones. A name is held while a rename away from it is pending (RDS keeps it a moment).
 */
export async function checkNamesFree(
  ids: readonly string[],
  which: 'any' | 'all',
  describe: (ids: string[]) => Promise<{ identifier: string; status: string }[]>,
): Promise<WaitCheck<string[]>> {
  const at = byName(await describe([...ids]));
  const free = ids.filter((id) => !at(id));
  const status = ids.map((id) => `${id}: ${at(id)?.status ?? 'free'}`).join('; ');
  const done = which === 'all' ? free.length === ids.length : free.length > 0;
  return done ? { state: 'success', value: free, status } : { state: 'retry', status };
}

/** Until a snapshot is available; `failed`, `deleting`, `deleted` fail the wait at once. */
export async function checkSnapshotAvailable(describe: () => Promise<SnapshotInfo | undefined>): Promise<WaitCheck<SnapshotInfo>> {
  // Snapshots share the table: their statuses are a subset of the instances' (creating,
  // available, copying, failed, deleting).
  let percent: number | undefined;
  const check = await checkAvailable(async () => {
    const info = await describe();
    percent = info?.percentProgress;
    return info;
  });
  // DescribeDBSnapshots and DescribeDBClusterSnapshots report PercentProgress (botocore rds
  // service-2.json, DBSnapshot and DBClusterSnapshot, Integer): how far the snapshot has come.
  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBSnapshot.html
  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBClusterSnapshot.html
  return percent === undefined ? check : { ...check, percent };
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
