import { describe, expect, it } from 'vitest';
import { OutcomeUnknownError } from '../../src/core/errors.js';
import type { ConfigInput } from '../../src/config/config-schema.js';
import { prepareRestore, resumeRun } from '../../src/workflows/run/start-run.js';
import type { KindName } from '../../src/workflows/kinds/registry.js';
import type { FakeRds } from '../fakes/fake-rds.js';
import { SimulatedCrash } from '../fakes/memory-journal.js';
import { clusterWorld } from './cluster-world.js';
import { instanceWorld } from './instance-world.js';

/** What every kind's world offers the generic tests. */
interface KindCase {
  kind: KindName;
  identifier: string;
  snapshot: string;
  world(config: ConfigInput): ReturnType<typeof instanceWorld> | ReturnType<typeof clusterWorld>;
  /** Every database name of the world, mapped to its resource id, once settled. */
  names(rds: FakeRds): Promise<Map<string, string>>;
  /** The rename verbs the cut-over uses. */
  renameVerbs: ('renameInstance' | 'renameCluster')[];
  /** How many of each mutating call a clean run makes. */
  cleanCalls: Record<string, number>;
}

async function namesOf(rds: FakeRds): Promise<Map<string, string>> {
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
}

const CASES: KindCase[] = [
  {
    kind: 'instance',
    identifier: 'db1',
    snapshot: 's1',
    world: (config) => instanceWorld(config),
    names: namesOf,
    renameVerbs: ['renameInstance'],
    cleanCalls: { restoreInstance: 1, renameInstance: 1, deleteInstance: 1 },
  },
  {
    kind: 'aurora-cluster',
    identifier: 'c1',
    snapshot: 'cs1',
    world: (config) => clusterWorld(config),
    names: namesOf,
    renameVerbs: ['renameInstance', 'renameCluster'],
    // Three members: each created once, renamed once and deleted once; the cluster likewise.
    cleanCalls: { restoreCluster: 1, createClusterMember: 3, renameCluster: 1, renameInstance: 3, deleteInstance: 3, deleteCluster: 1 },
  },
];

const STRATEGIES = ['swap', 'rename-first'] as const;

for (const c of CASES) {
  for (const strategy of STRATEGIES) {
    const fresh = () => c.world({ restore: { strategy } });
    const start = async (world: ReturnType<typeof fresh>) => {
      const prepared = await prepareRestore(world.deps, {
        identifier: c.identifier,
        kind: c.kind,
        snapshot: c.snapshot,
        freshSnapshot: false,
      });
      expect(prepared.ok, JSON.stringify(prepared.summary.preflight)).toBe(true);
      return prepared.start();
    };
    /** The same names as before, each with a new resource id (restored) or the same (reverted), all available. */
    const expectNames = async (world: ReturnType<typeof fresh>, before: Map<string, string>, restored: boolean, label: string) => {
      world.rds.settleAll();
      const after = await c.names(world.rds);
      expect([...after.keys()].sort(), label).toEqual([...before.keys()].sort());
      // Custom endpoints end on the database under its name, as many as before.
      for (const [name, endpoint] of world.rds.endpoints) {
        expect((await world.rds.describeCustomEndpoint(name))?.clusterIdentifier, `${label}: ${name}`).toBe(c.identifier);
        expect(endpoint.endpoint.identifier).toBe(name);
      }
      for (const [name, value] of after) {
        expect(value.endsWith(' available'), `${label}: ${name} is ${value}`).toBe(true);
        expect(value === before.get(name), `${label}: ${name} ${restored ? 'was replaced' : 'is the original'}`).toBe(!restored);
      }
    };

    describe(`${c.kind}, ${strategy}`, () => {
      it('makes each change exactly once in a clean run (counted per call)', async () => {
        const world = fresh();
        const before = await c.names(world.rds);
        const { outcome } = await start(world);
        expect(outcome.status).toBe('succeeded');
        // Swap renames each original away and each copy into place: twice the renames.
        const factor = (verb: string) => (strategy === 'swap' && verb.startsWith('rename') ? 2 : 1);
        for (const [verb, count] of Object.entries(c.cleanCalls)) {
          expect(world.rds.calls.filter((call) => call.verb === verb).length, verb).toBe(count * factor(verb));
        }
        await expectNames(world, before, true, 'clean run');
      });

      it('resumes after a crash at every journal write and ends with the same names, restored', async () => {
        const probe = fresh();
        await start(probe);
        const total = probe.journal.writes;
        expect(total).toBeGreaterThan(10);
        for (let n = 1; n < total; n += 1) {
          const world = fresh();
          const before = await c.names(world.rds);
          world.journal.crashAfterWrites = n;
          await expect(start(world), `crash after write ${n}`).rejects.toBeInstanceOf(SimulatedCrash);
          // The process is gone; RDS goes on with whatever was requested.
          world.journal.crashAfterWrites = undefined;
          world.rds.settleAll();
          expect((await resumeRun(world.deps)).outcome.status, `crash after write ${n}`).toBe('succeeded');
          await expectNames(world, before, true, `crash after write ${n}`);
        }
      });

      it('resumes a revert after a crash at every journal write and ends with the originals under their names', async () => {
        const failing = (world: ReturnType<typeof fresh>) => world.rds.setRestoreOutcome('incompatible-restore');
        const probe = fresh();
        failing(probe);
        expect((await start(probe)).outcome.status).toBe('rolled_back');
        for (let n = 1; n < probe.journal.writes; n += 1) {
          const world = fresh();
          const before = await c.names(world.rds);
          failing(world);
          world.journal.crashAfterWrites = n;
          await expect(start(world), `crash after write ${n}`).rejects.toBeInstanceOf(SimulatedCrash);
          world.journal.crashAfterWrites = undefined;
          world.rds.settleAll();
          expect((await resumeRun(world.deps)).outcome.status, `crash after write ${n}`).toBe('rolled_back');
          await expectNames(world, before, false, `crash after write ${n}`);
        }
      });

      for (const verb of c.renameVerbs) {
        it(`does not revert when a ${verb} takes effect but its answer is lost: the step is re-checked`, async () => {
          const world = fresh();
          const before = await c.names(world.rds);
          world.rds.actThenFail(verb, new OutcomeUnknownError('socket hang up'));
          const { outcome, summary } = await start(world);
          expect(outcome.status).toBe('succeeded');
          expect(summary.warnings).toEqual([]);
          // The lost answer did not make trapheus ask for the rename a second time.
          const renames = world.rds.calls.filter((call) => call.verb === verb).map((call) => JSON.stringify(call.args));
          expect(new Set(renames).size).toBe(renames.length);
          await expectNames(world, before, true, 'after a lost answer');
        });
      }
    });
  }
}
