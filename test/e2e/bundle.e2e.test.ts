import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedRestores } from '../workflows/finished-journals.js';

// The CLI as users run it: bin/trapheus.js over dist/bundle/ (scripts/bundle.mjs) and its
// compile cache (bin/compile-cache.js). What a command loads is read from the process itself: a
// preloaded module lists, at exit, every file required and every Node module loaded.

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin', 'trapheus.js');
const bundleDir = path.join(root, 'dist', 'bundle');
/** Node 22.1 and newer keep the cache themselves (module.enableCompileCache). */
const nodeHasCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

const LOADED = `'use strict';
const { writeFileSync } = require('node:fs');
const before = new Set(process.moduleLoadList);
process.on('exit', () => writeFileSync(process.env.TRAPHEUS_TEST_LOADED, JSON.stringify({
  files: Object.keys(require.cache),
  builtins: process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice(13)),
})));
`;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  /** Bundle files (names), packages (first path part under node_modules) and Node modules loaded. */
  chunks: string[];
  packages: string[];
  builtins: string[];
  files: string[];
}

let tmp: string;
let journalDir: string;
let preload: string;
let entry: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'trapheus-bundle-'));
  journalDir = path.join(tmp, 'journal');
  await finishedRestores(journalDir, 3);
  preload = path.join(tmp, 'loaded.cjs');
  await writeFile(preload, LOADED);
  ({ entry } = JSON.parse(await readFile(path.join(bundleDir, 'entry.json'), 'utf8')) as { entry: string });
}, 60_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

let runs = 0;
async function trapheus(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  runs += 1;
  const loaded = path.join(tmp, `loaded-${runs}.json`);
  const home = path.join(tmp, 'home');
  await mkdir(home, { recursive: true });
  const fullEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CACHE_HOME: path.join(tmp, 'cache'),
    TRAPHEUS_JOURNAL_DIR: journalDir,
    AWS_REGION: 'us-east-1',
    NO_COLOR: '1',
    TRAPHEUS_TEST_LOADED: loaded,
    ...env,
  };
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['-r', preload, bin, ...args], { env: fullEnv, cwd: tmp }, (error, out, err) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err });
    });
  });
  const { files, builtins } = JSON.parse(await readFile(loaded, 'utf8')) as { files: string[]; builtins: string[] };
  return {
    code,
    stdout,
    stderr,
    files,
    builtins,
    chunks: files.filter((f) => f.startsWith(bundleDir + path.sep)).map((f) => path.basename(f)),
    packages: [...new Set(files.flatMap((f) => /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(f)?.[1] ?? []))],
  };
}

describe('what a command loads', () => {
  it('--version: bin/trapheus.js alone, no part of the bundle', async () => {
    const ran = await trapheus(['--version']);
    expect(ran.code).toBe(0);
    expect(ran.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(ran.files.filter((f) => f !== preload)).toEqual([bin]);
  });

  it('restore --help: the entry and the little it needs — no command, no zod, no AWS SDK, no child processes', async () => {
    const ran = await trapheus(['restore', '--help']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^Usage: trapheus restore \[options\]/);
    expect(ran.chunks).toContain(entry);
    expect(ran.chunks.filter((c) => /^(zod|restore-command|composition|registry)-/.test(c))).toEqual([]);
    expect(ran.packages).toEqual([]);
    // commander's child_process is required on first use only (scripts/bundle.mjs); the help is
    // written to the pipe without Node's stream (net, tty), which src/cli/output.ts sets up only on a terminal.
    expect(ran.builtins.filter((b) => ['child_process', 'crypto', 'http', 'https', 'net', 'tty', 'stream'].includes(b))).toEqual([]);
  });

  it('runs: the journals are read and checked without zod, the workflows, the AWS SDK, crypto or the alerts', async () => {
    const ran = await trapheus(['runs']);
    expect(ran.code).toBe(0);
    expect([...ran.stdout.matchAll(/^\d{8}-\d{6}-db1-[0-9a-f]{4}\s+restore\s+db1\s+succeeded/gm)]).toHaveLength(3);
    expect(ran.chunks.filter((c) => /^(zod|composition|registry|send-alerts|slack-alerter|identifiers)-/.test(c))).toEqual([]);
    expect(ran.packages).toEqual([]);
    expect(
      ran.builtins.filter((b) => ['child_process', 'crypto', 'http', 'https', 'net', 'tty', 'stream', 'fs/promises'].includes(b)),
    ).toEqual([]);
  });

  it('status: the workflow that describes the run, but no AWS SDK', async () => {
    const runId = /^(\d{8}-\d{6}-db1-[0-9a-f]{4})/m.exec((await trapheus(['runs'])).stdout)?.[1];
    expect(runId).toBeDefined();
    const ran = await trapheus(['status', runId!]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain(runId);
    expect(ran.chunks.filter((c) => /^composition-/.test(c))).toEqual([]);
    expect(ran.packages).toEqual([]);
    expect(ran.builtins.filter((b) => ['child_process', 'http', 'https'].includes(b))).toEqual([]);
  });
});

describe('the compile cache', () => {
  const cacheBase = () => path.join(tmp, 'cache', 'trapheus', 'compile-cache');
  const buildDir = () => path.join(cacheBase(), `${path.basename(entry, '.cjs')}-${process.version}-${process.arch}`);
  const listing = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).sort();

  it.runIf(!nodeHasCompileCache)(
    'Node 20: the first run stores V8 data of every bundle file it loaded (owner only); the next reads it',
    async () => {
      await rm(path.join(tmp, 'cache'), { recursive: true, force: true });
      await mkdir(path.join(cacheBase(), 'an-older-build-v20.0.0-x64'), { recursive: true });
      const first = await trapheus(['runs']);
      expect(first.code).toBe(0);
      expect(first.stderr).toBe('');
      // Only this build's data is kept.
      expect(await listing(cacheBase())).toEqual([path.basename(buildDir())]);
      expect(await listing(buildDir())).toEqual(first.chunks.map((c) => `${c}.v8`).sort());
      expect((await stat(buildDir())).mode & 0o777).toBe(0o700);
      const data = path.join(buildDir(), `${entry}.v8`);
      expect((await stat(data)).mode & 0o777).toBe(0o600);
      const written = (await stat(data)).mtimeMs;

      const second = await trapheus(['runs']);
      expect(second.stdout).toBe(first.stdout);
      expect(second.stderr).toBe('');
      // Accepted by V8, so not written again.
      expect((await stat(data)).mtimeMs).toBe(written);
    },
  );

  it.runIf(!nodeHasCompileCache)('Node 20: data V8 refuses (damaged) is ignored and replaced; the command is not affected', async () => {
    await trapheus(['runs']);
    const files = await listing(buildDir());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) await writeFile(path.join(buildDir(), f), 'not V8 data');
    const ran = await trapheus(['runs']);
    expect(ran.code).toBe(0);
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toMatch(/succeeded/);
    for (const f of files) expect(await readFile(path.join(buildDir(), f), 'utf8')).not.toBe('not V8 data');
  });

  it.runIf(!nodeHasCompileCache)('Node 20: a cache directory others may write to is not used', async () => {
    await rm(path.join(tmp, 'cache'), { recursive: true, force: true });
    await mkdir(buildDir(), { recursive: true });
    await chmod(buildDir(), 0o777);
    const ran = await trapheus(['runs']);
    expect(ran.code).toBe(0);
    expect(ran.stderr).toBe('');
    expect(await listing(buildDir())).toEqual([]);
  });

  it.runIf(nodeHasCompileCache)("Node 22.1+: Node's own compile cache is kept in the same place", async () => {
    await rm(path.join(tmp, 'cache'), { recursive: true, force: true });
    const ran = await trapheus(['runs']);
    expect(ran.code).toBe(0);
    expect(await listing(cacheBase())).not.toEqual([]);
  });

  it('NODE_DISABLE_COMPILE_CACHE turns it off; a cache that cannot be created costs nothing but time', async () => {
    await rm(path.join(tmp, 'cache'), { recursive: true, force: true });
    const off = await trapheus(['runs'], { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(off.code).toBe(0);
    expect(await listing(path.join(tmp, 'cache'))).toEqual([]);

    const notADirectory = path.join(tmp, 'a-file');
    await writeFile(notADirectory, '');
    const unusable = await trapheus(['runs'], { XDG_CACHE_HOME: notADirectory });
    expect(unusable.code).toBe(0);
    expect(unusable.stderr).toBe('');
    expect(unusable.stdout).toBe(off.stdout);
  });
});
