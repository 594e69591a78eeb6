import {
  DeleteDBInstanceCommand,
  DescribeAccountAttributesCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBInstanceCommand,
  RDSClient,
  RestoreDBInstanceFromDBSnapshotCommand,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SdkRdsGateway } from '../../src/aws/sdk-rds-gateway.js';
import { PreconditionError, RetryableStateError, StepError, WaiterFailureError, WaiterTimeoutError } from '../../src/core/errors.js';
import { defaultInstanceConfig } from '../fakes/fake-rds.js';

const rds = mockClient(RDSClient);
// Tiny delays: the SDK waiter really sleeps between checks.
const waits = { minDelaySeconds: 0.001, maxDelaySeconds: 0.002, maxWaitSeconds: 0.5 };
const gateway = () =>
  new SdkRdsGateway(new RDSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }), waits);

function sdkError(name: string): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  return error;
}

const instance = (overrides: Partial<DBInstance> = {}): DBInstance => ({
  DBInstanceIdentifier: 'db1',
  DbiResourceId: 'db-ABC',
  DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:db1',
  DBInstanceStatus: 'available',
  DBInstanceClass: 'db.r6g.large',
  Engine: 'postgres',
  EngineVersion: '16.3',
  DBSubnetGroup: { DBSubnetGroupName: 'private' },
  VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-1', Status: 'active' }],
  DBParameterGroups: [{ DBParameterGroupName: 'custom-pg' }],
  OptionGroupMemberships: [{ OptionGroupName: 'custom-og' }],
  MultiAZ: true,
  Endpoint: { Address: 'db1.x.rds.amazonaws.com', Port: 5432 },
  DeletionProtection: true,
  BackupRetentionPeriod: 14,
  PerformanceInsightsEnabled: true,
  TagList: [{ Key: 'team', Value: 'platform' }],
  ReadReplicaDBInstanceIdentifiers: [],
  ...overrides,
});

beforeEach(() => rds.reset());

describe('SdkRdsGateway', () => {
  it('maps a described instance to the domain object', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance()] });
    const info = await gateway().describeInstance('db1');
    expect(info).toMatchObject({
      identifier: 'db1',
      resourceId: 'db-ABC',
      status: 'available',
      endpoint: { address: 'db1.x.rds.amazonaws.com', port: 5432 },
      config: {
        instanceClass: 'db.r6g.large',
        dbSubnetGroupName: 'private',
        vpcSecurityGroupIds: ['sg-1'],
        dbParameterGroupName: 'custom-pg',
        optionGroupName: 'custom-og',
        multiAZ: true,
        port: 5432,
        deletionProtection: true,
        backupRetentionPeriod: 14,
        performanceInsightsEnabled: true,
        tags: [{ key: 'team', value: 'platform' }],
      },
    });
  });

  it('returns undefined for a missing instance or snapshot, classified by error name', async () => {
    rds.on(DescribeDBInstancesCommand).rejects(sdkError('DBInstanceNotFoundFault'));
    rds.on(DescribeDBSnapshotsCommand).rejects(sdkError('DBSnapshotNotFoundFault'));
    expect(await gateway().describeInstance('nope')).toBeUndefined();
    expect(await gateway().describeSnapshot('nope')).toBeUndefined();
  });

  it('passes the captured settings to the restore call, and never a default option group', async () => {
    rds.on(RestoreDBInstanceFromDBSnapshotCommand).resolves({});
    const config = defaultInstanceConfig({
      dbParameterGroupName: 'custom-pg',
      vpcSecurityGroupIds: ['sg-1', 'sg-2'],
      multiAZ: true,
      availabilityZone: 'us-east-1a',
      tags: [{ key: 'team', value: 'platform' }],
    });
    await gateway().restoreInstance({ identifier: 'db1', snapshotIdentifier: 's1', config });
    const input = rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      DBInstanceIdentifier: 'db1',
      DBSnapshotIdentifier: 's1',
      DBInstanceClass: 'db.t3.micro',
      DBParameterGroupName: 'custom-pg',
      VpcSecurityGroupIds: ['sg-1', 'sg-2'],
      MultiAZ: true,
      Tags: [{ Key: 'team', Value: 'platform' }],
    });
    expect(input.AvailabilityZone).toBeUndefined(); // not allowed with Multi-AZ
    expect(input.OptionGroupName).toBeUndefined(); // default:postgres-16
  });

  it('renames with ApplyImmediately and modifies only the given settings', async () => {
    rds.on(ModifyDBInstanceCommand).resolves({});
    await gateway().renameInstance('db1', 'db1-temp');
    await gateway().modifyInstance('db1', { deletionProtection: false });
    const [rename, modify] = rds.commandCalls(ModifyDBInstanceCommand).map((c) => c.args[0].input);
    expect(rename).toEqual({ DBInstanceIdentifier: 'db1', NewDBInstanceIdentifier: 'db1-temp', ApplyImmediately: true });
    expect(Object.fromEntries(Object.entries(modify!).filter(([, v]) => v !== undefined))).toEqual({
      DBInstanceIdentifier: 'db1',
      ApplyImmediately: true,
      DeletionProtection: false,
    });
  });

  it('deletes keeping automated backups, or with a final snapshot', async () => {
    rds.on(DeleteDBInstanceCommand).resolves({});
    await gateway().deleteInstance('db1-temp', { keepAutomatedBackups: true });
    await gateway().deleteInstance('db1-temp', { keepAutomatedBackups: false, finalSnapshotIdentifier: 'final-1' });
    const [keep, final] = rds.commandCalls(DeleteDBInstanceCommand).map((c) => c.args[0].input);
    expect(keep).toMatchObject({ SkipFinalSnapshot: true, DeleteAutomatedBackups: false });
    expect(final).toMatchObject({ SkipFinalSnapshot: false, FinalDBSnapshotIdentifier: 'final-1', DeleteAutomatedBackups: true });
  });

  it('classifies errors of mutating calls by name: busy is retryable, missing is a precondition', async () => {
    rds
      .on(ModifyDBInstanceCommand)
      .rejectsOnce(sdkError('InvalidDBInstanceStateFault'))
      .rejectsOnce(sdkError('DBInstanceNotFoundFault'))
      .rejects(sdkError('AccessDenied'));
    await expect(gateway().renameInstance('db1', 'x')).rejects.toBeInstanceOf(RetryableStateError);
    await expect(gateway().renameInstance('db1', 'x')).rejects.toBeInstanceOf(PreconditionError);
    const other = await gateway()
      .renameInstance('db1', 'x')
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(StepError);
    expect((other as Error).cause).toBeInstanceOf(Error);
  });

  it('waits for a rename until the old name is gone and the new one is available, with one filtered request per check', async () => {
    const statuses: string[] = [];
    let call = 0;
    // Real RDS: the old name stays available for a moment, then the new one shows renaming.
    const timeline: (DBInstance | undefined)[][] = [
      [instance(), undefined],
      [undefined, instance({ DBInstanceIdentifier: 'db1-temp', DBInstanceStatus: 'renaming' })],
      [undefined, instance({ DBInstanceIdentifier: 'db1-temp' })],
    ];
    const requests: unknown[] = [];
    rds.on(DescribeDBInstancesCommand).callsFake((input: unknown) => {
      requests.push(input);
      const step = timeline[Math.min(call++, 2)] ?? [];
      return { DBInstances: step.filter((d): d is DBInstance => d !== undefined) };
    });
    const renamed = await gateway().waitInstanceRenamed('db1', 'db1-temp', { onStatus: (s) => statuses.push(s) });
    expect(renamed.identifier).toBe('db1-temp');
    expect(statuses).toEqual(['db1: available, db1-temp: not found', 'db1: gone, db1-temp: renaming', 'available']);
    // One DescribeDBInstances per check, for both names (API reference: DescribeDBInstances, Filters db-instance-id).
    expect(requests).toHaveLength(3);
    expect(requests[0]).toEqual({ Filters: [{ Name: 'db-instance-id', Values: ['db1', 'db1-temp'] }] });
  });

  it('fails a wait for available on incompatible-parameters, and times out with a hint', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ DBInstanceStatus: 'incompatible-parameters' })] });
    await expect(gateway().waitInstanceAvailable('db1')).rejects.toBeInstanceOf(WaiterFailureError);

    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ DBInstanceStatus: 'creating' })] });
    const timeout = await new SdkRdsGateway(
      new RDSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
      { ...waits, maxWaitSeconds: 0.05 },
    )
      .waitInstanceAvailable('db1')
      .catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(WaiterTimeoutError);
    expect((timeout as WaiterTimeoutError).hint).toMatch(/wait\.maxWaitMinutes/);
  });

  it("stops waiting when the signal aborts, with the signal's reason", async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ DBInstanceStatus: 'creating' })] });
    const controller = new AbortController();
    const reason = new Error('SIGINT');
    const waiting = gateway().waitInstanceAvailable('db1', { signal: controller.signal, onStatus: () => controller.abort(reason) });
    await expect(waiting).rejects.toBe(reason);
  });

  it('reads quotas, and reports them as unknown when the call is not allowed', async () => {
    rds
      .on(DescribeAccountAttributesCommand)
      .resolvesOnce({ AccountQuotas: [{ AccountQuotaName: 'DBInstances', Used: 7, Max: 40 }] })
      .rejects(sdkError('AccessDenied'));
    expect(await gateway().describeQuotas()).toMatchObject({ instancesUsed: 7, instancesMax: 40 });
    expect(await gateway().describeQuotas()).toEqual({});
  });
});
