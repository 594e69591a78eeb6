import type { Clock } from '../time/clock.js';
import type { Alert, Alerter } from './alert.js';
import { sendAlerts, type AlertDelivery } from './send-alerts.js';

/** Sends a test alert on every configured channel, so the set-up is checked before a real failure. */
export function sendTestAlert(
  alerters: readonly Alerter[],
  meta: { host: string; region?: string | undefined; clock: Clock; attempts: number },
): Promise<AlertDelivery[]> {
  const alert: Alert = {
    runId: 'test',
    command: 'alert-test',
    identifier: '(none)',
    cluster: false,
    region: meta.region,
    status: 'test',
    situation: ['This is a test alert from trapheus: if you can read it, this channel works.'],
    startedAt: meta.clock.now().toISOString(),
    host: meta.host,
    statusCommand: 'trapheus runs',
    warnings: [],
  };
  return sendAlerts(alerters, alert, { clock: meta.clock, attempts: meta.attempts });
}
