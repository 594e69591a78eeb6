import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string };

/** Not in a fresh clone (ignored by git) or not wanted in the copy that is packed. */
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', 'dist-bench', 'coverage', '.trapheus']);

/**
 * The environment of the npm and trapheus child processes: the caller's, minus what `npm test`
 * adds about the running script (npm_lifecycle_*, npm_package_*), which would leak into the child npm.
 */
function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_(lifecycle|package)_/i.test(key) && key !== 'INIT_CWD') env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

async function npm(args: string[], cwd: string, env = childEnv()): Promise<string> {
  try {
    const { stdout } = await run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env, maxBuffer: 64 << 20 });
    return stdout;
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${stderr ?? String(error)}`, { cause: error });
  }
}

/**
 * What a user gets from `npm pack` on a fresh clone, installed the way README's Install section says:
 * the tarball is built from a copy of the working tree without dist/ (so `prepack` must build it),
 * installed globally into a temporary prefix, and its `trapheus` run from there and through npx.
 */
describe('the packed package', () => {
  let tmp: string;
  let prefix: string;
  let packed: string[];
  let installedWith: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'trapheus-pack-'));
    const clone = path.join(tmp, 'clone');
    await cp(root, clone, {
      recursive: true,
      filter: (source) => !NOT_COPIED.has(path.relative(root, source)) && !source.endsWith('.tgz'),
    });
    // Build tools only: the packed package never sees this node_modules.
    await symlink(path.join(root, 'node_modules'), path.join(clone, 'node_modules'), 'dir');

    const out = path.join(tmp, 'out');
    await mkdir(out);
    const [pack] = JSON.parse(await npm(['pack', '--json', '--pack-destination', out], clone)) as [
      { filename: string; files: { path: string }[] },
    ];
    packed = pack.files.map((f) => f.path).sort();
    const tarball = path.join(out, pack.filename);

    // The dependencies come from npm's cache (filled by `npm ci`). `--offline` works once the cache
    // holds their full registry documents; right after `npm ci` alone it does not (npm ci stores
    // only the abbreviated ones, and resolving a tarball's ranges asks for the full ones), so then
    // the install falls back to --prefer-offline, which fetches just those documents.
    prefix = path.join(tmp, 'prefix');
    const install = (mode: string) => npm(['install', '--global', '--prefix', prefix, mode, tarball], tmp);
    try {
      await install('--offline');
      installedWith = '--offline';
    } catch (error) {
      if (!/ENOTCACHED/.test(String(error))) throw error;
      await install('--prefer-offline');
      installedWith = '--prefer-offline';
    }
  }, 120_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('ships the built CLI, the licence and the config example, and no source maps or sources', () => {
    expect(installedWith).toMatch(/^--(prefer-)?offline$/);
    expect(packed).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'bin/trapheus.js',
        'bin/compile-cache.js',
        'bin/package.json',
        'dist/bundle/entry.json',
        '.trapheusrc.example.json',
        'trapheusrc.schema.json',
        'schemas/restore.schema.json',
        'schemas/error.schema.json',
      ]),
    );
    expect(packed.filter((p) => p.endsWith('.map') || p.endsWith('.ts'))).toEqual([]);
    // The bundle only: tsc's one-file-per-module output stays home.
    expect(packed.filter((p) => p.startsWith('dist/') && !/^dist\/bundle\/[\w-]+\.(cjs|json)$/.test(p))).toEqual([
      'dist/bundle/THIRD-PARTY-LICENSES.txt',
    ]);
    expect(packed.filter((p) => /^dist\/bundle\/trapheus-[\w-]+\.cjs$/.test(p))).toHaveLength(1);
    expect(packed.filter((p) => !/^(bin|dist|schemas)\//.test(p))).toEqual([
      '.trapheusrc.example.json',
      'LICENSE',
      'README.md',
      'package.json',
      'trapheusrc.schema.json',
    ]);
  });

  it('installs a bundle without source-map references, and the Apache-2.0 licence text', async () => {
    const pkg = path.join(prefix, 'lib', 'node_modules', 'trapheus');
    const { entry } = JSON.parse(await readFile(path.join(pkg, 'dist', 'bundle', 'entry.json'), 'utf8')) as { entry: string };
    expect(await readFile(path.join(pkg, 'dist', 'bundle', entry), 'utf8')).not.toMatch(/sourceMappingURL/);
    const license = await readFile(path.join(pkg, 'LICENSE'), 'utf8');
    expect(license).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(license).toMatch(/END OF TERMS AND CONDITIONS/);
    // The packages bundled into dist/bundle/ come with their licences.
    const notices = await readFile(path.join(pkg, 'dist', 'bundle', 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    for (const bundled of ['commander', 'chalk', 'ora', 'zod'])
      expect(notices).toMatch(new RegExp(`^${bundled} \\d+\\.\\d+\\.\\d+ — MIT$`, 'm'));
    expect(notices).toMatch(/Permission is hereby granted, free of charge/);
  });

  it('runs `trapheus --version` and `trapheus restore --help` from the prefix', async () => {
    const bin = path.join(prefix, 'bin', 'trapheus');
    const cwd = tmp;
    const versionRun = await run(bin, ['--version'], { cwd, env: childEnv() });
    expect(versionRun.stdout.trim()).toBe(version);
    expect(versionRun.stderr).toBe('');

    const help = await run(bin, ['restore', '--help'], { cwd, env: childEnv() });
    expect(help.stdout).toMatch(/^Usage: trapheus restore \[options\]/);
    expect(help.stdout).toMatch(/--identifier <id>/);
    expect(help.stdout).toMatch(/\$ trapheus restore --identifier db1 --yes/);
    expect(help.stderr).toBe('');
  });

  it('runs through `npx trapheus` once installed (npx finds the installed bin; nothing is downloaded)', async () => {
    const { stdout } = await run('npx', ['--offline', 'trapheus', '--version'], { cwd: tmp, env: childEnv({ npm_config_prefix: prefix }) });
    expect(stdout.trim()).toBe(version);
  });
});
