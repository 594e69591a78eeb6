import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import type { StateBucketGateway, StateBucketSettings } from '../../src/aws/s3-state-bucket.js';
import { parseS3StateUrl } from '../../src/aws/s3-state-url.js';
import { setupState } from '../../src/workflows/state/setup-state.js';
import { statePolicy } from '../../src/workflows/state/state-policy.js';

/** A bucket world in memory: what exists and how it is set up, and every change asked for. */
class MemoryBuckets implements StateBucketGateway {
  readonly buckets = new Map<string, StateBucketSettings>();
  readonly calls: string[] = [];
  bucketExists(bucket: string) {
    return Promise.resolve(this.buckets.has(bucket));
  }
  settings(bucket: string) {
    return Promise.resolve({ ...this.buckets.get(bucket)! });
  }
  createBucket(bucket: string, region: string) {
    this.calls.push(`create ${bucket} ${region}`);
    this.buckets.set(bucket, { versioned: false, publicAccessBlocked: false });
    return Promise.resolve();
  }
  enableVersioning(bucket: string) {
    this.calls.push(`versioning ${bucket}`);
    this.buckets.get(bucket)!.versioned = true;
    return Promise.resolve();
  }
  enableDefaultEncryption(bucket: string) {
    this.calls.push(`encryption ${bucket}`);
    this.buckets.get(bucket)!.encryption = { algorithm: 'AES256' };
    return Promise.resolve();
  }
  blockPublicAccess(bucket: string) {
    this.calls.push(`public-access-block ${bucket}`);
    this.buckets.get(bucket)!.publicAccessBlocked = true;
    return Promise.resolve();
  }
}

describe('setup-state', () => {
  it('without --create only reports what is missing and changes nothing; with it creates each piece once', async () => {
    const s3 = new MemoryBuckets();
    const checked = await setupState(s3, { bucket: 'team-state', region: 'eu-west-1', create: false });
    expect(checked).toMatchObject({ missing: ['bucket team-state'], changes: [], url: 's3://team-state/trapheus', prefix: 'trapheus' });
    expect(s3.calls).toEqual([]);
    await setupState(s3, { bucket: 'team-state', prefix: '/prod/', region: 'eu-west-1', create: true });
    expect(s3.calls).toEqual([
      'create team-state eu-west-1',
      'public-access-block team-state',
      'versioning team-state',
      'encryption team-state',
    ]);
    const again = await setupState(s3, { bucket: 'team-state', prefix: 'prod', region: 'eu-west-1', create: true });
    expect(again).toMatchObject({
      changes: [],
      missing: [],
      url: 's3://team-state/prod',
      config: { state: { url: 's3://team-state/prod' } },
    });
    expect(s3.calls).toHaveLength(4);
  });

  it('an existing bucket keeps its KMS encryption, and the policy names the key', async () => {
    const s3 = new MemoryBuckets();
    const key = 'arn:aws:kms:eu-west-1:111122223333:key/abcd';
    s3.buckets.set('team-state', { versioned: true, publicAccessBlocked: true, encryption: { algorithm: 'aws:kms', kmsKeyId: key } });
    const report = await setupState(s3, { bucket: 'team-state', region: 'eu-west-1', create: true });
    expect(report.changes).toEqual([]);
    expect(JSON.stringify(report.policy)).toContain(`"Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"${key}"`);
  });

  it('refuses a bad bucket name or prefix as bad usage, before any call', async () => {
    const s3 = new MemoryBuckets();
    await expect(setupState(s3, { bucket: 'Team_State', region: 'eu-west-1', create: true })).rejects.toBeInstanceOf(UsageError);
    await expect(setupState(s3, { bucket: 'team-state', prefix: 'a//b', region: 'eu-west-1', create: true })).rejects.toBeInstanceOf(
      UsageError,
    );
    expect(s3.calls).toEqual([]);
  });
});

describe('the runners’ IAM policy', () => {
  it('grants objects under the prefix and listing only for it, in the region’s partition', () => {
    expect(statePolicy({ bucket: 'b', prefix: 'team/prod', region: 'cn-north-1' })).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TrapheusStateList',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'arn:aws-cn:s3:::b',
          Condition: { StringLike: { 's3:prefix': ['team/prod/*'] } },
        },
        {
          Sid: 'TrapheusStateObjects',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          Resource: 'arn:aws-cn:s3:::b/team/prod/*',
        },
      ],
    });
    const whole = statePolicy({ bucket: 'b', prefix: '', region: 'us-gov-west-1' }) as { Statement: Record<string, unknown>[] };
    expect(whole.Statement[0]).toEqual({
      Sid: 'TrapheusStateList',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws-us-gov:s3:::b',
    });
    expect(whole.Statement[1]?.Resource).toBe('arn:aws-us-gov:s3:::b/*');
  });
});

describe('--state URLs', () => {
  it('parses s3://bucket[/prefix], trimming slashes', () => {
    expect(parseS3StateUrl('s3://team-state')).toEqual({ bucket: 'team-state', prefix: '' });
    expect(parseS3StateUrl('s3://team-state/')).toEqual({ bucket: 'team-state', prefix: '' });
    expect(parseS3StateUrl('s3://team-state/prod/eu/')).toEqual({ bucket: 'team-state', prefix: 'prod/eu' });
  });

  it.each([
    ['https://team-state/prod', 'is not an s3:// URL'],
    ['s3://', 'is not a valid bucket name'],
    ['s3://Team_State/prod', 'is not a valid bucket name'],
    ['s3://192.168.1.1/prod', 'must not look like an IP address'],
    ['s3://team..state', 'two dots in a row'],
    ['s3://team-state/a//b', 'empty or relative level'],
    ['s3://team-state/a/../b', 'empty or relative level'],
    ['s3://team-state/a b', "outside S3's safe set"],
  ])('refuses %s (%s) as bad usage naming where it came from', (url, why) => {
    let error: unknown;
    try {
      parseS3StateUrl(url, 'TRAPHEUS_STATE');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^TRAPHEUS_STATE: /);
    expect((error as Error).message).toContain(why);
  });
});
