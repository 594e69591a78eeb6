import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// What a command loads before it does anything is its static import graph: every module reached
// through `import … from` / `export … from` (never through `import()`, which loads on demand, nor
// through imports of types only, which the compiler erases). These tests walk that graph over
// src/ as the compiler emits it, and keep the fast paths fast (issue 12, point 4): `runs`,
// `status` and the crash check every command makes load no AWS SDK; a restore loads the RDS
// client only — S3 and KMS (exports), SES (e-mail alerts) and STS (the account a failed
// preflight names) are imported where first used; and `runs` and the crash check load no zod
// (they validate with the validators generated from the zod schemas at build time).

const src = path.resolve(import.meta.dirname, '../../src');

/** The compiler is slow on a busy machine: each file is compiled once for all the tests here. */
const compiled = new Map<string, Promise<string[]>>();
const staticImports = (file: string): Promise<string[]> => {
  let imports = compiled.get(file);
  if (!imports) compiled.set(file, (imports = compileImports(file)));
  return imports;
};

/** The module specifiers a file imports statically, once compiled (type-only imports are gone). */
async function compileImports(file: string): Promise<string[]> {
  const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const emitted = ts.createSourceFile(`${file}.js`, outputText, ts.ScriptTarget.ES2022);
  return emitted.statements.flatMap((s) =>
    (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)
      ? [s.moduleSpecifier.text]
      : [],
  );
}

/**
 * Every package and every source file reached from `entries` through static imports, each with
 * the chain of files that reaches it first (breadth first: a shortest chain), paths relative to `base`.
 */
async function reachable(entries: string[], base: string): Promise<{ packages: Map<string, string[]>; files: Map<string, string[]> }> {
  const parent = new Map<string, string | undefined>(entries.map((e) => [e, undefined]));
  const packages = new Map<string, string[]>();
  const chain = (file: string): string[] => {
    const files: string[] = [];
    for (let f: string | undefined = file; f !== undefined; f = parent.get(f)) files.unshift(path.relative(base, f));
    return files;
  };
  const queue = [...entries];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const specifier of await staticImports(file)) {
      if (specifier.startsWith('.')) {
        const target = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts');
        if (!parent.has(target)) {
          parent.set(target, file);
          queue.push(target);
        }
      } else if (!specifier.startsWith('node:') && !packages.has(specifier)) {
        packages.set(specifier, [...chain(file), specifier]);
      }
    }
  }
  return { packages, files: new Map([...parent.keys()].map((f) => [path.relative(base, f), chain(f)])) };
}

/** Every package reached from `entries` through static imports, with its chain (see `reachable`). */
async function reachablePackages(entries: string[], base: string): Promise<Map<string, string[]>> {
  return (await reachable(entries, base)).packages;
}

/** The source files (paths relative to src/) matching `forbidden` that `entries` reach, each as its chain. */
async function forbiddenFilesReached(entries: string[], forbidden: RegExp): Promise<string[]> {
  const { files } = await reachable(
    entries.map((e) => path.resolve(src, e)),
    src,
  );
  return [...files].filter(([file]) => forbidden.test(file)).map(([, chain]) => chain.join(' → '));
}

/** The forbidden packages reached, each as its chain ("a.ts → b.ts → @aws-sdk/client-s3"). */
async function forbiddenReached(entries: string[], forbidden: RegExp, base = src): Promise<string[]> {
  const reached = await reachablePackages(
    entries.map((e) => path.resolve(base, e)),
    base,
  );
  return [...reached].filter(([name]) => forbidden.test(name)).map(([, files]) => files.join(' → '));
}

const ANY_SDK = /^@(aws-sdk|smithy)\//;
const NOT_FOR_A_RESTORE = /^@aws-sdk\/client-(s3|kms|ses|sts)$/;

// Compiling a few hundred files takes seconds on a busy machine (this is not a timed test).
describe('the static import graph keeps the fast paths fast', { timeout: 120_000 }, () => {
  it('runs, status and the crash check of every command load no AWS SDK', async () => {
    const journalPath = [
      'main.ts',
      'cli/run-cli.ts',
      'cli/check-crashed-runs.ts',
      'cli/commands/runs-command.ts',
      'cli/commands/status-command.ts',
      'composition/journal-deps.ts',
      'workflows/run/crashed-runs.ts',
    ];
    expect(await forbiddenReached(journalPath, ANY_SDK)).toEqual([]);
  });

  it('runs and the crash check load no zod: they validate with the generated validators (src/generated/)', async () => {
    // zod is loaded with import() only to explain a config or a journal those validators refuse.
    const journalPath = [
      'cli/check-crashed-runs.ts',
      'cli/commands/runs-command.ts',
      'composition/journal-deps.ts',
      'workflows/run/crashed-runs.ts',
    ];
    expect(await forbiddenReached(journalPath, /^zod(\/|$)/)).toEqual([]);
  });

  it('runs and the crash check load no spinner and no colours either (ora, chalk: terminal commands load them)', async () => {
    const runsPath = ['cli/check-crashed-runs.ts', 'cli/commands/runs-command.ts', 'composition/journal-deps.ts'];
    expect(await forbiddenReached(runsPath, /^(ora|chalk)$/)).toEqual([]);
  });

  it('a restore, a snapshot and a resume load the RDS client, but not S3, KMS, SES or STS', async () => {
    const servicePath = [
      'composition.ts',
      'cli/commands/restore-command.ts',
      'cli/commands/snapshot-command.ts',
      'cli/commands/resume-command.ts',
    ];
    expect(await forbiddenReached(servicePath, NOT_FOR_A_RESTORE)).toEqual([]);
    expect((await reachablePackages([path.join(src, 'composition.ts')], src)).has('@aws-sdk/client-rds')).toBe(true);
  });

  it('--help and --version load no SDK, no zod and no spinner (src/main.ts before a command runs)', async () => {
    expect(await forbiddenReached(['main.ts'], /^(@aws-sdk\/|@smithy\/|zod$|ora$)/)).toEqual([]);
  });
});

// What `--help` of any command, and `runs` (the journal summary path), may not load before they answer.
describe('the help path and the runs path stay light', { timeout: 120_000 }, () => {
  it('--help of every command: commander and the program definition only — no config, journal, workflows, JSON documents', async () => {
    // main.ts and run-cli.ts as they are before an action runs (commander builds help from the program definition).
    expect(
      await forbiddenFilesReached(['main.ts'], /^(config|workflows|stores|composition|aws|alerts)\/|^cli\/(json-documents|commands\/)/),
    ).toEqual([]);
    expect([...(await reachablePackages([path.join(src, 'main.ts')], src)).keys()]).toEqual(['commander']);
  });

  it('runs and the crash check: no workflow registry, no kinds, no JSON documents (zod schemas of every command)', async () => {
    const runsPath = [
      'cli/check-crashed-runs.ts',
      'cli/commands/runs-command.ts',
      'composition/journal-deps.ts',
      'workflows/run/crashed-runs.ts',
    ];
    expect(
      await forbiddenFilesReached(
        runsPath,
        /^workflows\/(workflow-registry|kinds\/|restore\/|clone\/|snapshot\/|export\/)|^cli\/json-documents\.ts$/,
      ),
    ).toEqual([]);
  });

  it('a restore, a clone, a snapshot and a resume load the spinners (ora) only on a terminal, with import()', async () => {
    const commands = [
      'cli/commands/restore-command.ts',
      'cli/commands/clone-command.ts',
      'cli/commands/snapshot-command.ts',
      'cli/commands/resume-command.ts',
    ];
    expect(await forbiddenReached(commands, /^ora$/)).toEqual([]);
  });

  it('the lock of a journaled run, named without the kinds registry, is the one its kind locks', async () => {
    const [{ lockKeyOf, lockKey }, { kindOfFlag }] = await Promise.all([
      import('../../src/workflows/run/run-lock.js'),
      import('../../src/workflows/kinds/registry.js'),
    ]);
    for (const cluster of [false, true]) {
      const doc = { cluster, identifier: 'Db-1' } as Parameters<typeof lockKeyOf>[0];
      expect(lockKeyOf(doc)).toBe(lockKey(kindOfFlag(cluster).noun, 'db-1'));
    }
    expect(lockKeyOf({ cluster: true, identifier: 'c' } as Parameters<typeof lockKeyOf>[0])).not.toBe(
      lockKeyOf({ cluster: false, identifier: 'c' } as Parameters<typeof lockKeyOf>[0]),
    );
  });
});

describe('the walk itself', () => {
  it('follows static imports and re-exports, not import() nor type-only imports, and names the chain', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trapheus-graph-'));
    const files: Record<string, string> = {
      // The old shape of the composition root: a journal-only function beside static SDK clients.
      'entry.ts':
        "import { journal } from './composition.js';\nexport { other } from './reexported.js';\nexport const run = () => journal();",
      'composition.ts':
        "import { S3Client } from '@aws-sdk/client-s3';\nimport type { KMSClient } from '@aws-sdk/client-kms';\nimport { type SESClient } from '@aws-sdk/client-ses';\n" +
        "export const journal = () => new S3Client({});\nexport type Clients = [KMSClient, SESClient];\nexport const lazy = () => import('@aws-sdk/client-sts');",
      'reexported.ts': "export { RDSClient as other } from '@aws-sdk/client-rds';",
    };
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    const reached = await reachablePackages([path.join(dir, 'entry.ts')], dir);
    expect(Object.fromEntries(reached)).toEqual({
      '@aws-sdk/client-s3': ['entry.ts', 'composition.ts', '@aws-sdk/client-s3'],
      '@aws-sdk/client-rds': ['entry.ts', 'reexported.ts', '@aws-sdk/client-rds'],
    });
    expect(await forbiddenReached(['entry.ts'], ANY_SDK, dir)).toEqual([
      'entry.ts → composition.ts → @aws-sdk/client-s3',
      'entry.ts → reexported.ts → @aws-sdk/client-rds',
    ]);
  });
});
