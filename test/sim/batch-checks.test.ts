import { afterEach, describe, expect, it, vi } from 'vitest';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { simKit, type SimKit } from './sim-kit.js';
import { FAST_TIMINGS } from './sim-timings.js';
import { seedSampleCluster, simWorld, type SimWorld } from './sim-world.js';
import { vitestTimers } from './virtual-time.js';

// Fewer calls: a rename is checked with one DescribeDBInstances for both names, and many
// instances (a cluster's members) with one request for all of them — DescribeDBInstances with
// the Filter db-instance-id (API reference: DescribeDBInstances, Filters), which the simulated
// RDS answers as RDS does (only the named instances that exist).
let kit: SimKit | undefined;
let world: SimWorld | undefined;
afterEach(() => {
  kit?.stop();
  world?.stop();
  kit = world = undefined;
});

const filterValues = (input: Record<string, unknown>): string[] | undefined =>
  (input.Filters as { Name: string; Values: string[] }[] | undefined)?.find((f) => f.Name === 'db-instance-id')?.Values;

describe('batched checks', () => {
  it('waits for three renames with one DescribeDBInstances per check, naming both identifiers of each', async () => {
    kit = simKit(vitestTimers(vi), { timings: FAST_TIMINGS });
    const names = ['m1', 'm2', 'm3'];
    for (const name of names) kit.sim.seedInstance({ DBInstanceIdentifier: name });
    await kit.run(Promise.all(names.map((n) => kit!.gateway.renameInstance(n, `${n}-temp`))));
    const statuses: string[] = [];
    const before = kit.sim.callsOf('DescribeDBInstances').length;
    const renamed = await kit.run(
      kit.gateway.waitInstancesRenamed(
        names.map((n) => ({ from: n, to: `${n}-temp` })),
        { onStatus: (s) => statuses.push(s) },
      ),
    );
    expect(renamed.map((r) => r.identifier).sort()).toEqual(['m1-temp', 'm2-temp', 'm3-temp']);
    const checks = kit.sim.callsOf('DescribeDBInstances').slice(before);
    expect(checks).toHaveLength(statuses.length);
    for (const call of checks) expect(filterValues(call.input)).toEqual(['m1', 'm1-temp', 'm2', 'm2-temp', 'm3', 'm3-temp']);
  });

  it('tells when a name is free: any of them, or all', async () => {
    kit = simKit(vitestTimers(vi), { timings: FAST_TIMINGS });
    kit.sim.seedInstance({ DBInstanceIdentifier: 'a' });
    kit.sim.seedInstance({ DBInstanceIdentifier: 'b' });
    await kit.run(kit.gateway.renameInstance('a', 'a-temp'));
    // b is never renamed: "any" ends with a alone; a pending rename keeps the name for a moment (the gap).
    expect(await kit.run(kit.gateway.waitInstanceNamesFree(['a', 'b'], 'any'))).toEqual(['a']);
    expect(kit.sim.instance('a')).toBeUndefined();
    expect(await kit.run(kit.gateway.waitInstanceNamesFree(['x', 'y'], 'all'))).toEqual(['x', 'y']);
  });

  it('a cluster swap checks its members with one request per check, never one per member', async () => {
    world = simWorld({ timers: vitestTimers(vi), timings: FAST_TIMINGS, config: { restore: { strategy: 'swap' } } });
    seedSampleCluster(world.sim);
    const prepared = await world.time.run(
      prepareRestore(world.deps, { identifier: 'c1', kind: 'aurora-cluster', snapshot: 'cs1', freshSnapshot: false }),
    );
    expect((await world.time.run(prepared.start())).outcome.status).toBe('succeeded');
    const firstRename = world.sim.calls.findIndex((c) => c.command === 'ModifyDBInstance' && c.input.NewDBInstanceIdentifier !== undefined);
    const cutOverOn = world.sim.calls.slice(firstRename).filter((c) => c.command === 'DescribeDBInstances');
    // From the first rename on, every look at instances is one filtered request (the Filters carry every member's names).
    expect(cutOverOn.length).toBeGreaterThan(0);
    for (const call of cutOverOn) expect(call.input.DBInstanceIdentifier, JSON.stringify(call.input)).toBeUndefined();
  });
});
