import { afterEach, describe, expect, it } from 'vitest';
import { resumeRun } from '../../src/workflows/run/resume-run.js';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { SimulatedCrash } from '../fakes/memory-journal.js';
import { WORLDS, type Action, type MatrixWorld } from './matrix-worlds.js';

// The generic restore, tested once for every kind × strategy × world: the fake RDS, and the
// production gateway (request building, error mapping, the SDK waiters) over the simulated RDS.

const STRATEGIES = ['swap', 'rename-first'] as const;

/** How many of each mutating call a clean run makes, per kind (swap renames twice as often). */
const CLEAN_CALLS: Record<string, Partial<Record<Action, number>>> = {
  instance: { restore: 1, rename: 1, delete: 1 },
  // Three members: each created, renamed and deleted once; the cluster likewise.
  'aurora-cluster': { restore: 1, createMember: 3, rename: 1, renameMember: 3, delete: 1, deleteMember: 3 },
};

/** Failovers of a clean run: swap cuts a cluster with readers over writer-last (the copy's failover, then the fail-back). */
const cleanFailovers = (kind: string, strategy: string): number => (kind === 'aurora-cluster' && strategy === 'swap' ? 2 : 0);

/** Each change of a clean run made exactly once (renames and failovers: the cut-over's own requests). */
function expectEachChangeOnce(w: MatrixWorld, kind: string, strategy: string, label: string): void {
  for (const action of ['rename', 'renameMember'] as const) {
    const count = CLEAN_CALLS[kind]?.[action];
    if (count !== undefined) expect(w.count(action), `${label}: ${action}`).toBe(count * (strategy === 'swap' ? 2 : 1));
  }
  expect(w.count('failover'), `${label}: failover`).toBe(cleanFailovers(kind, strategy));
}

let current: MatrixWorld | undefined;
afterEach(() => {
  current?.stop();
  current = undefined;
});

for (const world of WORLDS) {
  for (const strategy of STRATEGIES) {
    const fresh = (): MatrixWorld => {
      current?.stop();
      current = world.make({ restore: { strategy } });
      return current;
    };
    const start = async (w: MatrixWorld) => {
      const prepared = await w.run(
        prepareRestore(w.deps, { identifier: world.identifier, kind: world.kind, snapshot: world.snapshot, freshSnapshot: false }),
      );
      expect(prepared.ok, JSON.stringify(prepared.summary.preflight)).toBe(true);
      return w.run(prepared.start());
    };
    /** The same names as before, each with a new resource id (restored) or the same (reverted), all available. */
    const expectNames = async (w: MatrixWorld, before: Map<string, string>, restored: boolean, label: string) => {
      await w.settle();
      const after = await w.names();
      expect([...after.keys()].sort(), label).toEqual([...before.keys()].sort());
      for (const [name, value] of after) {
        expect(value.endsWith(' available'), `${label}: ${name} is ${value}`).toBe(true);
        expect(value === before.get(name), `${label}: ${name} ${restored ? 'was replaced' : 'is the original'}`).toBe(!restored);
      }
      // Custom endpoints end on the database under its name.
      for (const [name, cluster] of w.endpoints()) expect(cluster, `${label}: endpoint ${name}`).toBe(world.identifier);
    };
    /**
     * For every journal write n before the last of a run that made `writes`: a fresh world (with
     * `prepare`'s faults) crashes after write n, RDS goes on with whatever was requested, and a
     * resume must end `status` with the same names, restored (succeeded) or the originals.
     */
    const crashAtEveryWrite = async (
      writes: number,
      status: 'succeeded' | 'rolled_back',
      prepare: (w: MatrixWorld) => void = () => undefined,
    ) => {
      for (let n = 1; n < writes; n += 1) {
        const label = `crash after write ${n}`;
        const w = fresh();
        const before = await w.names();
        prepare(w);
        w.journal.crashAfterWrites = n;
        await expect(start(w), label).rejects.toBeInstanceOf(SimulatedCrash);
        w.journal.crashAfterWrites = undefined;
        await w.settle();
        expect((await w.run(resumeRun(w.deps))).outcome.status, label).toBe(status);
        await expectNames(w, before, status === 'succeeded', label);
        if (status === 'succeeded') expectEachChangeOnce(w, world.kind, strategy, label);
      }
    };

    // A crash loop on the simulated RDS runs dozens of whole restores: give it time.
    describe(`${world.kind}, ${strategy} (${world.name})`, { timeout: 180_000 }, () => {
      it('makes each change exactly once in a clean run (counted per call)', async () => {
        const w = fresh();
        const before = await w.names();
        expect((await start(w)).outcome.status).toBe('succeeded');
        for (const [action, count] of Object.entries(CLEAN_CALLS[world.kind] ?? {})) {
          const factor = strategy === 'swap' && action.startsWith('rename') ? 2 : 1;
          expect(w.count(action as Action), action).toBe(count * factor);
        }
        expect(w.count('failover'), 'failover').toBe(cleanFailovers(world.kind, strategy));
        await expectNames(w, before, true, 'clean run');
      });

      it('resumes after a crash at every journal write and ends with the same names, restored', async () => {
        const probe = fresh();
        await start(probe);
        const total = probe.journal.writes;
        expect(total).toBeGreaterThan(10);
        await crashAtEveryWrite(total, 'succeeded');
      });

      it('resumes a revert after a crash at every journal write and ends with the originals under their names', async () => {
        const probe = fresh();
        probe.failRestores();
        expect((await start(probe)).outcome.status).toBe('rolled_back');
        await crashAtEveryWrite(probe.journal.writes, 'rolled_back', (w) => w.failRestores());
      });

      // The cut-over's own crash boundaries: a rename refused in it starts a revert, and that
      // revert resumes after a crash at every journal write; a step that issued some of its
      // renames side by side and died resumes by issuing only the rest.
      const cutOverFailures =
        strategy !== 'swap'
          ? []
          : world.kind === 'aurora-cluster'
            ? [
                { member: false, from: 'c1-restoring', what: "the restored cluster's rename" },
                // The other two restored members take their names beside it: the revert puts them back.
                { member: true, from: 'c1-b-restoring', what: "a restored member's rename" },
              ]
            : [{ member: false, from: 'db1-restoring', what: "the restored instance's rename" }];
      for (const failure of cutOverFailures) {
        it(`reverts when ${failure.what} is refused, and resumes that revert after a crash at every journal write`, async () => {
          const probe = fresh();
          const before = await probe.names();
          probe.refuseRenamesOf(failure.member, failure.from);
          expect((await start(probe)).outcome).toMatchObject({ status: 'rolled_back' });
          await expectNames(probe, before, false, 'no crash');
          await crashAtEveryWrite(probe.journal.writes, 'rolled_back', (w) => w.refuseRenamesOf(failure.member, failure.from));
        });
      }

      if (world.kind === 'aurora-cluster') {
        // Members are renamed side by side: away (both strategies), and into place (swap).
        const memberRenames = strategy === 'swap' ? 6 : 3;
        it('resumes a step that died after issuing some of its member renames: each rename is issued exactly once', async () => {
          for (let n = 1; n < memberRenames; n += 1) {
            const w = fresh();
            const before = await w.names();
            const died = w.dieAfterRenames(true, n);
            await expect(start(w), `died after ${n} member renames`).rejects.toBeInstanceOf(SimulatedCrash);
            expect(w.count('renameMember'), `died after ${n} member renames`).toBe(n);
            died.revive();
            await w.settle();
            expect((await w.run(resumeRun(w.deps))).outcome.status, `died after ${n} member renames`).toBe('succeeded');
            expect(w.count('renameMember'), `died after ${n} member renames`).toBe(memberRenames);
            await expectNames(w, before, true, `died after ${n} member renames`);
          }
        });
      }

      if (world.kind === 'aurora-cluster' && strategy === 'swap') {
        it('resumes after the process died at each failover, the failover under way: each failover and rename is issued exactly once', async () => {
          for (const n of [1, 2]) {
            const w = fresh();
            const before = await w.names();
            w.dieAfterFailover(n);
            await expect(start(w), `died at failover ${n}`).rejects.toBeInstanceOf(SimulatedCrash);
            expect(w.count('failover'), `died at failover ${n}`).toBe(n);
            // No settle: the resumed run finds RDS as the process left it.
            w.journal.crashAfterWrites = undefined;
            expect((await w.run(resumeRun(w.deps))).outcome.status, `died at failover ${n}`).toBe('succeeded');
            await expectNames(w, before, true, `died at failover ${n}`);
            expectEachChangeOnce(w, world.kind, strategy, `died at failover ${n}`);
          }
        });

        for (const [from, stepId] of [
          [1, 'failover-restored'],
          [2, 'fail-back'],
        ] as const) {
          it(`reverts when ${stepId === 'fail-back' ? 'the fail-back (after the cut-over)' : 'the failover of the copy'} is refused, and resumes that revert after a crash at every journal write`, async () => {
            const probe = fresh();
            const before = await probe.names();
            probe.refuseFailovers(from);
            expect((await start(probe)).outcome).toMatchObject({ status: 'rolled_back', failure: { stepId } });
            await expectNames(probe, before, false, 'no crash');
            await crashAtEveryWrite(probe.journal.writes, 'rolled_back', (w) => w.refuseFailovers(from));
          });
        }
      }

      for (const member of world.kind === 'aurora-cluster' ? [false, true] : [false]) {
        it(`does not revert when a ${member ? "member's" : ''} rename takes effect but its answer is lost: the step is re-checked`, async () => {
          const w = fresh();
          const before = await w.names();
          w.loseRenameAnswer(member);
          const { outcome, summary } = await start(w);
          expect(outcome.status).toBe('succeeded');
          expect(summary.warnings).toEqual([]);
          await expectNames(w, before, true, 'after a lost answer');
        });
      }
    });
  }
}
