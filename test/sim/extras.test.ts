import {
  AddRoleToDBInstanceCommand,
  DisableHttpEndpointCommand,
  EnableHttpEndpointCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectRdsError, simKit, type SimKit } from './sim-kit.js';
import { vitestTimers } from './virtual-time.js';

let kit: SimKit;
beforeEach(() => {
  kit = simKit(vitestTimers(vi));
  kit.sim.seedInstance({ DBInstanceIdentifier: 'db1' });
  kit.sim.seedSnapshot({ DBSnapshotIdentifier: 's1', DBInstanceIdentifier: 'db1' });
  kit.sim.seedCluster({ DBClusterIdentifier: 'c1' });
  kit.sim.seedClusterSnapshot({ DBClusterSnapshotIdentifier: 'cs1', DBClusterIdentifier: 'c1' });
});
afterEach(() => kit.stop());

const ROLE = 'arn:aws:iam::123456789012:role/s3-import';

describe('settings set by calls of their own, and the settings beyond the core', () => {
  it('AddRoleToDBInstance: the instance must be available; the same role twice is DBInstanceRoleAlreadyExists', async () => {
    const add = () =>
      kit.client.send(new AddRoleToDBInstanceCommand({ DBInstanceIdentifier: 'db1', RoleArn: ROLE, FeatureName: 's3Import' }));
    kit.sim.setStatus('instance', 'db1', 'modifying');
    expectRdsError(await kit.failure(add()), 'InvalidDBInstanceState', { name: 'InvalidDBInstanceStateFault' });
    kit.sim.setStatus('instance', 'db1', 'available');
    await kit.run(add());
    expect(kit.sim.instance('db1')?.AssociatedRoles).toEqual([{ RoleArn: ROLE, FeatureName: 's3Import', Status: 'PENDING' }]);
    expectRdsError(await kit.failure(add()), 'DBInstanceRoleAlreadyExists', { name: 'DBInstanceRoleAlreadyExistsFault' });
  });

  it('the Data API of a cluster: on and off by ARN; an unknown ARN is ResourceNotFoundFault', async () => {
    const arn = kit.sim.cluster('c1')?.DBClusterArn;
    expect((await kit.run(kit.client.send(new EnableHttpEndpointCommand({ ResourceArn: arn })))).HttpEndpointEnabled).toBe(true);
    expect(kit.sim.cluster('c1')?.HttpEndpointEnabled).toBe(true);
    await kit.run(kit.client.send(new DisableHttpEndpointCommand({ ResourceArn: arn })));
    expect(kit.sim.cluster('c1')?.HttpEndpointEnabled).toBe(false);
    expectRdsError(
      await kit.failure(kit.client.send(new EnableHttpEndpointCommand({ ResourceArn: `${arn ?? ''}x` }))),
      'ResourceNotFoundFault',
      { status: 404 },
    );
  });

  it('a restore enrols the copy in Extended Support unless told otherwise (MySQL and PostgreSQL only)', async () => {
    const restore = (extra: object) =>
      kit.client.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'db2', DBSnapshotIdentifier: 's1', ...extra }));
    expect((await kit.run(restore({}))).DBInstance?.EngineLifecycleSupport).toBe('open-source-rds-extended-support');
    kit.sim.seedInstance({ DBInstanceIdentifier: 'ora', Engine: 'oracle-ee', AllocatedStorage: 100 });
    kit.sim.seedSnapshot({ DBSnapshotIdentifier: 'ora-s', DBInstanceIdentifier: 'ora' });
    const lifecycle = { EngineLifecycleSupport: 'open-source-rds-extended-support-disabled' };
    expectRdsError(
      await kit.failure(restore({ DBInstanceIdentifier: 'db3', DBSnapshotIdentifier: 'ora-s', ...lifecycle })),
      'InvalidParameterCombination',
    );
    const out = await kit.run(
      restore({ DBInstanceIdentifier: 'db4', ...lifecycle, NetworkType: 'DUAL', Domain: 'd-123', DomainIAMRoleName: 'rds-ad' }),
    );
    expect(out.DBInstance).toMatchObject({
      ...lifecycle,
      NetworkType: 'DUAL',
      DomainMemberships: [{ Domain: 'd-123', IAMRoleName: 'rds-ad', Status: 'joined' }],
    });
  });

  it('a cluster restore takes its IAM roles and scaling', async () => {
    const input = {
      DBClusterIdentifier: 'c2',
      SnapshotIdentifier: 'cs1',
      Engine: 'aurora-postgresql',
      AssociatedRoles: [{ RoleArn: ROLE, FeatureName: 's3Import' }],
      ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 8, SecondsUntilAutoPause: 600 },
    };
    const out = await kit.run(kit.client.send(new RestoreDBClusterFromSnapshotCommand(input)));
    expect(out.DBCluster?.AssociatedRoles).toEqual([{ RoleArn: ROLE, FeatureName: 's3Import', Status: 'ACTIVE' }]);
    expect(out.DBCluster?.ServerlessV2ScalingConfiguration).toEqual({ MinCapacity: 0, MaxCapacity: 8, SecondsUntilAutoPause: 600 });
  });
});
