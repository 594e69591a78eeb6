import {
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DescribeDBSnapshotsCommand,
  ListTagsForResourceCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createInstanceFixture,
  describeInstance,
  instanceIds,
  motoEndpoint,
  rdsClient,
  resetMoto,
  runCli,
  tempJournalDir,
  type RunJson,
} from './moto.js';

// The receiving side of a snapshot from elsewhere, end to end against moto: a snapshot of another
// region (--source-region) is copied into this region, then restored. moto 5.2.1 copies a
// snapshot named by the ARN of another region of the same account, but cannot express another
// account: a snapshot shared by one (DescribeDBSnapshots/CopyDBSnapshot with its ARN) is not found
// (checked with moto 5.2.1 and the x-moto-account-id header). That case is covered on the
// simulated RDS (test/workflows/copy-snapshot.test.ts).

const json = (stdout: string): RunJson => JSON.parse(stdout) as RunJson;

const west = () =>
  new RDSClient({ endpoint: motoEndpoint(), region: 'us-west-2', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });

describe('restore --snapshot of another region against the moto server', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
  });

  it('copies the snapshot into this region (tagged as trapheus’s), then restores db1 from the copy', async () => {
    const before = await createInstanceFixture({ identifier: 'db1' });
    await west().send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'west-db',
        DBInstanceClass: 'db.t3.micro',
        Engine: 'postgres',
        EngineVersion: '16.3',
        AllocatedStorage: 20,
        MasterUsername: 'admin1',
        MasterUserPassword: 'password-123456',
      }),
    );
    await west().send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'west-db', DBSnapshotIdentifier: 'west-weekly' }));
    const args = ['restore', '--identifier', 'db1', '--snapshot', 'west-weekly', '--source-region', 'us-west-2'];

    const dry = await runCli([...args, '--dry-run', '--json'], { journalDir });
    expect(dry.code, dry.stderr).toBe(0);
    const plan = json(dry.stdout);
    expect(plan.steps.map((s) => s.id).slice(0, 2)).toEqual(['capture-original', 'copy-snapshot']);
    expect(plan.preflight?.find((c) => c.name === 'snapshot to copy')?.detail).toContain(
      'arn:aws:rds:us-west-2:123456789012:snapshot:west-weekly',
    );

    const run = await runCli([...args, '--yes', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(0);
    const summary = json(run.stdout);
    expect(summary.status).toBe('succeeded');
    expect(summary.snapshotIdentifier).toMatch(/^db1-copy-\d{8}-\d{6}$/);
    const copy = (await rdsClient().send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: summary.snapshotIdentifier ?? '' })))
      .DBSnapshots?.[0];
    expect(copy?.Status).toBe('available');
    const tags = await rdsClient().send(new ListTagsForResourceCommand({ ResourceName: copy?.DBSnapshotArn ?? '' }));
    expect(Object.fromEntries((tags.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? '']))).toMatchObject({
      'trapheus:managed': 'true',
      'trapheus:source': 'west-db',
    });
    expect(await instanceIds()).toEqual(['db1']);
    const after = await describeInstance('db1');
    expect(after?.InstanceCreateTime?.getTime()).not.toBe(before.InstanceCreateTime?.getTime());
  });

  it('refuses a snapshot that the other region does not have, changing nothing', async () => {
    const before = await createInstanceFixture({ identifier: 'db1' });
    const run = await runCli(['restore', '--identifier', 'db1', '--snapshot', 'nope', '--source-region', 'us-west-2', '--yes', '--json'], {
      journalDir,
    });
    expect(run.code).toBe(3);
    expect(run.stdout + run.stderr).toContain('not visible to this account');
    expect((await describeInstance('db1'))?.InstanceCreateTime?.getTime()).toBe(before.InstanceCreateTime?.getTime());
  });
});
