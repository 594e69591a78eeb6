import {
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
} from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { WaiterFailureError } from '../../src/core/errors.js';
import { cluster, gateway, instance, rds } from './rds-mock.js';

beforeEach(() => rds.reset());

// User guide, "Viewing Amazon RDS DB instance status"; Aurora user guide, "Viewing DB cluster status".
const instanceTerminal = [
  'restore-error',
  'insufficient-capacity',
  'stopped',
  'storage-full',
  'inaccessible-encryption-credentials-recoverable',
  'incompatible-parameters',
  'failed',
];

describe('wait statuses come from the one table (core/rds-status.ts)', () => {
  it.each(instanceTerminal)('an instance in %s fails the wait at the first look', async (status) => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ DBInstanceStatus: status })] });
    const error = await gateway()
      .waitInstanceAvailable('db1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaiterFailureError);
    expect((error as Error).message).toContain(status);
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(1);
  });

  it.each([...instanceTerminal, 'migration-failed', 'cloning-failed'])(
    'a cluster in %s fails the wait at the first look',
    async (status) => {
      rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster({ Status: status })] });
      await expect(gateway().waitClusterAvailable('c1')).rejects.toBeInstanceOf(WaiterFailureError);
      expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(1);
    },
  );

  it('ends a wait for availability on storage-optimization: the instance is fully operational', async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [instance({ DBInstanceStatus: 'modifying' })] })
      .resolves({ DBInstances: [instance({ DBInstanceStatus: 'storage-optimization' })] });
    expect((await gateway().waitInstanceAvailable('db1')).status).toBe('storage-optimization');
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster({ Status: 'storage-optimization' })] });
    expect((await gateway().waitClusterAvailable('c1')).status).toBe('storage-optimization');
  });

  it('ends a rename wait on storage-optimization under the new name', async () => {
    rds.on(DescribeDBInstancesCommand).callsFake((input: { DBInstanceIdentifier: string }) => {
      if (input.DBInstanceIdentifier === 'db1') throw Object.assign(new Error('gone'), { name: 'DBInstanceNotFoundFault' });
      return { DBInstances: [instance({ DBInstanceIdentifier: 'db1-old', DBInstanceStatus: 'storage-optimization' })] };
    });
    expect((await gateway().waitInstanceRenamed('db1', 'db1-old')).identifier).toBe('db1-old');
  });

  it('fails a snapshot wait at once on failed, through the same table', async () => {
    rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [{ DBSnapshotIdentifier: 's1', Status: 'failed', TagList: [] }] });
    await expect(gateway().waitSnapshotAvailable('s1')).rejects.toBeInstanceOf(WaiterFailureError);
    rds
      .on(DescribeDBClusterSnapshotsCommand)
      .resolvesOnce({ DBClusterSnapshots: [{ DBClusterSnapshotIdentifier: 's2', Status: 'creating', TagList: [] }] })
      .resolves({ DBClusterSnapshots: [{ DBClusterSnapshotIdentifier: 's2', Status: 'available', TagList: [] }] });
    expect((await gateway().waitClusterSnapshotAvailable('s2')).status).toBe('available');
  });
});
