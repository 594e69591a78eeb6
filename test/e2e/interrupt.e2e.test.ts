import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInstanceFixture, instanceIds, resetMoto, runCli, tempJournalDir } from './moto.js';
import { motoProxy, type MotoProxy } from './moto-proxy.js';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * A proxy in front of moto that holds back one RDS action for a while, so that a run is still
 * under way when the test presses Ctrl-C (moto itself answers everything at once).
 */
const slowProxy = (action: string, delayMs: number): Promise<MotoProxy> =>
  motoProxy((request) => {
    if (request.action === action) setTimeout(request.forward, delayMs);
    else request.forward();
  });

describe('Ctrl-C and resume, end to end', () => {
  let journalDir: string;
  let proxy: MotoProxy | undefined;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it('SIGINT during a restore exits 130 without reverting; resume finishes it', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir });
    proxy = await slowProxy('RestoreDBInstanceFromDBSnapshot', 2000);

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

    const { runs } = JSON.parse((await runCli(['runs', '--json'], { journalDir })).stdout) as {
      runs: { runId: string; status: string; command: string }[];
    };
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
