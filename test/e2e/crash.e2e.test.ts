import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdingProxy, type HoldingProxy } from './holding-proxy.js';
import { createInstanceFixture, instanceIds, resetMoto, runCli, tempJournalDir } from './moto.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('a run killed with kill -9', () => {
  let journalDir: string;
  let proxy: HoldingProxy | undefined;
  let webhook: Server | undefined;
  const posts: { text?: string }[] = [];

  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
    posts.length = 0;
    await createInstanceFixture({ identifier: 'db1' });
    await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir });
    proxy = await holdingProxy((body) => body.includes('Action=RestoreDBInstanceFromDBSnapshot'));
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posts.push(JSON.parse(body) as { text?: string });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => webhook!.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    proxy?.release();
    await proxy?.close();
    webhook?.closeAllConnections();
    await new Promise<void>((resolve) => (webhook ? webhook.close(() => resolve()) : resolve()));
  });

  it('is found by the next command: shown crashed, alerted once, then resumed to the end', async () => {
    const slack = { TRAPHEUS_SLACK_WEBHOOK_URLS: `http://127.0.0.1:${(webhook!.address() as AddressInfo).port}/services/T/B/SECRET` };
    const child = spawn(
      process.execPath,
      [path.join(root, 'bin/trapheus.js'), 'restore', '--identifier', 'db1', '--strategy', 'rename-first', '--yes'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: journalDir,
          AWS_ENDPOINT_URL: proxy!.url,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'testing',
          AWS_SECRET_ACCESS_KEY: 'testing',
          TRAPHEUS_JOURNAL_DIR: journalDir,
          TRAPHEUS_WAIT_MIN_DELAY_SECONDS: '0.2',
          TRAPHEUS_WAIT_MAX_DELAY_SECONDS: '1',
          CI: 'true',
          ...slack,
        },
      },
    );
    const closed = new Promise((resolve) => child.on('close', resolve));
    await proxy!.firstHeld;
    child.kill('SIGKILL');
    await closed;

    const listed = await runCli(['runs', '--json'], { journalDir, env: slack });
    expect(listed.code, listed.stderr).toBe(0);
    const restore = (JSON.parse(listed.stdout) as { runs: { runId: string; command: string; status: string }[] }).runs.find(
      (r) => r.command === 'restore',
    )!;
    expect(restore.status).toBe('crashed');
    expect(listed.stderr).toMatch(
      new RegExp(`run ${restore.runId} \\(restore of db1\\) crashed: its process \\(pid ${child.pid} on .*\\) is gone`),
    );
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0])).toContain(restore.runId);

    const shown = await runCli(['status', restore.runId, '--json'], { journalDir, env: slack });
    expect(JSON.parse(shown.stdout)).toMatchObject({ runId: restore.runId, status: 'crashed' });
    expect(posts).toHaveLength(1);

    const resumed = await runCli(['resume', '--json'], { journalDir, env: slack });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ runId: restore.runId, status: 'succeeded' });
    expect(await instanceIds()).toEqual(['db1']);
  }, 60_000);
});
