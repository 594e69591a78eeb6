// The CLI as users run it: dist/bundle/, a CommonJS bundle of tsc's output (dist/main.js and
// what it imports) made by rolldown, for a fast start (README, Development: start-up). Run by
// `npm run build` after tsc.
//
// - One CommonJS file per lazily loaded part (a dynamic import() stays lazy: it becomes a
//   require() of its chunk when reached), so `--help` or `runs` read and compile only what they
//   use; CommonJS because Node 20 resolves and links ES modules one by one, which costs far more
//   than requiring one file. bin/trapheus.js loads the entry through a V8 compile cache
//   (bin/compile-cache.js).
// - The AWS SDK stays outside (required from node_modules: its CommonJS build), as do Node's own
//   modules. Everything else (commander, chalk, ora, zod) is inside.
// - zod gets a chunk of its own, `zod-<hash>.cjs`, so a test can tell which commands load it.
// - commander requires node:child_process at load time for subcommands run as separate
//   executables, which trapheus never uses; the bundle requires it on first use instead (about
//   5 ms of every start). The build fails if commander's source no longer has that line.
// - Chunk names carry a hash of their content: the compile cache is keyed by file name.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'rolldown';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'dist', 'bundle');

const COMMANDER_CHILD_PROCESS = "const childProcess = require('node:child_process');";
const LAZY_CHILD_PROCESS = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";

/** commander's child_process, required on first use (see above). */
const lazyChildProcess = {
  name: 'trapheus:lazy-child-process',
  transform(code, id) {
    if (!id.replaceAll('\\', '/').endsWith('/node_modules/commander/lib/command.js')) return null;
    if (!code.includes(COMMANDER_CHILD_PROCESS)) {
      throw new Error(`commander's lib/command.js no longer contains ${COMMANDER_CHILD_PROCESS} (scripts/bundle.mjs)`);
    }
    if (/childProcess\.(?!spawn\()/.test(code)) {
      throw new Error('commander uses more of child_process than spawn(): update LAZY_CHILD_PROCESS (scripts/bundle.mjs)');
    }
    return { code: code.replace(COMMANDER_CHILD_PROCESS, LAZY_CHILD_PROCESS), map: null };
  },
};

/** The modules of the `journal-path` chunk (tsc's output, under dist/). None of them imports zod or the SDK. */
const JOURNAL_PATH = new RegExp(
  `[\\\\/]dist[\\\\/](${[
    'cli/(check-crashed-runs|cli-context|log-file|format|commands/runs-command|reporters/(run-tracker|plain-reporter))',
    'stores/[\\w-]+',
    'alerts/(compose-alert|slack-alerter)',
    'time/system-clock',
    'composition/(sdk-options|journal-deps)',
    'generated/[\\w-]+',
    'config/(config-rules|config-fast-path|discover-config|load-config)',
    'engine/run-progress',
    'workflows/run/(crashed-runs|run-id|run-lock|prune-runs|list-runs)',
  ]
    .join('|')
    .replaceAll('/', '[\\\\/]')})\\.js$`,
);

await rm(outDir, { recursive: true, force: true });
const { output } = await build({
  input: { trapheus: path.join(root, 'dist', 'main.js') },
  platform: 'node',
  external: [/^@aws-sdk\//, /^@smithy\//],
  plugins: [lazyChildProcess],
  logLevel: 'warn',
  // Within journal-path, some modules import() others of the same chunk (lazy in tsc's output, for
  // the unbundled graph): expected here, not worth a warning on every build.
  checks: { ineffectiveDynamicImport: false },
  // The entry may export what other chunks share with it (bin/trapheus.js uses start() only).
  preserveEntrySignatures: 'allow-extension',
  output: {
    dir: outDir,
    format: 'cjs',
    // import() of the SDK or of Node's modules becomes require() too (they all have CommonJS builds).
    dynamicImportInCjs: false,
    // Comments and white space out (half the bytes to read and decode at every start); names kept,
    // so stack traces (--debug) still say which function.
    minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } },
    entryFileNames: '[name]-[hash].cjs',
    chunkFileNames: '[name]-[hash].cjs',
    codeSplitting: {
      // A group takes the modules it names, not what they import (the entry's own modules stay in it).
      includeDependenciesRecursively: false,
      groups: [
        { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]/ },
        // What every command but --help, config and completion loads first — the config, the
        // journal store, the crash check, the log file — and `runs` itself: one file rather than
        // a dozen (each one a lookup, two reads and a compile-cache entry).
        { name: 'journal-path', test: JOURNAL_PATH },
      ],
    },
  },
});

// The packages inside the bundle ship with it, so their licences do too.
await writeFile(path.join(outDir, 'THIRD-PARTY-LICENSES.txt'), await notices(output.flatMap((chunk) => chunk.moduleIds ?? [])));

/** The name, version, licence and licence text of every package a module of the bundle comes from. */
async function notices(moduleIds) {
  const roots = new Set();
  for (const id of moduleIds) {
    const match = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(id);
    if (match) roots.add(match[1]);
  }
  const sections = [];
  for (const root of [...roots].sort()) {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
    const licenceFile = (await readdir(root)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = licenceFile
      ? (await readFile(path.join(root, licenceFile), 'utf8')).trim()
      : `(no licence file; package.json says ${pkg.license})`;
    sections.push(`${pkg.name} ${pkg.version} — ${pkg.license}\n\n${text}`);
  }
  return `trapheus's bundle (dist/bundle/) contains these packages.\n\n${sections.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`;
}

// bin/trapheus.js requires the entry by this name (its own has a hash).
const entry = (await readdir(outDir)).find((f) => /^trapheus-[\w-]+\.cjs$/.test(f));
if (!entry) throw new Error(`no entry chunk in ${outDir}`);
await writeFile(path.join(outDir, 'entry.json'), `${JSON.stringify({ entry })}\n`);
