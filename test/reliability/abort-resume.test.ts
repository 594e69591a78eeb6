import { describe, expect, it } from 'vitest';
import { instanceWorld } from '../workflows/instance-world.js';
import { cliOver, recorder } from './cli-world.js';

/** A rename-first restore stopped by Ctrl-C when `verb` is called: db1 is renamed away to db1-temp by then. */
async function interruptedAt(verb: 'restoreInstance' | 'deleteInstance') {
  const world = instanceWorld();
  const original = (await world.rds.describeInstance('db1'))!.resourceId;
  world.rds.onCall(verb, () => world.controller.abort(new Error('SIGINT')));
  expect(await cliOver(world.deps).run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(130);
  world.rds.clearFaults();
  const deps = { ...world.deps, signal: new AbortController().signal };
  const runId = [...world.journal.docs.keys()][0]!;
  return { world, deps, original, runId };
}

describe('trapheus abort RUN_ID', () => {
  it('reverts a run before its point of no return: the original is back under its name, exit 0', async () => {
    const { world, deps, original, runId } = await interruptedAt('restoreInstance');
    const { run, rec } = cliOver(deps);
    expect(await run('abort', runId, '--yes', '--json')).toBe(0);
    expect(JSON.parse(rec.out[0]!)).toMatchObject({ runId, status: 'rolled_back', error: { name: 'RevertRequested' } });
    expect(rec.err.join('\n')).toMatch(new RegExp(`Reverting run ${runId} \\(restore of db1, interrupted at restore-snapshot\\)`));
    expect((await world.rds.describeInstance('db1'))?.resourceId).toBe(original);
    expect(await world.rds.describeInstance('db1-temp')).toBeUndefined();
    expect(world.locks.held.size).toBe(0);
  });

  it('without a terminal it needs --yes, and says so before any AWS call (exit 2)', async () => {
    const { world, deps, runId } = await interruptedAt('restoreInstance');
    const calls = world.rds.calls.length;
    const { run, rec } = cliOver(deps);
    expect(await run('abort', runId)).toBe(2);
    expect(rec.err.join('\n')).toMatch(/--yes/);
    expect(world.rds.calls).toHaveLength(calls);
  });

  it('in a terminal it asks to type the identifier: a wrong answer changes nothing (exit 2), the right one reverts', async () => {
    const { world, deps, runId } = await interruptedAt('restoreInstance');
    const calls = world.rds.mutatingCalls().length;
    const writes = world.journal.writes;
    const wrong = cliOver(deps, recorder({ canPrompt: true, answer: 'db2' }));
    expect(await wrong.run('abort', runId)).toBe(2);
    expect(wrong.rec.questions[0]).toMatch(/Type the identifier \(db1\) to revert this run/);
    expect(world.rds.mutatingCalls()).toHaveLength(calls);
    expect(world.journal.writes).toBe(writes);
    expect(await cliOver(deps, recorder({ canPrompt: true, answer: 'DB1' })).run('abort', runId)).toBe(0);
    expect(await world.rds.describeInstance('db1-temp')).toBeUndefined();
  });

  it('past its point of no return it is refused with a clear message (exit 3), nothing changed', async () => {
    const { world, deps, runId } = await interruptedAt('deleteInstance');
    const calls = world.rds.mutatingCalls().length;
    const { run, rec } = cliOver(deps);
    expect(await run('abort', runId, '--yes')).toBe(3);
    expect(rec.err.join('\n')).toMatch(/past its point of no return \(verify succeeded\)[\s\S]*trapheus resume/);
    expect(world.rds.mutatingCalls()).toHaveLength(calls);
  });

  it('an unknown run: exit 3', async () => {
    expect(await cliOver(instanceWorld().deps).run('abort', '20260101-000000-db1-abcd', '--yes')).toBe(3);
  });
});

describe('trapheus resume', () => {
  it('--dry-run says which run and what a resume would do, and changes nothing', async () => {
    const { world, deps, runId } = await interruptedAt('restoreInstance');
    const calls = world.rds.mutatingCalls().length;
    const writes = world.journal.writes;
    const { run, rec } = cliOver(deps);
    expect(await run('resume', '--dry-run')).toBe(0);
    const text = rec.out.join('\n');
    expect(text).toMatch(new RegExp(`A resume would continue run ${runId} \\(restore of db1, interrupted at restore-snapshot\\)`));
    expect(text).toMatch(/It goes forward with:\n {2}1\. restore-snapshot — /);
    expect(text).toMatch(/delete-original/);
    expect(world.rds.mutatingCalls()).toHaveLength(calls);
    expect(world.journal.writes).toBe(writes);

    const json = cliOver(deps);
    expect(await json.run('resume', runId, '--dry-run', '--json')).toBe(0);
    expect(JSON.parse(json.rec.out[0]!)).toMatchObject({ runId, direction: 'forward', pastPointOfNoReturn: false });
  });

  it('without an id says which run it continues before it acts', async () => {
    const { deps, runId } = await interruptedAt('restoreInstance');
    const { run, rec } = cliOver(deps);
    expect(await run('resume')).toBe(0);
    const announced = rec.err.findIndex((l) => l.startsWith(`Resuming run ${runId} (restore of db1`));
    const firstStep = rec.err.findIndex((l) => / restore-snapshot started/.test(l));
    expect(announced).toBeGreaterThanOrEqual(0);
    expect(announced).toBeLessThan(firstStep);
  });

  it('a run another live process holds is skipped (exit 5)', async () => {
    const { world, deps, runId } = await interruptedAt('restoreInstance');
    world.locks.held.set('instance-db1', { pid: 77, host: 'test-host', runId, since: '' });
    expect(await cliOver(deps).run('resume', runId)).toBe(5);
  });
});
