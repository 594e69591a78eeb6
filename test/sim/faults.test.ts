import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutcomeUnknownError, StepError } from '../../src/core/errors.js';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { simKit, type SimKit } from './sim-kit.js';
import { FAST_TIMINGS } from './sim-timings.js';
import { seedSampleInstance, simWorld, type SimWorld } from './sim-world.js';
import { vitestTimers } from './virtual-time.js';

// Both kinds of fault, through the production client (4 attempts, adaptive retries, as in
// composition.ts) and gateway. "fail": the call fails and nothing happened. "loseAnswer": the
// call takes effect, then its answer is lost.
let kit: SimKit | undefined;
let world: SimWorld | undefined;
afterEach(() => {
  kit?.stop();
  world?.stop();
  kit = world = undefined;
});

function start(): SimKit {
  kit = simKit(vitestTimers(vi), { timings: FAST_TIMINGS });
  kit.sim.seedInstance({ DBInstanceIdentifier: 'db1' });
  kit.sim.seedSnapshot({ DBSnapshotIdentifier: 's1', DBInstanceIdentifier: 'db1' });
  return kit;
}

const outcomes = (k: SimKit, command: string) => k.sim.callsOf(command).map((c) => c.outcome);

describe('the call fails and nothing happened', () => {
  it.each([
    [{ code: 'Throttling' }, 'fault:Throttling'],
    [{ code: 'ThrottlingException' }, 'fault:ThrottlingException'],
    [{ code: 'InternalFailure' }, 'fault:InternalFailure'],
    [{ code: 'ServiceUnavailable' }, 'fault:ServiceUnavailable'],
    ['ECONNRESET' as const, 'fault:ECONNRESET'],
  ])('%j twice: the SDK retries (on virtual time) and the third attempt answers', async (error, outcome) => {
    const k = start();
    k.sim.faults.failNext('DescribeDBInstances', error, 2);
    const began = k.time.now();
    expect((await k.run(k.gateway.describeInstance('db1')))?.status).toBe('available');
    expect(outcomes(k, 'DescribeDBInstances')).toEqual([outcome, outcome, 'ok']);
    expect(k.time.now()).toBeGreaterThan(began); // backoff slept, virtually
  });

  it('the SDK error has RDS’s shape: name, $fault, HTTP status', async () => {
    const k = start();
    k.sim.faults.failNext('DescribeDBInstances', { code: 'Throttling' }, 4);
    const error = (await k.failure(k.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'db1' })))) as Error & {
      $fault: string;
      $metadata: { httpStatusCode: number; attempts: number };
    };
    expect([error.name, error.$fault, error.$metadata.httpStatusCode, error.$metadata.attempts]).toEqual(['Throttling', 'client', 400, 4]);
    k.sim.faults.failNext('DescribeDBInstances', { code: 'ServiceUnavailable' }, 4);
    const server = (await k.failure(k.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'db1' })))) as typeof error;
    expect([server.name, server.$fault, server.$metadata.httpStatusCode]).toEqual(['ServiceUnavailable', 'server', 503]);
  });

  it('throttled on every attempt, a write fails as a StepError and nothing changed', async () => {
    const k = start();
    k.sim.faults.failNext('ModifyDBInstance', { code: 'ThrottlingException' }, 4);
    expect(await k.failure(k.gateway.renameInstance('db1', 'db1-old'))).toBeInstanceOf(StepError);
    expect(k.sim.instance('db1')?.PendingModifiedValues).toEqual({});
  });

  it('a network error on every attempt of a write is an OutcomeUnknownError — here nothing changed', async () => {
    const k = start();
    k.sim.faults.failNext('ModifyDBInstance', 'ECONNRESET', 4);
    expect(await k.failure(k.gateway.renameInstance('db1', 'db1-old'))).toBeInstanceOf(OutcomeUnknownError);
    expect(k.sim.instance('db1')?.PendingModifiedValues).toEqual({});
  });

  it('a wait polls through network errors and throttling (only a domain state ends it)', async () => {
    const k = start();
    await k.run(
      k.gateway.restoreInstance({
        identifier: 'db2',
        snapshotIdentifier: 's1',
        config: (await k.run(k.gateway.describeInstance('db1')))!.config,
      }),
    );
    k.sim.faults.failNext('DescribeDBInstances', 'ECONNRESET', 12).failNext('DescribeDBInstances', { code: 'Throttling' }, 12);
    const seen: string[] = [];
    const db2 = await k.run(k.gateway.waitInstanceAvailable('db2', { onStatus: (s) => seen.push(s) }));
    expect(db2.status).toBe('available');
    expect(seen.some((s) => s.startsWith('no answer'))).toBe(true);
    expect(k.sim.faults.pending()).toBe(0);
  });

  it('a fault can target one command and input, or every command', async () => {
    const k = start();
    k.sim.faults.failNext(
      { command: 'DescribeDBInstances', when: (input) => input.DBInstanceIdentifier === 'db2' },
      { code: 'InternalFailure' },
      1,
    );
    await k.run(k.gateway.describeInstance('db1'));
    expect(k.sim.faults.pending()).toBe(1);
    k.sim.faults.clear();
    k.sim.faults.failNext('*', 'ETIMEDOUT', 1);
    await k.run(k.gateway.describeQuotas());
    expect(outcomes(k, 'DescribeAccountAttributes')).toEqual(['fault:ETIMEDOUT', 'ok']);
  });
});

describe('the call takes effect and its answer is lost', () => {
  it('a rename whose answer is lost on every attempt happened, yet the caller hears OutcomeUnknownError', async () => {
    const k = start();
    k.sim.faults.loseAnswer('ModifyDBInstance', 4);
    expect(await k.failure(k.gateway.renameInstance('db1', 'db1-old'))).toBeInstanceOf(OutcomeUnknownError);
    expect(outcomes(k, 'ModifyDBInstance')).toEqual(['answer-lost', 'answer-lost', 'answer-lost', 'answer-lost']);
    expect((await k.run(k.gateway.waitInstanceRenamed('db1', 'db1-old'))).identifier).toBe('db1-old');
  });

  it('a restore whose answer is lost once: the SDK’s own retry meets DBInstanceAlreadyExists, though the restore is under way', async () => {
    const k = start();
    k.sim.faults.loseAnswer('RestoreDBInstanceFromDBSnapshot', 1);
    const config = (await k.run(k.gateway.describeInstance('db1')))!.config;
    const error = await k.failure(k.gateway.restoreInstance({ identifier: 'db2', snapshotIdentifier: 's1', config }));
    expect((error as Error).message).toContain('DBInstanceAlreadyExistsFault');
    expect(outcomes(k, 'RestoreDBInstanceFromDBSnapshot')).toEqual(['answer-lost', 'DBInstanceAlreadyExists']);
    expect(k.sim.instance('db2')?.DBInstanceStatus).toBe('creating');
  });

  it('a whole restore survives a lost answer on the rename: the step re-checks and finds the rename under way', async () => {
    world = simWorld({ timers: vitestTimers(vi), timings: FAST_TIMINGS });
    seedSampleInstance(world.sim);
    world.sim.faults.loseAnswer({ command: 'ModifyDBInstance', when: (input) => input.NewDBInstanceIdentifier !== undefined }, 4);
    const w = world;
    const prepared = await w.time.run(
      prepareRestore(w.deps, { identifier: 'db1', kind: 'instance', snapshot: 's1', freshSnapshot: false, strategy: 'rename-first' }),
    );
    const { outcome } = await w.time.run(prepared.start());
    expect(outcome.status).toBe('succeeded');
    expect(w.sim.callsOf('RestoreDBInstanceFromDBSnapshot')).toHaveLength(1);
    expect(w.sim.instance('db1')?.TagList).toEqual([{ Key: 'team', Value: 'platform' }]);
  });
});
