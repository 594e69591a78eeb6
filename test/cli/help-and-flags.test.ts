import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportGateway } from '../../src/aws/export-gateway.js';
import { processOutput } from '../../src/cli/output.js';
import { buildProgram } from '../../src/cli/run-cli.js';
import { lockKeyOf } from '../../src/workflows/run/run-lock.js';
import { instanceWorld } from '../workflows/instance-world.js';
import { cli, recorder } from './cli-harness.js';

// eslint-disable-next-line no-control-regex -- ESC (\u001b) starts every ANSI colour code: finding one is the point
const ANSI = /\u001b\[/;

const program = buildProgram({
  output: recorder().output,
  env: {},
  signal: new AbortController().signal,
  version: '0.0.0',
  deps: { service: () => Promise.reject(new Error('unused')), journal: () => Promise.reject(new Error('unused')) },
});
const commands = program.commands.map((c) => c.name());

describe('help', () => {
  it.each(commands)('%s --help lists the global options too', async (command) => {
    const { run, rec } = cli();
    expect(await run(command, '--help')).toBe(0);
    const help = rec.out.join('\n');
    expect(help).toMatch(/Global Options:/);
    for (const flag of ['--json', '--region', '--profile', '--journal-dir', '--config', '--no-color', '--quiet', '--debug']) {
      expect(help, `${command} --help`).toContain(flag);
    }
    expect(help).toMatch(/Examples:\n {2}\$ trapheus /);
  });
});

describe('--quiet and --debug', () => {
  it('--quiet: no progress, and only the result line of the summary', async () => {
    const { run, rec } = cli();
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes', '--quiet')).toBe(0);
    expect(rec.err).toEqual([]);
    expect(rec.out).toHaveLength(1);
    expect(rec.out[0]).toMatch(/^✔ restore of db1 succeeded \(run \d{8}-\d{6}-db1-[0-9a-f]{4}/);
  });

  it('--quiet still says an error', async () => {
    const { run, rec } = cli();
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 'nope', '--yes', '--quiet')).toBe(3);
    expect(rec.out.join('\n')).toMatch(/cannot run: preflight failed/);
  });

  it('--quiet and --verbose do not go together (exit 2)', async () => {
    const { run, rec } = cli();
    expect(await run('runs', '--quiet', '--verbose')).toBe(2);
    expect(rec.err.join('\n')).toMatch(/--verbose.*cannot be used with.*--quiet|--quiet.*cannot be used with.*--verbose/);
  });

  it('--debug prints the stack of an unexpected error and its cause, with the AWS request id; without it, only the message', async () => {
    const sdkError = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { requestId: 'req-1234-abcd' } });
    const world = instanceWorld();
    world.deps.exports = {
      describeExportTasks: () => Promise.reject(new Error('listing failed', { cause: sdkError })),
    } as unknown as ExportGateway;

    const plain = cli(world);
    expect(await plain.run('export-status')).toBe(4);
    expect(plain.rec.err.join('\n')).toBe('trapheus: listing failed');

    const debug = cli(world);
    expect(await debug.run('export-status', '--debug')).toBe(4);
    const text = debug.rec.err.join('\n');
    expect(text).toMatch(/^debug: Error: listing failed\n\s+at /m);
    expect(text).toMatch(/caused by: ThrottlingException: Rate exceeded/);
    expect(text).toMatch(/AWS request id: req-1234-abcd/);
  });

  it('TRAPHEUS_DEBUG (set, not empty) works as --debug; empty, it does not', async () => {
    const world = instanceWorld();
    world.deps.exports = { describeExportTasks: () => Promise.reject(new Error('boom')) } as unknown as ExportGateway;
    const on = cli(world, recorder(), { TRAPHEUS_DEBUG: '1' });
    await on.run('export-status');
    expect(on.rec.err.join('\n')).toMatch(/debug: Error: boom\n\s+at /);
    const empty = cli(world, recorder(), { TRAPHEUS_DEBUG: '' });
    await empty.run('export-status');
    expect(empty.rec.err.join('\n')).not.toMatch(/debug:/);
  });
});

describe('screens', () => {
  it('the confirmation screen shows the plan as about to run, not as a dry run', async () => {
    const { run, rec } = cli(instanceWorld(), recorder({ canPrompt: true, answer: 'db2' }));
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1')).toBe(2);
    const screen = rec.err.join('\n');
    expect(screen).toMatch(/^\? restore of db1 about to run — review the plan; nothing has been changed yet/);
    expect(screen).not.toMatch(/planned \(dry run\)/);
    expect(screen).toMatch(/Steps:\n {2}1\. /);
  });

  it('--json in a terminal without --yes names --json as the reason it does not ask (restore and abort)', async () => {
    const restore = cli(instanceWorld(), recorder({ canPrompt: true }));
    expect(await restore.run('restore', '--identifier', 'db1', '--json')).toBe(2);
    expect(JSON.parse(restore.rec.out[0]!)).toMatchObject({
      status: 'error',
      error: { message: expect.stringMatching(/--json does not prompt/), hint: expect.stringMatching(/--yes/) },
    });
    expect(restore.world.rds.calls).toEqual([]);

    const abort = cli(instanceWorld(), recorder({ canPrompt: true }));
    expect(await abort.run('abort', '20261124-114501-db1-3f9a', '--json')).toBe(2);
    expect(JSON.parse(abort.rec.out[0]!)).toMatchObject({ error: { message: expect.stringMatching(/--json does not prompt/) } });

    // Without a terminal the reason is the terminal.
    const cron = cli();
    expect(await cron.run('restore', '--identifier', 'db1', '--json')).toBe(2);
    expect(JSON.parse(cron.rec.out[0]!)).toMatchObject({ error: { message: expect.stringMatching(/no terminal to ask on/) } });
  });

  it('setup-export lists what is missing without saying "Nothing to change." above it', async () => {
    const world = instanceWorld();
    world.deps.exports = {
      describeKey: async () => undefined,
      bucketExists: async () => false,
    } as unknown as ExportGateway;
    const { run, rec } = cli(world);
    expect(await run('setup-export', '--bucket', 'my-exports')).toBe(3);
    const text = rec.out.join('\n');
    expect(text).not.toMatch(/Nothing to change/);
    expect(text).toMatch(/^✖ missing: KMS key alias\/trapheus-export \(run with --create\)\n✖ missing: bucket my-exports/);
    expect(rec.err.join('\n')).toMatch(/Export set-up incomplete/);
  });

  it('status of a running run is not shown as failed', async () => {
    const world = instanceWorld();
    expect(await cli(world).run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(0);
    // The run's journal as it was mid-run, its lock held by a live process.
    const [runId] = [...world.journal.docs.keys()];
    const doc = await world.journal.load(runId!);
    await world.journal.save({ ...doc, events: doc.events.filter((e) => e.type !== 'run_finished') });
    const release = await world.locks.acquire(lockKeyOf(doc), {
      pid: process.pid,
      host: 'test-host',
      runId,
      since: new Date().toISOString(),
    });
    const look = cli(world);
    expect(await look.run('status', runId!)).toBe(0);
    const screen = look.rec.out.join('\n');
    expect(screen.split('\n')[0]).toMatch(/^… restore of db1 running/);
    expect(screen).not.toMatch(/✖|failed|Crashed/);
    await release();
  });
});

describe('NO_COLOR', () => {
  it('counts only when set and not empty (no-color.org)', () => {
    const tty = process.stderr.isTTY;
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      expect(processOutput({ NO_COLOR: '1' }).color).toBe(false);
      expect(processOutput({ NO_COLOR: '' }).color).toBe(true);
      expect(processOutput({}).color).toBe(true);
    } finally {
      Object.defineProperty(process.stderr, 'isTTY', { value: tty, configurable: true });
    }
  });

  it('an empty NO_COLOR leaves the colours of a terminal on; a set one turns them off', async () => {
    for (const [value, coloured] of [
      ['', true],
      ['1', false],
    ] as const) {
      const { run, rec } = cli(instanceWorld(), recorder({ color: true }), { NO_COLOR: value });
      await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--dry-run');
      expect(ANSI.test(rec.out.join('\n')), `NO_COLOR=${JSON.stringify(value)}`).toBe(coloured);
    }
  });
});

describe('trapheus completion', () => {
  const script = (shell: string) => {
    const { rec, run } = cli();
    return run('completion', shell).then((code) => {
      expect(code).toBe(0);
      return rec.out.join('\n');
    });
  };

  it.each(['bash', 'zsh', 'fish'])('%s: names every command and every option, and the choices', async (shell) => {
    const text = await script(shell);
    for (const command of program.commands) {
      expect(text, `${shell}: ${command.name()}`).toContain(command.name());
      for (const option of command.options)
        expect(text, `${shell}: ${command.name()} ${option.long}`).toContain(option.long!.replace(/^--/, ''));
    }
    for (const option of program.options) expect(text).toContain(option.long!.replace(/^--/, ''));
    expect(text).toMatch(/swap rename-first/);
    expect(text).toMatch(/bash zsh fish/);
  });

  it('refuses an unknown shell (exit 2)', async () => {
    const { run, rec } = cli();
    expect(await run('completion', 'powershell')).toBe(2);
    expect(rec.err.join('\n')).toMatch(/Allowed choices are bash, zsh, fish/);
  });

  it('bash: the script parses (bash -n) and completes commands, options and choices', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trapheus-completion-'));
    const file = path.join(dir, 'trapheus.bash');
    await writeFile(file, await script('bash'));
    execFileSync('bash', ['-n', file]);
    // Ask the completion function what it offers, as bash would on <TAB>.
    const complete = (...words: string[]) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source ${JSON.stringify(file)}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; _trapheus; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { encoding: 'utf8' },
      )
        .trim()
        .split('\n');
    expect(complete('trapheus', 're')).toEqual(expect.arrayContaining(['restore', 'resume']));
    expect(complete('trapheus', 'restore', '--str')).toEqual(['--strategy']);
    expect(complete('trapheus', 'restore', '--strategy', '')).toEqual(['swap', 'rename-first']);
    expect(complete('trapheus', 'completion', 'f')).toEqual(['fish']);
    expect(complete('trapheus', 'runs', '--q')).toEqual(['--quiet']);
  });

  it('zsh and fish: the scripts parse (zsh -n, fish --no-execute), fish completes, zsh registers', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trapheus-completion-'));
    for (const [shell, args] of [
      ['zsh', ['-n']],
      ['fish', ['--no-execute']],
    ] as const) {
      const file = path.join(dir, `trapheus.${shell}`);
      await writeFile(file, await script(shell));
      const result = spawnSync(shell, [...args, file], { encoding: 'utf8' });
      // Where the shell is not installed there is nothing to parse with: say so rather than pass silently.
      expect(result.error, `${shell} is needed to check its completion script (apt-get install ${shell})`).toBeUndefined();
      expect(result.stderr, shell).toBe('');
      expect(result.status, shell).toBe(0);
    }
    // fish answers what it would complete: commands, choices, options.
    const fish = (line: string) =>
      execFileSync('fish', ['-c', `source ${JSON.stringify(path.join(dir, 'trapheus.fish'))}; complete -C ${JSON.stringify(line)}`], {
        encoding: 'utf8',
      })
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0]);
    expect(fish('trapheus res')).toEqual(expect.arrayContaining(['restore', 'resume']));
    expect(fish('trapheus restore --strategy ').sort()).toEqual(['rename-first', 'swap']);
    expect(fish('trapheus completion ').sort()).toEqual(['bash', 'fish', 'zsh']);
    // zsh: sourcing the script registers the completion function.
    const zsh = spawnSync(
      'zsh',
      ['-c', `autoload -U compinit; compinit -u; source ${JSON.stringify(path.join(dir, 'trapheus.zsh'))}; print -r -- $_comps[trapheus]`],
      { encoding: 'utf8' },
    );
    expect(zsh.stdout.trim()).toBe('_trapheus');
  });
});
