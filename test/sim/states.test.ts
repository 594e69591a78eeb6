import {
  CreateDBInstanceCommand,
  ModifyDBInstanceCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WaiterFailureError } from '../../src/core/errors.js';
import { simKit, type SimKit } from './sim-kit.js';
import { DEFAULT_TIMINGS, FAST_TIMINGS, SLOW_RENAME_TIMINGS, type SimTimings } from './sim-timings.js';
import { vitestTimers } from './virtual-time.js';

// The states of the simulated RDS as the production gateway sees them: every Describe below
// goes through SdkRdsGateway → RDSClient → the simulation, on virtual time.
let kit: SimKit;
afterEach(() => kit.stop());

function start(timings: Partial<SimTimings> = FAST_TIMINGS): SimKit {
  kit = simKit(vitestTimers(vi), { timings });
  kit.sim.seedInstance({ DBInstanceIdentifier: 'db1', BackupRetentionPeriod: 7 });
  kit.sim.seedSnapshot({ DBSnapshotIdentifier: 's1', DBInstanceIdentifier: 'db1' });
  return kit;
}

/** The distinct statuses `describe` shows, once a second of virtual time, for `seconds`. */
async function statuses(describe: () => Promise<{ status: string } | undefined>, seconds: number): Promise<string[]> {
  const seen: string[] = [];
  for (let t = 0; t <= seconds; t += 1) {
    const info = await kit.run(describe());
    const status = info ? info.status : 'gone';
    if (seen.at(-1) !== status) seen.push(status);
    await kit.time.advance(1000);
  }
  return seen;
}

const instance = (id: string) => () => kit.gateway.describeInstance(id);
const modifyRequest = (input: Omit<ConstructorParameters<typeof ModifyDBInstanceCommand>[0], 'DBInstanceIdentifier'>) =>
  kit.client.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'db1', ApplyImmediately: true, ...input }));
const modify = (input: Parameters<typeof modifyRequest>[0]) => kit.run(modifyRequest(input));

describe('instance states', () => {
  it('a restore: creating, backing-up, available', async () => {
    start();
    await kit.run(
      kit.client.send(
        new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'db2', DBSnapshotIdentifier: 's1', BackupRetentionPeriod: 7 }),
      ),
    );
    expect(await statuses(instance('db2'), 40)).toEqual(['creating', 'backing-up', 'available']);
  });

  it('an instance created with Enhanced Monitoring: creating, configuring-enhanced-monitoring, available', async () => {
    start();
    kit.sim.seedCluster({ DBClusterIdentifier: 'c1' });
    const role = 'arn:aws:iam::123456789012:role/rds-monitoring';
    const input = {
      DBInstanceIdentifier: 'c1-a',
      DBClusterIdentifier: 'c1',
      DBInstanceClass: 'db.r6g.large',
      Engine: 'aurora-postgresql',
      MonitoringInterval: 60,
      MonitoringRoleArn: role,
    };
    await kit.run(kit.client.send(new CreateDBInstanceCommand(input)));
    expect(await statuses(instance('c1-a'), 30)).toEqual(['creating', 'configuring-enhanced-monitoring', 'available']);
  });

  it('a modification: available for a few seconds with the change pending, then modifying, then applied', async () => {
    start();
    await modify({ DBInstanceClass: 'db.r6g.large' });
    const right = await kit.run(kit.gateway.describeInstance('db1'));
    expect([right?.status, right?.pendingModifications, right?.config.instanceClass]).toEqual([
      'available',
      ['DBInstanceClass'],
      'db.t3.micro',
    ]);
    expect(await statuses(instance('db1'), 10)).toEqual(['available', 'modifying', 'available']);
    const after = await kit.run(kit.gateway.describeInstance('db1'));
    expect([after?.pendingModifications, after?.config.instanceClass]).toEqual([[], 'db.r6g.large']);
  });

  it('a new parameter group is pending-reboot until a reboot', async () => {
    start();
    kit.sim.addParameterGroup('tuned', 'postgres16');
    await modify({ DBParameterGroupName: 'tuned' });
    expect((await kit.run(kit.gateway.describeInstance('db1')))?.parameterApplyStatus).toBe('applying');
    const settled = await kit.run(kit.gateway.waitInstanceSettled('db1'));
    expect([settled.config.dbParameterGroupName, settled.parameterApplyStatus, settled.needsReboot]).toEqual([
      'tuned',
      'pending-reboot',
      true,
    ]);
    await kit.run(kit.gateway.rebootInstance('db1'));
    expect(await statuses(instance('db1'), 5)).toEqual(['rebooting', 'available']);
    expect((await kit.run(kit.gateway.waitInstanceSettled('db1'))).needsReboot).toBe(false);
  });

  it('a rename: the old name stays available, with the new one pending, for a moment, then is gone', async () => {
    start(DEFAULT_TIMINGS);
    await kit.run(kit.gateway.renameInstance('db1', 'db1-old'));
    expect((await kit.run(kit.gateway.describeInstance('db1')))?.pendingIdentifier).toBe('db1-old');
    const t = DEFAULT_TIMINGS;
    const seconds = t.renameGap + t.renaming + t.rebooting + 2;
    expect(await statuses(instance('db1'), seconds)).toEqual(['available', 'gone']);
  });

  it('the new name of a rename goes through renaming and rebooting before available', async () => {
    start(DEFAULT_TIMINGS);
    await kit.run(kit.gateway.renameInstance('db1', 'db1-old'));
    const t = DEFAULT_TIMINGS;
    expect(await statuses(instance('db1-old'), t.renameGap + t.renaming + t.rebooting + 2)).toEqual([
      'gone',
      'renaming',
      'rebooting',
      'available',
    ]);
  });

  it.each([
    ['fast', FAST_TIMINGS, 10, 20],
    ['about 10 minutes (user guide)', SLOW_RENAME_TIMINGS, 600, 660],
  ])('waitInstanceRenamed follows a %s rename', async (_name, timings, atLeast, atMost) => {
    start(timings);
    const began = kit.time.now();
    await kit.run(kit.gateway.renameInstance('db1', 'db1-old'));
    const renamed = await kit.run(kit.gateway.waitInstanceRenamed('db1', 'db1-old'));
    const took = (kit.time.now() - began) / 1000;
    expect(renamed.identifier).toBe('db1-old');
    expect(took).toBeGreaterThanOrEqual(atLeast);
    expect(took).toBeLessThanOrEqual(atMost + 30); // one poll interval at most past the state
  });

  it('a delete: deleting, then gone', async () => {
    start();
    await kit.run(kit.gateway.deleteInstance('db1', { keepAutomatedBackups: false }));
    expect(await statuses(instance('db1'), 12)).toEqual(['deleting', 'gone']);
  });

  it('optionally, storage-optimization after a storage change: ready to use, but no further storage change', async () => {
    start({ ...FAST_TIMINGS, storageOptimization: 6 * 3600 });
    await modify({ AllocatedStorage: 100 });
    expect(await statuses(instance('db1'), 10)).toEqual(['available', 'modifying', 'storage-optimization']);
    const ready = await kit.run(kit.gateway.waitInstanceAvailable('db1'));
    expect(ready.status).toBe('storage-optimization');
    const refused = await kit.failure(modifyRequest({ AllocatedStorage: 200 }));
    expect((refused as Error).name).toBe('InvalidParameterCombination');
    await modify({ DBInstanceClass: 'db.r6g.large' });
  });

  it('a restore that ends in a terminal status fails the wait at once', async () => {
    start();
    kit.sim.failRestoresWith('incompatible-parameters');
    await kit.run(
      kit.gateway.restoreInstance({
        identifier: 'db2',
        snapshotIdentifier: 's1',
        config: (await kit.run(kit.gateway.describeInstance('db1')))!.config,
      }),
    );
    const error = await kit.failure(kit.gateway.waitInstanceAvailable('db2'));
    expect(error).toBeInstanceOf(WaiterFailureError);
    expect((error as Error).message).toContain('incompatible-parameters');
  });
});

describe('cluster states', () => {
  it('a cluster restore: creating, then available; a cluster rename: the old name available with the new pending, then renaming, available', async () => {
    start();
    kit.sim.seedCluster({ DBClusterIdentifier: 'c1' }, [{ DBInstanceIdentifier: 'c1-a' }]);
    kit.sim.seedClusterSnapshot({ DBClusterSnapshotIdentifier: 'cs1', DBClusterIdentifier: 'c1' });
    await kit.run(
      kit.client.send(
        new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: 'c2', SnapshotIdentifier: 'cs1', Engine: 'aurora-postgresql' }),
      ),
    );
    expect(await statuses(() => kit.gateway.describeCluster('c2'), 25)).toEqual(['creating', 'available']);
    await kit.run(kit.gateway.renameCluster('c1', 'c1-old'));
    expect((await kit.run(kit.gateway.describeCluster('c1')))?.pendingIdentifier).toBe('c1-old');
    expect(await statuses(() => kit.gateway.describeCluster('c1-old'), 10)).toEqual(['gone', 'renaming', 'available']);
  });
});

describe('virtual time', () => {
  it('a 20-minute restore wait takes milliseconds of real time', async () => {
    start({ ...DEFAULT_TIMINGS, restoreCreating: 1100, restoreBackingUp: 100 });
    const real = performance.now();
    const began = kit.time.now();
    await kit.run(
      kit.client.send(
        new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'db2', DBSnapshotIdentifier: 's1', BackupRetentionPeriod: 7 }),
      ),
    );
    await kit.run(kit.gateway.waitInstanceAvailable('db2'));
    expect(kit.time.now() - began).toBeGreaterThanOrEqual(20 * 60 * 1000);
    expect(performance.now() - real).toBeLessThan(2000);
  });

  it('logs when each state was reached, so the lag before a wait noticed it can be measured', async () => {
    start(DEFAULT_TIMINGS);
    await kit.run(kit.gateway.renameInstance('db1', 'db1-old'));
    await kit.run(kit.gateway.waitInstanceRenamed('db1', 'db1-old'));
    const reached = kit.sim.reachedAt('instance', 'db1-old', 'available');
    const t = DEFAULT_TIMINGS;
    expect(reached).toBe(Date.parse('2026-01-01T00:00:00.000Z') + (t.renameGap + t.renaming + t.rebooting) * 1000);
    expect(kit.time.now() - (reached ?? 0)).toBeLessThanOrEqual(30_000); // at most one poll at the longest delay
    expect(kit.sim.store.statusLog.map((c) => `${c.identifier} ${c.status}`)).toEqual([
      'db1-old renaming',
      'db1-old rebooting',
      'db1-old available',
    ]);
  });
});
