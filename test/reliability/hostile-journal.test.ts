import { describe, expect, it } from 'vitest';
import type { RunDocument } from '../../src/engine/run-document.js';
import { clusterWorld } from '../workflows/cluster-world.js';
import { instanceWorld } from '../workflows/instance-world.js';
import { cliOver } from './cli-world.js';

/**
 * A journal is a file: whoever can write it could make `trapheus resume` act on any database.
 * A loaded plan is checked against its run's own identifier and the naming rules before any
 * step runs, so a crafted (or damaged) plan changes nothing.
 */
function interruptedInstanceRun() {
  const world = instanceWorld();
  world.rds.addInstance({ identifier: 'prod' });
  world.rds.onCall('renameInstance', () => world.controller.abort(new Error('SIGINT')));
  return world;
}

const fresh = <D extends { signal: AbortSignal }>(deps: D): D => ({ ...deps, signal: new AbortController().signal });
const onlyRun = (docs: Map<string, RunDocument>): RunDocument => [...docs.values()][0]!;

describe('a crafted or damaged plan is never acted on', () => {
  it.each([
    ['retiredIdentifier', { retiredIdentifier: 'prod' }],
    ['identifier', { identifier: 'prod', retiredIdentifier: 'prod-temp' }],
    ['finalSnapshotIdentifier', { finalSnapshotIdentifier: 'someone-elses-name' }],
  ])('resume refuses a plan whose %s does not derive from the run identifier: exit 3, no AWS change', async (_field, tamper) => {
    const world = interruptedInstanceRun();
    expect(await cliOver(world.deps).run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(130);
    const doc = onlyRun(world.journal.docs);
    Object.assign(doc.plan, tamper);
    const calls = world.rds.mutatingCalls().length;

    const { run, rec } = cliOver(fresh(world.deps));
    expect(await run('resume')).toBe(3);
    expect(rec.err.join('\n')).toMatch(new RegExp(`Run ${doc.runId} does not fit its own identifier \\(db1\\)`));
    expect(world.rds.mutatingCalls()).toHaveLength(calls);
    expect(await world.rds.describeInstance('prod')).toMatchObject({ identifier: 'prod', status: 'available' });
  });

  it('a crafted swap plan that names another database as the copy to delete is refused too', async () => {
    const world = instanceWorld({ restore: { strategy: 'swap' } });
    world.rds.addInstance({ identifier: 'prod' });
    world.rds.onCall('restoreInstance', () => world.controller.abort(new Error('SIGINT')));
    expect(await cliOver(world.deps).run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(130);
    Object.assign(onlyRun(world.journal.docs).plan, { restoringIdentifier: 'prod' });
    const calls = world.rds.mutatingCalls().length;
    expect(await cliOver(fresh(world.deps)).run('resume')).toBe(3);
    expect(world.rds.mutatingCalls()).toHaveLength(calls);
  });

  it('a cluster plan whose members are not the captured members (or reuse a name) is refused', async () => {
    for (const members of [
      (m: { identifier: string }[]) => [...m, { identifier: 'prod', retiredIdentifier: 'prod-temp' }],
      (m: { identifier: string }[]) => [{ ...m[0]!, identifier: 'prod', retiredIdentifier: 'prod-temp' }, ...m.slice(1)],
      (m: { identifier: string }[]) => [...m, { identifier: 'c1', retiredIdentifier: 'c1-temp' }],
    ]) {
      const world = clusterWorld();
      const controller = new AbortController();
      world.rds.onCall('renameInstance', () => controller.abort(new Error('SIGINT')));
      expect(
        await cliOver({ ...world.deps, signal: controller.signal }).run(
          'restore',
          '--cluster',
          '--identifier',
          'c1',
          '--snapshot',
          'cs1',
          '--yes',
        ),
      ).toBe(130);
      const doc = onlyRun(world.journal.docs);
      doc.plan.members = members(doc.plan.members as { identifier: string }[]);
      const calls = world.rds.mutatingCalls().length;
      const { run, rec } = cliOver(fresh(world.deps));
      expect(await run('resume')).toBe(3);
      expect(rec.err.join('\n')).toMatch(/does not fit its own identifier \(c1\): plan\.members/);
      expect(world.rds.mutatingCalls()).toHaveLength(calls);
    }
  });

  it('a snapshot-only run whose plan names another database is refused', async () => {
    const world = instanceWorld();
    world.rds.addInstance({ identifier: 'prod' });
    world.rds.onCall('createSnapshot', () => world.controller.abort(new Error('SIGINT')));
    expect(await cliOver(world.deps).run('snapshot-only', '--identifier', 'db1')).toBe(130);
    const doc = onlyRun(world.journal.docs);
    Object.assign(doc.plan, { identifier: 'prod' });
    const calls = world.rds.mutatingCalls().length;
    const { run, rec } = cliOver(fresh(world.deps));
    expect(await run('resume', doc.runId)).toBe(3);
    expect(rec.err.join('\n')).toMatch(/plan\.identifier is "prod"/);
    expect(world.rds.mutatingCalls()).toHaveLength(calls);
  });

  it('an untampered interrupted run still resumes to the end', async () => {
    const world = interruptedInstanceRun();
    expect(await cliOver(world.deps).run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(130);
    world.rds.clearFaults();
    expect(await cliOver(fresh(world.deps)).run('resume')).toBe(0);
  });
});
