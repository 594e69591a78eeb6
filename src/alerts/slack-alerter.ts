import { StepError } from '../core/errors.js';
import type { Alert, Alerter } from './alert.js';
import { alertSlackPayload } from './compose-alert.js';

/** A webhook URL is a secret: shown as scheme, host and the last 4 characters only. */
export function redactWebhook(url: string): string {
  try {
    const { protocol, host } = new URL(url);
    return `${protocol}//${host}/…${url.slice(-4)}`;
  } catch {
    return `…${url.slice(-4)}`;
  }
}

/** Posts an alert to one Slack incoming webhook (global fetch, with a timeout). */
export class SlackAlerter implements Alerter {
  readonly channel: string;

  constructor(
    private readonly webhookUrl: string,
    private readonly timeoutMs: number,
  ) {
    this.channel = `slack ${redactWebhook(webhookUrl)}`;
  }

  async send(alert: Alert, signal?: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(this.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alertSlackPayload(alert)),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      // Never let the URL (a secret) reach a message: describe the failure by its kind only.
      const kind = timeout.aborted ? `no answer within ${this.timeoutMs} ms` : (error as Error).name;
      throw new StepError(`${this.channel}: ${kind}`);
    }
    if (!response.ok) {
      throw new StepError(`${this.channel}: HTTP ${response.status}`);
    }
  }
}
