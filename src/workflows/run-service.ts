import { randomBytes } from 'node:crypto';
import { describeError, PreconditionError, UsageError } from '../core/errors.js';
import type { RunEvent } from '../engine/run-events.js';
import { deriveProgress, isUnfinished } from '../engine/run-progress.js';
import { runWorkflow, type RunOutcome } from '../engine/run-workflow.js';
import { summarizeSteps } from '../engine/summarize-steps.js';
import { RUN_SCHEMA_VERSION, type RunDocument } from '../engine/run-document.js';
import { assertValidIdentifier, identifierTimestamp, newSnapshotIdentifier } from './identifiers.js';
import { preflightInstanceRestore } from './instance-preflight.js';
import { describeClusterOrExplain, preflightClusterRestore } from './cluster-preflight.js';
import { CLUSTER_RESTORE } from './cluster-restore-plan.js';
import { INSTANCE_RESTORE } from './instance-restore-plan.js';
import { checkExportTarget } from './export/check-export-target.js';
import { planExport, type ExportPlan } from './export/export-plan.js';
import { snapshotOps } from './snapshot-ops.js';
import { SNAPSHOT_ONLY } from './instance-snapshot-workflow.js';
import type { PreflightCheck, RunSummary } from '../core/run-summary.js';
import type { PreparedRun, RestoreRequest, RunListEntry, RunResult, ServiceDeps, SnapshotRequest } from './service.js';
import { alertRunEnd, checkAlertSender } from './run-alerts.js';
import { bindWorkflow } from './workflow-registry.js';

type JournalDeps = Pick<ServiceDeps, 'journal' | 'locks'>;

const lockKey = (cluster: boolean, identifier: string): string => `${cluster ? 'cluster' : 'instance'}-${identifier}`;

/** A sortable, readable run id: `20261124-114501-db1-3f9a`. */
function newRunId(now: Date, identifier: string): string {
  return `${identifierTimestamp(now)}-${identifier}-${randomBytes(2).toString('hex')}`;
}

/**
 * Plans a restore: validates the identifier, takes the identifier's lock, refuses if an
 * unfinished run exists for it, and runs the read-only preflight. Nothing is changed until
 * `start()`; the lock is held until `start()` ends or `release()` is called.
 */
export async function prepareRestore(deps: ServiceDeps, req: RestoreRequest): Promise<PreparedRun> {
  assertValidIdentifier(req.identifier);
  if (req.snapshot && req.freshSnapshot) throw new UsageError('--snapshot and --fresh-snapshot cannot be used together.');
  const now = deps.clock.now();
  const exportPlan = req.export ? planExport(req.identifier, deps.config.export, req.export, now) : undefined;
  const runId = newRunId(now, req.identifier);
  const release = await lockAndCheckUnfinished(deps, req.cluster, req.identifier, runId);
  try {
    const input = { ...req, strategy: req.strategy ?? deps.config.restore.strategy };
    const preflight = await readOnly<{ plan?: { snapshotIdentifier: string } | undefined; checks: PreflightCheck[] }>(() =>
      req.cluster ? preflightClusterRestore(deps.rds, input, deps.config, now) : preflightInstanceRestore(deps.rds, input, deps.config, now),
    );
    const senderCheck = await checkAlertSender(deps);
    if (senderCheck) preflight.checks.push(senderCheck);
    if (exportPlan) preflight.checks.push(await readOnly(() => checkExportForRun(deps, exportPlan)));
    const ok = preflight.plan !== undefined && preflight.checks.every((c) => c.ok);
    const doc: RunDocument | undefined = preflight.plan && {
      schemaVersion: RUN_SCHEMA_VERSION,
      runId,
      command: 'restore',
      workflow: req.cluster ? CLUSTER_RESTORE : INSTANCE_RESTORE,
      identifier: req.identifier,
      cluster: req.cluster,
      region: deps.region,
      createdAt: now.toISOString(),
      input: { ...req },
      plan: { ...preflight.plan, ...(exportPlan ? { export: exportPlan } : {}) },
      state: {},
      events: [],
    };
    const steps = doc ? bindWorkflow(doc).workflow.steps : [];
    const summary: RunSummary = {
      runId: null,
      command: 'restore',
      identifier: req.identifier,
      cluster: req.cluster,
      status: 'planned',
      steps: steps.map((s) => ({ id: s.id, title: s.title, status: 'pending', attempts: 0, ...(s.causesDowntime ? { causesDowntime: true } : {}) })),
      configDifferences: [],
      snapshotIdentifier: preflight.plan?.snapshotIdentifier,
      warnings: preflight.checks.filter((c) => c.warning).map((c) => c.detail),
      preflight: preflight.checks,
      ...(ok ? {} : { error: preflightError(preflight.checks) }),
    };
    let released = false;
    const releaseOnce = async (): Promise<void> => {
      if (released) return;
      released = true;
      await release();
    };
    return {
      summary,
      ok,
      release: releaseOnce,
      async start() {
        try {
          if (!ok || !doc) throw new PreconditionError('The preflight failed; nothing was changed.');
          await deps.journal.save(doc);
          return await execute(deps, doc);
        } finally {
          await releaseOnce();
        }
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

/** Takes a new tagged snapshot of an instance and prunes trapheus's older ones. */
export async function runSnapshotOnly(deps: ServiceDeps, req: SnapshotRequest): Promise<RunResult> {
  assertValidIdentifier(req.identifier);
  const now = deps.clock.now();
  const exportPlan = req.export ? planExport(req.identifier, deps.config.export, req.export, now) : undefined;
  const runId = newRunId(now, req.identifier);
  const release = await lockAndCheckUnfinished(deps, req.cluster, req.identifier, runId);
  try {
    const snapshotIdentifier = newSnapshotIdentifier(req.identifier, now);
    const snapshots = snapshotOps(deps.rds, req.cluster);
    await readOnly(async () => {
      if (req.cluster) {
        const cluster = await describeClusterOrExplain(deps.rds, req.identifier, 'snapshot-only');
        if (!cluster) throw new PreconditionError(`No DB cluster ${req.identifier} in this region.`, { hint: 'Check --identifier and --region (or AWS_REGION).' });
        if (cluster.status !== 'available') throw new PreconditionError(`${req.identifier} is ${cluster.status}; a snapshot needs it available.`, { hint: 'Wait until it is available and try again.' });
        if (await snapshots.describe(snapshotIdentifier)) throw new PreconditionError(`Snapshot ${snapshotIdentifier} already exists.`, { hint: 'Try again in a second.' });
        return;
      }
      const instance = await deps.rds.describeInstance(req.identifier);
      if (!instance) {
        if (await deps.rds.describeCluster(req.identifier)) {
          throw new UsageError(`${req.identifier} is an Aurora DB cluster, not a DB instance.`, {
            hint: `Add --cluster: trapheus snapshot-only --identifier ${req.identifier} --cluster`,
          });
        }
        throw new PreconditionError(`No DB instance ${req.identifier} in this region.`, {
          hint: 'Check --identifier and --region (or AWS_REGION).',
        });
      }
      if (instance.status !== 'available') {
        throw new PreconditionError(`${req.identifier} is ${instance.status}; a snapshot needs it available.`, {
          hint: 'Wait until it is available and try again.',
        });
      }
      if (await snapshots.describe(snapshotIdentifier)) {
        throw new PreconditionError(`Snapshot ${snapshotIdentifier} already exists.`, { hint: 'Try again in a second.' });
      }
    });
    const doc: RunDocument = {
      schemaVersion: RUN_SCHEMA_VERSION,
      runId,
      command: 'snapshot-only',
      workflow: SNAPSHOT_ONLY,
      identifier: req.identifier,
      cluster: req.cluster,
      region: deps.region,
      createdAt: now.toISOString(),
      input: { ...req },
      plan: { identifier: req.identifier, cluster: req.cluster, snapshotIdentifier, retain: deps.config.snapshots.retain, ...(exportPlan ? { export: exportPlan } : {}) },
      state: {},
      events: [],
    };
    await deps.journal.save(doc);
    return await execute(deps, doc);
  } finally {
    await release();
  }
}

/**
 * Continues an unfinished run (the newest one if no id is given) from where its journal says
 * it stopped — forward, or the revert that was under way. Safe to call twice: a finished run
 * is reported, not run again.
 */
export async function resumeRun(deps: ServiceDeps, runId?: string): Promise<RunResult> {
  const doc = runId ? await deps.journal.load(runId) : await newestUnfinished(deps);
  const progress = deriveProgress(doc.events);
  if (!isUnfinished(progress.status)) {
    throw new PreconditionError(`Run ${doc.runId} already ended (${progress.status}); there is nothing to resume.`, {
      hint: `See \`trapheus status ${doc.runId}\`.`,
    });
  }
  const release = await deps.locks.acquire(lockKey(doc.cluster, doc.identifier), owner(deps, doc.runId));
  try {
    return await execute(deps, doc);
  } finally {
    await release();
  }
}

/** Every journaled run, newest first. */
export async function listRuns(deps: JournalDeps): Promise<RunListEntry[]> {
  const docs = await deps.journal.list();
  const entries: RunListEntry[] = [];
  for (const doc of docs) {
    const progress = deriveProgress(doc.events);
    const holder = progress.status === 'running' ? await deps.locks.holder(lockKey(doc.cluster, doc.identifier)) : undefined;
    const active = holder?.runId === doc.runId;
    const startedAt = doc.events[0]?.at ?? doc.createdAt;
    const last = doc.events[doc.events.length - 1];
    const endedAt = progress.status === 'running' ? undefined : last?.at;
    entries.push({
      runId: doc.runId,
      command: doc.command,
      identifier: doc.identifier,
      cluster: doc.cluster,
      // A 'running' run whose process is gone was cut off: it waits for `trapheus resume`.
      status: progress.status === 'running' && !active ? 'interrupted' : progress.status,
      startedAt,
      endedAt,
      durationSeconds: endedAt ? Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000) : undefined,
      active,
    });
  }
  return entries;
}

/** One run's summary and its events. */
export async function showRun(deps: JournalDeps, runId: string): Promise<{ summary: RunSummary; events: RunEvent[] }> {
  const doc = await deps.journal.load(runId);
  return { summary: summarizeDoc(doc, undefined), events: doc.events };
}

async function execute(deps: ServiceDeps, doc: RunDocument): Promise<RunResult> {
  const bound = bindWorkflow(doc);
  const outcome = await runWorkflow(bound.workflow, bound.context({ rds: deps.rds, exports: deps.exports, now: () => deps.clock.now() }), doc, {
    journal: deps.journal,
    clock: deps.clock,
    retry: {
      attempts: deps.config.retry.attempts,
      baseDelayMs: deps.config.retry.baseDelaySeconds * 1000,
      factor: 2,
      maxDelayMs: deps.config.retry.maxDelaySeconds * 1000,
    },
    signal: deps.signal,
    observer: deps.observer,
    pid: deps.pid,
    host: deps.host,
  });
  const situation = await bound.situation(deps.rds, outcome);
  const summary: RunSummary = { ...summarizeDoc(doc, outcome), situation };
  await alertRunEnd(deps, doc, summary);
  return { outcome, summary };
}

/** The `--json` document of a run. */
export function summarizeDoc(doc: RunDocument, outcome: RunOutcome | undefined): RunSummary {
  const progress = deriveProgress(doc.events);
  let steps: RunSummary['steps'];
  let differences: RunSummary['configDifferences'] = [];
  let snapshotIdentifier: string | undefined;
  try {
    const bound = bindWorkflow(doc);
    steps = summarizeSteps(bound.workflow.steps, doc.events);
    differences = bound.configDifferences();
    snapshotIdentifier = bound.snapshotIdentifier;
  } catch {
    steps = summarizeSteps([], doc.events);
  }
  const failure = outcome?.compensationFailure ?? outcome?.failure ?? progress.failure;
  const exportState = (doc.state as { export?: RunSummary['export'] }).export;
  const status = outcome?.status ?? progress.status;
  return {
    runId: doc.runId,
    command: doc.command,
    identifier: doc.identifier,
    cluster: doc.cluster,
    status,
    steps,
    configDifferences: differences,
    snapshotIdentifier,
    warnings: doc.events.flatMap((e) => (e.type === 'notice' && e.level === 'warning' ? [e.message] : [])),
    ...(exportState ? { export: exportState } : {}),
    ...downtimeOf(doc),
    ...(failure && status !== 'succeeded' ? { error: { step: failure.stepId, name: failure.name, message: failure.message } } : {}),
    startedAt: doc.events[0]?.at,
    endedAt: status === 'running' ? undefined : doc.events[doc.events.length - 1]?.at,
  };
}

/** `downtimeSeconds` when the run measured a downtime window (both strategies do). */
function downtimeOf(doc: RunDocument): Pick<RunSummary, 'downtimeSeconds'> {
  const downtime = (doc.state as { downtime?: { startedAt?: string; endedAt?: string } }).downtime;
  if (!downtime?.startedAt || !downtime.endedAt) return {};
  return { downtimeSeconds: Math.round((Date.parse(downtime.endedAt) - Date.parse(downtime.startedAt)) / 100) / 10 };
}

async function lockAndCheckUnfinished(
  deps: ServiceDeps,
  cluster: boolean,
  identifier: string,
  runId: string,
): Promise<() => Promise<void>> {
  const release = await deps.locks.acquire(lockKey(cluster, identifier), owner(deps, runId));
  try {
    const unfinished = (await deps.journal.list()).find(
      (d) => d.identifier === identifier && d.cluster === cluster && isUnfinished(deriveProgress(d.events).status),
    );
    if (unfinished) {
      throw new PreconditionError(`Run ${unfinished.runId} (${unfinished.command} of ${identifier}) did not finish.`, {
        hint: `Finish it first: trapheus resume ${unfinished.runId}   (inspect: trapheus status ${unfinished.runId})`,
      });
    }
    return release;
  } catch (error) {
    await release();
    throw error;
  }
}

async function newestUnfinished(deps: ServiceDeps): Promise<RunDocument> {
  const doc = (await deps.journal.list()).find((d) => isUnfinished(deriveProgress(d.events).status));
  if (!doc) throw new PreconditionError('There is no unfinished run to resume.', { hint: 'List runs with `trapheus runs`.' });
  return doc;
}

function owner(deps: ServiceDeps, runId: string) {
  return { pid: deps.pid, host: deps.host, runId, since: deps.clock.now().toISOString() };
}

/** Preflight is read-only: whatever goes wrong there (credentials, access, network), nothing was touched. */
async function readOnly<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof UsageError || error instanceof PreconditionError) throw error;
    const { name, message } = describeError(error);
    throw new PreconditionError(`Preflight could not read the database's state: ${name}: ${message}`, {
      cause: error,
      hint: 'Check credentials (AWS_PROFILE, --profile), --region and the IAM permissions listed in the README. Nothing was changed.',
    });
  }
}

/** Export is never on the critical path: a bucket or key problem is a warning of the restore's preflight. */
async function checkExportForRun(deps: ServiceDeps, plan: ExportPlan): Promise<PreflightCheck> {
  const problems = deps.exports ? await checkExportTarget(deps.exports, plan.bucket, plan.kmsKeyId) : ['exports are not available here'];
  return problems.length === 0
    ? { name: 'export', ok: true, detail: `s3://${plan.bucket}/${plan.prefix ?? ''} with ${plan.kmsKeyId}, task ${plan.taskId}` }
    : { name: 'export', ok: true, warning: true, detail: `The export will not start: ${problems.join(' ')} The restore goes on without it.` };
}

function preflightError(checks: PreflightCheck[]): { name: string; message: string } {
  return {
    name: 'PreconditionError',
    message: `Preflight failed: ${checks
      .filter((c) => !c.ok)
      .map((c) => c.detail)
      .join(' ')}`,
  };
}
