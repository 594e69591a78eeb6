import {
  CreateDBSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { isAnswerLost, isTransient } from '../../src/aws/map-rds-error.js';
import {
  OutcomeUnknownError,
  PreconditionError,
  RetryableStateError,
  StepError,
  WaiterFailureError,
  WaiterTimeoutError,
} from '../../src/core/errors.js';
import { defaultInstanceConfig } from '../fakes/fake-rds.js';
import { cluster, gateway, instance, networkError, rds, sdkError } from './rds-mock.js';

beforeEach(() => rds.reset());

// As the SDK raises them once its own retries are spent.
const throttled = () => sdkError('Throttling', 400);
const unavailable = () => sdkError('ServiceUnavailable', 503);
const internal = () => sdkError('InternalFailure', 500);
// node-http-handler renames Node's timeout codes to TimeoutError and keeps the code.
const hangUp = () => Object.assign(networkError('ECONNRESET', 'socket hang up'), { name: 'TimeoutError' });
const rawReset = () => networkError('ECONNRESET', 'read ECONNRESET');
const timedOut = () => networkError('ETIMEDOUT');
const requestTimeout = () => Object.assign(new Error('Request timed out'), { name: 'TimeoutError' });

describe('classification, by name, code and status', () => {
  it('calls throttling, 5xx and network errors transient, and only the last two a lost answer', () => {
    expect([throttled(), unavailable(), internal(), hangUp(), rawReset(), timedOut(), requestTimeout()].map(isTransient)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([throttled(), unavailable(), hangUp(), requestTimeout()].map(isAnswerLost)).toEqual([false, true, true, true]);
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect([sdkError('AccessDenied', 403), sdkError('InvalidParameterCombination'), abort].map(isTransient)).toEqual([false, false, false]);
  });
});

describe('a transient error during a wait does not end it', () => {
  it('keeps polling through throttling, 5xx and network errors until a domain state', async () => {
    const statuses: string[] = [];
    rds
      .on(DescribeDBInstancesCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(unavailable())
      .rejectsOnce(hangUp())
      .rejectsOnce(rawReset())
      .rejectsOnce(timedOut())
      .rejectsOnce(requestTimeout())
      .resolvesOnce({ DBInstances: [instance({ DBInstanceStatus: 'creating' })] })
      .resolves({ DBInstances: [instance()] });
    const info = await gateway().waitInstanceAvailable('db1', { onStatus: (s) => statuses.push(s) });
    expect(info.status).toBe('available');
    expect(statuses).toEqual([
      'no answer (Throttling)',
      'no answer (ServiceUnavailable)',
      'no answer (TimeoutError)',
      'no answer (Error)',
      'no answer (Error)',
      'no answer (TimeoutError)',
      'creating',
      'available',
    ]);
  });

  it('still gives up at the maximum wait, naming the last thing it saw', async () => {
    rds.on(DescribeDBInstancesCommand).rejects(throttled());
    const error = await gateway({ maxWaitSeconds: 0.05 })
      .waitInstanceAvailable('db1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaiterTimeoutError);
    expect((error as Error).message).toContain('no answer (Throttling)');
  });

  it('still fails at once on a terminal status seen after a transient error', async () => {
    rds
      .on(DescribeDBClustersCommand)
      .rejectsOnce(internal())
      .resolves({ DBClusters: [cluster({ Status: 'cloning-failed' })] });
    await expect(gateway().waitClusterAvailable('c1')).rejects.toBeInstanceOf(WaiterFailureError);
  });

  it('rides through transient errors in rename and settle waits too', async () => {
    rds.on(DescribeDBInstancesCommand).callsFake((input: { DBInstanceIdentifier: string }) => {
      if (rds.commandCalls(DescribeDBInstancesCommand).length <= 2) throw hangUp();
      if (input.DBInstanceIdentifier === 'db1') throw sdkError('DBInstanceNotFoundFault');
      return { DBInstances: [instance({ DBInstanceIdentifier: 'db1-old' })] };
    });
    expect((await gateway().waitInstanceRenamed('db1', 'db1-old')).identifier).toBe('db1-old');
    rds.reset();
    rds
      .on(DescribeDBInstancesCommand)
      .rejectsOnce(throttled())
      .resolves({ DBInstances: [instance()] });
    expect((await gateway().waitInstanceSettled('db1')).needsReboot).toBe(false);
  });

  it('ends on an error that is not the weather, as a step failure', async () => {
    rds.on(DescribeDBInstancesCommand).rejects(sdkError('AccessDenied', 403));
    const error = await gateway()
      .waitInstanceAvailable('db1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect(error).not.toBeInstanceOf(WaiterFailureError);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

describe('mutating calls whose answer was lost', () => {
  it('throw OutcomeUnknownError for network errors and 5xx, keeping the SDK error as cause', async () => {
    rds.on(RestoreDBInstanceFromDBSnapshotCommand).rejectsOnce(hangUp()).rejectsOnce(requestTimeout()).rejects(unavailable());
    const restore = () =>
      gateway()
        .restoreInstance({ identifier: 'db1', snapshotIdentifier: 's1', config: defaultInstanceConfig() })
        .catch((e: unknown) => e);
    for (const error of [await restore(), await restore(), await restore()]) {
      expect(error).toBeInstanceOf(OutcomeUnknownError);
      expect((error as Error).cause).toBeInstanceOf(Error);
    }
    rds.on(CreateDBSnapshotCommand).rejects(internal());
    await expect(gateway().createSnapshot('db1', 's2', [])).rejects.toBeInstanceOf(OutcomeUnknownError);
  });

  it('never for a 4xx answer: RDS answered, so the outcome is known', async () => {
    rds
      .on(ModifyDBInstanceCommand)
      .rejectsOnce(sdkError('InvalidParameterCombination'))
      .rejectsOnce(throttled())
      .rejectsOnce(sdkError('InvalidDBInstanceState'))
      .rejectsOnce(sdkError('DBInstanceNotFound', 404));
    const rename = () =>
      gateway()
        .renameInstance('db1', 'db1-old')
        .catch((e: unknown) => e);
    const [invalid, throttle, busy, missing] = [await rename(), await rename(), await rename(), await rename()];
    for (const error of [invalid, throttle, busy, missing]) expect(error).not.toBeInstanceOf(OutcomeUnknownError);
    expect(invalid).toBeInstanceOf(StepError);
    expect(throttle).toBeInstanceOf(StepError);
    expect(busy).toBeInstanceOf(RetryableStateError);
    expect(missing).toBeInstanceOf(PreconditionError);
  });
});
