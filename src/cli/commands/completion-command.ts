import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { completionScript, type Shell } from '../completion.js';
import { jsonDocument } from '../json-documents.js';
import { printJson } from '../output.js';

/** `trapheus completion <shell>`: the completion script on stdout (with --json, inside the document). No AWS call. */
export function completionCommand(shell: Shell, program: Command, globals: GlobalOptions, ctx: CliContext): CliResult {
  const script = completionScript(shell, program);
  if (globals.json) printJson(ctx.output, jsonDocument('completion', { status: 'ok', shell, script }));
  else ctx.output.out(script.trimEnd());
  return { status: 'ok' };
}
