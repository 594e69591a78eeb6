import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalError, PreconditionError } from '../../src/core/errors.js';
import { FileJournal } from '../../src/stores/file-journal.js';
import { FileLockStore } from '../../src/stores/file-lock-store.js';
import { RUN_SCHEMA_VERSION, type RunDocument } from '../../src/engine/run-document.js';

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'trapheus-journal-'));

function doc(runId: string, createdAt: string): RunDocument {
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    runId,
    command: 'restore',
    workflow: 'instance-restore',
    identifier: 'db1',
    cluster: false,
    createdAt,
    input: {},
    plan: { identifier: 'db1' },
    state: {},
    events: [{ type: 'run_started', at: createdAt, pid: 1, host: 'h' }],
  };
}

describe('FileJournal', () => {
  it('saves and loads a run, replacing the file atomically and leaving no temp file', async () => {
    const dir = await tmp();
    const journal = new FileJournal(dir);
    const d = doc('r1', '2026-01-01T00:00:00.000Z');
    await journal.save(d);
    d.events.push({ type: 'run_finished', at: '2026-01-01T00:01:00.000Z', status: 'succeeded' });
    await journal.save(d);
    expect(await journal.load('r1')).toEqual(d);
    expect(await readdir(dir)).toEqual(['r1.json']);
  });

  it('serializes concurrent saves (parallel steps): every save succeeds and the last one wins', async () => {
    const dir = await tmp();
    const journal = new FileJournal(dir);
    const d = doc('r1', '2026-01-01T00:00:00.000Z');
    const saves = [];
    for (let i = 0; i < 10; i += 1) {
      d.events.push({ type: 'notice', at: '2026-01-01T00:00:00.000Z', level: 'info', message: `n${i}` });
      saves.push(journal.save(d));
    }
    await Promise.all(saves);
    expect((await journal.load('r1')).events).toHaveLength(11);
    expect(await readdir(dir)).toEqual(['r1.json']);
  });

  it('lists runs newest first and reports unreadable files instead of failing', async () => {
    const dir = await tmp();
    const journal = new FileJournal(dir);
    await journal.save(doc('old', '2026-01-01T00:00:00.000Z'));
    await journal.save(doc('new', '2026-02-01T00:00:00.000Z'));
    await writeFile(path.join(dir, 'broken.json'), '{ not json');
    const unreadable: string[] = [];
    const runs = await journal.list((file) => unreadable.push(path.basename(file)));
    expect(runs.map((r) => r.runId)).toEqual(['new', 'old']);
    expect(unreadable).toEqual(['broken.json']);
  });

  it('refuses a journal of an unknown schema version with a clear message', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'future.json'), JSON.stringify({ ...doc('future', '2026-01-01T00:00:00.000Z'), schemaVersion: 99 }));
    await expect(new FileJournal(dir).load('future')).rejects.toThrow(/schema version 99; this trapheus reads version 1/);
  });

  it('says which run is unknown', async () => {
    await expect(new FileJournal(await tmp()).load('nope')).rejects.toThrow(JournalError);
  });

  it('turns an unwritable directory into a JournalError', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'a-file');
    await writeFile(file, '');
    await expect(new FileJournal(path.join(file, 'sub')).save(doc('r1', '2026-01-01T00:00:00.000Z'))).rejects.toBeInstanceOf(JournalError);
  });
});

describe('FileLockStore', () => {
  const owner = (pid: number, runId: string) => ({ pid, host: 'here', runId, since: '2026-01-01T00:00:00.000Z' });

  it('keeps a second run off a held lock and names the holder', async () => {
    const dir = await tmp();
    const locks = new FileLockStore(dir, 'here', () => true);
    const release = await locks.acquire('instance-db1', owner(100, 'r1'));
    await expect(locks.acquire('instance-db1', owner(200, 'r2'))).rejects.toThrow(PreconditionError);
    await expect(locks.acquire('instance-db1', owner(200, 'r2'))).rejects.toThrow(/pid 100 on here, run r1/);
    await release();
    const again = await locks.acquire('instance-db1', owner(200, 'r2'));
    expect(JSON.parse(await readFile(path.join(dir, 'instance-db1.lock'), 'utf8'))).toMatchObject({ pid: 200, runId: 'r2' });
    await again();
  });

  it('takes over a lock whose process is gone on this host', async () => {
    const dir = await tmp();
    await new FileLockStore(dir, 'here', () => true).acquire('instance-db1', owner(100, 'r1'));
    const locks = new FileLockStore(dir, 'here', (pid) => pid !== 100);
    expect(await locks.holder('instance-db1')).toBeUndefined();
    await expect(locks.acquire('instance-db1', owner(200, 'r2'))).resolves.toBeTypeOf('function');
  });

  it('never takes over a lock held from another host', async () => {
    const dir = await tmp();
    await new FileLockStore(dir, 'there', () => true).acquire('instance-db1', { ...owner(100, 'r1'), host: 'there' });
    const locks = new FileLockStore(dir, 'here', () => false);
    const error = await locks.acquire('instance-db1', owner(200, 'r2')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionError);
    expect((error as PreconditionError).hint).toMatch(/delete .*instance-db1\.lock/);
  });
});
