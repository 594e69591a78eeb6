import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildServiceDeps } from '../../src/composition.js';
import { UsageError } from '../../src/core/errors.js';
import { instanceWorld } from '../workflows/instance-world.js';
import { cliOver } from './cli-world.js';

describe('identifiers are case-insensitive, as in RDS', () => {
  it('DB1 is db1: the run, its name and its lock are the lower-case identifier', async () => {
    const world = instanceWorld();
    const { run, rec } = cliOver(world.deps);
    expect(await run('restore', '--identifier', 'DB1', '--snapshot', 'S1', '--yes', '--json')).toBe(0);
    const summary = JSON.parse(rec.out[0]!) as { runId: string; identifier: string; snapshotIdentifier: string };
    expect(summary).toMatchObject({ identifier: 'db1', snapshotIdentifier: 's1' });
    expect(summary.runId).toMatch(/^\d{8}-\d{6}-db1-[0-9a-f]{4}$/);
  });

  it('while a run of db1 is unfinished, a restore of DB1 is refused and points at it (exit 3), not run a second time', async () => {
    const world = instanceWorld();
    world.rds.onCall('restoreInstance', () => world.controller.abort(new Error('SIGINT')));
    expect(await cliOver(world.deps).run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(130);
    const runId = [...world.journal.docs.keys()][0]!;
    world.rds.clearFaults();
    const calls = world.rds.mutatingCalls().length;
    const { run, rec } = cliOver({ ...world.deps, signal: new AbortController().signal });
    expect(await run('restore', '--identifier', 'DB1', '--snapshot', 's1', '--yes')).toBe(3);
    expect(rec.err.join('\n')).toContain(`trapheus resume ${runId}`);
    expect(world.rds.mutatingCalls()).toHaveLength(calls);
  });
});

describe('empty values are refused, not ignored', () => {
  it.each([
    [['restore', '--identifier', 'db1', '--snapshot', '', '--yes']],
    [['restore', '--identifier', 'db1', '--snapshot', '  ', '--dry-run']],
    [['restore', '--identifier', '', '--yes']],
    [['snapshot-only', '--identifier', '']],
    [['export', '--identifier', 'db1', '--snapshot', '']],
  ])('%j: exit 2, no AWS call', async (argv) => {
    const world = instanceWorld();
    const { run, rec } = cliOver(world.deps);
    expect(await run(...argv)).toBe(2);
    expect(rec.err.join('\n')).toMatch(/must not be empty/);
    expect(world.rds.calls).toEqual([]);
  });
});

describe('an invalid region is said to be invalid', () => {
  it('from AWS_REGION: exit 2 naming it, not "no region is set"', async () => {
    const journalDir = await mkdtemp(path.join(os.tmpdir(), 'trapheus-region-'));
    const error = await buildServiceDeps({
      flags: { journalDir },
      env: { AWS_REGION: 'us east 1' },
      signal: new AbortController().signal,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('"us east 1" is not a valid AWS region.');
  });
});
