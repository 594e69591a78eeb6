import {
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  FailoverDBClusterCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  RestoreDBClusterFromSnapshotCommand,
} from '@aws-sdk/client-rds';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectRdsError, simKit, type SimKit } from './sim-kit.js';
import { vitestTimers } from './virtual-time.js';

let kit: SimKit;
beforeEach(() => {
  kit = simKit(vitestTimers(vi));
  kit.sim.seedCluster({ DBClusterIdentifier: 'c1', DBClusterParameterGroup: 'custom-cpg' }, [
    { DBInstanceIdentifier: 'c1-a' },
    { DBInstanceIdentifier: 'c1-b', PromotionTier: 2 },
  ]);
  kit.sim.seedClusterSnapshot({ DBClusterSnapshotIdentifier: 'cs1', DBClusterIdentifier: 'c1' });
});
afterEach(() => kit.stop());

const restore = (input: Partial<ConstructorParameters<typeof RestoreDBClusterFromSnapshotCommand>[0]> = {}) =>
  kit.client.send(
    new RestoreDBClusterFromSnapshotCommand({
      DBClusterIdentifier: 'c2',
      SnapshotIdentifier: 'cs1',
      Engine: 'aurora-postgresql',
      ...input,
    }),
  );
const modify = (input: Partial<ConstructorParameters<typeof ModifyDBClusterCommand>[0]>) =>
  kit.client.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'c1', ApplyImmediately: true, ...input }));
const deleteCluster = (input: Partial<ConstructorParameters<typeof DeleteDBClusterCommand>[0]> = {}) =>
  kit.client.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'c1', SkipFinalSnapshot: true, ...input }));
const members = async (cluster: string) =>
  (
    (await kit.run(kit.client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: cluster })))).DBClusters?.[0]?.DBClusterMembers ??
    []
  ).map((m) => m.DBInstanceIdentifier);

describe('RestoreDBClusterFromSnapshot', () => {
  it('needs a free, valid name and an existing snapshot', async () => {
    expectRdsError(await kit.failure(restore({ DBClusterIdentifier: 'c1' })), 'DBClusterAlreadyExistsFault');
    expectRdsError(await kit.failure(restore({ DBClusterIdentifier: '2c' })), 'InvalidParameterValue');
    expectRdsError(await kit.failure(restore({ SnapshotIdentifier: 'nope' })), 'DBClusterSnapshotNotFoundFault', { status: 404 });
  });

  it('creates no instances for an Aurora cluster: creating, then available and empty', async () => {
    const out = await kit.run(restore());
    expect(out.DBCluster?.Status).toBe('creating');
    const cluster = await kit.run(kit.gateway.waitClusterAvailable('c2'));
    expect(cluster.members).toEqual([]);
  });

  it('a cluster parameter group of another family is refused', async () => {
    kit.sim.addClusterParameterGroup('pg15-cpg', 'aurora-postgresql15');
    expectRdsError(await kit.failure(restore({ DBClusterParameterGroupName: 'pg15-cpg' })), 'InvalidParameterCombination');
    expectRdsError(await kit.failure(restore({ DBClusterParameterGroupName: 'missing' })), 'DBClusterParameterGroupNotFound', {
      name: 'DBClusterParameterGroupNotFoundFault',
      status: 404,
    });
    await kit.run(restore({ DBClusterParameterGroupName: 'custom-cpg' }));
  });

  it('a Multi-AZ DB cluster needs DBClusterInstanceClass (and Iops with a storage type); RDS creates its three instances', async () => {
    kit.sim.seedCluster({ DBClusterIdentifier: 'maz', Engine: 'postgres', DBClusterInstanceClass: 'db.m6gd.large' });
    kit.sim.seedClusterSnapshot({ DBClusterSnapshotIdentifier: 'maz-s', DBClusterIdentifier: 'maz' });
    const restoreMaz = (extra: object) =>
      restore({ DBClusterIdentifier: 'maz2', SnapshotIdentifier: 'maz-s', Engine: 'postgres', ...extra });
    expectRdsError(await kit.failure(restoreMaz({})), 'InvalidParameterCombination');
    expectRdsError(
      await kit.failure(restoreMaz({ DBClusterInstanceClass: 'db.m6gd.large', StorageType: 'io1' })),
      'InvalidParameterCombination',
    );
    await kit.run(restoreMaz({ DBClusterInstanceClass: 'db.m6gd.large', StorageType: 'io1', Iops: 3000 }));
    expect(await members('maz2')).toEqual(['maz2-instance-1', 'maz2-instance-2', 'maz2-instance-3']);
    expectRdsError(await kit.failure(restore({ DBClusterInstanceClass: 'db.r6g.large' })), 'InvalidParameterCombination');
  });
});

describe('ModifyDBCluster', () => {
  it('answers DBClusterNotFoundFault for a missing cluster (where moto answers HTTP 500)', async () => {
    expectRdsError(await kit.failure(modify({ DBClusterIdentifier: 'nope', DeletionProtection: true })), 'DBClusterNotFoundFault', {
      status: 404,
    });
  });

  it('a busy cluster refuses changes (InvalidDBClusterStateFault)', async () => {
    await kit.run(modify({ BackupRetentionPeriod: 7 }));
    await kit.time.advance(kit.sim.timings.modifyGap * 1000 + 1);
    expect(kit.sim.cluster('c1')?.Status).toBe('modifying');
    expectRdsError(await kit.failure(modify({ NewDBClusterIdentifier: 'c1-old' })), 'InvalidDBClusterStateFault');
  });

  it('a rename keeps the members’ names and moves them to the new cluster name (unlike moto)', async () => {
    expectRdsError(await kit.failure(modify({ NewDBClusterIdentifier: 'c1--old' })), 'InvalidParameterValue');
    await kit.run(modify({ NewDBClusterIdentifier: 'c1-old' }));
    expect(kit.sim.cluster('c1')?.PendingModifiedValues?.DBClusterIdentifier).toBe('c1-old');
    const renamed = await kit.run(kit.gateway.waitClusterRenamed('c1', 'c1-old'));
    expect(renamed.members.map((m) => m.instanceIdentifier)).toEqual(['c1-a', 'c1-b']);
    const out = await kit.run(kit.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'c1-a' })));
    expect(out.DBInstances?.[0]?.DBClusterIdentifier).toBe('c1-old');
    expect(renamed.endpoint).toMatch(/^c1-old\.cluster-/);
  });

  it('a new member needs an available cluster of its engine', async () => {
    await kit.run(restore());
    const create = kit.client.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'c2-a',
        DBClusterIdentifier: 'c2',
        DBInstanceClass: 'db.r6g.large',
        Engine: 'aurora-postgresql',
      }),
    );
    expectRdsError(await kit.failure(create), 'InvalidDBClusterStateFault');
  });
});

describe('DeleteDBCluster', () => {
  it('deletion protection blocks it (InvalidParameterCombination), members can still be deleted', async () => {
    await kit.run(modify({ DeletionProtection: true }));
    expectRdsError(await kit.failure(deleteCluster()), 'InvalidParameterCombination');
    await kit.run(kit.client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'c1-b', SkipFinalSnapshot: true })));
  });

  it('an Aurora cluster with members not being deleted is refused (InvalidDBClusterStateFault)', async () => {
    expectRdsError(await kit.failure(deleteCluster()), 'InvalidDBClusterStateFault');
    for (const id of ['c1-a', 'c1-b'])
      await kit.run(kit.client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true })));
    await kit.run(deleteCluster());
    await kit.run(kit.gateway.waitClusterDeleted('c1'));
  });

  it('a member of a cluster cannot get a final snapshot of its own', async () => {
    const refused = await kit.failure(
      kit.client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'c1-a', FinalDBSnapshotIdentifier: 'f1' })),
    );
    expectRdsError(refused, 'InvalidParameterCombination');
  });

  it('deleting the writer fails over to the member with the best promotion tier', async () => {
    kit.sim.seedInstance({ DBInstanceIdentifier: 'c1-c', DBClusterIdentifier: 'c1', Engine: 'aurora-postgresql', PromotionTier: 0 });
    await kit.run(kit.client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'c1-a', SkipFinalSnapshot: true })));
    await kit.run(kit.gateway.waitInstanceDeleted('c1-a'));
    const cluster = await kit.run(kit.gateway.describeCluster('c1'));
    expect(cluster?.members.find((m) => m.isWriter)?.instanceIdentifier).toBe('c1-c');
  });

  it('removes the automated backups unless DeleteAutomatedBackups=false, and records which', async () => {
    kit.sim.seedCluster({ DBClusterIdentifier: 'e1' });
    kit.sim.seedCluster({ DBClusterIdentifier: 'e2' });
    await kit.run(deleteCluster({ DBClusterIdentifier: 'e1' }));
    await kit.run(deleteCluster({ DBClusterIdentifier: 'e2', DeleteAutomatedBackups: false }));
    expect(kit.sim.automatedBackups.map((b) => [b.kind, b.identifier, b.retained])).toEqual([
      ['cluster', 'e1', false],
      ['cluster', 'e2', true],
    ]);
  });
});

describe('Aurora members', () => {
  it('settings the cluster owns are refused on CreateDBInstance of a member', async () => {
    const create = (extra: object) =>
      kit.client.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: 'c1-z',
          DBClusterIdentifier: 'c1',
          DBInstanceClass: 'db.r6g.large',
          Engine: 'aurora-postgresql',
          ...extra,
        }),
      );
    for (const extra of [
      { BackupRetentionPeriod: 7 },
      { VpcSecurityGroupIds: ['sg-1'] },
      { MasterUsername: 'admin' },
      { AllocatedStorage: 100 },
    ]) {
      expectRdsError(await kit.failure(create(extra)), 'InvalidParameterCombination');
    }
    expectRdsError(await kit.failure(create({ Engine: 'aurora-mysql' })), 'InvalidParameterCombination');
    expect((await kit.run(create({}))).DBInstance?.DBInstanceStatus).toBe('creating');
  });

  it('a member cannot be snapshotted on its own (InvalidParameterValue)', async () => {
    const refused = await kit.failure(
      kit.client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'c1-a', DBSnapshotIdentifier: 'm1' })),
    );
    expectRdsError(refused, 'InvalidParameterValue');
  });
});

describe('FailoverDBCluster', () => {
  const failover = (target?: string, cluster = 'c1') =>
    kit.client.send(new FailoverDBClusterCommand({ DBClusterIdentifier: cluster, TargetDBInstanceIdentifier: target }));
  const writer = async () =>
    (await kit.run(kit.client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'c1' })))).DBClusters?.[0]?.DBClusterMembers?.find(
      (m) => m.IsClusterWriter,
    )?.DBInstanceIdentifier;

  it('promotes the reader: the cluster reads failing-over for the documented figure, then available with the roles switched', async () => {
    const out = await kit.run(failover('c1-b'));
    expect(out.DBCluster?.Status).toBe('failing-over');
    // The roles switch when the failover completes (Aurora UG, "Failing over an Amazon Aurora DB cluster").
    expect(await writer()).toBe('c1-a');
    const started = Date.now();
    const info = await kit.run(kit.gateway.waitClusterWriter('c1', 'c1-b'));
    expect(info.status).toBe('available');
    expect(Date.now() - started).toBeGreaterThanOrEqual(kit.sim.timings.failingOver * 1000);
    expect(kit.sim.timings.failingOver).toBe(60);
  });

  it('refuses a cluster that is missing or not available', async () => {
    expectRdsError(await kit.failure(failover('c1-b', 'nope')), 'DBClusterNotFoundFault', { status: 404 });
    await kit.run(failover('c1-b'));
    // A second failover while the first runs: InvalidDBClusterStateFault.
    expectRdsError(await kit.failure(failover('c1-a')), 'InvalidDBClusterStateFault');
  });

  it('refuses a target that is not a reader of the cluster, or not available', async () => {
    kit.sim.seedCluster({ DBClusterIdentifier: 'c2' }, [{ DBInstanceIdentifier: 'c2-a' }, { DBInstanceIdentifier: 'c2-b' }]);
    expectRdsError(await kit.failure(failover('c2-b')), 'InvalidParameterValue');
    expectRdsError(await kit.failure(failover('missing')), 'InvalidParameterValue');
    expectRdsError(await kit.failure(failover('c1-a')), 'InvalidParameterValue');
    await kit.run(
      kit.client.send(
        new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'c1-b', NewDBInstanceIdentifier: 'c1-b2', ApplyImmediately: true }),
      ),
    );
    await kit.time.advance(kit.sim.timings.renameGap * 1000 + 1000);
    expectRdsError(await kit.failure(failover('c1-b2')), 'InvalidDBInstanceState', { name: 'InvalidDBInstanceStateFault' });
    expect(await writer()).toBe('c1-a');
  });

  it('refuses a cluster of one instance', async () => {
    kit.sim.seedCluster({ DBClusterIdentifier: 'solo' }, [{ DBInstanceIdentifier: 'solo-a' }]);
    expectRdsError(await kit.failure(failover('solo-a', 'solo')), 'InvalidDBClusterStateFault');
  });
});
