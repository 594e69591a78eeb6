import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileJournal } from '../../src/stores/file-journal.js';
import { pruneRuns } from '../../src/workflows/run/prune-runs.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { runDoc, runId, tmpJournalDir, type Ending } from './run-docs.js';

const NOW = new Date('2026-12-31T00:00:00Z');
const daysAgo = (days: number, hour = 0) => new Date(NOW.getTime() - days * 86_400_000 + hour * 3_600_000).toISOString();

async function journalOf(runs: [string, Ending][]) {
  const dir = await tmpJournalDir();
  const journal = new FileJournal(dir);
  for (const [id, ending] of runs) await journal.save(runDoc(id, ending));
  return { dir, journal, deps: { journal, clock: new FakeClock(NOW) } };
}

const remaining = async (journal: FileJournal) => (await journal.runIds()).map((r) => r.runId).sort();

describe('trapheus runs --prune', () => {
  it('deletes finished runs older than the days that are not among the newest `keep` of their database; keeps the rest', async () => {
    // db1: one run a day for 10 days, days 0..9 ago; db2: one old run.
    const db1 = Array.from({ length: 10 }, (_, i) => runId(daysAgo(i), 'db1'));
    const db2 = runId(daysAgo(400), 'db2');
    const { journal, deps } = await journalOf([
      ...db1.map((id, i): [string, Ending] => [id, i % 2 === 0 ? 'succeeded' : 'rolled_back']),
      [db2, 'succeeded'],
    ]);

    const result = await pruneRuns(deps, { days: 5, keep: 3 }, { dryRun: false });
    // db1: the 3 newest kept by count, days 0..4 by age (overlapping): days 5..9 go. db2's only run is its newest: kept.
    expect(result.removed.map((r) => r.runId)).toEqual(db1.slice(5).reverse());
    expect(result.kept).toBe(6);
    expect(await remaining(journal)).toEqual([...db1.slice(0, 5), db2].sort());
  });

  it('keep alone and days alone: each rule keeps what it keeps (0 turns a rule off)', async () => {
    const db1 = Array.from({ length: 6 }, (_, i) => runId(daysAgo(i * 30), 'db1'));
    const runs = db1.map((id): [string, Ending] => [id, 'succeeded']);

    const byCount = await journalOf(runs);
    expect((await pruneRuns(byCount.deps, { days: 0, keep: 2 }, { dryRun: false })).removed).toHaveLength(4);
    expect(await remaining(byCount.journal)).toEqual(db1.slice(0, 2).sort());

    const byAge = await journalOf(runs);
    // 0, 30, 60 days ago are younger than 61 days.
    expect((await pruneRuns(byAge.deps, { days: 61, keep: 0 }, { dryRun: false })).removed).toHaveLength(3);
    expect(await remaining(byAge.journal)).toEqual(db1.slice(0, 3).sort());
  });

  it('never deletes an unfinished run — failed, interrupted, crashed or running — however old', async () => {
    const old: [string, Ending][] = [
      [runId(daysAgo(500), 'db1', '0001'), 'failed'],
      [runId(daysAgo(501), 'db1', '0002'), 'interrupted'],
      [runId(daysAgo(502), 'db1', '0003'), 'crashed'],
      [runId(daysAgo(503), 'db1', '0004'), 'running'],
      [runId(daysAgo(504), 'db1', '0005'), 'succeeded'],
    ];
    const { journal, deps } = await journalOf(old);
    const result = await pruneRuns(deps, { days: 0, keep: 0 }, { dryRun: false });
    expect(result.removed.map((r) => r.runId)).toEqual([old[4]![0]]);
    expect(result.unfinished.sort()).toEqual(
      old
        .slice(0, 4)
        .map(([id]) => id)
        .sort(),
    );
    expect(await remaining(journal)).toEqual(
      old
        .slice(0, 4)
        .map(([id]) => id)
        .sort(),
    );
  });

  it('keeps and reports a file it cannot read, however old', async () => {
    const { dir, journal, deps } = await journalOf([[runId(daysAgo(300), 'db1'), 'succeeded']]);
    const damaged = runId(daysAgo(400), 'db1', 'dead');
    await writeFile(path.join(dir, `${damaged}.json`), '{ truncated', { mode: 0o600 });
    const result = await pruneRuns(deps, { days: 0, keep: 0 }, { dryRun: false });
    expect(result.unreadable).toEqual([{ runId: damaged, reason: expect.stringMatching(/not valid JSON/) as unknown }]);
    expect(result.removed).toHaveLength(1);
    expect(await readdir(dir)).toContain(`${damaged}.json`);
    expect(await remaining(journal)).toEqual([damaged]);
  });

  it('--dry-run says what would go and deletes nothing', async () => {
    const runs: [string, Ending][] = [0, 100, 200].map((d) => [runId(daysAgo(d), 'db1'), 'succeeded']);
    const { journal, deps } = await journalOf(runs);
    const result = await pruneRuns(deps, { days: 90, keep: 1 }, { dryRun: true });
    expect(result.removed.map((r) => r.runId)).toEqual([runs[2]![0], runs[1]![0]]);
    expect(result.kept).toBe(1);
    expect(await remaining(journal)).toHaveLength(3);
  });

  it('counts the newest runs of each database case-insensitively, and leaves a run id of another shape alone', async () => {
    const upper = runId(daysAgo(300), 'DB1');
    const lower = runId(daysAgo(200), 'db1');
    const { dir, journal, deps } = await journalOf([
      [upper, 'succeeded'],
      [lower, 'succeeded'],
    ]);
    await new FileJournal(dir).save({ ...runDoc('hand-made', 'succeeded'), createdAt: daysAgo(999) });
    const result = await pruneRuns(deps, { days: 0, keep: 1 }, { dryRun: false });
    expect(result.removed.map((r) => r.runId)).toEqual([upper]);
    expect(await remaining(journal)).toEqual(['hand-made', lower].sort());
  });
});
