import { describe, expect, it } from 'vitest';
import { JournalError } from '../../src/core/errors.js';
import { runWorkflow } from '../../src/engine/run-workflow.js';
import type { Step } from '../../src/engine/step.js';
import { S3Journal } from '../../src/aws/s3-journal.js';
import { S3LockStore, type LeaseTimers } from '../../src/aws/s3-lock-store.js';
import { S3StateObjects } from '../../src/aws/s3-state-objects.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeS3 } from '../stores/fake-s3.js';
import { runDocAt } from '../stores/journal-contract.js';

const stoppedTimers: LeaseTimers = { every: () => ({ stop: () => undefined }) };

function world() {
  const s3 = new FakeS3();
  s3.bucket('state');
  const objects = new S3StateObjects(s3.client(), { bucket: 'state', prefix: 'p' });
  const doc = runDocAt('2026-01-01T00:00:00.000Z', 'db1');
  const open = `p/runs/open/${doc.runId}.json`;
  const done = `p/runs/done/${doc.runId}.json`;
  const stored = (key = open) => JSON.parse(s3.text('state', key) ?? 'null') as typeof doc | null;
  return { s3, objects, doc, open, done, stored };
}

describe('S3Journal: conditional saves', () => {
  it('creates a run with If-None-Match, saves it with If-Match, and moves it to done/ once finished (copy, then delete with If-Match)', async () => {
    const w = world();
    const journal = new S3Journal(w.objects);
    await journal.save(w.doc);
    w.doc.events.push({ type: 'run_finished', at: '2026-01-01T00:01:00.000Z', status: 'succeeded' });
    await journal.save(w.doc);
    expect(w.s3.keys('state')).toEqual([w.done]);
    expect(w.stored(w.done)).toEqual(w.doc);
    const writes = w.s3.calls.filter((c) => c.op !== 'GetObject' && c.op !== 'ListObjectsV2');
    expect(writes.map((c) => `${c.op} ${c.key.replace(w.doc.runId, 'RUN')} ${c.condition?.split(':')[0] ?? '-'}`)).toEqual([
      'PutObject p/runs/open/RUN.json If-None-Match',
      'PutObject p/runs/open/RUN.json If-Match',
      'PutObject p/runs/done/RUN.json If-None-Match',
      'DeleteObject p/runs/open/RUN.json If-Match',
    ]);
  });

  it('a save that loses its If-Match (another process saved the run since) fails with a JournalError and writes nothing', async () => {
    const w = world();
    const a = new S3Journal(w.objects);
    await a.save(w.doc);
    // Host B reads the run and saves it (a resume after a takeover).
    const b = new S3Journal(w.objects);
    const theirs = await b.load(w.doc.runId);
    theirs.events.push({ type: 'run_resumed', at: '2026-01-01T00:05:00.000Z', pid: 2, host: 'host-b' });
    await b.save(theirs);
    // Host A, still holding its copy, saves its next event: refused.
    w.doc.events.push({ type: 'step_started', at: '2026-01-01T00:05:01.000Z', stepId: 'capture', attempt: 1 });
    const error = await a.save(w.doc).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalError);
    expect((error as Error).message).toContain('changed by another process (pid 2 on host-b)');
    expect(w.stored()).toEqual(theirs);
    // And so is every later save of that copy: it never interleaves with B's events.
    await expect(a.save(w.doc)).rejects.toBeInstanceOf(JournalError);
    expect(w.stored()).toEqual(theirs);
    // B goes on.
    theirs.events.push({ type: 'step_started', at: '2026-01-01T00:05:02.000Z', stepId: 'capture', attempt: 1 });
    await b.save(theirs);
    expect(w.stored()).toEqual(theirs);
  });

  it('a run whose save loses its If-Match stops at once: no further step runs', async () => {
    const w = world();
    const journal = new S3Journal(w.objects);
    const ran: string[] = [];
    const step = (id: string, during?: () => Promise<void>): Step<null> => ({
      id,
      title: id,
      async run() {
        ran.push(id);
        await during?.();
      },
    });
    const intruder = async () => {
      const other = new S3Journal(w.objects);
      const theirs = await other.load(w.doc.runId);
      theirs.events.push({ type: 'run_resumed', at: '2026-01-01T00:05:00.000Z', pid: 2, host: 'host-b' });
      await other.save(theirs);
    };
    const clock = new FakeClock();
    w.doc.events = []; // a new run: the runner journals run_started
    const run = runWorkflow({ steps: [step('a', intruder), step('b')] }, null, w.doc, {
      journal,
      clock,
      signal: new AbortController().signal,
      retry: { attempts: 1, baseDelayMs: 1, factor: 1, maxDelayMs: 1 },
      pid: 1,
      host: 'host-a',
    });
    await expect(run).rejects.toBeInstanceOf(JournalError);
    expect(ran).toEqual(['a']);
    expect(w.stored()?.events.map((e) => e.type)).toEqual(['run_started', 'step_started', 'run_resumed']);
  });

  it('a run id that already exists is never overwritten by a new run', async () => {
    const w = world();
    await new S3Journal(w.objects).save(w.doc);
    const clash = structuredClone(w.doc);
    clash.events.push({ type: 'notice', at: '2026-01-01T00:00:00.000Z', level: 'info', message: 'other' });
    await expect(new S3Journal(w.objects).save(clash)).rejects.toBeInstanceOf(JournalError);
    expect(w.stored()).toEqual(w.doc);
  });

  it('a save whose answer was lost is recognised as landed (its text is there), and the next save goes on', async () => {
    const w = world();
    const journal = new S3Journal(w.objects);
    await journal.save(w.doc);
    w.doc.events.push({ type: 'step_started', at: '2026-01-01T00:00:01.000Z', stepId: 'a', attempt: 1 });
    w.s3.loseNextAnswer('PutObject', w.open);
    await journal.save(w.doc);
    w.doc.events.push({ type: 'step_succeeded', at: '2026-01-01T00:00:02.000Z', stepId: 'a' });
    await journal.save(w.doc);
    expect(w.stored()).toEqual(w.doc);
  });

  it('a 409 conflict is tried again when the run is still the version this process saved', async () => {
    const w = world();
    const journal = new S3Journal(w.objects);
    await journal.save(w.doc);
    w.doc.events.push({ type: 'step_started', at: '2026-01-01T00:00:01.000Z', stepId: 'a', attempt: 1 });
    w.s3.conflictNext('PutObject', w.open);
    await journal.save(w.doc);
    expect(w.stored()).toEqual(w.doc);
  });

  it('a crash between the copy to done/ and the delete from open/ leaves a run that is still listed as maybe unfinished, and loads', async () => {
    const w = world();
    const journal = new S3Journal(w.objects);
    await journal.save(w.doc);
    w.doc.events.push({ type: 'run_finished', at: '2026-01-01T00:01:00.000Z', status: 'succeeded' });
    w.s3.failNext('DeleteObject', w.open);
    await journal.save(w.doc);
    expect(w.s3.keys('state')).toEqual([w.done, w.open]);
    const other = new S3Journal(w.objects);
    expect(await other.runIds({ unfinishedOnly: true })).toEqual([{ runId: w.doc.runId, finished: false }]);
    const loaded = await other.load(w.doc.runId);
    expect(loaded).toEqual(w.doc);
    // The next save of it (an alert outcome) completes the move, replacing the older done/ copy.
    loaded.events.push({ type: 'notice', at: '2026-01-01T00:02:00.000Z', level: 'warning', message: 'late' });
    await other.save(loaded);
    expect(w.s3.keys('state')).toEqual([w.done]);
    expect(w.stored(w.done)).toEqual(loaded);
  });

  it('a save of a run whose lease this process lost is refused before anything is written', async () => {
    const w = world();
    const clock = new FakeClock();
    const locksA = new S3LockStore(w.objects, { clock, timers: stoppedTimers });
    const journal = new S3Journal(w.objects, (runId) => locksA.assertHeld(runId));
    await locksA.acquire('instance-db1', { pid: 1, host: 'host-a', runId: w.doc.runId, since: '' });
    await journal.save(w.doc);
    clock.advance(70_000); // host A paused past its lease
    await new S3LockStore(w.objects, { clock, timers: stoppedTimers }).acquire('instance-db1', {
      pid: 2,
      host: 'host-b',
      runId: w.doc.runId,
      since: '',
    });
    const before = w.s3.text('state', w.open);
    w.doc.events.push({ type: 'step_started', at: '2026-01-01T00:01:10.000Z', stepId: 'a', attempt: 1 });
    await expect(journal.save(w.doc)).rejects.toThrow(/no longer held by this process \(taken over by pid 2 on host-b\)/);
    expect(w.s3.text('state', w.open)).toBe(before);
  });
});
