import { afterEach, describe, expect, it, vi } from 'vitest';
import { simKit, type SimKit } from '../sim/sim-kit.js';
import { vitestTimers } from '../sim/virtual-time.js';

let kit: SimKit | undefined;
afterEach(() => {
  kit?.stop();
  kit = undefined;
});

describe('listTagged (fleets: --tag key=value)', () => {
  it('every instance with the tag, across pages of 100; key and value compare case-sensitively', async () => {
    kit = simKit(vitestTimers(vi));
    const staging = Array.from({ length: 120 }, (_, i) => `stg-${String(i).padStart(3, '0')}`);
    for (const id of staging) kit.sim.seedInstance({ DBInstanceIdentifier: id, TagList: [{ Key: 'env', Value: 'staging' }] });
    kit.sim.seedInstance({ DBInstanceIdentifier: 'prod-1', TagList: [{ Key: 'env', Value: 'production' }] });
    kit.sim.seedInstance({ DBInstanceIdentifier: 'upper-1', TagList: [{ Key: 'env', Value: 'Staging' }] });
    kit.sim.seedInstance({ DBInstanceIdentifier: 'untagged-1' });
    const found = await kit.run(kit.gateway.listTagged('instance', 'env', 'staging'));
    expect([...found].sort()).toEqual(staging);
    expect(kit.sim.callsOf('DescribeDBInstances').length).toBeGreaterThan(1); // more than one page
  });
});
