import { describe, expect, it } from 'vitest';
import { ModificationTracker } from '../../src/aws/modification-tracker.js';
import type { WaitCheck } from '../../src/aws/wait-for.js';

type Info = { config: Record<string, unknown> };
const ready = (config: Record<string, unknown>): WaitCheck<Info> => ({ state: 'success', value: { config }, status: 'available' });
const busy: WaitCheck<Info> = { state: 'retry', status: 'modifying' };

describe('ModificationTracker (the gap after ModifyDB*)', () => {
  it('keeps a settled wait going while the resource looks untouched, and ends it once the change shows', () => {
    let now = 0;
    const tracker = new ModificationTracker(120_000, () => now);
    tracker.record('instance:db1', { monitoringInterval: 60, vpcSecurityGroupIds: ['sg-1', 'sg-2'] });
    expect(tracker.check('instance:db1', ready({ monitoringInterval: 0, vpcSecurityGroupIds: ['sg-0'] })).state).toBe('retry');
    now = 5_000;
    // Lists compare as sets.
    expect(tracker.check('instance:db1', ready({ monitoringInterval: 60, vpcSecurityGroupIds: ['sg-2', 'sg-1'] })).state).toBe('success');
    // Forgotten once seen: a later wait is not held back.
    expect(tracker.check('instance:db1', ready({ monitoringInterval: 0 })).state).toBe('success');
  });

  it('believes a resource seen busy since the request, and one untouched past the grace period', () => {
    let now = 0;
    const tracker = new ModificationTracker(120_000, () => now);
    tracker.record('cluster:c1', { backupRetentionPeriod: 7 });
    expect(tracker.check('cluster:c1', busy).state).toBe('retry');
    expect(tracker.check('cluster:c1', ready({ backupRetentionPeriod: 1 })).state).toBe('success');

    tracker.record('cluster:c1', { backupRetentionPeriod: 7 });
    now = 119_000;
    expect(tracker.check('cluster:c1', ready({ backupRetentionPeriod: 1 })).state).toBe('retry');
    now = 120_000;
    expect(tracker.check('cluster:c1', ready({ backupRetentionPeriod: 1 })).state).toBe('success');
  });

  it('does not wait on settings whose described form differs from the request (KMS key ids, role ARNs, storage)', () => {
    const tracker = new ModificationTracker(120_000, () => 0);
    tracker.record('instance:db1', {
      performanceInsightsKmsKeyId: 'alias/pi',
      monitoringRoleArn: 'r',
      allocatedStorage: 200,
      masterUserSecret: { kmsKeyId: 'k' },
    });
    expect(tracker.check('instance:db1', ready({})).state).toBe('success');
  });
});
