import { describe, expect, it } from 'vitest';
import { instanceWorld } from '../workflows/instance-world.js';
import { cliOver } from './cli-world.js';

describe('a snapshot of a different database', () => {
  it('is said plainly in the preflight, naming both (a warning: the restore may go on)', async () => {
    const world = instanceWorld();
    world.rds.addSnapshot({ identifier: 'prod-weekly', sourceIdentifier: 'prod' });
    const { run, rec } = cliOver(world.deps);
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 'prod-weekly', '--dry-run')).toBe(0);
    expect(rec.out.join('\n')).toMatch(
      /! snapshot of another database: Snapshot prod-weekly was taken of prod, not of db1: db1 will be replaced by a copy of prod's data\./,
    );
    expect(world.rds.mutatingCalls()).toEqual([]);
  });

  it('says nothing for a snapshot of the database itself', async () => {
    const { run, rec } = cliOver(instanceWorld().deps);
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--dry-run', '--json')).toBe(0);
    const summary = JSON.parse(rec.out[0]!) as { preflight: { name: string }[]; warnings: string[] };
    expect(summary.preflight.map((c) => c.name)).not.toContain('snapshot of another database');
  });
});
