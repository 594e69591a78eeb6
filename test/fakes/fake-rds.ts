import type {
  CreateClusterMemberRequest,
  DeleteInstanceOptions,
  RdsGateway,
  RestorableWindow,
  RestoreClusterToTimeRequest,
  RestoreInstanceToTimeRequest,
  RestoreClusterRequest,
  RestoreInstanceRequest,
  Settled,
  SnapshotToCopy,
  WaitOptions,
} from '../../src/aws/rds-gateway.js';
import type {
  AssociatedRole,
  ClusterConfig,
  ClusterInfo,
  ClusterModification,
  CustomEndpoint,
  CustomEndpointInfo,
  InstanceConfig,
  InstanceInfo,
  InstanceModification,
  ManagedSecret,
  QuotaInfo,
  SnapshotInfo,
  Tag,
} from '../../src/core/rds-resources.js';
import { PreconditionError, RetryableStateError, StepError, WaiterFailureError, WaiterTimeoutError } from '../../src/core/errors.js';
import { TERMINAL_STATUSES } from '../../src/core/rds-status.js';
import { isReservedTagKey } from '../../src/core/rds-resources.js';
import type { FakeClock } from './fake-clock.js';

/** Durations of the simulated operations, in seconds (rough real-RDS figures). */
export interface FakeTimings {
  /** How long the old name stays `available` after a rename is requested (real RDS's gap). */
  renameGap: number;
  rename: number;
  restore: number;
  createMember: number;
  delete: number;
  snapshot: number;
  modify: number;
  /** FailoverDBCluster: `failing-over`, then `available` with the new writer. */
  failover: number;
}

/** Polling of the fake's waits, like the SDK waiter's (no jitter, so runs are repeatable). */
export interface FakeWaits {
  minDelaySeconds: number;
  maxDelaySeconds: number;
  maxWaitSeconds: number;
}

export const DEFAULT_TIMINGS: FakeTimings = {
  renameGap: 5,
  rename: 60,
  restore: 600,
  createMember: 480,
  delete: 300,
  snapshot: 300,
  modify: 30,
  failover: 60,
};
const DEFAULT_WAITS: FakeWaits = { minDelaySeconds: 5, maxDelaySeconds: 30, maxWaitSeconds: 4 * 3600 };

type Schedule = { at: number; status: string }[];

interface SimInstance {
  identifier: string;
  resourceId: string;
  createdAt: Date;
  schedule: Schedule;
  goneAt?: number;
  rename?: { to: string; at: number };
  clusterIdentifier?: string;
  readReplicaSourceIdentifier?: string;
  promotionTier?: number;
  /** `pending-reboot` after a new DB parameter group is set, until a reboot (API: ModifyDBInstance DBParameterGroupName). */
  parameterApplyStatus?: string;
  /** Changes waiting for the maintenance window (PendingModifiedValues), as seeded. */
  pendingModifications?: string[];
  config: InstanceConfig;
}

interface SimCluster {
  identifier: string;
  resourceId: string;
  createdAt: Date;
  schedule: Schedule;
  goneAt?: number;
  rename?: { to: string; at: number };
  writerResourceId?: string;
  /** A failover under way: the writer it promotes, and when. */
  failover?: { resourceId: string; at: number };
  globalClusterIdentifier?: string;
  config: ClusterConfig;
}

interface SimSnapshot {
  identifier: string;
  cluster: boolean;
  sourceIdentifier: string;
  engine: string;
  engineVersion: string;
  createdAt: Date;
  schedule: Schedule;
  tags: Tag[];
}

/** One recorded gateway call. */
export interface FakeCall {
  verb: string;
  args: unknown[];
  at: Date;
}

const READ_ONLY = /^(describe|list|wait)/;

export function defaultInstanceConfig(overrides: Partial<InstanceConfig> = {}): InstanceConfig {
  return {
    instanceClass: 'db.t3.micro',
    engine: 'postgres',
    engineVersion: '16.3',
    dbSubnetGroupName: 'default',
    vpcSecurityGroupIds: ['sg-default'],
    dbParameterGroupName: 'default.postgres16',
    optionGroupName: 'default:postgres-16',
    multiAZ: false,
    port: 5432,
    storageType: 'gp3',
    allocatedStorage: 20,
    publiclyAccessible: false,
    deletionProtection: false,
    iamDatabaseAuthentication: false,
    cloudwatchLogsExports: [],
    copyTagsToSnapshot: false,
    autoMinorVersionUpgrade: true,
    backupRetentionPeriod: 1,
    preferredBackupWindow: '08:00-08:30',
    preferredMaintenanceWindow: 'mon:09:00-mon:09:30',
    caCertificateIdentifier: 'rds-ca-rsa2048-g1',
    monitoringInterval: 0,
    performanceInsightsEnabled: false,
    tags: [],
    // What RDS reports for a new instance: enrolled in Extended Support by default (API reference: CreateDBInstance).
    engineLifecycleSupport: 'open-source-rds-extended-support',
    networkType: 'IPV4',
    databaseInsightsMode: 'standard',
    dedicatedLogVolume: false,
    processorFeatures: [],
    associatedRoles: [],
    ...overrides,
  };
}

export function defaultClusterConfig(overrides: Partial<ClusterConfig> = {}): ClusterConfig {
  return {
    engine: 'aurora-postgresql',
    engineVersion: '16.3',
    engineMode: 'provisioned',
    port: 5432,
    dbSubnetGroupName: 'default',
    vpcSecurityGroupIds: ['sg-default'],
    dbClusterParameterGroupName: 'default.aurora-postgresql16',
    deletionProtection: false,
    iamDatabaseAuthentication: false,
    cloudwatchLogsExports: [],
    backupRetentionPeriod: 1,
    preferredBackupWindow: '08:00-08:30',
    preferredMaintenanceWindow: 'mon:09:00-mon:09:30',
    copyTagsToSnapshot: false,
    storageType: 'aurora',
    databaseName: 'app',
    tags: [],
    engineLifecycleSupport: 'open-source-rds-extended-support',
    networkType: 'IPV4',
    databaseInsightsMode: 'standard',
    associatedRoles: [],
    httpEndpointEnabled: false,
    localWriteForwarding: false,
    ...overrides,
  };
}

const notSimulated = (): Error => new StepError('FakeRds does not simulate point-in-time restores: use the simulated RDS (test/sim).');

/**
 * An in-memory RDS on a virtual clock, with real RDS's semantics where moto cuts corners:
 * renames have a gap and transitional states, names must be free, busy resources refuse
 * changes, deletion protection blocks deletes. Faults are injected explicitly.
 */
export class FakeRds implements RdsGateway {
  readonly instances = new Map<string, SimInstance>();
  readonly clusters = new Map<string, SimCluster>();
  readonly snapshots = new Map<string, SimSnapshot>();
  readonly calls: FakeCall[] = [];
  /** Instances and clusters deleted without keeping their automated backups. */
  readonly deletedAutomatedBackupsOf: string[] = [];
  /** For each wait that ended, how long after the awaited state was reached the tool saw it (ms). */
  readonly detectionLags: number[] = [];
  /** When each deleted resource disappeared (ms), so a deletion wait's lag can be measured. */
  private readonly goneAtOf = new Map<string, number>();
  timings: FakeTimings;
  waits: FakeWaits;
  quotas: QuotaInfo = { instancesUsed: 5, instancesMax: 40, clustersUsed: 1, clustersMax: 40 };
  /** Aurora custom endpoints by name; each follows its cluster (by resource id) through renames. */
  readonly endpoints = new Map<string, { clusterResourceId: string; endpoint: CustomEndpoint; schedule: Schedule; goneAt?: number }>();
  /** Blue/green deployments by the ARN of their source or target. */
  readonly blueGreen = new Map<string, { identifier: string; status: string }>();
  private faults = new Map<string, { error: Error; times: number }>();
  private hooks = new Map<string, () => void>();
  private restoreOutcome: string = 'available';
  /** Settings a restore falls back to the default for although it was asked (moto does this for parameter groups). */
  restoreIgnores: (keyof InstanceConfig)[] = [];
  private seq = 0;

  constructor(
    private readonly clock: FakeClock,
    options: { timings?: Partial<FakeTimings>; waits?: Partial<FakeWaits> } = {},
  ) {
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.waits = { ...DEFAULT_WAITS, ...options.waits };
  }

  // ---- seeding and fault injection -------------------------------------------------------

  addInstance(
    seed: Partial<InstanceConfig> & {
      identifier: string;
      status?: string;
      clusterIdentifier?: string;
      readReplicaSourceIdentifier?: string;
      promotionTier?: number;
      pendingModifications?: string[];
    },
  ): void {
    const { identifier, status, clusterIdentifier, readReplicaSourceIdentifier, promotionTier, pendingModifications, ...config } = seed;
    this.instances.set(identifier, {
      identifier,
      resourceId: this.newId('db'),
      createdAt: this.clock.now(),
      schedule: [{ at: this.now(), status: status ?? 'available' }],
      clusterIdentifier,
      readReplicaSourceIdentifier,
      ...(pendingModifications ? { pendingModifications } : {}),
      promotionTier,
      config: defaultInstanceConfig(config),
    });
  }

  addCluster(
    seed: Partial<ClusterConfig> & {
      identifier: string;
      status?: string;
      members?: { identifier: string; isWriter?: boolean; promotionTier?: number; config?: Partial<InstanceConfig> }[];
      globalClusterIdentifier?: string;
    },
  ): void {
    const { identifier, status, members = [], globalClusterIdentifier, ...config } = seed;
    const cluster: SimCluster = {
      identifier,
      resourceId: this.newId('cluster'),
      createdAt: this.clock.now(),
      schedule: [{ at: this.now(), status: status ?? 'available' }],
      globalClusterIdentifier,
      config: defaultClusterConfig(config),
    };
    this.clusters.set(identifier, cluster);
    for (const member of members) {
      this.addInstance({
        identifier: member.identifier,
        clusterIdentifier: identifier,
        promotionTier: member.promotionTier ?? 1,
        engine: cluster.config.engine,
        ...member.config,
      });
      if (member.isWriter) cluster.writerResourceId = this.instances.get(member.identifier)?.resourceId;
    }
  }

  addSnapshot(seed: {
    identifier: string;
    sourceIdentifier: string;
    engine?: string;
    engineVersion?: string;
    status?: string;
    tags?: Tag[];
    createdAt?: Date;
    cluster?: boolean;
  }): void {
    const source = seed.cluster ? this.clusters.get(seed.sourceIdentifier)?.config : this.instances.get(seed.sourceIdentifier)?.config;
    this.snapshots.set(this.snapKey(seed.identifier, seed.cluster ?? false), {
      identifier: seed.identifier,
      cluster: seed.cluster ?? false,
      sourceIdentifier: seed.sourceIdentifier,
      engine: seed.engine ?? source?.engine ?? 'postgres',
      // A snapshot is of its source's engine version (API reference: DBSnapshot EngineVersion).
      engineVersion: seed.engineVersion ?? source?.engineVersion ?? '16.3',
      createdAt: seed.createdAt ?? this.clock.now(),
      schedule: [{ at: this.now(), status: seed.status ?? 'available' }],
      tags: seed.tags ?? [],
    });
  }

  addClusterSnapshot(seed: Omit<Parameters<FakeRds['addSnapshot']>[0], 'cluster'>): void {
    this.addSnapshot({ ...seed, cluster: true });
  }

  removeInstance(identifier: string): void {
    this.instances.delete(identifier);
  }

  removeSnapshot(identifier: string): void {
    this.snapshots.delete(this.snapKey(identifier, false));
  }

  setStatus(identifier: string, status: string): void {
    const target = this.instances.get(identifier) ?? this.clusters.get(identifier);
    if (!target) throw new Error(`no ${identifier}`);
    target.schedule = [{ at: this.now(), status }];
  }

  setQuotas(quotas: QuotaInfo): void {
    this.quotas = quotas;
  }

  /** The next `times` calls of `verb` throw `error` (before doing anything). */
  failNext(verb: string, error: Error, times = 1): void {
    this.faults.set(verb, { error, times });
  }

  /**
   * The next call of `verb` takes effect, then its answer is lost: the caller sees `error`
   * (a network error after the request reached RDS). The other kind of fault is `failNext`.
   */
  actThenFail(verb: keyof RdsGateway, error: Error): void {
    const self = this as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const real = self[verb]!;
    self[verb] = async (...args: unknown[]) => {
      delete self[verb];
      await real.apply(this, args);
      throw error;
    };
  }

  /** Runs `hook` when `verb` is called (after the call is recorded). */
  onCall(verb: string, hook: () => void): void {
    this.hooks.set(verb, hook);
  }

  /** Restored instances and clusters end in this status instead of `available`. */
  setRestoreOutcome(status: string): void {
    this.restoreOutcome = status;
  }

  clearFaults(): void {
    this.faults.clear();
    this.hooks.clear();
    this.restoreOutcome = 'available';
  }

  mutatingCalls(): FakeCall[] {
    return this.calls.filter((c) => !READ_ONLY.test(c.verb));
  }

  /** Lets every scheduled transition finish (e.g. after a simulated crash). */
  settleAll(): void {
    this.clock.advance(24 * 3600 * 1000);
  }

  // ---- instances -------------------------------------------------------------------------

  async describeInstance(identifier: string): Promise<InstanceInfo | undefined> {
    this.record('describeInstance', [identifier]);
    const sim = this.findInstance(identifier);
    return sim ? this.instanceInfo(sim) : undefined;
  }

  /** One request for many names (the gateway's DescribeDBInstances with a db-instance-id Filter). */
  async describeInstances(identifiers: string[]): Promise<InstanceInfo[]> {
    this.record('describeInstances', [identifiers]);
    return [...new Set(identifiers)].flatMap((id) => {
      const sim = this.findInstance(id);
      return sim ? [this.instanceInfo(sim)] : [];
    });
  }

  async renameInstance(from: string, to: string): Promise<void> {
    this.record('renameInstance', [from, to]);
    const sim = this.requireInstance(from);
    this.requireAvailable(sim.identifier, sim.schedule);
    if (this.findInstance(to)) throw new StepError(`DBInstanceAlreadyExists: ${to}`);
    this.scheduleRename(sim, to);
  }

  async restoreInstance(request: RestoreInstanceRequest): Promise<void> {
    this.record('restoreInstance', [request]);
    const snap = this.snapshots.get(this.snapKey(request.snapshotIdentifier.split(':').pop() ?? '', false));
    if (!snap) throw new PreconditionError(`DBSnapshotNotFound: ${request.snapshotIdentifier}`);
    if (this.findInstance(request.identifier)) throw new StepError(`DBInstanceAlreadyExists: ${request.identifier}`);
    // SQL Server restores at the snapshot's storage: the gateway sends no storage settings for it
    // (API reference: RestoreDBInstanceFromDBSnapshot, AllocatedStorage).
    const sqlServer = request.config.engine.startsWith('sqlserver');
    const t = this.now();
    const { restore } = this.ms();
    this.instances.set(request.identifier, {
      identifier: request.identifier,
      resourceId: this.newId('db'),
      createdAt: this.clock.now(),
      schedule: [
        { at: t, status: 'creating' },
        { at: t + restore, status: this.restoreOutcome },
      ],
      // The restore call's settings; what it does not take falls back to defaults.
      config: defaultInstanceConfig(
        Object.fromEntries(
          Object.entries(pickRestoreSettings(request.config)).filter(
            ([key]) => !this.restoreIgnores.includes(key as keyof InstanceConfig) && !(sqlServer && STORAGE_KEYS.includes(key)),
          ),
        ),
      ),
    });
  }

  async modifyInstance(identifier: string, changes: InstanceModification): Promise<void> {
    this.record('modifyInstance', [identifier, changes]);
    const sim = this.requireInstance(identifier);
    this.requireAvailable(identifier, sim.schedule);
    // A new DB parameter group applies only after a reboot (API reference: ModifyDBInstance, DBParameterGroupName).
    if (changes.dbParameterGroupName !== undefined && changes.dbParameterGroupName !== sim.config.dbParameterGroupName)
      sim.parameterApplyStatus = 'pending-reboot';
    // IAM roles are associated with AddRoleToDBInstance, not ModifyDBInstance (API reference).
    if (changes.associatedRoles) throw new StepError('InvalidParameterCombination: ModifyDBInstance associates no IAM roles');
    // Turning on ManageMasterUserPassword makes RDS generate a password in a new secret (API reference: ModifyDBInstance).
    Object.assign(
      sim.config,
      changes,
      changes.masterUserSecret ? { masterUserSecret: newSecret('db', changes.masterUserSecret.kmsKeyId) } : {},
    );
    const t = this.now();
    sim.schedule.push({ at: t, status: 'modifying' }, { at: t + this.ms().modify, status: 'available' });
  }

  async deleteInstance(identifier: string, options: DeleteInstanceOptions): Promise<void> {
    this.record('deleteInstance', [identifier, options]);
    const sim = this.requireInstance(identifier);
    if (sim.config.deletionProtection) throw new StepError(`InvalidParameterCombination: ${identifier} has deletion protection`);
    const status = this.status(sim.schedule);
    if (status === 'deleting' || (!TERMINAL_STATUSES.has(status) && status !== 'available'))
      throw new RetryableStateError(`InvalidDBInstanceState: ${identifier} is ${status}`);
    if (options.finalSnapshotIdentifier) {
      this.addSnapshot({ identifier: options.finalSnapshotIdentifier, sourceIdentifier: identifier, engine: sim.config.engine });
    }
    if (!options.keepAutomatedBackups) this.deletedAutomatedBackupsOf.push(identifier);
    const t = this.now();
    sim.schedule.push({ at: t, status: 'deleting' });
    sim.goneAt = t + this.ms().delete;
  }

  async createClusterMember(request: CreateClusterMemberRequest): Promise<void> {
    this.record('createClusterMember', [request]);
    const cluster = this.findCluster(request.clusterIdentifier);
    if (!cluster) throw new PreconditionError(`DBClusterNotFoundFault: ${request.clusterIdentifier}`);
    if (this.findInstance(request.identifier)) throw new StepError(`DBInstanceAlreadyExists: ${request.identifier}`);
    const t = this.now();
    const resourceId = this.newId('db');
    this.instances.set(request.identifier, {
      identifier: request.identifier,
      resourceId,
      createdAt: this.clock.now(),
      schedule: [
        { at: t, status: 'creating' },
        { at: t + this.ms().createMember, status: 'available' },
      ],
      clusterIdentifier: cluster.identifier,
      promotionTier: request.promotionTier,
      config: defaultInstanceConfig({ ...request.config }),
    });
    // The first instance of an empty cluster becomes its writer (as in RDS).
    if (!this.membersOf(cluster.identifier).some((m) => m.resourceId === cluster.writerResourceId)) cluster.writerResourceId = resourceId;
  }

  waitInstanceAvailable(identifier: string, options?: WaitOptions): Promise<InstanceInfo> {
    return this.poll('waitInstanceAvailable', [identifier], `${identifier} to be available`, options, async () => {
      const info = await this.describeInstance(identifier);
      if (!info) return { status: 'not found' };
      if (TERMINAL_STATUSES.has(info.status) || info.status === 'deleting') return { status: info.status, failed: true };
      return { status: info.status, done: info.status === 'available' ? info : undefined };
    });
  }

  async addRoleToInstance(identifier: string, role: AssociatedRole): Promise<void> {
    this.record('addRoleToInstance', [identifier, role]);
    const sim = this.requireInstance(identifier);
    // "the status of the DB instance must be available" (API reference: AddRoleToDBInstance).
    this.requireAvailable(identifier, sim.schedule);
    const roles = sim.config.associatedRoles ?? [];
    // Already associated: success, as the gateway reports DBInstanceRoleAlreadyExists.
    if (!roles.some((r) => r.roleArn === role.roleArn && r.featureName === role.featureName)) sim.config.associatedRoles = [...roles, role];
  }

  async rebootInstance(identifier: string): Promise<void> {
    this.record('rebootInstance', [identifier]);
    const sim = this.requireInstance(identifier);
    this.requireAvailable(identifier, sim.schedule);
    const t = this.now();
    sim.schedule.push({ at: t, status: 'rebooting' }, { at: t + this.ms().modify, status: 'available' });
    sim.parameterApplyStatus = 'in-sync';
  }

  /** The fake applies a modification when it turns available again: settled is available here. */
  waitInstanceSettled(identifier: string, options?: WaitOptions): Promise<Settled<InstanceInfo>> {
    return this.poll('waitInstanceSettled', [identifier], `${identifier} to apply its changes`, options, async () => {
      const info = await this.describeInstance(identifier);
      if (!info) return { status: 'not found' };
      if (TERMINAL_STATUSES.has(info.status)) return { status: info.status, failed: true };
      return {
        status: info.status,
        done: info.status === 'available' ? { ...info, needsReboot: info.parameterApplyStatus === 'pending-reboot' } : undefined,
      };
    });
  }

  waitInstanceDeleted(identifier: string, options?: WaitOptions): Promise<void> {
    return this.poll('waitInstanceDeleted', [identifier], `${identifier} to be deleted`, options, async () => {
      const info = await this.describeInstance(identifier);
      return info ? { status: info.status } : { status: 'deleted', done: true as const };
    }).then(() => undefined);
  }

  waitInstanceRenamed(from: string, to: string, options?: WaitOptions): Promise<InstanceInfo> {
    return this.poll('waitInstanceRenamed', [from, to], `${from} to be renamed to ${to}`, options, async () => {
      const [old, renamed] = [await this.describeInstance(from), await this.describeInstance(to)];
      const status = `${from}: ${old?.status ?? 'gone'}, ${to}: ${renamed?.status ?? 'not found'}`;
      if (renamed && TERMINAL_STATUSES.has(renamed.status)) return { status, failed: true };
      return { status, done: !old && renamed?.status === 'available' ? renamed : undefined };
    });
  }

  waitInstancesRenamed(renames: { from: string; to: string }[], options?: WaitOptions): Promise<InstanceInfo[]> {
    return this.poll('waitInstancesRenamed', [renames], 'instances to be renamed', options, async () => {
      const found = await this.describeInstances(renames.flatMap((r) => [r.from, r.to]));
      const at = (id: string) => found.find((f) => f.identifier === id.toLowerCase());
      const status = renames
        .map((r) => `${r.from}: ${at(r.from)?.status ?? 'gone'}, ${r.to}: ${at(r.to)?.status ?? 'not found'}`)
        .join('; ');
      if (renames.some((r) => TERMINAL_STATUSES.has(at(r.to)?.status ?? ''))) return { status, failed: true };
      const done = renames.every((r) => !at(r.from) && at(r.to)?.status === 'available');
      return { status, done: done ? renames.map((r) => at(r.to) as InstanceInfo) : undefined };
    });
  }

  waitInstancesAvailable(identifiers: string[], options?: WaitOptions): Promise<InstanceInfo[]> {
    return this.poll('waitInstancesAvailable', [identifiers], 'instances to be available', options, async () => {
      const found = await this.describeInstances(identifiers);
      const status = found.map((f) => `${f.identifier}: ${f.status}`).join('; ');
      if (found.some((f) => TERMINAL_STATUSES.has(f.status))) return { status, failed: true };
      const done = found.length === identifiers.length && found.every((f) => f.status === 'available');
      return { status, done: done ? found : undefined };
    });
  }

  waitInstanceNamesFree(identifiers: string[], which: 'any' | 'all', options?: WaitOptions): Promise<string[]> {
    return this.poll('waitInstanceNamesFree', [identifiers, which], 'names to be free', options, async () => {
      const found = await this.describeInstances(identifiers);
      const free = identifiers.filter((id) => !found.some((f) => f.identifier === id.toLowerCase()));
      const done = which === 'all' ? free.length === identifiers.length : free.length > 0;
      return { status: found.map((f) => `${f.identifier}: ${f.status}`).join('; ') || 'free', done: done ? free : undefined };
    });
  }

  // ---- snapshots -------------------------------------------------------------------------

  async describeSnapshot(identifierOrArn: string): Promise<SnapshotInfo | undefined> {
    this.record('describeSnapshot', [identifierOrArn]);
    return this.snapshotInfo(this.snapshots.get(this.snapKey(nameOf(identifierOrArn), false)));
  }

  async listSnapshots(instanceIdentifier: string): Promise<SnapshotInfo[]> {
    this.record('listSnapshots', [instanceIdentifier]);
    return [...this.snapshots.values()]
      .filter((s) => !s.cluster && s.sourceIdentifier === instanceIdentifier)
      .map((s) => this.snapshotInfo(s)!);
  }

  async createSnapshot(instanceIdentifier: string, snapshotIdentifier: string, tags: Tag[]): Promise<void> {
    this.record('createSnapshot', [instanceIdentifier, snapshotIdentifier, tags]);
    const sim = this.requireInstance(instanceIdentifier);
    this.requireAvailable(instanceIdentifier, sim.schedule);
    this.newSnapshot(snapshotIdentifier, false, instanceIdentifier, sim.config.engine, tags);
  }

  async deleteSnapshot(snapshotIdentifier: string): Promise<void> {
    this.record('deleteSnapshot', [snapshotIdentifier]);
    if (!this.snapshots.delete(this.snapKey(snapshotIdentifier, false)))
      throw new PreconditionError(`DBSnapshotNotFound: ${snapshotIdentifier}`);
  }

  waitSnapshotAvailable(snapshotIdentifier: string, options?: WaitOptions): Promise<SnapshotInfo> {
    return this.poll('waitSnapshotAvailable', [snapshotIdentifier], `snapshot ${snapshotIdentifier}`, options, async () => {
      const info = await this.describeSnapshot(snapshotIdentifier);
      if (!info) return { status: 'not found' };
      return { status: info.status, failed: info.status === 'failed', done: info.status === 'available' ? info : undefined };
    });
  }

  // ---- clusters --------------------------------------------------------------------------

  async describeCluster(identifier: string): Promise<ClusterInfo | undefined> {
    this.record('describeCluster', [identifier]);
    const sim = this.findCluster(identifier);
    if (!sim) return undefined;
    return {
      identifier: sim.identifier,
      resourceId: sim.resourceId,
      arn: `arn:aws:rds:us-east-1:123456789012:cluster:${sim.identifier}`,
      status: this.status(sim.schedule),
      createdAt: sim.createdAt,
      endpoint: `${sim.identifier}.cluster-abc.us-east-1.rds.amazonaws.com`,
      members: this.membersOf(sim.identifier).map((m) => ({
        instanceIdentifier: m.identifier,
        isWriter: m.resourceId === this.writerOf(sim),
        promotionTier: m.promotionTier,
        parameterApplyStatus: m.parameterApplyStatus ?? 'in-sync',
      })),
      pendingIdentifier: sim.rename && sim.rename.at > this.now() ? sim.rename.to : undefined,
      globalClusterIdentifier: sim.globalClusterIdentifier,
      config: structuredClone(sim.config),
    };
  }

  /** The writer's resource id, a failover applied once it is done. */
  private writerOf(sim: SimCluster): string | undefined {
    if (sim.failover && sim.failover.at <= this.now()) {
      sim.writerResourceId = sim.failover.resourceId;
      delete sim.failover;
    }
    return sim.writerResourceId;
  }

  async failoverDbCluster(identifier: string, targetInstance: string): Promise<void> {
    this.record('failoverDbCluster', [identifier, targetInstance]);
    const sim = this.findCluster(identifier);
    if (!sim) throw new PreconditionError(`DBClusterNotFoundFault: ${identifier}`);
    this.requireAvailable(identifier, sim.schedule);
    const target = this.membersOf(sim.identifier).find((m) => m.identifier === targetInstance);
    if (!target || target.resourceId === this.writerOf(sim))
      throw new StepError(`InvalidParameterValue: ${targetInstance} is not a reader of ${identifier}`);
    this.requireAvailable(targetInstance, target.schedule);
    const t = this.now();
    sim.schedule.push({ at: t, status: 'failing-over' }, { at: t + this.ms().failover, status: 'available' });
    sim.failover = { resourceId: target.resourceId, at: t + this.ms().failover };
  }

  waitClusterWriter(identifier: string, writer: string, options?: WaitOptions): Promise<ClusterInfo> {
    return this.poll(
      'waitClusterWriter',
      [identifier, writer],
      `cluster ${identifier} to have ${writer} as its writer`,
      options,
      async () => {
        const info = await this.describeCluster(identifier);
        if (!info) return { status: 'not found' };
        if (TERMINAL_STATUSES.has(info.status)) return { status: info.status, failed: true };
        const current = info.members.find((m) => m.isWriter)?.instanceIdentifier;
        return {
          status: `${info.status}, writer ${current ?? 'none'}`,
          done: info.status === 'available' && current === writer ? info : undefined,
        };
      },
    );
  }

  async describeClusters(identifiers: string[]): Promise<ClusterInfo[]> {
    this.record('describeClusters', [identifiers]);
    const found: ClusterInfo[] = [];
    for (const id of new Set(identifiers)) {
      const info = this.findCluster(id) && (await this.describeCluster(id));
      if (info) found.push(info);
    }
    return found;
  }

  async renameCluster(from: string, to: string): Promise<void> {
    this.record('renameCluster', [from, to]);
    const sim = this.findCluster(from);
    if (!sim) throw new PreconditionError(`DBClusterNotFoundFault: ${from}`);
    this.requireAvailable(from, sim.schedule);
    if (this.findCluster(to)) throw new StepError(`DBClusterAlreadyExistsFault: ${to}`);
    this.scheduleRename(sim, to);
  }

  async restoreCluster(request: RestoreClusterRequest): Promise<void> {
    this.record('restoreCluster', [request]);
    if (!this.snapshots.get(this.snapKey(nameOf(request.snapshotIdentifier), true)))
      throw new PreconditionError(`DBClusterSnapshotNotFoundFault: ${request.snapshotIdentifier}`);
    if (this.findCluster(request.identifier)) throw new StepError(`DBClusterAlreadyExistsFault: ${request.identifier}`);
    const t = this.now();
    this.clusters.set(request.identifier, {
      identifier: request.identifier,
      resourceId: this.newId('cluster'),
      createdAt: this.clock.now(),
      schedule: [
        { at: t, status: 'creating' },
        { at: t + this.ms().restore, status: this.restoreOutcome },
      ],
      // RestoreDBClusterFromSnapshot takes neither Database Insights, write forwarding, the Data API
      // nor a managed master secret (API reference): they come back as defaults.
      config: defaultClusterConfig({
        ...request.config,
        databaseInsightsMode: undefined,
        localWriteForwarding: undefined,
        httpEndpointEnabled: undefined,
        masterUserSecret: undefined,
        backupRetentionPeriod: 1,
        preferredBackupWindow: undefined,
        preferredMaintenanceWindow: undefined,
      }),
    });
  }

  async modifyCluster(identifier: string, changes: ClusterModification): Promise<void> {
    this.record('modifyCluster', [identifier, changes]);
    const sim = this.findCluster(identifier);
    if (!sim) throw new PreconditionError(`DBClusterNotFoundFault: ${identifier}`);
    this.requireAvailable(identifier, sim.schedule);
    // ModifyDBCluster's EnableHttpEndpoint is for Aurora Serverless v1 only (API reference): the gateway uses setClusterDataApi.
    if (changes.httpEndpointEnabled !== undefined)
      throw new StepError('InvalidParameterCombination: EnableHttpEndpoint is Serverless v1 only');
    Object.assign(
      sim.config,
      changes,
      changes.masterUserSecret ? { masterUserSecret: newSecret('cluster', changes.masterUserSecret.kmsKeyId) } : {},
    );
    const t = this.now();
    sim.schedule.push({ at: t, status: 'modifying' }, { at: t + this.ms().modify, status: 'available' });
  }

  async setClusterDataApi(identifier: string, enabled: boolean): Promise<void> {
    this.record('setClusterDataApi', [identifier, enabled]);
    const sim = this.findCluster(identifier);
    if (!sim) throw new PreconditionError(`DBClusterNotFoundFault: ${identifier}`);
    sim.config.httpEndpointEnabled = enabled;
  }

  async deleteCluster(identifier: string, options: DeleteInstanceOptions): Promise<void> {
    this.record('deleteCluster', [identifier, options]);
    const sim = this.findCluster(identifier);
    if (!sim) throw new PreconditionError(`DBClusterNotFoundFault: ${identifier}`);
    if (sim.config.deletionProtection) throw new StepError(`InvalidParameterCombination: ${identifier} has deletion protection`);
    if (this.membersOf(identifier).length > 0) throw new RetryableStateError(`InvalidDBClusterStateFault: ${identifier} still has members`);
    const status = this.status(sim.schedule);
    if (status === 'deleting' || (!TERMINAL_STATUSES.has(status) && status !== 'available'))
      throw new RetryableStateError(`InvalidDBClusterStateFault: ${identifier} is ${status}`);
    if (options.finalSnapshotIdentifier)
      this.addSnapshot({
        identifier: options.finalSnapshotIdentifier,
        sourceIdentifier: identifier,
        cluster: true,
        engine: sim.config.engine,
      });
    // DeleteDBCluster removes the automated backups unless told to keep them (API reference: DeleteDBCluster, DeleteAutomatedBackups).
    if (!options.keepAutomatedBackups) this.deletedAutomatedBackupsOf.push(identifier);
    const t = this.now();
    sim.schedule.push({ at: t, status: 'deleting' });
    sim.goneAt = t + this.ms().delete;
  }

  waitClusterAvailable(identifier: string, options?: WaitOptions): Promise<ClusterInfo> {
    return this.poll('waitClusterAvailable', [identifier], `cluster ${identifier} to be available`, options, async () => {
      const info = await this.describeCluster(identifier);
      if (!info) return { status: 'not found' };
      if (TERMINAL_STATUSES.has(info.status) || info.status === 'deleting') return { status: info.status, failed: true };
      return { status: info.status, done: info.status === 'available' ? info : undefined };
    });
  }

  waitClusterSettled(identifier: string, options?: WaitOptions): Promise<Settled<ClusterInfo>> {
    return this.poll('waitClusterSettled', [identifier], `cluster ${identifier} to apply its changes`, options, async () => {
      const info = await this.describeCluster(identifier);
      if (!info) return { status: 'not found' };
      if (TERMINAL_STATUSES.has(info.status)) return { status: info.status, failed: true };
      const needsReboot = info.members.some((m) => m.parameterApplyStatus === 'pending-reboot');
      return { status: info.status, done: info.status === 'available' ? { ...info, needsReboot } : undefined };
    });
  }

  waitClusterDeleted(identifier: string, options?: WaitOptions): Promise<void> {
    return this.poll('waitClusterDeleted', [identifier], `cluster ${identifier} to be deleted`, options, async () => {
      const info = await this.describeCluster(identifier);
      return info ? { status: info.status } : { status: 'deleted', done: true as const };
    }).then(() => undefined);
  }

  waitClusterRenamed(from: string, to: string, options?: WaitOptions): Promise<ClusterInfo> {
    return this.poll('waitClusterRenamed', [from, to], `cluster ${from} to be renamed to ${to}`, options, async () => {
      const [old, renamed] = [await this.describeCluster(from), await this.describeCluster(to)];
      const status = `${from}: ${old?.status ?? 'gone'}, ${to}: ${renamed?.status ?? 'not found'}`;
      if (renamed && TERMINAL_STATUSES.has(renamed.status)) return { status, failed: true };
      return { status, done: !old && renamed?.status === 'available' ? renamed : undefined };
    });
  }

  async describeClusterSnapshot(identifierOrArn: string): Promise<SnapshotInfo | undefined> {
    this.record('describeClusterSnapshot', [identifierOrArn]);
    return this.snapshotInfo(this.snapshots.get(this.snapKey(nameOf(identifierOrArn), true)));
  }

  async listClusterSnapshots(clusterIdentifier: string): Promise<SnapshotInfo[]> {
    this.record('listClusterSnapshots', [clusterIdentifier]);
    return [...this.snapshots.values()]
      .filter((s) => s.cluster && s.sourceIdentifier === clusterIdentifier)
      .map((s) => this.snapshotInfo(s)!);
  }

  async createClusterSnapshot(clusterIdentifier: string, snapshotIdentifier: string, tags: Tag[]): Promise<void> {
    this.record('createClusterSnapshot', [clusterIdentifier, snapshotIdentifier, tags]);
    const sim = this.findCluster(clusterIdentifier);
    if (!sim) throw new PreconditionError(`DBClusterNotFoundFault: ${clusterIdentifier}`);
    this.requireAvailable(clusterIdentifier, sim.schedule);
    this.newSnapshot(snapshotIdentifier, true, clusterIdentifier, sim.config.engine, tags);
  }

  async deleteClusterSnapshot(snapshotIdentifier: string): Promise<void> {
    this.record('deleteClusterSnapshot', [snapshotIdentifier]);
    if (!this.snapshots.delete(this.snapKey(snapshotIdentifier, true)))
      throw new PreconditionError(`DBClusterSnapshotNotFoundFault: ${snapshotIdentifier}`);
  }

  waitClusterSnapshotAvailable(snapshotIdentifier: string, options?: WaitOptions): Promise<SnapshotInfo> {
    return this.poll('waitClusterSnapshotAvailable', [snapshotIdentifier], `cluster snapshot ${snapshotIdentifier}`, options, async () => {
      const info = await this.describeClusterSnapshot(snapshotIdentifier);
      if (!info) return { status: 'not found' };
      return { status: info.status, failed: info.status === 'failed', done: info.status === 'available' ? info : undefined };
    });
  }

  // ---- every snapshot and point in time (the point-in-time workflows are tested on test/sim) ----

  async listAllSnapshots(instanceIdentifier: string): Promise<SnapshotInfo[]> {
    return this.listSnapshots(instanceIdentifier);
  }

  async listAllClusterSnapshots(clusterIdentifier: string): Promise<SnapshotInfo[]> {
    return this.listClusterSnapshots(clusterIdentifier);
  }

  /** No point-in-time side: a test that needs a window assigns one (`rds.describeInstanceRestorableWindow = async () => …`). */
  describeInstanceRestorableWindow(_identifier: string): Promise<RestorableWindow | undefined> {
    return Promise.reject(notSimulated());
  }

  describeClusterRestorableWindow(_identifier: string): Promise<RestorableWindow | undefined> {
    return Promise.reject(notSimulated());
  }

  restoreInstanceToPointInTime(_request: RestoreInstanceToTimeRequest): Promise<void> {
    return Promise.reject(notSimulated());
  }

  restoreClusterToPointInTime(_request: RestoreClusterToTimeRequest): Promise<void> {
    return Promise.reject(notSimulated());
  }

  /** Accounts each snapshot is shared with, by snapshot id. */
  readonly sharedWith = new Map<string, string[]>();

  async snapshotSharedWith(_kind: 'instance' | 'cluster', snapshotIdentifier: string): Promise<string[]> {
    return this.sharedWith.get(snapshotIdentifier) ?? [];
  }

  async shareSnapshot(kind: 'instance' | 'cluster', snapshotIdentifier: string, accountIds: string[]): Promise<void> {
    this.record('shareSnapshot', [kind, snapshotIdentifier, accountIds]);
    this.sharedWith.set(snapshotIdentifier, [...new Set([...(this.sharedWith.get(snapshotIdentifier) ?? []), ...accountIds])]);
  }

  describeSnapshotToCopy(): Promise<SnapshotToCopy | undefined> {
    return Promise.reject(notSimulated());
  }

  copySnapshot(): Promise<void> {
    return Promise.reject(notSimulated());
  }

  async describeBlueGreenDeployment(resourceArn: string): Promise<{ identifier: string; status: string } | undefined> {
    this.record('describeBlueGreenDeployment', [resourceArn]);
    return this.blueGreen.get(resourceArn);
  }

  async describeQuotas(): Promise<QuotaInfo> {
    this.record('describeQuotas', []);
    return { ...this.quotas };
  }

  // ---- Aurora custom endpoints ------------------------------------------------------------

  /** Seeds a custom endpoint on a cluster. */
  addCustomEndpoint(clusterIdentifier: string, endpoint: Partial<CustomEndpoint> & { identifier: string }): void {
    const cluster = this.clusters.get(clusterIdentifier);
    if (!cluster) throw new Error(`no cluster ${clusterIdentifier}`);
    const full = { type: 'ANY', staticMembers: [], excludedMembers: [], tags: [], ...endpoint };
    this.endpoints.set(endpoint.identifier, {
      clusterResourceId: cluster.resourceId,
      endpoint: full,
      schedule: [{ at: this.now(), status: 'available' }],
    });
  }

  private endpointInfo(name: string): CustomEndpointInfo | undefined {
    this.settle();
    const sim = this.endpoints.get(name);
    const cluster = sim && [...this.clusters.values()].find((c) => c.resourceId === sim.clusterResourceId);
    // A deleted cluster takes its custom endpoints with it (Aurora user guide: Custom endpoints).
    if (!sim || !cluster || (sim.goneAt !== undefined && sim.goneAt <= this.now())) {
      this.endpoints.delete(name);
      return undefined;
    }
    return { ...structuredClone(sim.endpoint), clusterIdentifier: cluster.identifier, status: this.status(sim.schedule) };
  }

  async listCustomEndpoints(clusterIdentifier: string): Promise<CustomEndpointInfo[]> {
    this.record('listCustomEndpoints', [clusterIdentifier]);
    return [...this.endpoints.keys()].flatMap((name) => {
      const info = this.endpointInfo(name);
      return info && info.clusterIdentifier === clusterIdentifier ? [info] : [];
    });
  }

  async describeCustomEndpoint(identifier: string): Promise<CustomEndpointInfo | undefined> {
    this.record('describeCustomEndpoint', [identifier]);
    return this.endpointInfo(identifier);
  }

  async createCustomEndpoint(clusterIdentifier: string, endpoint: CustomEndpoint): Promise<void> {
    this.record('createCustomEndpoint', [clusterIdentifier, endpoint]);
    const cluster = this.findCluster(clusterIdentifier);
    if (!cluster) throw new PreconditionError(`DBClusterNotFoundFault: ${clusterIdentifier}`);
    // Custom endpoint names are unique per account and region (API reference: CreateDBClusterEndpoint).
    if (this.endpointInfo(endpoint.identifier)) throw new StepError(`DBClusterEndpointAlreadyExistsFault: ${endpoint.identifier}`);
    const members = new Set(this.membersOf(cluster.identifier).map((m) => m.identifier));
    const strangers = [...endpoint.staticMembers, ...endpoint.excludedMembers].filter((m) => !members.has(m));
    if (strangers.length > 0) throw new StepError(`InvalidParameterValue: ${strangers.join(', ')} not in ${clusterIdentifier}`);
    const t = this.now();
    this.endpoints.set(endpoint.identifier, {
      clusterResourceId: cluster.resourceId,
      endpoint: structuredClone(endpoint),
      schedule: [
        { at: t, status: 'creating' },
        { at: t + this.ms().modify, status: 'available' },
      ],
    });
  }

  async deleteCustomEndpoint(identifier: string): Promise<void> {
    this.record('deleteCustomEndpoint', [identifier]);
    const sim = this.endpoints.get(identifier);
    if (!sim || !this.endpointInfo(identifier)) throw new PreconditionError(`DBClusterEndpointNotFoundFault: ${identifier}`);
    const t = this.now();
    sim.schedule.push({ at: t, status: 'deleting' });
    sim.goneAt = t + this.ms().modify;
  }

  waitCustomEndpointAvailable(identifier: string, options?: WaitOptions): Promise<CustomEndpointInfo> {
    return this.poll('waitCustomEndpointAvailable', [identifier], `custom endpoint ${identifier}`, options, async () => {
      const info = this.endpointInfo(identifier);
      if (!info) return { status: 'not found' };
      return { status: info.status, done: info.status === 'available' ? info : undefined };
    });
  }

  waitCustomEndpointDeleted(identifier: string, options?: WaitOptions): Promise<void> {
    return this.poll('waitCustomEndpointDeleted', [identifier], `custom endpoint ${identifier} to be deleted`, options, async () => {
      const info = this.endpointInfo(identifier);
      return info ? { status: info.status } : { status: 'deleted', done: true as const };
    }).then(() => undefined);
  }

  // ---- internals -------------------------------------------------------------------------

  private now(): number {
    return this.clock.nowMs();
  }

  private ms(): FakeTimings {
    const t = this.timings;
    return {
      renameGap: t.renameGap * 1000,
      rename: t.rename * 1000,
      restore: t.restore * 1000,
      createMember: t.createMember * 1000,
      delete: t.delete * 1000,
      snapshot: t.snapshot * 1000,
      modify: t.modify * 1000,
      failover: t.failover * 1000,
    };
  }

  private newId(prefix: string): string {
    this.seq += 1;
    return `${prefix}-${String(this.seq).padStart(6, '0')}`;
  }

  private snapKey(identifier: string, cluster: boolean): string {
    return `${cluster ? 'cluster' : 'instance'}:${identifier}`;
  }

  private record(verb: string, args: unknown[]): void {
    this.calls.push({ verb, args: structuredClone(args), at: this.clock.now() });
    const fault = this.faults.get(verb);
    this.hooks.get(verb)?.();
    if (fault && fault.times > 0) {
      fault.times -= 1;
      throw fault.error;
    }
  }

  private status(schedule: Schedule): string {
    let status = schedule[0]?.status ?? 'available';
    for (const entry of schedule) if (entry.at <= this.now()) status = entry.status;
    return status;
  }

  /** Applies renames whose gap is over and removes deleted resources, as time has passed. */
  private settle(): void {
    for (const [map, isCluster] of [
      [this.instances, false],
      [this.clusters, true],
    ] as const) {
      for (const sim of [...map.values()]) {
        if (sim.goneAt !== undefined && sim.goneAt <= this.now()) {
          this.goneAtOf.set(`${isCluster ? 'cluster' : 'instance'}:${sim.identifier}`, sim.goneAt);
          map.delete(sim.identifier);
          continue;
        }
        if (sim.rename && sim.rename.at <= this.now()) {
          const { to } = sim.rename;
          map.delete(sim.identifier);
          if (isCluster) for (const m of this.instances.values()) if (m.clusterIdentifier === sim.identifier) m.clusterIdentifier = to;
          sim.identifier = to;
          sim.rename = undefined;
          (map as Map<string, typeof sim>).set(to, sim);
        }
      }
    }
  }

  private findInstance(identifier: string): SimInstance | undefined {
    this.settle();
    return this.instances.get(identifier);
  }

  private findCluster(identifier: string): SimCluster | undefined {
    this.settle();
    return this.clusters.get(identifier);
  }

  private membersOf(clusterIdentifier: string): SimInstance[] {
    this.settle();
    return [...this.instances.values()].filter((i) => i.clusterIdentifier === clusterIdentifier);
  }

  private requireInstance(identifier: string): SimInstance {
    const sim = this.findInstance(identifier);
    if (!sim) throw new PreconditionError(`DBInstanceNotFound: ${identifier}`);
    return sim;
  }

  private requireAvailable(identifier: string, schedule: Schedule): void {
    const status = this.status(schedule);
    if (status !== 'available') throw new RetryableStateError(`InvalidState: ${identifier} is ${status}`);
  }

  private scheduleRename(sim: { schedule: Schedule; rename?: { to: string; at: number } }, to: string): void {
    const t = this.now();
    const { renameGap, rename } = this.ms();
    sim.rename = { to, at: t + renameGap };
    sim.schedule.push({ at: t + renameGap, status: 'renaming' }, { at: t + renameGap + rename, status: 'available' });
  }

  /** When the state a wait just saw began, from the simulation's own schedule. */
  private reachedAt(verb: string, args: unknown[]): number | undefined {
    const since = (schedule: Schedule | undefined) => {
      let at: number | undefined;
      for (const entry of schedule ?? []) if (entry.at <= this.now()) at = entry.at;
      return at;
    };
    const [first, second] = args as string[];
    switch (verb) {
      case 'waitInstanceAvailable':
      case 'waitInstanceSettled':
        return since(this.instances.get(first ?? '')?.schedule);
      case 'waitInstanceRenamed':
        return since(this.instances.get(second ?? '')?.schedule);
      case 'waitClusterAvailable':
      case 'waitClusterSettled':
        return since(this.clusters.get(first ?? '')?.schedule);
      case 'waitClusterRenamed':
        return since(this.clusters.get(second ?? '')?.schedule);
      case 'waitInstanceDeleted':
        return this.goneAtOf.get(`instance:${first ?? ''}`);
      case 'waitClusterDeleted':
        return this.goneAtOf.get(`cluster:${first ?? ''}`);
      case 'waitSnapshotAvailable':
        return since(this.snapshots.get(this.snapKey(first ?? '', false))?.schedule);
      case 'waitClusterSnapshotAvailable':
        return since(this.snapshots.get(this.snapKey(first ?? '', true))?.schedule);
      default:
        return undefined;
    }
  }

  private newSnapshot(identifier: string, cluster: boolean, source: string, engine: string, tags: Tag[]): void {
    const engineVersion = (cluster ? this.clusters.get(source)?.config : this.instances.get(source)?.config)?.engineVersion ?? '16.3';
    if (this.snapshots.has(this.snapKey(identifier, cluster))) throw new StepError(`SnapshotAlreadyExists: ${identifier}`);
    const t = this.now();
    this.snapshots.set(this.snapKey(identifier, cluster), {
      identifier,
      cluster,
      sourceIdentifier: source,
      engine,
      engineVersion,
      createdAt: this.clock.now(),
      schedule: [
        { at: t, status: 'creating' },
        { at: t + this.ms().snapshot, status: 'available' },
      ],
      tags: structuredClone(tags),
    });
  }

  private instanceInfo(sim: SimInstance): InstanceInfo {
    const replicas = [...this.instances.values()].filter((i) => i.readReplicaSourceIdentifier === sim.identifier).map((i) => i.identifier);
    return {
      identifier: sim.identifier,
      resourceId: sim.resourceId,
      arn: `arn:aws:rds:us-east-1:123456789012:db:${sim.identifier}`,
      status: this.status(sim.schedule),
      createdAt: sim.createdAt,
      endpoint: { address: `${sim.identifier}.abc.us-east-1.rds.amazonaws.com`, port: sim.config.port ?? 5432 },
      pendingIdentifier: sim.rename && sim.rename.at > this.now() ? sim.rename.to : undefined,
      clusterIdentifier: sim.clusterIdentifier,
      readReplicaSourceIdentifier: sim.readReplicaSourceIdentifier,
      readReplicaIdentifiers: replicas,
      promotionTier: sim.promotionTier,
      parameterApplyStatus: sim.parameterApplyStatus ?? 'in-sync',
      pendingModifications: sim.pendingModifications,
      config: structuredClone(sim.config),
    };
  }

  private snapshotInfo(sim: SimSnapshot | undefined): SnapshotInfo | undefined {
    if (!sim) return undefined;
    return {
      identifier: sim.identifier,
      arn: `arn:aws:rds:us-east-1:123456789012:${sim.cluster ? 'cluster-snapshot' : 'snapshot'}:${sim.identifier}`,
      sourceIdentifier: sim.sourceIdentifier,
      engine: sim.engine,
      engineVersion: sim.engineVersion,
      status: this.status(sim.schedule),
      createdAt: sim.createdAt,
      snapshotType: 'manual',
      tags: structuredClone(sim.tags),
    };
  }

  /** Polls like the SDK waiter: first check at once, then doubling delays up to the maximum. */
  private async poll<T>(
    verb: string,
    args: unknown[],
    what: string,
    options: WaitOptions | undefined,
    check: () => Promise<{ status: string; done?: T | undefined; failed?: boolean }>,
  ): Promise<T> {
    this.record(verb, args);
    const startedAt = this.now();
    const deadline = this.now() + this.waits.maxWaitSeconds * 1000;
    for (let attempt = 0; ; attempt += 1) {
      if (attempt > 0) {
        const max = options?.urgent ? this.waits.minDelaySeconds : this.waits.maxDelaySeconds;
        const delay = Math.min(max, this.waits.minDelaySeconds * 2 ** (attempt - 1)) * 1000;
        if (this.now() + delay > deadline)
          throw new WaiterTimeoutError(`Gave up waiting for ${what} after ${this.waits.maxWaitSeconds} s.`);
        await this.clock.sleep(delay, options?.signal);
      }
      const result = await check();
      options?.onStatus?.(result.status);
      if (result.failed) throw new WaiterFailureError(`${what}: reached ${result.status}.`);
      if (result.done !== undefined) {
        const reachedAt = this.reachedAt(verb, args);
        // A state reached before the wait began is seen at the first check: no lag to speak of.
        if (reachedAt !== undefined) this.detectionLags.push(this.now() - Math.max(reachedAt, startedAt));
        return result.done;
      }
    }
  }
}

/** Settings RestoreDBInstanceFromDBSnapshot takes; the rest come back as defaults, as in RDS. */
/**
 * What the restore call takes, as the gateway sends it: tags with reserved keys are never sent
 * (RDS refuses `aws:`/`rds:` keys on write, API reference: Tag; the gateway leaves them out).
 */
function pickRestoreSettings(config: InstanceConfig): Partial<InstanceConfig> {
  const {
    backupRetentionPeriod: _b,
    preferredBackupWindow: _bw,
    preferredMaintenanceWindow: _mw,
    maxAllocatedStorage: _max,
    monitoringInterval: _mi,
    monitoringRoleArn: _mr,
    performanceInsightsEnabled: _pi,
    performanceInsightsKmsKeyId: _pk,
    performanceInsightsRetentionPeriod: _pr,
    // Nor Database Insights, IAM roles or (but for Oracle) a managed master secret (API reference).
    databaseInsightsMode: _dim,
    associatedRoles: _roles,
    masterUserSecret: secret,
    ...accepted
  } = structuredClone(config);
  return {
    ...accepted,
    tags: accepted.tags.filter((t) => !isReservedTagKey(t.key)),
    ...(secret && config.engine.startsWith('oracle') ? { masterUserSecret: newSecret('db', secret.kmsKeyId) } : {}),
  };
}

let secrets = 0;

/** The secret RDS creates when it starts managing a master password: a new ARN every time. */
function newSecret(kind: 'db' | 'cluster', kmsKeyId: string | undefined): ManagedSecret {
  secrets += 1;
  return { secretArn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!${kind}-${String(secrets).padStart(6, '0')}`, kmsKeyId };
}

const STORAGE_KEYS = ['allocatedStorage', 'storageType', 'iops', 'storageThroughput'];

function nameOf(identifierOrArn: string): string {
  return identifierOrArn.startsWith('arn:') ? identifierOrArn.slice(identifierOrArn.lastIndexOf(':') + 1) : identifierOrArn;
}
