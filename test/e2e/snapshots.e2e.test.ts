import { CreateDBClusterSnapshotCommand, CreateDBSnapshotCommand, DescribeDBSnapshotAttributesCommand } from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { createClusterFixture, createInstanceFixture, rdsClient, resetMoto, runCli, tempJournalDir } from './moto.js';

type Listing = {
  schemaVersion: number;
  command: string;
  status: string;
  identifier: string;
  cluster: boolean;
  database: { exists: boolean; status?: string };
  restorableWindow?: { earliest?: string; latest?: string; earliestIsBound?: boolean; backupRetentionPeriod?: number };
  snapshots: {
    identifier: string;
    type: string;
    status: string;
    createdAt?: string;
    ageSeconds?: number;
    allocatedStorageGiB?: number;
    engine: string;
    engineVersion?: string;
    trapheus: boolean;
    runId?: string;
  }[];
};
const json = (stdout: string): Listing => JSON.parse(stdout) as Listing;

describe('trapheus snapshots against the moto server', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
  });

  it("lists an instance's snapshots newest first, marks trapheus's own, and says the restorable window", async () => {
    await createInstanceFixture({ identifier: 'db1' });
    await rdsClient().send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'db1', DBSnapshotIdentifier: 'by-hand' }));
    await new Promise((r) => setTimeout(r, 1100)); // snapshot times have a resolution of a second
    const taken = await runCli(['snapshot-only', '--identifier', 'db1', '--json'], { journalDir });
    expect(taken.code, taken.stderr).toBe(0);
    const { snapshotIdentifier, runId } = JSON.parse(taken.stdout) as { snapshotIdentifier: string; runId: string };

    const run = await runCli(['snapshots', '--identifier', 'db1', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(0);
    const listing = json(run.stdout);
    expect(listing).toMatchObject({
      schemaVersion: 1,
      command: 'snapshots',
      status: 'ok',
      identifier: 'db1',
      cluster: false,
      database: { exists: true, status: 'available' },
    });
    expect(listing.snapshots.map((s) => [s.identifier, s.type, s.trapheus])).toEqual([
      [snapshotIdentifier, 'manual', true],
      ['by-hand', 'manual', false],
    ]);
    expect(listing.snapshots[0]).toMatchObject({
      runId,
      status: 'available',
      allocatedStorageGiB: 20,
      engine: 'postgres',
      engineVersion: '16.3',
    });
    expect(listing.snapshots[1]?.ageSeconds).toBeGreaterThanOrEqual(1);
    expect(listing.restorableWindow?.latest).toBeDefined();
    // moto reports no automated-backup RestoreWindow: the window starts at the creation time, said so.
    expect(listing.restorableWindow?.earliestIsBound).toBe(true);

    const human = await runCli(['snapshots', '--identifier', 'db1'], { journalDir });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/DB instance db1: point-in-time restore \(--to-time\) from not before its creation at \S+ to \S+/);
    expect(human.stdout).toMatch(/SNAPSHOT\s+TYPE\s+STATUS\s+CREATED\s+AGE\s+SIZE\s+ENGINE\s+TRAPHEUS/);
    expect(human.stdout).toMatch(new RegExp(`${snapshotIdentifier}\\s+manual\\s+available.*20 GiB\\s+postgres 16.3\\s+yes`));
  });

  it('lists a cluster with --cluster, and names --cluster when it is missing', async () => {
    await createClusterFixture({ identifier: 'c1', writer: 'c1-a', reader: 'c1-b' });
    await rdsClient().send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'c1', DBClusterSnapshotIdentifier: 'cs1' }));
    const run = await runCli(['snapshots', '--identifier', 'c1', '--cluster', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(0);
    const listing = json(run.stdout);
    expect(listing.cluster).toBe(true);
    expect(listing.snapshots.map((s) => s.identifier)).toContain('cs1');
    expect(listing.restorableWindow?.earliest).toBeDefined();
    const wrong = await runCli(['snapshots', '--identifier', 'c1'], { journalDir });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--cluster/);
  });

  it('snapshot-only --share-with shares the new snapshot (the restore attribute); a bad account id is exit 2', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    const run = await runCli(['snapshot-only', '--identifier', 'db1', '--share-with', '111122223333,444455556666', '--json'], {
      journalDir,
    });
    expect(run.code, run.stderr).toBe(0);
    const { snapshotIdentifier, steps } = JSON.parse(run.stdout) as { snapshotIdentifier: string; steps: { id: string; status: string }[] };
    expect(steps.find((s) => s.id === 'share-snapshot')?.status).toBe('succeeded');
    const out = await rdsClient().send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: snapshotIdentifier }));
    const restore = out.DBSnapshotAttributesResult?.DBSnapshotAttributes?.find((a) => a.AttributeName === 'restore');
    expect([...(restore?.AttributeValues ?? [])].sort()).toEqual(['111122223333', '444455556666']);
    const bad = await runCli(['snapshot-only', '--identifier', 'db1', '--share-with', 'all'], { journalDir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/12 digits/);
  });

  it('a database that does not exist and left no snapshot is exit 3', async () => {
    const run = await runCli(['snapshots', '--identifier', 'nope', '--json'], { journalDir });
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'error', command: 'snapshots', error: { name: 'PreconditionError' } });
  });
});
