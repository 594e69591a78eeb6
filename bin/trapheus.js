#!/usr/bin/env node
'use strict';
// The command's entry. CommonJS (bin/package.json), for a fast start (README, Development:
// start-up):
// - `trapheus --version` (or -V) alone prints the version from package.json and loads nothing else;
// - otherwise the CLI bundle (dist/bundle/, made by scripts/bundle.mjs) is required through a
//   V8 compile cache (./compile-cache.js), and its start() runs the command.
const { readFileSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${version}\n`);
} else {
  const bundle = path.join(root, 'dist', 'bundle');
  const { entry } = JSON.parse(readFileSync(path.join(bundle, 'entry.json'), 'utf8'));
  require('./compile-cache.js').enableCompileCache(bundle, path.basename(entry, '.cjs'));
  require(path.join(bundle, entry))
    .start(version)
    .catch((error) => {
      // main() reports every error of a command; this is a failure of trapheus itself.
      process.stderr.write(`trapheus: ${error && error.stack ? error.stack : String(error)}\n`);
      process.exitCode = 4;
    });
}
