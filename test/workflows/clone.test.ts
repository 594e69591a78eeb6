import { Chalk } from 'chalk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatSummary } from '../../src/cli/print-summary.js';
import type { ConfigInput } from '../../src/config/config-schema.js';
import { PreconditionError, UsageError } from '../../src/core/errors.js';
import { prepareClone, type CloneRequest } from '../../src/workflows/clone/prepare-clone.js';
import { resumeRun } from '../../src/workflows/run/start-run.js';
import { SimulatedCrash } from '../fakes/memory-journal.js';
import { FAST_TIMINGS } from '../sim/sim-timings.js';
import { seedSampleCluster, seedSampleInstance, simWorld, type SimWorld } from '../sim/sim-world.js';
import { vitestTimers } from '../sim/virtual-time.js';
import { FakeRunner } from './hooks-fake-runner.js';

// trapheus clone on the simulated RDS behind the production gateway: a new database with the
// source's configuration (and the overrides), the source only read, and a revert that deletes
// the clone — only what this run created.
let world: SimWorld | undefined;
afterEach(() => world?.stop());

function setUp(kind: 'instance' | 'aurora-cluster' = 'instance', config: ConfigInput = {}) {
  world = simWorld({ timers: vitestTimers(vi), timings: FAST_TIMINGS, config });
  if (kind === 'instance') seedSampleInstance(world.sim);
  else seedSampleCluster(world.sim);
  const runner = new FakeRunner();
  world.deps.commands = runner;
  const w = world;
  const base: CloneRequest =
    kind === 'instance'
      ? { identifier: 'db1', target: 'copy-db', kind, snapshot: 's1', freshSnapshot: false }
      : { identifier: 'c1', target: 'copy', kind, snapshot: 'cs1', freshSnapshot: false };
  const prepare = (extra: Partial<CloneRequest> = {}) => w.time.run(prepareClone(w.deps, { ...base, ...extra }));
  const clone = async (extra: Partial<CloneRequest> = {}) => {
    const prepared = await prepare(extra);
    expect(prepared.ok, JSON.stringify(prepared.summary.preflight)).toBe(true);
    return w.time.run(prepared.start());
  };
  return { w, runner, prepare, clone };
}

/** Every mutating call that named the source (it must stay untouched). */
const touching = (w: SimWorld, source: string) =>
  w.sim.mutatingCalls().filter((c) => Object.values(c.input).some((v) => typeof v === 'string' && v.toLowerCase() === source));

const tagsOf = (tags: { Key?: string; Value?: string }[] | undefined): Record<string, string | undefined> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value]));

describe('trapheus clone of a DB instance', () => {
  it("creates the new instance with the source's configuration, tagged as this run's; the source is only read", async () => {
    const { w, clone } = setUp();
    const before = w.sim.instance('db1');
    const { outcome, summary } = await clone();
    expect(outcome.status).toBe('succeeded');
    await w.time.advance(3600_000);
    const copy = w.sim.instance('copy-db');
    expect(copy).toMatchObject({
      DBInstanceStatus: 'available',
      DBInstanceClass: 'db.r6g.large',
      MultiAZ: true,
      DeletionProtection: true,
      DBParameterGroups: [{ DBParameterGroupName: 'custom-pg', ParameterApplyStatus: 'in-sync' }],
      OptionGroupMemberships: [{ OptionGroupName: 'custom-og' }],
      DBSubnetGroup: { DBSubnetGroupName: 'private-subnets' },
      BackupRetentionPeriod: 14,
      PerformanceInsightsEnabled: true,
    });
    expect(copy?.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId)).toEqual(['sg-1', 'sg-2']);
    expect(tagsOf(copy?.TagList)).toEqual({ team: 'platform', 'trapheus:clone-of': 'db1', 'trapheus:run': summary.runId });
    expect(copy?.DbiResourceId).not.toBe(before?.DbiResourceId);
    // Nothing of the source changed: no rename, no modify, no delete names it; it is as it was.
    expect(touching(w, 'db1')).toEqual([]);
    expect(w.sim.instance('db1')).toEqual(before);
    expect(w.sim.callsOf('DeleteDBInstance')).toEqual([]);
    expect(summary.command).toBe('clone');
    expect(summary.steps.map((s) => s.id)).toEqual(['capture-original', 'restore-snapshot', 'apply-settings', 'reboot-pending', 'verify']);
    expect(summary.situation?.[0]).toMatch(/^DB instance copy-db is a new copy of db1 from snapshot s1, available at copy-db\./);
    expect(summary.situation).toContain('db1 was not changed.');
    expect(summary.target).toBe('copy-db');
    expect(formatSummary(summary, new Chalk({ level: 0 })).split('\n')[0]).toContain('clone of db1 into copy-db succeeded');
  });

  it('applies the overrides: instance class, subnet group, security groups, parameter group', async () => {
    const { w, clone } = setUp();
    w.sim.addSubnetGroup('dev-subnets');
    w.sim.addParameterGroup('dev-pg', 'postgres16');
    const overrides = {
      instanceClass: 'db.t4g.medium',
      dbSubnetGroupName: 'dev-subnets',
      vpcSecurityGroupIds: ['sg-0aa', 'sg-0bb'],
      parameterGroupName: 'dev-pg',
    };
    const { outcome, summary } = await clone({ overrides });
    expect(outcome.status).toBe('succeeded');
    expect(summary.configDifferences).toEqual([]);
    const copy = w.sim.instance('copy-db');
    expect(copy?.DBInstanceClass).toBe('db.t4g.medium');
    expect(copy?.DBSubnetGroup?.DBSubnetGroupName).toBe('dev-subnets');
    expect(copy?.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId)).toEqual(['sg-0aa', 'sg-0bb']);
    expect(copy?.DBParameterGroups?.[0]?.DBParameterGroupName).toBe('dev-pg');
    expect(w.sim.instance('db1')?.DBInstanceClass).toBe('db.r6g.large');
  });

  it('takes a fresh snapshot of the source first with --fresh-snapshot', async () => {
    const { w, clone } = setUp();
    const { outcome, summary } = await clone({ snapshot: undefined, freshSnapshot: true });
    expect(outcome.status).toBe('succeeded');
    expect(summary.snapshotIdentifier).toMatch(/^trapheus-db1-/);
    expect(w.sim.callsOf('CreateDBSnapshot').map((c) => c.input.DBInstanceIdentifier)).toEqual(['db1']);
    expect(w.sim.callsOf('RestoreDBInstanceFromDBSnapshot')[0]?.input.DBSnapshotIdentifier).toBe(summary.snapshotIdentifier);
  });

  it.each([
    ['a DB instance', (w: SimWorld) => seedSampleInstance(w.sim, 'copy-db', 's-copy')],
    ['a DB cluster', (w: SimWorld) => seedSampleCluster(w.sim, 'copy-db', 'cs-copy')],
  ])('fails the preflight when the target name is taken by %s; nothing is created', async (_what, take) => {
    const { w, prepare } = setUp();
    take(w);
    const mutating = w.sim.mutatingCalls().length;
    const prepared = await prepare();
    await prepared.release();
    expect(prepared.ok).toBe(false);
    expect(prepared.summary.preflight?.find((c) => c.name === 'target identifier free')).toMatchObject({ ok: false });
    await expect(prepared.start()).rejects.toBeInstanceOf(PreconditionError);
    expect(w.sim.mutatingCalls()).toHaveLength(mutating);
  });

  it.each([
    [{ target: 'Copy_DB' }, 'is not a valid RDS identifier'],
    [{ target: 'db1' }, 'the database cloned itself'],
    [{ overrides: { vpcSecurityGroupIds: ['default'] } }, 'is not a VPC security group id'],
  ] as const)('refuses %o before any AWS call (exit 2)', async (extra, message) => {
    const { w, prepare } = setUp();
    const error: unknown = await prepare(extra as Partial<CloneRequest>).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
    expect(w.sim.calls).toEqual([]);
  });

  it('reverts a failed clone by deleting the clone only', async () => {
    const { w, clone } = setUp();
    w.sim.failRestoresWith('incompatible-parameters');
    const before = w.sim.instance('db1');
    const { outcome, summary } = await clone();
    expect(outcome.status).toBe('rolled_back');
    await w.time.advance(3600_000);
    expect(w.sim.instance('copy-db')).toBeUndefined();
    expect(w.sim.callsOf('DeleteDBInstance').map((c) => c.input.DBInstanceIdentifier)).toEqual(['copy-db']);
    expect(w.sim.instance('db1')).toEqual(before);
    expect(summary.situation).toContain('db1 was not changed.');
  });

  it('never takes over, nor deletes, a database someone else created under the target name after the preflight', async () => {
    const { w, prepare } = setUp();
    const prepared = await prepare();
    expect(prepared.ok).toBe(true);
    seedSampleInstance(w.sim, 'copy-db', 's-other');
    const theirs = w.sim.instance('copy-db')?.DbiResourceId;
    const { outcome } = await w.time.run(prepared.start());
    expect(outcome.status).toBe('rolled_back');
    expect(outcome.failure?.message).toContain('copy-db exists and was not created by this run');
    expect(w.sim.callsOf('RestoreDBInstanceFromDBSnapshot')).toEqual([]);
    expect(w.sim.callsOf('DeleteDBInstance')).toEqual([]);
    expect(w.sim.instance('copy-db')?.DbiResourceId).toBe(theirs);
  });

  it('resumes after a crash at every journal write and ends with one clone, made once', async () => {
    for (let n = 1; ; n += 1) {
      const { w, clone } = setUp();
      w.journal.crashAfterWrites = n;
      const result = await clone().catch((e: unknown) => e);
      if (!(result instanceof SimulatedCrash)) {
        expect((result as { outcome: { status: string } }).outcome.status).toBe('succeeded');
        expect(n).toBeGreaterThan(10);
        break;
      }
      w.journal.crashAfterWrites = undefined;
      const { outcome } = await w.time.run(resumeRun(w.deps));
      expect(outcome.status, `crash after write ${n}`).toBe('succeeded');
      expect(w.sim.callsOf('RestoreDBInstanceFromDBSnapshot').length, `crash after write ${n}`).toBe(1);
      expect(w.sim.instance('copy-db')?.DBInstanceStatus).toBe('available');
      expect(touching(w, 'db1')).toEqual([]);
      world?.stop();
    }
  });

  it('runs the hooks against the clone (TRAPHEUS_COMMAND=clone); a failing afterRestore deletes the clone', async () => {
    const hooks = { beforeCutover: { command: ['psql', '-f', 'mask.sql'] }, afterRestore: { command: 'exit 1' } };
    const { w, runner, clone } = setUp('instance', { hooks });
    runner.onRun = ({ hook }) => (hook === 'afterRestore' ? { exitCode: 1 } : undefined);
    const { outcome, summary } = await clone();
    expect(runner.calls.map((c) => c.hook)).toEqual(['beforeCutover', 'afterRestore']);
    expect(runner.calls[0]?.spec.env).toMatchObject({
      TRAPHEUS_COMMAND: 'clone',
      TRAPHEUS_IDENTIFIER: 'db1',
      TRAPHEUS_DB_IDENTIFIER: 'copy-db',
    });
    expect(runner.calls[1]?.spec.env.TRAPHEUS_DB_ENDPOINT).toMatch(/^copy-db\./);
    expect(summary.steps.map((s) => s.id).slice(-2)).toEqual(['hook-before-cutover', 'hook-after-restore']);
    expect(outcome.status).toBe('rolled_back');
    await w.time.advance(3600_000);
    expect(w.sim.instance('copy-db')).toBeUndefined();
    expect(w.sim.instance('db1')?.DBInstanceStatus).toBe('available');
  });

  it('shows the plan with --dry-run and changes nothing', async () => {
    const { w, prepare } = setUp();
    const prepared = await prepare();
    await prepared.release();
    expect(prepared.ok).toBe(true);
    expect(prepared.summary).toMatchObject({ status: 'planned', command: 'clone', identifier: 'db1', snapshotIdentifier: 's1' });
    expect(prepared.summary.steps.map((s) => s.title)).toContain('Restore the snapshot under the new identifier');
    expect(prepared.summary.preflight?.find((c) => c.name === 'target identifier free')?.detail).toBe('copy-db is free');
    expect(w.sim.mutatingCalls()).toEqual([]);
  });
});

describe('trapheus clone --cluster', () => {
  it('creates the cluster and its members (writer first, renamed after the target), with --instance-class on every member', async () => {
    const { w, clone } = setUp('aurora-cluster');
    const { outcome, summary } = await clone({ overrides: { instanceClass: 'db.r6g.2xlarge' } });
    expect(outcome.status).toBe('succeeded');
    const copy = w.sim.cluster('copy');
    expect(copy).toMatchObject({
      Status: 'available',
      DBClusterParameterGroup: 'custom-cpg',
      DeletionProtection: true,
      BackupRetentionPeriod: 7,
    });
    expect(copy?.DBClusterMembers?.map((m) => [m.DBInstanceIdentifier, m.IsClusterWriter])).toEqual([
      ['copy-a', true],
      ['copy-b', false],
      ['copy-c', false],
    ]);
    for (const name of ['copy-a', 'copy-b', 'copy-c']) {
      expect(w.sim.instance(name)?.DBInstanceClass).toBe('db.r6g.2xlarge');
      expect(tagsOf(w.sim.instance(name)?.TagList)['trapheus:run']).toBe(summary.runId);
    }
    expect(w.sim.instance('c1-c')?.DBInstanceClass).toBe('db.r6g.xlarge');
    expect(touching(w, 'c1')).toEqual([]);
    expect(touching(w, 'c1-a')).toEqual([]);
  });

  it('reverts a failed cluster clone by deleting its members and the cluster, nothing of the source', async () => {
    const { w, runner, clone } = setUp('aurora-cluster', { hooks: { afterRestore: { command: ['notify'] } } });
    runner.onRun = () => ({ exitCode: 2 });
    const { outcome } = await clone();
    expect(outcome.status).toBe('rolled_back');
    await w.time.advance(3600_000);
    expect(w.sim.cluster('copy')).toBeUndefined();
    expect(['copy-a', 'copy-b', 'copy-c'].map((n) => w.sim.instance(n))).toEqual([undefined, undefined, undefined]);
    expect(w.sim.cluster('c1')?.Status).toBe('available');
    expect(w.sim.callsOf('DeleteDBCluster').map((c) => c.input.DBClusterIdentifier)).toEqual(['copy']);
  });
});

describe('trapheus clone --to-time / --latest-restorable', () => {
  const DAY = 86_400_000;
  /** The sample databases, three days old: they have a restorable window. */
  const age = (w: SimWorld): void => {
    const created = new Date(w.time.now() - 3 * DAY);
    for (const r of w.sim.store.instances) r.db.InstanceCreateTime = created;
    for (const r of w.sim.store.clusters) r.db.ClusterCreateTime = created;
  };

  it("clones an instance's data as it was at a time inside its window, with its configuration; the source untouched", async () => {
    const { w, clone } = setUp();
    age(w);
    const source = w.sim.instance('db1')?.DbiResourceId;
    const time = new Date(w.time.now() - DAY).toISOString();
    const { outcome, summary } = await clone({ snapshot: undefined, toTime: time });
    expect(outcome.status).toBe('succeeded');
    expect(summary.source).toMatchObject({ kind: 'point-in-time', sourceIdentifier: 'db1', restoreTime: time });
    expect(summary.snapshotIdentifier).toBeUndefined();
    expect(w.sim.callsOf('RestoreDBInstanceToPointInTime')[0]?.input).toMatchObject({
      SourceDBInstanceIdentifier: 'db1',
      TargetDBInstanceIdentifier: 'copy-db',
      DBParameterGroupName: 'custom-pg',
    });
    expect(w.sim.pointInTimeRestores).toEqual([
      { kind: 'instance', identifier: 'copy-db', sourceResourceId: source, restoredTo: new Date(time) },
    ]);
    expect(w.sim.instance('copy-db')).toMatchObject({ DBInstanceStatus: 'available', DBInstanceClass: 'db.r6g.large', MultiAZ: true });
    expect(touching(w, 'db1').map((c) => c.command)).toEqual(['RestoreDBInstanceToPointInTime']); // names db1 as its source only
    expect(summary.situation?.[0]).toContain(`from db1 as of ${time}`);
  });

  it('clones an Aurora cluster at its latest restorable time, members created', async () => {
    const { w, clone } = setUp('aurora-cluster');
    age(w);
    const { outcome } = await clone({ snapshot: undefined, latestRestorable: true });
    expect(outcome.status).toBe('succeeded');
    expect(w.sim.callsOf('RestoreDBClusterToPointInTime')[0]?.input).toMatchObject({
      SourceDBClusterIdentifier: 'c1',
      DBClusterIdentifier: 'copy',
      UseLatestRestorableTime: true,
    });
    expect(w.sim.cluster('copy')?.DBClusterMembers?.map((m) => m.DBInstanceIdentifier)).toEqual(['copy-a', 'copy-b', 'copy-c']);
    expect(w.sim.cluster('c1')?.Status).toBe('available');
  });

  it('refuses a time outside the window in the preflight, and --to-time with --snapshot before any AWS call', async () => {
    const { w, prepare } = setUp();
    age(w);
    const prepared = await prepare({ snapshot: undefined, toTime: new Date(w.time.now() + 3600_000).toISOString() });
    await prepared.release();
    expect(prepared.ok).toBe(false);
    expect(
      prepared.summary.preflight
        ?.filter((c) => !c.ok)
        .map((c) => c.detail)
        .join(' '),
    ).toMatch(/is in the future/);
    const calls = w.sim.calls.length;
    await expect(prepare({ toTime: '2026-11-26T09:30:00Z' })).rejects.toBeInstanceOf(UsageError);
    await expect(prepare({ snapshot: undefined, toTime: 'yesterday' })).rejects.toBeInstanceOf(UsageError);
    expect(w.sim.calls).toHaveLength(calls);
    expect(w.sim.mutatingCalls()).toEqual([]);
  });
});
