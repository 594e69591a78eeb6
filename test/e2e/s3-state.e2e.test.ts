import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { S3Journal } from '../../src/aws/s3-journal.js';
import { S3LockStore, type LeaseTimers } from '../../src/aws/s3-lock-store.js';
import { S3StateObjects } from '../../src/aws/s3-state-objects.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { describeJournalContract } from '../stores/journal-contract.js';
import { describeLockContract } from '../stores/lock-contract.js';
import { holdingProxy, type HoldingProxy } from './holding-proxy.js';
import { createInstanceFixture, instanceIds, motoEndpoint, resetMoto, runCli, tempJournalDir } from './moto.js';

const root = path.resolve(import.meta.dirname, '../..');
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const s3 = () => new S3Client({ endpoint: motoEndpoint(), region: 'us-east-1', forcePathStyle: true, credentials });
const stoppedTimers: LeaseTimers = { every: () => ({ stop: () => undefined }) };

let buckets = 0;
/** A fresh bucket on moto (each contract test gets its own: no reset needed between them). */
async function freshBucket(): Promise<string> {
  buckets += 1;
  const bucket = `state-${process.pid}-${buckets}-${Math.floor(Math.random() * 1e6)}`;
  await s3().send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

// The same contract tests as the file store (test/stores/), against moto's S3 and its conditional writes.
describeJournalContract('S3 store on moto', async () => {
  const bucket = await freshBucket();
  const objects = new S3StateObjects(s3(), { bucket, prefix: 'team/prod' });
  return {
    journal: () => new S3Journal(objects),
    plant: async (name, text) => {
      const result = await objects.create(`runs/open/${name}.json`, text);
      if (!result.ok) throw new Error(`could not plant ${name}`);
    },
  };
});

describeLockContract('S3 store on moto', async () => {
  const bucket = await freshBucket();
  const clock = new FakeClock();
  const objects = new S3StateObjects(s3(), { bucket, prefix: 'team/prod' });
  const store = () => new S3LockStore(objects, { clock, timers: stoppedTimers, leaseMs: 60_000 });
  return {
    store,
    async abandon(key, owner) {
      await store().acquire(key, owner);
      clock.advance(65_001);
    },
  };
});

/** The keys under a bucket. */
async function keys(bucket: string): Promise<string[]> {
  return ((await s3().send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((c) => c.Key ?? '').sort();
}

describe('shared state in S3, end to end', () => {
  let hostA: string;
  let hostB: string;
  let proxy: HoldingProxy | undefined;
  const state = 's3://team-trapheus/prod';

  beforeEach(async () => {
    await resetMoto();
    hostA = await tempJournalDir();
    hostB = await tempJournalDir();
  });
  afterEach(async () => {
    proxy?.release();
    await proxy?.close();
    proxy = undefined;
  });

  /** A trapheus process on "host A" (its own HOME and journal directory) started in the background through the proxy. */
  function startOnHostA(args: string[]) {
    const child = spawn(process.execPath, [path.join(root, 'bin/trapheus.js'), ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: hostA,
        AWS_ENDPOINT_URL: proxy!.url,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        TRAPHEUS_JOURNAL_DIR: hostA,
        TRAPHEUS_STATE: state,
        TRAPHEUS_WAIT_MIN_DELAY_SECONDS: '0.2',
        TRAPHEUS_WAIT_MAX_DELAY_SECONDS: '1',
        CI: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    return { child, closed, stderr: () => stderr };
  }

  it('setup-state checks, then creates the bucket (versioned, encrypted, private) idempotently, and prints the config line and the IAM policy', async () => {
    const checked = await runCli(['setup-state', '--bucket', 'team-trapheus', '--prefix', 'prod', '--json'], { journalDir: hostA });
    expect(checked.code).toBe(3);
    expect(JSON.parse(checked.stdout)).toMatchObject({ status: 'error', missing: ['bucket team-trapheus'], url: state });

    const created = await runCli(['setup-state', '--bucket', 'team-trapheus', '--prefix', 'prod', '--create', '--json'], {
      journalDir: hostA,
    });
    expect(created.code, created.stderr).toBe(0);
    const report = JSON.parse(created.stdout) as { changes: string[]; config: unknown; policy: { Statement: unknown[] } };
    expect(report.changes).toEqual([
      'created bucket team-trapheus in us-east-1',
      'blocked all public access to team-trapheus',
      'turned on versioning of team-trapheus',
      'turned on default encryption (SSE-S3) of team-trapheus',
    ]);
    expect(report.config).toEqual({ state: { url: state } });
    expect(report.policy.Statement).toEqual([
      {
        Sid: 'TrapheusStateList',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::team-trapheus',
        Condition: { StringLike: { 's3:prefix': ['prod/*'] } },
      },
      {
        Sid: 'TrapheusStateObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: 'arn:aws:s3:::team-trapheus/prod/*',
      },
    ]);
    const client = s3();
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: 'team-trapheus' }))).Status).toBe('Enabled');
    const sse = await client.send(new GetBucketEncryptionCommand({ Bucket: 'team-trapheus' }));
    expect(sse.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
    expect((await client.send(new GetPublicAccessBlockCommand({ Bucket: 'team-trapheus' }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });

    const again = await runCli(['setup-state', '--bucket', 'team-trapheus', '--prefix', 'prod', '--create'], { journalDir: hostA });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to change: team-trapheus is versioned, encrypted and private.');
    expect(again.stdout).toContain(`--state ${state}`);
  });

  it('a missing state bucket or a malformed --state is refused before anything is touched', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    const missing = await runCli(['snapshot-only', '--identifier', 'db1', '--state', 's3://no-such-bucket/x'], { journalDir: hostA });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('trapheus setup-state --bucket no-such-bucket --create');
    const malformed = await runCli(['runs', '--state', 'https://team-trapheus/prod'], { journalDir: hostA });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('state.url: must be an s3://BUCKET/PREFIX URL');
    const badBucket = await runCli(['runs', '--state', 's3://Team_Trapheus/prod'], { journalDir: hostA });
    expect(badBucket.code).toBe(2);
    expect(badBucket.stderr).toContain('--state: "Team_Trapheus" is not a valid bucket name');
  });

  it('two processes on two hosts racing for one database: the second is skipped (exit 5), naming the first', async () => {
    await runCli(['setup-state', '--bucket', 'team-trapheus', '--prefix', 'prod', '--create'], { journalDir: hostA });
    await createInstanceFixture({ identifier: 'db1' });
    // Host A's snapshot call is held: it holds db1's lease meanwhile.
    proxy = await holdingProxy((body) => body.includes('Action=CreateDBSnapshot'));
    const a = startOnHostA(['snapshot-only', '--identifier', 'db1']);
    await proxy.firstHeld;
    const b = await runCli(['snapshot-only', '--identifier', 'db1', '--state', state], { journalDir: hostB });
    expect(b.code, b.stderr).toBe(5);
    expect(b.stderr).toMatch(
      new RegExp(`instance-db1 is locked by another trapheus run \\(pid ${a.child.pid} on .*, run \\d{8}-\\d{6}-db1-[0-9a-f]{4}`),
    );
    expect(b.stderr).toMatch(/lease runs until/);
    proxy.release();
    expect(await a.closed, a.stderr()).toBe(0);
    // Released (no lease left), and host B sees how host A's run ended.
    expect((await keys('team-trapheus')).filter((k) => k.startsWith('prod/locks/'))).toEqual([]);
    const listed = await runCli(['runs', '--json', '--state', state], { journalDir: hostB });
    expect((JSON.parse(listed.stdout) as { runs: { command: string; status: string }[] }).runs).toEqual([
      expect.objectContaining({ command: 'snapshot-only', status: 'succeeded' }),
    ]);
  }, 120_000);

  it('a restore started on host A and interrupted is seen and finished from host B (another HOME and journal directory, as an ephemeral CI runner)', async () => {
    await runCli(['setup-state', '--bucket', 'team-trapheus', '--prefix', 'prod', '--create'], { journalDir: hostA });
    await createInstanceFixture({ identifier: 'db1' });
    await runCli(['snapshot-only', '--identifier', 'db1', '--state', state], { journalDir: hostA });
    proxy = await holdingProxy((body) => body.includes('Action=RestoreDBInstanceFromDBSnapshot'));
    const a = startOnHostA(['restore', '--identifier', 'db1', '--strategy', 'rename-first', '--yes']);
    await proxy.firstHeld;
    // While it runs, host B sees it running and is locked out of it.
    const seen = await runCli(['runs', '--json', '--state', state], { journalDir: hostB });
    const running = (JSON.parse(seen.stdout) as { runs: { runId: string; command: string; status: string }[] }).runs.find(
      (r) => r.command === 'restore',
    );
    expect(running?.status).toBe('running');
    const lockedOut = await runCli(['resume', running!.runId, '--state', state], { journalDir: hostB });
    expect(lockedOut.code, lockedOut.stderr).toBe(5);
    // Host A is stopped (its runner is cancelled): interrupted, journaled in S3, lease released.
    a.child.kill('SIGINT');
    expect(await a.closed, a.stderr()).toBe(130);
    expect(await instanceIds()).toContain('db1-temp');
    // Host A's journal directory holds no run: the state is in S3.
    expect((await readdir(hostA)).filter((f) => f.endsWith('.json'))).toEqual([]);
    proxy.release();

    const listed = await runCli(['runs', '--json', '--state', state], { journalDir: hostB });
    expect(listed.code, listed.stderr).toBe(0);
    const restore = (JSON.parse(listed.stdout) as { runs: { runId: string; command: string; status: string }[] }).runs.find(
      (r) => r.command === 'restore',
    );
    expect(restore).toMatchObject({ runId: running!.runId, status: 'interrupted' });
    const resumed = await runCli(['resume', '--json', '--state', state], { journalDir: hostB });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ runId: running!.runId, status: 'succeeded' });
    expect(await instanceIds()).toEqual(['db1']);
    // Finished: kept among finished runs, no lease left behind.
    const stored = await keys('team-trapheus');
    expect(stored).toContain(`prod/runs/done/${running!.runId}.json`);
    expect(stored.filter((k) => k.startsWith('prod/locks/') || k.startsWith('prod/runs/open/'))).toEqual([]);
  }, 120_000);
});
