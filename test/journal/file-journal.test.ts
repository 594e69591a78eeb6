import { chmod, chown, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PreconditionError, UsageError } from '../../src/core/errors.js';
import { LockHeldError } from '../../src/engine/journal.js';
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
    // Finished: moved among the finished runs, nothing left behind.
    expect(await readdir(dir)).toEqual(['finished']);
    expect(await readdir(path.join(dir, 'finished'))).toEqual(['r1.json']);
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
    const runs = await journal.list({}, (file) => unreadable.push(path.basename(file)));
    expect(runs.map((r) => r.runId)).toEqual(['new', 'old']);
    expect(unreadable).toEqual(['broken.json']);
  });

  it('refuses a journal of an unknown schema version with a clear message', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'future.json'), JSON.stringify({ ...doc('future', '2026-01-01T00:00:00.000Z'), schemaVersion: 99 }));
    await expect(new FileJournal(dir).load('future')).rejects.toThrow(/schema version 99; this trapheus reads version 1/);
  });

  it('says which run is unknown (a precondition: exit 3) and refuses a malformed run id (usage: exit 2)', async () => {
    const journal = new FileJournal(await tmp());
    await expect(journal.load('nope')).rejects.toThrow(PreconditionError);
    await expect(journal.load('nope')).rejects.toThrow(/No run "nope"/);
    const malformed = await journal.load('../etc/passwd').catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(UsageError);
    expect((malformed as UsageError).hint).toMatch(/trapheus runs/);
  });

  it('refuses a journal directory inside a file, or that is a file, as bad usage naming it', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'a-file');
    await writeFile(file, '');
    await expect(new FileJournal(path.join(file, 'sub')).save(doc('r1', '2026-01-01T00:00:00.000Z'))).rejects.toBeInstanceOf(UsageError);
    const error = await new FileJournal(file).list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/a-file is not a directory/);
  });

  it('creates its directory, and every missing level, private (0700)', async () => {
    const dir = path.join(await tmp(), 'home', '.trapheus', 'runs');
    await new FileJournal(dir).save(doc('r1', '2026-01-01T00:00:00.000Z'));
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.dirname(dir))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dir, 'r1.json'))).mode & 0o777).toBe(0o600);
  });

  it('refuses a directory that group or others may write, saying how to fix it', async () => {
    for (const mode of [0o777, 0o770, 0o702]) {
      const dir = await tmp();
      await chmod(dir, mode);
      const error = await new FileJournal(dir).list().catch((e: unknown) => e);
      expect(error, mode.toString(8)).toBeInstanceOf(PreconditionError);
      expect((error as PreconditionError).hint).toBe(`Make it private: chmod 700 ${dir}`);
      await expect(new FileJournal(dir).save(doc('r1', '2026-01-01T00:00:00.000Z'))).rejects.toBeInstanceOf(PreconditionError);
      expect(await readdir(dir)).toEqual([]);
    }
  });

  it('fails fast on a directory that cannot be created (under /proc), instead of spinning', async () => {
    const started = Date.now();
    const error = await new FileJournal('/proc/trapheus-test/runs').save(doc('r1', '2026-01-01T00:00:00.000Z')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/Cannot create the journal directory \/proc\/trapheus-test\/runs/);
    expect(Date.now() - started).toBeLessThan(2000);
  }, 5000);

  it('never reads a run file under another name than its own run id', async () => {
    const dir = await tmp();
    const journal = new FileJournal(dir);
    await journal.save(doc('r1', '2026-01-01T00:00:00.000Z'));
    await writeFile(path.join(dir, 'r2.json'), await readFile(path.join(dir, 'r1.json'), 'utf8'));
    const unreadable: string[] = [];
    expect((await journal.list({}, (_file, reason) => unreadable.push(reason))).map((d) => d.runId)).toEqual(['r1']);
    expect(unreadable).toEqual([expect.stringMatching(/holds run r1, not r2/)]);
    await expect(journal.load('r2')).rejects.toBeInstanceOf(PreconditionError);
  });

  it('reports what it can of an unreadable run: its run id and, if the JSON says, its identifier', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, '20260101-000000-db1-abcd.json'), '{ "schemaVersion": 1, "identi');
    await writeFile(path.join(dir, 'future.json'), JSON.stringify({ ...doc('future', '2026-01-01T00:00:00.000Z'), schemaVersion: 2 }));
    const unknownEvent = {
      ...doc('odd', '2026-01-01T00:00:00.000Z'),
      identifier: 'db2',
      events: [{ type: 'run_teleported', at: '2026-01-01T00:00:00.000Z' }],
    };
    await writeFile(path.join(dir, 'odd.json'), JSON.stringify(unknownEvent));
    const about: unknown[] = [];
    await new FileJournal(dir).list({}, (_f, _r, a) => about.push({ runId: a?.runId, identifier: a?.identifier }));
    expect(about).toEqual(
      expect.arrayContaining([
        { runId: '20260101-000000-db1-abcd', identifier: undefined },
        { runId: 'future', identifier: 'db1' },
        { runId: 'odd', identifier: 'db2' },
      ]),
    );
  });

  const root = process.getuid?.() === 0;
  it.runIf(root)('refuses a run file another user owns: load names it, list reports it as unreadable', async () => {
    const dir = await tmp();
    const journal = new FileJournal(dir);
    await journal.save(doc('r1', '2026-01-01T00:00:00.000Z'));
    await chown(path.join(dir, 'r1.json'), 4321, 4321);
    const error = await journal.load('r1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionError);
    expect((error as Error).message).toMatch(/r1\.json belongs to uid 4321, not to you/);
    const unreadable: string[] = [];
    expect(await journal.list({}, (file) => unreadable.push(path.basename(file)))).toEqual([]);
    expect(unreadable).toEqual(['r1.json']);
  });

  it.runIf(root)('refuses a journal directory another user owns', async () => {
    const dir = await tmp();
    await chown(dir, 4321, 4321);
    await expect(new FileJournal(dir).list()).rejects.toThrow(/belongs to uid 4321/);
  });
});

describe('FileLockStore', () => {
  const owner = (pid: number, runId: string) => ({ pid, host: 'here', runId, since: '2026-01-01T00:00:00.000Z' });

  it('keeps a second run off a held lock and names the holder', async () => {
    const dir = await tmp();
    const locks = new FileLockStore(dir, 'here', () => true);
    const release = await locks.acquire('instance-db1', owner(100, 'r1'));
    await expect(locks.acquire('instance-db1', owner(200, 'r2'))).rejects.toThrow(LockHeldError);
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

  it('creates its directory private (0700) and refuses one that others may write', async () => {
    const dir = path.join(await tmp(), 'locks');
    const release = await new FileLockStore(dir, 'here', () => true).acquire('instance-db1', owner(1, 'r1'));
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    await release();
    await chmod(dir, 0o777);
    const error = await new FileLockStore(dir, 'here', () => true).acquire('instance-db1', owner(1, 'r1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionError);
    expect((error as PreconditionError).hint).toBe(`Make it private: chmod 700 ${dir}`);
  });

  it('treats keys without regard to case, like RDS identifiers', async () => {
    const locks = new FileLockStore(await tmp(), 'here', () => true);
    await locks.acquire('instance-up1', owner(1, 'r1'));
    await expect(locks.acquire('instance-UP1', owner(2, 'r2'))).rejects.toThrow(LockHeldError);
  });

  it.runIf(process.getuid?.() === 0)('refuses a lock file another user owns', async () => {
    const dir = await tmp();
    const locks = new FileLockStore(dir, 'here', () => false);
    await locks.acquire('instance-db1', owner(1, 'r1'));
    await chown(path.join(dir, 'instance-db1.lock'), 4321, 4321);
    const error = await locks.acquire('instance-db1', owner(2, 'r2')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionError);
    expect(error).not.toBeInstanceOf(LockHeldError);
    expect((error as Error).message).toMatch(/instance-db1\.lock belongs to uid 4321/);
    await expect(locks.holder('instance-db1')).rejects.toThrow(/belongs to uid 4321/);
  });
});
