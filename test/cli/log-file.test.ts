import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/cli-context.js';
import { formatLogLine, LogFile } from '../../src/cli/log-file.js';
import { loadConfig } from '../../src/config/load-config.js';
import { main } from '../../src/main.js';
import type { ServiceDeps } from '../../src/workflows/service.js';
import { instanceWorld } from '../workflows/instance-world.js';
import { cliOver, recorder } from '../reliability/cli-world.js';

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'trapheus-log-'));
const readLines = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter(Boolean);

/** `<ISO time> <level> <run id> <identifier> <event> <message>` */
const LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (info |warn |error) (\S+) (\S+) (\S+) (.+)$/;
const fields = (line: string) => {
  const m = LINE.exec(line);
  if (!m) throw new Error(`not a log line: ${line}`);
  return { at: m[1], level: m[2]?.trim(), runId: m[3], identifier: m[4], event: m[5], message: m[6] };
};

/** The command line over a world, with an environment of its own. */
function cliWithEnv(deps: ServiceDeps, env: NodeJS.ProcessEnv) {
  const rec = recorder();
  const ctx: CliContext = {
    output: rec.output,
    env,
    signal: deps.signal,
    version: '9.9.9',
    deps: { service: async (input) => ({ ...deps, observer: input.observer }), journal: async () => deps },
  };
  return { rec, run: (...argv: string[]) => main(argv, ctx) };
}

describe('formatLogLine', () => {
  it('puts time, level, run id, identifier and event in single-word fields, "-" for none, the message on one line', () => {
    expect(
      formatLogLine({
        at: '2026-01-01T00:00:00.000Z',
        level: 'warn',
        event: 'notice',
        message: 'two\n  lines',
        runId: '20260101-000000-db1-abcd',
        identifier: 'db1',
      }),
    ).toBe('2026-01-01T00:00:00.000Z warn  20260101-000000-db1-abcd db1 notice two lines');
    expect(formatLogLine({ at: '2026-01-01T00:00:00.000Z', level: 'info', event: 'command_end', message: 'runs ended: ok' })).toBe(
      '2026-01-01T00:00:00.000Z info  - - command_end runs ended: ok',
    );
  });
});

describe('--log-file (cron)', () => {
  it('appends one line per event, each with the run id and the identifier, to a file created 0600', async () => {
    const file = path.join(await tmp(), 'trapheus.log');
    const { run, rec } = cliOver(instanceWorld().deps);
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes', '--log-file', file)).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const lines = (await readLines(file)).map(fields);
    const runId = lines[0]?.runId;
    expect(runId).toMatch(/^\d{8}-\d{6}-db1-[0-9a-f]{4}$/);
    for (const line of lines) {
      expect(line.runId).toBe(runId);
      expect(line.identifier).toBe('db1');
    }
    const events = lines.map((l) => l.event);
    expect(events.slice(0, 2)).toEqual(['run_started', 'run_plan']);
    expect(events.filter((e) => e === 'step_started').length).toBeGreaterThan(5);
    expect(lines.find((l) => l.event === 'step_started')?.message).toMatch(/\(step 1\/\d+, \d+s elapsed\)$/);
    expect(events.at(-2)).toBe('run_finished');
    expect(lines.at(-1)).toMatchObject({ level: 'info', event: 'command_end', message: 'restore ended: succeeded' });
    // In addition to stderr, not instead of it.
    expect(rec.err.some((l) => / \[\S+ db1\] run finished: succeeded/.test(l))).toBe(true);
  });

  it('never truncates: a second run appends after the first, and an existing file keeps its mode', async () => {
    const file = path.join(await tmp(), 'trapheus.log');
    await writeFile(file, 'an older line\n');
    await chmod(file, 0o640);
    const world = instanceWorld();
    expect(await cliOver(world.deps).run('snapshot-only', '--identifier', 'db1', '--log-file', file)).toBe(0);
    const first = await readLines(file);
    expect(await cliOver(world.deps).run('snapshot-only', '--identifier', 'db1', '--log-file', file)).toBe(0);
    const second = await readLines(file);
    expect(second.slice(0, first.length)).toEqual(first);
    expect(second[0]).toBe('an older line');
    const runIds = new Set(second.slice(1).map((l) => fields(l).runId));
    expect(runIds.size).toBe(2);
    expect((await stat(file)).mode & 0o777).toBe(0o640);
  });

  it('works with --json: stdout stays exactly one document, the lines go to the file', async () => {
    const file = path.join(await tmp(), 'trapheus.log');
    const { run, rec } = cliOver(instanceWorld().deps);
    expect(await run('--json', 'restore', '--identifier', 'db1', '--snapshot', 's1', '--yes', '--log-file', file)).toBe(0);
    const doc = JSON.parse(rec.out.join('\n')) as { runId: string; status: string };
    expect(doc.status).toBe('succeeded');
    const lines = (await readLines(file)).map(fields);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.every((l) => l.runId === doc.runId)).toBe(true);
    expect(rec.err).toEqual([]);
  });

  it('logs a skipped run (another run holds the lock: exit 5) as a warning naming the database', async () => {
    const file = path.join(await tmp(), 'trapheus.log');
    const world = instanceWorld();
    world.locks.held.set('instance-db1', { pid: 77, host: 'test-host', runId: 'other', since: '' });
    expect(await cliOver(world.deps).run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes', '--log-file', file)).toBe(5);
    const lines = (await readLines(file)).map(fields);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', runId: '-', identifier: 'db1', event: 'command_end' });
    expect(lines[0]?.message).toMatch(/^restore skipped: LockHeldError: .*locked by run other/);
  });

  it('refuses a log file it cannot open before touching anything (exit 2)', async () => {
    const world = instanceWorld();
    const { run, rec } = cliOver(world.deps);
    const file = path.join(await tmp(), 'no-such-dir', 'trapheus.log');
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes', '--log-file', file)).toBe(2);
    expect(rec.err.join('\n')).toMatch(/Cannot open the log file .*no-such-dir\/trapheus\.log/);
    expect(world.rds.calls).toEqual([]);
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes', '--log-file', os.tmpdir())).toBe(2);
  });

  it('takes TRAPHEUS_LOG_FILE, and logFile from the config file (relative to that file), below --log-file', async () => {
    const dir = await tmp();
    const fromEnv = path.join(dir, 'env.log');
    const world = instanceWorld();
    expect(await cliWithEnv(world.deps, { TRAPHEUS_LOG_FILE: fromEnv, HOME: dir }).run('snapshot-only', '--identifier', 'db1')).toBe(0);
    expect((await readLines(fromEnv)).at(-1)).toMatch(/ command_end snapshot-only ended: succeeded$/);

    const config = path.join(dir, 'trapheus.json');
    await writeFile(config, JSON.stringify({ logFile: 'logs.txt' }));
    expect((await loadConfig({ config }, {}, dir, dir)).config.logFile).toBe(path.join(dir, 'logs.txt'));
    const byFlag = path.join(dir, 'flag.log');
    const { run } = cliWithEnv(world.deps, { TRAPHEUS_LOG_FILE: fromEnv, HOME: dir });
    const before = (await readLines(fromEnv)).length;
    expect(await run('--config', config, 'snapshot-only', '--identifier', 'db1', '--log-file', byFlag)).toBe(0);
    expect((await readLines(byFlag)).length).toBeGreaterThan(3);
    expect(await readLines(fromEnv)).toHaveLength(before);
    expect(await run('--config', config, 'snapshot-only', '--identifier', 'db1')).toBe(0);
    // The environment is above the file, as for every key.
    expect((await readLines(fromEnv)).length).toBeGreaterThan(before);
    expect(await cliWithEnv(world.deps, { HOME: dir }).run('--config', config, 'snapshot-only', '--identifier', 'db1')).toBe(0);
    expect((await readLines(path.join(dir, 'logs.txt'))).at(-1)).toMatch(/ db1 command_end snapshot-only ended: succeeded$/);
  });

  it('says once on stderr when a write fails, and goes on', () => {
    const warnings: string[] = [];
    const log = LogFile.open(path.join(os.tmpdir(), `trapheus-log-${process.pid}.log`), (t) => warnings.push(t));
    log.close();
    // Closed under it (as a full disk would fail it): the line is lost, the run is not.
    (log as unknown as { fd: number }).fd = 987_654;
    log.appendLine('a');
    log.appendLine('b');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not write to the log file/);
  });
});

describe("the README's crontab example", () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /<!-- crontab example[^>]*-->\n```cron\n(.+)\n```/.exec(readme)?.[1];

  /** The crontab line: five time fields, then the command as cron's /bin/sh would split it (no quotes in it). */
  function parseCrontab(line: string) {
    const words = line.trim().split(/\s+/);
    const time = words.slice(0, 5);
    const command = words.slice(5);
    const redirect = command.findIndex((w) => /^\d?>>?|^\d?>&/.test(w));
    const argvWithEnv = redirect < 0 ? command : command.slice(0, redirect);
    return { time, command, argvWithEnv, redirects: redirect < 0 ? [] : command.slice(redirect) };
  }

  it('works with cron’s bare PATH: env sets PATH, every file is absolute, trapheus is the package’s command', () => {
    expect(block, 'README: no crontab example after its marker').toBeDefined();
    const { time, argvWithEnv, redirects } = parseCrontab(block!);
    expect(time).toHaveLength(5);
    for (const field of time) expect(field).toMatch(/^[\d*/,-]+$/);
    const [env, pathSetting, program, ...args] = argvWithEnv;
    expect(env).toBe('/usr/bin/env');
    expect(pathSetting).toMatch(/^PATH=/);
    for (const dir of pathSetting!.slice('PATH='.length).split(':')) expect(path.isAbsolute(dir), dir).toBe(true);
    const bin = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;
    expect(Object.keys(bin)).toContain(program);
    // cron starts in $HOME: every file named is absolute (the log file and its redirection included).
    for (const flag of ['--log-file', '--journal-dir']) {
      const value = args[args.indexOf(flag) + 1];
      if (args.includes(flag)) expect(path.isAbsolute(value ?? ''), `${flag} ${value}`).toBe(true);
    }
    expect(args).toContain('--log-file');
    expect(args).toContain('--yes');
    for (const target of redirects.filter((w) => !/^\d?>/.test(w))) expect(path.isAbsolute(target), target).toBe(true);
  });

  it('runs: the same arguments, against fakes, restore the database and write the log file', async () => {
    const { argvWithEnv } = parseCrontab(block!);
    const args = argvWithEnv.slice(3);
    const dir = await tmp();
    // The example's own files, moved under a temporary directory (same names, same flags).
    const moved = args.map((arg, i) =>
      ['--log-file', '--journal-dir'].includes(args[i - 1] ?? '') ? path.join(dir, path.basename(arg)) : arg,
    );
    const world = instanceWorld();
    // No --snapshot in the example: the newest trapheus snapshot, else <id>-snapshot.
    world.rds.addSnapshot({ identifier: 'db1-snapshot', sourceIdentifier: 'db1' });
    const { run } = cliOver(world.deps);
    expect(await run(...moved)).toBe(0);
    const log = path.join(dir, path.basename(args[args.indexOf('--log-file') + 1]!));
    const lines = (await readLines(log)).map(fields);
    expect(lines.at(-1)).toMatchObject({ event: 'command_end', message: 'restore ended: succeeded', identifier: 'db1' });
    // A second run while the first holds the lock: skipped (exit 5), said in the log — no flock needed.
    world.locks.held.set('instance-db1', { pid: 77, host: 'test-host', runId: 'other', since: '' });
    expect(await cliOver(world.deps).run(...moved)).toBe(5);
    expect((await readLines(log)).at(-1)).toMatch(/ warn {2}- db1 command_end restore skipped: LockHeldError: /);
  });
});
