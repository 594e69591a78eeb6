import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/cli-context.js';
import type { Output } from '../../src/cli/output.js';
import { buildJournalDeps } from '../../src/composition.js';
import { main } from '../../src/main.js';

// The real journal side of the composition root (files, locks, the directory checks), no AWS:
// what `trapheus runs` and `trapheus status` do on a bad journal directory or run id.
function cli() {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    interactive: false,
    canPrompt: false,
    color: false,
    ask: () => Promise.resolve(''),
  };
  const ctx: CliContext = {
    output,
    env: {},
    signal: new AbortController().signal,
    version: '9.9.9',
    deps: {
      service: () => Promise.reject(new Error('no AWS in this test')),
      journal: (input) => buildJournalDeps(input),
    },
  };
  return { out, err, run: (...argv: string[]) => main(argv, ctx) };
}

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'trapheus-exit-'));

describe('journal problems are usage or precondition errors with a hint, never exit 4', () => {
  it('a journal directory that is a file: exit 2, naming it', async () => {
    const file = path.join(await tmp(), 'runs');
    await writeFile(file, '');
    const { run, err } = cli();
    expect(await run('runs', '--journal-dir', file)).toBe(2);
    expect(err.join('\n')).toMatch(/runs is not a directory[\s\S]*--journal-dir/);
  });

  it('an unknown run id: exit 3, pointing at `trapheus runs`', async () => {
    const { run, err } = cli();
    expect(await run('status', '20260101-000000-db1-abcd', '--journal-dir', await tmp())).toBe(3);
    expect(err.join('\n')).toMatch(/No run "20260101-000000-db1-abcd"[\s\S]*trapheus runs/);
  });

  it('a malformed run id: exit 2, saying what a run id looks like', async () => {
    const { run, err } = cli();
    expect(await run('status', '../../etc/passwd', '--journal-dir', await tmp())).toBe(2);
    expect(err.join('\n')).toMatch(/not a valid run id[\s\S]*20261124-114501-db1-3f9a/);
  });

  it('a journal directory others may write: exit 3, saying how to make it private', async () => {
    const dir = await tmp();
    await chmod(dir, 0o777);
    const { run, err } = cli();
    expect(await run('runs', '--journal-dir', dir)).toBe(3);
    expect(err.join('\n')).toContain(`chmod 700 ${dir}`);
  });

  it('a journal directory that cannot be created (under /proc): exit 2 at once', async () => {
    const { run, err } = cli();
    const started = Date.now();
    expect(await run('runs', '--journal-dir', '/proc/trapheus/runs')).toBe(2);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err.join('\n')).toMatch(/Cannot create the journal directory \/proc\/trapheus\/runs/);
  }, 5000);
});
