import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig, isSecretKey, redactSecret, redactUrlCredentials } from '../../src/config/describe-config.js';
import { discoverConfig, userConfigFile } from '../../src/config/discover-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { UsageError } from '../../src/core/errors.js';

/**
 * A throwaway world, all under one temp directory (nothing is written to the real home):
 *   outside/.trapheusrc.json        above the repository: never reached from inside it
 *   outside/repo/.git/              the repository root
 *   outside/repo/a/b/               the working directory of most tests
 *   home/                           the injected home directory
 */
async function world() {
  const base = await mkdtemp(path.join(os.tmpdir(), 'trapheus-discover-'));
  const outside = path.join(base, 'outside');
  const repo = path.join(outside, 'repo');
  const cwd = path.join(repo, 'a', 'b');
  const home = path.join(base, 'home');
  await mkdir(path.join(repo, '.git'), { recursive: true });
  await mkdir(cwd, { recursive: true });
  await mkdir(home, { recursive: true });
  const write = async (file: string, content: unknown = {}) => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const userFile = path.join(home, '.config', 'trapheus', 'config.json');
  return { base, outside, repo, cwd, home, userFile, write, place: { cwd, home } };
}

describe('config discovery order', () => {
  it('--config wins over TRAPHEUS_CONFIG, the directories and the user file', async () => {
    const w = await world();
    const flagFile = await w.write(path.join(w.base, 'flag.json'));
    const envFile = await w.write(path.join(w.base, 'env.json'));
    await w.write(path.join(w.cwd, '.trapheusrc.json'));
    await w.write(w.userFile);
    const found = await discoverConfig('../../../../flag.json', { TRAPHEUS_CONFIG: envFile }, w.place);
    expect(found.file).toMatchObject({ path: flagFile, origin: '--config' });
    expect(found.searched).toEqual([flagFile]);
  });

  it('TRAPHEUS_CONFIG (relative to the working directory) wins over the directories and the user file', async () => {
    const w = await world();
    const envFile = await w.write(path.join(w.cwd, 'ci', 'trapheus.json'));
    await w.write(path.join(w.cwd, '.trapheusrc.json'));
    await w.write(w.userFile);
    const found = await discoverConfig(undefined, { TRAPHEUS_CONFIG: 'ci/trapheus.json' }, w.place);
    expect(found.file).toMatchObject({ path: envFile, origin: 'TRAPHEUS_CONFIG' });
  });

  it('an empty TRAPHEUS_CONFIG counts as unset', async () => {
    const w = await world();
    const here = await w.write(path.join(w.cwd, '.trapheusrc.json'));
    expect((await discoverConfig(undefined, { TRAPHEUS_CONFIG: '' }, w.place)).file?.path).toBe(here);
  });

  it('the working directory wins over its parents, and a parent over the user file', async () => {
    const w = await world();
    const here = await w.write(path.join(w.cwd, '.trapheusrc.json'));
    const atRoot = await w.write(path.join(w.repo, '.trapheusrc.json'));
    await w.write(w.userFile);
    expect((await discoverConfig(undefined, {}, w.place)).file).toMatchObject({ path: here, origin: 'directory' });

    const fromA = await discoverConfig(undefined, {}, { ...w.place, cwd: path.join(w.repo, 'a') });
    expect(fromA.file).toMatchObject({ path: atRoot, origin: 'directory' });
    expect(fromA.searched).toEqual([path.join(w.repo, 'a', '.trapheusrc.json'), atRoot]);
  });

  it('walks up to the repository root (the first directory with .git) and no further, then reads the user file', async () => {
    const w = await world();
    await w.write(path.join(w.outside, '.trapheusrc.json'));
    await w.write(w.userFile);
    const found = await discoverConfig(undefined, {}, w.place);
    expect(found.file).toMatchObject({ path: w.userFile, origin: 'user' });
    expect(found.searched).toEqual([
      path.join(w.cwd, '.trapheusrc.json'),
      path.join(w.repo, 'a', '.trapheusrc.json'),
      path.join(w.repo, '.trapheusrc.json'),
      w.userFile,
    ]);
  });

  it('a .git file (a worktree or submodule) marks the repository root too', async () => {
    const w = await world();
    const sub = path.join(w.repo, 'a');
    await w.write(path.join(sub, '.git'), 'gitdir: ../.git/worktrees/a\n');
    await w.write(path.join(w.repo, '.trapheusrc.json'));
    const found = await discoverConfig(undefined, {}, w.place);
    expect(found.file).toBeUndefined();
    expect(found.searched).toEqual([path.join(w.cwd, '.trapheusrc.json'), path.join(sub, '.trapheusrc.json'), w.userFile]);
  });

  it('outside a repository, keeps walking up the parents', async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), 'trapheus-norepo-'));
    const cwd = path.join(base, 'x', 'y');
    await mkdir(cwd, { recursive: true });
    const file = path.join(base, '.trapheusrc.json');
    await writeFile(file, '{}');
    const found = await discoverConfig(undefined, {}, { cwd, home: base });
    expect(found.file).toMatchObject({ path: file, origin: 'directory' });
  });

  it('the user file is $XDG_CONFIG_HOME/trapheus/config.json, by default ~/.config/trapheus/config.json', async () => {
    const w = await world();
    const xdg = path.join(w.base, 'xdg');
    const xdgFile = await w.write(path.join(xdg, 'trapheus', 'config.json'));
    await w.write(w.userFile);
    expect((await discoverConfig(undefined, { XDG_CONFIG_HOME: xdg }, w.place)).file).toMatchObject({ path: xdgFile, origin: 'user' });
    expect((await discoverConfig(undefined, {}, w.place)).file).toMatchObject({ path: w.userFile, origin: 'user' });
    // A relative XDG_CONFIG_HOME is invalid (XDG Base Directory spec) and ignored.
    expect(userConfigFile({ XDG_CONFIG_HOME: 'relative' }, w.home)).toBe(w.userFile);
  });

  it('no file anywhere: nothing found, every place listed', async () => {
    const w = await world();
    const found = await discoverConfig(undefined, {}, w.place);
    expect(found.file).toBeUndefined();
    expect(found.searched.at(-1)).toBe(w.userFile);
  });

  it('a named file must exist; an empty --config and an unreadable file are usage errors', async () => {
    const w = await world();
    await expect(discoverConfig('nope.json', {}, w.place)).rejects.toThrow(/nope\.json \(from --config\): no such file/);
    await expect(discoverConfig(undefined, { TRAPHEUS_CONFIG: 'nope.json' }, w.place)).rejects.toThrow(/from TRAPHEUS_CONFIG/);
    await expect(discoverConfig('', {}, w.place)).rejects.toBeInstanceOf(UsageError);
    await mkdir(path.join(w.cwd, '.trapheusrc.json'));
    const error = await discoverConfig(undefined, {}, w.place).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/it is a directory/);
  });
});

describe('loadConfig with discovery', () => {
  it('reads a config file found in a parent directory and records where each value came from', async () => {
    const w = await world();
    const file = await w.write(path.join(w.repo, '.trapheusrc.json'), {
      $schema: './trapheusrc.schema.json',
      region: 'eu-west-1',
      profile: 'ops',
      snapshots: { retain: 5 },
      alerts: { slack: { webhookUrls: ['https://hooks.slack.com/services/T0/B0/filesecretABCD'] } },
    });
    const loaded = await loadConfig(
      { region: 'us-west-2' },
      { TRAPHEUS_JOURNAL_DIR: '/var/lib/trapheus', TRAPHEUS_SNAPSHOTS_RETAIN: '7' },
      w.cwd,
      w.home,
    );
    expect(loaded).toMatchObject({ file, fileOrigin: 'directory', journalDir: '/var/lib/trapheus' });
    expect(loaded.config.region).toBe('us-west-2');
    expect(loaded.config.snapshots.retain).toBe(7);
    expect(loaded.sources).toEqual({
      region: { source: 'flag', name: '--region' },
      profile: { source: 'file', path: file },
      'snapshots.retain': { source: 'env', name: 'TRAPHEUS_SNAPSHOTS_RETAIN' },
      'alerts.slack.webhookUrls': { source: 'file', path: file },
      journalDir: { source: 'env', name: 'TRAPHEUS_JOURNAL_DIR' },
    });
  });

  it('a relative journalDir in a file is relative to that file; ~ is the injected home', async () => {
    const w = await world();
    await w.write(path.join(w.repo, '.trapheusrc.json'), { journalDir: 'runs' });
    expect((await loadConfig({}, {}, w.cwd, w.home)).journalDir).toBe(path.join(w.repo, 'runs'));
    await w.write(path.join(w.cwd, '.trapheusrc.json'), { journalDir: '~/j' });
    expect((await loadConfig({}, {}, w.cwd, w.home)).journalDir).toBe(path.join(w.home, 'j'));
    await w.write(path.join(w.cwd, '.trapheusrc.json'), {});
    expect((await loadConfig({}, {}, w.cwd, w.home)).journalDir).toBe(path.join(w.home, '.trapheus', 'runs'));
  });

  it('takes the home directory from HOME in the injected environment', async () => {
    const w = await world();
    await w.write(w.userFile, { snapshots: { retain: 9 } });
    const loaded = await loadConfig({}, { HOME: w.home }, w.cwd);
    expect(loaded.file).toBe(w.userFile);
    expect(loaded.config.snapshots.retain).toBe(9);
  });

  it('an invalid file found by discovery exits as bad config (UsageError) naming the file', async () => {
    const w = await world();
    const file = await w.write(w.userFile, '{ not json');
    const error = await loadConfig({}, {}, w.cwd, w.home).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(file);
    expect((error as UsageError).hint).toMatch(/\.trapheusrc\.example\.json/);
  });
});

describe('describeConfig', () => {
  it('lists every key with its value and source, and redacts secrets wherever they came from', async () => {
    const w = await world();
    const file = await w.write(path.join(w.cwd, '.trapheusrc.json'), {
      alerts: { slack: { webhookUrls: ['https://hooks.slack.com/services/T0/B0/filesecretABCD'] } },
      export: { bucket: 'my-exports', prefix: 'https://user:pa55@example.com/p?token=zzz' },
    });
    const entries = describeConfig(
      await loadConfig({}, { TRAPHEUS_EMAIL_FROM: 'a@example.com', TRAPHEUS_EMAIL_TO: 'b@example.com' }, w.cwd, w.home),
    );
    const byKey = new Map(entries.map((e) => [e.key, e]));
    expect([...byKey.keys()]).toContain('wait.maxWaitMinutes');
    expect([...byKey.keys()]).not.toContain('$schema');
    expect(byKey.get('alerts.slack.webhookUrls')).toEqual({
      key: 'alerts.slack.webhookUrls',
      value: ['https://hooks.slack.com/…ABCD'],
      redacted: true,
      source: 'file',
      path: file,
    });
    expect(byKey.get('export.prefix')?.value).toBe('https://…@example.com/p?…');
    expect(byKey.get('alerts.email.to')).toEqual({
      key: 'alerts.email.to',
      value: ['b@example.com'],
      source: 'env',
      name: 'TRAPHEUS_EMAIL_TO',
    });
    expect(byKey.get('region')).toEqual({ key: 'region', value: null, source: 'default' });
    expect(byKey.get('snapshots.retain')).toEqual({ key: 'snapshots.retain', value: 3, source: 'default' });
    expect(byKey.get('journalDir')).toMatchObject({ value: path.join(w.home, '.trapheus', 'runs'), source: 'default' });
    expect(JSON.stringify(entries)).not.toMatch(/filesecret|pa55|zzz/);
  });

  it('names secret-like keys and redacts their values', () => {
    expect(['alerts.slack.webhookUrls', 'x.apiKey', 'x.api_key', 'db.password', 'a.clientSecret', 'a.token'].every(isSecretKey)).toBe(true);
    expect(['export.kmsKeyId', 'export.bucket', 'alerts.email.from', 'region'].some(isSecretKey)).toBe(false);
    expect(redactSecret('https://hooks.slack.com/services/T0/B0/secretXYZW')).toBe('https://hooks.slack.com/…XYZW');
    expect(redactSecret('0123456789abcdefWXYZ')).toBe('…WXYZ');
    expect(redactSecret('short')).toBe('…');
    expect(redactUrlCredentials('https://example.com/plain')).toBe('https://example.com/plain');
    expect(redactUrlCredentials('not a url')).toBe('not a url');
  });
});
