import { afterEach, describe, expect, it, vi } from 'vitest';
// prepareRestore moved from src/workflows/run-service.ts to run/start-run.ts (committed by the
// workflows restructuring before this file was written).
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { DEFAULT_TIMINGS } from './sim-timings.js';
import { seedSampleCluster, seedSampleInstance, simWorld, type SimWorld } from './sim-world.js';
import { vitestTimers } from './virtual-time.js';

// The proof that the production gateway (SdkRdsGateway over a real RDSClient: request
// building, error mapping, the SDK waiters) drives whole restores: the service API on the
// simulated RDS with its default (typical) durations, on virtual time.
let world: SimWorld | undefined;
afterEach(() => world?.stop());

async function restore(kind: 'instance' | 'aurora-cluster', strategy: 'swap' | 'rename-first') {
  world = simWorld({ timers: vitestTimers(vi), timings: DEFAULT_TIMINGS });
  const w = world;
  const [identifier, snapshot] = kind === 'instance' ? ['db1', 's1'] : ['c1', 'cs1'];
  if (kind === 'instance') seedSampleInstance(w.sim);
  else seedSampleCluster(w.sim);
  const began = w.time.now();
  const prepared = await w.time.run(prepareRestore(w.deps, { identifier, kind, snapshot, freshSnapshot: false, strategy }));
  expect(prepared.ok).toBe(true);
  const result = await w.time.run(prepared.start());
  // Let what RDS still does after the run (deletes, asynchronous modifications) finish.
  await w.time.advance(3600 * 1000);
  return { w, result, minutes: (w.time.now() - began) / 60000 };
}

describe('the production gateway drives a full restore through the simulated RDS', () => {
  it.each(['rename-first', 'swap'] as const)('instance, %s', async (strategy) => {
    const { w, result, minutes } = await restore('instance', strategy);
    expect(result.outcome.status).toBe('succeeded');
    expect(result.summary.downtimeSeconds).toBeGreaterThan(0);
    expect(minutes).toBeGreaterThan(10); // the default durations: a restore alone is 12 min

    const db1 = w.sim.instance('db1');
    const original = w.sim.store.instances[0]?.db;
    expect(db1?.DbiResourceId).not.toBe(original?.DbiResourceId);
    expect(original?.DBInstanceStatus).toBe('deleting');
    expect(w.sim.store.instances[0]?.gone).toBe(true);
    expect(db1).toMatchObject({
      DBInstanceStatus: 'available',
      DBInstanceClass: 'db.r6g.large',
      MultiAZ: true,
      DeletionProtection: true,
      DBParameterGroups: [{ DBParameterGroupName: 'custom-pg', ParameterApplyStatus: 'in-sync' }],
      OptionGroupMemberships: [{ OptionGroupName: 'custom-og' }],
      DBSubnetGroup: { DBSubnetGroupName: 'private-subnets' },
      BackupRetentionPeriod: 14,
      PreferredMaintenanceWindow: 'sun:05:00-sun:06:00',
      MonitoringInterval: 60,
      PerformanceInsightsEnabled: true,
      TagList: [{ Key: 'team', Value: 'platform' }],
    });
    expect(db1?.Endpoint?.Address).toMatch(/^db1\./);
    expect(w.sim.callsOf('RestoreDBInstanceFromDBSnapshot')).toHaveLength(1);
    expect(w.sim.callsOf('DeleteDBInstance').map((c) => c.input.DBInstanceIdentifier)).toEqual(['db1-temp']);
  });

  it.each(['rename-first', 'swap'] as const)('Aurora cluster, %s', async (strategy) => {
    const { w, result } = await restore('aurora-cluster', strategy);
    expect(result.outcome.status).toBe('succeeded');
    expect(result.summary.configDifferences).toEqual([]);

    const c1 = w.sim.cluster('c1');
    expect(c1?.DbClusterResourceId).not.toBe(w.sim.store.clusters[0]?.db.DbClusterResourceId);
    expect(c1).toMatchObject({
      Status: 'available',
      DBClusterParameterGroup: 'custom-cpg',
      DeletionProtection: true,
      BackupRetentionPeriod: 7,
      TagList: [{ Key: 'team', Value: 'data' }],
    });
    expect(c1?.DBClusterMembers?.map((m) => [m.DBInstanceIdentifier, m.IsClusterWriter])).toEqual([
      ['c1-a', true],
      ['c1-b', false],
      ['c1-c', false],
    ]);
    expect(w.sim.instance('c1-c')?.DBInstanceClass).toBe('db.r6g.xlarge');
    expect(w.sim.store.clusters[0]?.gone).toBe(true);
    expect(w.sim.store.instances.slice(0, 3).every((r) => r.gone)).toBe(true);
    // The run keeps the original's automated backups; DeleteDBCluster removes them unless told not to.
    expect(w.sim.automatedBackups).toMatchObject([{ kind: 'cluster', identifier: 'c1-temp', retained: true }]);
    expect(w.sim.callsOf('CreateDBInstance')).toHaveLength(3);
  });
});
