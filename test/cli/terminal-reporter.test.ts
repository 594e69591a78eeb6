import { PassThrough } from 'node:stream';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { TerminalReporter } from '../../src/cli/reporters/terminal-reporter.js';
import { describeRun, RunTracker } from '../../src/cli/reporters/run-tracker.js';
import type { RunEvent } from '../../src/engine/run-events.js';
import { RUN_SCHEMA_VERSION, type RunDocument } from '../../src/engine/run-document.js';

const doc: RunDocument = {
  schemaVersion: RUN_SCHEMA_VERSION,
  runId: 'r1',
  command: 'restore',
  workflow: 'instance-restore',
  identifier: 'db1',
  cluster: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  input: {},
  plan: {},
  state: {},
  events: [],
};
const at = '2026-01-01T00:00:00.000Z';

/** A stand-in for a terminal: the cursor calls ora makes are accepted and ignored. */
function fakeTerminal() {
  const stream = Object.assign(new PassThrough(), {
    isTTY: true,
    columns: 160,
    clearLine: () => true,
    cursorTo: () => true,
    moveCursor: () => true,
  });
  let written = '';
  stream.on('data', (d: Buffer) => (written += d.toString()));
  // eslint-disable-next-line no-control-regex -- strips ANSI codes, which start with ESC (\u001b)
  return { stream, screen: () => written.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, '') };
}

/** A clock the test moves by hand. */
function handClock(start = Date.parse('2026-01-01T00:00:00.000Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const STEPS = [
  { id: 'capture-original', title: 'Capture the original' },
  { id: 'create-snapshot', title: 'Take a snapshot' },
  { id: 'restore-snapshot', title: 'Restore the snapshot' },
  { id: 'delete-original', title: 'Delete the original' },
];
const restoreDoc: RunDocument = {
  ...doc,
  runId: '20260101-000000-db1-abcd',
  region: 'eu-west-1',
  plan: { snapshotIdentifier: 'trapheus-db1-20260101-000000', strategy: 'swap' },
};

describe('TerminalReporter: progress a person can read', () => {
  it('says what the run will do before its first step: database, kind, region, snapshot, strategy, steps and run id', () => {
    const { stream } = fakeTerminal();
    const lines: string[] = [];
    const clock = handClock();
    const reporter = new TerminalReporter(stream, new Chalk({ level: 0 }), (l) => lines.push(l), clock.now);
    reporter.begin(STEPS);
    reporter.event({ type: 'run_started', at, pid: 1, host: 'h' }, restoreDoc);
    expect(lines).toEqual([
      'Starting restore db1 (DB instance, eu-west-1) from snapshot trapheus-db1-20260101-000000, strategy swap (4 steps, run 20260101-000000-db1-abcd)',
    ]);
  });

  it('shows step n/N, the step and total elapsed times, the percent RDS reports and the time left once the rate is known', () => {
    const { stream, screen } = fakeTerminal();
    const clock = handClock();
    const reporter = new TerminalReporter(stream, new Chalk({ level: 0 }), () => undefined, clock.now);
    reporter.begin(STEPS);
    reporter.event({ type: 'run_started', at, pid: 1, host: 'h' }, restoreDoc);
    reporter.event({ type: 'step_started', at, stepId: 'capture-original', attempt: 1 }, restoreDoc, 'Capture the original');
    clock.advance(5_000);
    reporter.event({ type: 'step_succeeded', at, stepId: 'capture-original' }, restoreDoc, 'Capture the original');
    reporter.event({ type: 'step_started', at, stepId: 'create-snapshot', attempt: 1 }, restoreDoc, 'Take a snapshot');
    expect(reporter.text()).toBe('[2/4] Take a snapshot 0s · total 5s');

    reporter.status('create-snapshot', 'creating');
    reporter.progress('create-snapshot', 10);
    // One observation: no rate yet, so no estimate — nothing invented.
    expect(reporter.text()).toBe('[2/4] Take a snapshot 0s · creating · 10% · total 5s');
    clock.advance(60_000);
    reporter.progress('create-snapshot', 40);
    // 30 points in 60 s: the 60 left take about 2 minutes.
    expect(reporter.text()).toBe('[2/4] Take a snapshot 1m 0s · creating · 40%, about 2m 0s left · total 1m 5s');
    clock.advance(30_000);
    // The estimate counts down between observations.
    expect(reporter.text()).toBe('[2/4] Take a snapshot 1m 30s · creating · 40%, about 1m 30s left · total 1m 35s');

    reporter.event({ type: 'step_succeeded', at, stepId: 'create-snapshot' }, restoreDoc, 'Take a snapshot');
    reporter.event({ type: 'step_started', at, stepId: 'restore-snapshot', attempt: 2 }, restoreDoc, 'Restore the snapshot');
    // A new step starts without the previous one's percent.
    expect(reporter.text()).toBe('[3/4] Restore the snapshot (attempt 2) 0s · total 1m 35s');
    expect(screen()).toMatch(/✔ \[1\/4\] Capture the original 5s/);
    expect(screen()).toMatch(/✔ \[2\/4\] Take a snapshot 1m 30s/);
  });

  it('says nothing of the time left while the percent has not moved, and ends with the total', () => {
    const { stream } = fakeTerminal();
    const lines: string[] = [];
    const clock = handClock();
    const reporter = new TerminalReporter(stream, new Chalk({ level: 0 }), (l) => lines.push(l), clock.now);
    reporter.begin(STEPS);
    reporter.event({ type: 'run_resumed', at, pid: 1, host: 'h' }, restoreDoc);
    reporter.event({ type: 'step_started', at, stepId: 'create-snapshot', attempt: 1 }, restoreDoc, 'Take a snapshot');
    reporter.progress('create-snapshot', 0);
    clock.advance(120_000);
    reporter.progress('create-snapshot', 0);
    expect(reporter.text()).toBe('[2/4] Take a snapshot 2m 0s · 0% · total 2m 0s');
    reporter.event({ type: 'step_succeeded', at, stepId: 'create-snapshot' }, restoreDoc, 'Take a snapshot');
    reporter.event({ type: 'run_finished', at, status: 'succeeded' }, restoreDoc);
    expect(lines[0]).toMatch(/^Resuming restore db1 /);
    expect(lines.at(-1)).toBe('Run succeeded after 2m 0s.');
  });

  it('labels an undo without a step number (it is not the forward order)', () => {
    const { stream } = fakeTerminal();
    const reporter = new TerminalReporter(stream, new Chalk({ level: 0 }), () => undefined, handClock().now);
    reporter.begin(STEPS);
    reporter.event({ type: 'compensation_started', at, stepId: 'create-snapshot', attempt: 1 }, restoreDoc, 'Take a snapshot');
    expect(reporter.text()).toBe('Undo: Take a snapshot 0s · total 0s');
  });
});

describe('describeRun', () => {
  it('names an Aurora cluster, a snapshot-only run, and leaves out what the run does not say', () => {
    expect(describeRun({ ...restoreDoc, cluster: true, identifier: 'c1' }, 12, false)).toBe(
      'Starting restore c1 (Aurora DB cluster, eu-west-1) from snapshot trapheus-db1-20260101-000000, strategy swap (12 steps, run 20260101-000000-db1-abcd)',
    );
    expect(
      describeRun({ ...restoreDoc, command: 'snapshot-only', region: undefined, plan: { snapshotIdentifier: 'snap-1' } }, 0, false),
    ).toBe('Starting snapshot db1 (DB instance) as snap-1 (run 20260101-000000-db1-abcd)');
  });
});

describe('RunTracker', () => {
  it('counts the session from begin, numbers steps from 1, and estimates only from a rate it has seen', () => {
    const clock = handClock();
    const tracker = new RunTracker(clock.now);
    expect(tracker.position('capture-original')).toBeUndefined();
    tracker.begin(STEPS);
    expect(tracker.position('delete-original')).toEqual({ n: 4, of: 4 });
    expect(tracker.position('not-a-step')).toBeUndefined();
    expect(tracker.estimate('create-snapshot')).toBeUndefined();
    tracker.progress('create-snapshot', 20);
    clock.advance(10_000);
    tracker.progress('create-snapshot', 30);
    expect(tracker.estimate('create-snapshot')).toEqual({ percent: 30, remainingMs: 70_000 });
    tracker.progress('create-snapshot', 100);
    expect(tracker.estimate('create-snapshot')).toEqual({ percent: 100 });
    expect(tracker.elapsedMs()).toBe(10_000);
  });
});

describe('TerminalReporter', () => {
  it('shows a line per step with its outcome, the awaited status, notices and the revert', () => {
    // A stand-in for a terminal: the cursor calls ora makes are accepted and ignored.
    const stream = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 120,
      clearLine: () => true,
      cursorTo: () => true,
      moveCursor: () => true,
    });
    let written = '';
    stream.on('data', (d: Buffer) => (written += d.toString()));
    const lines: string[] = [];
    const reporter = new TerminalReporter(stream, new Chalk({ level: 0 }), (l) => lines.push(l));
    const events: [RunEvent, string?][] = [
      [{ type: 'step_started', at, stepId: 'rename-original', attempt: 1 }, 'Rename the original instance out of the way'],
      [{ type: 'step_succeeded', at, stepId: 'rename-original' }, 'Rename the original instance out of the way'],
      [{ type: 'step_started', at, stepId: 'restore-snapshot', attempt: 1 }, 'Restore the snapshot'],
    ];
    for (const [event, title] of events) reporter.event(event, doc, title);
    reporter.status('restore-snapshot', 'creating');
    reporter.event({ type: 'notice', at, level: 'warning', message: 'db1: port differs' }, doc);
    reporter.event(
      {
        type: 'step_failed',
        at,
        stepId: 'restore-snapshot',
        attempt: 1,
        error: { name: 'WaiterFailureError', message: 'incompatible-parameters' },
        willRetry: false,
      },
      doc,
      'Restore the snapshot',
    );
    reporter.event({ type: 'rollback_started', at, stepId: 'restore-snapshot', error: { name: 'WaiterFailureError', message: 'x' } }, doc);
    reporter.event(
      { type: 'compensation_started', at, stepId: 'rename-original', attempt: 1 },
      doc,
      'Rename the original instance out of the way',
    );
    reporter.event({ type: 'compensation_succeeded', at, stepId: 'rename-original' }, doc, 'Rename the original instance out of the way');

    // eslint-disable-next-line no-control-regex -- strips ANSI codes, which start with ESC (\u001b)
    written = written.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, '');
    expect(written).toMatch(/✔ Rename the original instance out of the way \d+s/);
    // Told no steps (an older caller): no step number is made up.
    expect(written).not.toMatch(/\[\d+\/\d+\]/);
    expect(written).toContain('Restore the snapshot 0s · creating');
    expect(written).toMatch(/✖ Restore the snapshot \d+s WaiterFailureError: incompatible-parameters/);
    expect(written).toMatch(/✔ Undo: Rename the original instance out of the way/);
    expect(lines).toEqual(['! db1: port differs', 'Reverting: restore-snapshot failed, putting the original back.']);
  });
});
