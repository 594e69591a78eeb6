import {
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBInstanceCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultInstanceConfig } from '../fakes/fake-rds.js';
import { gateway, instance, rds, sent } from './rds-mock.js';

beforeEach(() => rds.reset());

const storageOf = (input: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(input).filter(([k]) => ['StorageType', 'AllocatedStorage', 'Iops', 'StorageThroughput'].includes(k)));

// A small gp3 PostgreSQL instance as DescribeDBInstances reports it: with the baselines.
const captured = defaultInstanceConfig({ storageType: 'gp3', allocatedStorage: 100, iops: 3000, storageThroughput: 125 });

describe('storage on restore and modify', () => {
  it("maps a snapshot's storage and engine version", async () => {
    rds.on(DescribeDBSnapshotsCommand).resolves({
      DBSnapshots: [
        {
          DBSnapshotIdentifier: 's1',
          Engine: 'postgres',
          EngineVersion: '16.3',
          AllocatedStorage: 100,
          StorageType: 'gp3',
          Iops: 3000,
          StorageThroughput: 125,
          TagList: [],
        },
      ],
    });
    expect(await gateway().describeSnapshot('s1')).toMatchObject({
      engineVersion: '16.3',
      allocatedStorage: 100,
      storageType: 'gp3',
      iops: 3000,
      storageThroughput: 125,
    });
  });

  it('restores a small gp3 instance without the IOPS and throughput RDS reports but refuses', async () => {
    rds.on(RestoreDBInstanceFromDBSnapshotCommand).resolves({});
    await gateway().restoreInstance({ identifier: 'db1', snapshotIdentifier: 's1', config: captured });
    expect(storageOf(sent(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)[0]!.args[0].input))).toEqual({
      StorageType: 'gp3',
      AllocatedStorage: 100,
    });
  });

  it("sends only the storage that differs from the snapshot's", async () => {
    rds.on(RestoreDBInstanceFromDBSnapshotCommand).resolves({});
    const snapshot = {
      identifier: 's1',
      arn: 'arn:s1',
      sourceIdentifier: 'db1',
      engine: 'postgres',
      status: 'available',
      snapshotType: 'manual',
      tags: [],
      storageType: 'gp3',
      allocatedStorage: 100,
      iops: 3000,
      storageThroughput: 125,
    };
    await gateway().restoreInstance({ identifier: 'db1', snapshotIdentifier: 's1', snapshot, config: captured });
    await gateway().restoreInstance({
      identifier: 'db1',
      snapshotIdentifier: 's1',
      snapshot,
      config: { ...captured, allocatedStorage: 500, iops: 12000, storageThroughput: 500 },
    });
    const [same, grown] = rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand).map((c) => storageOf(sent(c.args[0].input)));
    expect(same).toEqual({});
    expect(grown).toEqual({ AllocatedStorage: 500, Iops: 12000, StorageThroughput: 500 });
  });

  it('restores SQL Server without any storage setting ("isn\'t valid for RDS for SQL Server")', async () => {
    rds.on(RestoreDBInstanceFromDBSnapshotCommand).resolves({});
    const config = defaultInstanceConfig({
      engine: 'sqlserver-se',
      engineVersion: '16.00',
      storageType: 'gp3',
      allocatedStorage: 500,
      iops: 12000,
      storageThroughput: 500,
    });
    await gateway().restoreInstance({ identifier: 'mssql', snapshotIdentifier: 's1', config });
    const input = sent(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)[0]!.args[0].input);
    expect(storageOf(input)).toEqual({});
    expect(input).toMatchObject({ DBInstanceIdentifier: 'mssql', DBSnapshotIdentifier: 's1' });
  });

  it('grows storage with ModifyDBInstance afterwards, reading engine and size first', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        instance({
          DBInstanceIdentifier: 'mssql',
          Engine: 'sqlserver-se',
          AllocatedStorage: 100,
          StorageType: 'gp3',
          Iops: 3000,
          StorageThroughput: 125,
        }),
      ],
    });
    rds.on(ModifyDBInstanceCommand).resolves({});
    await gateway().modifyInstance('mssql', { allocatedStorage: 500, storageType: 'gp3', iops: 12000, storageThroughput: 125 });
    expect(sent(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input)).toEqual({
      DBInstanceIdentifier: 'mssql',
      ApplyImmediately: true,
      AllocatedStorage: 500,
      Iops: 12000,
    });
  });

  it('applies the gp3 rule to a modification too, and reads nothing when storage is not touched', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ Engine: 'mysql', AllocatedStorage: 100 })] });
    rds.on(ModifyDBInstanceCommand).resolves({});
    await gateway().modifyInstance('db1', { allocatedStorage: 200, iops: 3000, storageThroughput: 125 });
    await gateway().modifyInstance('db1', { deletionProtection: true });
    const [grow, protect] = rds.commandCalls(ModifyDBInstanceCommand).map((c) => sent(c.args[0].input));
    expect(grow).toEqual({ DBInstanceIdentifier: 'db1', ApplyImmediately: true, AllocatedStorage: 200 });
    expect(protect).toEqual({ DBInstanceIdentifier: 'db1', ApplyImmediately: true, DeletionProtection: true });
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(1);
  });
});
