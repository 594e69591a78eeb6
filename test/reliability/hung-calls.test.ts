import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KMSClient } from '@aws-sdk/client-kms';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, Alerter } from '../../src/alerts/alert.js';
import { SdkExportGateway } from '../../src/aws/sdk-export-gateway.js';
import { SdkRdsGateway } from '../../src/aws/sdk-rds-gateway.js';
import { sdkClientOptions } from '../../src/composition.js';
import type { RunSummary } from '../../src/core/run-summary.js';
import { RUN_SCHEMA_VERSION, type RunDocument } from '../../src/engine/run-document.js';
import { alertRunEnd } from '../../src/workflows/run/run-alerts.js';
import { instanceWorld } from '../workflows/instance-world.js';

// A server on loopback that accepts every request and never answers: a hung call.
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function silentEndpoint(): Promise<string> {
  server = createServer(() => undefined);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
const waits = { minDelaySeconds: 1, maxDelaySeconds: 1, maxWaitSeconds: 60 };

describe('a call that never answers', () => {
  it('times out (the clients trapheus builds have request timeouts), instead of hanging the run for ever', async () => {
    const endpoint = await silentEndpoint();
    const options = sdkClientOptions({ region: 'us-east-1' }, { connectionTimeoutMs: 1000, requestTimeoutMs: 300 });
    const client = new RDSClient({ ...options, maxAttempts: 1, endpoint, credentials });
    const started = Date.now();
    const error = await client.send(new DescribeDBInstancesCommand({})).catch((e: unknown) => e);
    expect((error as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(3000);
  }, 10_000);

  it('stops at once when the run is aborted: the gateway passes the run signal to every call', async () => {
    const endpoint = await silentEndpoint();
    const controller = new AbortController();
    const gateway = new SdkRdsGateway(
      new RDSClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 }),
      waits,
      controller.signal,
    );
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('SIGINT')), 100);
    const error = await gateway.describeInstance('db1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(1000);
  }, 10_000);

  it('the export gateway (S3, KMS, RDS exports) passes it too', async () => {
    const endpoint = await silentEndpoint();
    const config = { region: 'us-east-1', endpoint, credentials, maxAttempts: 1, forcePathStyle: true };
    const controller = new AbortController();
    const exports = new SdkExportGateway(new S3Client(config), new KMSClient(config), new RDSClient(config), controller.signal);
    setTimeout(() => controller.abort(new Error('SIGINT')), 100);
    const started = Date.now();
    const results = await Promise.allSettled([exports.describeKey('alias/x'), exports.bucketExists('b'), exports.describeExportTasks()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(Date.now() - started).toBeLessThan(1000);
  }, 10_000);
});

describe('an interrupted run alerts once, within a deadline', () => {
  it('one attempt per channel, with a timeout signal, so that Ctrl-C still exits within two seconds', async () => {
    const seen: (AbortSignal | undefined)[] = [];
    const alerter: Alerter = {
      channel: 'slack test',
      send: (_alert: Alert, signal?: AbortSignal) => {
        seen.push(signal);
        return Promise.reject(new Error('no answer'));
      },
    };
    const world = instanceWorld();
    const deps = { ...world.deps, alerts: { alerters: [alerter], onSuccess: false, attempts: 3 } };
    const summary: RunSummary = {
      runId: 'r1',
      command: 'restore',
      identifier: 'db1',
      cluster: false,
      status: 'interrupted',
      steps: [],
      configDifferences: [],
      warnings: [],
    };
    const doc: RunDocument = {
      schemaVersion: RUN_SCHEMA_VERSION,
      runId: 'r1',
      command: 'restore',
      workflow: 'instance-restore',
      identifier: 'db1',
      cluster: false,
      createdAt: '2026-01-01T00:00:00.000Z',
      input: {},
      plan: {},
      state: {},
      events: [],
    };
    await alertRunEnd(deps, doc, summary, undefined);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(AbortSignal);
    expect(world.clock.sleeps).toEqual([]);
  });
});
