import { Chalk } from 'chalk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatSummary } from '../../src/cli/print-summary.js';
import type { ConfigInput } from '../../src/config/config-schema.js';
import { InterruptedError, UsageError } from '../../src/core/errors.js';
import type { RunDocument } from '../../src/engine/run-document.js';
import { resumeRun } from '../../src/workflows/run/start-run.js';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import type { RestoreRequest } from '../../src/workflows/service.js';
import { SimulatedCrash } from '../fakes/memory-journal.js';
import { FAST_TIMINGS } from '../sim/sim-timings.js';
import { seedSampleCluster, seedSampleInstance, simWorld, type SimWorld } from '../sim/sim-world.js';
import { vitestTimers } from '../sim/virtual-time.js';
import { FakeRunner } from './hooks-fake-runner.js';

// Hooks on the simulated RDS behind the production gateway: where they run (which name, which
// resource, before or after which rename), what they are told, what is journaled, and that a
// failing hook reverts like any failing step before the point of no return.
let world: SimWorld | undefined;
afterEach(() => world?.stop());

const MASK = { command: ['psql', '-f', 'mask.sql'], timeoutSeconds: 600, env: { PGDATABASE: 'app' } };
const NOTIFY = { command: './notify.sh "$TRAPHEUS_DB_ENDPOINT"', timeoutSeconds: 60 };

function setUp(config: ConfigInput, kind: 'instance' | 'aurora-cluster' = 'instance') {
  world = simWorld({ timers: vitestTimers(vi), timings: FAST_TIMINGS, config });
  if (kind === 'instance') seedSampleInstance(world.sim);
  else seedSampleCluster(world.sim);
  const runner = new FakeRunner();
  world.deps.commands = runner;
  const w = world;
  const request: RestoreRequest =
    kind === 'instance'
      ? { identifier: 'db1', kind, snapshot: 's1', freshSnapshot: false }
      : { identifier: 'c1', kind, snapshot: 'cs1', freshSnapshot: false };
  return {
    w,
    runner,
    prepare: () => w.time.run(prepareRestore(w.deps, request)),
    restore: async () => {
      const prepared = await w.time.run(prepareRestore(w.deps, request));
      expect(prepared.ok, JSON.stringify(prepared.summary.preflight)).toBe(true);
      return w.time.run(prepared.start());
    },
    doc: (runId: string | null): RunDocument => {
      const doc = w.journal.docs.get(runId ?? '');
      if (!doc) throw new Error(`no run ${runId}`);
      return doc;
    },
  };
}

const renames = (w: SimWorld) => w.sim.callsOf('ModifyDBInstance').filter((c) => c.input.NewDBInstanceIdentifier !== undefined);
const hookRecords = (doc: RunDocument) => (doc.state as { hooks?: Record<string, Record<string, unknown>> }).hooks ?? {};

describe('hooks with swap', () => {
  it('runs beforeCutover against the verified copy under its temporary name before any rename, and afterRestore under the original name before the original is deleted', async () => {
    const { w, runner, restore, doc } = setUp({ restore: { strategy: 'swap' }, hooks: { beforeCutover: MASK, afterRestore: NOTIFY } });
    const originalId = w.sim.instance('db1')?.DbiResourceId;
    const seen: Record<string, { db1?: string; copy?: string; renames: number; deletes: number }> = {};
    runner.onRun = ({ hook }) => {
      seen[hook ?? '?'] = {
        db1: w.sim.instance('db1')?.DbiResourceId,
        copy: w.sim.instance('db1-restoring')?.DBInstanceStatus,
        renames: renames(w).length,
        deletes: w.sim.callsOf('DeleteDBInstance').length,
      };
    };
    const { outcome, summary } = await restore();
    expect(outcome.status).toBe('succeeded');
    expect(runner.calls.map((c) => c.hook)).toEqual(['beforeCutover', 'afterRestore']);
    // beforeCutover: the original still serves under db1, the copy is available aside, nothing renamed yet.
    expect(seen.beforeCutover).toEqual({ db1: originalId, copy: 'available', renames: 0, deletes: 0 });
    // afterRestore: the copy is db1 now (not the original), which is not deleted yet.
    expect(seen.afterRestore?.db1).not.toBe(originalId);
    expect(seen.afterRestore?.deletes).toBe(0);

    const [before, after] = runner.calls;
    expect(before?.spec).toMatchObject({ command: ['psql', '-f', 'mask.sql'], timeoutMs: 600_000 });
    expect(before?.spec.env).toMatchObject({
      PGDATABASE: 'app',
      TRAPHEUS_HOOK: 'beforeCutover',
      TRAPHEUS_COMMAND: 'restore',
      TRAPHEUS_RUN_ID: summary.runId,
      TRAPHEUS_REGION: 'us-east-1',
      TRAPHEUS_IDENTIFIER: 'db1',
      TRAPHEUS_SNAPSHOT: 's1',
      TRAPHEUS_DB_KIND: 'instance',
      TRAPHEUS_DB_IDENTIFIER: 'db1-restoring',
      TRAPHEUS_DB_ENGINE: 'postgres',
    });
    expect(before?.spec.env.TRAPHEUS_DB_ENDPOINT).toMatch(/^db1-restoring\./);
    expect(before?.spec.env.TRAPHEUS_DB_PORT).toMatch(/^\d+$/);
    expect(before?.spec.env.TRAPHEUS_DB_ENGINE_VERSION).toBeTruthy();
    expect(before?.spec.env).not.toHaveProperty('TRAPHEUS_MASTER_SECRET_ARN');
    expect(after?.spec.command).toBe('./notify.sh "$TRAPHEUS_DB_ENDPOINT"');
    expect(after?.spec.env).toMatchObject({ TRAPHEUS_HOOK: 'afterRestore', TRAPHEUS_DB_IDENTIFIER: 'db1' });
    expect(after?.spec.env.TRAPHEUS_DB_ENDPOINT).toMatch(/^db1\./);

    // The steps, in order, and the journal: each hook's end and output, and a notice.
    const ids = summary.steps.map((s) => s.id);
    expect(ids.indexOf('hook-before-cutover')).toBe(ids.indexOf('verify') + 1);
    expect(ids.indexOf('hook-after-restore')).toBeGreaterThan(ids.indexOf('rename-restored'));
    expect(ids.indexOf('hook-after-restore')).toBeLessThan(ids.indexOf('delete-original'));
    const records = hookRecords(doc(summary.runId));
    expect(records.beforeCutover).toMatchObject({
      command: 'psql -f mask.sql',
      identifier: 'db1-restoring',
      exitCode: 0,
      attempts: 1,
      output: 'ran beforeCutover\n',
    });
    expect(records.afterRestore).toMatchObject({ identifier: 'db1', exitCode: 0 });
    const notices = doc(summary.runId).events.flatMap((e) => (e.type === 'notice' ? [e.message] : []));
    expect(notices.some((m) => m.startsWith('The beforeCutover hook (psql -f mask.sql) exited 0'))).toBe(true);
    // --json carries what each hook did; the summary for people says it in a line each.
    expect(summary.hooks?.map((h) => [h.name, h.identifier, h.exitCode, h.output])).toEqual([
      ['beforeCutover', 'db1-restoring', 0, 'ran beforeCutover\n'],
      ['afterRestore', 'db1', 0, 'ran afterRestore\n'],
    ]);
    const text = formatSummary(summary, new Chalk({ level: 0 }));
    expect(text).toContain('Hook beforeCutover (psql -f mask.sql) against db1-restoring: exited 0, 8 bytes of output');
  });

  it('reverts when beforeCutover fails: nothing was renamed, the copy is deleted, the output is in the error and the journal', async () => {
    const { w, runner, restore, doc } = setUp({ restore: { strategy: 'swap' }, hooks: { beforeCutover: MASK, afterRestore: NOTIFY } });
    const originalId = w.sim.instance('db1')?.DbiResourceId;
    runner.onRun = () => ({ exitCode: 3, output: 'UPDATE 12\nERROR:  relation "users" does not exist\n', outputBytes: 52 });
    const { outcome, summary } = await restore();
    expect(outcome.status).toBe('rolled_back');
    expect(outcome.failure?.stepId).toBe('hook-before-cutover');
    expect(outcome.failure?.message).toContain('The beforeCutover hook (psql -f mask.sql) exited 3 against db1-restoring.');
    expect(outcome.failure?.message).toContain('ERROR:  relation "users" does not exist');
    expect(runner.calls).toHaveLength(1); // afterRestore never ran
    expect(renames(w)).toEqual([]);
    await w.time.advance(3600_000);
    expect(w.sim.instance('db1')?.DbiResourceId).toBe(originalId);
    expect(w.sim.instance('db1-restoring')).toBeUndefined();
    expect(hookRecords(doc(summary.runId)).beforeCutover).toMatchObject({ exitCode: 3, outputBytes: 52 });
    expect(summary.error?.step).toBe('hook-before-cutover');
  });

  it('reverts the cut-over when afterRestore fails: the original back under its name, the copy deleted, never the original', async () => {
    const { w, runner, restore } = setUp({ restore: { strategy: 'swap' }, hooks: { afterRestore: NOTIFY } });
    const originalId = w.sim.instance('db1')?.DbiResourceId;
    runner.onRun = () => ({ timedOut: true, exitCode: undefined, signal: 'SIGTERM' });
    const { outcome } = await restore();
    expect(outcome.status).toBe('rolled_back');
    expect(outcome.failure?.message).toContain('ran past its timeout of 1 min and was stopped');
    await w.time.advance(3600_000);
    expect(w.sim.instance('db1')?.DbiResourceId).toBe(originalId);
    expect(w.sim.instance('db1')?.DBInstanceStatus).toBe('available');
    expect(w.sim.instance('db1-temp')).toBeUndefined();
    expect(w.sim.instance('db1-restoring')).toBeUndefined();
    expect(w.sim.callsOf('DeleteDBInstance').map((c) => c.input.DBInstanceIdentifier)).toEqual(['db1-restoring']);
  });

  it('fails the step when the hook cannot be started', async () => {
    const { runner, restore } = setUp({ hooks: { beforeCutover: MASK } });
    runner.onRun = () => ({ exitCode: undefined, startError: 'spawn psql ENOENT' });
    const { outcome } = await restore();
    expect(outcome.status).toBe('rolled_back');
    expect(outcome.failure?.message).toContain('could not be started (spawn psql ENOENT)');
  });

  it('runs against an Aurora cluster with the cluster endpoint', async () => {
    const { runner, restore } = setUp({ hooks: { beforeCutover: MASK } }, 'aurora-cluster');
    const { outcome } = await restore();
    expect(outcome.status).toBe('succeeded');
    expect(runner.calls[0]?.spec.env).toMatchObject({
      TRAPHEUS_DB_KIND: 'cluster',
      TRAPHEUS_DB_IDENTIFIER: 'c1-restoring',
      TRAPHEUS_IDENTIFIER: 'c1',
    });
    expect(runner.calls[0]?.spec.env.TRAPHEUS_DB_ENDPOINT).toMatch(/^c1-restoring\./);
  });
});

describe('hooks with rename-first', () => {
  it('refuses beforeCutover before any AWS call (exit 2): clients could read the copy before it ran', async () => {
    const { w, prepare } = setUp({ restore: { strategy: 'rename-first' }, hooks: { beforeCutover: MASK } });
    const error: unknown = await prepare().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain('hooks.beforeCutover needs the swap strategy');
    expect(w.sim.calls).toEqual([]);
  });

  it('runs afterRestore against the copy under the original name after verify; a failure renames the original back', async () => {
    const { w, runner, restore } = setUp({ restore: { strategy: 'rename-first' }, hooks: { afterRestore: NOTIFY } });
    const originalId = w.sim.instance('db1')?.DbiResourceId;
    let atHook: string | undefined;
    runner.onRun = () => {
      atHook = w.sim.instance('db1')?.DbiResourceId;
      return { exitCode: 1 };
    };
    const { outcome, summary } = await restore();
    expect(atHook).toBeDefined();
    expect(atHook).not.toBe(originalId);
    expect(runner.calls[0]?.spec.env.TRAPHEUS_DB_IDENTIFIER).toBe('db1');
    expect(summary.steps.map((s) => s.id).indexOf('hook-after-restore')).toBe(summary.steps.map((s) => s.id).indexOf('verify') + 1);
    expect(outcome.status).toBe('rolled_back');
    await w.time.advance(3600_000);
    expect(w.sim.instance('db1')?.DbiResourceId).toBe(originalId);
    expect(w.sim.instance('db1-temp')).toBeUndefined();
  });
});

describe('hooks in the preflight and the dry run', () => {
  it('lists the hooks as checks and steps; nothing runs', async () => {
    const { runner, prepare } = setUp({ hooks: { beforeCutover: MASK, afterRestore: NOTIFY } });
    const prepared = await prepare();
    await prepared.release();
    expect(prepared.ok).toBe(true);
    expect(prepared.summary.preflight?.find((c) => c.name === 'hook beforeCutover')?.detail).toBe(
      'psql -f mask.sql (timeout 10 min) runs against the verified copy db1-restoring, before the renames',
    );
    expect(prepared.summary.steps.map((s) => s.title)).toContain('Run the beforeCutover hook (psql -f mask.sql, timeout 10 min)');
    expect(prepared.summary.steps.map((s) => s.title)).toContain(
      'Run the afterRestore hook (./notify.sh "$TRAPHEUS_DB_ENDPOINT", timeout 1 min)',
    );
    expect(runner.calls).toEqual([]);
  });

  it('fails the preflight (nothing changed) when the program of an argv hook is not found', async () => {
    const { w, runner, prepare } = setUp({ hooks: { beforeCutover: MASK } });
    runner.missing.add('psql');
    const prepared = await prepare();
    await prepared.release();
    expect(prepared.ok).toBe(false);
    expect(prepared.summary.preflight?.find((c) => c.name === 'hook beforeCutover')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('hooks.beforeCutover: psql is not an executable file on PATH') as unknown,
    });
    expect(w.sim.mutatingCalls()).toEqual([]);
  });
});

describe('resuming around a hook', () => {
  it('runs a hook again, with a warning in the journal, when the session that started it died before journaling its end', async () => {
    const { w, runner, restore, doc } = setUp({ hooks: { beforeCutover: MASK } });
    runner.onRun = () => {
      // The process dies while the hook runs: no further journal write lands.
      w.journal.crashAfterWrites = w.journal.writes;
      throw new Error('killed');
    };
    await expect(restore()).rejects.toBeInstanceOf(SimulatedCrash);
    const [runId] = [...w.journal.docs.keys()];
    expect(hookRecords(doc(runId ?? null)).beforeCutover).toMatchObject({ attempts: 1, identifier: 'db1-restoring' });
    expect(hookRecords(doc(runId ?? null)).beforeCutover).not.toHaveProperty('endedAt');

    w.journal.crashAfterWrites = undefined;
    runner.onRun = undefined;
    const { outcome, summary } = await w.time.run(resumeRun(w.deps));
    expect(outcome.status).toBe('succeeded');
    expect(runner.calls.map((c) => c.hook)).toEqual(['beforeCutover', 'beforeCutover']);
    expect(hookRecords(doc(summary.runId)).beforeCutover).toMatchObject({ attempts: 2, exitCode: 0 });
    expect(summary.warnings.join('\n')).toMatch(
      /The beforeCutover hook was started at .* by a session that died before its end was journaled; it runs again \(hooks must be idempotent\)\./,
    );
  });

  it('does not run a hook again whose success was journaled', async () => {
    const { w, runner, restore } = setUp({ hooks: { beforeCutover: MASK } });
    let renamesSeen = 0;
    runner.onRun = () => {
      renamesSeen = renames(w).length;
      // The process dies at the first rename, after the hook's end, its notice and step_succeeded were journaled.
      w.journal.crashAfterWrites = w.journal.writes + 3;
    };
    await expect(restore()).rejects.toBeInstanceOf(SimulatedCrash);
    expect(renamesSeen).toBe(0);
    w.journal.crashAfterWrites = undefined;
    const { outcome } = await w.time.run(resumeRun(w.deps));
    expect(outcome.status).toBe('succeeded');
    expect(runner.calls).toHaveLength(1);
  });

  it('stops the hook on Ctrl-C (interrupted, no revert); resume runs it again', async () => {
    const { w, runner, restore, doc } = setUp({ hooks: { beforeCutover: MASK } });
    runner.onRun = () => {
      w.controller.abort(new InterruptedError('Interrupted by SIGINT.'));
      throw new InterruptedError('Interrupted by SIGINT.');
    };
    const first = await restore();
    expect(first.outcome.status).toBe('interrupted');
    expect(hookRecords(doc(first.summary.runId)).beforeCutover).toMatchObject({ interrupted: true });
    expect(renames(w)).toEqual([]);

    const controller = new AbortController();
    w.deps.signal = controller.signal;
    runner.onRun = undefined;
    const { outcome } = await w.time.run(resumeRun(w.deps));
    expect(outcome.status).toBe('succeeded');
    expect(runner.calls).toHaveLength(2);
  });
});
