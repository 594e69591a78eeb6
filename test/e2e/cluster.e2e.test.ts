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

  it.each(['rename-first', 'swap'])(
    'restores a cluster with a writer and a reader in place, keeping its settings (%s)',
    async (strategy) => {
      await createClusterFixture({
        identifier: 'c1',
        writer: 'c1-writer',
        reader: 'c1-reader',
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

      // Nothing temporary is left: only the cluster and its two members, under their names.
      expect(await clusterIds()).toEqual(['c1']);
      expect(await instanceIds()).toEqual(['c1-reader', 'c1-writer']);
      const after = await describeCluster('c1');
      expect(after?.DbClusterResourceId).not.toBe(before?.DbClusterResourceId);
      expect(after?.DBClusterParameterGroup).toBe('custom-cpg');
      expect(after?.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId)).toEqual(['sg-0123456789abcdef0']);
      expect(after?.DeletionProtection).toBe(true);
      expect(after?.TagList).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'data' }]));
      for (const member of ['c1-writer', 'c1-reader']) expect((await describeInstance(member))?.DBInstanceStatus).toBe('available');
      if (strategy === 'rename-first') {
        const writer = after?.DBClusterMembers?.find((m) => m.IsClusterWriter);
        expect(writer?.DBInstanceIdentifier).toBe('c1-writer');
        for (const member of ['c1-writer', 'c1-reader']) expect((await describeInstance(member))?.DBClusterIdentifier).toBe('c1');
      }
      // With swap, moto keeps the members attached to the name their cluster had when they were
      // created (c1-restoring) after the cluster is renamed to c1 (DESIGN §6), so membership and
      // the writer role after a swap are asserted against the fake RDS, which renames as RDS does.
    },
  );

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
