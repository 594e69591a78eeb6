import { afterEach, describe, expect, it, vi } from 'vitest';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { FAST_TIMINGS } from '../sim/sim-timings.js';
import { simWorld, type SimWorld } from '../sim/sim-world.js';
import { vitestTimers } from '../sim/virtual-time.js';

// Each rule real RDS enforces (and moto does not), end to end: the simulated RDS rejects the
// request RDS would reject (test/sim/*-rules.test.ts shows that), and a whole restore through
// the production gateway succeeds because trapheus no longer sends it.

let world: SimWorld | undefined;
afterEach(() => world?.stop());

async function restore(seed: (w: SimWorld) => void, identifier = 'db1') {
  world = simWorld({ timers: vitestTimers(vi), timings: FAST_TIMINGS, config: { restore: { strategy: 'swap' } } });
  const w = world;
  seed(w);
  w.sim.seedSnapshot({ DBSnapshotIdentifier: 's1', DBInstanceIdentifier: identifier });
  const prepared = await w.time.run(prepareRestore(w.deps, { identifier, kind: 'instance', snapshot: 's1', freshSnapshot: false }));
  expect(prepared.ok, JSON.stringify(prepared.summary.preflight)).toBe(true);
  const result = await w.time.run(prepared.start());
  return { w, ...result };
}

const refused = (w: SimWorld) => w.sim.mutatingCalls().filter((c) => c.outcome !== 'ok');

describe('restores that real RDS accepts (production gateway, simulated RDS)', () => {
  it('gp3 under 400 GiB: the baseline IOPS and throughput RDS reports are never sent back', async () => {
    const { w, outcome, summary } = await restore((x) =>
      x.sim.seedInstance({ DBInstanceIdentifier: 'db1', Engine: 'postgres', StorageType: 'gp3', AllocatedStorage: 100 }),
    );
    expect(outcome.status).toBe('succeeded');
    // RDS describes the baseline …
    expect(w.sim.instance('db1')).toMatchObject({ StorageType: 'gp3', Iops: 3000, StorageThroughput: 125 });
    // … and trapheus never asked for it.
    for (const call of w.sim.mutatingCalls())
      expect([call.command, call.input.Iops, call.input.StorageThroughput]).toEqual([call.command, undefined, undefined]);
    expect(refused(w)).toEqual([]);
    expect(summary.configDifferences).toEqual([]);
  });

  it('SQL Server: no storage settings on the restore call (growing a larger original: instance-restore.test.ts)', async () => {
    const { w, outcome } = await restore((x) => {
      x.sim.seedInstance({
        DBInstanceIdentifier: 'mssql1',
        Engine: 'sqlserver-se',
        EngineVersion: '15.00.4345.5.v1',
        StorageType: 'gp3',
        AllocatedStorage: 100,
        LicenseModel: 'license-included',
      });
    }, 'mssql1');
    expect(outcome.status).toBe('succeeded');
    expect(w.sim.callsOf('RestoreDBInstanceFromDBSnapshot')[0]?.input.AllocatedStorage).toBeUndefined();
    expect(refused(w)).toEqual([]);
  });

  it("reserved tag keys (aws:, rds:) are never written, and the user's tags are kept", async () => {
    const { w, outcome, summary } = await restore((x) =>
      x.sim.seedInstance({
        DBInstanceIdentifier: 'db1',
        TagList: [
          { Key: 'team', Value: 'platform' },
          { Key: 'aws:cloudformation:stack-name', Value: 'prod' },
        ],
      }),
    );
    expect(outcome.status).toBe('succeeded');
    for (const call of w.sim.mutatingCalls()) {
      const tags = (call.input.Tags ?? []) as { Key: string }[];
      expect(tags.filter((t) => t.Key.startsWith('aws:') || t.Key.startsWith('rds:'))).toEqual([]);
    }
    expect(w.sim.instance('db1')?.TagList).toContainEqual({ Key: 'team', Value: 'platform' });
    expect(refused(w)).toEqual([]);
    expect(summary.configDifferences).toEqual([]);
  });
});
