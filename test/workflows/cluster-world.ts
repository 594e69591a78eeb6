import { configSchema, type ConfigInput } from '../../src/config/config-schema.js';
import type { ServiceDeps } from '../../src/workflows/service.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeRds } from '../fakes/fake-rds.js';
import { MemoryJournal, MemoryLockStore } from '../fakes/memory-journal.js';

/** The settings of the sample cluster `c1`, chosen so that a lost setting is visible. */
export const C1_SETTINGS = {
  dbClusterParameterGroupName: 'custom-cpg',
  vpcSecurityGroupIds: ['sg-1', 'sg-2'],
  deletionProtection: true,
  backupRetentionPeriod: 7,
  preferredBackupWindow: '02:00-03:00',
  tags: [{ key: 'team', value: 'data' }],
};

/** A fresh world: fake RDS with cluster c1 (writer c1-a, readers c1-b and c1-c) and its snapshot cs1. */
export function clusterWorld(configInput: ConfigInput = {}) {
  const clock = new FakeClock();
  const rds = new FakeRds(clock);
  rds.addCluster({
    identifier: 'c1',
    ...C1_SETTINGS,
    members: [
      { identifier: 'c1-a', isWriter: true, promotionTier: 0, config: { instanceClass: 'db.r6g.large', performanceInsightsEnabled: true } },
      { identifier: 'c1-b', promotionTier: 1, config: { instanceClass: 'db.r6g.large' } },
      { identifier: 'c1-c', promotionTier: 2, config: { instanceClass: 'db.r6g.xlarge' } },
    ],
  });
  rds.addClusterSnapshot({ identifier: 'cs1', sourceIdentifier: 'c1' });
  // A custom endpoint over two readers: it must follow the cluster through the restore.
  rds.addCustomEndpoint('c1', { identifier: 'c1-analytics', type: 'READER', staticMembers: ['c1-b', 'c1-c'] });
  const journal = new MemoryJournal();
  const deps: ServiceDeps = {
    rds,
    journal,
    locks: new MemoryLockStore(),
    clock,
    // rename-first unless a test asks otherwise (the swap tests do).
    config: configSchema.parse({ ...configInput, restore: { strategy: 'rename-first', ...configInput.restore } }),
    region: 'us-east-1',
    signal: new AbortController().signal,
    host: 'test-host',
    pid: 1,
  };
  return { clock, rds, journal, deps };
}
