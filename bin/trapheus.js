#!/usr/bin/env node
// The command's entry. Two things for a fast start (README, Development: start-up):
// - `trapheus --version` (or -V) alone prints the version from package.json without loading the CLI;
// - on Node 22.1+, Node's on-disk compile cache (a no-op where it does not exist, as on Node 20).
import module from 'node:module';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  module.enableCompileCache?.();
  await import('../dist/main.js');
}
