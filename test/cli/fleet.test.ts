import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLEET_EXIT_CODES, parseIdentifiersFile } from '../../src/cli/commands/fleet-support.js';
import { EXIT } from '../../src/main.js';
import { lockKey } from '../../src/workflows/run/run-lock.js';
import { DB1_SETTINGS, instanceWorld } from '../workflows/instance-world.js';
import { cli, recorder, theDocument } from './cli-harness.js';

/** db1, db2, db3 each with a snapshot `<id>-snapshot` (the fallback source of a restore). */
function fleetWorld() {
  const world = instanceWorld();
  for (const id of ['db1', 'db2', 'db3']) {
    if (id !== 'db1') world.rds.addInstance({ identifier: id, ...DB1_SETTINGS });
    world.rds.addSnapshot({ identifier: `${id}-snapshot`, sourceIdentifier: id });
  }
  return world;
}

describe('fleets on the command line', () => {
  it('restore --identifier a,b,c --yes --json: one run each, one document, a missing database is a precondition failure (exit 3)', async () => {
    const { run, rec, world } = cli(fleetWorld());
    expect(await run('restore', '--identifier', 'db1,DB2,nope', '--yes', '--json')).toBe(3);
    const doc = theDocument('restore', rec.out);
    expect(doc).toMatchObject({ command: 'restore', fleet: true, status: 'precondition_failed', exitCode: 3 });
    const runs = doc.runs as { identifier: string; runId: string | null; outcome: string; exitCode: number }[];
    expect(runs.map((r) => [r.identifier, r.outcome, r.exitCode])).toEqual([
      ['db1', 'succeeded', 0],
      ['db2', 'succeeded', 0],
      ['nope', 'precondition_failed', 3],
    ]);
    // Each its own run id and journal.
    expect(new Set(runs.map((r) => r.runId)).size).toBe(3);
    const journaled = (await world.journal.list()).map((d) => d.identifier).sort();
    expect(journaled).toEqual(['db1', 'db2']);
    expect((await world.rds.describeInstance('db1'))?.status).toBe('available');
  });

  it('snapshot-only of a fleet prints one summary table: identifier, run id, status, duration, exit code', async () => {
    const { run, rec } = cli(fleetWorld());
    expect(await run('snapshot-only', '--identifier', 'db1,db2', '--concurrency', '1')).toBe(0);
    const text = rec.out.join('\n');
    expect(text).toMatch(/identifier\s+run id\s+status\s+duration\s+exit/);
    expect(text).toMatch(/^db1\s+\S+-db1-\S+\s+succeeded\s+.+\s0$/m);
    expect(text).toMatch(/^db2\s+\S+-db2-\S+\s+succeeded\s+.+\s0$/m);
    expect(text).toContain('2 databases: 2 succeeded; exit 0');
  });

  it('--identifiers-file: one per line, # comments and blank lines skipped', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleet-'));
    const file = path.join(dir, 'dbs.txt');
    writeFileSync(file, '# staging\ndb1\n\n  DB3   # the third\n');
    const { run, rec } = cli(fleetWorld());
    expect(await run('snapshot-only', '--identifiers-file', file, '--json')).toBe(0);
    const doc = theDocument('snapshot-only', rec.out);
    expect((doc.runs as { identifier: string }[]).map((r) => r.identifier)).toEqual(['db1', 'db3']);
    expect(parseIdentifiersFile('a\r\n# x\nb # c\n')).toEqual(['a', 'b']);
  });

  it('--tag key=value: the databases the RDS listing finds with that tag', async () => {
    const world = fleetWorld();
    const asked: string[] = [];
    Object.assign(world.rds, {
      listTagged: async (kind: string, key: string, value: string) => {
        asked.push(`${kind} ${key}=${value}`);
        return ['db2', 'db3'];
      },
    });
    const { run, rec } = cli(world);
    expect(await run('snapshot-only', '--tag', 'env=staging', '--json')).toBe(0);
    expect(asked).toEqual(['instance env=staging']);
    expect((theDocument('snapshot-only', rec.out).runs as { identifier: string }[]).map((r) => r.identifier)).toEqual(['db2', 'db3']);
  });

  it('a database whose lock another process holds is skipped; the others run; exit 5 when that is the worst', async () => {
    const world = fleetWorld();
    await world.locks.acquire(lockKey('instance', 'db2'), { runId: 'other', pid: 1, host: 'elsewhere', since: new Date().toISOString() });
    const { run, rec } = cli(world);
    expect(await run('snapshot-only', '--identifier', 'db1,db2', '--json')).toBe(5);
    const runs = theDocument('snapshot-only', rec.out).runs as { identifier: string; outcome: string }[];
    expect(runs.map((r) => [r.identifier, r.outcome])).toEqual([
      ['db1', 'succeeded'],
      ['db2', 'skipped'],
    ]);
  });

  it('bad input is exit 2 before any run: an invalid identifier, an empty entry, a bad --tag, --concurrency 0, no identifier', async () => {
    for (const argv of [
      ['restore', '--identifier', 'db1,bad_id!', '--yes'],
      ['restore', '--identifier', 'db1,,db2', '--yes'],
      ['snapshot-only', '--tag', 'novalue'],
      ['snapshot-only', '--identifier', 'db1,db2', '--concurrency', '0'],
      ['snapshot-only', '--identifier', 'db1', '--tag', 'env=x'],
      ['restore', '--yes'],
      ['snapshot-only'],
    ]) {
      const world = fleetWorld();
      const { run } = cli(world);
      expect(await run(...argv), argv.join(' ')).toBe(2);
      expect(await world.journal.list(), argv.join(' ')).toEqual([]);
    }
  });

  it('in a terminal without --yes: one confirmation listing every database; a wrong answer changes nothing', async () => {
    const rec = recorder({ canPrompt: true, answer: '2' });
    const { run } = cli(fleetWorld(), rec);
    expect(await run('restore', '--identifier', 'db1,db2')).toBe(0);
    expect(rec.questions).toHaveLength(1);
    expect(rec.err.join('\n')).toMatch(/db1[\s\S]*db2/);

    const wrong = recorder({ canPrompt: true, answer: 'db1' });
    const declined = cli(fleetWorld(), wrong);
    expect(await declined.run('restore', '--identifier', 'db1,db2')).toBe(2);
    expect(await declined.world.journal.list()).toEqual([]);
  });

  it('--dry-run plans every database and changes nothing', async () => {
    const { run, rec, world } = cli(fleetWorld());
    expect(await run('restore', '--identifier', 'db1,db2', '--dry-run', '--json')).toBe(0);
    const runs = theDocument('restore', rec.out).runs as { status: string; runId: string | null }[];
    expect(runs.map((r) => [r.status, r.runId])).toEqual([
      ['planned', null],
      ['planned', null],
    ]);
    expect(await world.journal.list()).toEqual([]);
  });

  it('a single identifier keeps the single-run document', async () => {
    const { run, rec } = cli(fleetWorld());
    expect(await run('snapshot-only', '--identifier', 'db1', '--json')).toBe(0);
    const doc = theDocument('snapshot-only', rec.out);
    expect(doc.fleet).toBeUndefined();
    expect(doc.identifier).toBe('db1');
  });

  it('Ctrl-C interrupts every run in flight (each journals run_interrupted) and starts no other: exit 130', async () => {
    const world = fleetWorld();
    world.rds.onCall('restoreInstance', () => world.controller.abort(new Error('SIGINT')));
    const { run, rec } = cli(world);
    expect(await run('restore', '--identifier', 'db1,db2,db3', '--concurrency', '2', '--yes', '--json')).toBe(130);
    const doc = theDocument('restore', rec.out);
    const runs = doc.runs as { identifier: string; runId: string | null; outcome: string }[];
    expect(runs.every((r) => r.outcome === 'interrupted')).toBe(true);
    expect(runs.find((r) => r.identifier === 'db3')?.runId).toBeNull();
    const journaled = await world.journal.list();
    expect(journaled.map((d) => d.identifier)).not.toContain('db3');
    expect(journaled.length).toBeGreaterThan(0);
    for (const d of journaled) expect(d.events.map((e) => e.type)).toContain('run_interrupted');
  });

  it("each outcome's exit code is main.ts's", () => {
    expect(FLEET_EXIT_CODES).toEqual({
      interrupted: EXIT.interrupted,
      needs_attention: EXIT.needsAttention,
      rolled_back: EXIT.rolledBack,
      precondition_failed: EXIT.precondition,
      skipped: EXIT.skipped,
      succeeded: EXIT.done,
    });
  });
});
