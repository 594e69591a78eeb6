import { spawn } from 'node:child_process';
import { mkdir, readFile, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createInstanceFixture, motoEndpoint, resetMoto, runCli, tempJournalDir } from './moto.js';
import { screenOf } from './pseudo-terminal.js';

const root = path.resolve(import.meta.dirname, '../..');
const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
// eslint-disable-next-line no-control-regex -- strips ANSI codes, which start with ESC (\u001b)
const plain = (screen: string) => screen.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, '').replace(/\r/g, '\n');

/** trapheus in a real pseudo-terminal of a usual size, with colours as a person has them. */
const inTerminal = async (args: string[], journalDir: string) => {
  const { screen, exit } = await screenOf(args, journalDir, { rows: 40, colour: true, timeoutMs: 60_000 });
  return { screen, code: exit };
};

describe('progress a person can read (restore --yes in a terminal)', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
    await createInstanceFixture({ identifier: 'db1' });
  });

  it('says the database, kind, region, snapshot and strategy before the first step, then step n/N with the elapsed times', async () => {
    const { screen, code } = await inTerminal(['restore', '--identifier', 'db1', '--fresh-snapshot', '--yes'], journalDir);
    const text = plain(screen);
    expect(code, text.slice(-2000)).toBe(0);
    const header =
      /Starting restore db1 \(DB instance, us-east-1\) from snapshot (trapheus-db1-\S+), strategy swap \((\d+) steps, run \S+\)/.exec(text);
    expect(header, text.slice(0, 2000)).not.toBeNull();
    const steps = Number(header![2]);
    // Before anything changes: the header comes before the first step (a read-only capture).
    expect(text.indexOf(header![0])).toBeLessThan(text.indexOf(`[1/${steps}]`));
    // Every step of the plan, numbered, each ending with a tick and its time.
    for (let n = 1; n <= steps; n += 1) expect(text).toMatch(new RegExp(`✔ \\[${n}/${steps}\\] .+ \\d+s`));
    // The spinner's line: the step's time, and the total since the run began.
    expect(text).toMatch(new RegExp(`\\[\\d+/${steps}\\] .+ \\d+s · (.+ · )?total \\d+s`));
    // A snapshot's PercentProgress is not asserted here: moto 5.2 reports none for DB snapshots
    // (and a constant 100 for cluster snapshots). The simulated RDS, which reports it as RDS
    // does, carries it through the production gateway to the reporters (test/cli/plain-reporter.test.ts).
    expect(text).toMatch(/Run succeeded after \d+s\./);
  }, 90_000);
});

describe("--log-file from cron's bare environment", () => {
  beforeEach(async () => {
    await resetMoto();
    await createInstanceFixture({ identifier: 'db1' });
  });

  it("runs the README's line shape: env -i, /usr/bin/env PATH=<bin dir>:/usr/bin:/bin trapheus …, the log created 0600", async () => {
    const journalDir = await tempJournalDir();
    // A bin directory like a global install's: trapheus (the package's bin) and node, nothing else on PATH.
    const bin = path.join(journalDir, 'bin');
    await mkdir(bin);
    await symlink(path.join(root, 'bin/trapheus.js'), path.join(bin, 'trapheus'));
    await symlink(process.execPath, path.join(bin, 'node'));
    const log = path.join(journalDir, 'logs', 'trapheus.log');
    await mkdir(path.dirname(log));
    await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir });
    const line = [
      '/usr/bin/env',
      `PATH=${bin}:/usr/bin:/bin`,
      'trapheus',
      'restore',
      '--identifier',
      'db1',
      '--yes',
      '--log-file',
      log,
      '--journal-dir',
      journalDir,
    ];
    // What cron gives a job: almost no environment (the AWS settings are the test's stand-in for the host's credentials).
    const child = spawn(
      'env',
      [
        '-i',
        `HOME=${journalDir}`,
        'SHELL=/bin/sh',
        `AWS_ENDPOINT_URL=${motoEndpoint()}`,
        'AWS_REGION=us-east-1',
        'AWS_ACCESS_KEY_ID=testing',
        'AWS_SECRET_ACCESS_KEY=testing',
        'AWS_EC2_METADATA_DISABLED=true',
        '/bin/sh',
        '-c',
        line.map(quote).join(' '),
      ],
      {
        cwd: journalDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, output).toBe(0);
    expect((await stat(log)).mode & 0o777).toBe(0o600);
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    expect(lines[0]).toMatch(/^\S+Z info {2}\d{8}-\d{6}-db1-[0-9a-f]{4} db1 run_started /);
    expect(lines.at(-1)).toMatch(/ db1 command_end restore ended: succeeded$/);
  }, 90_000);
});
