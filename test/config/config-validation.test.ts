import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { UsageError } from '../../src/core/errors.js';

const issues = (input: unknown): string[] => {
  const parsed = configSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('regions', () => {
  it.each(['eu-west-1', 'us-east-1', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-5', 'il-central-1'])('accepts %s', (region) => {
    expect(issues({ region, alerts: { email: { region } } })).toEqual([]);
  });

  it.each(['us east 1', 'US-EAST-1', 'useast1', 'eu-west', ''])('refuses %j as a region, naming the key', (region) => {
    expect(issues({ region })).toEqual([expect.stringMatching(/^region: not a valid AWS region/)]);
    expect(issues({ alerts: { email: { region } } })).toEqual([expect.stringMatching(/^alerts\.email\.region: not a valid AWS region/)]);
  });

  it('--region "us east 1" is a usage error saying the region is invalid', async () => {
    const error = await loadConfig({ region: 'us east 1' }, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/region: not a valid AWS region/);
  });
});

describe('Slack webhook URLs carry secrets', () => {
  it.each(['https://hooks.slack.com/services/T/B/x', 'http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://[::1]:9/hook'])(
    'accepts %s',
    (url) => expect(issues({ alerts: { slack: { webhookUrls: [url] } } })).toEqual([]),
  );

  it.each(['http://hooks.slack.com/services/T/B/x', 'ftp://example.com/x', 'file:///etc/passwd', 'http://10.0.0.1/hook'])(
    'refuses %s: https only, http only to this machine',
    (url) =>
      expect(issues({ alerts: { slack: { webhookUrls: [url] } } })).toEqual([
        expect.stringMatching(/^alerts\.slack\.webhookUrls\.0: must be an https:\/\/ URL/),
      ]),
  );
});
