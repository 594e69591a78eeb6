import { sendTestAlert } from '../../alerts/send-test-alert.js';
import { PreconditionError, UsageError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { jsonDocument } from '../json-documents.js';
import { printJson } from '../output.js';
import { failWithDocument, serviceFor } from './command-support.js';

/** `trapheus alert-test`: one test message per configured channel; exit 3 if any channel fails. */
export async function alertTestCommand(globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  const deps = await serviceFor(globals, ctx);
  const alerters = deps.alerts?.alerters ?? [];
  if (alerters.length === 0) {
    throw new UsageError('No alert channel is configured.', {
      hint: 'Set alerts.email.from and alerts.email.to, or alerts.slack.webhookUrls (or TRAPHEUS_SLACK_WEBHOOK_URLS).',
    });
  }
  const deliveries = await sendTestAlert(alerters, {
    host: deps.host,
    region: deps.region,
    clock: deps.clock,
    attempts: deps.alerts?.attempts ?? 1,
  });
  const failed = deliveries.filter((d) => !d.ok);
  if (!globals.json) for (const d of deliveries) ctx.output.out(`${d.ok ? '✔' : '✖'} ${d.channel}${d.ok ? '' : `: ${d.error ?? ''}`}`);
  if (failed.length > 0) {
    // One document either way: the deliveries and the error together (exit 3).
    const error = new PreconditionError(`${failed.length} of ${deliveries.length} alert channels failed.`, {
      hint: 'Check the channel set-up described in the README.',
    });
    failWithDocument('alert-test', { deliveries }, error, globals, ctx);
  }
  if (globals.json) printJson(ctx.output, jsonDocument('alert-test', { status: 'ok', deliveries }));
  return { status: 'ok' };
}
