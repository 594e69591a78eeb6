import {
  AddTagsToResourceCommand,
  CreateDBSnapshotCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBInstanceCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectRdsError, simKit, type SimKit } from './sim-kit.js';
import { vitestTimers } from './virtual-time.js';

// Every request goes through a real RDSClient to the simulated RDS: the refusals below are
// what the SDK raises from RDS's error document.
let kit: SimKit;
beforeEach(() => {
  kit = simKit(vitestTimers(vi));
  kit.sim.seedInstance({
    DBInstanceIdentifier: 'db1',
    DBParameterGroups: [{ DBParameterGroupName: 'custom-pg', ParameterApplyStatus: 'in-sync' }],
  });
  kit.sim.seedSnapshot({ DBSnapshotIdentifier: 's1', DBInstanceIdentifier: 'db1' });
});
afterEach(() => kit.stop());

const restore = (input: Partial<ConstructorParameters<typeof RestoreDBInstanceFromDBSnapshotCommand>[0]> = {}) =>
  kit.client.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'db2', DBSnapshotIdentifier: 's1', ...input }));
const modify = (input: Partial<ConstructorParameters<typeof ModifyDBInstanceCommand>[0]>) =>
  kit.client.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'db1', ApplyImmediately: true, ...input }));

describe('identifiers and names', () => {
  it.each(['1db', 'db--2', 'db-', 'db_2', 'a'.repeat(64)])('refuses the identifier %s', async (id) => {
    expectRdsError(await kit.failure(restore({ DBInstanceIdentifier: id })), 'InvalidParameterValue');
  });

  it('accepts a valid identifier, stored in lower case', async () => {
    const out = await kit.run(restore({ DBInstanceIdentifier: 'My-DB-2' }));
    expect(out.DBInstance?.DBInstanceIdentifier).toBe('my-db-2');
    expect(out.DBInstance?.DBInstanceStatus).toBe('creating');
  });

  it('refuses a restore, or a rename, onto a name in use — including one a rename is about to take', async () => {
    expectRdsError(await kit.failure(restore({ DBInstanceIdentifier: 'db1' })), 'DBInstanceAlreadyExists', {
      name: 'DBInstanceAlreadyExistsFault',
    });
    kit.sim.seedInstance({ DBInstanceIdentifier: 'db3' });
    expectRdsError(await kit.failure(modify({ NewDBInstanceIdentifier: 'db3' })), 'DBInstanceAlreadyExists', {
      name: 'DBInstanceAlreadyExistsFault',
    });
    await kit.run(modify({ NewDBInstanceIdentifier: 'db1-old' }));
    expectRdsError(await kit.failure(restore({ DBInstanceIdentifier: 'db1-old' })), 'DBInstanceAlreadyExists', {
      name: 'DBInstanceAlreadyExistsFault',
    });
  });

  it('answers DBInstanceNotFound (404) and DBSnapshotNotFound for what does not exist', async () => {
    const describeMissing = await kit.failure(kit.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'nope' })));
    expectRdsError(describeMissing, 'DBInstanceNotFound', { name: 'DBInstanceNotFoundFault', status: 404 });
    expectRdsError(await kit.failure(modify({ DBInstanceIdentifier: 'nope', DeletionProtection: true })), 'DBInstanceNotFound', {
      name: 'DBInstanceNotFoundFault',
      status: 404,
    });
    expectRdsError(await kit.failure(restore({ DBSnapshotIdentifier: 'nope' })), 'DBSnapshotNotFound', {
      name: 'DBSnapshotNotFoundFault',
      status: 404,
    });
    const snap = await kit.failure(kit.client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'nope' })));
    expectRdsError(snap, 'DBSnapshotNotFound', { name: 'DBSnapshotNotFoundFault', status: 404 });
  });
});

describe('busy resources and protection', () => {
  it('a busy instance refuses changes (InvalidDBInstanceState) until it is available again', async () => {
    await kit.run(modify({ DBInstanceClass: 'db.r6g.large' }));
    await kit.time.advance(kit.sim.timings.modifyGap * 1000 + 1);
    expect(kit.sim.instance('db1')?.DBInstanceStatus).toBe('modifying');
    expectRdsError(await kit.failure(modify({ NewDBInstanceIdentifier: 'db1-old' })), 'InvalidDBInstanceState', {
      name: 'InvalidDBInstanceStateFault',
    });
    expectRdsError(
      await kit.failure(kit.client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'db1', SkipFinalSnapshot: true }))),
      'InvalidDBInstanceState',
      {
        name: 'InvalidDBInstanceStateFault',
      },
    );
    await kit.time.advance(kit.sim.timings.modifying * 1000);
    expect(kit.sim.instance('db1')?.DBInstanceStatus).toBe('available');
    await kit.run(modify({ NewDBInstanceIdentifier: 'db1-old' }));
  });

  it('a snapshot needs an available instance; the instance is backing-up meanwhile', async () => {
    await kit.run(kit.client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'db1', DBSnapshotIdentifier: 's2' })));
    expect(kit.sim.instance('db1')?.DBInstanceStatus).toBe('backing-up');
    const again = await kit.failure(
      kit.client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'db1', DBSnapshotIdentifier: 's3' })),
    );
    expectRdsError(again, 'InvalidDBInstanceState', { name: 'InvalidDBInstanceStateFault' });
  });

  it('deletion protection blocks a delete (InvalidParameterCombination); turned off, the delete goes through', async () => {
    await kit.run(modify({ DeletionProtection: true }));
    const refused = await kit.failure(
      kit.client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'db1', SkipFinalSnapshot: true })),
    );
    expectRdsError(refused, 'InvalidParameterCombination');
    await kit.run(modify({ DeletionProtection: false }));
    const out = await kit.run(kit.client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'db1', SkipFinalSnapshot: true })));
    expect(out.DBInstance?.DBInstanceStatus).toBe('deleting');
  });

  it('a delete needs SkipFinalSnapshot or a final snapshot name, not both', async () => {
    const neither = await kit.failure(kit.client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'db1' })));
    expectRdsError(neither, 'InvalidParameterCombination');
    const both = await kit.failure(
      kit.client.send(
        new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'db1', SkipFinalSnapshot: true, FinalDBSnapshotIdentifier: 'f1' }),
      ),
    );
    expectRdsError(both, 'InvalidParameterCombination');
    await kit.run(kit.client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'db1', FinalDBSnapshotIdentifier: 'f1' })));
    expect((await kit.run(kit.client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'f1' })))).DBSnapshots?.[0]?.Status).toBe(
      'creating',
    );
  });
});

describe('renames', () => {
  it('without ApplyImmediately a rename waits for the maintenance window: pending, never applied by itself', async () => {
    const out = await kit.run(modify({ NewDBInstanceIdentifier: 'db1-old', ApplyImmediately: false }));
    expect(out.DBInstance?.PendingModifiedValues?.DBInstanceIdentifier).toBe('db1-old');
    await kit.time.advance(24 * 3600 * 1000);
    expect(kit.sim.instance('db1')?.DBInstanceStatus).toBe('available');
    expect(kit.sim.instance('db1-old')).toBeUndefined();
  });

  it('a rename with ApplyImmediately applies the pending modifications too', async () => {
    await kit.run(modify({ DBInstanceClass: 'db.r6g.xlarge', ApplyImmediately: false }));
    expect(kit.sim.instance('db1')?.PendingModifiedValues?.DBInstanceClass).toBe('db.r6g.xlarge');
    await kit.run(modify({ NewDBInstanceIdentifier: 'db1-old' }));
    await kit.run(kit.gateway.waitInstanceRenamed('db1', 'db1-old'));
    const renamed = kit.sim.instance('db1-old');
    expect(renamed?.DBInstanceClass).toBe('db.r6g.xlarge');
    expect(renamed?.PendingModifiedValues).toEqual({});
    expect(renamed?.Endpoint?.Address).toMatch(/^db1-old\./);
  });
});

describe('gp3 storage', () => {
  it('below 400 GiB (PostgreSQL) IOPS and throughput are refused, yet Describe reports the 3000 / 125 baseline', async () => {
    const db1 = kit.sim.instance('db1');
    expect([db1?.StorageType, db1?.AllocatedStorage, db1?.Iops, db1?.StorageThroughput]).toEqual(['gp3', 20, 3000, 125]);
    const refused = await kit.failure(restore({ Iops: 3000, StorageThroughput: 125 }));
    expectRdsError(refused, 'InvalidParameterCombination');
    expect((refused as Error).message).toBe(
      "You can't specify IOPS or storage throughput for engine postgres and a storage size less than 400.",
    );
    expectRdsError(await kit.failure(modify({ Iops: 3000 })), 'InvalidParameterCombination');
    const out = await kit.run(restore());
    expect([out.DBInstance?.Iops, out.DBInstance?.StorageThroughput]).toEqual([3000, 125]);
  });

  it('from 400 GiB they may be specified; the baseline is 12000 / 500', async () => {
    kit.sim.seedInstance({ DBInstanceIdentifier: 'big', AllocatedStorage: 400 });
    expect([kit.sim.instance('big')?.Iops, kit.sim.instance('big')?.StorageThroughput]).toEqual([12000, 500]);
    await kit.run(restore({ AllocatedStorage: 400, Iops: 12000, StorageThroughput: 500 }));
  });

  it('for Oracle the threshold is 200 GiB', async () => {
    kit.sim.seedInstance({ DBInstanceIdentifier: 'ora', Engine: 'oracle-ee', AllocatedStorage: 100 });
    kit.sim.seedSnapshot({ DBSnapshotIdentifier: 'ora-s', DBInstanceIdentifier: 'ora' });
    const refused = await kit.failure(restore({ DBSnapshotIdentifier: 'ora-s', Iops: 3000 }));
    expect((refused as Error).message).toBe(
      "You can't specify IOPS or storage throughput for engine oracle-ee and a storage size less than 200.",
    );
    await kit.run(restore({ DBSnapshotIdentifier: 'ora-s', AllocatedStorage: 200, Iops: 12000 }));
  });
});

describe('what RestoreDBInstanceFromDBSnapshot takes', () => {
  it('SQL Server: AllocatedStorage is refused on a restore', async () => {
    kit.sim.seedInstance({ DBInstanceIdentifier: 'mssql', Engine: 'sqlserver-se', AllocatedStorage: 100, StorageType: 'gp3' });
    kit.sim.seedSnapshot({ DBSnapshotIdentifier: 'mssql-s', DBInstanceIdentifier: 'mssql' });
    expectRdsError(await kit.failure(restore({ DBSnapshotIdentifier: 'mssql-s', AllocatedStorage: 200 })), 'InvalidParameterCombination');
    const out = await kit.run(restore({ DBSnapshotIdentifier: 'mssql-s' }));
    expect(out.DBInstance?.AllocatedStorage).toBe(100);
  });

  it('ManageMasterUserPassword is for RDS for Oracle only', async () => {
    expectRdsError(await kit.failure(restore({ ManageMasterUserPassword: true })), 'InvalidParameterCombination');
    kit.sim.seedInstance({ DBInstanceIdentifier: 'ora', Engine: 'oracle-ee', AllocatedStorage: 100 });
    kit.sim.seedSnapshot({ DBSnapshotIdentifier: 'ora-s', DBInstanceIdentifier: 'ora' });
    const out = await kit.run(restore({ DBSnapshotIdentifier: 'ora-s', ManageMasterUserPassword: true }));
    expect(out.DBInstance?.MasterUserSecret?.SecretStatus).toBe('active');
  });

  it('a snapshot restores at its own engine version: a parameter group of the newer family is refused', async () => {
    kit.sim.seedSnapshot({ DBSnapshotIdentifier: 'old', DBInstanceIdentifier: 'db1', EngineVersion: '15.7' });
    const refused = await kit.failure(restore({ DBSnapshotIdentifier: 'old', DBParameterGroupName: 'custom-pg' }));
    expectRdsError(refused, 'InvalidParameterCombination');
    const out = await kit.run(restore({ DBSnapshotIdentifier: 'old' }));
    expect(out.DBInstance?.EngineVersion).toBe('15.7');
    expect(out.DBInstance?.DBParameterGroups?.[0]?.DBParameterGroupName).toBe('default.postgres15');
  });

  it('a Multi-AZ restore cannot name an Availability Zone', async () => {
    expectRdsError(await kit.failure(restore({ MultiAZ: true, AvailabilityZone: 'us-east-1a' })), 'InvalidParameterCombination');
    expect((await kit.run(restore({ MultiAZ: true }))).DBInstance?.MultiAZ).toBe(true);
  });

  it('Enhanced Monitoring needs its role', async () => {
    expectRdsError(await kit.failure(modify({ MonitoringInterval: 60 })), 'InvalidParameterCombination');
    await kit.run(modify({ MonitoringInterval: 60, MonitoringRoleArn: 'arn:aws:iam::123456789012:role/rds-monitoring' }));
  });
});

describe('tags', () => {
  it.each(['aws:cloudformation:stack-name', 'rds:owner', 'AWS:x'])('refuses the reserved key %s on every write', async (key) => {
    const tags = [{ Key: key, Value: 'x' }];
    expectRdsError(await kit.failure(restore({ Tags: tags })), 'InvalidParameterValue');
    expectRdsError(
      await kit.failure(
        kit.client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'db1', DBSnapshotIdentifier: 's9', Tags: tags })),
      ),
      'InvalidParameterValue',
    );
    const arn = kit.sim.instance('db1')?.DBInstanceArn;
    expectRdsError(
      await kit.failure(kit.client.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: tags }))),
      'InvalidParameterValue',
    );
  });

  it('accepts ordinary tags; with no tags a restore takes the source instance’s', async () => {
    await kit.run(
      kit.client.send(
        new AddTagsToResourceCommand({ ResourceName: kit.sim.instance('db1')?.DBInstanceArn, Tags: [{ Key: 'team', Value: 'platform' }] }),
      ),
    );
    kit.sim.seedSnapshot({ DBSnapshotIdentifier: 's2', DBInstanceIdentifier: 'db1' });
    expect((await kit.run(restore({ DBSnapshotIdentifier: 's2' }))).DBInstance?.TagList).toEqual([{ Key: 'team', Value: 'platform' }]);
    expect((await kit.run(restore({ DBInstanceIdentifier: 'db3', Tags: [{ Key: 'env', Value: 'test' }] }))).DBInstance?.TagList).toEqual([
      { Key: 'env', Value: 'test' },
    ]);
  });
});

describe('automated backups on delete', () => {
  it('DeleteDBInstance removes them by default (API reference) and keeps them with DeleteAutomatedBackups=false', async () => {
    kit.sim.seedInstance({ DBInstanceIdentifier: 'db2', BackupRetentionPeriod: 7 });
    kit.sim.seedInstance({ DBInstanceIdentifier: 'db3', BackupRetentionPeriod: 7 });
    await kit.run(kit.client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'db2', SkipFinalSnapshot: true })));
    await kit.run(
      kit.client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'db3', SkipFinalSnapshot: true, DeleteAutomatedBackups: false })),
    );
    expect(kit.sim.automatedBackups.map((b) => [b.identifier, b.retained])).toEqual([
      ['db2', false],
      ['db3', true],
    ]);
  });
});

describe('listings', () => {
  it('Filters: known names only; db-cluster-id selects members', async () => {
    expectRdsError(
      await kit.failure(kit.client.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-name', Values: ['x'] }] }))),
      'InvalidParameterValue',
    );
    kit.sim.seedCluster({ DBClusterIdentifier: 'c1' }, [{ DBInstanceIdentifier: 'c1-a' }, { DBInstanceIdentifier: 'c1-b' }]);
    const out = await kit.run(kit.client.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['c1'] }] })));
    expect(out.DBInstances?.map((d) => d.DBInstanceIdentifier)).toEqual(['c1-a', 'c1-b']);
  });
});
