import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/run-cli.js';
import { configJsonSchema } from '../../src/config/config-json-schema.js';
import { ENV_KEYS } from '../../src/config/load-config.js';
import { EXIT } from '../../src/main.js';
import { recorder, root } from './cli-harness.js';

/**
 * The README's tables of commands, options, global options, environment variables, exit codes
 * and config keys, checked against the code: a row the code lacks, or a command, option, key,
 * variable or code the README lacks, fails with the row named.
 */

const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** The rows of the first table after `heading` (or the nth table, 0-based), as arrays of cells. */
function tableAfter(heading: string, nth = 0): string[][] {
  const at = readme.split('\n').findIndex((line) => line.trim() === heading);
  if (at < 0) throw new Error(`README has no heading "${heading}"`);
  const lines = readme.split('\n').slice(at + 1);
  const tables: string[][][] = [];
  let current: string[][] | undefined;
  for (const line of lines) {
    if (/^#{1,3} /.test(line)) break; // the next section
    if (line.startsWith('|')) {
      if (!current) tables.push((current = []));
      current.push(
        line
          .slice(1, line.endsWith('|') ? -1 : undefined)
          .split(/(?<!\\)\|/)
          .map((c) => c.trim()),
      );
    } else current = undefined;
  }
  const table = tables[nth];
  if (!table) throw new Error(`README: no table #${nth + 1} under "${heading}"`);
  return table.slice(2); // header and separator
}

/** `--snapshot <id>` and `--identifier <id>` in a cell → ['--snapshot', '--identifier']. */
const flagsIn = (cell: string) => [...cell.matchAll(/`(--[a-z][a-z0-9-]*)/g)].map((m) => m[1]!);
/** Every backticked word of a cell. */
const codesIn = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** Fails with the rows the README has and the code does not, and those the code has and the README does not. */
function expectSameRows(table: string, inReadme: Iterable<string>, inCode: Iterable<string>): void {
  const readmeSet = new Set(inReadme);
  const codeSet = new Set(inCode);
  const missing = [...codeSet].filter((x) => !readmeSet.has(x));
  const extra = [...readmeSet].filter((x) => !codeSet.has(x));
  const problems = [
    ...missing.map((x) => `README ${table}: missing row for ${x} (it is in the code)`),
    ...extra.map((x) => `README ${table}: row ${x} is not in the code (remove it or add it to the code)`),
  ];
  expect(problems, problems.join('\n')).toEqual([]);
}

const program: Command = buildProgram({
  output: recorder().output,
  env: {},
  signal: new AbortController().signal,
  version: '0.0.0',
  deps: { service: () => Promise.reject(new Error('not here')), journal: () => Promise.reject(new Error('not here')) },
});
const longFlags = (cmd: Command) => cmd.options.map((o) => o.long ?? o.flags);
const commandNamed = (name: string) => program.commands.find((c) => c.name() === name);

describe('README tables agree with the code', () => {
  it('Commands: one row per command', () => {
    expectSameRows(
      'commands table (## Commands)',
      tableAfter('## Commands', 0).map((row) => codesIn(row[0] ?? '')[0] ?? row[0]!),
      program.commands.map((c) => c.name()),
    );
  });

  it("Commands: each command's options, as the code has them", () => {
    const rows = tableAfter('## Commands', 1);
    expectSameRows(
      'options table (## Commands)',
      rows.map((row) => codesIn(row[0] ?? '')[0] ?? row[0]!),
      program.commands.map((c) => c.name()),
    );
    for (const row of rows) {
      const name = codesIn(row[0] ?? '')[0] ?? '';
      const command = commandNamed(name);
      if (!command) continue; // said above
      // `restore` has a table of its own (checked below).
      const flags = name === 'restore' ? restoreTableFlags() : flagsIn(row[1] ?? '');
      expectSameRows(`options of ${name}`, flags, longFlags(command));
      const choices = command.registeredArguments[0]?.argChoices;
      if (choices) expectSameRows(`arguments of ${name}`, codesIn(row[1] ?? ''), choices);
    }
  });

  function restoreTableFlags(): string[] {
    return tableAfter('### `restore`').flatMap((row) => flagsIn(row[0] ?? ''));
  }

  it('restore: its options table', () => {
    expectSameRows('restore options (### `restore`)', restoreTableFlags(), longFlags(commandNamed('restore')!));
  });

  it('Global options: every option the program takes before or after any command', () => {
    expectSameRows(
      'Global options table',
      tableAfter('### Global options').flatMap((row) => flagsIn(row[0] ?? '')),
      longFlags(program).filter((flag) => flag !== '--version'),
    );
  });

  it('Exit codes: the codes of main.ts', () => {
    expectSameRows(
      'Exit codes table',
      tableAfter('### Exit codes').map((row) => row[0]!),
      Object.values(EXIT).map(String),
    );
  });

  it('Configuration: one row per config key, each naming the variable that sets it', () => {
    const rows = tableAfter('## Configuration');
    const keyPaths = (schema: Record<string, unknown>, prefix = ''): string[] =>
      Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>).flatMap(([name, child]) =>
        name === '$schema' ? [] : child.type === 'object' && child.properties ? keyPaths(child, `${prefix}${name}.`) : [`${prefix}${name}`],
      );
    expectSameRows(
      'config key table (## Configuration)',
      rows.map((row) => codesIn(row[0] ?? '')[0] ?? row[0]!),
      keyPaths(configJsonSchema()),
    );
    // The environment column: exactly the TRAPHEUS_ variable the code maps to the key.
    const byKey = new Map(
      rows.map((row) => [codesIn(row[0] ?? '')[0] ?? '', codesIn(row[2] ?? '').filter((c) => c.startsWith('TRAPHEUS_'))]),
    );
    expectSameRows(
      'config key table, environment column (key = variable)',
      [...byKey].flatMap(([key, vars]) => vars.map((v) => `${key} = ${v}`)),
      ENV_KEYS.map(([variable, key]) => `${key} = ${variable}`),
    );
  });

  it('Environment variables: every variable the code reads', () => {
    const inReadme = tableAfter('### Environment variables').flatMap((row) => codesIn(row[0] ?? ''));
    // What src/ reads: env.NAME, env['NAME'], and TRAPHEUS_* names spelled out (the config's variable table).
    const read = new Set<string>();
    for (const file of sourceFiles(path.join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\benv(?:\.|\[['"])([A-Z][A-Z0-9_]*)/g)) read.add(m[1]!);
      for (const m of text.matchAll(/['"`](TRAPHEUS_[A-Z0-9_]*[A-Z0-9])['"`]/g)) read.add(m[1]!);
    }
    // Not trapheus's to document: the process's own.
    for (const generic of ['HOME', 'PATH']) read.delete(generic);
    // The AWS SDK reads these itself (the standard chain): documented, though src/ never names them.
    const readBySdk = [
      'AWS_ENDPOINT_URL',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
    ];
    const documentedOnly = inReadme.filter((v) => !read.has(v) && !readBySdk.includes(v));
    const undocumented = [...read].filter((v) => !inReadme.includes(v));
    const problems = [
      ...undocumented.map((v) => `README Environment variables table: missing row for ${v} (src/ reads it)`),
      ...documentedOnly.map((v) => `README Environment variables table: ${v} is not read by src/ nor by the AWS SDK`),
    ];
    expect(problems, problems.join('\n')).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}
