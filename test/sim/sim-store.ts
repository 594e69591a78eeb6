import type {
  BlueGreenDeployment,
  DBCluster,
  DBClusterEndpoint,
  DBClusterSnapshot,
  DBInstance,
  DBSnapshot,
  Tag,
} from '@aws-sdk/client-rds';
import type { SimTimings } from './sim-timings.js';

/** Something scheduled events belong to: bumping `epoch` cancels them, `gone` ends them. */
export interface Owned {
  epoch: number;
  gone: boolean;
}

/** A DB instance: its Describe view, and what was requested but is not visible yet. */
export interface InstanceRecord extends Owned {
  db: DBInstance;
  /** Applied when the current `modifying` ends, or at a rename's reboot. */
  deferred: Partial<DBInstance>;
  /** Asked for without ApplyImmediately: waits for the maintenance window (or a later ApplyImmediately). */
  windowed: Partial<DBInstance>;
  /** A rename asked for without ApplyImmediately. */
  windowedRename?: string | undefined;
  /** A rename under way (requested with ApplyImmediately, not yet available under the new name). */
  renaming?: boolean | undefined;
}

/** A DB cluster (Aurora, or a Multi-AZ DB cluster when `multiAz`). */
export interface ClusterRecord extends Owned {
  db: DBCluster;
  deferred: Partial<DBCluster>;
  multiAz: boolean;
  /** DbiResourceId of the writer; the first member created becomes it. */
  writer?: string | undefined;
}

/** A DB snapshot and the instance it was taken of, as that instance was then. */
export interface SnapshotRecord extends Owned {
  snap: DBSnapshot;
  source: DBInstance;
}

export interface ClusterSnapshotRecord extends Owned {
  snap: DBClusterSnapshot;
  source: DBCluster;
}

/** An Aurora custom endpoint; it follows its cluster (by resource id) through renames. */
export interface EndpointRecord extends Owned {
  endpoint: DBClusterEndpoint;
  clusterResourceId: string;
  TagList: Tag[];
}

/** What happened to the automated backups of a deleted instance or cluster (for assertions). */
export interface AutomatedBackupsFate {
  kind: 'instance' | 'cluster';
  identifier: string;
  resourceId: string;
  retained: boolean;
  at: Date;
}

/** One status change (or `deleted`, or a rename's new name) of an instance or cluster, when it happened. */
export interface StatusChange {
  kind: 'instance' | 'cluster';
  resourceId: string;
  identifier: string;
  status: string;
  at: number;
}

/** Settings of one simulated account and region. */
export interface StoreOptions {
  /** The current virtual time in ms (default `Date.now`, which fake timers make virtual). */
  now: () => number;
  region: string;
  accountId: string;
  timings: SimTimings;
}

interface SimEvent {
  at: number;
  seq: number;
  owner: Owned;
  epoch: number;
  run: () => void;
}

/** One step of a timeline: its work runs when it starts; the next starts `seconds` later. */
export interface Phase {
  seconds: number;
  run: () => void;
}

/**
 * The state of the simulated account and its clock of scheduled transitions. Nothing runs on
 * its own: every request first applies the transitions whose time has come (`advance`), so the
 * simulation needs no timers and is exact at whatever virtual time it is asked.
 */
export class SimStore {
  readonly instances: InstanceRecord[] = [];
  readonly clusters: ClusterRecord[] = [];
  readonly snapshots: SnapshotRecord[] = [];
  readonly clusterSnapshots: ClusterSnapshotRecord[] = [];
  readonly clusterEndpoints: EndpointRecord[] = [];
  readonly automatedBackups: AutomatedBackupsFate[] = [];
  /** Every status change, in order: when the awaited state was reached (the bench's detection lag). */
  readonly statusLog: StatusChange[] = [];
  /** DB parameter groups by name → family (`postgres16`). Default groups are implied. */
  readonly parameterGroups = new Map<string, string>();
  readonly clusterParameterGroups = new Map<string, string>();
  /** Option groups by name → `engine major` (`postgres 16`). Default groups are implied. */
  readonly optionGroups = new Map<string, string>();
  readonly subnetGroups = new Set<string>(['default']);
  readonly blueGreenDeployments: BlueGreenDeployment[] = [];
  quotas = { DBInstances: 40, DBClusters: 40, ManualSnapshots: 100 };
  private readonly events: SimEvent[] = [];
  private seq = 0;
  private ids = 0;
  private eventTime: number | undefined;

  constructor(readonly options: StoreOptions) {}

  get timings(): SimTimings {
    return this.options.timings;
  }

  /** The current time; inside a scheduled transition, the time that transition was due. */
  now(): number {
    return this.eventTime ?? this.options.now();
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Applies, in order, every transition due by now. */
  advance(): void {
    const limit = this.options.now();
    while (this.events.length > 0 && (this.events[0]?.at ?? Infinity) <= limit) {
      const event = this.events.shift();
      if (!event || event.owner.gone || event.owner.epoch !== event.epoch) continue;
      this.eventTime = event.at;
      try {
        event.run();
      } finally {
        this.eventTime = undefined;
      }
    }
  }

  /** When the next transition is due (ms), if any. */
  nextTransitionAt(): number | undefined {
    return this.events.find((e) => !e.owner.gone && e.owner.epoch === e.epoch)?.at;
  }

  logStatus(kind: StatusChange['kind'], resourceId: string | undefined, identifier: string | undefined, status: string): void {
    this.statusLog.push({ kind, resourceId: resourceId ?? '', identifier: identifier ?? '', status, at: this.now() });
  }

  /** Schedules `run` for `owner`, `seconds` from now. */
  after(owner: Owned, seconds: number, run: () => void): void {
    const event: SimEvent = { at: this.now() + seconds * 1000, seq: (this.seq += 1), owner, epoch: owner.epoch, run };
    const i = this.events.findIndex((e) => e.at > event.at);
    if (i < 0) this.events.push(event);
    else this.events.splice(i, 0, event);
  }

  /** Runs the phases one after another, the first at once. */
  timeline(owner: Owned, phases: Phase[]): void {
    let offset = 0;
    for (const phase of phases) {
      if (offset === 0) phase.run();
      else this.after(owner, offset, phase.run);
      offset += phase.seconds;
    }
  }

  /** Cancels everything scheduled for `owner` (a newer request replaces it). */
  restart(owner: Owned): void {
    owner.epoch += 1;
  }

  // ---- lookups (identifiers are stored in lower case, as RDS stores them) -----------------

  instance(idOrArn: string | undefined): InstanceRecord | undefined {
    const id = this.nameOf(idOrArn, 'db');
    return this.instances.find((r) => !r.gone && r.db.DBInstanceIdentifier === id);
  }

  cluster(idOrArn: string | undefined): ClusterRecord | undefined {
    const id = this.nameOf(idOrArn, 'cluster');
    return this.clusters.find((r) => !r.gone && r.db.DBClusterIdentifier === id);
  }

  snapshot(idOrArn: string | undefined): SnapshotRecord | undefined {
    const id = this.nameOf(idOrArn, 'snapshot');
    return this.snapshots.find((r) => !r.gone && r.snap.DBSnapshotIdentifier === id);
  }

  clusterSnapshot(idOrArn: string | undefined): ClusterSnapshotRecord | undefined {
    const id = this.nameOf(idOrArn, 'cluster-snapshot');
    return this.clusterSnapshots.find((r) => !r.gone && r.snap.DBClusterSnapshotIdentifier === id);
  }

  /** An instance name counts as taken while an instance has it, or is being renamed to it. */
  instanceNameTaken(id: string): boolean {
    const name = id.toLowerCase();
    return this.instances.some(
      (r) => !r.gone && (r.db.DBInstanceIdentifier === name || r.db.PendingModifiedValues?.DBInstanceIdentifier === name),
    );
  }

  clusterNameTaken(id: string): boolean {
    const name = id.toLowerCase();
    return this.clusters.some(
      (r) => !r.gone && (r.db.DBClusterIdentifier === name || r.db.PendingModifiedValues?.DBClusterIdentifier === name),
    );
  }

  membersOf(clusterId: string | undefined): InstanceRecord[] {
    return this.instances.filter((r) => !r.gone && r.db.DBClusterIdentifier === clusterId);
  }

  // ---- names ------------------------------------------------------------------------------

  arn(type: 'db' | 'cluster' | 'snapshot' | 'cluster-snapshot' | 'cluster-endpoint' | 'deployment', name: string): string {
    return `arn:aws:rds:${this.options.region}:${this.options.accountId}:${type}:${name}`;
  }

  /** A new resource id in RDS's style (`db-` + 26 upper-case letters and digits). */
  newResourceId(prefix: 'db' | 'cluster' | 'bgd'): string {
    this.ids += 1;
    return `${prefix}-SIM${String(this.ids).padStart(23, '0')}`;
  }

  /** RDS's DNS names: `db1.<id>.<region>.rds.amazonaws.com`, `c1.cluster-<id>…`, `c1.cluster-ro-<id>…`, `e1.cluster-custom-<id>…`. */
  endpoint(name: string, kind: 'instance' | 'cluster' | 'cluster-ro' | 'cluster-custom'): string {
    const prefix = kind === 'instance' ? '' : `${kind}-`;
    return `${name}.${prefix}csimulated01.${this.options.region}.rds.amazonaws.com`;
  }

  /** The name in an identifier or an ARN of this account's resource of `type`. */
  private nameOf(idOrArn: string | undefined, type: string): string | undefined {
    if (idOrArn === undefined) return undefined;
    const prefix = `arn:aws:rds:${this.options.region}:${this.options.accountId}:${type}:`;
    if (idOrArn.startsWith('arn:')) return idOrArn.startsWith(prefix) ? idOrArn.slice(prefix.length).toLowerCase() : undefined;
    return idOrArn.toLowerCase();
  }
}
