import { beforeEach, describe, expect, it } from 'vitest';
import { createInstanceFixture, describeInstance, instanceIds, resetMoto, runCli, tempJournalDir, type RunJson } from './moto.js';

const json = (stdout: string): RunJson => JSON.parse(stdout) as RunJson;

const ROLE = { roleArn: 'arn:aws:iam::123456789012:role/s3-import', featureName: 's3Import' };

describe('trapheus against the moto server: settings a restore does not keep by itself', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
  });

  it('refuses an instance whose master password Secrets Manager manages, without --manage-master-password (exit 3, untouched)', async () => {
    const before = await createInstanceFixture({ identifier: 'db1', manageMasterUserPassword: true });
    expect(before.MasterUserSecret?.SecretArn).toMatch(/^arn:aws:secretsmanager:/);
    const run = await runCli(['restore', '--identifier', 'db1', '--fresh-snapshot', '--yes', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(3);
    const summary = json(run.stdout);
    expect(summary.error?.message).toContain(
      `db1's master password is managed in Secrets Manager (secret ${before.MasterUserSecret!.SecretArn}`,
    );
    expect(summary.error?.message).toContain('--manage-master-password');
    expect(await instanceIds()).toEqual(['db1']);
    const after = await describeInstance('db1');
    expect(after?.InstanceCreateTime?.getTime()).toBe(before.InstanceCreateTime?.getTime());
    expect(after?.MasterUserSecret?.SecretArn).toBe(before.MasterUserSecret?.SecretArn);
  });

  it.each(['swap', 'rename-first'])('restores it with --manage-master-password and reports the new secret (%s)', async (strategy) => {
    const before = await createInstanceFixture({ identifier: 'db1', manageMasterUserPassword: true });
    const run = await runCli(
      ['restore', '--identifier', 'db1', '--fresh-snapshot', '--strategy', strategy, '--manage-master-password', '--yes', '--json'],
      { journalDir },
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const summary = json(run.stdout);
    expect(summary.status).toBe('succeeded');
    const after = await describeInstance('db1');
    expect(after?.InstanceCreateTime?.getTime()).not.toBe(before.InstanceCreateTime?.getTime());
    expect(after?.MasterUserSecret?.SecretArn).toMatch(/^arn:aws:secretsmanager:/);
    expect(after?.MasterUserSecret?.SecretArn).not.toBe(before.MasterUserSecret?.SecretArn);
    expect(after?.MasterUserSecret?.KmsKeyId).toBe(before.MasterUserSecret?.KmsKeyId);
    expect(summary.masterUserSecretArn).toBe(after?.MasterUserSecret?.SecretArn);
    expect(summary.configDifferences).toEqual([]);
    expect(await instanceIds()).toEqual(['db1']);
  });

  it('takes the opt-in from restore.manageMasterUserPassword in the config file', async () => {
    await createInstanceFixture({ identifier: 'db1', manageMasterUserPassword: true });
    const { writeFile } = await import('node:fs/promises');
    const { default: path } = await import('node:path');
    // The working directory's .trapheusrc.json (the journal directory holds only runs).
    const cwd = await tempJournalDir();
    await writeFile(path.join(cwd, '.trapheusrc.json'), JSON.stringify({ restore: { manageMasterUserPassword: true } }));
    const run = await runCli(['restore', '--identifier', 'db1', '--fresh-snapshot', '--yes', '--json'], { journalDir, cwd });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(json(run.stdout).masterUserSecretArn).toBe((await describeInstance('db1'))?.MasterUserSecret?.SecretArn);
  });

  it("associates the instance's IAM roles with the restored copy (the restore drops them)", async () => {
    await createInstanceFixture({ identifier: 'db1', roles: [ROLE] });
    const run = await runCli(['restore', '--identifier', 'db1', '--fresh-snapshot', '--yes', '--json'], { journalDir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(json(run.stdout).configDifferences).toEqual([]);
    expect((await describeInstance('db1'))?.AssociatedRoles).toEqual([
      expect.objectContaining({ RoleArn: ROLE.roleArn, FeatureName: ROLE.featureName }),
    ]);
  });
});
