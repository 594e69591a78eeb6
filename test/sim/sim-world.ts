/**
 * A world for workflow tests and the bench: the simulated RDS behind a real RDSClient, the
 * production SdkRdsGateway over it, in-memory journal and locks, and one virtual time line for
 * all of them (the engine's Clock included).
 *
 *   const world = simWorld({ timers: vitestTimers(vi) });
 *   seedSampleInstance(world.sim);
 *   const prepared = await world.time.run(prepareRestore(world.deps, { identifier: 'db1', … }));
 *   const result = await world.time.run(prepared.start());
 *   world.stop();
 */
import { installRateBudget, RateBudget } from '../../src/aws/rate-budget.js';
import type { RDSClient } from '@aws-sdk/client-rds';
import { SdkRdsGateway } from '../../src/aws/sdk-rds-gateway.js';
import type { WaitSettings } from '../../src/aws/wait-for.js';
import { configSchema, type ConfigInput } from '../../src/config/config-schema.js';
import type { prepareRestore } from '../../src/workflows/run/start-run.js';
import { MemoryJournal, MemoryLockStore } from '../fakes/memory-journal.js';
import { simulatedRdsClient } from './install-simulated-rds.js';
import { SimulatedRds, type SimulatedRdsOptions } from './simulated-rds.js';
import { VirtualTime, type FakeTimers } from './virtual-time.js';

/** What the service API needs (taken from prepareRestore, so this file follows it if it moves). */
export type SimServiceDeps = Parameters<typeof prepareRestore>[0];

export interface SimWorldOptions extends SimulatedRdsOptions {
  /** `vitestTimers(vi)` in vitest, `sinonTimers()` elsewhere. */
  timers: FakeTimers;
  /** Config input (flags/file shape); the gateway's waits come from its `wait` section. */
  config?: ConfigInput;
  /** Start of the virtual time line. */
  start?: Date;
}

export interface SimWorld {
  time: VirtualTime;
  sim: SimulatedRds;
  client: RDSClient;
  gateway: SdkRdsGateway;
  waits: WaitSettings;
  deps: SimServiceDeps;
  journal: MemoryJournal;
  locks: MemoryLockStore;
  controller: AbortController;
  /** Restores the real timers. */
  stop(): void;
}

export function simWorld(options: SimWorldOptions): SimWorld {
  const { timers, config: configInput, start, ...simOptions } = options;
  const time = new VirtualTime(timers, start);
  const sim = new SimulatedRds(simOptions);
  const client = simulatedRdsClient(sim);
  const config = configSchema.parse(configInput ?? {});
  const waits: WaitSettings = {
    minDelaySeconds: config.wait.minDelaySeconds,
    maxDelaySeconds: config.wait.maxDelaySeconds,
    maxWaitSeconds: config.wait.maxWaitMinutes * 60,
  };
  // This world's own budget, on its virtual clock (the gateway keeps a budget already installed).
  installRateBudget(client, new RateBudget({ ratePerSecond: config.rds.maxRequestsPerSecond }));
  const gateway = new SdkRdsGateway(client, waits);
  const journal = new MemoryJournal();
  const locks = new MemoryLockStore();
  const controller = new AbortController();
  const deps: SimServiceDeps = {
    rds: gateway,
    journal,
    locks,
    clock: time.clock,
    config,
    region: sim.region,
    signal: controller.signal,
    host: 'sim-host',
    pid: 4242,
  };
  return { time, sim, client, gateway, waits, deps, journal, locks, controller, stop: () => time.stop() };
}

/**
 * `db1`, a PostgreSQL 16 instance whose settings make a lost one visible (like the fake's
 * DB1_SETTINGS), and its snapshot `s1`. Storage is gp3 500 GiB: at or above 400 GiB the IOPS
 * and throughput it reports may be sent back (see sim-rules.ts, checkGp3).
 */
export function seedSampleInstance(sim: SimulatedRds, identifier = 'db1', snapshot = 's1'): void {
  sim.seedInstance({
    DBInstanceIdentifier: identifier,
    DBInstanceClass: 'db.r6g.large',
    AllocatedStorage: 500,
    StorageType: 'gp3',
    DBParameterGroups: [{ DBParameterGroupName: 'custom-pg', ParameterApplyStatus: 'in-sync' }],
    OptionGroupMemberships: [{ OptionGroupName: 'custom-og', Status: 'in-sync' }],
    VpcSecurityGroups: [
      { VpcSecurityGroupId: 'sg-1', Status: 'active' },
      { VpcSecurityGroupId: 'sg-2', Status: 'active' },
    ],
    DBSubnetGroup: { DBSubnetGroupName: 'private-subnets', VpcId: 'vpc-1', SubnetGroupStatus: 'Complete' },
    MultiAZ: true,
    DeletionProtection: true,
    IAMDatabaseAuthenticationEnabled: true,
    EnabledCloudwatchLogsExports: ['postgresql'],
    BackupRetentionPeriod: 14,
    PreferredBackupWindow: '03:00-04:00',
    PreferredMaintenanceWindow: 'sun:05:00-sun:06:00',
    MaxAllocatedStorage: 1000,
    MonitoringInterval: 60,
    MonitoringRoleArn: 'arn:aws:iam::123456789012:role/rds-monitoring',
    PerformanceInsightsEnabled: true,
    PerformanceInsightsRetentionPeriod: 7,
    TagList: [{ Key: 'team', Value: 'platform' }],
  });
  sim.seedSnapshot({ DBSnapshotIdentifier: snapshot, DBInstanceIdentifier: identifier });
}

/** Aurora PostgreSQL cluster `c1` with writer `c1-a` and readers `c1-b`, `c1-c`, and its snapshot `cs1`. */
export function seedSampleCluster(sim: SimulatedRds, identifier = 'c1', snapshot = 'cs1'): void {
  sim.seedCluster(
    {
      DBClusterIdentifier: identifier,
      DBClusterParameterGroup: 'custom-cpg',
      VpcSecurityGroups: [
        { VpcSecurityGroupId: 'sg-1', Status: 'active' },
        { VpcSecurityGroupId: 'sg-2', Status: 'active' },
      ],
      DeletionProtection: true,
      BackupRetentionPeriod: 7,
      PreferredBackupWindow: '02:00-03:00',
      TagList: [{ Key: 'team', Value: 'data' }],
    },
    [
      {
        DBInstanceIdentifier: `${identifier}-a`,
        writer: true,
        PromotionTier: 0,
        DBInstanceClass: 'db.r6g.large',
        PerformanceInsightsEnabled: true,
        PerformanceInsightsRetentionPeriod: 7,
      },
      { DBInstanceIdentifier: `${identifier}-b`, PromotionTier: 1, DBInstanceClass: 'db.r6g.large' },
      { DBInstanceIdentifier: `${identifier}-c`, PromotionTier: 2, DBInstanceClass: 'db.r6g.xlarge' },
    ],
  );
  sim.seedClusterSnapshot({ DBClusterSnapshotIdentifier: snapshot, DBClusterIdentifier: identifier });
}
