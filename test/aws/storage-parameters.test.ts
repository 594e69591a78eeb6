import { describe, expect, it } from 'vitest';
import { gp3Threshold, storageParameters, type StorageSettings } from '../../src/aws/storage-parameters.js';

// gp3 as DescribeDBInstances / DescribeDBSnapshots report it below the threshold: the baselines.
const small: StorageSettings = { storageType: 'gp3', allocatedStorage: 100, iops: 3000, storageThroughput: 125 };
const large: StorageSettings = { storageType: 'gp3', allocatedStorage: 500, iops: 12000, storageThroughput: 500 };

describe('storageParameters', () => {
  it("sends nothing when the wanted storage is the snapshot's", () => {
    expect(storageParameters('postgres', small, small, 'restore')).toEqual({});
    expect(storageParameters('postgres', large, large, 'restore')).toEqual({});
  });

  it('never names gp3 IOPS or throughput below 400 GiB for PostgreSQL, MySQL, MariaDB and Db2, even without the snapshot', () => {
    for (const engine of ['postgres', 'mysql', 'mariadb', 'db2-se']) {
      expect(storageParameters(engine, small, undefined, 'restore')).toEqual({ StorageType: 'gp3', AllocatedStorage: 100 });
      expect(storageParameters(engine, { ...small, allocatedStorage: 399 }, undefined, 'modify')).toEqual({
        StorageType: 'gp3',
        AllocatedStorage: 399,
      });
      expect(storageParameters(engine, { ...large, allocatedStorage: 400 }, undefined, 'restore')).toEqual({
        StorageType: 'gp3',
        AllocatedStorage: 400,
        Iops: 12000,
        StorageThroughput: 500,
      });
    }
  });

  it('uses 200 GiB for Oracle, none for SQL Server, and the safer 400 GiB for an engine it does not know', () => {
    expect([gp3Threshold('oracle-ee'), gp3Threshold('oracle-se2-cdb'), gp3Threshold('sqlserver-se'), gp3Threshold('somethingdb')]).toEqual([
      200, 200, 0, 400,
    ]);
    expect(storageParameters('oracle-ee', { ...small, allocatedStorage: 150 }, undefined, 'restore')).toEqual({
      StorageType: 'gp3',
      AllocatedStorage: 150,
    });
    expect(
      storageParameters('oracle-ee', { ...small, allocatedStorage: 250, iops: 12000 }, { ...small, allocatedStorage: 250 }, 'restore'),
    ).toEqual({ Iops: 12000 });
    expect(storageParameters('somethingdb', { ...small, allocatedStorage: 300 }, undefined, 'modify')).toEqual({
      StorageType: 'gp3',
      AllocatedStorage: 300,
    });
  });

  it('grows past the threshold with the values that go with the new size', () => {
    expect(storageParameters('postgres', large, small, 'restore')).toEqual({ AllocatedStorage: 500, Iops: 12000, StorageThroughput: 500 });
    // The snapshot is already large: only what changed.
    expect(storageParameters('postgres', { ...large, storageThroughput: 750 }, large, 'modify')).toEqual({ StorageThroughput: 750 });
  });

  it("never shrinks: a size below the snapshot's is left out", () => {
    expect(storageParameters('mariadb', { ...small, allocatedStorage: 50 }, small, 'restore')).toEqual({});
  });

  it('names IOPS, never throughput, for io1/io2, and neither for gp2 or magnetic', () => {
    const io1 = { storageType: 'io1', allocatedStorage: 200, iops: 5000, storageThroughput: 312 };
    expect(storageParameters('postgres', io1, { ...io1, iops: 3000 }, 'restore')).toEqual({ Iops: 5000 });
    expect(storageParameters('postgres', io1, undefined, 'restore')).toEqual({ StorageType: 'io1', AllocatedStorage: 200, Iops: 5000 });
    expect(storageParameters('mysql', { storageType: 'gp2', allocatedStorage: 100, iops: 300 }, undefined, 'restore')).toEqual({
      StorageType: 'gp2',
      AllocatedStorage: 100,
    });
    expect(
      storageParameters(
        'mysql',
        { storageType: 'standard', allocatedStorage: 100, iops: 1000 },
        { storageType: 'standard', allocatedStorage: 100 },
        'modify',
      ),
    ).toEqual({});
  });

  it('sends the performance values with a change of type, where the new type takes them', () => {
    expect(storageParameters('postgres', { ...small, storageType: 'io1' }, small, 'modify')).toEqual({ StorageType: 'io1', Iops: 3000 });
    expect(storageParameters('postgres', small, { storageType: 'gp2', allocatedStorage: 100, iops: 300 }, 'restore')).toEqual({
      StorageType: 'gp3',
    });
  });

  it('gives a SQL Server restore no storage at all, and lets a SQL Server modification grow and tune gp3 at any size', () => {
    expect(storageParameters('sqlserver-se', { ...large, storageType: 'io1' }, small, 'restore')).toEqual({});
    expect(storageParameters('sqlserver-se', { ...small, allocatedStorage: 200, iops: 4000 }, small, 'modify')).toEqual({
      AllocatedStorage: 200,
      Iops: 4000,
    });
  });

  it("leaves Aurora instances alone: their storage is the cluster's", () => {
    expect(storageParameters('aurora-postgresql', { storageType: 'aurora-iopt1', allocatedStorage: 1 }, undefined, 'restore')).toEqual({});
  });
});
