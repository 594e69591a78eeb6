import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/cli-context.js';
import { outputSchemaOf } from '../../src/cli/json-documents.js';
import type { Output } from '../../src/cli/output.js';
import { main } from '../../src/main.js';
import { FileJournal } from '../../src/stores/file-journal.js';
import type { JournalDeps } from '../../src/workflows/run/crashed-runs.js';
import type { Retention } from '../../src/workflows/run/prune-runs.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { MemoryLockStore } from '../fakes/memory-journal.js';
import { runDoc, runId, tmpJournalDir, type Ending } from '../journal/run-docs.js';

const NOW = new Date('2026-12-31T00:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

/** `trapheus` on a real journal directory holding these runs; the AWS side is never built. */
async function cliOn(runs: [string, Ending][], retention?: Retention) {
  const dir = await tmpJournalDir();
  const journal = new FileJournal(dir);
  for (const [id, ending] of runs) await journal.save(runDoc(id, ending));
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    interactive: false,
    canPrompt: false,
    color: false,
    ask: async () => '',
  };
  const deps: JournalDeps = { journal, locks: new MemoryLockStore(), clock: new FakeClock(NOW), host: 'h', pid: 1, retention };
  const ctx: CliContext = {
    output,
    env: {},
    signal: new AbortController().signal,
    version: '9.9.9',
    deps: {
      service: () => Promise.reject(new Error('runs must not build the AWS side')),
      journal: async () => deps,
    },
  };
  return { dir, journal, out, err, run: (...argv: string[]) => main(argv, ctx) };
}

/** 25 finished runs of db1, one a day (newest: today), and one interrupted run of db2 a year old. */
function history(): { finished: string[]; unfinished: string; runs: [string, Ending][] } {
  const finished = Array.from({ length: 25 }, (_, i) => runId(daysAgo(i), 'db1'));
  const unfinished = runId(daysAgo(365), 'db2');
  return { finished, unfinished, runs: [...finished.map((id): [string, Ending] => [id, 'succeeded']), [unfinished, 'interrupted']] };
}

describe('trapheus runs', () => {
  it('shows the 20 newest runs and every unfinished one, and says how to see all', async () => {
    const { finished, unfinished, runs } = history();
    const { run, out } = await cliOn(runs);
    expect(await run('runs')).toBe(0);
    const text = out.join('\n');
    for (const id of finished.slice(0, 20)) expect(text).toContain(id);
    for (const id of finished.slice(20)) expect(text).not.toContain(id);
    expect(text).toContain(unfinished);
    expect(text).toMatch(/The 20 newest of 26 runs, and every unfinished one\. All of them: trapheus runs --all/);
  });

  it('--all shows every run; --limit N the N newest (and the unfinished); --json says how many are stored', async () => {
    const { finished, unfinished, runs } = history();
    const all = await cliOn(runs);
    expect(await all.run('runs', '--all')).toBe(0);
    for (const id of [...finished, unfinished]) expect(all.out.join('\n')).toContain(id);
    expect(all.out.join('\n')).not.toMatch(/newest of/);

    const limited = await cliOn(runs);
    expect(await limited.run('runs', '--limit', '2', '--json')).toBe(0);
    const doc = outputSchemaOf('runs').parse(JSON.parse(limited.out[0]!)) as { runs: { runId: string; status: string }[]; stored: number };
    expect(doc.runs.map((r) => [r.runId, r.status])).toEqual([
      [finished[0], 'succeeded'],
      [finished[1], 'succeeded'],
      [unfinished, 'interrupted'],
    ]);
    expect(doc.stored).toBe(26);
  });

  it('an unreadable run file among the shown is listed as unreadable', async () => {
    const { runs } = history();
    const { dir, run, out } = await cliOn(runs);
    const damaged = runId(daysAgo(0), 'db3', 'dead');
    await writeFile(path.join(dir, `${damaged}.json`), '{ truncated', { mode: 0o600 });
    expect(await run('runs', '--limit', '1')).toBe(0);
    expect(out.join('\n')).toMatch(new RegExp(`Unreadable run files[^]*${damaged}\\.json: .*not valid JSON`));
  });

  it.each([
    [['runs', '--limit', '0']],
    [['runs', '--limit', 'ten']],
    [['runs', '--all', '--limit', '3']],
    [['runs', '--dry-run']],
    [['runs', '--prune', '--all']],
  ])('refuses %j (exit 2), deleting nothing', async (argv) => {
    const { runs } = history();
    const { run, err, journal } = await cliOn(runs, { days: 0, keep: 0 });
    expect(await run(...argv)).toBe(2);
    expect(err.join('\n')).toMatch(/--/);
    expect(await journal.runIds()).toHaveLength(26);
  });
});

describe('trapheus runs --prune', () => {
  it('--dry-run --json lists what would go and deletes nothing; --prune deletes it and keeps the unfinished run', async () => {
    const { finished, unfinished, runs } = history();
    const { run, out, dir } = await cliOn(runs, { days: 10, keep: 0 });
    expect(await run('runs', '--prune', '--dry-run', '--json')).toBe(0);
    const preview = outputSchemaOf('runs').parse(JSON.parse(out[0]!)) as {
      prune: { dryRun: boolean; removed: { runId: string }[]; unfinished: string[]; kept: number };
    };
    // 10 days keep today .. 9 days ago: days 10..24 go; db2's year-old run is not finished: kept.
    expect(preview.prune.dryRun).toBe(true);
    expect(preview.prune.removed.map((r) => r.runId)).toEqual(finished.slice(10).reverse());
    expect(preview.prune.unfinished).toEqual([unfinished]);
    expect(preview.prune.kept).toBe(11);
    expect(await readdir(path.join(dir, 'finished'))).toHaveLength(25);

    out.length = 0;
    expect(await run('runs', '--prune')).toBe(0);
    expect(out.join('\n')).toMatch(/Deleted 15 runs \(finished runs older than 10 days\)/);
    expect(out.join('\n')).toContain(`Kept, not finished (resume or abort them): ${unfinished}`);
    expect((await readdir(path.join(dir, 'finished'))).sort()).toEqual(
      finished
        .slice(0, 10)
        .map((id) => `${id}.json`)
        .sort(),
    );
    expect(await readdir(dir)).toContain(`${unfinished}.json`);
  });

  it('uses the default retention (90 days, the newest 20 of each database) when none is configured', async () => {
    const old = Array.from({ length: 25 }, (_, i) => runId(daysAgo(100 + i), 'db1'));
    const { run, out, journal } = await cliOn(old.map((id): [string, Ending] => [id, 'rolled_back']));
    expect(await run('runs', '--prune')).toBe(0);
    expect(out.join('\n')).toMatch(/Deleted 5 runs/);
    expect((await journal.runIds()).map((r) => r.runId)).toEqual(old.slice(0, 20));
  });
});
