/**
 * What every Journal promises (the file store and the S3 store run the same tests): a saved run
 * loads as saved, concurrent saves of one run are serialized, queries select from names before
 * reading (identifier, unfinished, limit), finished runs are kept apart and still found,
 * unreadable runs are reported instead of failing the listing, and another process sees them.
 */
import { describe, expect, it } from 'vitest';
import { PreconditionError, UsageError } from '../../src/core/errors.js';
import type { Journal } from '../../src/engine/journal.js';
import { RUN_SCHEMA_VERSION, type RunDocument } from '../../src/engine/run-document.js';

export interface JournalWorld {
  /** The journal as one process sees it; each call is another process sharing the same store. */
  journal(): Journal;
  /** Puts raw text where the store keeps the run `name` (a damaged file, another version's run, a stray object). */
  plant(name: string, text: string): Promise<void>;
}

/** A run id of trapheus's shape: `<yyyymmdd>-<hhmmss>-<identifier>-<hex>`. */
export const runIdAt = (at: string, identifier: string, hex = '0a0b'): string =>
  `${at.slice(0, 10).replaceAll('-', '')}-${at.slice(11, 19).replaceAll(':', '')}-${identifier}-${hex}`;

/** A run document of `identifier` started at `at`; `ending` appends how it ended. */
export function runDocAt(at: string, identifier: string, ending?: 'succeeded' | 'rolled_back' | 'failed' | 'interrupted'): RunDocument {
  const events: RunDocument['events'] = [{ type: 'run_started', at, pid: 1, host: 'h' }];
  if (ending === 'interrupted') events.push({ type: 'run_interrupted', at });
  else if (ending) events.push({ type: 'run_finished', at, status: ending });
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    runId: runIdAt(at, identifier),
    command: 'restore',
    workflow: 'instance-restore',
    identifier,
    cluster: false,
    createdAt: at,
    input: {},
    plan: { identifier },
    state: {},
    events,
  };
}

const ids = (docs: readonly RunDocument[]): string[] => docs.map((d) => d.runId);

/** Registers the journal contract for one adapter. `make` builds a fresh, empty world per test. */
export function describeJournalContract(name: string, make: () => Promise<JournalWorld>): void {
  describe(`Journal contract: ${name}`, () => {
    it('a saved run loads as saved, in this process and in another', async () => {
      const world = await make();
      const journal = world.journal();
      const doc = runDocAt('2026-01-01T00:00:00.000Z', 'db1');
      await journal.save(doc);
      doc.events.push({ type: 'step_started', at: '2026-01-01T00:00:01.000Z', stepId: 'capture', attempt: 1 });
      await journal.save(doc);
      expect(await journal.load(doc.runId)).toEqual(doc);
      expect(await world.journal().load(doc.runId)).toEqual(doc);
    });

    it('an unknown run is a precondition (exit 3), a malformed run id bad usage (exit 2)', async () => {
      const journal = (await make()).journal();
      await expect(journal.load('20260101-000000-db1-ffff')).rejects.toBeInstanceOf(PreconditionError);
      await expect(journal.load('../etc/passwd')).rejects.toBeInstanceOf(UsageError);
    });

    it('concurrent saves of one run (parallel steps) all succeed, in order: the last one wins', async () => {
      const journal = (await make()).journal();
      const doc = runDocAt('2026-01-01T00:00:00.000Z', 'db1');
      const saves: Promise<void>[] = [];
      for (let i = 0; i < 8; i += 1) {
        doc.events.push({ type: 'notice', at: '2026-01-01T00:00:00.000Z', level: 'info', message: `n${i}` });
        saves.push(journal.save(doc));
      }
      await Promise.all(saves);
      expect((await journal.load(doc.runId)).events).toHaveLength(9);
    });

    it('lists runs newest first, and reports an unreadable run (with its run id and identifier) instead of failing', async () => {
      const world = await make();
      const journal = world.journal();
      await journal.save(runDocAt('2026-01-01T00:00:00.000Z', 'db1'));
      await journal.save(runDocAt('2026-02-01T00:00:00.000Z', 'db2', 'succeeded'));
      const broken = runIdAt('2026-03-01T00:00:00.000Z', 'db3');
      await world.plant(broken, '{ "identifier": "db3", "schemaVersion": "next" }');
      const unreadable: { runId?: string | undefined; identifier?: string | undefined }[] = [];
      const runs = await world
        .journal()
        .list({}, (_file, _reason, about) => unreadable.push({ runId: about?.runId, identifier: about?.identifier }));
      expect(ids(runs)).toEqual([runIdAt('2026-02-01T00:00:00.000Z', 'db2'), runIdAt('2026-01-01T00:00:00.000Z', 'db1')]);
      expect(unreadable).toEqual([{ runId: broken, identifier: 'db3' }]);
      // Loading it is a precondition saying why, not a crash.
      await expect(journal.load(broken)).rejects.toBeInstanceOf(PreconditionError);
    });

    it('refuses a run of an unknown schema version, and a run stored under another run id', async () => {
      const world = await make();
      const newer = runDocAt('2026-01-01T00:00:00.000Z', 'db1');
      await world.plant(newer.runId, JSON.stringify({ ...newer, schemaVersion: RUN_SCHEMA_VERSION + 1 }));
      await expect(world.journal().load(newer.runId)).rejects.toThrow(/schema version/);
      const copy = runDocAt('2026-01-02T00:00:00.000Z', 'db1');
      await world.plant(runIdAt('2026-01-03T00:00:00.000Z', 'db1'), JSON.stringify(copy));
      await expect(world.journal().load(runIdAt('2026-01-03T00:00:00.000Z', 'db1'))).rejects.toThrow(`holds run ${copy.runId}`);
    });

    it('selects by identifier (any case), unfinished only, and the newest few, from names alone', async () => {
      const journal = (await make()).journal();
      const runs = [
        runDocAt('2026-01-01T00:00:00.000Z', 'db1', 'succeeded'),
        runDocAt('2026-01-02T00:00:00.000Z', 'db1', 'interrupted'),
        runDocAt('2026-01-03T00:00:00.000Z', 'db2'),
        runDocAt('2026-01-04T00:00:00.000Z', 'db1', 'rolled_back'),
        runDocAt('2026-01-05T00:00:00.000Z', 'db1', 'failed'),
      ];
      for (const doc of runs) await journal.save(doc);
      const [r1, r2, r3, r4, r5] = ids(runs);
      expect(ids(await journal.list({ identifier: 'DB1' }))).toEqual([r5, r4, r2, r1]);
      // Failed (the revert did not finish) and interrupted runs may be resumed: they are unfinished.
      expect(ids(await journal.list({ unfinishedOnly: true }))).toEqual([r5, r3, r2]);
      expect(ids(await journal.list({ identifier: 'db1', unfinishedOnly: true }))).toEqual([r5, r2]);
      expect(ids(await journal.list({ limit: 2 }))).toEqual([r5, r4]);
      expect(await journal.runIds()).toEqual([
        { runId: r5, finished: false },
        { runId: r4, finished: true },
        { runId: r3, finished: false },
        { runId: r2, finished: false },
        { runId: r1, finished: true },
      ]);
    });

    it('a finished run is kept among finished runs, still loads, and may be saved again (an alert outcome after the end)', async () => {
      const world = await make();
      const journal = world.journal();
      const doc = runDocAt('2026-01-01T00:00:00.000Z', 'db1');
      await journal.save(doc);
      doc.events.push({ type: 'run_finished', at: '2026-01-01T00:10:00.000Z', status: 'succeeded' });
      await journal.save(doc);
      expect(await journal.runIds({ unfinishedOnly: true })).toEqual([]);
      doc.events.push({ type: 'notice', at: '2026-01-01T00:10:01.000Z', level: 'warning', message: 'alert not delivered' });
      await journal.save(doc);
      const other = world.journal();
      expect(await other.load(doc.runId)).toEqual(doc);
      expect(await other.runIds()).toEqual([{ runId: doc.runId, finished: true }]);
      expect(await other.list({ unfinishedOnly: true })).toEqual([]);
    });

    it('removes a run wherever it is kept; removing a run that is gone is harmless', async () => {
      const journal = (await make()).journal();
      const done = runDocAt('2026-01-01T00:00:00.000Z', 'db1', 'succeeded');
      const open = runDocAt('2026-01-02T00:00:00.000Z', 'db1', 'interrupted');
      await journal.save(done);
      await journal.save(open);
      await journal.remove(done.runId);
      await journal.remove(open.runId);
      await journal.remove(open.runId);
      expect(await journal.list()).toEqual([]);
      await expect(journal.load(done.runId)).rejects.toBeInstanceOf(PreconditionError);
    });
  });
}
