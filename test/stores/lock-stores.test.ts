import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { S3LockStore, type LeaseTimers } from '../../src/aws/s3-lock-store.js';
import { S3StateObjects } from '../../src/aws/s3-state-objects.js';
import { FileLockStore } from '../../src/stores/file-lock-store.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeS3 } from './fake-s3.js';
import { describeLockContract } from './lock-contract.js';

/** Timers that never fire: the tests that need renewal drive it themselves. */
export const stoppedTimers: LeaseTimers = { every: () => ({ stop: () => undefined }) };

describeLockContract('file store', async () => {
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'trapheus-locks-')), 'locks');
  const dead = new Set<number>();
  return {
    store: ({ host }) => new FileLockStore(dir, host, (pid) => !dead.has(pid)),
    async abandon(key, owner) {
      // What a killed process leaves: its lock file, naming a pid that no longer runs on this host.
      await new FileLockStore(dir, owner.host).acquire(key, owner);
      dead.add(owner.pid);
    },
  };
});

describeLockContract('S3 store (in-memory S3 behind the SDK client)', async () => {
  const s3 = new FakeS3();
  s3.bucket('state');
  const clock = new FakeClock();
  const objects = new S3StateObjects(s3.client(), { bucket: 'state', prefix: 'team/prod' });
  const stores: S3LockStore[] = [];
  const store = () => {
    const made = new S3LockStore(objects, { clock, timers: stoppedTimers, leaseMs: 60_000 });
    stores.push(made);
    return made;
  };
  return {
    store,
    async abandon(key, owner) {
      // A process that took the lease and stopped renewing it (killed, or its host cut off).
      await store().acquire(key, owner);
      clock.advance(60_000 + 5_001);
    },
  };
});
