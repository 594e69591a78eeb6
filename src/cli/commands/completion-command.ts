import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { completionScript, type Shell } from '../completion.js';
import { printJson } from '../output.js';

/**
 * `trapheus completion <shell>`: the completion script on stdout (with --json, inside the
 * document). No AWS call and no config: a shell may run it at every start, so it loads nothing
 * else (the JSON contract, with zod, only for --json).
 */
export async function completionCommand(shell: Shell, program: Command, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  const script = completionScript(shell, program);
  if (globals.json) {
    const { jsonDocument } = await import('../json-documents.js');
    printJson(ctx.output, jsonDocument('completion', { status: 'ok', shell, script }));
  } else ctx.output.out(script.trimEnd());
  return { status: 'ok' };
}
