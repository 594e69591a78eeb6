import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RdsGateway } from '../../src/aws/rds-gateway.js';
import {
  createMemberInput,
  modifyClusterInput,
  modifyInstanceInput,
  restoreClusterInput,
  restoreInstanceInput,
} from '../../src/aws/rds-requests.js';
import {
  clusterConfigSchema,
  instanceConfigSchema,
  type ClusterConfig,
  type InstanceConfig,
  type InstanceInfo,
} from '../../src/core/rds-resources.js';
import {
  CLUSTER_APPLIED,
  CLUSTER_FROM_SNAPSHOT,
  CLUSTER_RESTORED,
  CLUSTER_VERIFIED,
  MEMBER_APPLIED,
  MEMBER_CREATED,
  MEMBER_VERIFIED,
} from '../../src/workflows/kinds/aurora-cluster/cluster-settings.js';
import {
  INSTANCE_APPLIED,
  INSTANCE_FROM_SNAPSHOT,
  INSTANCE_RESTORED,
  INSTANCE_VERIFIED,
} from '../../src/workflows/kinds/instance/instance-settings.js';
import { clusterOps, instanceOps } from '../../src/workflows/resources/resource-ops.js';
import { OPT_IN_SETTINGS } from '../../src/workflows/resources/settings-diff.js';

/**
 * The README's "Settings carried over" table says, per setting, how instances, clusters and
 * members carry it. It is checked here against the lists in code, and the lists against the
 * request builders: a setting listed as sent by a call is sent by it, and no other is.
 */

const INSTANCE_KEYS = Object.keys(instanceConfigSchema.shape) as (keyof InstanceConfig)[];
const CLUSTER_KEYS = Object.keys(clusterConfigSchema.shape) as (keyof ClusterConfig)[];

/** How one scope (a column of the table) carries its settings, as the code says. */
interface Scope {
  column: string;
  keys: readonly string[];
  lists: Record<string, readonly string[]>;
}

const SCOPES: Scope[] = [
  {
    column: 'instances',
    keys: INSTANCE_KEYS,
    lists: { restore: INSTANCE_RESTORED, snapshot: INSTANCE_FROM_SNAPSHOT, modify: INSTANCE_APPLIED, verified: INSTANCE_VERIFIED },
  },
  {
    column: 'Aurora clusters',
    keys: CLUSTER_KEYS,
    lists: { restore: CLUSTER_RESTORED, snapshot: CLUSTER_FROM_SNAPSHOT, modify: CLUSTER_APPLIED, verified: CLUSTER_VERIFIED },
  },
  { column: 'Aurora members', keys: INSTANCE_KEYS, lists: { create: MEMBER_CREATED, modify: MEMBER_APPLIED, verified: MEMBER_VERIFIED } },
];

/** The cell the code implies for one setting in one scope. */
function expectedCell(scope: Scope, key: string): string[] {
  if (!scope.keys.includes(key)) return ['n/a'];
  const tokens = Object.entries(scope.lists).flatMap(([token, list]) => (list.includes(key) ? [token] : []));
  if (tokens.includes('modify') && (OPT_IN_SETTINGS as readonly string[]).includes(key)) tokens.push('opt-in');
  return tokens.length > 0 ? tokens.sort() : ['—'];
}

/** The table under "### Settings carried over": one row per setting, cells by column name. */
async function readmeTable(): Promise<Map<string, Record<string, string>>> {
  const readme = await readFile(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const section = readme.split('\n### Settings carried over\n')[1];
  if (!section) throw new Error('README has no "### Settings carried over" section');
  const lines = section.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows = lines.slice(
    start,
    lines.findIndex((l, i) => i > start && !l.startsWith('|')),
  );
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  const header = cells(rows[0]!);
  const table = new Map<string, Record<string, string>>();
  for (const row of rows.slice(2)) {
    const values = Object.fromEntries(header.map((name, i) => [name, cells(row)[i] ?? '']));
    const key = /^`(\w+)`$/.exec(values.setting ?? '')?.[1];
    if (!key) throw new Error(`README table row without a setting: ${row}`);
    if (table.has(key)) throw new Error(`README table lists ${key} twice`);
    table.set(key, values);
  }
  return table;
}

describe('the README table of settings carried over', () => {
  it('has one row for every captured setting, and no other', async () => {
    const table = await readmeTable();
    expect([...table.keys()].sort()).toEqual([...new Set([...INSTANCE_KEYS, ...CLUSTER_KEYS])].sort());
  });

  it.each(SCOPES.map((s) => [s.column, s] as const))('says what the code does, column "%s"', async (column, scope) => {
    const table = await readmeTable();
    const wrong = [...table].flatMap(([key, row]) => {
      const said = (row[column] ?? '')
        .split(',')
        .map((t) => t.trim())
        .sort();
      const done = expectedCell(scope, key);
      return JSON.stringify(said) === JSON.stringify(done)
        ? []
        : [`${key}: README says "${said.join(', ')}", code does "${done.join(', ')}"`];
    });
    expect(wrong).toEqual([]);
  });

  it('explains every setting that is not carried somewhere', async () => {
    const table = await readmeTable();
    const unexplained = [...table].filter(([, row]) => SCOPES.some((s) => row[s.column] === '—') && !row['not carried, and why']);
    expect(unexplained.map(([key]) => key)).toEqual([]);
  });
});

// ---- the lists against the request builders -----------------------------------------------

const INSTANCE: InstanceConfig = {
  instanceClass: 'db.r6g.large',
  engine: 'postgres',
  engineVersion: '16.3',
  dbSubnetGroupName: 'private',
  vpcSecurityGroupIds: ['sg-1'],
  dbParameterGroupName: 'pg',
  optionGroupName: 'og',
  multiAZ: false,
  availabilityZone: 'us-east-1a',
  port: 5432,
  storageType: 'gp3',
  allocatedStorage: 500,
  iops: 12000,
  storageThroughput: 500,
  maxAllocatedStorage: 1000,
  publiclyAccessible: false,
  deletionProtection: true,
  iamDatabaseAuthentication: true,
  cloudwatchLogsExports: ['postgresql'],
  copyTagsToSnapshot: true,
  autoMinorVersionUpgrade: true,
  backupRetentionPeriod: 7,
  preferredBackupWindow: '03:00-03:30',
  preferredMaintenanceWindow: 'sun:05:00-sun:05:30',
  caCertificateIdentifier: 'rds-ca-rsa2048-g1',
  monitoringInterval: 60,
  monitoringRoleArn: 'arn:aws:iam::123456789012:role/monitoring',
  performanceInsightsEnabled: true,
  performanceInsightsKmsKeyId: 'key-pi',
  performanceInsightsRetentionPeriod: 7,
  tags: [{ key: 'team', value: 'a' }],
  engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
  networkType: 'DUAL',
  databaseInsightsMode: 'standard',
  dedicatedLogVolume: true,
  processorFeatures: [{ name: 'coreCount', value: '4' }],
  domain: { domain: 'd-1234567890', iamRoleName: 'rds-ad' },
  associatedRoles: [{ roleArn: 'arn:aws:iam::123456789012:role/a', featureName: 's3Import' }],
  masterUserSecret: { secretArn: 'arn:secret:a', kmsKeyId: 'key-a' },
};

const CLUSTER: ClusterConfig = {
  engine: 'aurora-postgresql',
  engineVersion: '16.3',
  engineMode: 'provisioned',
  port: 5432,
  dbSubnetGroupName: 'private',
  vpcSecurityGroupIds: ['sg-1'],
  dbClusterParameterGroupName: 'cpg',
  deletionProtection: true,
  iamDatabaseAuthentication: true,
  cloudwatchLogsExports: ['postgresql'],
  backtrackWindow: 3600,
  backupRetentionPeriod: 7,
  preferredBackupWindow: '03:00-03:30',
  preferredMaintenanceWindow: 'sun:05:00-sun:05:30',
  copyTagsToSnapshot: true,
  storageType: 'aurora-iopt1',
  serverlessV2Scaling: { minCapacity: 0, maxCapacity: 8, secondsUntilAutoPause: 900 },
  kmsKeyId: 'key-c',
  databaseName: 'app',
  tags: [{ key: 'team', value: 'a' }],
  engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
  networkType: 'DUAL',
  databaseInsightsMode: 'standard',
  domain: { domain: 'd-1234567890', iamRoleName: 'rds-ad' },
  associatedRoles: [{ roleArn: 'arn:aws:iam::123456789012:role/a', featureName: 's3Import' }],
  httpEndpointEnabled: true,
  localWriteForwarding: true,
  masterUserSecret: { secretArn: 'arn:secret:c', kmsKeyId: 'key-c' },
};

/** Another valid value of a setting. */
function other(value: unknown): unknown {
  if (typeof value === 'string') return value === 'standard' ? 'advanced' : `${value}x`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value))
    return [...(value as unknown[]), typeof value[0] === 'string' ? 'extra' : { ...(value[0] as object), extra: 1 }];
  const entries = Object.entries(value as object);
  return Object.fromEntries(entries.map(([k, v], i) => [k, i === 0 ? other(v) : v]));
}

/** The keys among `keys` whose change changes the request `build` makes of `base`. */
function sentKeys<C extends object>(keys: readonly (keyof C)[], base: C, build: (config: C) => object): string[] {
  const before = JSON.stringify(build(base));
  return keys.filter((key) => JSON.stringify(build({ ...base, [key]: other(base[key]) })) !== before).map(String);
}

const sorted = (list: readonly string[]) => [...new Set(list)].sort();

describe('the lists of settings against the calls that carry them', () => {
  it('RestoreDBInstanceFromDBSnapshot sends exactly the instance settings listed as restored', () => {
    const sent = sentKeys(INSTANCE_KEYS, INSTANCE, (config) =>
      restoreInstanceInput({ identifier: 'db1', snapshotIdentifier: 's1', config }),
    );
    // The snapshot decides the engine; the engine only decides which parameters apply.
    expect(sorted(sent.filter((k) => !(INSTANCE_FROM_SNAPSHOT as readonly string[]).includes(k)))).toEqual(sorted(INSTANCE_RESTORED));
  });

  it('RestoreDBClusterFromSnapshot sends exactly the cluster settings listed as restored', () => {
    const sent = sentKeys(CLUSTER_KEYS, CLUSTER, (config) => restoreClusterInput({ identifier: 'c1', snapshotIdentifier: 'cs1', config }));
    expect(sorted(sent)).toEqual(sorted(CLUSTER_RESTORED));
  });

  it("a member's CreateDBInstance sends exactly the member settings listed as created", () => {
    const member = { ...INSTANCE, engine: 'aurora-postgresql' };
    const sent = sentKeys(INSTANCE_KEYS, member, (config) => createMemberInput({ identifier: 'c1-a', clusterIdentifier: 'c1', config }));
    expect(sorted(sent)).toEqual(sorted(MEMBER_CREATED));
  });

  it('ModifyDBInstance sends every instance and member setting listed as applied, IAM roles through AddRoleToDBInstance', async () => {
    const described = { config: INSTANCE } as InstanceInfo;
    const unsent = sorted([...INSTANCE_APPLIED, ...MEMBER_APPLIED]).filter((key) => {
      const input = modifyInstanceInput('db1', { [key]: other(INSTANCE[key as keyof InstanceConfig]) }, described);
      return Object.values(input).filter((v) => v !== undefined).length <= 2;
    });
    expect(unsent).toEqual(['associatedRoles']);
    const calls: string[] = [];
    const rds = { addRoleToInstance: () => void calls.push('addRoleToInstance') } as unknown as RdsGateway;
    await instanceOps(rds).modify('db1', { associatedRoles: INSTANCE.associatedRoles });
    expect(calls).toEqual(['addRoleToInstance']);
  });

  it('ModifyDBCluster sends every cluster setting listed as applied, the Data API through EnableHttpEndpoint', async () => {
    const unsent = CLUSTER_APPLIED.filter((key) => {
      const input = modifyClusterInput('c1', { [key]: other(CLUSTER[key]) });
      return Object.values(input).filter((v) => v !== undefined).length <= 2;
    });
    expect(unsent).toEqual(['httpEndpointEnabled']);
    const calls: unknown[][] = [];
    const rds = { setClusterDataApi: (...args: unknown[]) => void calls.push(args) } as unknown as RdsGateway;
    await clusterOps(rds).modify('c1', { httpEndpointEnabled: true });
    expect(calls).toEqual([['c1', true]]);
  });
});
