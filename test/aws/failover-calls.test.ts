import { DescribeDBClustersCommand, FailoverDBClusterCommand, type DBCluster } from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { RetryableStateError, StepError, WaiterFailureError } from '../../src/core/errors.js';
import { cluster, gateway, rds, sdkError } from './rds-mock.js';

beforeEach(() => rds.reset());

const withWriter = (writer: string, overrides: Partial<DBCluster> = {}): DBCluster =>
  cluster({
    DBClusterMembers: [
      { DBInstanceIdentifier: 'c1-a', IsClusterWriter: writer === 'c1-a' },
      { DBInstanceIdentifier: 'c1-b', IsClusterWriter: writer === 'c1-b' },
    ],
    ...overrides,
  });

describe('SdkRdsGateway: FailoverDBCluster', () => {
  it('sends the cluster and the reader to promote', async () => {
    rds.on(FailoverDBClusterCommand).resolves({});
    await gateway().failoverDbCluster('c1', 'c1-b');
    expect(rds.commandCalls(FailoverDBClusterCommand).map((c) => c.args[0].input)).toEqual([
      { DBClusterIdentifier: 'c1', TargetDBInstanceIdentifier: 'c1-b' },
    ]);
  });

  it('classifies its refusals by name: a busy cluster or instance is retryable, anything else fails the step', async () => {
    rds
      .on(FailoverDBClusterCommand)
      .rejectsOnce(sdkError('InvalidDBClusterStateFault'))
      .rejectsOnce(sdkError('InvalidDBInstanceStateFault'))
      .rejects(sdkError('InvalidParameterValue'));
    await expect(gateway().failoverDbCluster('c1', 'c1-b')).rejects.toBeInstanceOf(RetryableStateError);
    await expect(gateway().failoverDbCluster('c1', 'c1-b')).rejects.toBeInstanceOf(RetryableStateError);
    const other = await gateway()
      .failoverDbCluster('c1', 'c1-b')
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(StepError);
    expect(other).not.toBeInstanceOf(RetryableStateError);
  });

  it('waits for the new writer: through the old writer still shown, then failing-over, until available with the target as writer', async () => {
    const timeline = [withWriter('c1-a'), withWriter('c1-a', { Status: 'failing-over' }), withWriter('c1-b')];
    let call = 0;
    const requests: unknown[] = [];
    rds.on(DescribeDBClustersCommand).callsFake((input: unknown) => {
      requests.push(input);
      return { DBClusters: [timeline[Math.min(call++, 2)]] };
    });
    const statuses: string[] = [];
    const info = await gateway().waitClusterWriter('c1', 'c1-b', { onStatus: (s) => statuses.push(s) });
    expect(info.members.find((m) => m.isWriter)?.instanceIdentifier).toBe('c1-b');
    expect(statuses).toEqual(['available, writer c1-a', 'failing-over, writer c1-a', 'available, writer c1-b']);
    expect(requests[0]).toEqual({ Filters: [{ Name: 'db-cluster-id', Values: ['c1'] }] });
  });

  it('fails the wait for a writer on a terminal cluster status', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [withWriter('c1-a', { Status: 'inaccessible-encryption-credentials' })] });
    await expect(gateway().waitClusterWriter('c1', 'c1-b')).rejects.toBeInstanceOf(WaiterFailureError);
  });
});
