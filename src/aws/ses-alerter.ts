import { GetIdentityVerificationAttributesCommand, SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import type { Alert, Alerter } from '../alerts/alert.js';
import { alertHtml, alertSubject, alertText } from '../alerts/compose-alert.js';
import { StepError } from '../core/errors.js';

/** Sends an alert as one e-mail (HTML and plain-text parts) through Amazon SES. */
export class SesAlerter implements Alerter {
  readonly channel: string;

  constructor(
    private readonly client: SESClient,
    private readonly from: string,
    private readonly to: string[],
  ) {
    this.channel = `e-mail ${to.join(', ')}`;
  }

  async send(alert: Alert, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(
        new SendEmailCommand({
          Source: this.from,
          Destination: { ToAddresses: this.to },
          Message: {
            Subject: { Data: alertSubject(alert), Charset: 'UTF-8' },
            Body: { Text: { Data: alertText(alert), Charset: 'UTF-8' }, Html: { Data: alertHtml(alert), Charset: 'UTF-8' } },
          },
        }),
        signal ? { abortSignal: signal } : {},
      );
    } catch (error) {
      throw new StepError(`${this.channel}: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Whether the sender is a verified SES identity (its domain counts too); undefined if it cannot be told. */
  async senderVerified(): Promise<boolean | undefined> {
    const domain = this.from.split('@')[1];
    try {
      const out = await this.client.send(
        new GetIdentityVerificationAttributesCommand({ Identities: [this.from, ...(domain ? [domain] : [])] }),
      );
      return Object.values(out.VerificationAttributes ?? {}).some((v) => v.VerificationStatus === 'Success');
    } catch {
      return undefined;
    }
  }
}
