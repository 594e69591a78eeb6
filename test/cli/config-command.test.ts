import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CliContext } from '../../src/cli/cli-context.js';
import type { Output } from '../../src/cli/output.js';
import { main } from '../../src/main.js';

const SECRET = 'https://hooks.slack.com/services/T0000/B0000/verysecretTOKEN1234';

/**
 * `trapheus config` driven like the other commands (see cli.test.ts): an injected context whose
 * environment names a temporary HOME and XDG_CONFIG_HOME, and a working directory inside a
 * temporary repository. The AWS side must never be built.
 */
async function setup(files: { repo?: unknown; user?: unknown } = {}, env: NodeJS.ProcessEnv = {}) {
  const base = await mkdtemp(path.join(os.tmpdir(), 'trapheus-config-cmd-'));
  const repo = path.join(base, 'repo');
  const cwd = path.join(repo, 'sub');
  const home = path.join(base, 'home');
  const xdg = path.join(base, 'xdg');
  await mkdir(path.join(repo, '.git'), { recursive: true });
  await mkdir(cwd, { recursive: true });
  await mkdir(home, { recursive: true });
  const repoFile = path.join(repo, '.trapheusrc.json');
  const userFile = path.join(xdg, 'trapheus', 'config.json');
  if (files.repo !== undefined) await writeFile(repoFile, typeof files.repo === 'string' ? files.repo : JSON.stringify(files.repo));
  if (files.user !== undefined) {
    await mkdir(path.dirname(userFile), { recursive: true });
    await writeFile(userFile, JSON.stringify(files.user));
  }
  vi.spyOn(process, 'cwd').mockReturnValue(cwd);

  const out: string[] = [];
  const err: string[] = [];
  const output: Output = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    interactive: false,
    canPrompt: false,
    color: false,
    ask: async () => '',
  };
  const ctx: CliContext = {
    output,
    env: { HOME: home, XDG_CONFIG_HOME: xdg, ...env },
    signal: new AbortController().signal,
    version: '9.9.9',
    deps: {
      service: () => Promise.reject(new Error('trapheus config must not build the AWS side')),
      journal: () => Promise.reject(new Error('trapheus config must not open the journal')),
    },
  };
  return { base, repoFile, userFile, home, out, err, run: (...argv: string[]) => main(argv, ctx) };
}

type Doc = {
  schemaVersion: number;
  file: string | null;
  fileOrigin: string | null;
  searched: string[];
  values: Record<string, { value: unknown; source: string; name?: string; path?: string; redacted?: boolean }>;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('trapheus config', () => {
  it('--json: one document with every key, its value and where it came from (flag, env, file, default)', async () => {
    const t = await setup(
      { repo: { region: 'eu-west-1', profile: 'ops', snapshots: { retain: 5 } }, user: { snapshots: { retain: 8 } } },
      { TRAPHEUS_WAIT_MAX_MINUTES: '90', TRAPHEUS_JOURNAL_DIR: '/var/lib/trapheus' },
    );
    expect(await t.run('config', '--json', '--region', 'us-west-2')).toBe(0);
    expect(t.out).toHaveLength(1);
    expect(t.err).toEqual([]);
    const doc = JSON.parse(t.out[0]!) as Doc;
    expect(doc).toMatchObject({ schemaVersion: 1, file: t.repoFile, fileOrigin: 'directory' });
    expect(doc.searched).toEqual([path.join(path.dirname(t.repoFile), 'sub', '.trapheusrc.json'), t.repoFile]);
    expect(doc.values.region).toEqual({ value: 'us-west-2', source: 'flag', name: '--region' });
    expect(doc.values.profile).toEqual({ value: 'ops', source: 'file', path: t.repoFile });
    expect(doc.values['snapshots.retain']).toEqual({ value: 5, source: 'file', path: t.repoFile });
    expect(doc.values['wait.maxWaitMinutes']).toEqual({ value: 90, source: 'env', name: 'TRAPHEUS_WAIT_MAX_MINUTES' });
    expect(doc.values.journalDir).toEqual({ value: '/var/lib/trapheus', source: 'env', name: 'TRAPHEUS_JOURNAL_DIR' });
    expect(doc.values['restore.strategy']).toEqual({ value: 'swap', source: 'default' });
    expect(doc.values['alerts.email.from']).toEqual({ value: null, source: 'default' });
  });

  it('falls back to the user config file when no directory up to the repository root has one', async () => {
    const t = await setup({ user: { snapshots: { retain: 8 } } });
    expect(await t.run('config', '--json')).toBe(0);
    const doc = JSON.parse(t.out[0]!) as Doc;
    expect(doc).toMatchObject({ file: t.userFile, fileOrigin: 'user' });
    expect(doc.values['snapshots.retain']).toEqual({ value: 8, source: 'file', path: t.userFile });
    expect(doc.values.journalDir).toEqual({ value: path.join(t.home, '.trapheus', 'runs'), source: 'default' });
  });

  it('--config and TRAPHEUS_CONFIG name the file, the flag first', async () => {
    const t = await setup({ repo: { profile: 'repo' } });
    const flagFile = path.join(t.base, 'flag.json');
    const envFile = path.join(t.base, 'env.json');
    await writeFile(flagFile, JSON.stringify({ profile: 'flag' }));
    await writeFile(envFile, JSON.stringify({ profile: 'env' }));
    expect(await t.run('config', '--json', '--config', flagFile)).toBe(0);
    expect(JSON.parse(t.out.pop()!)).toMatchObject({ file: flagFile, fileOrigin: '--config', values: { profile: { value: 'flag' } } });

    const viaEnv = await setup({ repo: { profile: 'repo' } }, { TRAPHEUS_CONFIG: envFile });
    expect(await viaEnv.run('config', '--json')).toBe(0);
    expect(JSON.parse(viaEnv.out[0]!)).toMatchObject({
      file: envFile,
      fileOrigin: 'TRAPHEUS_CONFIG',
      values: { profile: { value: 'env' } },
    });
  });

  it('redacts Slack webhook URLs from the file and from TRAPHEUS_SLACK_WEBHOOK_URLS, in both outputs', async () => {
    const other = 'https://hooks.slack.com/services/T1111/B1111/othersecretABCD';
    const t = await setup({ repo: { alerts: { slack: { webhookUrls: [SECRET] } } } });
    expect(await t.run('config', '--json')).toBe(0);
    expect(JSON.parse(t.out[0]!)).toMatchObject({
      values: { 'alerts.slack.webhookUrls': { value: ['https://hooks.slack.com/…1234'], redacted: true, source: 'file' } },
    });
    expect(await t.run('config')).toBe(0);
    expect(t.out[1]).toMatch(/alerts\.slack\.webhookUrls\s+https:\/\/hooks\.slack\.com\/…1234\s/);

    const fromEnv = await setup({}, { TRAPHEUS_SLACK_WEBHOOK_URLS: `${SECRET},${other}` });
    expect(await fromEnv.run('config', '--json')).toBe(0);
    expect(JSON.parse(fromEnv.out[0]!)).toMatchObject({
      values: {
        'alerts.slack.webhookUrls': {
          value: ['https://hooks.slack.com/…1234', 'https://hooks.slack.com/…ABCD'],
          source: 'env',
          name: 'TRAPHEUS_SLACK_WEBHOOK_URLS',
        },
      },
    });
    for (const text of [...t.out, ...t.err, ...fromEnv.out, ...fromEnv.err]) {
      expect(text).not.toMatch(/verysecret|othersecret|T0000\/B0000/);
    }
  });

  it('prints a table for people: the file, where it looked, and each key with its source', async () => {
    const t = await setup({ repo: { region: 'eu-west-1' } }, { TRAPHEUS_EXPORT_BUCKET: 'my-exports' });
    expect(await t.run('config')).toBe(0);
    const text = t.out.join('\n');
    expect(text).toContain(`Config file: ${t.repoFile} (found from the working directory)`);
    expect(text).toMatch(/^KEY\s+VALUE\s+FROM$/m);
    expect(text).toMatch(new RegExp(`^region\\s+eu-west-1\\s+${t.repoFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
    expect(text).toMatch(/^export\.bucket\s+my-exports\s+env TRAPHEUS_EXPORT_BUCKET$/m);
    expect(text).toMatch(/^restore\.strategy\s+swap\s+default$/m);
    expect(text).toMatch(/^alerts\.email\.to\s+\[\]\s+default$/m);
    expect(text).toMatch(/^profile\s+–\s+default$/m);
    expect(text).toMatch(/left to the AWS SDK/);
  });

  it('says when there is no config file', async () => {
    const t = await setup();
    expect(await t.run('config')).toBe(0);
    expect(t.out[0]).toMatch(/^Config file: none/);
    expect(t.out[0]).toContain(path.join(t.base, 'xdg', 'trapheus', 'config.json'));
  });

  it('exits 2 for an invalid config file or variable, as JSON with --json', async () => {
    const t = await setup({ repo: { snapshots: { retain: 0 } } });
    expect(await t.run('config')).toBe(2);
    expect(t.err.join('\n')).toMatch(/snapshots\.retain/);

    const broken = await setup({ repo: '{ nope' });
    expect(await broken.run('config', '--json')).toBe(2);
    expect(JSON.parse(broken.out[0]!)).toMatchObject({
      status: 'error',
      error: { name: 'UsageError', message: expect.stringContaining(broken.repoFile) },
    });

    const badEnv = await setup({}, { TRAPHEUS_ALERTS_ON_SUCCESS: 'maybe' });
    expect(await badEnv.run('config')).toBe(2);
    expect(badEnv.err.join('\n')).toMatch(/TRAPHEUS_ALERTS_ON_SUCCESS must be true or false/);

    const missing = await setup();
    expect(await missing.run('config', '--config', 'nope.json')).toBe(2);
    expect(missing.err.join('\n')).toMatch(/from --config\): no such file/);
  });

  it('has --help with examples', async () => {
    const t = await setup();
    expect(await t.run('config', '--help')).toBe(0);
    expect(t.out.join('\n')).toMatch(/Examples:\n {2}\$ trapheus config/);
  });
});
