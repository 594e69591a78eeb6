import { RDSClient, type DBCluster, type DBInstance } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { SdkRdsGateway } from '../../src/aws/sdk-rds-gateway.js';
import type { WaitSettings } from '../../src/aws/wait-for.js';

/** The one mocked RDS client of the gateway tests (aws-sdk-client-mock patches the class). */
export const rds = mockClient(RDSClient);

// Tiny delays: the SDK waiter really sleeps between checks.
export const waits: WaitSettings = { minDelaySeconds: 0.001, maxDelaySeconds: 0.002, maxWaitSeconds: 0.5 };

export const gateway = (settings: Partial<WaitSettings> = {}): SdkRdsGateway =>
  new SdkRdsGateway(new RDSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }), {
    ...waits,
    ...settings,
  });

/** An SDK service error as the client raises it: classified by `name`, never by message. */
export function sdkError(name: string, httpStatusCode = 400): Error {
  const error = Object.assign(new Error(`${name} happened`), {
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, attempts: 4 },
  });
  error.name = name;
  return error;
}

/** A Node network error as the SDK's HTTP handler raises it (no HTTP answer at all). */
export function networkError(code: string, message = `connect ${code}`): Error {
  return Object.assign(new Error(message), { code, $metadata: { attempts: 4 } });
}

/** The first input the mocked client received for a command, with `undefined` members dropped. */
export function sent(input: object | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input ?? {}).filter(([, v]) => v !== undefined));
}

export const instance = (overrides: Partial<DBInstance> = {}): DBInstance => ({
  DBInstanceIdentifier: 'db1',
  DbiResourceId: 'db-ABC',
  DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:db1',
  DBInstanceStatus: 'available',
  DBInstanceClass: 'db.r6g.large',
  Engine: 'postgres',
  EngineVersion: '16.3',
  AllocatedStorage: 100,
  StorageType: 'gp3',
  Iops: 3000,
  StorageThroughput: 125,
  VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-1', Status: 'active' }],
  DBParameterGroups: [{ DBParameterGroupName: 'custom-pg', ParameterApplyStatus: 'in-sync' }],
  TagList: [{ Key: 'team', Value: 'platform' }],
  ReadReplicaDBInstanceIdentifiers: [],
  ...overrides,
});

export const cluster = (overrides: Partial<DBCluster> = {}): DBCluster => ({
  DBClusterIdentifier: 'c1',
  DbClusterResourceId: 'cluster-ABC',
  DBClusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:c1',
  Status: 'available',
  Engine: 'aurora-postgresql',
  EngineVersion: '16.3',
  VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-1', Status: 'active' }],
  DBClusterMembers: [{ DBInstanceIdentifier: 'c1-a', IsClusterWriter: true, DBClusterParameterGroupStatus: 'in-sync' }],
  TagList: [],
  ...overrides,
});
