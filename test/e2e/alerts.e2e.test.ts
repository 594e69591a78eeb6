import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetSendQuotaCommand, SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refusingProxy } from './refusing-proxy.js';
import { createInstanceFixture, describeInstance, instanceIds, motoEndpoint, resetMoto, runCli, tempJournalDir } from './moto.js';

const ses = () =>
  new SESClient({ endpoint: motoEndpoint(), region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });

describe('alerts, end to end', () => {
  const servers: Server[] = [];
  const posts: unknown[] = [];
  let journalDir: string;

  /** A stand-in for a Slack webhook on loopback: `ok` records the JSON, `500` fails, `silent` never answers. */
  async function webhook(kind: 'ok' | '500' | 'silent'): Promise<string> {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (kind === 'ok') {
          posts.push(JSON.parse(body));
          res.end('ok');
        } else if (kind === '500') {
          res.statusCode = 500;
          res.end();
        }
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/${kind}SECRET`;
  }

  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
    posts.length = 0;
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a restore that fails alerts by SES and Slack after the revert; failing webhooks do not change the exit code', async () => {
    // A restore that fails after it started: RDS has no capacity for the restore (a proxy in
    // front of moto answers RestoreDBInstanceFromDBSnapshot as RDS would; moto never refuses).
    await createInstanceFixture({ identifier: 'db1' });
    expect((await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir })).code).toBe(0);
    const proxy = await refusingProxy('RestoreDBInstanceFromDBSnapshot', 'InsufficientDBInstanceCapacity');
    const before = (await describeInstance('db1'))!;
    await ses().send(new VerifyEmailIdentityCommand({ EmailAddress: 'trapheus@example.com' }));
    const sentBefore = (await ses().send(new GetSendQuotaCommand({}))).SentLast24Hours ?? 0;

    const urls = [await webhook('ok'), await webhook('500'), await webhook('silent')];
    // Not in the journal directory: every .json there is a run file (an unreadable one blocks restores).
    const config = path.join(await tempJournalDir(), 'alerts.json');
    await writeFile(config, JSON.stringify({ alerts: { attempts: 2, slack: { timeoutSeconds: 0.5 } } }));
    const run = await runCli(['--config', config, 'restore', '--identifier', 'db1', '--yes', '--json'], {
      journalDir,
      env: {
        AWS_ENDPOINT_URL: proxy.url,
        TRAPHEUS_EMAIL_FROM: 'trapheus@example.com',
        TRAPHEUS_EMAIL_TO: 'dba@example.com',
        TRAPHEUS_SLACK_WEBHOOK_URLS: urls.join(','),
      },
    });

    await proxy.close();
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const summary = JSON.parse(run.stdout) as { status: string; alerts: { channel: string; ok: boolean }[]; warnings: string[] };
    expect(summary.status).toBe('rolled_back');
    expect(summary.alerts.map((a) => a.ok)).toEqual([true, true, false, false]);
    expect(summary.warnings.filter((w) => w.startsWith('Alert not delivered'))).toHaveLength(2);
    // The database is as it was.
    expect(await instanceIds()).toEqual(['db1']);
    expect((await describeInstance('db1'))?.InstanceCreateTime?.getTime()).toBe(before.InstanceCreateTime?.getTime());
    // SES accepted one e-mail; the working webhook got one readable message.
    expect((await ses().send(new GetSendQuotaCommand({}))).SentLast24Hours).toBe(sentBefore + 1);
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0])).toContain('restore of db1 failed — rolled back');
    expect(JSON.stringify(posts[0])).toContain('db1 is back under its original name and available.');
    // Webhook URLs are secrets: never printed or journaled in full.
    expect(run.stdout + run.stderr).not.toContain('SECRET');
  });

  it('alert-test sends a test message to every channel and fails (exit 3) when one does not work', async () => {
    await ses().send(new VerifyEmailIdentityCommand({ EmailAddress: 'trapheus@example.com' }));
    const ok = await webhook('ok');
    const env = { TRAPHEUS_EMAIL_FROM: 'trapheus@example.com', TRAPHEUS_EMAIL_TO: 'dba@example.com', TRAPHEUS_SLACK_WEBHOOK_URLS: ok };
    const good = await runCli(['alert-test'], { journalDir, env });
    expect(good.code, good.stderr).toBe(0);
    expect(posts).toHaveLength(1);
    const bad = await runCli(['alert-test'], { journalDir, env: { ...env, TRAPHEUS_SLACK_WEBHOOK_URLS: `${ok},${await webhook('500')}` } });
    expect(bad.code).toBe(3);
    expect(await runCli(['alert-test'], { journalDir })).toMatchObject({ code: 2 });
  });
});
