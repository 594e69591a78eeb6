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
import { readdir, rm, writeFile } from 'node:fs/promises';
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

await rm(outDir, { recursive: true, force: true });
await build({
  input: { trapheus: path.join(root, 'dist', 'main.js') },
  platform: 'node',
  external: [/^@aws-sdk\//, /^@smithy\//],
  plugins: [lazyChildProcess],
  logLevel: 'warn',
  output: {
    dir: outDir,
    format: 'cjs',
    // import() of the SDK or of Node's modules becomes require() too (they all have CommonJS builds).
    dynamicImportInCjs: false,
    entryFileNames: '[name]-[hash].cjs',
    chunkFileNames: '[name]-[hash].cjs',
    codeSplitting: { groups: [{ name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]/ }] },
  },
});

// bin/trapheus.js requires the entry by this name (its own has a hash).
const entry = (await readdir(outDir)).find((f) => /^trapheus-[\w-]+\.cjs$/.test(f));
if (!entry) throw new Error(`no entry chunk in ${outDir}`);
await writeFile(path.join(outDir, 'entry.json'), `${JSON.stringify({ entry })}\n`);
