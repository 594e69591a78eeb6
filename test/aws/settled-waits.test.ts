import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RebootDBInstanceCommand } from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { WaiterFailureError, WaiterTimeoutError } from '../../src/core/errors.js';
import { cluster, gateway, instance, rds, sent } from './rds-mock.js';

beforeEach(() => rds.reset());

describe('what is still to apply, as described', () => {
  it('names the pending values of an instance, leaving out empty members and a pending rename', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        instance({
          PendingModifiedValues: {
            DBInstanceClass: 'db.r6g.xlarge',
            DBInstanceIdentifier: 'db1-new',
            MultiAZ: false,
            PendingCloudwatchLogsExports: { LogTypesToEnable: [] },
            ProcessorFeatures: [],
          },
          DBParameterGroups: [
            { DBParameterGroupName: 'a', ParameterApplyStatus: 'in-sync' },
            { DBParameterGroupName: 'b', ParameterApplyStatus: 'pending-reboot' },
          ],
          VpcSecurityGroups: [
            { VpcSecurityGroupId: 'sg-1', Status: 'active' },
            { VpcSecurityGroupId: 'sg-2', Status: 'adding' },
          ],
        }),
      ],
    });
    expect(await gateway().describeInstance('db1')).toMatchObject({
      pendingIdentifier: 'db1-new',
      pendingModifications: ['DBInstanceClass', 'MultiAZ'],
      parameterApplyStatus: 'pending-reboot',
      securityGroupsActive: false,
    });
  });

  it("reads a cluster's parameter status from its members", async () => {
    rds.on(DescribeDBClustersCommand).resolves({
      DBClusters: [
        cluster({
          PendingModifiedValues: { BackupRetentionPeriod: 7 },
          DBClusterMembers: [
            { DBInstanceIdentifier: 'c1-a', IsClusterWriter: true, DBClusterParameterGroupStatus: 'in-sync' },
            { DBInstanceIdentifier: 'c1-b', IsClusterWriter: false, DBClusterParameterGroupStatus: 'pending-reboot' },
          ],
        }),
      ],
    });
    const info = await gateway().describeCluster('c1');
    expect(info).toMatchObject({
      pendingModifications: ['BackupRetentionPeriod'],
      parameterApplyStatus: 'pending-reboot',
      securityGroupsActive: true,
    });
    expect(info?.members.map((m) => m.parameterApplyStatus)).toEqual(['in-sync', 'pending-reboot']);
  });
});

describe('waitInstanceSettled / waitClusterSettled', () => {
  it('waits past "available" until nothing is pending, parameters are in-sync and security groups active', async () => {
    const statuses: string[] = [];
    rds
      .on(DescribeDBInstancesCommand)
      // ModifyDBInstance is asynchronous: available for a moment, then modifying, then the rest settles.
      .resolvesOnce({ DBInstances: [instance({ PendingModifiedValues: { AllocatedStorage: 200 } })] })
      .resolvesOnce({ DBInstances: [instance({ DBInstanceStatus: 'modifying' })] })
      .resolvesOnce({
        DBInstances: [
          instance({
            DBParameterGroups: [{ DBParameterGroupName: 'p', ParameterApplyStatus: 'applying' }],
            VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-2', Status: 'adding' }],
          }),
        ],
      })
      .resolves({ DBInstances: [instance({ PendingModifiedValues: { DBInstanceIdentifier: 'elsewhere' } })] });
    const settled = await gateway().waitInstanceSettled('db1', { onStatus: (s) => statuses.push(s) });
    expect(settled).toMatchObject({ identifier: 'db1', needsReboot: false });
    expect(statuses).toEqual([
      'available, pending AllocatedStorage',
      'modifying',
      'available, parameters applying; security groups not active yet',
      'available',
    ]);
  });

  it('resolves with needsReboot at once when a parameter group waits for a reboot, and reboots on request', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [instance({ DBParameterGroups: [{ DBParameterGroupName: 'p', ParameterApplyStatus: 'pending-reboot' }] })],
    });
    rds.on(RebootDBInstanceCommand).resolves({});
    const settled = await gateway().waitInstanceSettled('db1');
    expect(settled.needsReboot).toBe(true);
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(1);
    await gateway().rebootInstance('db1');
    expect(sent(rds.commandCalls(RebootDBInstanceCommand)[0]!.args[0].input)).toEqual({ DBInstanceIdentifier: 'db1' });
  });

  it('fails on a parameter group that failed to apply, and on a terminal status', async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .resolvesOnce({
        DBInstances: [instance({ DBParameterGroups: [{ DBParameterGroupName: 'p', ParameterApplyStatus: 'failed-to-apply' }] })],
      })
      .resolves({ DBInstances: [instance({ DBInstanceStatus: 'incompatible-parameters' })] });
    await expect(gateway().waitInstanceSettled('db1')).rejects.toBeInstanceOf(WaiterFailureError);
    await expect(gateway().waitInstanceSettled('db1')).rejects.toBeInstanceOf(WaiterFailureError);
  });

  it('times out naming what is still pending', async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .resolves({ DBInstances: [instance({ PendingModifiedValues: { DBInstanceClass: 'db.r6g.xlarge' } })] });
    const error = await gateway({ maxWaitSeconds: 0.05 })
      .waitInstanceSettled('db1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaiterTimeoutError);
    expect((error as Error).message).toContain('pending DBInstanceClass');
  });

  it('settles a cluster once its members are in-sync, or reports the reboot its members need', async () => {
    const members = (status: string) => [{ DBInstanceIdentifier: 'c1-a', IsClusterWriter: true, DBClusterParameterGroupStatus: status }];
    rds
      .on(DescribeDBClustersCommand)
      .resolvesOnce({ DBClusters: [cluster({ PendingModifiedValues: { IAMDatabaseAuthenticationEnabled: true } })] })
      .resolvesOnce({ DBClusters: [cluster({ DBClusterMembers: members('applying') })] })
      .resolvesOnce({ DBClusters: [cluster({ Status: 'storage-optimization' })] })
      .resolves({ DBClusters: [cluster({ DBClusterMembers: members('pending-reboot') })] });
    expect(await gateway().waitClusterSettled('c1')).toMatchObject({ status: 'storage-optimization', needsReboot: false });
    expect(await gateway().waitClusterSettled('c1')).toMatchObject({
      needsReboot: true,
      members: [{ instanceIdentifier: 'c1-a', parameterApplyStatus: 'pending-reboot' }],
    });
    expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(4);
  });
});
