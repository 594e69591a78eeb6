import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT_MS, PlainReporter } from '../../src/cli/reporters/plain-reporter.js';
import { RUN_SCHEMA_VERSION, type RunDocument } from '../../src/engine/run-document.js';
import { instanceWorld } from '../workflows/instance-world.js';
import { cliOver } from '../reliability/cli-world.js';

const doc = (runId: string, identifier: string): RunDocument => ({
  schemaVersion: RUN_SCHEMA_VERSION,
  runId,
  command: 'restore',
  workflow: 'instance-restore',
  identifier,
  cluster: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  input: {},
  plan: {},
  state: {},
  events: [],
});

afterEach(() => void vi.useRealTimers());

describe('plain log lines (cron)', () => {
  it('carry the run id and the identifier, so two jobs appending to one log can be told apart', async () => {
    const { run, rec } = cliOver(instanceWorld().deps);
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(0);
    const progress = rec.err.filter((l) => /^\d{4}-\d\d-\d\dT/.test(l));
    expect(progress.length).toBeGreaterThan(10);
    const runId = /\[(\d{8}-\d{6}-db1-[0-9a-f]{4}) db1\]/.exec(progress[0]!)?.[1];
    expect(runId).toBeDefined();
    for (const line of progress) expect(line).toMatch(new RegExp(`^\\S+ \\[${runId} db1\\] `));
  });

  it('print a heartbeat at least every five minutes during a long wait, and stop with the run', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00.000Z') });
    const lines: string[] = [];
    const reporter = new PlainReporter((l) => lines.push(l));
    const run = doc('20260101-000000-db1-abcd', 'db1');
    reporter.event({ type: 'step_started', at: new Date().toISOString(), stepId: 'restore-snapshot', attempt: 1 }, run, 'Restore');
    reporter.status('restore-snapshot', 'creating');
    const times = (): number[] => lines.map((l) => Date.parse(l.slice(0, 24)));
    vi.advanceTimersByTime(HEARTBEAT_MS * 4);
    reporter.status('restore-snapshot', 'creating'); // the same status again: no line of its own
    const gaps = times()
      .slice(1)
      .map((t, i) => t - times()[i]!);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...gaps, Date.now() - times().at(-1)!)).toBeLessThanOrEqual(HEARTBEAT_MS);
    expect(lines.at(-1)).toMatch(/\[20260101-000000-db1-abcd db1\] restore-snapshot still waiting \(status: creating\), \d+m \d+s so far$/);
    reporter.event({ type: 'run_finished', at: new Date().toISOString(), status: 'succeeded' }, run);
    const count = lines.length;
    vi.advanceTimersByTime(HEARTBEAT_MS * 3);
    expect(lines).toHaveLength(count);
  });
});
