import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateDBParameterGroupCommand, ListTagsForResourceCommand } from '@aws-sdk/client-rds';
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

const json = (stdout: string): RunJson => JSON.parse(stdout) as RunJson;

async function tagsOf(arn: string | undefined): Promise<Record<string, string | undefined>> {
  const out = await rdsClient().send(new ListTagsForResourceCommand({ ResourceName: arn }));
  return Object.fromEntries((out.TagList ?? []).map((t) => [t.Key ?? '', t.Value]));
}

describe('trapheus clone against the moto server', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
  });

  it("creates a new instance with the source's configuration from its newest trapheus snapshot; the source is untouched", async () => {
    const source = await createInstanceFixture({
      identifier: 'prod-db',
      parameterGroup: 'prod-pg',
      deletionProtection: true,
      tags: { team: 'payments' },
    });
    expect((await runCli(['snapshot-only', '--identifier', 'prod-db'], { journalDir })).code).toBe(0);
    const run = await runCli(['clone', '--identifier', 'prod-db', '--target', 'copy-db', '--yes', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(0);
    const summary = json(run.stdout);
    expect(summary).toMatchObject({ command: 'clone', runCommand: 'clone', status: 'succeeded', identifier: 'prod-db', target: 'copy-db' });
    expect(summary.situation).toContain('prod-db was not changed.');

    expect(await instanceIds()).toEqual(['copy-db', 'prod-db']);
    const copy = await describeInstance('copy-db');
    // moto resets the parameter group on a restore: trapheus carried it over.
    expect(copy?.DBParameterGroups?.[0]?.DBParameterGroupName).toBe('prod-pg');
    expect(copy?.DeletionProtection).toBe(true);
    expect(await tagsOf(copy?.DBInstanceArn)).toMatchObject({
      team: 'payments',
      'trapheus:clone-of': 'prod-db',
      'trapheus:run': summary.runId,
    });
    const after = await describeInstance('prod-db');
    expect(after?.InstanceCreateTime?.getTime()).toBe(source.InstanceCreateTime?.getTime());
    expect(after?.DBInstanceStatus).toBe('available');
  });

  it('applies --instance-class and --parameter-group with --fresh-snapshot', async () => {
    await createInstanceFixture({ identifier: 'prod-db', parameterGroup: 'prod-pg' });
    await rdsClient().send(
      new CreateDBParameterGroupCommand({ DBParameterGroupName: 'dev-pg', DBParameterGroupFamily: 'postgres16', Description: 'e2e' }),
    );
    const run = await runCli(
      [
        'clone',
        '--identifier',
        'prod-db',
        '--target',
        'dev-db',
        '--fresh-snapshot',
        '--instance-class',
        'db.t3.small',
        '--parameter-group',
        'dev-pg',
        '--yes',
        '--json',
      ],
      { journalDir },
    );
    expect(run.code, run.stderr).toBe(0);
    const copy = await describeInstance('dev-db');
    expect(copy?.DBInstanceClass).toBe('db.t3.small');
    expect(copy?.DBParameterGroups?.[0]?.DBParameterGroupName).toBe('dev-pg');
    expect((await describeInstance('prod-db'))?.DBInstanceClass).toBe('db.t3.micro');
  });

  it('shows the plan with --dry-run and refuses a target that exists (exit 3), creating nothing', async () => {
    await createInstanceFixture({ identifier: 'prod-db' });
    await createInstanceFixture({ identifier: 'taken-db' });
    expect((await runCli(['snapshot-only', '--identifier', 'prod-db'], { journalDir })).code).toBe(0);
    const dry = await runCli(['clone', '--identifier', 'prod-db', '--target', 'copy-db', '--dry-run', '--json'], { journalDir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(json(dry.stdout)).toMatchObject({ status: 'planned', runId: null, target: 'copy-db' });
    const taken = await runCli(['clone', '--identifier', 'prod-db', '--target', 'taken-db', '--yes', '--json'], { journalDir });
    expect(taken.code).toBe(3);
    expect(json(taken.stdout).error?.message).toContain('taken-db (a DB instance) already exists');
    const noTerminal = await runCli(['clone', '--identifier', 'prod-db', '--target', 'copy-db'], { journalDir });
    expect(noTerminal.code).toBe(2);
    expect(await instanceIds()).toEqual(['prod-db', 'taken-db']);
  });

  it('deletes the clone, and only the clone, when its afterRestore hook fails (exit 1)', async () => {
    await createInstanceFixture({ identifier: 'prod-db' });
    expect((await runCli(['snapshot-only', '--identifier', 'prod-db'], { journalDir })).code).toBe(0);
    const config = path.join(await tempJournalDir(), 'hooks.json');
    await writeFile(config, JSON.stringify({ hooks: { afterRestore: { command: 'echo "seeding $TRAPHEUS_DB_IDENTIFIER"; exit 4' } } }));
    const run = await runCli(['--config', config, 'clone', '--identifier', 'prod-db', '--target', 'copy-db', '--yes', '--json'], {
      journalDir,
    });
    expect(run.code, run.stderr).toBe(1);
    const summary = json(run.stdout);
    expect(summary.status).toBe('rolled_back');
    expect(summary.error?.message).toContain('exited 4 against copy-db');
    expect(summary.error?.message).toContain('seeding copy-db');
    expect(await instanceIds()).toEqual(['prod-db']);
  });

  it("clones an instance's data at a point in time (--to-time), the source untouched", async () => {
    const source = await createInstanceFixture({ identifier: 'prod-db', parameterGroup: 'prod-pg' });
    // moto's restorable window is [creation, now] (see sources.e2e.test.ts).
    const time = source.InstanceCreateTime?.toISOString() ?? '';
    const run = await runCli(['clone', '--identifier', 'prod-db', '--target', 'copy-db', '--to-time', time, '--yes', '--json'], {
      journalDir,
    });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as RunJson & { source?: { kind: string; restoreTime?: string }; snapshotIdentifier?: string };
    expect(summary).toMatchObject({ status: 'succeeded', target: 'copy-db', source: { kind: 'point-in-time', restoreTime: time } });
    expect(summary.snapshotIdentifier).toBeUndefined();
    expect(await instanceIds()).toEqual(['copy-db', 'prod-db']);
    expect((await describeInstance('copy-db'))?.DBParameterGroups?.[0]?.DBParameterGroupName).toBe('prod-pg');
    expect((await describeInstance('prod-db'))?.InstanceCreateTime?.getTime()).toBe(source.InstanceCreateTime?.getTime());
  });

  it('clones an Aurora cluster with its members (--cluster)', async () => {
    await createClusterFixture({ identifier: 'c1', writer: 'c1-a', reader: 'c1-b', parameterGroup: 'c1-cpg' });
    expect((await runCli(['snapshot-only', '--identifier', 'c1', '--cluster'], { journalDir })).code).toBe(0);
    const run = await runCli(['clone', '--identifier', 'c1', '--cluster', '--target', 'c2', '--yes', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(0);
    expect(json(run.stdout)).toMatchObject({ status: 'succeeded', target: 'c2' });
    expect(await clusterIds()).toEqual(['c1', 'c2']);
    const c2 = await describeCluster('c2');
    expect(c2?.DBClusterParameterGroup).toBe('c1-cpg');
    expect(c2?.DBClusterMembers?.map((m) => [m.DBInstanceIdentifier, m.IsClusterWriter]).sort()).toEqual([
      ['c2-a', true],
      ['c2-b', false],
    ]);
    expect((await describeCluster('c1'))?.DBClusterMembers?.map((m) => m.DBInstanceIdentifier).sort()).toEqual(['c1-a', 'c1-b']);
  });
});
