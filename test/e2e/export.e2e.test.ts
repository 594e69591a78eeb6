import { KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { DescribeExportTasksCommand } from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { createClusterFixture, createInstanceFixture, motoEndpoint, rdsClient, resetMoto, runCli, tempJournalDir } from './moto.js';

const exportEnv = {
  TRAPHEUS_EXPORT_BUCKET: 'trapheus-exports-e2e',
  TRAPHEUS_EXPORT_KMS_KEY_ID: 'alias/trapheus-export',
  TRAPHEUS_EXPORT_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/trapheus-export',
  TRAPHEUS_EXPORT_PREFIX: 'weekly/',
};

async function exportTasks() {
  return (await rdsClient().send(new DescribeExportTasksCommand({}))).ExportTasks ?? [];
}

/** Replaces the export key's policy with one that gives the key to another account only (moto enforces no Allow). */
async function giveKeyToAnotherAccount(keyArn: string) {
  const kms = new KMSClient({
    endpoint: motoEndpoint(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const Policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:*', Resource: '*' }],
  });
  await kms.send(new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default', Policy }));
}

describe('snapshot export against the moto server', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
  });

  it('setup-export creates the bucket and key, and changes nothing the second time', async () => {
    const first = await runCli(['setup-export', '--bucket', 'trapheus-exports-e2e', '--create', '--json'], { journalDir });
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as { changes: string[]; missing: string[] };
    expect(report.changes.join('\n')).toMatch(/created KMS key[\s\S]*created bucket[\s\S]*blocked public access[\s\S]*default encryption/);
    const second = await runCli(['setup-export', '--bucket', 'trapheus-exports-e2e', '--create', '--json'], { journalDir });
    expect(JSON.parse(second.stdout)).toMatchObject({ changes: [], missing: [] });
    const check = await runCli(['setup-export', '--bucket', 'trapheus-exports-e2e'], { journalDir });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('export.rds.amazonaws.com');
  });

  it('exports an instance snapshot and a cluster snapshot with the right source, bucket and prefix', async () => {
    await runCli(['setup-export', '--bucket', 'trapheus-exports-e2e', '--create'], { journalDir });
    await createInstanceFixture({ identifier: 'db1' });
    await createClusterFixture({ identifier: 'c1', writer: 'c1-w', reader: 'c1-r' });
    const snap = JSON.parse((await runCli(['snapshot-only', '--identifier', 'db1', '--json'], { journalDir })).stdout) as {
      snapshotIdentifier: string;
    };
    const csnap = JSON.parse((await runCli(['snapshot-only', '--identifier', 'c1', '--cluster', '--json'], { journalDir })).stdout) as {
      snapshotIdentifier: string;
    };

    const instance = await runCli(['export', '--identifier', 'db1', '--wait', '--json'], { journalDir, env: exportEnv });
    expect(instance.code, instance.stderr).toBe(0);
    const cluster = await runCli(['export', '--identifier', 'c1', '--cluster', '--prefix', 'clusters/', '--json'], {
      journalDir,
      env: exportEnv,
    });
    expect(cluster.code, cluster.stderr).toBe(0);

    const tasks = await exportTasks();
    expect(tasks).toHaveLength(2);
    const byId = Object.fromEntries(tasks.map((t) => [String(t.ExportTaskIdentifier), t] as const));
    const instanceTask = byId[(JSON.parse(instance.stdout) as { task: { taskId: string } }).task.taskId];
    expect(instanceTask).toMatchObject({ S3Bucket: 'trapheus-exports-e2e', S3Prefix: 'weekly/' });
    expect(instanceTask?.SourceArn).toMatch(new RegExp(`:snapshot:${snap.snapshotIdentifier}$`));
    const clusterTask = byId[(JSON.parse(cluster.stdout) as { task: { taskId: string } }).task.taskId];
    expect(clusterTask).toMatchObject({ S3Bucket: 'trapheus-exports-e2e', S3Prefix: 'clusters/' });
    expect(clusterTask?.SourceArn).toMatch(new RegExp(`:cluster-snapshot:${csnap.snapshotIdentifier}$`));

    const status = await runCli(['export-status'], { journalDir });
    expect(status.stdout).toContain(instanceTask!.ExportTaskIdentifier);
  });

  it('with a missing bucket exits 3 and starts no task', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir });
    const run = await runCli(['export', '--identifier', 'db1'], {
      journalDir,
      env: { ...exportEnv, TRAPHEUS_EXPORT_BUCKET: 'no-such-bucket-here' },
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Bucket no-such-bucket-here does not exist/);
    expect(await exportTasks()).toEqual([]);
  });

  it('restore --fresh-snapshot --export starts the export and restores', async () => {
    await runCli(['setup-export', '--bucket', 'trapheus-exports-e2e', '--create'], { journalDir });
    await createInstanceFixture({ identifier: 'db1' });
    const run = await runCli(['restore', '--identifier', 'db1', '--fresh-snapshot', '--export', '--yes', '--json'], {
      journalDir,
      env: exportEnv,
    });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { status: string; export: { taskId: string; started: boolean } };
    expect(summary).toMatchObject({ status: 'succeeded', export: { started: true } });
    expect((await exportTasks()).map((t) => t.ExportTaskIdentifier)).toEqual([summary.export.taskId]);
  });

  it('refuses --tables outside the snapshot engine syntax (exit 3, no task) and exports database.schema.table of PostgreSQL', async () => {
    await runCli(['setup-export', '--bucket', 'trapheus-exports-e2e', '--create'], { journalDir });
    await createInstanceFixture({ identifier: 'db1' });
    await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir });
    const refused = await runCli(['export', '--identifier', 'db1', '--tables', 'mydb.public.orders.extra'], { journalDir, env: exportEnv });
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toMatch(/postgres snapshot takes `database`, `database.schema` or `database.schema.table`/);
    expect(await exportTasks()).toEqual([]);

    const ok = await runCli(['export', '--identifier', 'db1', '--tables', 'mydb.public.orders,mydb.audit', '--json'], {
      journalDir,
      env: exportEnv,
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect((await exportTasks()).map((t) => t.ExportOnly)).toEqual([['mydb.public.orders', 'mydb.audit']]);
  });

  it('refuses a key whose policy does not let the role use it: export exits 3, snapshot-only --export goes on without it', async () => {
    const setup = await runCli(['setup-export', '--bucket', 'trapheus-exports-e2e', '--create', '--json'], { journalDir });
    await giveKeyToAnotherAccount(String((JSON.parse(setup.stdout) as { keyArn: string }).keyArn));
    await createInstanceFixture({ identifier: 'db1' });

    const run = await runCli(['snapshot-only', '--identifier', 'db1', '--export', '--json'], { journalDir, env: exportEnv });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { status: string; export: { started: boolean; error: string } };
    expect(summary).toMatchObject({ status: 'succeeded', export: { started: false } });
    expect(summary.export.error).toMatch(
      /does not allow kms:CreateGrant and kms:DescribeKey to arn:aws:iam::123456789012:role\/trapheus-export/,
    );

    const refused = await runCli(['export', '--identifier', 'db1'], { journalDir, env: exportEnv });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/policy of KMS key .* does not allow kms:CreateGrant/);
    expect(await exportTasks()).toEqual([]);
  });
});
