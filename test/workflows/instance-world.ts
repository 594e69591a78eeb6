import { configSchema, type ConfigInput } from '../../src/config/config-schema.js';
import type { ServiceDeps } from '../../src/workflows/service.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeRds } from '../fakes/fake-rds.js';
import { MemoryJournal, MemoryLockStore } from '../fakes/memory-journal.js';

/** The settings of the sample instance `db1`, chosen so that a lost setting is visible. */
export const DB1_SETTINGS = {
  instanceClass: 'db.r6g.large',
  dbParameterGroupName: 'custom-pg',
  optionGroupName: 'custom-og',
  vpcSecurityGroupIds: ['sg-1', 'sg-2'],
  dbSubnetGroupName: 'private-subnets',
  multiAZ: true,
  deletionProtection: true,
  iamDatabaseAuthentication: true,
  cloudwatchLogsExports: ['postgresql'],
  backupRetentionPeriod: 14,
  preferredBackupWindow: '03:00-04:00',
  preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
  maxAllocatedStorage: 500,
  monitoringInterval: 60,
  monitoringRoleArn: 'arn:aws:iam::123456789012:role/rds-monitoring',
  performanceInsightsEnabled: true,
  performanceInsightsRetentionPeriod: 7,
  tags: [{ key: 'team', value: 'platform' }],
};

/** A fresh world: fake RDS with `db1` and a snapshot `s1` of it, in-memory journal and locks. */
export function instanceWorld(configInput: ConfigInput = {}) {
  const clock = new FakeClock();
  const rds = new FakeRds(clock);
  rds.addInstance({ identifier: 'db1', ...DB1_SETTINGS });
  rds.addSnapshot({ identifier: 's1', sourceIdentifier: 'db1' });
  const journal = new MemoryJournal();
  const locks = new MemoryLockStore();
  const controller = new AbortController();
  const deps: ServiceDeps = {
    rds,
    journal,
    locks,
    clock,
    // rename-first unless a test asks otherwise: most tests predate the swap default.
    config: configSchema.parse({ ...configInput, restore: { strategy: 'rename-first', ...configInput.restore } }),
    region: 'us-east-1',
    signal: controller.signal,
    host: 'test-host',
    pid: 4242,
  };
  return { clock, rds, journal, locks, controller, deps };
}
