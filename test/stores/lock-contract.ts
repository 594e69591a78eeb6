/**
 * What every LockStore promises (the file store and the S3 store run the same tests):
 * one holder per key, case-insensitive keys, a holder that can be named, release, and a lock
 * whose holder is gone taken over. `world` gives stores that share one backing (as two
 * processes on two hosts would) and a way to leave a lock behind as a dead process does.
 */
import { describe, expect, it } from 'vitest';
import { LockHeldError, type LockOwner, type LockStore } from '../../src/engine/journal.js';

export interface LockWorld {
  /** A store as one process sees the shared locks; each call is another process (another host for S3). */
  store(process: { pid: number; host: string }): LockStore;
  /** Leaves `key` locked by a process that is gone without releasing it (and lets its lease run out where there is one). */
  abandon(key: string, owner: LockOwner): Promise<void>;
  /** Stops timers and cleans up. */
  close?(): Promise<void>;
}

const owner = (pid: number, host: string, runId: string): LockOwner => ({ pid, host, runId, since: '2026-01-01T00:00:00.000Z' });

/** Registers the lock contract for one adapter. `make` builds a fresh world per test. */
export function describeLockContract(name: string, make: () => Promise<LockWorld>): void {
  describe(`LockStore contract: ${name}`, () => {
    const withWorld = (test: (world: LockWorld) => Promise<void>) => async () => {
      const world = await make();
      try {
        await test(world);
      } finally {
        await world.close?.();
      }
    };

    it(
      'a free lock is taken, and its holder can be named by anyone',
      withWorld(async (world) => {
        const a = world.store({ pid: process.pid, host: 'host-a' });
        const b = world.store({ pid: process.pid + 1, host: 'host-b' });
        expect(await b.holder('instance-db1')).toBeUndefined();
        const release = await a.acquire('instance-db1', owner(process.pid, 'host-a', 'run-a'));
        expect(await b.holder('instance-db1')).toMatchObject({ pid: process.pid, host: 'host-a', runId: 'run-a' });
        await release();
      }),
    );

    it(
      'a held lock is refused to another process with LockHeldError naming the holder, until released',
      withWorld(async (world) => {
        const a = world.store({ pid: process.pid, host: 'host-a' });
        const b = world.store({ pid: process.pid + 1, host: 'host-b' });
        const release = await a.acquire('instance-db1', owner(process.pid, 'host-a', 'run-a'));
        const refused = await b.acquire('instance-db1', owner(process.pid + 1, 'host-b', 'run-b')).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(LockHeldError);
        expect((refused as Error).message).toContain('run-a');
        await release();
        expect(await b.holder('instance-db1')).toBeUndefined();
        const releaseB = await b.acquire('instance-db1', owner(process.pid + 1, 'host-b', 'run-b'));
        expect(await a.holder('instance-db1')).toMatchObject({ runId: 'run-b' });
        await releaseB();
      }),
    );

    it(
      'keys are case-insensitive (RDS identifiers are) and distinct keys are independent',
      withWorld(async (world) => {
        const a = world.store({ pid: process.pid, host: 'host-a' });
        const b = world.store({ pid: process.pid + 1, host: 'host-b' });
        const release = await a.acquire('instance-DB1', owner(process.pid, 'host-a', 'run-a'));
        await expect(b.acquire('instance-db1', owner(process.pid + 1, 'host-b', 'run-b'))).rejects.toBeInstanceOf(LockHeldError);
        const other = await b.acquire('cluster-db1', owner(process.pid + 1, 'host-b', 'run-c'));
        await other();
        await release();
      }),
    );

    it(
      'releasing twice is harmless and does not free a lock someone else took since',
      withWorld(async (world) => {
        const a = world.store({ pid: process.pid, host: 'host-a' });
        const b = world.store({ pid: process.pid + 1, host: 'host-b' });
        const release = await a.acquire('instance-db1', owner(process.pid, 'host-a', 'run-a'));
        await release();
        const releaseB = await b.acquire('instance-db1', owner(process.pid + 1, 'host-b', 'run-b'));
        await release();
        expect(await a.holder('instance-db1')).toMatchObject({ runId: 'run-b' });
        await releaseB();
      }),
    );

    it(
      'of processes racing for one lock, exactly one wins; the others are told who holds it',
      withWorld(async (world) => {
        const racers = Array.from({ length: 6 }, (_, i) => ({ store: world.store({ pid: 1000 + i, host: `host-${i}` }), i }));
        const results = await Promise.allSettled(
          racers.map(({ store, i }) => store.acquire('instance-db1', owner(process.pid, `host-${i}`, `run-${i}`))),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(5);
        for (const r of lost) expect(r.reason).toBeInstanceOf(LockHeldError);
        const holder = await racers[0]!.store.holder('instance-db1');
        const winner = results.findIndex((r) => r.status === 'fulfilled');
        expect(holder?.runId).toBe(`run-${winner}`);
        await (won[0] as PromiseFulfilledResult<() => Promise<void>>).value();
      }),
    );

    it(
      'a lock whose holder is gone without releasing it is not held, and is taken over',
      withWorld(async (world) => {
        await world.abandon('instance-db1', owner(99999, 'host-gone', 'run-gone'));
        const b = world.store({ pid: process.pid, host: 'host-gone' });
        expect(await b.holder('instance-db1')).toBeUndefined();
        const release = await b.acquire('instance-db1', owner(process.pid, 'host-gone', 'run-b'));
        expect(await b.holder('instance-db1')).toMatchObject({ runId: 'run-b' });
        await release();
      }),
    );
  });
}
