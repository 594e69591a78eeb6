import { CreateDBClusterCommand, ListTagsForResourceCommand } from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { clusterIds, createInstanceFixture, describeInstance, instanceIds, rdsClient, resetMoto, runCli, tempJournalDir } from './moto.js';

// Fixtures of the cases real RDS is strict about (RDS-RULES.md), run through the built CLI
// against moto: moto accepts more than RDS, so these show trapheus's own side — what it sends,
// keeps and refuses. The rejections themselves are shown by the simulated RDS (test/sim).

describe('trapheus against moto: what real RDS is strict about', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
  });

  it('restores a gp3 instance under 400 GiB that carries an aws: tag, keeping the user tags', async () => {
    await createInstanceFixture({
      identifier: 'db1',
      storage: { type: 'gp3', allocated: 100 },
      tags: { team: 'platform', 'aws:cloudformation:stack-name': 'prod' },
    });
    expect((await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir })).code).toBe(0);
    const run = await runCli(['restore', '--identifier', 'db1', '--yes', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { status: string; configDifferences: unknown[] };
    expect(summary.status).toBe('succeeded');
    expect(summary.configDifferences).toEqual([]);
    expect(await instanceIds()).toEqual(['db1']);
    const db1 = await describeInstance('db1');
    expect([db1?.StorageType, db1?.AllocatedStorage]).toEqual(['gp3', 100]);
    const tags = await rdsClient().send(new ListTagsForResourceCommand({ ResourceName: db1!.DBInstanceArn! }));
    expect(tags.TagList).toContainEqual({ Key: 'team', Value: 'platform' });
  });

  it('refuses a Multi-AZ DB cluster (not Aurora) with exit 3, touching nothing', async () => {
    await rdsClient().send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'maz1',
        Engine: 'postgres',
        EngineVersion: '16.3',
        DBClusterInstanceClass: 'db.m6gd.large',
        StorageType: 'io1',
        Iops: 1000,
        AllocatedStorage: 100,
        MasterUsername: 'admin1',
        MasterUserPassword: 'password-123456',
      }),
    );
    const run = await runCli(['restore', '--identifier', 'maz1', '--cluster', '--dry-run'], { journalDir });
    expect(run.code, run.stdout + run.stderr).toBe(3);
    expect(run.stdout + run.stderr).toMatch(/maz1 is a Multi-AZ DB cluster \(postgres\), not an Aurora cluster/);
    expect(await clusterIds()).toEqual(['maz1']);
  });
});
