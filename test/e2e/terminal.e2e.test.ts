import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdingProxy, type HoldingProxy } from './holding-proxy.js';
import { createInstanceFixture, resetMoto, runCli, tempJournalDir } from './moto.js';
import { screenOf } from './pseudo-terminal.js';

const root = path.resolve(import.meta.dirname, '../..');
const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * Runs `trapheus restore --yes` in a real pseudo-terminal (util-linux `script`), types Ctrl-C
 * into it once the spinner is up, and reports what the terminal looked like afterwards
 * (`stty -a`, run in the same terminal after trapheus exits).
 */
function inTerminal(journalDir: string, endpoint: string, typeWhen: RegExp) {
  const trapheus = [
    process.execPath,
    path.join(root, 'bin/trapheus.js'),
    'restore',
    '--identifier',
    'db1',
    '--strategy',
    'rename-first',
    '--yes',
  ]
    .map(quote)
    .join(' ');
  // A terminal of a usual size (script's has none without one of its own); the shell outlives the Ctrl-C (its trap), so it can report trapheus's exit code and the terminal's modes.
  const child = spawn(
    'script',
    ['-qfec', `stty cols 120 rows 40; trap 'true' INT; ${trapheus}; echo "TRAPHEUS_EXIT=$?"; stty -a`, '/dev/null'],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: journalDir,
        TERM: 'xterm',
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_EC2_METADATA_DISABLED: 'true',
        TRAPHEUS_JOURNAL_DIR: journalDir,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let screen = '';
  let typedAt: number | undefined;
  let exitedAt: number | undefined;
  child.stdout.on('data', (d: Buffer) => {
    screen += d.toString();
    if (typedAt === undefined && typeWhen.test(screen)) {
      typedAt = Date.now();
      child.stdin.write('\x03');
    }
    if (exitedAt === undefined && screen.includes('TRAPHEUS_EXIT=')) exitedAt = Date.now();
  });
  const done = new Promise<{ screen: string; code: number | null; reactedMs: number | undefined }>((resolve) =>
    child.on('close', (code) => {
      child.stdin.end();
      resolve({ screen, code, reactedMs: typedAt !== undefined && exitedAt !== undefined ? exitedAt - typedAt : undefined });
    }),
  );
  // A trapheus that ignores Ctrl-C would hang the test: stop it, and let the assertions show the screen.
  setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  return { child, done };
}

describe('restore --yes in a terminal', () => {
  let journalDir: string;
  let proxy: HoldingProxy | undefined;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
    await createInstanceFixture({ identifier: 'db1' });
    await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir });
    // The restore request gets no answer until the test is done: the spinner keeps turning.
    proxy = await holdingProxy((body) => body.includes('Action=RestoreDBInstanceFromDBSnapshot'));
  });
  afterEach(async () => {
    proxy?.release();
    await proxy?.close();
  });

  it('stops on Ctrl-C (exit 130 within two seconds) and leaves the terminal out of raw mode', async () => {
    const { done } = inTerminal(journalDir, proxy!.url, /Restore the snapshot/);
    const { screen, reactedMs } = await done;
    expect(screen, screen.slice(-1500)).toMatch(/TRAPHEUS_EXIT=130/);
    expect(reactedMs).toBeLessThan(2000);
    // The terminal as trapheus left it: canonical input, signals and echo on (raw mode turns them off).
    const stty = screen.slice(screen.indexOf('TRAPHEUS_EXIT='));
    expect(stty).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(stty).toMatch(/(^|\s)isig(\s|$)/m);
    expect(stty).toMatch(/(^|\s)echo(\s|$)/m);
  }, 30_000);
});

describe('restore without --yes in a terminal', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
    await createInstanceFixture({ identifier: 'db1' });
    await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir });
  });

  it('shows the plan as about to run (not as a dry run), asks for the identifier, and a wrong answer changes nothing (exit 2)', async () => {
    const { screen, exit } = await screenOf(['restore', '--identifier', 'db1'], journalDir, {
      typed: { when: /Type the identifier to continue: /, answer: 'nope' },
    });
    expect(exit, screen).toBe(2);
    expect(screen).toMatch(/\? restore of db1 about to run — review the plan; nothing has been changed yet/);
    expect(screen).not.toMatch(/planned \(dry run\)/);
    expect(screen).toMatch(/Confirmation "nope" does not match db1; nothing was changed/);
  }, 30_000);

  it('with --json it does not prompt and says --json is why (exit 2, one JSON document)', async () => {
    const { screen, exit } = await screenOf(['restore', '--identifier', 'db1', '--json'], journalDir);
    expect(exit, screen).toBe(2);
    expect(screen).toMatch(/--json does not prompt/);
    expect(screen).not.toMatch(/Type the identifier/);
  }, 30_000);
});
