import { describe, expect, it } from 'vitest';
import type { ClusterConfig, InstanceConfig } from '../../src/core/rds-resources.js';
import { clusterSettings, memberSettings } from '../../src/workflows/kinds/aurora-cluster/cluster-settings.js';
import { instanceSettings } from '../../src/workflows/kinds/instance/instance-settings.js';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { defaultClusterConfig, defaultInstanceConfig } from '../fakes/fake-rds.js';
import { clusterWorld } from './cluster-world.js';
import { DB1_SETTINGS, instanceWorld } from './instance-world.js';

const ROLE_S3 = { roleArn: 'arn:aws:iam::123456789012:role/s3-import', featureName: 's3Import' };
const ROLE_LAMBDA = { roleArn: 'arn:aws:iam::123456789012:role/lambda', featureName: 'Lambda' };

/** Instance settings a restore used to lose, each set away from RDS's default. */
const INSTANCE_EXTRA = {
  engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
  networkType: 'DUAL',
  databaseInsightsMode: 'advanced',
  performanceInsightsRetentionPeriod: 465,
  dedicatedLogVolume: true,
  processorFeatures: [
    { name: 'coreCount', value: '4' },
    { name: 'threadsPerCore', value: '1' },
  ],
  domain: { domain: 'd-1234567890', fqdn: 'corp.example.com', iamRoleName: 'rds-directory' },
  associatedRoles: [ROLE_S3, ROLE_LAMBDA],
} satisfies Partial<InstanceConfig>;

/** Cluster settings a restore used to lose. */
const CLUSTER_EXTRA = {
  engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
  networkType: 'DUAL',
  databaseInsightsMode: 'advanced',
  domain: { domain: 'd-1234567890', fqdn: 'corp.example.com', iamRoleName: 'rds-directory' },
  associatedRoles: [ROLE_S3],
  httpEndpointEnabled: true,
  localWriteForwarding: true,
  serverlessV2Scaling: { minCapacity: 0, maxCapacity: 8, secondsUntilAutoPause: 900 },
} satisfies Partial<ClusterConfig>;

function worldWithInstance(strategy: 'swap' | 'rename-first') {
  const world = instanceWorld({ restore: { strategy } });
  world.rds.removeInstance('db1');
  world.rds.addInstance({ identifier: 'db1', ...DB1_SETTINGS, ...INSTANCE_EXTRA });
  return world;
}

async function run(world: { deps: Parameters<typeof prepareRestore>[0] }, identifier: string, kind: 'instance' | 'aurora-cluster') {
  const prepared = await prepareRestore(world.deps, {
    identifier,
    kind,
    freshSnapshot: false,
    snapshot: kind === 'instance' ? 's1' : 'cs1',
  });
  expect(prepared.ok, JSON.stringify(prepared.summary.preflight)).toBe(true);
  return prepared.start();
}

describe.each(['swap', 'rename-first'] as const)('instance settings a restore used to lose (%s)', (strategy) => {
  const copy = strategy === 'swap' ? 'db1-restoring' : 'db1';

  it('carries Extended Support, network type, Database Insights, DLV, processor features, directory and IAM roles', async () => {
    const world = worldWithInstance(strategy);
    const { outcome, summary } = await run(world, 'db1', 'instance');
    expect(outcome.status).toBe('succeeded');
    expect(summary.configDifferences).toEqual([]);
    const db1 = await world.rds.describeInstance('db1');
    expect(db1?.config).toMatchObject(INSTANCE_EXTRA);

    const onCopy = world.rds.calls.filter((c) => c.args[0] === copy);
    const roles = onCopy.filter((c) => c.verb === 'addRoleToInstance').map((c) => c.args[1]);
    expect(roles).toEqual([ROLE_S3, ROLE_LAMBDA]);
    // The roles go first, while the copy is available; then one ModifyDBInstance.
    const firstModify = onCopy.findIndex((c) => c.verb === 'modifyInstance');
    expect(onCopy.findIndex((c) => c.verb === 'addRoleToInstance')).toBeLessThan(firstModify);
    expect(onCopy[firstModify]?.args[1]).toMatchObject({
      databaseInsightsMode: 'advanced',
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: 465,
    });
    expect(onCopy[firstModify]?.args[1]).not.toHaveProperty('associatedRoles');
  });

  it('reports a setting the restore did not keep as a difference', async () => {
    const world = worldWithInstance(strategy);
    world.rds.restoreIgnores = ['networkType', 'engineLifecycleSupport'];
    const { outcome, summary } = await run(world, 'db1', 'instance');
    expect(outcome.status).toBe('succeeded');
    expect(summary.configDifferences).toEqual(
      expect.arrayContaining([
        { resource: 'db1', setting: 'networkType', expected: 'DUAL', actual: 'IPV4' },
        {
          resource: 'db1',
          setting: 'engineLifecycleSupport',
          expected: 'open-source-rds-extended-support-disabled',
          actual: 'open-source-rds-extended-support',
        },
      ]),
    );
  });
});

describe.each(['swap', 'rename-first'] as const)('Aurora settings a restore used to lose (%s)', (strategy) => {
  const copy = strategy === 'swap' ? 'c1-restoring' : 'c1';

  it('carries the cluster settings and each member maintenance window', async () => {
    const world = clusterWorld({ restore: { strategy } });
    Object.assign(world.rds.clusters.get('c1')!.config, CLUSTER_EXTRA);
    world.rds.instances.get('c1-a')!.config.preferredMaintenanceWindow = 'sun:05:00-sun:05:30';
    world.rds.instances.get('c1-b')!.config.preferredMaintenanceWindow = 'tue:05:00-tue:05:30';
    const { outcome, summary } = await run(world, 'c1', 'aurora-cluster');
    expect(outcome.status).toBe('succeeded');
    expect(summary.configDifferences).toEqual([]);
    expect((await world.rds.describeCluster('c1'))?.config).toMatchObject(CLUSTER_EXTRA);
    expect((await world.rds.describeInstance('c1-a'))?.config.preferredMaintenanceWindow).toBe('sun:05:00-sun:05:30');
    expect((await world.rds.describeInstance('c1-b'))?.config.preferredMaintenanceWindow).toBe('tue:05:00-tue:05:30');

    const onCopy = world.rds.calls.filter((c) => c.args[0] === copy);
    const dataApi = onCopy.findIndex((c) => c.verb === 'setClusterDataApi');
    const modify = onCopy.findIndex((c) => c.verb === 'modifyCluster');
    expect(onCopy[dataApi]?.args).toEqual([copy, true]);
    expect(dataApi).toBeLessThan(modify);
    expect(onCopy[modify]?.args[1]).toMatchObject({ databaseInsightsMode: 'advanced', localWriteForwarding: true });
    // What the restore call took is not modified again.
    expect(onCopy[modify]?.args[1]).not.toHaveProperty('networkType');
    expect(world.rds.calls.find((c) => c.verb === 'restoreCluster')?.args[0]).toMatchObject({ config: CLUSTER_EXTRA });
  });
});

describe('what apply-settings asks for, and a rerun', () => {
  it('adds only the IAM roles the copy lacks', () => {
    const wanted = defaultInstanceConfig({ associatedRoles: [ROLE_S3, ROLE_LAMBDA] });
    expect(instanceSettings.pending(wanted, defaultInstanceConfig({ associatedRoles: [ROLE_S3] }))).toEqual({
      associatedRoles: [ROLE_LAMBDA],
    });
    expect(instanceSettings.pending(wanted, wanted)).toEqual({});
  });

  it('turns on a managed master secret only where the copy has none, and verifies its KMS key, not its ARN', () => {
    const secret = { secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-old', kmsKeyId: 'key-1' };
    const wanted = defaultInstanceConfig({ masterUserSecret: secret });
    expect(instanceSettings.pending(wanted, defaultInstanceConfig())).toEqual({ masterUserSecret: secret });
    const renewed = defaultInstanceConfig({ masterUserSecret: { secretArn: 'arn:…:rds!db-new', kmsKeyId: 'key-1' } });
    expect(instanceSettings.pending(wanted, renewed)).toEqual({});
    expect(instanceSettings.diff('db1', wanted, renewed)).toEqual([]);
    expect(
      instanceSettings.diff('db1', wanted, defaultInstanceConfig({ masterUserSecret: { secretArn: 'x', kmsKeyId: 'key-2' } })),
    ).toEqual([{ resource: 'db1', setting: 'masterUserSecret', expected: { kmsKeyId: 'key-1' }, actual: { kmsKeyId: 'key-2' } }]);
  });

  it('asks for nothing on a cluster or member that already has every setting', () => {
    const cluster = defaultClusterConfig(CLUSTER_EXTRA);
    expect(clusterSettings.pending(cluster, cluster)).toEqual({});
    const member = defaultInstanceConfig({ engine: 'aurora-postgresql', preferredMaintenanceWindow: 'sun:05:00-sun:05:30' });
    expect(memberSettings.pending(member, member)).toEqual({});
    expect(memberSettings.pending(member, { ...member, preferredMaintenanceWindow: 'wed:01:00-wed:01:30' })).toEqual({
      preferredMaintenanceWindow: 'sun:05:00-sun:05:30',
    });
  });

  it('loads a configuration journaled before these settings were captured', async () => {
    const { instanceConfigSchema, clusterConfigSchema } = await import('../../src/core/rds-resources.js');
    const old = (config: object, keys: string[]) => Object.fromEntries(Object.entries(config).filter(([k]) => !keys.includes(k)));
    const newKeys = [...Object.keys(INSTANCE_EXTRA), 'masterUserSecret'];
    expect(instanceConfigSchema.safeParse(old(defaultInstanceConfig(), newKeys)).success).toBe(true);
    expect(clusterConfigSchema.safeParse(old(defaultClusterConfig(), [...Object.keys(CLUSTER_EXTRA), 'masterUserSecret'])).success).toBe(
      true,
    );
  });
});
