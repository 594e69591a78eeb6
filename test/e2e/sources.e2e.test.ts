import { ListTagsForResourceCommand } from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  clusterIds,
  createClusterFixture,
  createInstanceFixture,
  describeCluster,
  describeInstance,
  instanceIds,
  rdsClient,
  resetMoto,
  runCli,
  tempJournalDir,
  type RunJson,
} from './moto.js';

// Restores whose data comes from elsewhere, end to end against moto: another database's
// snapshot (--from) and a point in time (--to-time, --latest-restorable). moto reports an
// instance's LatestRestorableTime as "now" and no automated-backup RestoreWindow, so the window
// trapheus checks is [creation, now]; moto itself accepts any restore time (checked with moto
// 5.2.1), which is why trapheus's own preflight must refuse one outside the window.

const json = (stdout: string): RunJson => JSON.parse(stdout) as RunJson;

async function tags(arn: string | undefined) {
  const out = await rdsClient().send(new ListTagsForResourceCommand({ ResourceName: arn ?? '' }));
  return Object.fromEntries((out.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])) as Record<string, string>;
}

describe('restore sources against the moto server', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
  });

  it("refreshes staging from production's newest snapshot, keeping staging's configuration", async () => {
    await createInstanceFixture({ identifier: 'prod-db', tags: { env: 'production' } });
    const before = await createInstanceFixture({
      identifier: 'staging-db',
      parameterGroup: 'staging-pg',
      deletionProtection: true,
      tags: { env: 'staging' },
    });
    expect((await runCli(['snapshot-only', '--identifier', 'prod-db'], { journalDir })).code).toBe(0);
    const prodBefore = await describeInstance('prod-db');

    const dry = await runCli(['restore', '--identifier', 'staging-db', '--from', 'prod-db', '--dry-run', '--json'], { journalDir });
    expect(dry.code, dry.stderr).toBe(0);
    const plan = json(dry.stdout);
    expect(plan.source).toMatchObject({ kind: 'snapshot', of: 'prod-db' });
    expect(plan.preflight?.find((c) => c.name === 'data and configuration')?.detail).toMatch(
      /^data: prod-db's snapshot trapheus-prod-db-\S+ of prod-db; configuration: staging-db's own/,
    );

    const run = await runCli(['restore', '--identifier', 'staging-db', '--from', 'prod-db', '--yes', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(0);
    const summary = json(run.stdout);
    expect(summary.status).toBe('succeeded');
    expect(summary.snapshotIdentifier).toMatch(/^trapheus-prod-db-/);
    expect(await instanceIds()).toEqual(['prod-db', 'staging-db']);
    const after = await describeInstance('staging-db');
    expect(after?.InstanceCreateTime?.getTime()).not.toBe(before.InstanceCreateTime?.getTime());
    // moto restores with the default parameter group: staging's own is carried over by trapheus.
    expect(after?.DBParameterGroups?.[0]?.DBParameterGroupName).toBe('staging-pg');
    expect(after?.DeletionProtection).toBe(true);
    expect(await tags(after?.DBInstanceArn)).toMatchObject({ env: 'staging' });
    // production is only read
    const prodAfter = await describeInstance('prod-db');
    expect(prodAfter?.InstanceCreateTime?.getTime()).toBe(prodBefore?.InstanceCreateTime?.getTime());
    expect(prodAfter?.DBInstanceStatus).toBe('available');
  });

  it('refuses --from a database without snapshots, and --from itself, changing nothing', async () => {
    await createInstanceFixture({ identifier: 'prod-db' });
    const staging = await createInstanceFixture({ identifier: 'staging-db' });
    const none = await runCli(['restore', '--identifier', 'staging-db', '--from', 'prod-db', '--yes', '--json'], { journalDir });
    expect(none.code).toBe(3);
    expect(json(none.stdout).error?.message).toMatch(/No available snapshot of prod-db/);
    const self = await runCli(['restore', '--identifier', 'staging-db', '--from', 'staging-db', '--yes'], { journalDir });
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/names the database being restored/);
    expect(await instanceIds()).toEqual(['prod-db', 'staging-db']);
    expect((await describeInstance('staging-db'))?.InstanceCreateTime?.getTime()).toBe(staging.InstanceCreateTime?.getTime());
  });

  it.each(['rename-first', 'swap'])('restores an instance to a point in time in place (%s)', async (strategy) => {
    const before = await createInstanceFixture({ identifier: 'db1', parameterGroup: 'custom-pg', tags: { team: 'platform' } });
    // Inside moto's window [creation, now].
    const time = before.InstanceCreateTime?.toISOString() ?? '';
    const run = await runCli(['restore', '--identifier', 'db1', '--to-time', time, '--strategy', strategy, '--yes', '--json'], {
      journalDir,
    });
    expect(run.code, run.stderr).toBe(0);
    const summary = json(run.stdout);
    expect(summary).toMatchObject({ status: 'succeeded', source: { kind: 'point-in-time', sourceIdentifier: 'db1', restoreTime: time } });
    expect(summary.snapshotIdentifier).toBeUndefined();
    expect(summary.steps.find((s) => s.id === 'restore-snapshot')?.title).toBe(`Restore the instance from db1 as of ${time}`);
    expect(await instanceIds()).toEqual(['db1']);
    const after = await describeInstance('db1');
    // moto's point-in-time copy keeps the source's DbiResourceId (real RDS gives a new one): the creation time tells them apart.
    expect(after?.InstanceCreateTime?.getTime()).not.toBe(before.InstanceCreateTime?.getTime());
    expect(after?.DBParameterGroups?.[0]?.DBParameterGroupName).toBe('custom-pg');
    expect(await tags(after?.DBInstanceArn)).toMatchObject({ team: 'platform' });
  });

  it('refuses a time in the future, before the window, or badly written: nothing changed', async () => {
    const before = await createInstanceFixture({ identifier: 'db1' });
    const created = before.InstanceCreateTime ?? new Date();
    const future = await runCli(
      ['restore', '--identifier', 'db1', '--to-time', new Date(Date.now() + 3600_000).toISOString(), '--yes', '--json'],
      {
        journalDir,
      },
    );
    expect(future.code).toBe(3);
    expect(json(future.stdout)).toMatchObject({ status: 'error', runId: null });
    expect(json(future.stdout).error?.message).toMatch(/is in the future/);
    const early = await runCli(
      ['restore', '--identifier', 'db1', '--to-time', new Date(created.getTime() - 86_400_000).toISOString(), '--yes'],
      {
        journalDir,
      },
    );
    expect(early.code).toBe(3);
    expect(early.stdout + early.stderr).toMatch(/is before db1's restorable window not before its creation at/);
    const sloppy = await runCli(['restore', '--identifier', 'db1', '--to-time', 'yesterday', '--yes'], { journalDir });
    expect(sloppy.code).toBe(2);
    expect(sloppy.stderr).toMatch(/not an ISO 8601 time with a UTC offset/);
    const both = await runCli(['restore', '--identifier', 'db1', '--latest-restorable', '--snapshot', 's1', '--yes'], { journalDir });
    expect(both.code).toBe(2);
    expect(await instanceIds()).toEqual(['db1']);
    expect((await describeInstance('db1'))?.InstanceCreateTime?.getTime()).toBe(before.InstanceCreateTime?.getTime());
  });

  it('restores an Aurora cluster at its latest restorable time, its writer recreated', async () => {
    // The writer alone: with a reader, swap ends with a fail-back that moto cannot do (cluster.e2e.test.ts).
    await createClusterFixture({ identifier: 'c1', writer: 'c1-a', parameterGroup: 'custom-cpg', tags: { team: 'data' } });
    const before = await describeCluster('c1');
    const run = await runCli(['restore', '--identifier', 'c1', '--cluster', '--latest-restorable', '--yes', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(0);
    expect(json(run.stdout)).toMatchObject({
      status: 'succeeded',
      source: { kind: 'point-in-time', sourceIdentifier: 'c1', latest: true },
    });
    expect(await clusterIds()).toEqual(['c1']);
    const after = await describeCluster('c1');
    expect(after?.DbClusterResourceId).not.toBe(before?.DbClusterResourceId);
    expect(after?.DBClusterParameterGroup).toBe('custom-cpg');
    expect((await instanceIds()).sort()).toEqual(['c1-a']);
  });

  it('a point in time of another database (--from with --latest-restorable)', async () => {
    await createInstanceFixture({ identifier: 'prod-db' });
    await createInstanceFixture({ identifier: 'staging-db', parameterGroup: 'staging-pg' });
    const run = await runCli(['restore', '--identifier', 'staging-db', '--from', 'prod-db', '--latest-restorable', '--yes', '--json'], {
      journalDir,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(json(run.stdout).source).toMatchObject({ kind: 'point-in-time', sourceIdentifier: 'prod-db', latest: true });
    expect(await instanceIds()).toEqual(['prod-db', 'staging-db']);
    expect((await describeInstance('staging-db'))?.DBParameterGroups?.[0]?.DBParameterGroupName).toBe('staging-pg');
  });
});
