import path from 'node:path';
import { FileJournal } from '../../src/stores/file-journal.js';
import { FileLockStore } from '../../src/stores/file-lock-store.js';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { instanceWorld } from './instance-world.js';

/**
 * Fills the journal directory `dir` with `count` finished restores of db1: real journals, written
 * by the service running over the fake RDS (a minute of virtual time apart).
 */
export async function finishedRestores(dir: string, count: number): Promise<void> {
  const world = instanceWorld();
  const deps = { ...world.deps, journal: new FileJournal(dir), locks: new FileLockStore(path.join(dir, 'locks')) };
  for (let i = 0; i < count; i += 1) {
    const prepared = await prepareRestore(deps, { identifier: 'db1', kind: 'instance', snapshot: 's1', freshSnapshot: false });
    if (!prepared.ok) throw new Error(`finishedRestores: the preflight failed: ${JSON.stringify(prepared.summary.preflight)}`);
    await prepared.start();
    await world.clock.sleep(60_000);
  }
}
