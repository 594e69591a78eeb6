/**
 * The predecessor's moving parts (intuit/Trapheus, see /work/shared/BASELINE.md), as small as
 * they can be while keeping its timing: a Step Functions Task with its Retry rules around one
 * Lambda, and its status Lambdas — a boto3 waiter polling every 40 s for as many attempts as the
 * Lambda's 15 minutes allow, whose errors are sorted by `utility.eval_exception`. Sleeps use the
 * global `setTimeout`, so under the bench's fake timers they pass in virtual time.
 */
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, type RDSClient } from '@aws-sdk/client-rds';
import { PREDECESSOR } from './bench-scenarios.js';

export const sleepSeconds = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** Step Functions retries a Task on it: the resource is not found yet (InstanceUnavailableException). */
export class InstanceUnavailable extends Error {}
/** Step Functions retries a Task on it: throttled, or the waiter's attempts ran out (RateExceededException). */
export class RateExceeded extends Error {}
/** The pipeline ends in SendFailureAlert: a waiter hit a failure state (TASK_FAILED), or a Task failed for good. */
export class PipelineFailed extends Error {}

const errorName = (error: unknown): string => (error instanceof Error ? error.name : String(error));
const isNotFound = (error: unknown): boolean => /NotFound/.test(errorName(error));
const isThrottled = (error: unknown): boolean => /Throttl/.test(errorName(error)) || /Rate exceeded/.test(String(error));

/** Sorts an action Lambda's error as the predecessor does: throttling is retried, anything else fails the pipeline. */
export function actionError(what: string, error: unknown): Error {
  return isThrottled(error) ? new RateExceeded(`${what}: ${errorName(error)}`) : new PipelineFailed(`${what}: ${errorName(error)}`);
}

/** utility.eval_exception in a status Lambda: not found (yet) → InstanceUnavailableException; throttled → RateExceededException. */
function statusError(what: string, error: unknown): Error {
  return isNotFound(error) ? new InstanceUnavailable(`${what}: ${errorName(error)}`) : actionError(what, error);
}

interface Retrier {
  on: new (message: string) => Error;
  intervalSeconds: number;
  maxAttempts: number;
  backoffRate: number;
}

/** A Task state: runs `lambda`, retrying the errors its Retry rules name (each rule counts its own attempts). */
export async function sfnTask<T>(name: string, lambda: () => Promise<T>, retriers: Retrier[]): Promise<T> {
  const attempts = retriers.map(() => 0);
  for (;;) {
    if (PREDECESSOR.hopSeconds > 0) await sleepSeconds(PREDECESSOR.hopSeconds);
    try {
      return await lambda();
    } catch (error) {
      const i = retriers.findIndex((r) => error instanceof r.on);
      const retrier = retriers[i];
      const done = attempts[i] ?? 0;
      if (!retrier || done >= retrier.maxAttempts) throw new PipelineFailed(`${name}: ${String(error)}`);
      await sleepSeconds(retrier.intervalSeconds * retrier.backoffRate ** done);
      attempts[i] = done + 1;
    }
  }
}

/** The Retry rules of an action Task (rename, restore, delete): RateExceededException only. */
export const ACTION_RETRY: Retrier[] = [{ on: RateExceeded, ...PREDECESSOR.exhaustedRetry }];
/** The Retry rules of a status Task after a rename or restore: not found yet, and throttled or timed out. */
export const STATUS_RETRY: Retrier[] = [
  { on: InstanceUnavailable, ...PREDECESSOR.notFoundRetry },
  { on: RateExceeded, ...PREDECESSOR.exhaustedRetry },
];
/** The Retry rules of a status Task after a delete. */
export const DELETE_STATUS_RETRY: Retrier[] = ACTION_RETRY;

/** One Lambda's clock: utility.get_waiter_max_attempts gives each waiter floor(|remaining − 40| / 40) attempts. */
export class LambdaClock {
  private readonly startedAt = Date.now();

  maxAttempts(): number {
    const remaining = PREDECESSOR.lambdaTimeoutSeconds - (Date.now() - this.startedAt) / 1000;
    return Math.floor(Math.abs(remaining - PREDECESSOR.pollSeconds) / PREDECESSOR.pollSeconds);
  }
}

type Look = 'success' | 'retry' | 'failure';

/** A boto3 waiter: looks at once, then every 40 s; an error its acceptors do not name ends it (thrown). */
async function botoWaiter(what: string, look: () => Promise<Look>, maxAttempts: number): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    let seen: Look;
    try {
      seen = await look();
    } catch (error) {
      throw statusError(what, error);
    }
    if (seen === 'success') return;
    if (seen === 'failure') throw new PipelineFailed(`${what}: waiter reached a failure state`);
    if (attempt >= maxAttempts) throw new RateExceeded(`${what}: Max attempts exceeded`);
    await sleepSeconds(PREDECESSOR.pollSeconds);
  }
}

// botocore's rds waiters-2.json, DBInstanceAvailable and DBInstanceDeleted.
const INSTANCE_AVAILABLE_FAILURES = ['deleted', 'deleting', 'failed', 'incompatible-restore', 'incompatible-parameters'];
const INSTANCE_DELETED_FAILURES = ['creating', 'modifying', 'rebooting', 'resetting-master-credentials'];
// checkstatus/waiter_acceptor_config.py.
const CLUSTER_AVAILABLE_FAILURES = ['deleted', 'deleting', 'failed', 'inaccessible-encryption-credentials', 'stopped'];
const CLUSTER_DELETED_FAILURES = ['creating', 'modifying', 'rebooting', 'resetting-master-credentials'];

const judge = (statuses: string[], failures: string[]): Look =>
  statuses.length > 0 && statuses.every((s) => s === 'available')
    ? 'success'
    : statuses.some((s) => failures.includes(s))
      ? 'failure'
      : 'retry';

/** `db_instance_available` / `db_instance_deleted` on one instance, within one Lambda. */
export async function waitInstance(
  client: RDSClient,
  clock: LambdaClock,
  identifier: string,
  until: 'available' | 'deleted',
): Promise<void> {
  await botoWaiter(
    `${identifier} ${until}`,
    async () => {
      try {
        const found = (await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }))).DBInstances ?? [];
        const statuses = found.map((d) => d.DBInstanceStatus ?? '');
        if (until === 'available') return judge(statuses, INSTANCE_AVAILABLE_FAILURES);
        return found.length === 0 ? 'success' : statuses.some((s) => INSTANCE_DELETED_FAILURES.includes(s)) ? 'failure' : 'retry';
      } catch (error) {
        if (until === 'deleted' && isNotFound(error)) return 'success';
        throw error;
      }
    },
    clock.maxAttempts(),
  );
}

/** DBClusterStatusWaiter: DB_CLUSTER_AVAILABLE / DB_CLUSTER_DELETED on one cluster, within one Lambda. */
export async function waitCluster(
  client: RDSClient,
  clock: LambdaClock,
  identifier: string,
  until: 'available' | 'deleted',
): Promise<void> {
  await botoWaiter(
    `${identifier} ${until}`,
    async () => {
      try {
        const found = (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }))).DBClusters ?? [];
        const statuses = found.map((c) => c.Status ?? '');
        if (until === 'available') return judge(statuses, CLUSTER_AVAILABLE_FAILURES);
        return found.length === 0 ? 'success' : statuses.some((s) => CLUSTER_DELETED_FAILURES.includes(s)) ? 'failure' : 'retry';
      } catch (error) {
        // Its acceptor names "DBClusterNotFound", the SDK says DBClusterNotFoundFault; eval_exception then reports TASK_COMPLETE for a delete.
        if (until === 'deleted' && isNotFound(error)) return 'success';
        throw error;
      }
    },
    clock.maxAttempts(),
  );
}

/** get_dbcluster_status_function.eval_cluster_member_status: each member of the cluster, one after another. */
export async function waitClusterMembers(client: RDSClient, clock: LambdaClock, identifier: string): Promise<void> {
  let cluster;
  try {
    cluster = (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }))).DBClusters?.[0];
  } catch (error) {
    throw statusError(`${identifier} members`, error);
  }
  for (const member of cluster?.DBClusterMembers ?? []) {
    if (member.DBInstanceIdentifier) await waitInstance(client, clock, member.DBInstanceIdentifier, 'available');
  }
}
