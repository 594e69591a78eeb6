import { describe, expect, it } from 'vitest';
import { instanceWorld } from '../workflows/instance-world.js';
import { cliOver } from './cli-world.js';

/**
 * A run file this version cannot read (truncated by a full disk, written by a newer trapheus,
 * or with an event type it does not know) may be an unfinished run: it blocks new runs of any
 * database it may concern, naming the file, and nothing is touched.
 */
function worldWithUnreadable(about: { runId?: string; identifier?: string }) {
  const world = instanceWorld();
  world.rds.addInstance({ identifier: 'db2' });
  world.journal.unreadable.push({ file: `/j/${about.runId ?? 'x'}.json`, reason: 'has journal schema version 2', ...about });
  return world;
}

describe('an unreadable journal blocks the runs it may concern', () => {
  it('a restore of the database it names: exit 3 naming the file, no AWS change, no lock left', async () => {
    const world = worldWithUnreadable({ runId: '20260101-000000-db1-abcd' });
    const { run, rec } = cliOver(world.deps);
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(3);
    expect(rec.err.join('\n')).toMatch(/\/j\/20260101-000000-db1-abcd\.json cannot be read \(has journal schema version 2\)/);
    expect(world.rds.calls).toEqual([]);
    expect(world.locks.held.size).toBe(0);
  });

  it('snapshot-only too, and whatever the case of the identifier', async () => {
    const world = worldWithUnreadable({ runId: 'broken', identifier: 'DB1' });
    expect(await cliOver(world.deps).run('snapshot-only', '--identifier', 'db1')).toBe(3);
    expect(world.rds.mutatingCalls()).toEqual([]);
  });

  it('a file that says nothing of its database blocks every database', async () => {
    const world = worldWithUnreadable({ runId: 'whatever' });
    expect(await cliOver(world.deps).run('restore', '--identifier', 'db2', '--snapshot', 's1', '--yes')).toBe(3);
    expect(world.rds.mutatingCalls()).toEqual([]);
  });

  it('another database is not blocked', async () => {
    const world = worldWithUnreadable({ runId: '20260101-000000-db2-abcd', identifier: 'db2' });
    expect(await cliOver(world.deps).run('snapshot-only', '--identifier', 'db1')).toBe(0);
  });

  it('resume without an id says the unreadable file may be the run, instead of "nothing to resume"', async () => {
    const world = worldWithUnreadable({ runId: '20260101-000000-db1-abcd' });
    const { run, rec } = cliOver(world.deps);
    expect(await run('resume')).toBe(3);
    expect(rec.err.join('\n')).toMatch(/20260101-000000-db1-abcd\.json cannot be read .*it may be one/);
  });

  it('runs lists it as unreadable (in --json too), with the file and why', async () => {
    const world = worldWithUnreadable({ runId: '20260101-000000-db1-abcd' });
    const table = cliOver(world.deps);
    expect(await table.run('runs')).toBe(0);
    expect(table.rec.out.join('\n')).toMatch(/20260101-000000-db1-abcd\s+\?\s+db1\s+unreadable/);
    expect(table.rec.out.join('\n')).toContain('/j/20260101-000000-db1-abcd.json: has journal schema version 2');
    const json = cliOver(world.deps);
    expect(await json.run('runs', '--json')).toBe(0);
    expect((JSON.parse(json.rec.out[0]!) as { runs: unknown }).runs).toEqual([
      expect.objectContaining({
        runId: '20260101-000000-db1-abcd',
        identifier: 'db1',
        status: 'unreadable',
        file: '/j/20260101-000000-db1-abcd.json',
        reason: 'has journal schema version 2',
      }),
    ]);
  });
});
