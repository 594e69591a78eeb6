import {
  CreateDBClusterEndpointCommand,
  DeleteDBClusterEndpointCommand,
  DescribeDBClusterEndpointsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SdkRdsGateway } from '../../src/aws/sdk-rds-gateway.js';

const rds = mockClient(RDSClient);
const waits = { minDelaySeconds: 0.001, maxDelaySeconds: 0.002, maxWaitSeconds: 0.5 };
const gateway = () =>
  new SdkRdsGateway(new RDSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }), waits);

beforeEach(() => rds.reset());

describe('SdkRdsGateway: Aurora custom endpoints', () => {
  it('lists only the custom endpoints of a cluster (not its writer and reader endpoints)', async () => {
    rds.on(DescribeDBClusterEndpointsCommand).resolves({
      DBClusterEndpoints: [
        {
          DBClusterEndpointIdentifier: 'c1-analytics',
          DBClusterIdentifier: 'c1',
          CustomEndpointType: 'READER',
          Status: 'available',
          StaticMembers: ['c1-b'],
          ExcludedMembers: [],
        },
      ],
    });
    const list = await gateway().listCustomEndpoints('c1');
    expect(rds.commandCalls(DescribeDBClusterEndpointsCommand)[0]?.args[0].input).toEqual({
      DBClusterIdentifier: 'c1',
      Filters: [{ Name: 'db-cluster-endpoint-type', Values: ['custom'] }],
    });
    expect(list).toEqual([
      {
        identifier: 'c1-analytics',
        clusterIdentifier: 'c1',
        type: 'READER',
        status: 'available',
        staticMembers: ['c1-b'],
        excludedMembers: [],
        tags: [],
      },
    ]);
  });

  it('creates an endpoint with its type, members and writable tags only; a missing one describes as undefined', async () => {
    rds.on(CreateDBClusterEndpointCommand).resolves({});
    rds.on(DeleteDBClusterEndpointCommand).resolves({});
    rds.on(DescribeDBClusterEndpointsCommand).rejects(Object.assign(new Error('gone'), { name: 'DBClusterEndpointNotFoundFault' }));
    const g = gateway();
    await g.createCustomEndpoint('c1', {
      identifier: 'c1-analytics',
      type: 'READER',
      staticMembers: ['c1-b', 'c1-c'],
      excludedMembers: [],
      tags: [
        { key: 'team', value: 'data' },
        { key: 'aws:cloudformation:stack-name', value: 'x' },
      ],
    });
    expect(rds.commandCalls(CreateDBClusterEndpointCommand)[0]?.args[0].input).toEqual({
      DBClusterIdentifier: 'c1',
      DBClusterEndpointIdentifier: 'c1-analytics',
      EndpointType: 'READER',
      StaticMembers: ['c1-b', 'c1-c'],
      Tags: [{ Key: 'team', Value: 'data' }],
    });
    await g.deleteCustomEndpoint('c1-analytics');
    expect(rds.commandCalls(DeleteDBClusterEndpointCommand)[0]?.args[0].input).toEqual({ DBClusterEndpointIdentifier: 'c1-analytics' });
    expect(await g.describeCustomEndpoint('c1-analytics')).toBeUndefined();
  });
});
