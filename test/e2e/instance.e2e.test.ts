import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DescribeDBSnapshotsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createInstanceFixture,
  describeInstance,
  instanceIds,
  rdsClient,
  resetMoto,
  runCli,
  tempJournalDir,
  type RunJson,
} from './moto.js';

const json = (stdout: string): RunJson => JSON.parse(stdout) as RunJson;

async function snapshots(identifier: string) {
  const out = await rdsClient().send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: identifier, SnapshotType: 'manual' }));
  return out.DBSnapshots ?? [];
}

describe('trapheus against the moto server: DB instances', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
  });

  it('snapshot-only takes a tagged snapshot and prints one JSON document', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    const run = await runCli(['snapshot-only', '--identifier', 'db1', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(0);
    const summary = json(run.stdout);
    expect(summary).toMatchObject({ status: 'succeeded', snapshotIdentifier: expect.stringMatching(/^trapheus-db1-/) });
    const [snap] = await snapshots('db1');
    expect(snap?.DBSnapshotIdentifier).toBe(summary.snapshotIdentifier);
    const tags = await rdsClient().send(new ListTagsForResourceCommand({ ResourceName: snap!.DBSnapshotArn! }));
    expect(tags.TagList).toEqual(expect.arrayContaining([{ Key: 'trapheus:managed', Value: 'true' }]));
  });

  it('restores from the newest snapshot trapheus took, in place, leaving nothing temporary', async () => {
    const before = await createInstanceFixture({ identifier: 'db1' });
    expect((await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir })).code).toBe(0);
    const [snap] = await snapshots('db1');
    const run = await runCli(['restore', '--identifier', 'db1', '--yes', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(0);
    const summary = json(run.stdout);
    expect(summary.status).toBe('succeeded');
    expect(summary.snapshotIdentifier).toBe(snap?.DBSnapshotIdentifier);
    expect(summary.steps.every((s) => s.status === 'succeeded')).toBe(true);
    expect(await instanceIds()).toEqual(['db1']);
    const after = await describeInstance('db1');
    expect(after?.InstanceCreateTime?.getTime()).not.toBe(before.InstanceCreateTime?.getTime());
  });

  it('restores with --fresh-snapshot from a snapshot it takes first', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    const run = await runCli(['restore', '--identifier', 'db1', '--fresh-snapshot', '--yes', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(0);
    const summary = json(run.stdout);
    expect(summary.snapshotIdentifier).toMatch(/^trapheus-db1-/);
    expect((await snapshots('db1')).map((s) => s.DBSnapshotIdentifier)).toContain(summary.snapshotIdentifier);
    expect(await instanceIds()).toEqual(['db1']);
  });

  it.each(['swap', 'rename-first'])(
    'keeps the parameter group, security groups, Multi-AZ, deletion protection and tags (%s)',
    async (strategy) => {
      await createInstanceFixture({
        identifier: 'db1',
        parameterGroup: 'custom-pg',
        securityGroups: ['sg-0123456789abcdef0', 'sg-0fedcba9876543210'],
        multiAZ: true,
        deletionProtection: true,
        tags: { team: 'platform', env: 'staging' },
      });
      const run = await runCli(['restore', '--identifier', 'db1', '--fresh-snapshot', '--strategy', strategy, '--yes', '--json'], {
        journalDir,
      });
      expect(run.code, run.stderr).toBe(0);
      const summary = json(run.stdout);
      expect(summary.configDifferences).toEqual([]);
      expect(summary.downtimeSeconds).toBeGreaterThanOrEqual(0);
      expect(summary.steps.map((s) => s.id)).toContain(strategy === 'swap' ? 'rename-restored' : 'rename-original');
      const after = await describeInstance('db1');
      expect(after?.DBParameterGroups?.[0]?.DBParameterGroupName).toBe('custom-pg');
      expect(after?.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId).sort()).toEqual(['sg-0123456789abcdef0', 'sg-0fedcba9876543210']);
      expect(after?.MultiAZ).toBe(true);
      expect(after?.DeletionProtection).toBe(true);
      expect(after?.TagList).toEqual(
        expect.arrayContaining([
          { Key: 'team', Value: 'platform' },
          { Key: 'env', Value: 'staging' },
        ]),
      );
      expect(await instanceIds()).toEqual(['db1']);
    },
  );

  it('with a missing snapshot exits 3 and leaves the instance untouched', async () => {
    const before = await createInstanceFixture({ identifier: 'db1' });
    const run = await runCli(['restore', '--identifier', 'db1', '--snapshot', 'does-not-exist', '--yes', '--json'], { journalDir });
    expect(run.code).toBe(3);
    expect(json(run.stdout).error?.message).toMatch(/Snapshot does-not-exist not found/);
    expect(await instanceIds()).toEqual(['db1']);
    expect((await describeInstance('db1'))?.InstanceCreateTime?.getTime()).toBe(before.InstanceCreateTime?.getTime());
  });

  it('--dry-run plans and checks but changes nothing', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir });
    const run = await runCli(['restore', '--identifier', 'db1', '--dry-run', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(0);
    expect(json(run.stdout).status).toBe('planned');
    expect(await instanceIds()).toEqual(['db1']);
    expect((await runCli(['runs', '--json'], { journalDir })).stdout).not.toContain('"restore"');
  });

  it.each([
    ['an invalid identifier', ['restore', '--identifier', 'db_1!', '--yes']],
    ['an unknown flag', ['restore', '--identifier', 'db1', '--yes', '--frobnicate']],
    ['both --snapshot and --fresh-snapshot', ['restore', '--identifier', 'db1', '--snapshot', 's1', '--fresh-snapshot', '--yes']],
    ['no --yes without a terminal', ['restore', '--identifier', 'db1']],
  ])('exits 2 and touches nothing for %s', async (_name, args) => {
    const before = await createInstanceFixture({ identifier: 'db1' });
    const run = await runCli(args, { journalDir });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.length).toBeGreaterThan(0);
    expect(await instanceIds()).toEqual(['db1']);
    expect((await describeInstance('db1'))?.InstanceCreateTime?.getTime()).toBe(before.InstanceCreateTime?.getTime());
  });

  it('exits 2 with the key path for a bad config file, touching nothing', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    const config = path.join(journalDir, 'bad.json');
    await writeFile(config, JSON.stringify({ snapshots: { retain: 'three' } }));
    const run = await runCli(['--config', config, 'restore', '--identifier', 'db1', '--yes'], { journalDir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/snapshots\.retain/);
    expect(await instanceIds()).toEqual(['db1']);
  });

  it('lists runs and shows one run', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    const snap = json((await runCli(['snapshot-only', '--identifier', 'db1', '--json'], { journalDir })).stdout);
    const { runs } = JSON.parse((await runCli(['runs', '--json'], { journalDir })).stdout) as { runs: { runId: string; status: string }[] };
    expect(runs).toEqual([expect.objectContaining({ runId: snap.runId, status: 'succeeded' })]);
    const status = await runCli(['status', snap.runId!], { journalDir });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('create-snapshot');
    expect(status.stdout).toContain('run finished: succeeded');
  });
});
