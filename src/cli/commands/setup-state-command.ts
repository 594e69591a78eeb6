import { PreconditionError } from '../../core/errors.js';
import { runSetupState } from '../../workflows/state/setup-state.js';
import type { CliContext } from '../cli-context.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { jsonDocument } from '../json-documents.js';
import { printJson } from '../output.js';
import { failWithDocument, serviceFor } from './command-support.js';

/** `trapheus setup-state`: check (and with --create, create) the state bucket; print the config line and the runners' IAM policy. */
export async function setupStateCommand(
  opts: { bucket: string; prefix?: string; create?: boolean },
  globals: GlobalOptions,
  ctx: CliContext,
): Promise<CliResult> {
  const deps = await serviceFor(globals, ctx);
  const report = await runSetupState(deps, { bucket: opts.bucket, prefix: opts.prefix, create: Boolean(opts.create) });
  const missing =
    report.missing.length > 0
      ? new PreconditionError(`State set-up incomplete: ${report.missing.join(', ')}.`, {
          hint: `Run: trapheus setup-state --bucket ${report.bucket} --prefix '${report.prefix}' --create`,
        })
      : undefined;
  if (globals.json && !missing) printJson(ctx.output, jsonDocument('setup-state', { status: 'ok', ...report }));
  else if (!globals.json) {
    const lines = [
      ...(report.changes.length > 0
        ? report.changes.map((c) => `✔ ${c}`)
        : report.missing.length > 0
          ? []
          : [`Nothing to change: ${report.bucket} is versioned, encrypted and private.`]),
      ...report.missing.map((m) => `✖ missing: ${m} (run with --create)`),
      '',
      `Use it with --state ${report.url} (or TRAPHEUS_STATE=${report.url}), or add to .trapheusrc.json:`,
      JSON.stringify(report.config, null, 2),
      '',
      'The IAM policy every runner needs (attach it to the role or user trapheus runs as):',
      JSON.stringify(report.policy, null, 2),
    ];
    ctx.output.out(lines.join('\n'));
  }
  // With --json: one document, the report with the error (exit 3); otherwise the error on stderr.
  if (missing) failWithDocument('setup-state', report, missing, globals, ctx);
  return { status: 'ok' };
}
