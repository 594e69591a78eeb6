import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CliContext } from '../../src/cli/cli-context.js';
import { outputSchemaOf, type JsonCommand } from '../../src/cli/json-documents.js';
import type { Output } from '../../src/cli/output.js';
import { main } from '../../src/main.js';
import { instanceWorld } from '../workflows/instance-world.js';

/** The repository root. */
export const root = path.resolve(import.meta.dirname, '../..');

/** An output host that records everything, standing in for the terminal or a pipe. */
export function recorder(options: { interactive?: boolean; canPrompt?: boolean; answer?: string; color?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const output: Output = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    interactive: options.interactive ?? false,
    canPrompt: options.canPrompt ?? false,
    color: options.color ?? false,
    ask: async (q) => {
      questions.push(q);
      return options.answer ?? '';
    },
  };
  return { output, out, err, questions };
}

/** `trapheus` over a fake world (fake RDS, in-memory journal), as main.ts runs it. */
export function cli(world = instanceWorld(), rec = recorder(), env: NodeJS.ProcessEnv = {}) {
  const ctx: CliContext = {
    output: rec.output,
    env,
    signal: world.controller.signal,
    version: '9.9.9',
    deps: {
      service: async (input) => ({ ...world.deps, observer: input.observer }),
      journal: async () => world.deps,
    },
  };
  return { world, rec, run: (...argv: string[]) => main(argv, ctx) };
}

/** The published JSON Schema of a command's output (schemas/<command>.schema.json), read back as a validator. */
export function publishedSchema(command: JsonCommand | 'error'): z.ZodType {
  return z.fromJSONSchema(
    JSON.parse(readFileSync(path.join(root, 'schemas', `${command}.schema.json`), 'utf8')) as z.core.JSONSchema.JSONSchema,
  );
}

/**
 * The one document a `--json` run printed: stdout holds exactly one JSON document, it parses with
 * the command's zod schema and validates against the published JSON Schema file.
 */
export function theDocument(command: JsonCommand, out: readonly string[]): Record<string, unknown> {
  if (out.length !== 1) throw new Error(`expected exactly one write to stdout, got ${out.length}:\n${out.join('\n---\n')}`);
  const doc = JSON.parse(out[0]!) as Record<string, unknown>;
  const zod = outputSchemaOf(command).safeParse(doc);
  if (!zod.success) throw new Error(`${command} --json does not match its zod schema: ${z.prettifyError(zod.error)}\n${out[0]!}`);
  const published = publishedSchema(command).safeParse(doc);
  if (!published.success)
    throw new Error(`${command} --json does not match schemas/${command}.schema.json: ${z.prettifyError(published.error)}`);
  return doc;
}
