import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AddRoleToDBInstanceCommand,
  CreateDBClusterCommand,
  CreateDBClusterParameterGroupCommand,
  CreateDBInstanceCommand,
  CreateDBParameterGroupCommand,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RDSClient,
  type DBCluster,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { inject } from 'vitest';
import type { RunSummary } from '../../src/core/run-summary.js';

const root = path.resolve(import.meta.dirname, '../..');
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** The moto server's URL, started by the global setup. */
export const motoEndpoint = (): string => inject('motoEndpoint');

/** Forgets every resource moto holds, so each test starts from nothing. */
export async function resetMoto(): Promise<void> {
  const res = await fetch(`${motoEndpoint()}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: ${res.status}`);
}

/** An RDS client pointed at moto, for fixtures and assertions. */
export function rdsClient(): RDSClient {
  return new RDSClient({ endpoint: motoEndpoint(), region: 'us-east-1', credentials });
}

/** Options of a sample DB instance. */
export interface InstanceFixture {
  identifier: string;
  parameterGroup?: string;
  securityGroups?: string[];
  multiAZ?: boolean;
  deletionProtection?: boolean;
  tags?: Record<string, string>;
  /** RDS manages the master password in Secrets Manager (ManageMasterUserPassword). */
  manageMasterUserPassword?: boolean;
  /** IAM roles associated after the create (AddRoleToDBInstance). */
  roles?: { roleArn: string; featureName: string }[];
  /** Storage other than moto's default (20 GiB of gp2). */
  storage?: { type: string; allocated: number; iops?: number; throughput?: number };
}

/**
 * Creates a DB instance under a throwaway id, then renames it into place: moto fails creating
 * the same identifier twice within one UTC minute (after storing it), and tests reuse names.
 */
export async function createInstanceFixture(fixture: InstanceFixture): Promise<DBInstance> {
  const rds = rdsClient();
  if (fixture.parameterGroup) {
    await rds.send(
      new CreateDBParameterGroupCommand({
        DBParameterGroupName: fixture.parameterGroup,
        DBParameterGroupFamily: 'postgres16',
        Description: 'e2e',
      }),
    );
  }
  const throwaway = `seed-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: throwaway,
      DBInstanceClass: 'db.t3.micro',
      Engine: 'postgres',
      EngineVersion: '16.3',
      AllocatedStorage: fixture.storage?.allocated ?? 20,
      StorageType: fixture.storage?.type,
      Iops: fixture.storage?.iops,
      StorageThroughput: fixture.storage?.throughput,
      MasterUsername: 'admin1',
      ...(fixture.manageMasterUserPassword ? { ManageMasterUserPassword: true } : { MasterUserPassword: 'password-123456' }),
      DBParameterGroupName: fixture.parameterGroup,
      VpcSecurityGroupIds: fixture.securityGroups,
      MultiAZ: fixture.multiAZ,
      DeletionProtection: fixture.deletionProtection,
      Tags: Object.entries(fixture.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  await rds.send(
    new ModifyDBInstanceCommand({ DBInstanceIdentifier: throwaway, NewDBInstanceIdentifier: fixture.identifier, ApplyImmediately: true }),
  );
  for (const role of fixture.roles ?? []) {
    await rds.send(
      new AddRoleToDBInstanceCommand({ DBInstanceIdentifier: fixture.identifier, RoleArn: role.roleArn, FeatureName: role.featureName }),
    );
  }
  return (await describeInstance(fixture.identifier))!;
}

/** A DB instance as moto describes it, or undefined. */
export async function describeInstance(identifier: string): Promise<DBInstance | undefined> {
  try {
    return (await rdsClient().send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }))).DBInstances?.[0];
  } catch (error) {
    if ((error as Error).name === 'DBInstanceNotFoundFault') return undefined;
    throw error;
  }
}

/** Every DB instance identifier moto holds. */
export async function instanceIds(): Promise<string[]> {
  const out = await rdsClient().send(new DescribeDBInstancesCommand({}));
  return (out.DBInstances ?? []).map((d) => d.DBInstanceIdentifier ?? '').sort();
}

/** What the built CLI did. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  journalDir: string;
}

/** A fresh journal directory for one test. */
export const tempJournalDir = (): Promise<string> => mkdtemp(path.join(os.tmpdir(), 'trapheus-e2e-'));

/**
 * Runs the built `trapheus` binary as a child process against moto, as CI or cron would:
 * no terminal, AWS_ENDPOINT_URL and dummy credentials in the environment.
 */
export function runCli(args: string[], options: { journalDir: string; env?: Record<string, string>; cwd?: string }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/trapheus.js'), ...args], {
      cwd: options.cwd ?? options.journalDir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: options.journalDir,
        AWS_ENDPOINT_URL: motoEndpoint(),
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_EC2_METADATA_DISABLED: 'true',
        TRAPHEUS_JOURNAL_DIR: options.journalDir,
        TRAPHEUS_WAIT_MIN_DELAY_SECONDS: '0.2',
        TRAPHEUS_WAIT_MAX_DELAY_SECONDS: '1',
        TRAPHEUS_WAIT_MAX_MINUTES: '1',
        TRAPHEUS_RETRY_BASE_DELAY_SECONDS: '0.1',
        CI: 'true',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, journalDir: options.journalDir }));
  });
}

/** Options of a sample Aurora cluster with a writer and a reader. */
export interface ClusterFixture {
  identifier: string;
  writer: string;
  /** Absent: a cluster of the writer alone. */
  reader?: string | undefined;
  parameterGroup?: string;
  securityGroups?: string[];
  deletionProtection?: boolean;
  tags?: Record<string, string>;
}

/**
 * Creates an Aurora PostgreSQL cluster and its member instances, a writer and (unless left out) a
 * reader (the first created is the writer). Members are created under throwaway ids and renamed into place (see above).
 */
export async function createClusterFixture(fixture: ClusterFixture): Promise<void> {
  const rds = rdsClient();
  if (fixture.parameterGroup) {
    await rds.send(
      new CreateDBClusterParameterGroupCommand({
        DBClusterParameterGroupName: fixture.parameterGroup,
        DBParameterGroupFamily: 'aurora-postgresql16',
        Description: 'e2e',
      }),
    );
  }
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: fixture.identifier,
      Engine: 'aurora-postgresql',
      EngineVersion: '16.3',
      MasterUsername: 'admin1',
      MasterUserPassword: 'password-123456',
      DBClusterParameterGroupName: fixture.parameterGroup,
      VpcSecurityGroupIds: fixture.securityGroups,
      DeletionProtection: fixture.deletionProtection,
      Tags: Object.entries(fixture.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  // moto names the cluster's automated snapshot after the cluster and the UTC minute, and fails a
  // restore under the same name in the same minute; real RDS has no such clash. Drop it.
  const automated = await rds.send(
    new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: fixture.identifier, SnapshotType: 'automated' }),
  );
  for (const snap of automated.DBClusterSnapshots ?? []) {
    await rds.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: snap.DBClusterSnapshotIdentifier }));
  }
  for (const member of fixture.reader === undefined ? [fixture.writer] : [fixture.writer, fixture.reader]) {
    const throwaway = `seed-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: throwaway,
        DBClusterIdentifier: fixture.identifier,
        DBInstanceClass: 'db.r6g.large',
        Engine: 'aurora-postgresql',
      }),
    );
    await rds.send(
      new ModifyDBInstanceCommand({ DBInstanceIdentifier: throwaway, NewDBInstanceIdentifier: member, ApplyImmediately: true }),
    );
  }
}

/** A DB cluster as moto describes it, or undefined. */
export async function describeCluster(identifier: string): Promise<DBCluster | undefined> {
  try {
    return (await rdsClient().send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }))).DBClusters?.[0];
  } catch (error) {
    if ((error as Error).name === 'DBClusterNotFoundFault') return undefined;
    throw error;
  }
}

/** Every DB cluster identifier moto holds. */
export async function clusterIds(): Promise<string[]> {
  const out = await rdsClient().send(new DescribeDBClustersCommand({}));
  return (out.DBClusters ?? []).map((c) => c.DBClusterIdentifier ?? '').sort();
}

/**
 * A single run's `--json` document as the CLI prints it (src/cli/json-documents.ts
 * runJsonDocument): the run's summary, the document's version, and status `error` for a failed
 * preflight.
 */
export type RunJson = Omit<RunSummary, 'status'> & {
  schemaVersion: number;
  runCommand?: string;
  status: RunSummary['status'] | 'error';
};
