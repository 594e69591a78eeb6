import { describe, expect, it } from 'vitest';
import { PreconditionError, UsageError } from '../../src/core/errors.js';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { DB1_SETTINGS, instanceWorld } from './instance-world.js';

type World = ReturnType<typeof instanceWorld>;

async function restore(world: World, req: { snapshot?: string; freshSnapshot?: boolean } = { snapshot: 's1' }) {
  const prepared = await prepareRestore(world.deps, { identifier: 'db1', kind: 'instance', freshSnapshot: false, ...req });
  expect(prepared.ok, JSON.stringify(prepared.summary.preflight)).toBe(true);
  return prepared.start();
}

/** The original's resource id, taken before anything runs. */
async function originalId(world: World): Promise<string> {
  const info = await world.rds.describeInstance('db1');
  if (!info) throw new Error('db1 missing');
  return info.resourceId;
}

/** Exactly one instance named db1 and nothing temporary: the invariant after every run. */
async function expectOnlyDb1(world: World) {
  expect(await world.rds.describeInstance('db1-temp')).toBeUndefined();
  const db1 = await world.rds.describeInstance('db1');
  expect(db1?.status).toBe('available');
  return db1!;
}

describe('instance restore, rename-first', () => {
  it('restores db1 in place from the named snapshot, keeping its configuration, and deletes the original', async () => {
    const world = instanceWorld();
    const before = await originalId(world);
    const { outcome, summary } = await restore(world);

    expect(outcome.status).toBe('succeeded');
    const db1 = await expectOnlyDb1(world);
    expect(db1.resourceId).not.toBe(before);
    expect(db1.config).toMatchObject(DB1_SETTINGS);
    expect(summary.configDifferences).toEqual([]);
    expect(summary.steps.every((s) => s.status === 'succeeded')).toBe(true);
    expect(summary.situation?.[0]).toMatch(/db1 is restored from s1 and available/);
    // The original's automated backups are kept by default; no final snapshot unless asked.
    const deletion = world.rds.calls.find((c) => c.verb === 'deleteInstance');
    expect(deletion?.args).toEqual(['db1-temp', { finalSnapshotIdentifier: undefined, keepAutomatedBackups: true }]);
  });

  it('reboots the restored copy when its parameter group waits for a reboot, before verifying it', async () => {
    const world = instanceWorld();
    world.rds.restoreIgnores = ['dbParameterGroupName'];
    const { outcome, summary } = await restore(world);
    expect(outcome.status).toBe('succeeded');
    const verbs = world.rds.calls.map((c) => c.verb);
    const modify = verbs.indexOf('modifyInstance');
    const reboot = verbs.indexOf('rebootInstance');
    expect(world.rds.calls[modify]?.args[1]).toMatchObject({ dbParameterGroupName: 'custom-pg' });
    expect(reboot).toBeGreaterThan(modify);
    expect(world.rds.calls[reboot]?.args).toEqual(['db1']);
    expect(verbs.filter((v) => v === 'rebootInstance')).toHaveLength(1);
    const db1 = await world.rds.describeInstance('db1');
    expect(db1?.parameterApplyStatus).toBe('in-sync');
    expect(summary.steps.find((s) => s.id === 'reboot-pending')?.status).toBe('succeeded');
  });

  it('does not reboot a copy whose parameter group is in sync', async () => {
    const world = instanceWorld();
    expect((await restore(world)).outcome.status).toBe('succeeded');
    expect(world.rds.calls.some((c) => c.verb === 'rebootInstance')).toBe(false);
  });

  it('restores a snapshot of another minor version with a warning that says so', async () => {
    const world = instanceWorld();
    world.rds.addSnapshot({ identifier: 's162', sourceIdentifier: 'db1', engineVersion: '16.2' });
    const prepared = await prepareRestore(world.deps, { identifier: 'db1', kind: 'instance', freshSnapshot: false, snapshot: 's162' });
    expect(prepared.ok).toBe(true);
    expect(prepared.summary.warnings).toContain(
      'Snapshot s162 is of postgres 16.2; db1 runs 16.3. The restored copy runs 16.2 until upgraded.',
    );
    expect((await prepared.start()).outcome.status).toBe('succeeded');
  });

  it('never sends nor verifies tags with reserved prefixes (aws:, rds:), keeping the others', async () => {
    const world = instanceWorld();
    world.rds.instances.delete('db1');
    const tags = [...DB1_SETTINGS.tags, { key: 'aws:cloudformation:stack-name', value: 'prod' }];
    world.rds.addInstance({ identifier: 'db1', ...DB1_SETTINGS, tags });
    const { outcome, summary } = await restore(world);
    expect(outcome.status).toBe('succeeded');
    // The copy has the user's tags only (RDS refuses aws: on write), and that is no difference.
    expect((await world.rds.describeInstance('db1'))?.config.tags).toEqual(DB1_SETTINGS.tags);
    expect(summary.configDifferences).toEqual([]);
  });

  it('grows a SQL Server copy to the original storage after the restore (the restore call takes no storage settings for it)', async () => {
    const world = instanceWorld();
    world.rds.addInstance({
      identifier: 'mssql1',
      engine: 'sqlserver-se',
      engineVersion: '15.00.4345.5.v1',
      allocatedStorage: 200,
      storageType: 'gp3',
    });
    world.rds.addSnapshot({ identifier: 'ms1', sourceIdentifier: 'mssql1' });
    const prepared = await prepareRestore(world.deps, { identifier: 'mssql1', kind: 'instance', freshSnapshot: false, snapshot: 'ms1' });
    expect(prepared.ok, JSON.stringify(prepared.summary.preflight)).toBe(true);
    const { outcome, summary } = await prepared.start();
    expect(outcome.status).toBe('succeeded');
    const modify = world.rds.calls.find((c) => c.verb === 'modifyInstance' && c.args[0] === 'mssql1');
    expect(modify?.args[1]).toMatchObject({ allocatedStorage: 200 });
    expect((await world.rds.describeInstance('mssql1'))?.config.allocatedStorage).toBe(200);
    expect(summary.configDifferences).toEqual([]);
  });

  it('turns deletion protection off on the renamed original only', async () => {
    const world = instanceWorld();
    await restore(world);
    const unprotect = world.rds.calls.filter(
      (c) => c.verb === 'modifyInstance' && (c.args[1] as { deletionProtection?: boolean }).deletionProtection === false,
    );
    expect(unprotect.map((c) => c.args)).toEqual([['db1-temp', { deletionProtection: false }]]);
    // The restored copy gets its protection back once it is available.
    const restoreCall = world.rds.calls.find((c) => c.verb === 'restoreInstance');
    expect((restoreCall?.args[0] as { config: { deletionProtection: boolean } }).config.deletionProtection).toBe(false);
    expect((await world.rds.describeInstance('db1'))?.config.deletionProtection).toBe(true);
  });

  it('takes a final snapshot of the original when configured', async () => {
    const world = instanceWorld({ restore: { finalSnapshot: true, keepAutomatedBackups: false } });
    await restore(world);
    const deletion = world.rds.calls.find((c) => c.verb === 'deleteInstance');
    expect(deletion?.args[1]).toMatchObject({
      finalSnapshotIdentifier: expect.stringMatching(/^db1-final-\d{8}-\d{6}$/),
      keepAutomatedBackups: false,
    });
  });

  it("picks the newest snapshot trapheus took, else the predecessor's <id>-snapshot", async () => {
    const world = instanceWorld();
    world.rds.addSnapshot({ identifier: 'db1-snapshot', sourceIdentifier: 'db1' });
    let prepared = await prepareRestore(world.deps, { identifier: 'db1', kind: 'instance', freshSnapshot: false });
    expect(prepared.summary.snapshotIdentifier).toBe('db1-snapshot');
    await prepared.release();

    const tags = [
      { key: 'trapheus:managed', value: 'true' },
      { key: 'trapheus:source', value: 'db1' },
    ];
    world.rds.addSnapshot({ identifier: 'trapheus-old', sourceIdentifier: 'db1', tags, createdAt: new Date('2025-01-01T00:00:00Z') });
    world.rds.addSnapshot({ identifier: 'trapheus-new', sourceIdentifier: 'db1', tags, createdAt: new Date('2025-06-01T00:00:00Z') });
    world.rds.addSnapshot({ identifier: 'someone-elses-newer', sourceIdentifier: 'db1', createdAt: new Date('2025-09-01T00:00:00Z') });
    prepared = await prepareRestore(world.deps, { identifier: 'db1', kind: 'instance', freshSnapshot: false });
    expect(prepared.summary.snapshotIdentifier).toBe('trapheus-new');
    await prepared.release();
  });

  it('with --fresh-snapshot snapshots the original first, restores from it, and prunes only its own old snapshots', async () => {
    const world = instanceWorld({ snapshots: { retain: 2 } });
    const tags = [
      { key: 'trapheus:managed', value: 'true' },
      { key: 'trapheus:source', value: 'db1' },
    ];
    world.rds.addSnapshot({ identifier: 'trapheus-a', sourceIdentifier: 'db1', tags, createdAt: new Date('2025-01-01T00:00:00Z') });
    world.rds.addSnapshot({ identifier: 'trapheus-b', sourceIdentifier: 'db1', tags, createdAt: new Date('2025-02-01T00:00:00Z') });
    const { outcome, summary } = await restore(world, { freshSnapshot: true });
    expect(outcome.status).toBe('succeeded');
    const fresh = summary.snapshotIdentifier!;
    expect(fresh).toMatch(/^trapheus-db1-\d{8}-\d{6}$/);
    expect((await world.rds.describeSnapshot(fresh))?.tags).toEqual(expect.arrayContaining(tags));
    const restoreCall = world.rds.calls.find((c) => c.verb === 'restoreInstance');
    expect(restoreCall?.args[0]).toMatchObject({ snapshotIdentifier: fresh });
    // The snapshot was taken before the original was renamed.
    const verbs = world.rds.calls.map((c) => c.verb);
    expect(verbs.indexOf('createSnapshot')).toBeLessThan(verbs.indexOf('renameInstance'));
    // retain 2 = the fresh one and the newest older one; s1 (not ours) is never touched.
    expect(await world.rds.describeSnapshot('trapheus-a')).toBeUndefined();
    expect(await world.rds.describeSnapshot('trapheus-b')).toBeDefined();
    expect(await world.rds.describeSnapshot('s1')).toBeDefined();
  });
});

describe('instance restore preflight', () => {
  const cases: [string, (w: World) => void, { snapshot?: string }, RegExp][] = [
    ['the instance is missing', (w) => w.rds.removeInstance('db1'), { snapshot: 's1' }, /No DB instance db1/],
    ['the snapshot is missing', () => undefined, { snapshot: 'nope' }, /Snapshot nope not found/],
    ['no snapshot at all', () => undefined, {}, /No snapshot of db1 to restore from/],
    ['the temporary name is taken', (w) => w.rds.addInstance({ identifier: 'db1-temp' }), { snapshot: 's1' }, /db1-temp already exists/],
    [
      'the snapshot is of another engine',
      (w) => w.rds.addSnapshot({ identifier: 'my-sql', sourceIdentifier: 'db1', engine: 'mysql' }),
      { snapshot: 'my-sql' },
      /engine mysql/,
    ],
    ['the instance is not available', (w) => w.rds.setStatus('db1', 'modifying'), { snapshot: 's1' }, /db1 is modifying/],
    ['the instance quota is full', (w) => w.rds.setQuotas({ instancesUsed: 40, instancesMax: 40 }), { snapshot: 's1' }, /quota/],
    [
      'db1 is in a blue/green deployment',
      (w) => w.rds.blueGreen.set('arn:aws:rds:us-east-1:123456789012:db:db1', { identifier: 'bgd-1', status: 'AVAILABLE' }),
      { snapshot: 's1' },
      /blue\/green deployment bgd-1/,
    ],
    [
      'db1 has read replicas',
      (w) => w.rds.addInstance({ identifier: 'db1-replica', readReplicaSourceIdentifier: 'db1' }),
      { snapshot: 's1' },
      /read replicas/,
    ],
    [
      'db1 has pending modifications a rename would apply',
      (w) => {
        w.rds.instances.delete('db1');
        w.rds.addInstance({ identifier: 'db1', ...DB1_SETTINGS, pendingModifications: ['DBInstanceClass', 'EngineVersion'] });
      },
      { snapshot: 's1' },
      /pending modifications \(DBInstanceClass, EngineVersion\); a rename would apply them/,
    ],
    [
      'the snapshot is of another major engine version',
      (w) => w.rds.addSnapshot({ identifier: 's15', sourceIdentifier: 'db1', engineVersion: '15.7' }),
      { snapshot: 's15' },
      /postgres 15.7, db1 runs 16.3: another major version/,
    ],
  ];
  for (const [name, arrange, req, message] of cases) {
    it(`fails when ${name}, with zero mutating calls`, async () => {
      const world = instanceWorld();
      if (name === 'no snapshot at all') world.rds.removeSnapshot('s1');
      arrange(world);
      const prepared = await prepareRestore(world.deps, { identifier: 'db1', kind: 'instance', freshSnapshot: false, ...req });
      expect(prepared.ok).toBe(false);
      expect(prepared.summary.error?.message).toMatch(message);
      await expect(prepared.start()).rejects.toBeInstanceOf(PreconditionError);
      expect(world.rds.mutatingCalls()).toEqual([]);
      expect(world.journal.docs.size).toBe(0);
      expect(world.locks.held.size).toBe(0);
    });
  }

  it('says to add --cluster when the identifier is a cluster, and to name the cluster for a member', async () => {
    const world = instanceWorld();
    world.rds.addCluster({ identifier: 'c1', members: [{ identifier: 'c1-a', isWriter: true }] });
    await expect(prepareRestore(world.deps, { identifier: 'c1', kind: 'instance', freshSnapshot: false })).rejects.toThrow(UsageError);
    const error = await prepareRestore(world.deps, { identifier: 'c1-a', kind: 'instance', freshSnapshot: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).hint).toMatch(/--identifier c1 --cluster/);
    expect(world.rds.mutatingCalls()).toEqual([]);
  });

  it('refuses an invalid identifier before any AWS call', async () => {
    const world = instanceWorld();
    await expect(prepareRestore(world.deps, { identifier: 'db_1', kind: 'instance', freshSnapshot: false })).rejects.toThrow(UsageError);
    expect(world.rds.calls).toEqual([]);
  });

  it('keeps a second run off the same instance, and names the resume command for an unfinished run', async () => {
    const world = instanceWorld();
    const first = await prepareRestore(world.deps, { identifier: 'db1', kind: 'instance', freshSnapshot: false, snapshot: 's1' });
    await expect(prepareRestore(world.deps, { identifier: 'db1', kind: 'instance', freshSnapshot: false, snapshot: 's1' })).rejects.toThrow(
      /locked/,
    );
    await first.release();

    const controller = new AbortController();
    world.deps.signal = controller.signal;
    // Ctrl-C while the restore is under way leaves an unfinished run behind.
    world.rds.onCall('restoreInstance', () => controller.abort(new Error('SIGINT')));
    const { outcome, summary } = await restore(world);
    expect(outcome.status).toBe('interrupted');
    const error = await prepareRestore(
      { ...world.deps, signal: new AbortController().signal },
      { identifier: 'db1', kind: 'instance', freshSnapshot: false, snapshot: 's1' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionError);
    expect((error as PreconditionError).hint).toContain(`trapheus resume ${summary.runId}`);
  });
});
