import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PreconditionError } from '../../src/core/errors.js';
import type { UnreadableRun } from '../../src/engine/journal.js';
import type { RunDocument } from '../../src/engine/run-document.js';
import { FileJournal } from '../../src/stores/file-journal.js';
import { FileLockStore } from '../../src/stores/file-lock-store.js';
import { detectCrashedRuns } from '../../src/workflows/run/crashed-runs.js';
import { listRunsWithStanding } from '../../src/workflows/run/list-runs.js';
import { previewResume } from '../../src/workflows/run/resume-run.js';
import { lockForNewRun } from '../../src/workflows/run/run-lock.js';
import type { ServiceDeps } from '../../src/workflows/service.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { MemoryJournal, MemoryLockStore } from '../fakes/memory-journal.js';
import { runDoc, runId, tmpJournalDir, type Ending } from './run-docs.js';

/** A journal directory holding these runs, saved as trapheus saves them. */
async function journalOf(runs: [string, Ending][]): Promise<{ dir: string; journal: FileJournal }> {
  const dir = await tmpJournalDir();
  const journal = new FileJournal(dir);
  for (const [id, ending] of runs) await journal.save(runDoc(id, ending));
  return { dir, journal };
}

/** The journal side a new run's check needs, on a real directory. */
function lockDeps(dir: string, journal: FileJournal): ServiceDeps {
  const deps: Pick<ServiceDeps, 'journal' | 'locks' | 'clock' | 'pid' | 'host'> = {
    journal,
    locks: new FileLockStore(path.join(dir, 'locks')),
    clock: new FakeClock(),
    pid: process.pid,
    host: 'test-host',
  };
  return deps as ServiceDeps; // lockForNewRun uses nothing else
}

const ids = (docs: RunDocument[]) => docs.map((d) => d.runId);

describe('FileJournal queries: what is read is decided from the names', () => {
  const db1Old = runId('2026-01-01T00:00:00Z', 'db1');
  const db2 = runId('2026-01-02T00:00:00Z', 'db2');
  const db1New = runId('2026-01-03T00:00:00Z', 'db1');
  const dbHyphen = runId('2026-01-04T00:00:00Z', 'db1-replica');

  it('an identifier query returns only that database (case-insensitive), and never reads another database’s file', async () => {
    const { dir, journal } = await journalOf([
      [db1Old, 'succeeded'],
      [db2, 'running'],
      [db1New, 'failed'],
      [dbHyphen, 'running'],
    ]);
    // Unreadable files of another database: reading them would report them.
    await writeFile(path.join(dir, `${runId('2026-01-05T00:00:00Z', 'db2', 'ffff')}.json`), '{ truncated');
    await mkdir(path.join(dir, 'finished'), { recursive: true });
    await writeFile(path.join(dir, 'finished', `${runId('2026-01-06T00:00:00Z', 'db3', 'eeee')}.json`), '{ truncated');
    const unreadable: string[] = [];
    const docs = await journal.list({ identifier: 'DB1' }, (file) => unreadable.push(path.basename(file)));
    expect(ids(docs)).toEqual([db1New, db1Old]);
    expect(unreadable).toEqual([]);
    // Without the query both are read and reported.
    const all: string[] = [];
    await journal.list({}, (file) => all.push(path.basename(file)));
    expect(all).toHaveLength(2);
  });

  it('an unreadable file of the same database, or whose name names none, is reported to an identifier query', async () => {
    const { dir, journal } = await journalOf([[db1Old, 'succeeded']]);
    const broken = runId('2026-02-01T00:00:00Z', 'db1', 'abcd');
    await writeFile(path.join(dir, `${broken}.json`), JSON.stringify({ schemaVersion: 99, identifier: 'db1' }));
    await writeFile(path.join(dir, 'copied-by-hand.json'), '{ truncated');
    const about: UnreadableRun[] = [];
    await journal.list({ identifier: 'db1', unfinishedOnly: true }, (_f, _r, a) => about.push(a!));
    expect(about.map((a) => a.runId).sort()).toEqual([broken, 'copied-by-hand'].sort());
  });

  it('unfinishedOnly reads only runs that may be unfinished: failed, interrupted, crashed and running, never the finished ones', async () => {
    const runs: [string, Ending][] = [
      [runId('2026-01-01T00:00:00Z', 'a'), 'succeeded'],
      [runId('2026-01-02T00:00:00Z', 'b'), 'rolled_back'],
      [runId('2026-01-03T00:00:00Z', 'c'), 'failed'],
      [runId('2026-01-04T00:00:00Z', 'd'), 'interrupted'],
      [runId('2026-01-05T00:00:00Z', 'e'), 'crashed'],
      [runId('2026-01-06T00:00:00Z', 'f'), 'running'],
    ];
    const { dir, journal } = await journalOf(runs);
    // A damaged finished journal is not even opened.
    await writeFile(path.join(dir, 'finished', `${runs[0]![0]}.json`), '{ damaged');
    const unreadable: string[] = [];
    const docs = await journal.list({ unfinishedOnly: true }, (file) => unreadable.push(file));
    expect(ids(docs)).toEqual(
      runs
        .slice(2)
        .map(([id]) => id)
        .reverse(),
    );
    expect(unreadable).toEqual([]);
    expect((await journal.runIds({ unfinishedOnly: true })).map((r) => r.runId)).toEqual(
      runs
        .slice(2)
        .map(([id]) => id)
        .reverse(),
    );
  });

  it('limit takes the newest runs by run id before reading; an unreadable one counts', async () => {
    const runs: [string, Ending][] = [1, 2, 3, 4, 5].map((day) => [runId(`2026-03-0${day}T00:00:00Z`, `db${day}`), 'succeeded']);
    const { dir, journal } = await journalOf(runs);
    const newest = runId('2026-03-09T00:00:00Z', 'db9');
    await writeFile(path.join(dir, `${newest}.json`), '{ truncated');
    const unreadable: string[] = [];
    const docs = await journal.list({ limit: 3 }, (file) => unreadable.push(path.basename(file, '.json')));
    expect(unreadable).toEqual([newest]);
    expect(ids(docs)).toEqual([runs[4]![0], runs[3]![0]]);
  });

  it('runIds reads nothing: a damaged file is listed, newest first, with where it is kept', async () => {
    const finished = runId('2026-01-01T00:00:00Z', 'db1');
    const { dir, journal } = await journalOf([[finished, 'succeeded']]);
    const damaged = runId('2026-01-02T00:00:00Z', 'db1');
    await writeFile(path.join(dir, `${damaged}.json`), '{ damaged');
    expect(await journal.runIds()).toEqual([
      { runId: damaged, finished: false },
      { runId: finished, finished: true },
    ]);
  });

  it('a new run is not blocked by an unreadable run of another database, but is by one of its own', async () => {
    const { dir, journal } = await journalOf([[db2, 'succeeded']]);
    await writeFile(path.join(dir, `${runId('2026-04-01T00:00:00Z', 'db2', 'dddd')}.json`), '{ truncated');
    const deps = lockDeps(dir, journal);
    const release = await lockForNewRun(deps, 'instance', 'db1', runId('2026-04-02T00:00:00Z', 'db1'));
    await release();

    await writeFile(path.join(dir, `${runId('2026-04-01T00:00:00Z', 'db1', 'dddd')}.json`), '{ truncated');
    const error = await lockForNewRun(deps, 'instance', 'db1', runId('2026-04-02T00:00:00Z', 'db1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionError);
    expect((error as Error).message).toMatch(/may be an unfinished run of db1/);
  });

  it('a new run is refused while an unfinished run of the same database exists, whatever its age, and not for another database', async () => {
    const unfinished = runId('2025-01-01T00:00:00Z', 'db1');
    const { dir, journal } = await journalOf([
      [unfinished, 'crashed'],
      [runId('2026-01-01T00:00:00Z', 'db1'), 'succeeded'],
    ]);
    const deps = lockDeps(dir, journal);
    await expect(lockForNewRun(deps, 'instance', 'db1', runId('2026-04-02T00:00:00Z', 'db1'))).rejects.toThrow(
      new RegExp(`Run ${unfinished} .* did not finish`),
    );
    await (
      await lockForNewRun(deps, 'instance', 'db2', runId('2026-04-02T00:00:00Z', 'db2'))
    )();
  });
});

/** A journal whose move into finished/ fails: the process dies between the final save and the move. */
class CrashBeforeMove extends FileJournal {
  protected override moveToFinished(): Promise<void> {
    return Promise.reject(new Error('simulated crash before the move'));
  }
}

describe('FileJournal: the finished-or-not signal survives a crash between writes', () => {
  const id = runId('2026-05-01T00:00:00Z', 'db1');

  it('every save lands at the top first: an unfinished run is never only among the finished', async () => {
    const dir = await tmpJournalDir();
    const journal = new FileJournal(dir);
    await journal.save(runDoc(id, 'running'));
    expect(await readdir(dir)).toEqual([`${id}.json`]);
    await journal.save(runDoc(id, 'failed')); // failed is resumable: stays with the unfinished
    expect(await readdir(dir)).toEqual([`${id}.json`]);
    expect(ids(await journal.list({ unfinishedOnly: true }))).toEqual([id]);
    await journal.save(runDoc(id, 'succeeded'));
    expect(await readdir(dir)).toEqual(['finished']);
    expect(await journal.list({ unfinishedOnly: true })).toEqual([]);
    expect(ids(await journal.list())).toEqual([id]);
  });

  it('a crash after the final save and before the move leaves the run read by mistake, then moved by the next reader', async () => {
    const dir = await tmpJournalDir();
    const crashing = new CrashBeforeMove(dir);
    await crashing.save(runDoc(id, 'running'));
    await crashing.save(runDoc(id, 'succeeded')); // the save itself succeeds: the document is durable
    expect(await readdir(dir)).toEqual([`${id}.json`]);

    const next = new FileJournal(dir); // the next process
    expect(await next.runIds({ unfinishedOnly: true })).toEqual([{ runId: id, finished: false }]);
    const read = await next.list({ unfinishedOnly: true });
    expect(read.map((d) => d.events.at(-1)?.type)).toEqual(['run_finished']);
    expect(await next.runIds()).toEqual([{ runId: id, finished: true }]);
    expect(await next.load(id)).toEqual(runDoc(id, 'succeeded'));
  });

  it('a crash while writing the final document (temp file not renamed) leaves the unfinished run where it is seen', async () => {
    const dir = await tmpJournalDir();
    const journal = new FileJournal(dir);
    await journal.save(runDoc(id, 'running'));
    await writeFile(path.join(dir, `${id}.json.4242.1.tmp`), JSON.stringify(runDoc(id, 'succeeded')).slice(0, 40));
    const docs = await new FileJournal(dir).list({ identifier: 'db1', unfinishedOnly: true });
    expect(docs.map((d) => d.events.length)).toEqual([1]);
  });

  it('journals of an older trapheus (all at the top) are read once, and the finished ones moved', async () => {
    const dir = await tmpJournalDir();
    const finished = runId('2026-01-01T00:00:00Z', 'db1');
    const running = runId('2026-01-02T00:00:00Z', 'db1');
    await writeFile(path.join(dir, `${finished}.json`), JSON.stringify(runDoc(finished, 'succeeded')), { mode: 0o600 });
    await writeFile(path.join(dir, `${running}.json`), JSON.stringify(runDoc(running, 'running')), { mode: 0o600 });
    const journal = new FileJournal(dir);
    expect(ids(await journal.list({ unfinishedOnly: true }))).toEqual([running, finished]);
    expect(await journal.runIds({ unfinishedOnly: true })).toEqual([{ runId: running, finished: false }]);
    expect(await readdir(path.join(dir, 'finished'))).toEqual([`${finished}.json`]);
  });

  it('a finished run saved again (an alert outcome) keeps one copy, the newest', async () => {
    const dir = await tmpJournalDir();
    const journal = new FileJournal(dir);
    const doc = runDoc(id, 'succeeded');
    await journal.save(doc);
    doc.events.push({ type: 'notice', at: '2026-05-01T00:02:00.000Z', level: 'info', message: 'alerted' });
    await journal.save(doc);
    expect(await readdir(dir)).toEqual(['finished']);
    expect(JSON.parse(await readFile(path.join(dir, 'finished', `${id}.json`), 'utf8'))).toEqual(doc);
  });

  it('remove deletes the run wherever it is kept, and is quiet when it is gone', async () => {
    const { dir, journal } = await journalOf([
      [id, 'succeeded'],
      [runId('2026-05-02T00:00:00Z', 'db1'), 'running'],
    ]);
    await journal.remove(id);
    await journal.remove(id);
    await journal.remove(runId('2026-05-02T00:00:00Z', 'db1'));
    expect(await readdir(dir)).toEqual(['finished']);
    expect(await journal.runIds()).toEqual([]);
  });
});

describe('what each journal reader asks for (counted reads of the in-memory journal)', () => {
  /** 30 finished runs of 3 databases, and one crashed run of db1. */
  function history(): MemoryJournal {
    const journal = new MemoryJournal();
    for (let i = 0; i < 30; i += 1) {
      const doc = runDoc(
        runId(`2026-02-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`, `db${i % 3}`, i.toString(16).padStart(4, '0')),
      );
      journal.docs.set(doc.runId, doc);
    }
    const crashed = runDoc(runId('2025-06-01T00:00:00Z', 'db1'), 'crashed');
    journal.docs.set(crashed.runId, crashed);
    return journal;
  }

  it('a new run reads only its database’s runs that may be unfinished; the crash check and resume only the unfinished ones', async () => {
    const journal = history();
    const deps = { ...lockDeps(await tmpJournalDir(), new FileJournal('/nonexistent')), journal, locks: new MemoryLockStore() };

    await (
      await lockForNewRun(deps, 'instance', 'db2', runId('2026-04-02T00:00:00Z', 'db2'))
    )();
    expect(journal.reads).toBe(0);
    await expect(lockForNewRun(deps, 'instance', 'db1', runId('2026-04-02T00:00:00Z', 'db1'))).rejects.toThrow(/did not finish/);
    expect(journal.reads).toBe(1);

    journal.reads = 0;
    expect(await detectCrashedRuns(deps)).toEqual([]); // already marked crashed: nothing to alert
    expect(journal.reads).toBe(1);

    journal.reads = 0;
    // `resume` without a run id picks the newest unfinished run (this bare document has no plan to bind: refused after the read).
    await expect(previewResume(deps)).rejects.toThrow(/20250601-000000-db1-0a0b is not a valid instance-restore plan/);
    expect(journal.reads).toBe(1);
  });

  it('runs reads the newest 20 and the unfinished ones, not the whole history', async () => {
    const journal = history();
    const { runs, stored } = await listRunsWithStanding({ journal, locks: new MemoryLockStore() }, 20);
    expect(stored).toBe(31);
    expect(runs).toHaveLength(21);
    expect(journal.reads).toBe(21);
  });
});

describe('runs beyond the limit', () => {
  it('adds the older unfinished runs, not an older finished run the store still keeps with them', async () => {
    const dir = await tmpJournalDir();
    const crashing = new CrashBeforeMove(dir);
    const leftAtTop = runId('2025-01-01T00:00:00Z', 'db1', '0001');
    await crashing.save(runDoc(leftAtTop, 'succeeded')); // finished, but never moved
    const unfinished = runId('2025-01-02T00:00:00Z', 'db1', '0002');
    await crashing.save(runDoc(unfinished, 'failed'));
    const journal = new FileJournal(dir);
    for (let day = 1; day <= 3; day += 1) await journal.save(runDoc(runId(`2026-01-0${day}T00:00:00Z`, 'db2'), 'succeeded'));
    const { runs, stored } = await listRunsWithStanding({ journal: new CrashBeforeMove(dir), locks: new MemoryLockStore() }, 2);
    expect(stored).toBe(5);
    expect(runs.map((r) => r.runId)).toEqual([runId('2026-01-03T00:00:00Z', 'db2'), runId('2026-01-02T00:00:00Z', 'db2'), unfinished]);
  });
});
