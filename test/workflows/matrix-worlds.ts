import { vi } from 'vitest';
import type { ConfigInput } from '../../src/config/config-schema.js';
import { OutcomeUnknownError, StepError } from '../../src/core/errors.js';
import type { KindName } from '../../src/workflows/kinds/registry.js';
import type { ServiceDeps } from '../../src/workflows/service.js';
import type { FakeRds } from '../fakes/fake-rds.js';
import type { MemoryJournal } from '../fakes/memory-journal.js';
import { FAST_TIMINGS } from '../sim/sim-timings.js';
import { seedSampleCluster, seedSampleInstance, simWorld } from '../sim/sim-world.js';
import { vitestTimers } from '../sim/virtual-time.js';
import { clusterWorld } from './cluster-world.js';
import { instanceWorld } from './instance-world.js';

/** The mutating actions the generic tests count, in the port's words. */
export type Action = 'restore' | 'createMember' | 'rename' | 'renameMember' | 'delete' | 'deleteMember' | 'failover';

/**
 * One world the generic restore tests run in: the fake RDS (a stand-in for the gateway), or the
 * simulated RDS behind a real RDSClient with the production gateway on virtual time.
 */
export interface MatrixWorld {
  deps: ServiceDeps;
  journal: MemoryJournal;
  /** Drives a promise to its end (on virtual time where there is one). */
  run<T>(work: Promise<T>): Promise<T>;
  /** Lets RDS finish whatever was requested (after a simulated crash, before a check). */
  settle(): Promise<void>;
  /** Every database name (`instance x`, `cluster y`) → `<resource id> <status>`. */
  names(): Promise<Map<string, string>>;
  /** Custom endpoints → the cluster they belong to now. */
  endpoints(): Map<string, string>;
  count(action: Action): number;
  /** Restores end in a terminal state (the run reverts). */
  failRestores(): void;
  /** The next rename of the primary (or of a member) takes effect, then its answer is lost. */
  loseRenameAnswer(member: boolean): void;
  /** Every request to rename `from` (the primary, or a member) is refused: nothing happens. */
  refuseRenamesOf(member: boolean, from: string): void;
  /**
   * The process dies after `n` more rename requests of the primary (or of members) went through:
   * every later one fails (nothing happens) and the journal takes no more writes. `revive`
   * clears both, for the resume.
   */
  dieAfterRenames(member: boolean, n: number): { revive(): void };
  /**
   * The process dies right after the `n`-th failover request reached RDS: it takes effect (the
   * cluster fails over), its answer is lost, and the journal takes no more writes. Clear
   * `journal.crashAfterWrites` to resume.
   */
  dieAfterFailover(n: number): void;
  /** Every failover request from the `from`-th on is refused (InvalidParameterValue): nothing happens. */
  refuseFailovers(from: number): void;
  stop(): void;
}

/** Sees each rename request with its number (from 1) and the name it renames; says whether RDS refuses it. */
type RenameGate = (n: number, from: string) => boolean;

function fakeWorld(rds: FakeRds, base: { deps: ServiceDeps; journal: MemoryJournal }): MatrixWorld {
  const verbs: Record<Action, string> = {
    restore: rds.clusters.size > 0 ? 'restoreCluster' : 'restoreInstance',
    createMember: 'createClusterMember',
    rename: rds.clusters.size > 0 ? 'renameCluster' : 'renameInstance',
    renameMember: 'renameInstance',
    delete: rds.clusters.size > 0 ? 'deleteCluster' : 'deleteInstance',
    deleteMember: 'deleteInstance',
    failover: 'failoverDbCluster',
  };
  return {
    ...base,
    run: (work) => work,
    settle: async () => rds.settleAll(),
    async names() {
      const out = new Map<string, string>();
      for (const name of rds.instances.keys()) {
        const info = await rds.describeInstance(name);
        if (info) out.set(`instance ${info.identifier}`, `${info.resourceId} ${info.status}`);
      }
      for (const name of rds.clusters.keys()) {
        const info = await rds.describeCluster(name);
        if (info) out.set(`cluster ${info.identifier}`, `${info.resourceId} ${info.status}`);
      }
      return out;
    },
    endpoints: () =>
      new Map(
        [...rds.endpoints.keys()].map((name) => [
          name,
          [...rds.clusters.values()].find((c) => c.resourceId === rds.endpoints.get(name)?.clusterResourceId)?.identifier ?? '?',
        ]),
      ),
    failRestores: () => rds.setRestoreOutcome('incompatible-restore'),
    loseRenameAnswer: (member) =>
      rds.actThenFail(member ? 'renameInstance' : (verbs.rename as 'renameInstance'), new OutcomeUnknownError('socket hang up')),
    refuseRenamesOf: (member, from) => void gate(member, (_n, name) => name === from),
    dieAfterRenames(member, n) {
      const ungate = gate(member, (k) => {
        if (k === n + 1) base.journal.crashAfterWrites = base.journal.writes;
        return k > n;
      });
      return {
        revive: () => {
          ungate();
          base.journal.crashAfterWrites = undefined;
        },
      };
    },
    dieAfterFailover(n) {
      const real = rds.failoverDbCluster.bind(rds);
      let seen = 0;
      rds.failoverDbCluster = async (cluster: string, target: string) => {
        await real(cluster, target);
        seen += 1;
        if (seen !== n) return;
        base.journal.crashAfterWrites = base.journal.writes;
        throw new OutcomeUnknownError('socket hang up (the process dies)');
      };
    },
    refuseFailovers(from) {
      const real = rds.failoverDbCluster.bind(rds);
      let seen = 0;
      rds.failoverDbCluster = async (cluster: string, target: string) => {
        seen += 1;
        if (seen >= from) throw new StepError(`InvalidParameterValue: failover of ${cluster} refused (simulated)`);
        return real(cluster, target);
      };
    },
    count: (action) => rds.calls.filter((c) => c.verb === verbs[action]).length,
    stop: () => undefined,
  };
  /** Wraps the rename verb: a refused request is neither recorded nor acted on. Returns the undo. */
  function gate(member: boolean, fails: RenameGate): () => void {
    const verb = (member ? 'renameInstance' : verbs.rename) as 'renameInstance';
    const real = rds[verb].bind(rds);
    let seen = 0;
    rds[verb] = async (from: string, to: string) => {
      seen += 1;
      if (fails(seen, from)) throw new StepError(`InvalidParameterCombination: ${from} refused (simulated)`);
      return real(from, to);
    };
    return () => {
      rds[verb] = real;
    };
  }
}

function simulatedWorld(kind: KindName, config: ConfigInput): MatrixWorld {
  const w = simWorld({ timers: vitestTimers(vi), timings: FAST_TIMINGS, config });
  const cluster = kind === 'aurora-cluster';
  if (cluster) seedSampleCluster(w.sim);
  else seedSampleInstance(w.sim);
  const renameOf = (command: string, field: string) => () =>
    w.sim.callsOf(command).filter((c) => c.input[field] !== undefined && c.outcome !== 'answer-lost');
  const counts: Record<Action, () => unknown[]> = {
    restore: () => w.sim.callsOf(cluster ? 'RestoreDBClusterFromSnapshot' : 'RestoreDBInstanceFromDBSnapshot'),
    createMember: () => w.sim.callsOf('CreateDBInstance'),
    rename: cluster ? renameOf('ModifyDBCluster', 'NewDBClusterIdentifier') : renameOf('ModifyDBInstance', 'NewDBInstanceIdentifier'),
    renameMember: renameOf('ModifyDBInstance', 'NewDBInstanceIdentifier'),
    delete: () => w.sim.callsOf(cluster ? 'DeleteDBCluster' : 'DeleteDBInstance'),
    deleteMember: () => w.sim.callsOf('DeleteDBInstance'),
    // A failover whose answer was lost took effect: it counts.
    failover: () => w.sim.callsOf('FailoverDBCluster').map((c) => (c.outcome === 'answer-lost' ? { ...c, outcome: 'ok' } : c)),
  };
  return {
    deps: w.deps,
    journal: w.journal,
    run: (work) => w.time.run(work),
    settle: () => w.time.advance(24 * 3600 * 1000),
    async names() {
      const out = new Map<string, string>();
      for (const r of w.sim.store.instances.filter((x) => !x.gone))
        out.set(`instance ${r.db.DBInstanceIdentifier}`, `${r.db.DbiResourceId} ${r.db.DBInstanceStatus}`);
      for (const r of w.sim.store.clusters.filter((x) => !x.gone))
        out.set(`cluster ${r.db.DBClusterIdentifier}`, `${r.db.DbClusterResourceId} ${r.db.Status}`);
      return out;
    },
    endpoints: () => new Map(),
    count: (action) => counts[action]().filter((c) => (c as { outcome: string }).outcome === 'ok').length,
    failRestores: () => w.sim.failRestoresWith('incompatible-restore'),
    loseRenameAnswer: (member) =>
      void w.sim.faults.loseAnswer(
        member || !cluster
          ? { command: 'ModifyDBInstance', when: (input) => input.NewDBInstanceIdentifier !== undefined }
          : { command: 'ModifyDBCluster', when: (input) => input.NewDBClusterIdentifier !== undefined },
      ),
    refuseRenamesOf: (member, from) => gate(member, (_n, name) => name === from),
    dieAfterRenames(member, n) {
      gate(member, (k) => {
        if (k === n + 1) w.journal.crashAfterWrites = w.journal.writes;
        return k > n;
      });
      return {
        revive: () => {
          w.sim.faults.clear();
          w.journal.crashAfterWrites = undefined;
        },
      };
    },
    dieAfterFailover(n) {
      let seen = 0;
      // The failover takes effect, then the connection drops (the SDK's retry is refused: the cluster is failing-over).
      w.sim.faults.loseAnswer({
        command: 'FailoverDBCluster',
        when: () => {
          seen += 1;
          if (seen !== n) return false;
          w.journal.crashAfterWrites = w.journal.writes;
          return true;
        },
      });
    },
    refuseFailovers(from) {
      let seen = 0;
      w.sim.faults.failNext({ command: 'FailoverDBCluster', when: () => ++seen >= from }, { code: 'InvalidParameterValue' }, 1_000);
    },
    stop: () => w.stop(),
  };
  function gate(member: boolean, fails: RenameGate): void {
    const [command, field] =
      member || !cluster ? ['ModifyDBInstance', 'NewDBInstanceIdentifier'] : ['ModifyDBCluster', 'NewDBClusterIdentifier'];
    let seen = 0;
    // Refused as RDS refuses a request (400): nothing happens, and the SDK does not retry it.
    w.sim.faults.failNext(
      {
        command,
        when: (input) =>
          input[field] !== undefined && fails(++seen, String(input[member || !cluster ? 'DBInstanceIdentifier' : 'DBClusterIdentifier'])),
      },
      { code: 'InvalidParameterCombination' },
      1_000,
    );
  }
}

/** The worlds, per kind: the fake RDS, and the production gateway over the simulated RDS. */
export const WORLDS: { name: string; kind: KindName; identifier: string; snapshot: string; make(config: ConfigInput): MatrixWorld }[] = [
  { name: 'fake RDS', kind: 'instance', identifier: 'db1', snapshot: 's1', make: (config) => fakeFrom(instanceWorld(config)) },
  { name: 'fake RDS', kind: 'aurora-cluster', identifier: 'c1', snapshot: 'cs1', make: (config) => fakeFrom(clusterWorld(config)) },
  {
    name: 'production gateway, simulated RDS',
    kind: 'instance',
    identifier: 'db1',
    snapshot: 's1',
    make: (config) => simulatedWorld('instance', config),
  },
  {
    name: 'production gateway, simulated RDS',
    kind: 'aurora-cluster',
    identifier: 'c1',
    snapshot: 'cs1',
    make: (config) => simulatedWorld('aurora-cluster', config),
  },
];

function fakeFrom(world: { rds: FakeRds; deps: ServiceDeps; journal: MemoryJournal }): MatrixWorld {
  return fakeWorld(world.rds, world);
}
