import { CreateBlueGreenDeploymentCommand } from '@aws-sdk/client-rds';
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
} from './moto.js';

describe('trapheus against the moto server: Aurora clusters', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
  });

  // swap on moto: a cluster of the writer alone (cut over by the renames alone). With a reader,
  // swap cuts over writer-last and fails back at the end, which moto cannot do (below).
  it.each([
    { strategy: 'rename-first', members: ['c1-reader', 'c1-writer'] },
    { strategy: 'swap', members: ['c1-writer'] },
  ])('restores a cluster in place, keeping its settings ($strategy, members $members)', async ({ strategy, members }) => {
    await createClusterFixture({
      identifier: 'c1',
      writer: 'c1-writer',
      reader: members.includes('c1-reader') ? 'c1-reader' : undefined,
      parameterGroup: 'custom-cpg',
      securityGroups: ['sg-0123456789abcdef0'],
      deletionProtection: true,
      tags: { team: 'data' },
    });
    const before = await describeCluster('c1');
    const snap = await runCli(['snapshot-only', '--identifier', 'c1', '--cluster', '--json'], { journalDir });
    expect(snap.code, snap.stderr).toBe(0);

    const run = await runCli(['restore', '--identifier', 'c1', '--cluster', '--strategy', strategy, '--yes', '--json'], { journalDir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { status: string; snapshotIdentifier: string };
    expect(summary.status).toBe('succeeded');
    expect(summary.snapshotIdentifier).toBe((JSON.parse(snap.stdout) as { snapshotIdentifier: string }).snapshotIdentifier);

    // Nothing temporary is left: only the cluster and its members, under their names.
    expect(await clusterIds()).toEqual(['c1']);
    expect(await instanceIds()).toEqual(members);
    const after = await describeCluster('c1');
    expect(after?.DbClusterResourceId).not.toBe(before?.DbClusterResourceId);
    expect(after?.DBClusterParameterGroup).toBe('custom-cpg');
    expect(after?.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId)).toEqual(['sg-0123456789abcdef0']);
    expect(after?.DeletionProtection).toBe(true);
    expect(after?.TagList).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'data' }]));
    for (const member of members) expect((await describeInstance(member))?.DBInstanceStatus).toBe('available');
    if (strategy === 'rename-first') {
      const writer = after?.DBClusterMembers?.find((m) => m.IsClusterWriter);
      expect(writer?.DBInstanceIdentifier).toBe('c1-writer');
      for (const member of members) expect((await describeInstance(member))?.DBClusterIdentifier).toBe('c1');
    }
    // With swap, moto keeps the members attached to the name their cluster had when they were
    // created (c1-restoring) after the cluster is renamed to c1 (DESIGN §6), so membership and
    // the writer role after a swap are asserted against the fake RDS, which renames as RDS does.
  });

  it('swap with a reader on moto: the copy fails over (moto accepts it), but the fail-back cannot, so the whole cut-over reverts (exit 1)', async () => {
    await createClusterFixture({ identifier: 'c1', writer: 'c1-writer', reader: 'c1-reader', deletionProtection: true });
    const before = await describeCluster('c1');
    const snap = await runCli(['snapshot-only', '--identifier', 'c1', '--cluster', '--json'], { journalDir });
    expect(snap.code, snap.stderr).toBe(0);
    const run = await runCli(['restore', '--identifier', 'c1', '--cluster', '--strategy', 'swap', '--yes', '--json'], { journalDir });
    // moto keeps the restored members attached to c1-restoring once the cluster is renamed c1
    // (DESIGN §6), so c1 does not list c1-writer: fail-back refuses, and the revert puts every
    // original back under its name. Real RDS moves members with their cluster (the fake and
    // simulated RDS do too: the writer-last tests run there).
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const summary = JSON.parse(run.stdout) as { status: string; error: { step: string }; situation: string[] };
    expect(summary.status).toBe('rolled_back');
    expect(summary.error.step).toBe('fail-back');
    expect(summary.situation[0]).toBe('Cluster c1 and its members are back under their original names and available.');
    expect(await clusterIds()).toEqual(['c1']);
    expect(await instanceIds()).toEqual(['c1-reader', 'c1-writer']);
    expect((await describeCluster('c1'))?.DbClusterResourceId).toBe(before?.DbClusterResourceId);
  });

  it('says which flag was meant: --cluster on an instance, or a cluster without it (exit 2)', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    const onInstance = await runCli(['restore', '--identifier', 'db1', '--cluster', '--yes'], { journalDir });
    expect(onInstance.code).toBe(2);
    expect(onInstance.stderr).toMatch(/Drop --cluster/);

    await createClusterFixture({ identifier: 'c2', writer: 'c2-w', reader: 'c2-r' });
    const withoutFlag = await runCli(['snapshot-only', '--identifier', 'c2'], { journalDir });
    expect(withoutFlag.code).toBe(2);
    expect(withoutFlag.stderr).toMatch(/Add --cluster/);
  });
});

describe('trapheus against the moto server: clusters in a blue/green deployment', () => {
  it('refuses to restore a cluster that is the source of a blue/green deployment (exit 3), touching nothing', async () => {
    await resetMoto();
    const journalDir = await tempJournalDir();
    await createClusterFixture({ identifier: 'c3', writer: 'c3-w', reader: 'c3-r' });
    await runCli(['snapshot-only', '--identifier', 'c3', '--cluster'], { journalDir });
    const source = await describeCluster('c3');
    await rdsClient().send(
      new CreateBlueGreenDeploymentCommand({ BlueGreenDeploymentName: 'bg1', Source: source!.DBClusterArn!, TargetEngineVersion: '16.3' }),
    );
    const before = await clusterIds();
    const run = await runCli(['restore', '--identifier', 'c3', '--cluster', '--yes'], { journalDir });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toMatch(/blue\/green deployment/);
    expect(await clusterIds()).toEqual(before);
  });
});
