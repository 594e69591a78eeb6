import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert, Alerter } from '../../src/alerts/alert.js';
import { FileJournal } from '../../src/stores/file-journal.js';
import { FileLockStore } from '../../src/stores/file-lock-store.js';
import type { ServiceDeps } from '../../src/workflows/service.js';
import { instanceWorld } from '../workflows/instance-world.js';
import { cliOver, recorder } from './cli-world.js';

/** An alert channel that records what it was sent. */
function recordingAlerter(): Alerter & { sent: Alert[] } {
  const sent: Alert[] = [];
  return { channel: 'slack https://hooks.example/…abcd', sent, send: (alert) => Promise.resolve(void sent.push(alert)) };
}

/** A restore whose process "dies" at the 6th journal write (kill -9: nothing more is written, the lock is gone). */
async function crashedRun() {
  const world = instanceWorld();
  const alerter = recordingAlerter();
  const deps: ServiceDeps = { ...world.deps, alerts: { alerters: [alerter], onSuccess: false, attempts: 1 } };
  world.journal.crashAfterWrites = 6;
  expect(await cliOver(deps).run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(4);
  world.journal.crashAfterWrites = undefined;
  const runId = [...world.journal.docs.keys()][0]!;
  return { world, deps, alerter, runId };
}

describe('a run whose process died is found by the next invocation, marked crashed and alerted once', () => {
  it('runs shows it crashed, says so on stderr, and the one alert names the run and what to do', async () => {
    const { deps, alerter, runId } = await crashedRun();
    const { run, rec } = cliOver(deps);
    expect(await run('runs', '--json')).toBe(0);
    expect((JSON.parse(rec.out[0]!) as { runs: unknown }).runs).toEqual([
      expect.objectContaining({ runId, status: 'crashed', active: false }),
    ]);
    expect(rec.err.join('\n')).toMatch(
      new RegExp(`run ${runId} \\(restore of db1\\) crashed: its process \\(pid 4242 on test-host\\) is gone`),
    );
    expect(alerter.sent).toHaveLength(1);
    expect(alerter.sent[0]).toMatchObject({
      runId,
      identifier: 'db1',
      status: 'interrupted',
      error: { name: 'ProcessGone' },
      resumeCommand: `trapheus resume ${runId}`,
    });
    expect(alerter.sent[0]!.situation[0]).toMatch(/trapheus abort/);
  });

  it('alerts once: later commands still show it crashed, and the journal says the alert was sent', async () => {
    const { world, deps, alerter, runId } = await crashedRun();
    await cliOver(deps).run('runs');
    const again = cliOver(deps);
    expect(await again.run('status', runId, '--json')).toBe(0);
    expect(JSON.parse(again.rec.out[0]!)).toMatchObject({ runId, status: 'crashed' });
    expect(await cliOver(deps).run('runs')).toBe(0);
    expect(alerter.sent).toHaveLength(1);
    expect(world.journal.docs.get(runId)!.events.at(-1)).toMatchObject({
      type: 'run_crashed',
      pid: 4242,
      host: 'test-host',
      alerts: [{ channel: 'slack https://hooks.example/…abcd', ok: true }],
    });
  });

  it('any command finds it, a restore included (which then waits for it: exit 3), and resume finishes it', async () => {
    const { deps, alerter, runId } = await crashedRun();
    const { run, rec } = cliOver(deps);
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(3);
    expect(rec.err.join('\n')).toContain(`trapheus resume ${runId}`);
    expect(alerter.sent).toHaveLength(1);
    const resumed = cliOver(deps);
    expect(await resumed.run('resume', '--json')).toBe(0);
    expect(JSON.parse(resumed.rec.out[0]!)).toMatchObject({ runId, status: 'succeeded' });
  });

  it('a run whose lock a live process holds is running, not crashed, and is not alerted', async () => {
    const { world, deps, alerter, runId } = await crashedRun();
    world.locks.held.set('instance-db1', { pid: 77, host: 'test-host', runId, since: '' });
    const { run, rec } = cliOver(deps);
    await run('runs', '--json');
    expect((JSON.parse(rec.out[0]!) as { runs: unknown }).runs).toEqual([
      expect.objectContaining({ runId, status: 'running', active: true }),
    ]);
    expect(alerter.sent).toEqual([]);
  });
});

describe('with the real lock files', () => {
  it('a lock file naming a dead pid on this host marks its run crashed; a live one does not', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trapheus-crash-'));
    const runId = '20260101-000000-db1-abcd';
    const at = '2026-01-01T00:00:00.000Z';
    await new FileJournal(dir).save({
      schemaVersion: 1,
      runId,
      command: 'snapshot-only',
      workflow: 'snapshot-only',
      identifier: 'db1',
      cluster: false,
      createdAt: at,
      input: {},
      plan: { identifier: 'db1', cluster: false, snapshotIdentifier: 'trapheus-db1-20260101-000000', retain: 3 },
      state: {},
      events: [{ type: 'run_started', at, pid: 999_999, host: 'here' }],
    });
    const locksDir = path.join(dir, 'locks');
    const lockedBy = async (alive: boolean) => {
      const world = instanceWorld();
      const locks = new FileLockStore(locksDir, 'here', () => alive);
      const deps: ServiceDeps = { ...world.deps, journal: new FileJournal(dir), locks, host: 'here' };
      const { run, rec } = cliOver(deps, recorder());
      await run('runs', '--json');
      return (JSON.parse(rec.out[0]!) as { runs: { status: string }[] }).runs[0]!.status;
    };
    const release = await new FileLockStore(locksDir, 'here', () => true).acquire('instance-db1', {
      pid: 999_999,
      host: 'here',
      runId,
      since: at,
    });
    expect(await lockedBy(true)).toBe('running');
    expect(await lockedBy(false)).toBe('crashed');
    await release();
  });
});

describe('skipped: another live run holds the lock', () => {
  it('has its own exit code (5), so that cron can tell it from a failure', async () => {
    const world = instanceWorld();
    world.locks.held.set('instance-db1', { pid: 77, host: 'test-host', runId: 'other', since: '' });
    const { run, rec } = cliOver(world.deps);
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(5);
    expect(await run('snapshot-only', '--identifier', 'DB1')).toBe(5);
    expect(rec.err.join('\n')).toMatch(/locked by run other/);
    expect(world.rds.mutatingCalls()).toEqual([]);
  });
});
