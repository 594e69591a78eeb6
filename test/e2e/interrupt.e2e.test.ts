import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInstanceFixture, instanceIds, motoEndpoint, resetMoto, runCli, tempJournalDir } from './moto.js';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * A loopback proxy in front of moto that holds back one RDS action for a while, so that a run
 * is still under way when the test presses Ctrl-C (moto itself answers everything at once).
 */
async function slowProxy(action: string, delayMs: number): Promise<{ url: string; server: Server }> {
  const target = motoEndpoint();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    // The listener must return void; a failed forward still surfaces as an unhandled rejection.
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        if (body.toString().includes(`Action=${action}`)) await new Promise((r) => setTimeout(r, delayMs));
        const headers = Object.fromEntries(
          Object.entries(req.headers)
            .filter(([k]) => !['host', 'content-length', 'connection'].includes(k))
            .map(([k, v]) => [k, String(v)]),
        );
        const answer = await fetch(`${target}${req.url ?? '/'}`, {
          method: req.method,
          headers,
          body: req.method === 'GET' ? undefined : body,
        });
        res.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
        res.end(Buffer.from(await answer.arrayBuffer()));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('Ctrl-C and resume, end to end', () => {
  let journalDir: string;
  let server: Server | undefined;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
  });
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('SIGINT during a restore exits 130 without reverting; resume finishes it', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir });
    const proxy = await slowProxy('RestoreDBInstanceFromDBSnapshot', 2000);
    server = proxy.server;

    const child = spawn(
      process.execPath,
      [path.join(root, 'bin/trapheus.js'), 'restore', '--identifier', 'db1', '--strategy', 'rename-first', '--yes'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: journalDir,
          AWS_ENDPOINT_URL: proxy.url,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'testing',
          AWS_SECRET_ACCESS_KEY: 'testing',
          TRAPHEUS_JOURNAL_DIR: journalDir,
          CI: 'true',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // The original is renamed away and the restore call is being held by the proxy: Ctrl-C.
        if (stderr.includes('restore-snapshot started')) resolve();
      });
    });
    child.kill('SIGINT');
    expect(await closed, stderr).toBe(130);
    expect(stderr).toMatch(/run interrupted/);
    // The report still looked at RDS after the interruption: it says where the original is.
    expect(stdout).toContain('db1-temp: the original instance');
    // Not reverted: the original is still renamed away, waiting for the user's decision.
    expect(await instanceIds()).toContain('db1-temp');

    const runs = JSON.parse((await runCli(['runs', '--json'], { journalDir })).stdout) as {
      runId: string;
      status: string;
      command: string;
    }[];
    const interrupted = runs.find((r) => r.command === 'restore');
    expect(interrupted?.status).toBe('interrupted');
    const again = await runCli(['restore', '--identifier', 'db1', '--yes'], { journalDir });
    expect(again.code).toBe(3);
    expect(again.stderr).toContain(`trapheus resume ${interrupted!.runId}`);

    const resumed = await runCli(['resume', '--json'], { journalDir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ runId: interrupted!.runId, status: 'succeeded' });
    expect(await instanceIds()).toEqual(['db1']);
    // Safe to call twice: nothing left to resume.
    expect((await runCli(['resume', interrupted!.runId], { journalDir })).code).toBe(3);
  });
});
