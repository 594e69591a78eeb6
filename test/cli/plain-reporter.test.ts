import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT_MS, PlainReporter } from '../../src/cli/reporters/plain-reporter.js';
import { RUN_SCHEMA_VERSION, type RunDocument } from '../../src/engine/run-document.js';
import { instanceWorld } from '../workflows/instance-world.js';
import { cliOver } from '../reliability/cli-world.js';
import { runSnapshotOnly } from '../../src/workflows/run/start-run.js';
import { seedSampleCluster, seedSampleInstance, simWorld } from '../sim/sim-world.js';
import { vitestTimers } from '../sim/virtual-time.js';
import type { ExportGateway } from '../../src/aws/export-gateway.js';

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

describe('plain log lines: the same facts as the terminal, as lines', () => {
  const STEPS = [
    { id: 'capture-original', title: 'Capture the original' },
    { id: 'create-snapshot', title: 'Take a snapshot' },
    { id: 'restore-snapshot', title: 'Restore the snapshot' },
  ];

  it('say what the run will do first, then step n/N and the elapsed time; percent every ten points with the time left', () => {
    let now = Date.parse('2026-01-01T00:00:00.000Z');
    const lines: string[] = [];
    const reporter = new PlainReporter(
      (l) => lines.push(l),
      () => new Date(now),
    );
    const run = {
      ...doc('20260101-000000-db1-abcd', 'db1'),
      region: 'eu-west-1',
      plan: { snapshotIdentifier: 'snap-1', strategy: 'rename-first' },
    };
    const at = () => new Date(now).toISOString();
    reporter.begin(STEPS);
    reporter.event({ type: 'run_started', at: at(), pid: 7, host: 'h' }, run);
    reporter.event({ type: 'step_started', at: at(), stepId: 'capture-original', attempt: 1 }, run, 'Capture the original');
    now += 5_000;
    reporter.event({ type: 'step_succeeded', at: at(), stepId: 'capture-original' }, run);
    reporter.event({ type: 'step_started', at: at(), stepId: 'create-snapshot', attempt: 1 }, run, 'Take a snapshot');
    for (const [seconds, percent] of [
      [0, 0],
      [30, 5],
      [30, 12],
      [30, 18],
      [30, 24],
    ] as const) {
      now += seconds * 1000;
      reporter.progress('create-snapshot', percent);
    }
    const text = lines.map((l) => l.replace(/^\S+ \[20260101-000000-db1-abcd db1\] /, ''));
    expect(text).toEqual([
      'run started (pid 7 on h)',
      'Starting restore db1 (DB instance, eu-west-1) from snapshot snap-1, strategy rename-first (3 steps, run 20260101-000000-db1-abcd)',
      'capture-original started: Capture the original (step 1/3, 0s elapsed)',
      'capture-original done (step 1/3, 5s elapsed)',
      'create-snapshot started: Take a snapshot (step 2/3, 5s elapsed)',
      'create-snapshot progress: 0%',
      // 12 points in 60 s: 88 left take 7m 20s. 18 is in the same ten as 12: no line.
      'create-snapshot progress: 12%, about 7m 20s left',
      // 24 points in 120 s: 76 left take 6m 20s.
      'create-snapshot progress: 24%, about 6m 20s left',
    ]);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\S+ \[20260101-000000-db1-abcd db1\] /);
  });

  it('put the percent and the time left in the heartbeat of a long wait', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00.000Z') });
    const lines: string[] = [];
    const reporter = new PlainReporter((l) => lines.push(l));
    const run = doc('20260101-000000-db1-abcd', 'db1');
    reporter.begin(STEPS);
    reporter.event({ type: 'step_started', at: new Date().toISOString(), stepId: 'create-snapshot', attempt: 1 }, run, 'Take a snapshot');
    reporter.status('create-snapshot', 'creating');
    reporter.progress('create-snapshot', 1);
    vi.advanceTimersByTime(60_000);
    reporter.progress('create-snapshot', 3);
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(lines.at(-1)).toMatch(/create-snapshot still waiting \(status: creating, 3%, about 45m 0s left\), 4m 30s so far$/);
    reporter.event({ type: 'run_finished', at: new Date().toISOString(), status: 'succeeded' }, run);
  });

  it('number the steps of a restore through the command line, out of every step of its plan, the plan said before the first step', async () => {
    const world = instanceWorld();
    const dry = cliOver(world.deps);
    expect(await dry.run('restore', '--identifier', 'db1', '--snapshot', 's1', '--dry-run', '--json')).toBe(0);
    const planned = (JSON.parse(dry.rec.out.join('\n')) as { steps: unknown[] }).steps.length;
    expect(planned).toBeGreaterThan(5);

    const { run, rec } = cliOver(world.deps);
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(0);
    const progress = rec.err.filter((l) => /^\d{4}-\d\d-\d\dT/.test(l));
    const firstStep = progress.findIndex((l) => / started: /.test(l));
    expect(progress.slice(0, firstStep).join('\n')).toMatch(
      /Starting restore db1 \(DB instance[^)]*\) from snapshot s1, strategy rename-first \(\d+ steps, run /,
    );
    const numbers = progress.flatMap((l) => /started: .* \(step (\d+)\/(\d+), /.exec(l)?.slice(1) ?? []);
    expect(numbers.filter((_, i) => i % 2 === 1).every((n) => Number(n) === planned)).toBe(true);
    expect(numbers.filter((_, i) => i % 2 === 0).map(Number)).toEqual(Array.from({ length: planned }, (_, i) => i + 1));
  });
});

describe('percent progress from RDS reaches the reporter (production gateway over the simulated RDS)', () => {
  afterEach(() => void vi.useRealTimers());

  it.each([
    ['instance', 'db1'],
    ['aurora-cluster', 'c1'],
  ] as const)(
    'a %s snapshot: DescribeDB(Cluster)Snapshots PercentProgress, while it is created and when it is available',
    async (kind, identifier) => {
      const world = simWorld({ timers: vitestTimers(vi) });
      try {
        if (kind === 'instance') seedSampleInstance(world.sim);
        else seedSampleCluster(world.sim);
        const lines: string[] = [];
        world.deps.observer = new PlainReporter(
          (l) => lines.push(l),
          () => world.time.clock.now(),
        );
        const { outcome } = await world.time.run(runSnapshotOnly(world.deps, { identifier, kind }));
        expect(outcome.status).toBe('succeeded');
        const percents = lines.flatMap((l) => /create-snapshot progress: (\d+)%/.exec(l)?.[1] ?? []);
        expect(percents).toEqual(['0', '100']);
      } finally {
        world.stop();
      }
    },
  );
});

describe('export --wait: the export task’s PercentProgress, with the time left once it has moved', () => {
  it('prints a line when the status or the percent changes, the estimate from the rate seen so far, nothing invented', async () => {
    const world = instanceWorld({
      export: { bucket: 'my-exports', kmsKeyId: 'alias/trapheus-export', iamRoleArn: 'arn:aws:iam::123456789012:role/export' },
    });
    // DescribeExportTasks as RDS answers it while the task runs: no percent at first, then 10, 40, 100.
    const script: [string, number | undefined][] = [
      ['STARTING', undefined],
      ['IN_PROGRESS', 10],
      ['IN_PROGRESS', 40],
      ['COMPLETE', 100],
    ];
    const started: { taskId: string; sourceArn: string }[] = [];
    world.deps.exports = {
      bucketExists: async () => true,
      bucketSetup: async () => ({ publicAccessBlocked: true, encrypted: true }),
      describeKey: async () => ({ keyId: 'k', arn: 'arn:aws:kms:us-east-1:1:key/k', enabled: true, symmetric: true }),
      readKeyPolicy: async () => ({ readable: false, reason: 'AccessDeniedException' }),
      exportTasksOf: async () => [],
      startExportTask: async (r: { taskId: string; sourceArn: string }) => void started.push(r),
      describeExportTasks: async () => {
        const [status, percent] = script.length > 1 ? script.shift()! : script[0]!;
        return started.map((t) => ({ ...t, status, percentProgress: percent, bucket: 'my-exports' }));
      },
    } as unknown as ExportGateway;
    const { run, rec } = cliOver(world.deps);
    expect(await run('export', '--identifier', 'db1', '--snapshot', 's1', '--wait')).toBe(0);
    const lines = rec.err.filter((l) => / export \S+: /.test(l)).map((l) => l.replace(/^.* export \S+: /, ''));
    // The wait polls every wait.maxDelaySeconds (30 s): 30 points in 30 s, so the 60 left take a minute.
    expect(lines).toEqual(['STARTING', 'IN_PROGRESS 10%', 'IN_PROGRESS 40% (about 1m 0s left)', 'COMPLETE 100%']);
  });
});
