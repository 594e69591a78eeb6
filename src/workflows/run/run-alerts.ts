import { accountIdFromArn, alertFor, shouldAlert } from '../../alerts/alert.js';
import { sendAlerts } from '../../alerts/send-alerts.js';
import type { RunDocument } from '../../engine/run-document.js';
import type { PreflightCheck, RunSummary } from '../../core/run-summary.js';
import type { ServiceDeps } from '../service.js';

/** How long an interrupted run's alert may take (one attempt per channel). */
export const INTERRUPTED_ALERT_MS = 1200;

/**
 * Alerts after the run ended (after any revert was tried, so the alert can say how it ended).
 * A failed alert is journaled and shown as a warning; it never changes the outcome.
 */
export async function alertRunEnd(
  deps: ServiceDeps,
  doc: RunDocument,
  summary: RunSummary,
  resourceArn: string | undefined,
): Promise<void> {
  const settings = deps.alerts;
  if (!settings || settings.alerters.length === 0 || !shouldAlert(summary.status, settings.onSuccess)) return;
  // Not the run's signal: an interrupted run must still be able to alert — once, and quickly,
  // because the user who pressed Ctrl-C is owed an exit within two seconds (main.ts).
  const interrupted = summary.status === 'interrupted';
  const deliveries = await sendAlerts(
    settings.alerters,
    alertFor(summary, { region: deps.region, accountId: accountIdFromArn(resourceArn), host: deps.host }),
    interrupted
      ? { clock: deps.clock, attempts: 1, signal: AbortSignal.timeout(INTERRUPTED_ALERT_MS) }
      : { clock: deps.clock, attempts: settings.attempts },
  );
  summary.alerts = deliveries;
  for (const failed of deliveries.filter((d) => !d.ok)) {
    const message = `Alert not delivered to ${failed.channel} after ${failed.attempts} attempts: ${failed.error ?? 'unknown error'}`;
    const event = { type: 'notice' as const, at: deps.clock.now().toISOString(), level: 'warning' as const, message };
    doc.events.push(event);
    await deps.journal.save(doc).catch(() => undefined);
    deps.observer?.event(event, doc);
    summary.warnings.push(message);
  }
}

/** A warning (never a failure) when the configured e-mail sender is not a verified SES identity. */
export async function checkAlertSender(deps: ServiceDeps): Promise<PreflightCheck | undefined> {
  const verified = await deps.alerts?.senderVerified?.();
  if (verified !== false) return undefined;
  return {
    name: 'alert sender',
    ok: true,
    warning: true,
    detail: `${deps.alerts?.sender ?? 'The alert sender'} is not a verified SES identity: e-mail alerts will fail. Verify it in SES (see README).`,
  };
}
