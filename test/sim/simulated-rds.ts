/**
 * An in-memory Amazon RDS at the level of its API: commands in, SDK-shaped answers or RDS's
 * errors out, on a virtual clock, with the states and rules of real RDS (see sim-rules.ts and
 * the handler modules, each rule with its source). Put it behind an `RDSClient` with
 * `installSimulatedRds` so the production gateway runs against it.
 */
import {
  copyClusterSnapshot,
  copySnapshot,
  describeShared,
  describeSharedCluster,
  seedSharedClusterSnapshot,
  seedSharedSnapshot,
  sharedSnapshots,
  type SharedSnapshots,
} from './sim-copies.js';
import type { BlueGreenDeployment, DBCluster, DBInstance } from '@aws-sdk/client-rds';
import { isTerminal } from '../../src/core/rds-status.js';
import { accountAttributes, addTags, describeBlueGreen, listTags, removeTags } from './sim-account.js';
import { restoreCluster } from './sim-cluster-restore.js';
import { deleteCluster, describeClusters, failoverCluster, modifyCluster, viewCluster } from './sim-clusters.js';
import { createEndpoint, deleteEndpoint, describeEndpoints } from './sim-endpoints.js';
import { addInstanceRole, setHttpEndpoint } from './sim-extras.js';
import { faultError, SimFaults } from './sim-faults.js';
import { deleteInstance, modifyInstance } from './sim-instance-changes.js';
import { createMember, describeInstances, rebootInstance, restoreInstance, viewInstance } from './sim-instances.js';
import {
  seedCluster,
  seedClusterSnapshot,
  seedInstance,
  seedSnapshot,
  type ClusterSeed,
  type InstanceSeed,
  type MemberSeed,
} from './sim-seed.js';
import {
  describeAutomatedBackups,
  describeSnapshotAttributes,
  modifySnapshotAttribute,
  restoreClusterToTime,
  restoreInstanceToTime,
  withClusterWindows,
  withInstanceWindows,
  type PointInTimeRestore,
} from './sim-pitr.js';
import { setClusterStatus, setInstanceStatus } from './sim-shapes.js';
import {
  createClusterSnapshot,
  createSnapshot,
  deleteClusterSnapshot,
  deleteSnapshot,
  describeClusterSnapshots,
  describeSnapshots,
} from './sim-snapshots.js';
import { SimStore, type AutomatedBackupsFate } from './sim-store.js';
import { DEFAULT_TIMINGS, type SimTimings } from './sim-timings.js';

/** Options of a simulated account and region. */
export interface SimulatedRdsOptions {
  /** Virtual time in ms; default `Date.now` (made virtual by fake timers, see virtual-time.ts). */
  now?: () => number;
  timings?: Partial<SimTimings>;
  region?: string;
  accountId?: string;
  /** RestoreDBClusterFromSnapshot without EngineVersion uses the region's default version of the engine; default: the snapshot's. */
  defaultEngineVersions?: Record<string, string>;
}

/** One request as RDS saw it (each SDK attempt is one), and how it ended. */
export interface SimCall {
  command: string;
  input: Record<string, unknown>;
  /** Virtual time of the request. */
  at: Date;
  /** `ok`, the error code RDS answered with, `fault:<code>` (injected, nothing happened) or `answer-lost`. */
  outcome: string;
}

type Handler = (input: never) => unknown;

const READ_ONLY = /^(Describe|List)/;

/** The simulated RDS; see the module comment. */
export class SimulatedRds {
  readonly store: SimStore;
  readonly faults = new SimFaults();
  readonly calls: SimCall[] = [];
  /** Every point-in-time restore performed: whose data, as of when (sim-pitr.ts). */
  readonly pointInTimeRestores: PointInTimeRestore[] = [];
  private restoreOutcome = 'available';
  private readonly handlers: Record<string, Handler>;
  /** Snapshots other accounts (or regions) share with this one, and the copy requests received (sim-copies.ts). */
  readonly shared: SharedSnapshots = sharedSnapshots();

  constructor(private readonly options: SimulatedRdsOptions = {}) {
    this.store = new SimStore({
      now: options.now ?? (() => Date.now()),
      region: options.region ?? 'us-east-1',
      accountId: options.accountId ?? '123456789012',
      timings: { ...DEFAULT_TIMINGS, ...options.timings },
    });
    const s = this.store;
    const defaultVersion = (engine: string) => this.options.defaultEngineVersions?.[engine];
    this.handlers = {
      DescribeDBInstances: (i) => withInstanceWindows(s, describeInstances(s, i)),
      DescribeDBInstanceAutomatedBackups: (i) => describeAutomatedBackups(s, i),
      RestoreDBInstanceToPointInTime: (i) => restoreInstanceToTime(s, i, this.restoreOutcome, this.pointInTimeRestores),
      RestoreDBClusterToPointInTime: (i) => restoreClusterToTime(s, i, this.restoreOutcome, this.pointInTimeRestores),
      ModifyDBSnapshotAttribute: (i) => modifySnapshotAttribute(s, 'instance', i),
      ModifyDBClusterSnapshotAttribute: (i) => modifySnapshotAttribute(s, 'cluster', i),
      DescribeDBSnapshotAttributes: (i) => describeSnapshotAttributes(s, 'instance', i),
      DescribeDBClusterSnapshotAttributes: (i) => describeSnapshotAttributes(s, 'cluster', i),
      RestoreDBInstanceFromDBSnapshot: (i) => restoreInstance(s, i, this.restoreOutcome),
      CreateDBInstance: (i) => createMember(s, i),
      ModifyDBInstance: (i) => modifyInstance(s, i),
      RebootDBInstance: (i) => rebootInstance(s, i),
      DeleteDBInstance: (i) => deleteInstance(s, i),
      DescribeDBClusters: (i) => withClusterWindows(s, describeClusters(s, i)),
      RestoreDBClusterFromSnapshot: (i) => restoreCluster(s, i, this.restoreOutcome, defaultVersion),
      ModifyDBCluster: (i) => modifyCluster(s, i),
      FailoverDBCluster: (i) => failoverCluster(s, i),
      DeleteDBCluster: (i) => deleteCluster(s, i),
      DescribeDBClusterEndpoints: (i) => describeEndpoints(s, i),
      CreateDBClusterEndpoint: (i) => createEndpoint(s, i),
      DeleteDBClusterEndpoint: (i) => deleteEndpoint(s, i),
      DescribeDBSnapshots: (i) => describeShared(this.shared, i) ?? describeSnapshots(s, i),
      DescribeDBClusterSnapshots: (i) => describeSharedCluster(this.shared, i) ?? describeClusterSnapshots(s, i),
      CopyDBSnapshot: (i) => copySnapshot(s, this.shared, i),
      CopyDBClusterSnapshot: (i) => copyClusterSnapshot(s, this.shared, i),
      CreateDBSnapshot: (i) => createSnapshot(s, i),
      CreateDBClusterSnapshot: (i) => createClusterSnapshot(s, i),
      DeleteDBSnapshot: (i) => deleteSnapshot(s, i),
      DeleteDBClusterSnapshot: (i) => deleteClusterSnapshot(s, i),
      AddRoleToDBInstance: (i) => addInstanceRole(s, i),
      EnableHttpEndpoint: (i) => setHttpEndpoint(s, i, true),
      DisableHttpEndpoint: (i) => setHttpEndpoint(s, i, false),
      ListTagsForResource: (i) => listTags(s, i),
      AddTagsToResource: (i) => addTags(s, i),
      RemoveTagsFromResource: (i) => removeTags(s, i),
      DescribeAccountAttributes: () => accountAttributes(s),
      DescribeBlueGreenDeployments: (i) => describeBlueGreen(s, i),
    };
  }

  get region(): string {
    return this.store.options.region;
  }

  get timings(): SimTimings {
    return this.store.timings;
  }

  /** The commands this simulation answers. */
  get commands(): string[] {
    return Object.keys(this.handlers);
  }

  /**
   * Answers one request (`command` without the `Command` suffix, e.g. `ModifyDBInstance`): the
   * output object, or throws an `RdsServiceError` (RDS's answer) or a network error (a fault).
   */
  handle(command: string, input: object): unknown {
    const request = structuredClone(input) as Record<string, unknown>;
    const call: SimCall = { command, input: request, at: new Date(this.store.now()), outcome: 'ok' };
    this.calls.push(call);
    this.store.advance();
    const handler = this.handlers[command];
    if (!handler) throw new Error(`SimulatedRds does not simulate ${command}.`);
    const injected = this.faults.take('fail', command, request);
    if (injected !== undefined) {
      call.outcome = `fault:${typeof injected === 'string' ? injected : injected.code}`;
      throw faultError(injected);
    }
    let output: unknown;
    try {
      output = handler(structuredClone(request) as never);
    } catch (error) {
      call.outcome = error instanceof Error && 'code' in error ? String(error.code) : 'error';
      throw error;
    }
    const lost = this.faults.take('lose-answer', command, request);
    if (lost !== undefined) {
      call.outcome = 'answer-lost';
      throw faultError(lost);
    }
    return output;
  }

  /** Applies every transition due by now (requests do this themselves). */
  advance(): void {
    this.store.advance();
  }

  // ---- seeding -------------------------------------------------------------------------------

  /** An existing instance (default: available, postgres 16.3, gp3 20 GiB…); fields given override. */
  seedInstance(seed: InstanceSeed): DBInstance {
    return viewInstance(seedInstance(this.store, seed));
  }

  /** An existing cluster (default: Aurora PostgreSQL) with its members; the first (or `writer: true`) is the writer. */
  seedCluster(seed: ClusterSeed, members: MemberSeed[] = []): DBCluster {
    return viewCluster(this.store, seedCluster(this.store, seed, members));
  }

  seedSnapshot(seed: Parameters<typeof seedSnapshot>[1]) {
    return seedSnapshot(this.store, seed);
  }

  /** A snapshot of another account or region under `arn`, shared with this account. */
  seedSharedSnapshot(arn: string, seed: Parameters<typeof seedSharedSnapshot>[3]) {
    seedSharedSnapshot(this.store, this.shared, arn, seed);
  }

  seedSharedClusterSnapshot(arn: string, seed: Parameters<typeof seedSharedClusterSnapshot>[3]) {
    seedSharedClusterSnapshot(this.store, this.shared, arn, seed);
  }

  seedClusterSnapshot(seed: Parameters<typeof seedClusterSnapshot>[1]) {
    return seedClusterSnapshot(this.store, seed);
  }

  addParameterGroup(name: string, family: string): void {
    this.store.parameterGroups.set(name, family);
  }

  addClusterParameterGroup(name: string, family: string): void {
    this.store.clusterParameterGroups.set(name, family);
  }

  addSubnetGroup(name: string): void {
    this.store.subnetGroups.add(name);
  }

  addBlueGreenDeployment(deployment: BlueGreenDeployment): void {
    this.store.blueGreenDeployments.push(structuredClone(deployment));
  }

  setQuotas(quotas: Partial<SimStore['quotas']>): void {
    Object.assign(this.store.quotas, quotas);
  }

  /** Forces a status now (e.g. `failed`, `stopped`, `storage-full`). */
  setStatus(kind: 'instance' | 'cluster', identifier: string, status: string): void {
    this.store.advance();
    if (kind === 'instance') {
      const record = this.store.instance(identifier);
      if (!record) throw new Error(`No instance ${identifier}.`);
      this.store.restart(record);
      setInstanceStatus(this.store, record, status);
    } else {
      const record = this.store.cluster(identifier);
      if (!record) throw new Error(`No cluster ${identifier}.`);
      this.store.restart(record);
      setClusterStatus(this.store, record, status);
    }
  }

  /** Restores (instances and clusters) end in `status`, which must be terminal (rds-status.ts), instead of `available`. */
  failRestoresWith(status: string): void {
    if (!isTerminal(status)) throw new Error(`${status} is not a terminal status.`);
    this.restoreOutcome = status;
  }

  // ---- looking inside (tests) ---------------------------------------------------------------

  /** The instance as DescribeDBInstances would show it now, if it exists. */
  instance(identifier: string): DBInstance | undefined {
    this.store.advance();
    const record = this.store.instance(identifier);
    return record && viewInstance(record);
  }

  cluster(identifier: string): DBCluster | undefined {
    this.store.advance();
    const record = this.store.cluster(identifier);
    return record && viewCluster(this.store, record);
  }

  /**
   * When an instance or cluster last reached `status` (ms of virtual time), under `identifier`
   * (its name at that moment): how long after it a wait noticed is the detection lag.
   */
  reachedAt(kind: 'instance' | 'cluster', identifier: string, status: string): number | undefined {
    this.store.advance();
    return this.store.statusLog.findLast((c) => c.kind === kind && c.identifier === identifier && c.status === status)?.at;
  }

  /** What became of the automated backups of each deleted instance and cluster. */
  get automatedBackups(): AutomatedBackupsFate[] {
    return this.store.automatedBackups;
  }

  callsOf(command: string): SimCall[] {
    return this.calls.filter((c) => c.command === command);
  }

  /** Requests that may change something (everything but Describe… and List… calls). */
  mutatingCalls(): SimCall[] {
    return this.calls.filter((c) => !READ_ONLY.test(c.command));
  }
}
