import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunDocument } from '../../src/engine/run-document.js';
import { holdingProxy, type HoldingProxy } from './holding-proxy.js';
import { createInstanceFixture, resetMoto, runCli, tempJournalDir } from './moto.js';

const root = path.resolve(import.meta.dirname, '../..');

/** The built CLI against `endpoint`, as cron would run it (no terminal). */
function start(args: string[], journalDir: string, endpoint: string): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [path.join(root, 'bin/trapheus.js'), ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: journalDir,
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_EC2_METADATA_DISABLED: 'true',
      TRAPHEUS_JOURNAL_DIR: journalDir,
      TRAPHEUS_WAIT_MIN_DELAY_SECONDS: '0.2',
      TRAPHEUS_WAIT_MAX_DELAY_SECONDS: '1',
      CI: 'true',
    },
  });
}

const closed = (child: ChildProcessWithoutNullStreams) =>
  new Promise<{ code: number | null; at: number }>((resolve) => child.on('close', (code) => resolve({ code, at: Date.now() })));

async function restoreRun(journalDir: string): Promise<RunDocument> {
  for (const file of (await readdir(journalDir)).filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(await readFile(path.join(journalDir, file), 'utf8')) as RunDocument;
    if (doc.command === 'restore') return doc;
  }
  throw new Error('no restore run');
}

describe('signals while a call hangs', () => {
  let journalDir: string;
  let proxy: HoldingProxy | undefined;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
    await createInstanceFixture({ identifier: 'db1' });
    await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir });
    // Every DescribeDBInstances after the restore request hangs: no answer, ever (until released).
    proxy = await holdingProxy(
      (body, seen) => seen.includes('RestoreDBInstanceFromDBSnapshot') && body.includes('Action=DescribeDBInstances'),
    );
  });
  afterEach(async () => {
    proxy?.release();
    await proxy?.close();
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'the first %s journals run_interrupted and exits 130 within two seconds',
    async (signal) => {
      const child = start(['restore', '--identifier', 'db1', '--strategy', 'rename-first', '--yes'], journalDir, proxy!.url);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = closed(child);
      await proxy!.firstHeld;
      const sent = Date.now();
      child.kill(signal);
      const { code, at } = await exited;
      expect(code, stderr).toBe(130);
      expect(at - sent).toBeLessThan(2000);
      expect((await restoreRun(journalDir)).events.at(-1)?.type).toBe('run_interrupted');
      expect(stderr).toMatch(/run interrupted/);
    },
    30_000,
  );

  it('a second Ctrl-C exits at once', async () => {
    const child = start(['restore', '--identifier', 'db1', '--strategy', 'rename-first', '--yes'], journalDir, proxy!.url);
    const exited = closed(child);
    await proxy!.firstHeld;
    child.kill('SIGINT');
    // Two signals sent back to back may arrive as one: the second comes a moment later, as a person's would.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sent = Date.now();
    child.kill('SIGINT');
    const { code, at } = await exited;
    expect(code).toBe(130);
    expect(at - sent).toBeLessThan(1000);
  }, 30_000);
});

describe('a closed pipe', () => {
  it('`trapheus … | head` does not crash with EPIPE', async () => {
    const journalDir = await tempJournalDir();
    const child = start(['runs', '--help'], journalDir, 'http://127.0.0.1:9');
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const { code } = await closed(child);
    expect(stderr).not.toMatch(/EPIPE|Unhandled|Error:/);
    expect(code).toBe(0);
  });
});
