import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { createInstanceFixture, instanceIds, resetMoto, runCli, tempJournalDir } from './moto.js';

// AWS conventions as the AWS CLI has them (issue 15, point 2), through the built binary: the
// region from AWS_DEFAULT_REGION, "profile not found" before any AWS call, and a preflight that
// names the region and the account it looked in (moto's account is 123456789012, from STS).

type Doc = { status: string; region?: string; account?: string; error?: { message: string }; preflight?: { name: string; ok: boolean }[] };
const json = (stdout: string): Doc => JSON.parse(stdout) as Doc;

describe('AWS conventions against moto', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
  });

  it('a failed preflight names the region and the account (STS GetCallerIdentity)', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    const run = await runCli(['restore', '--identifier', 'nope', '--dry-run', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(3);
    const doc = json(run.stdout);
    expect(doc).toMatchObject({ region: 'us-east-1', account: '123456789012' });
    expect(doc.error?.message).toMatch(/^Preflight failed in us-east-1 \(account 123456789012\): No DB instance nope/);

    const human = await runCli(['restore', '--identifier', 'nope', '--dry-run'], { journalDir });
    expect(human.code).toBe(3);
    expect(`${human.stdout}\n${human.stderr}`).toContain('in us-east-1, account 123456789012');

    const snapshot = await runCli(['snapshot-only', '--identifier', 'nope'], { journalDir });
    expect(snapshot.code).toBe(3);
    expect(snapshot.stderr).toContain('Preflight failed in us-east-1 (account 123456789012): No DB instance nope');
    expect(await instanceIds()).toEqual(['db1']);
  });

  it('AWS_DEFAULT_REGION alone is the region (the AWS SDK alone would ignore it)', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    const env = { AWS_REGION: '', AWS_DEFAULT_REGION: 'us-east-1' };
    const run = await runCli(['restore', '--identifier', 'db1', '--dry-run', '--json'], { journalDir, env });
    const doc = json(run.stdout);
    expect(doc.region, run.stderr).toBe('us-east-1');
    expect(doc.preflight?.find((c) => c.name === 'instance exists')?.ok).toBe(true);

    const config = await runCli(['config', '--json'], { journalDir, env });
    expect((JSON.parse(config.stdout) as { values: Record<string, unknown> }).values.region).toEqual({
      value: 'us-east-1',
      source: 'env',
      name: 'AWS_DEFAULT_REGION',
    });
  });

  it('an unknown --profile or AWS_PROFILE: "profile not found", exit 2, no AWS call made', async () => {
    let requests = 0;
    const aws = createServer((_req, res) => {
      requests += 1;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => aws.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(aws.address() as AddressInfo).port}`;
    try {
      const flag = await runCli(['restore', '--identifier', 'db1', '--dry-run', '--profile', 'nope'], {
        journalDir,
        env: { AWS_ENDPOINT_URL: endpoint },
      });
      expect(flag.code, flag.stderr).toBe(2);
      expect(flag.stderr).toContain('The config profile (nope) could not be found (from --profile).');
      expect(flag.stderr).toContain('.aws/config');
      expect(flag.stderr).toContain('.aws/credentials');
      expect(flag.stderr).not.toMatch(/region|Could not resolve credentials/i);

      const env = await runCli(['snapshot-only', '--identifier', 'db1', '--json'], {
        journalDir,
        env: { AWS_ENDPOINT_URL: endpoint, AWS_PROFILE: 'nope' },
      });
      expect(env.code).toBe(2);
      expect(env.stdout).toContain('The config profile (nope) could not be found (from AWS_PROFILE).');
      expect(requests).toBe(0);
    } finally {
      aws.close();
    }
  });
});
