import { describe, expect, it } from 'vitest';
import { JournalError, PreconditionError } from '../../src/core/errors.js';
import { LockHeldError, type LockOwner } from '../../src/engine/journal.js';
import { S3LockStore, type LeaseNotice, type LeaseTimers } from '../../src/aws/s3-lock-store.js';
import { S3StateObjects } from '../../src/aws/s3-state-objects.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeS3 } from '../stores/fake-s3.js';

/** Timers a test ticks by hand: `tick()` runs every renewal that is registered and not stopped. */
class ManualTimers implements LeaseTimers {
  readonly running = new Set<() => void>();
  intervals: number[] = [];
  every(ms: number, tick: () => void) {
    this.intervals.push(ms);
    this.running.add(tick);
    return { stop: () => void this.running.delete(tick) };
  }
  tick(): void {
    for (const tick of this.running) tick();
  }
}

const KEY = 'instance-db1';
const LOCK = 'team/locks/instance-db1.json';
const owner = (host: string, runId: string): LockOwner => ({ pid: 4242, host, runId, since: '2026-01-01T00:00:00.000Z' });

function world() {
  const s3 = new FakeS3();
  s3.bucket('state');
  const clock = new FakeClock();
  s3.now = () => clock.now();
  const objects = new S3StateObjects(s3.client(), { bucket: 'state', prefix: 'team' });
  const host = (name: string) => {
    const timers = new ManualTimers();
    const notices: LeaseNotice[] = [];
    const locks = new S3LockStore(objects, { clock, timers, leaseMs: 60_000, clockSkewMs: 5_000, notice: (n) => notices.push(n) });
    return { locks, timers, notices, name };
  };
  return { s3, clock, host, lease: () => JSON.parse(s3.text('state', LOCK) ?? 'null') as { expiresAt: string; runId: string } | null };
}

describe('S3LockStore: leases', () => {
  it('creates the lease with If-None-Match: *, renews it every third of the lease with If-Match, and deletes it with If-Match', async () => {
    const w = world();
    const a = w.host('host-a');
    const release = await a.locks.acquire(KEY, owner('host-a', 'run-a'));
    expect(w.lease()).toMatchObject({ runId: 'run-a', host: 'host-a', pid: 4242, expiresAt: '2026-01-01T00:01:00.000Z', leaseSeconds: 60 });
    expect(a.timers.intervals).toEqual([20_000]);
    w.clock.advance(20_000);
    a.timers.tick();
    await a.locks.renewDue(); // waits for the renewal the tick started
    expect(w.lease()?.expiresAt).toBe('2026-01-01T00:01:20.000Z');
    // Long after the first expiry, the renewed lease still keeps another host out.
    w.clock.advance(50_000);
    await expect(w.host('host-b').locks.acquire(KEY, owner('host-b', 'run-b'))).rejects.toBeInstanceOf(LockHeldError);
    await release();
    expect(w.lease()).toBeNull();
    expect(a.timers.running.size).toBe(0);
    const puts = w.s3.calls.filter((c) => c.key === LOCK && c.op !== 'GetObject').map((c) => `${c.op} ${c.condition?.split(':')[0] ?? ''}`);
    expect(puts).toEqual(['PutObject If-None-Match', 'PutObject If-Match', 'PutObject If-None-Match', 'DeleteObject If-Match']);
  });

  it('a lease that expires while its holder is paused is taken over (and the taker says so); the holder learns it at its next save and stops, leaving the taker’s lease alone', async () => {
    const w = world();
    const a = w.host('host-a');
    const b = w.host('host-b');
    const releaseA = await a.locks.acquire(KEY, owner('host-a', 'run-x'));
    // Host A is paused (SIGSTOP, a laptop lid): no renewal for 70 s.
    w.clock.advance(70_000);
    expect(await b.locks.holder(KEY)).toBeUndefined();
    const releaseB = await b.locks.acquire(KEY, owner('host-b', 'run-x'));
    expect(b.notices).toHaveLength(1);
    expect(b.notices[0]).toMatchObject({ type: 'taken_over', key: KEY, previous: { host: 'host-a', runId: 'run-x' } });
    expect(b.notices[0]?.message).toContain('expired at 2026-01-01T00:01:00.000Z');
    // A wakes up: its renewal finds the lease taken over...
    a.timers.tick();
    await a.locks.renewDue();
    expect(a.notices).toEqual([expect.objectContaining({ type: 'lost', key: KEY, runId: 'run-x' })]);
    // ...and its next journal save is refused: the run stops touching nothing more.
    const refused = await a.locks.assertHeld('run-x').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(JournalError);
    expect((refused as Error).message).toContain('taken over by pid 4242 on host-b');
    // A's release does not delete B's lease.
    await releaseA();
    expect(w.lease()).toMatchObject({ runId: 'run-x' });
    expect(await a.locks.holder(KEY)).toMatchObject({ host: 'host-b' });
    await releaseB();
    expect(w.lease()).toBeNull();
  });

  it('a holder that releases after its lease was taken over, without having noticed, deletes nothing', async () => {
    const w = world();
    const releaseA = await w.host('host-a').locks.acquire(KEY, owner('host-a', 'run-a'));
    w.clock.advance(70_000);
    const releaseB = await w.host('host-b').locks.acquire(KEY, owner('host-b', 'run-b'));
    await releaseA();
    expect(w.lease()).toMatchObject({ runId: 'run-b' });
    await releaseB();
  });

  it('a paused holder whose lease ran out unnoticed is refused at its next save even before anyone takes over, unless it can renew first', async () => {
    const w = world();
    const a = w.host('host-a');
    await a.locks.acquire(KEY, owner('host-a', 'run-a'));
    w.clock.advance(65_000);
    // Nobody took it: the save renews it on the spot (conditional on A's ETag) and goes on.
    await a.locks.assertHeld('run-a');
    expect(w.lease()?.expiresAt).toBe('2026-01-01T00:02:05.000Z');
    // S3 cannot be reached while the lease runs out: the save is refused.
    w.clock.advance(61_000);
    w.s3.failNext('PutObject', LOCK);
    await expect(a.locks.assertHeld('run-a')).rejects.toBeInstanceOf(JournalError);
    // Runs this process does not hold a lease for are not its business.
    await a.locks.assertHeld('run-other');
  });

  it('a lease within its expiry plus the allowed clock skew is still held', async () => {
    const w = world();
    await w.host('host-a').locks.acquire(KEY, owner('host-a', 'run-a'));
    w.clock.advance(64_000);
    await expect(w.host('host-b').locks.acquire(KEY, owner('host-b', 'run-b'))).rejects.toThrow(/lease runs until 2026-01-01T00:01:00/);
  });

  it('two takers of one expired lease: the If-Match on its ETag lets exactly one win', async () => {
    const w = world();
    await w.host('host-a').locks.acquire(KEY, owner('host-a', 'run-a'));
    w.clock.advance(70_000);
    const takers = ['b', 'c', 'd'].map((n) => w.host(`host-${n}`));
    const results = await Promise.allSettled(takers.map((t) => t.locks.acquire(KEY, owner(t.name, `run-${t.name}`))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []))).toEqual([
      expect.any(LockHeldError),
      expect.any(LockHeldError),
    ]);
    expect(takers.flatMap((t) => t.notices)).toHaveLength(1);
  });

  it('a create whose answer is lost is found to be ours; a 409 conflict is tried again', async () => {
    const w = world();
    const a = w.host('host-a');
    w.s3.loseNextAnswer('PutObject', LOCK);
    const release = await a.locks.acquire(KEY, owner('host-a', 'run-a'));
    expect(await w.host('host-b').locks.holder(KEY)).toMatchObject({ runId: 'run-a' });
    await release();
    w.s3.conflictNext('PutObject', LOCK);
    const again = await a.locks.acquire(KEY, owner('host-a', 'run-a2'));
    expect(w.lease()).toMatchObject({ runId: 'run-a2' });
    await again();
  });

  it('a takeover whose answer was lost is found to be ours', async () => {
    const w = world();
    await w.host('host-a').locks.acquire(KEY, owner('host-a', 'run-a'));
    w.clock.advance(70_000);
    w.s3.loseNextAnswer('PutObject', LOCK, 'If-Match');
    const release = await w.host('host-b').locks.acquire(KEY, owner('host-b', 'run-b'));
    expect(w.lease()).toMatchObject({ runId: 'run-b' });
    await release();
    expect(w.lease()).toBeNull();
  });

  it('a renewal whose answer was lost is recognised at the next one (the lease stays ours)', async () => {
    const w = world();
    const a = w.host('host-a');
    const release = await a.locks.acquire(KEY, owner('host-a', 'run-a'));
    w.clock.advance(20_000);
    w.s3.loseNextAnswer('PutObject', LOCK);
    await a.locks.renewDue();
    expect(w.lease()?.expiresAt).toBe('2026-01-01T00:01:20.000Z');
    w.clock.advance(20_000);
    await a.locks.renewDue();
    expect(a.notices).toEqual([]);
    await a.locks.assertHeld('run-a');
    await release();
    expect(w.lease()).toBeNull();
  });

  it('an object at the lock key that is not a lease holds the lock for one lease after it was written', async () => {
    const w = world();
    w.s3.put('state', LOCK, 'not json');
    const b = w.host('host-b');
    await expect(b.locks.acquire(KEY, owner('host-b', 'run-b'))).rejects.toThrow(/unreadable lease/);
    w.clock.advance(66_000);
    const release = await b.locks.acquire(KEY, owner('host-b', 'run-b'));
    expect(b.notices[0]?.message).toContain('from an unreadable lease');
    await release();
  });

  it('a missing bucket is a precondition naming setup-state; a network failure taking the lock changes nothing', async () => {
    const s3 = new FakeS3();
    const locks = new S3LockStore(new S3StateObjects(s3.client(), { bucket: 'nobucket', prefix: '' }), { clock: new FakeClock() });
    const error = (await locks.acquire(KEY, owner('h', 'r')).catch((e: unknown) => e)) as PreconditionError;
    expect(error).toBeInstanceOf(PreconditionError);
    expect(error.hint).toContain('trapheus setup-state --bucket nobucket --create');
    s3.bucket('nobucket');
    s3.failNext('PutObject');
    s3.failNext('GetObject');
    await expect(locks.acquire(KEY, owner('h', 'r'))).rejects.toThrow(/Could not take the lock s3:\/\/nobucket\/locks\/instance-db1.json/);
    expect(s3.keys('nobucket')).toEqual([]);
  });
});
