import {
  CreateDBClusterEndpointCommand,
  DeleteDBClusterEndpointCommand,
  DescribeDBClusterEndpointsCommand,
  ListTagsForResourceCommand,
  ModifyDBClusterCommand,
} from '@aws-sdk/client-rds';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectRdsError, simKit, type SimKit } from './sim-kit.js';
import { FAST_TIMINGS } from './sim-timings.js';
import { vitestTimers } from './virtual-time.js';

let kit: SimKit;
beforeEach(() => {
  kit = simKit(vitestTimers(vi), { timings: FAST_TIMINGS });
  kit.sim.seedCluster({ DBClusterIdentifier: 'c1' }, [{ DBInstanceIdentifier: 'c1-a' }, { DBInstanceIdentifier: 'c1-b' }]);
  kit.sim.seedCluster({ DBClusterIdentifier: 'c2' }, [{ DBInstanceIdentifier: 'c2-a' }]);
});
afterEach(() => kit.stop());

const create = (input: Partial<ConstructorParameters<typeof CreateDBClusterEndpointCommand>[0]> = {}) =>
  kit.client.send(
    new CreateDBClusterEndpointCommand({
      DBClusterIdentifier: 'c1',
      DBClusterEndpointIdentifier: 'reporting',
      EndpointType: 'READER',
      ...input,
    }),
  );
const describeEndpoints = async (input: ConstructorParameters<typeof DescribeDBClusterEndpointsCommand>[0] = {}) =>
  (await kit.run(kit.client.send(new DescribeDBClusterEndpointsCommand(input)))).DBClusterEndpoints ?? [];

describe('Aurora cluster endpoints', () => {
  it('a cluster has its writer and reader endpoints; a custom one is creating, then available', async () => {
    expect((await describeEndpoints({ DBClusterIdentifier: 'c1' })).map((e) => e.EndpointType)).toEqual(['WRITER', 'READER']);
    const created = await kit.run(create({ StaticMembers: ['c1-b'], Tags: [{ Key: 'team', Value: 'bi' }] }));
    expect([created.Status, created.CustomEndpointType, created.Endpoint]).toEqual([
      'creating',
      'READER',
      'reporting.cluster-custom-csimulated01.us-east-1.rds.amazonaws.com',
    ]);
    await kit.time.advance(FAST_TIMINGS.endpointCreating * 1000);
    const custom = await describeEndpoints({
      DBClusterIdentifier: 'c1',
      Filters: [{ Name: 'db-cluster-endpoint-type', Values: ['custom'] }],
    });
    expect(custom.map((e) => [e.DBClusterEndpointIdentifier, e.Status, e.StaticMembers])).toEqual([['reporting', 'available', ['c1-b']]]);
    const tags = await kit.run(kit.client.send(new ListTagsForResourceCommand({ ResourceName: created.DBClusterEndpointArn })));
    expect(tags.TagList).toEqual([{ Key: 'team', Value: 'bi' }]);
  });

  it('a custom endpoint name is unique in the region, not per cluster', async () => {
    await kit.run(create());
    expectRdsError(await kit.failure(create({ DBClusterIdentifier: 'c2' })), 'DBClusterEndpointAlreadyExistsFault');
  });

  it('refuses a WRITER custom endpoint, a member of another cluster, and a sixth custom endpoint', async () => {
    expectRdsError(await kit.failure(create({ EndpointType: 'WRITER' })), 'InvalidParameterValue');
    expectRdsError(await kit.failure(create({ StaticMembers: ['c2-a'] })), 'InvalidParameterValue');
    for (const n of [1, 2, 3, 4, 5]) await kit.run(create({ DBClusterEndpointIdentifier: `e${n}`, EndpointType: 'ANY' }));
    expectRdsError(await kit.failure(create({ DBClusterEndpointIdentifier: 'e6' })), 'DBClusterEndpointQuotaExceededFault', {
      status: 403,
    });
  });

  it('follows its cluster through a rename, keeping its own name and address', async () => {
    await kit.run(create());
    await kit.time.advance(FAST_TIMINGS.endpointCreating * 1000);
    await kit.run(
      kit.client.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'c1', NewDBClusterIdentifier: 'c1-old', ApplyImmediately: true })),
    );
    await kit.run(kit.gateway.waitClusterRenamed('c1', 'c1-old'));
    const [endpoint] = await describeEndpoints({ DBClusterEndpointIdentifier: 'reporting' });
    expect([endpoint?.DBClusterIdentifier, endpoint?.Endpoint]).toEqual([
      'c1-old',
      'reporting.cluster-custom-csimulated01.us-east-1.rds.amazonaws.com',
    ]);
  });

  it('a delete: deleting, then gone; an unknown endpoint lists nothing, and cannot be deleted', async () => {
    await kit.run(create());
    const busy = await kit.failure(kit.client.send(new DeleteDBClusterEndpointCommand({ DBClusterEndpointIdentifier: 'reporting' })));
    expectRdsError(busy, 'InvalidDBClusterEndpointStateFault');
    await kit.time.advance(FAST_TIMINGS.endpointCreating * 1000);
    const out = await kit.run(kit.client.send(new DeleteDBClusterEndpointCommand({ DBClusterEndpointIdentifier: 'reporting' })));
    expect(out.Status).toBe('deleting');
    await kit.time.advance(FAST_TIMINGS.endpointDeleting * 1000);
    expect(await describeEndpoints({ DBClusterEndpointIdentifier: 'reporting' })).toEqual([]);
    const missing = await kit.failure(kit.client.send(new DeleteDBClusterEndpointCommand({ DBClusterEndpointIdentifier: 'reporting' })));
    expectRdsError(missing, 'DBClusterEndpointNotFoundFault');
  });
});
