/**
 * The predecessor (intuit/Trapheus `db_restore`), modelled side by side with trapheus on the same
 * simulated RDS: rename first, no swap, its fixed 40 s polls and its Step Functions retries
 * (predecessor-steps.ts). It is its own small loop of the calls its Lambdas make, in their order,
 * over an RDSClient with the simulated RDS behind it — not trapheus configured to look like it.
 *
 * One deviation, stated in the README: its cluster restore Lambda sends CreateDBInstance for each
 * member right after RestoreDBClusterFromSnapshot; the simulated RDS refuses that while the new
 * cluster is not `available` (test/sim/sim-instances.ts, createMember), so here the members are
 * created the moment the cluster becomes available (seen by a direct look at the simulated store,
 * every second, not counted as a call) — the predecessor is not charged a poll for it.
 */
import {
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { simulatedRdsClient } from '../test/sim/install-simulated-rds.js';
import type { SimWorld } from '../test/sim/sim-world.js';
import type { KindName } from './bench-scenarios.js';
import {
  ACTION_RETRY,
  actionError,
  DELETE_STATUS_RETRY,
  LambdaClock,
  PipelineFailed,
  sfnTask,
  sleepSeconds,
  STATUS_RETRY,
  waitCluster,
  waitClusterMembers,
  waitInstance,
} from './predecessor-steps.js';
import { TARGET, type Driver, type DriverResult } from './run-measure.js';

const TEMP = '-temp';
const original = (renamed: string): string => (renamed.endsWith(TEMP) ? renamed.slice(0, -TEMP.length) : renamed);

/** An action Lambda: its calls, with any error sorted as the predecessor sorts it. */
async function action<T>(what: string, calls: () => Promise<T>): Promise<T> {
  try {
    return await calls();
  } catch (error) {
    throw actionError(what, error);
  }
}

/** Instance pipeline: DbInstanceRename → status → RestoreDbInstanceFromSnapshot → status → DeleteOriginalDbInstance → status. */
async function restoreInstance(client: RDSClient, id: string, snapshot: string): Promise<void> {
  const temp = `${id}${TEMP}`;
  await sfnTask(
    'DbInstanceRename',
    () =>
      action('rename', () =>
        client.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, NewDBInstanceIdentifier: temp, ApplyImmediately: true })),
      ),
    ACTION_RETRY,
  );
  await sfnTask('GetDbInstanceStatusPostRename', () => waitInstance(client, new LambdaClock(), temp, 'available'), STATUS_RETRY);
  await sfnTask(
    'RestoreDbInstanceFromSnapshot',
    () =>
      action('restore', async () => {
        const old = (await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: temp }))).DBInstances?.[0];
        await client.send(
          new RestoreDBInstanceFromDBSnapshotCommand({
            DBInstanceIdentifier: id,
            DBSnapshotIdentifier: snapshot,
            DBSubnetGroupName: old?.DBSubnetGroup?.DBSubnetGroupName,
            VpcSecurityGroupIds: old?.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId ?? ''),
          }),
        );
      }),
    ACTION_RETRY,
  );
  await sfnTask('GetDbInstanceStatusPostRestore', () => waitInstance(client, new LambdaClock(), id, 'available'), STATUS_RETRY);
  await sfnTask(
    'DeleteOriginalDbInstance',
    () => action('delete', () => client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: temp, SkipFinalSnapshot: true }))),
    ACTION_RETRY,
  );
  await sfnTask('GetDbInstanceStatusPostDelete', () => waitInstance(client, new LambdaClock(), temp, 'deleted'), DELETE_STATUS_RETRY);
}

/** The deviation (see the module comment): members are created once the simulated cluster accepts them. */
async function createMembersWhenAccepted(world: SimWorld, client: RDSClient, temp: string, id: string): Promise<void> {
  while (world.sim.cluster(id)?.Status !== 'available') await sleepSeconds(1);
  const old = (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: temp }))).DBClusters?.[0];
  for (const member of old?.DBClusterMembers ?? []) {
    const name = member.DBInstanceIdentifier ?? '';
    const instance = (await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: name }))).DBInstances?.[0];
    await client.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: original(name),
        DBInstanceClass: instance?.DBInstanceClass,
        Engine: old?.Engine,
        DBClusterIdentifier: id,
      }),
    );
  }
}

/** Cluster pipeline: ClusterRename (members, then cluster) → status → RestoreClusterFromSnapshot → status → DeleteOriginalCluster → status. */
async function restoreCluster(world: SimWorld, client: RDSClient, id: string, snapshot: string): Promise<void> {
  const temp = `${id}${TEMP}`;
  await sfnTask(
    'ClusterRename',
    () =>
      action('rename', async () => {
        const cluster = (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];
        for (const member of cluster?.DBClusterMembers ?? []) {
          const name = member.DBInstanceIdentifier ?? '';
          await client.send(
            new ModifyDBInstanceCommand({ DBInstanceIdentifier: name, NewDBInstanceIdentifier: `${name}${TEMP}`, ApplyImmediately: true }),
          );
        }
        await client.send(new ModifyDBClusterCommand({ DBClusterIdentifier: id, NewDBClusterIdentifier: temp, ApplyImmediately: true }));
      }),
    ACTION_RETRY,
  );
  await sfnTask(
    'GetClusterStatusPostRename',
    async () => {
      const clock = new LambdaClock();
      await waitCluster(client, clock, temp, 'available');
      await waitClusterMembers(client, clock, temp);
    },
    STATUS_RETRY,
  );
  let members: Promise<void> = Promise.resolve();
  await sfnTask(
    'RestoreClusterFromSnapshot',
    () =>
      action('restore', async () => {
        const old = (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: temp }))).DBClusters?.[0];
        await client.send(
          new RestoreDBClusterFromSnapshotCommand({
            DBClusterIdentifier: id,
            SnapshotIdentifier: snapshot,
            Engine: old?.Engine,
            EngineVersion: old?.EngineVersion,
            DBSubnetGroupName: old?.DBSubnetGroup,
            Port: old?.Port,
            DatabaseName: old?.DatabaseName,
            VpcSecurityGroupIds: old?.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId ?? ''),
          }),
        );
        members = createMembersWhenAccepted(world, client, temp, id).catch((error: unknown) => {
          throw actionError('create members', error);
        });
        members.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
      }),
    ACTION_RETRY,
  );
  await sfnTask(
    'GetClusterStatusPostRestore',
    async () => {
      const clock = new LambdaClock();
      await waitCluster(client, clock, id, 'available');
      await members; // in the predecessor they exist before this Lambda starts
      await waitClusterMembers(client, clock, id);
    },
    STATUS_RETRY,
  );
  await sfnTask(
    'DeleteOriginalCluster',
    () =>
      action('delete', async () => {
        const old = (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: temp }))).DBClusters?.[0];
        for (const member of old?.DBClusterMembers ?? [])
          await client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: member.DBInstanceIdentifier, SkipFinalSnapshot: true }));
        await client.send(new DeleteDBClusterCommand({ DBClusterIdentifier: temp, SkipFinalSnapshot: true }));
      }),
    ACTION_RETRY,
  );
  await sfnTask('GetClusterStatusPostDelete', () => waitCluster(client, new LambdaClock(), temp, 'deleted'), DELETE_STATUS_RETRY);
}

export const predecessorDriver: Driver = async (world: SimWorld, kind: KindName): Promise<DriverResult> => {
  const { identifier, snapshot } = TARGET[kind];
  // Its own client over the same simulated RDS: the predecessor had no request budget (trapheus's is on world.client).
  const client = simulatedRdsClient(world.sim);
  try {
    if (kind === 'instance') await restoreInstance(client, identifier, snapshot);
    else await restoreCluster(world, client, identifier, snapshot);
    return { outcome: 'succeeded' };
  } catch (error) {
    if (error instanceof PipelineFailed) return { outcome: `failed: ${error.message}` };
    throw error;
  }
};
