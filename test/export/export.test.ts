import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DescribeExportTasksCommand, RDSClient, StartExportTaskCommand } from '@aws-sdk/client-rds';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ExportGateway, ExportTaskInfo } from '../../src/aws/export-gateway.js';
import { SdkExportGateway } from '../../src/aws/sdk-export-gateway.js';
import { PreconditionError, StepError, UsageError } from '../../src/core/errors.js';
import { exportTaskId, planExport } from '../../src/workflows/export/export-plan.js';
import { runExport } from '../../src/workflows/export/export-service.js';
import { followExport } from '../../src/workflows/export/follow-export.js';
import { setupExport } from '../../src/workflows/export/setup-export.js';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { instanceWorld } from '../workflows/instance-world.js';

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const rdsMock = mockClient(RDSClient);
const creds = { region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
const gateway = () => new SdkExportGateway(new S3Client(creds), new KMSClient(creds), new RDSClient(creds));
const named = (name: string) => Object.assign(new Error(name), { name });
const exportConfig = {
  bucket: 'my-exports',
  kmsKeyId: 'alias/trapheus-export',
  iamRoleArn: 'arn:aws:iam::123456789012:role/export',
  prefix: 'p/',
};

beforeEach(() => {
  s3.reset();
  kms.reset();
  rdsMock.reset();
});

describe('export plan', () => {
  it('makes a traceable task id that fits StartExportTask (≤ 60, letters, digits, hyphens)', () => {
    const id = exportTaskId('a'.repeat(63), new Date('2026-11-24T11:45:01Z'));
    expect(id.length).toBeLessThanOrEqual(60);
    expect(id).toMatch(/^trapheus-a+-[0-9a-f]{6}-20261124-114501$/);
    expect(exportTaskId('db1', new Date('2026-11-24T11:45:01Z'))).toBe('trapheus-db1-20261124-114501');
  });

  it('names every missing setting with its config key and flag', () => {
    expect(() => planExport('db1', {}, {}, new Date())).toThrow(UsageError);
    expect(() => planExport('db1', { bucket: 'b-1' }, {}, new Date())).toThrow(
      /export\.kmsKeyId \(or --kms-key\), export\.iamRoleArn \(or --role-arn\)/,
    );
    expect(planExport('db1', exportConfig, { prefix: 'q/', tables: ['s.t'] }, new Date('2026-01-01T00:00:00Z'))).toMatchObject({
      bucket: 'my-exports',
      prefix: 'q/',
      tables: ['s.t'],
    });
  });
});

describe('SdkExportGateway', () => {
  it('starts an export with the bucket, prefix, key, role and tables', async () => {
    rdsMock.on(StartExportTaskCommand).resolves({});
    await gateway().startExportTask({
      taskId: 't1',
      sourceArn: 'arn:aws:rds:eu-west-1:1:snapshot:s1',
      bucket: 'my-exports',
      prefix: 'p/',
      kmsKeyId: 'k',
      iamRoleArn: 'r',
      tables: ['db.t'],
    });
    expect(rdsMock.commandCalls(StartExportTaskCommand)[0]!.args[0].input).toEqual({
      ExportTaskIdentifier: 't1',
      SourceArn: 'arn:aws:rds:eu-west-1:1:snapshot:s1',
      S3BucketName: 'my-exports',
      S3Prefix: 'p/',
      KmsKeyId: 'k',
      IamRoleArn: 'r',
      ExportOnly: ['db.t'],
    });
  });

  it('creates a bucket outside us-east-1 with a location constraint, and reads a missing bucket as false', async () => {
    s3.on(CreateBucketCommand).resolves({});
    s3.on(HeadBucketCommand).rejects(named('NotFound'));
    await gateway().createBucket('my-exports', 'eu-west-1');
    expect(s3.commandCalls(CreateBucketCommand)[0]!.args[0].input.CreateBucketConfiguration).toEqual({ LocationConstraint: 'eu-west-1' });
    expect(await gateway().bucketExists('my-exports')).toBe(false);
  });
});

describe('setupExport', () => {
  it('creates the bucket (public access blocked, encrypted) and the key, then changes nothing the second time', async () => {
    let exists = false;
    let blocked = false;
    let encrypted = false;
    let alias = false;
    s3.on(HeadBucketCommand).callsFake(() => {
      if (!exists) throw named('NotFound');
      return {};
    });
    s3.on(CreateBucketCommand).callsFake(() => ((exists = true), {}));
    s3.on(GetPublicAccessBlockCommand).callsFake(() => {
      if (!blocked) throw named('NoSuchPublicAccessBlockConfiguration');
      return {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      };
    });
    s3.on(PutPublicAccessBlockCommand).callsFake(() => ((blocked = true), {}));
    s3.on(GetBucketEncryptionCommand).callsFake(() => {
      if (!encrypted) throw named('ServerSideEncryptionConfigurationNotFoundError');
      return { ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } };
    });
    s3.on(PutBucketEncryptionCommand).callsFake(() => ((encrypted = true), {}));
    const meta = {
      KeyId: 'k1',
      Arn: 'arn:aws:kms:eu-west-1:1:key/k1',
      Enabled: true,
      KeyState: 'Enabled' as const,
      KeySpec: 'SYMMETRIC_DEFAULT' as const,
    };
    kms.on(DescribeKeyCommand).callsFake(() => {
      if (!alias) throw named('NotFoundException');
      return { KeyMetadata: meta };
    });
    kms.on(CreateKeyCommand).resolves({ KeyMetadata: meta });
    kms.on(CreateAliasCommand).callsFake(() => ((alias = true), {}));

    const first = await setupExport(gateway(), { bucket: 'my-exports', keyAlias: 'trapheus-export', region: 'eu-west-1', create: true });
    expect(first.changes).toHaveLength(4);
    expect(first.missing).toEqual([]);
    expect(first.role.trust).toMatchObject({ Statement: [{ Principal: { Service: 'export.rds.amazonaws.com' } }] });
    const second = await setupExport(gateway(), {
      bucket: 'my-exports',
      keyAlias: 'alias/trapheus-export',
      region: 'eu-west-1',
      create: true,
    });
    expect(second.changes).toEqual([]);
    expect(s3.commandCalls(CreateBucketCommand)).toHaveLength(1);
    expect(kms.commandCalls(CreateKeyCommand)).toHaveLength(1);
  });

  it('without --create only reports what is missing', async () => {
    s3.on(HeadBucketCommand).rejects(named('NotFound'));
    kms.on(DescribeKeyCommand).rejects(named('NotFoundException'));
    const report = await setupExport(gateway(), { bucket: 'my-exports', keyAlias: 'alias/x', region: 'eu-west-1', create: false });
    expect(report.missing).toEqual(['KMS key alias/x', 'bucket my-exports']);
    expect(s3.commandCalls(CreateBucketCommand)).toHaveLength(0);
  });
});

describe('followExport', () => {
  const task = (status: string, percent = 0): ExportTaskInfo => ({
    taskId: 't1',
    sourceArn: 'a',
    status,
    percentProgress: percent,
    bucket: 'b',
    failureCause: status === 'FAILED' ? 'role cannot write' : undefined,
  });
  const scripted = (statuses: ExportTaskInfo[]): ExportGateway =>
    ({ describeExportTasks: async () => [statuses.shift() ?? statuses[statuses.length - 1]!] }) as unknown as ExportGateway;

  it('follows progress to completion, comparing status words case-insensitively', async () => {
    const seen: string[] = [];
    const clock = new FakeClock();
    const done = await followExport(scripted([task('STARTING'), task('IN_PROGRESS', 40), task('complete', 100)]), 't1', {
      clock,
      delayMs: 30_000,
      maxWaitMs: 3_600_000,
      onProgress: (t) => seen.push(`${t.status} ${t.percentProgress}`),
    });
    expect(done.status).toBe('complete');
    expect(seen).toEqual(['STARTING 0', 'IN_PROGRESS 40', 'complete 100']);
    expect(clock.sleeps).toEqual([30_000, 30_000]);
  });

  it('fails on a failed or canceled task, with its cause', async () => {
    await expect(followExport(scripted([task('FAILED')]), 't1', { clock: new FakeClock(), delayMs: 1, maxWaitMs: 10 })).rejects.toThrow(
      /failed: role cannot write/,
    );
    await expect(followExport(scripted([task('canceled')]), 't1', { clock: new FakeClock(), delayMs: 1, maxWaitMs: 10 })).rejects.toThrow(
      StepError,
    );
  });
});

describe('export from runs', () => {
  /** An export gateway in memory. */
  function memoryExports(opts: { bucket?: boolean; failStart?: boolean } = {}) {
    const started: unknown[] = [];
    const gatewayInMemory = {
      bucketExists: async () => opts.bucket ?? true,
      describeKey: async () => ({ keyId: 'k', arn: 'arn:k', enabled: true, symmetric: true }),
      describeExportTasks: async (id?: string) =>
        (started as { taskId: string }[])
          .filter((t) => !id || t.taskId === id)
          .map((t) => ({ ...t, status: 'STARTING', sourceArn: '', bucket: 'my-exports' })),
      exportTasksOf: async () => [],
      readKeyPolicy: async () => ({ readable: false, reason: 'AccessDeniedException' }),
      startExportTask: async (r: { taskId: string }) => {
        if (opts.failStart) throw new StepError('AccessDenied: iam:PassRole');
        started.push(r);
      },
    } as unknown as ExportGateway;
    return { gateway: gatewayInMemory, started };
  }

  it('preflight of `export` fails before starting a task when the bucket is missing', async () => {
    const world = instanceWorld({ export: exportConfig });
    world.rds.addSnapshot({
      identifier: 'trapheus-db1-1',
      sourceIdentifier: 'db1',
      tags: [
        { key: 'trapheus:managed', value: 'true' },
        { key: 'trapheus:source', value: 'db1' },
      ],
    });
    const { gateway: exports, started } = memoryExports({ bucket: false });
    await expect(runExport({ ...world.deps, exports }, { identifier: 'db1', kind: 'instance', flags: {}, wait: false })).rejects.toThrow(
      PreconditionError,
    );
    expect(started).toEqual([]);
  });

  it('a restore with --export records the task and goes on when the export cannot start', async () => {
    const world = instanceWorld({ export: exportConfig });
    const ok = memoryExports();
    world.deps.exports = ok.gateway;
    let prepared = await prepareRestore(world.deps, {
      identifier: 'db1',
      kind: 'instance',
      snapshot: 's1',
      freshSnapshot: false,
      export: {},
    });
    let result = await prepared.start();
    expect(result.outcome.status).toBe('succeeded');
    expect(result.summary.export).toMatchObject({ started: true, taskId: expect.stringMatching(/^trapheus-db1-/) });
    expect(ok.started).toHaveLength(1);

    const broken = instanceWorld({ export: exportConfig });
    broken.deps.exports = memoryExports({ failStart: true }).gateway;
    prepared = await prepareRestore(broken.deps, { identifier: 'db1', kind: 'instance', snapshot: 's1', freshSnapshot: false, export: {} });
    result = await prepared.start();
    expect(result.outcome.status).toBe('succeeded');
    expect(result.summary.export).toMatchObject({ started: false, error: expect.stringContaining('AccessDenied') });
    expect(result.summary.warnings.join(' ')).toMatch(/was not started/);
  });

  it('describes tasks through DescribeExportTasks', async () => {
    rdsMock.on(DescribeExportTasksCommand).resolves({
      ExportTasks: [{ ExportTaskIdentifier: 't1', Status: 'COMPLETE', PercentProgress: 100, S3Bucket: 'b', SourceArn: 'arn' }],
    });
    expect(await gateway().describeExportTasks('t1')).toEqual([
      expect.objectContaining({ taskId: 't1', status: 'COMPLETE', percentProgress: 100 }),
    ]);
  });
});
