import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetIdentityVerificationAttributesCommand, SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { alertFor, type Alert, type Alerter } from '../../src/alerts/alert.js';
import { alertHtml, alertSlackPayload, alertSubject, alertText } from '../../src/alerts/compose-alert.js';
import { sendAlerts } from '../../src/alerts/send-alerts.js';
import { redactWebhook, SlackAlerter } from '../../src/alerts/slack-alerter.js';
import { SesAlerter } from '../../src/aws/ses-alerter.js';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { instanceWorld } from '../workflows/instance-world.js';

const failed: Alert = {
  runId: '20261124-114501-db1-3f9a',
  command: 'restore',
  identifier: 'db1',
  cluster: false,
  region: 'eu-west-1',
  accountId: '123456789012',
  status: 'failed',
  failedStep: 'restore-snapshot',
  error: { name: 'WaiterFailureError', message: 'db1 reached "incompatible-parameters" <oops>' },
  situation: ['db1: the restored copy, incompatible-parameters.', 'db1-temp: the original instance, available (renamed away).'],
  snapshotIdentifier: 's1',
  startedAt: '2026-11-24T11:45:01.000Z',
  endedAt: '2026-11-24T11:55:01.000Z',
  host: 'bastion-1',
  resumeCommand: 'trapheus resume 20261124-114501-db1-3f9a',
  statusCommand: 'trapheus status 20261124-114501-db1-3f9a',
  warnings: [],
};

/** An alerter that records what it was sent and fails the first `failures` times. */
class RecordingAlerter implements Alerter {
  readonly sent: Alert[] = [];
  calls = 0;
  constructor(
    readonly channel: string,
    private failures = 0,
  ) {}
  async send(alert: Alert): Promise<void> {
    this.calls += 1;
    if (this.failures-- > 0) throw new Error('boom');
    this.sent.push(alert);
  }
}

describe('alert content', () => {
  it('says what broke, where the database is, and what to run, in every part', () => {
    expect(alertSubject(failed)).toBe('[trapheus] restore of db1 failed — needs attention');
    expect(alertSubject({ ...failed, status: 'rolled_back' })).toBe('[trapheus] restore of db1 failed — rolled back');
    const text = alertText(failed);
    for (const fact of [
      '20261124-114501-db1-3f9a',
      'eu-west-1',
      '123456789012',
      'restore-snapshot',
      'WaiterFailureError',
      'db1-temp: the original instance',
      's1',
      'bastion-1',
      'trapheus resume 20261124-114501-db1-3f9a',
      'trapheus status',
      '600 s',
    ]) {
      expect(text).toContain(fact);
      expect(JSON.stringify(alertSlackPayload(failed))).toContain(fact.replace(/</g, '&lt;'));
    }
    expect(text).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('escapes values in HTML and Slack', () => {
    expect(alertHtml(failed)).toContain('&#60;oops&#62;');
    expect(alertHtml(failed)).not.toContain('<oops>');
    expect(JSON.stringify(alertSlackPayload(failed))).toContain('&lt;oops&gt;');
  });

  it('has a Slack text fallback and blocks', () => {
    const payload = alertSlackPayload(failed);
    expect(payload.text).toMatch(/^\[trapheus\] restore of db1 failed/);
    expect(payload.blocks.length).toBeGreaterThan(2);
  });
});

describe('sendAlerts', () => {
  it('retries a channel with backoff and never throws; one channel failing does not stop another', async () => {
    const clock = new FakeClock();
    const flaky = new RecordingAlerter('slack a', 2);
    const broken = new RecordingAlerter('e-mail b', 99);
    const results = await sendAlerts([flaky, broken], failed, { clock, attempts: 3, baseDelayMs: 1000 });
    expect(results).toEqual([
      { channel: 'slack a', ok: true, attempts: 3 },
      { channel: 'e-mail b', ok: false, attempts: 3, error: 'Error: boom' },
    ]);
    expect(flaky.sent).toHaveLength(1);
    expect(clock.sleeps.sort()).toEqual([1000, 1000, 2000, 2000]);
  });
});

describe('alerts from runs', () => {
  function world(alerters: Alerter[], onSuccess = false) {
    const w = instanceWorld();
    w.deps.alerts = { alerters, onSuccess, attempts: 2 };
    return w;
  }
  const restore = async (w: ReturnType<typeof instanceWorld>) =>
    (await prepareRestore(w.deps, { identifier: 'db1', kind: 'instance', snapshot: 's1', freshSnapshot: false })).start();

  it('alerts after the revert, saying how it ended', async () => {
    const channel = new RecordingAlerter('slack');
    const w = world([channel]);
    w.rds.setRestoreOutcome('incompatible-parameters');
    const { outcome, summary } = await restore(w);
    expect(outcome.status).toBe('rolled_back');
    expect(channel.sent).toHaveLength(1);
    expect(channel.sent[0]).toMatchObject({
      status: 'rolled_back',
      failedStep: 'restore-snapshot',
      situation: ['db1 is back under its original name and available.'],
      accountId: '123456789012',
      host: 'test-host',
    });
    expect(summary.alerts).toEqual([{ channel: 'slack', ok: true, attempts: 1 }]);
  });

  it('does not alert on success unless asked', async () => {
    const quiet = new RecordingAlerter('slack');
    await restore(world([quiet]));
    expect(quiet.calls).toBe(0);
    const loud = new RecordingAlerter('slack');
    await restore(world([loud], true));
    expect(loud.sent[0]?.status).toBe('succeeded');
  });

  it('never lets a failed alert change the outcome: it becomes a journaled warning', async () => {
    const w = world([new RecordingAlerter('slack …abcd', 99)]);
    w.rds.setRestoreOutcome('incompatible-parameters');
    const { outcome, summary } = await restore(w);
    expect(outcome.status).toBe('rolled_back');
    expect(summary.warnings).toEqual([expect.stringMatching(/Alert not delivered to slack …abcd after 2 attempts/)]);
    const doc = await w.journal.load(summary.runId!);
    expect(doc.events.at(-1)).toMatchObject({ type: 'notice', level: 'warning' });
  });

  it('warns in the preflight when the e-mail sender is not verified', async () => {
    const w = world([new RecordingAlerter('e-mail')]);
    w.deps.alerts!.senderVerified = async () => false;
    w.deps.alerts!.sender = 'ops@example.com';
    const prepared = await prepareRestore(w.deps, { identifier: 'db1', kind: 'instance', snapshot: 's1', freshSnapshot: false });
    expect(prepared.ok).toBe(true);
    expect(prepared.summary.preflight).toContainEqual(
      expect.objectContaining({ name: 'alert sender', warning: true, detail: expect.stringContaining('ops@example.com') }),
    );
    await prepared.release();
  });

  it('builds the alert facts from a summary', () => {
    const alert = alertFor(
      {
        runId: 'r1',
        command: 'restore',
        identifier: 'db1',
        cluster: false,
        status: 'interrupted',
        steps: [],
        configDifferences: [],
        warnings: [],
      },
      { host: 'h', region: 'us-east-1' },
    );
    expect(alert).toMatchObject({ resumeCommand: 'trapheus resume r1', statusCommand: 'trapheus status r1' });
  });
});

describe('SlackAlerter against a real HTTP server on loopback', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/secretTOKEN1234`;
  }

  it('posts the JSON payload', async () => {
    const bodies: unknown[] = [];
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new SlackAlerter(url, 1000).send(failed);
    expect(bodies).toEqual([alertSlackPayload(failed)]);
  });

  it('reports a 500 and a webhook that never answers, without printing the secret URL', async () => {
    const url500 = await serve((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    const error500 = await new SlackAlerter(url500, 1000).send(failed).catch((e: unknown) => e as Error);
    expect(error500?.message).toMatch(/HTTP 500/);
    expect(error500?.message).not.toContain('secretTOKEN');
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    const silent = await serve(() => undefined);
    const timeout = await new SlackAlerter(silent, 200).send(failed).catch((e: unknown) => e as Error);
    expect(timeout?.message).toMatch(/no answer within 200 ms/);
    expect(timeout?.message).not.toContain('secretTOKEN');
    server!.closeAllConnections();
  });

  it('redacts webhook URLs to host and last 4 characters', () => {
    expect(redactWebhook('https://hooks.slack.com/services/T000/B000/XXXXsecret')).toBe('https://hooks.slack.com/…cret');
  });
});

describe('SesAlerter', () => {
  const ses = mockClient(SESClient);
  afterEach(() => ses.reset());

  it('sends one e-mail with a subject, an HTML and a plain-text part', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm1' });
    await new SesAlerter(new SESClient({ region: 'us-east-1' }), 'trapheus@example.com', ['dba@example.com']).send(failed);
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.Source).toBe('trapheus@example.com');
    expect(input.Destination?.ToAddresses).toEqual(['dba@example.com']);
    expect(input.Message?.Subject?.Data).toBe(alertSubject(failed));
    expect(input.Message?.Body?.Text?.Data).toBe(alertText(failed));
    expect(input.Message?.Body?.Html?.Data).toBe(alertHtml(failed));
  });

  it('tells whether the sender (or its domain) is verified', async () => {
    ses
      .on(GetIdentityVerificationAttributesCommand)
      .resolvesOnce({ VerificationAttributes: { 'example.com': { VerificationStatus: 'Success' } } })
      .resolves({ VerificationAttributes: {} });
    const alerter = new SesAlerter(new SESClient({ region: 'us-east-1' }), 'trapheus@example.com', ['dba@example.com']);
    expect(await alerter.senderVerified()).toBe(true);
    expect(await alerter.senderVerified()).toBe(false);
  });
});
