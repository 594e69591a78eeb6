import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlainReporter } from '../../src/cli/reporters/plain-reporter.js';
import { instanceWorld } from '../workflows/instance-world.js';
import { cli, recorder } from './cli-harness.js';

// eslint-disable-next-line no-control-regex -- ESC (\u001b) starts every ANSI colour code: finding one is the point
const ANSI = /\u001b\[/;

describe('command line', () => {
  it('restores with --yes and --json: exit 0 and exactly one JSON document on stdout', async () => {
    const { run, rec } = cli();
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes', '--json')).toBe(0);
    expect(rec.out).toHaveLength(1);
    const doc = JSON.parse(rec.out[0]!) as {
      status: string;
      steps: { id: string; status: string; attempts: number }[];
      configDifferences: unknown[];
    };
    expect(doc.status).toBe('succeeded');
    expect(doc.steps[0]).toMatchObject({ id: 'capture-original', status: 'succeeded', attempts: 1 });
    expect(doc.configDifferences).toEqual([]);
    expect(rec.err).toEqual([]);
  });

  it('refuses a restore without a terminal and without --yes, before any AWS call (exit 2)', async () => {
    const { run, world, rec } = cli();
    expect(await run('restore', '--identifier', 'db1')).toBe(2);
    expect(world.rds.calls).toEqual([]);
    expect(rec.err.join('\n')).toMatch(/--yes/);
  });

  it('in a terminal, asks to type the identifier; a wrong answer exits 2 and changes nothing', async () => {
    const { run, world, rec } = cli(instanceWorld(), recorder({ canPrompt: true, answer: 'db2' }));
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1')).toBe(2);
    expect(rec.questions[0]).toMatch(/Type the identifier/);
    expect(world.rds.mutatingCalls()).toEqual([]);
    expect(world.locks.held.size).toBe(0);
  });

  it('in a terminal, the right answer runs the restore', async () => {
    const { run, world } = cli(instanceWorld(), recorder({ canPrompt: true, answer: 'db1' }));
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1')).toBe(0);
    expect(world.rds.calls.some((c) => c.verb === 'restoreInstance')).toBe(true);
  });

  it.each([
    [['restore', '--identifier', 'db1', '--snapshot', 's1', '--fresh-snapshot', '--yes']],
    [['restore', '--identifier', 'db1', '--yes', '--no-such-flag']],
    [['no-such-command']],
    [['restore', '--yes']],
  ])('exits 2 on bad usage: %j', async (argv) => {
    const { run, world } = cli();
    expect(await run(...argv)).toBe(2);
    expect(world.rds.calls).toEqual([]);
  });

  it('maps outcomes to exit codes: 3 for a failed preflight, 1 for a revert, 4 for a failed delete', async () => {
    expect(await cli().run('restore', '--identifier', 'db1', '--snapshot', 'nope', '--yes')).toBe(3);

    const reverted = cli();
    reverted.world.rds.setRestoreOutcome('incompatible-parameters');
    expect(await reverted.run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(1);

    const stuck = cli();
    stuck.world.rds.failNext('deleteInstance', new Error('InternalFailure'));
    expect(await stuck.run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(4);
    expect(stuck.rec.out.join('\n')).toMatch(/trapheus resume \d{8}-\d{6}-db1-[0-9a-f]{4}/);
  });

  it('exits 130 when interrupted and 3 for a second restore while that run is unfinished', async () => {
    const world = instanceWorld();
    world.rds.onCall('restoreInstance', () => world.controller.abort(new Error('SIGINT')));
    const first = cli(world);
    expect(await first.run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes')).toBe(130);
    world.rds.clearFaults();
    const second = cli({ ...world, deps: { ...world.deps, signal: new AbortController().signal }, controller: new AbortController() });
    expect(await second.run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes', '--json')).toBe(3);
    expect(JSON.parse(second.rec.out[0]!)).toMatchObject({ status: 'error', error: { hint: expect.stringMatching(/trapheus resume/) } });
  });

  it('prints a dry run with every preflight check and the steps, and changes nothing', async () => {
    const { run, world, rec } = cli();
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--dry-run')).toBe(0);
    const text = rec.out.join('\n');
    expect(text).toMatch(/planned \(dry run\)/);
    expect(text).toMatch(/temporary identifiers free: db1-temp is free/);
    expect(text).toMatch(/Rename the original instance out of the way/);
    expect(world.rds.mutatingCalls()).toEqual([]);
  });

  it('writes plain timestamped progress lines without colour codes when not on a terminal', async () => {
    const { run, rec } = cli();
    await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes');
    expect(rec.err.length).toBeGreaterThan(10);
    for (const line of rec.err) {
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /);
      expect(line).not.toMatch(ANSI);
    }
    expect(rec.err.some((l) => /rename-original status: /.test(l))).toBe(true);
  });

  it('lists runs and shows a run', async () => {
    const { run, rec } = cli();
    await run('snapshot-only', '--identifier', 'db1', '--json');
    const { runId } = JSON.parse(rec.out[0]!) as { runId: string };
    rec.out.length = 0;
    expect(await run('runs')).toBe(0);
    expect(rec.out.join('\n')).toMatch(new RegExp(`${runId}\\s+snapshot-only\\s+db1\\s+succeeded`));
    rec.out.length = 0;
    expect(await run('status', runId, '--json')).toBe(0);
    expect(JSON.parse(rec.out[0]!)).toMatchObject({ runId, status: 'succeeded', events: expect.any(Array) });
  });

  it('shows examples in the help of every command', async () => {
    for (const command of ['restore', 'snapshot-only', 'resume', 'runs', 'status']) {
      const { run, rec } = cli();
      expect(await run(command, '--help')).toBe(0);
      expect(rec.out.join('\n'), command).toMatch(/Examples:\n {2}\$ trapheus /);
    }
  });
});

describe('PlainReporter', () => {
  it('prints a status line only when the status changes', () => {
    const lines: string[] = [];
    const reporter = new PlainReporter(
      (l) => lines.push(l),
      () => new Date('2026-01-01T00:00:00.000Z'),
    );
    reporter.status('restore-snapshot', 'creating');
    reporter.status('restore-snapshot', 'creating');
    reporter.status('restore-snapshot', 'available');
    expect(lines).toEqual([
      '2026-01-01T00:00:00.000Z restore-snapshot status: creating',
      '2026-01-01T00:00:00.000Z restore-snapshot status: available',
    ]);
  });
});

describe('start-up', () => {
  const root = path.resolve(import.meta.dirname, '../..');

  /** Every module reachable from a file through static imports (dynamic `import()` excluded). */
  function staticGraph(entry: string): Set<string> {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)) {
        const spec = match[1] ?? match[2] ?? '';
        if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
        else seen.add(spec);
      }
    };
    visit(entry);
    return seen;
  }

  const built = existsSync(path.join(root, 'dist/main.js'));

  it.runIf(built)('loads neither the AWS SDK, ora nor the workflows for --version and --help', () => {
    const graph = [...staticGraph(path.join(root, 'dist/main.js'))];
    expect(graph).toContain('commander');
    expect(
      graph.filter((m) => m.startsWith('@aws-sdk') || m.startsWith('@smithy') || m === 'ora' || /workflows|composition/.test(m)),
    ).toEqual([]);
  });

  it.runIf(built)('the built binary prints its version', () => {
    const out = execFileSync(process.execPath, [path.join(root, 'bin/trapheus.js'), '--version'], { encoding: 'utf8', cwd: root });
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
