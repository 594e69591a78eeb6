import { describe, expect, it } from 'vitest';
import { S3Journal } from '../../src/aws/s3-journal.js';
import { S3LockStore, type LeaseNotice, type LeaseTimers } from '../../src/aws/s3-lock-store.js';
import { S3StateObjects } from '../../src/aws/s3-state-objects.js';
import { deriveProgress } from '../../src/engine/run-progress.js';
import { detectCrashedRuns, standingOf } from '../../src/workflows/run/crashed-runs.js';
import { lockKeyOf, lockOwner } from '../../src/workflows/run/run-lock.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeS3 } from '../stores/fake-s3.js';
import { runDocAt } from '../stores/journal-contract.js';

const stoppedTimers: LeaseTimers = { every: () => ({ stop: () => undefined }) };

/** Two hosts sharing one state prefix; host A's process will die holding its run's lease. */
function world() {
  const s3 = new FakeS3();
  s3.bucket('state');
  const clock = new FakeClock(new Date('2026-01-01T00:00:00.000Z'));
  const objects = new S3StateObjects(s3.client(), { bucket: 'state', prefix: 'ci' });
  const host = (name: string, pid: number) => {
    const notices: LeaseNotice[] = [];
    const locks = new S3LockStore(objects, { clock, timers: stoppedTimers, notice: (n) => notices.push(n) });
    return { journal: new S3Journal(objects, (runId) => locks.assertHeld(runId)), locks, clock, host: name, pid, notices };
  };
  return { s3, clock, host };
}

describe('a run whose host died, with state in S3', () => {
  it('is running while its lease lives, then found crashed by any host, marked once, and its lease taken over with a notice', async () => {
    const w = world();
    const a = w.host('runner-1', 101);
    const doc = runDocAt('2026-01-01T00:00:00.000Z', 'db1');
    doc.events = [{ type: 'run_started', at: '2026-01-01T00:00:00.000Z', pid: 101, host: 'runner-1' }];
    await a.locks.acquire(lockKeyOf(doc), lockOwner(a, doc.runId));
    await a.journal.save(doc);
    // runner-1 is gone (the job was cancelled hard): its lease is no longer renewed.

    const b = w.host('runner-2', 202);
    expect(await standingOf(b, doc)).toEqual({ standing: 'running', active: true });
    expect(await detectCrashedRuns(b)).toEqual([]);

    w.clock.advance(66_000); // past the lease (60 s) and the allowed clock skew (5 s)
    expect(await standingOf(b, doc)).toEqual({ standing: 'crashed', active: false });
    const crashed = await detectCrashedRuns(b);
    expect(crashed).toEqual([expect.objectContaining({ runId: doc.runId, pid: 101, host: 'runner-1' })]);
    expect(b.notices.map((n) => n.type)).toEqual(['taken_over']);
    const marked = await b.journal.load(doc.runId);
    expect(marked.events.at(-1)).toMatchObject({ type: 'run_crashed', pid: 101, host: 'runner-1' });
    expect(deriveProgress(marked.events).status).toBe('interrupted');
    // Marked once: a third host finds nothing more to do, and the lease was released.
    expect(await detectCrashedRuns(w.host('runner-3', 303))).toEqual([]);
    expect(w.s3.keys('state').filter((k) => k.startsWith('ci/locks/'))).toEqual([]);
    // runner-1, had it only been paused, could not append to the run any more.
    doc.events.push({ type: 'step_started', at: '2026-01-01T00:01:10.000Z', stepId: 'a', attempt: 1 });
    await expect(a.journal.save(doc)).rejects.toThrow(/no longer held by this process/);
  });
});
