import { describeError, PreconditionError, UsageError } from '../../core/errors.js';
import { isReady } from '../../core/rds-status.js';
import type { PreflightCheck, RunSummary } from '../../core/run-summary.js';
import { RUN_SCHEMA_VERSION, type RunDocument } from '../../engine/run-document.js';
import { checkExportTarget } from '../export/check-export-target.js';
import { planExport, type ExportPlan } from '../export/export-plan.js';
import { assertHooksFitStrategy, checkHooks } from '../hooks/check-hooks.js';
import { planHooks } from '../hooks/hook-plan.js';
import { assertValidIdentifier, newSnapshotIdentifier } from '../identifiers.js';
import { kindNamed } from '../kinds/registry.js';
import { checkList, preflightError } from '../restore/check-list.js';
import { checkSourceFlags, parseRestoreTime } from '../restore/restore-source-preflight.js';
import { checkCopyFlags } from '../restore/copy-snapshot-preflight.js';
import { restoreSourceOf, summarizeRestoreSource } from '../restore/restore-source.js';
import { parseShareWith } from '../snapshot/share-snapshot-step.js';
import { SNAPSHOT_ONLY } from '../snapshot/snapshot-only-workflow.js';
import type { PreparedRun, RestoreRequest, RunResult, ServiceDeps, SnapshotRequest } from '../service.js';
import { bindWorkflow } from '../workflow-registry.js';
import { execute } from './execute-run.js';
import { checkAlertSender } from './run-alerts.js';
import { describeLookedIn, lookedIn } from './looked-in.js';
import { newRunId } from './new-run-id.js';
import { normalizeIdentifier } from './run-id.js';
import { lockForNewRun } from './run-lock.js';

/** Resuming lives in resume-run.ts; re-exported for the callers that start and resume runs from one place. */
export { resumeRun } from './resume-run.js';

/** A new run document: journaled before the first step, the truth a resume starts from. */
export function newRunDocument(
  deps: ServiceDeps,
  fields: Pick<RunDocument, 'runId' | 'command' | 'workflow' | 'identifier' | 'cluster' | 'input' | 'plan'>,
  now: Date,
): RunDocument {
  return { schemaVersion: RUN_SCHEMA_VERSION, ...fields, region: deps.region, createdAt: now.toISOString(), state: {}, events: [] };
}

/** What every new run starts with: a valid identifier, its kind, a run id, the export plan, and the database's lock. */
async function openRun(deps: ServiceDeps, req: SnapshotRequest) {
  assertValidIdentifier(req.identifier);
  const kind = kindNamed(req.kind);
  const now = deps.clock.now();
  const exportPlan = req.export ? planExport(req.identifier, deps.config.export, req.export, now) : undefined;
  const runId = newRunId(now, req.identifier);
  const release = await lockForNewRun(deps, kind.noun, req.identifier, runId);
  return { kind, now, exportPlan, runId, release };
}

/**
 * Plans a restore: validates the identifier, takes the database's lock, refuses if an
 * unfinished run exists for it, and runs the read-only preflight. Nothing is changed until
 * `start()`; the lock is held until `start()` ends or `release()` is called.
 */
export async function prepareRestore(deps: ServiceDeps, request: RestoreRequest): Promise<PreparedRun> {
  const req = { ...request, identifier: normalizeIdentifier(request.identifier) };
  if (req.snapshot !== undefined && req.freshSnapshot) throw new UsageError('--snapshot and --fresh-snapshot cannot be used together.');
  const toTime = req.toTime === undefined ? undefined : parseRestoreTime(req.toTime);
  const from = req.from === undefined ? undefined : normalizeIdentifier(req.from);
  checkSourceFlags({ ...req, from, toTime });
  checkCopyFlags({ ...req, from, toTime });
  const hooks = planHooks(deps.config);
  assertHooksFitStrategy(hooks, req.strategy ?? deps.config.restore.strategy);
  const { kind, now, exportPlan, runId, release } = await openRun(deps, req);
  try {
    const input = {
      identifier: req.identifier,
      snapshot: req.snapshot,
      freshSnapshot: req.freshSnapshot,
      strategy: req.strategy ?? deps.config.restore.strategy,
      finalSnapshot: req.finalSnapshot ?? deps.config.restore.finalSnapshot,
      manageMasterUserPassword: req.manageMasterUserPassword ?? deps.config.restore.manageMasterUserPassword,
      from,
      toTime,
      latestRestorable: req.latestRestorable,
      sourceRegion: req.sourceRegion,
    };
    // Where it looks (region, and the account: one STS call beside the preflight, never failing), for the summary and any failure.
    const asked = lookedIn(deps);
    const preflight = await readOnly(() => kind.preflight(deps.rds, input, deps.config, now), deps);
    const senderCheck = await checkAlertSender(deps);
    if (senderCheck) preflight.checks.push(senderCheck);
    if (exportPlan) preflight.checks.push(await readOnly(() => checkExportForRun(deps, exportPlan), deps));
    const restoring = preflight.plan?.restoringIdentifier ?? `${req.identifier}'s copy`;
    preflight.checks.push(
      ...(await checkHooks(hooks, deps.commands, {
        beforeCutover: `against the verified copy ${restoring}, before the renames`,
        afterRestore: `against the restored database under ${req.identifier}, before the original is deleted (a failure reverts)`,
      })),
    );
    const ok = preflight.plan !== undefined && preflight.checks.every((c) => c.ok);
    const doc =
      preflight.plan &&
      newRunDocument(
        deps,
        {
          runId,
          command: 'restore',
          workflow: kind.workflow,
          identifier: req.identifier,
          cluster: kind.noun === 'cluster',
          input: { ...req, ...input },
          plan: { ...preflight.plan, ...(exportPlan ? { export: exportPlan } : {}), ...(hooks ? { hooks } : {}) },
        },
        now,
      );
    const steps = doc ? bindWorkflow(doc).steps : [];
    const where = await asked;
    const summary: RunSummary = {
      runId: null,
      command: 'restore',
      identifier: req.identifier,
      cluster: kind.noun === 'cluster',
      status: 'planned',
      steps: steps.map((s) => ({
        id: s.id,
        title: s.title,
        status: 'pending',
        attempts: 0,
        ...(s.causesDowntime ? { causesDowntime: true } : {}),
      })),
      configDifferences: [],
      snapshotIdentifier: preflight.plan?.snapshotIdentifier,
      ...(preflight.plan ? { source: summarizeRestoreSource(restoreSourceOf(preflight.plan)) } : {}),
      warnings: preflight.checks.filter((c) => c.warning).map((c) => c.detail),
      preflight: preflight.checks,
      ...where,
      ...(ok ? {} : { error: describeError(preflightError(preflight.checks, describeLookedIn(where))) }),
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
          if (!ok || !doc) throw preflightError(preflight.checks, describeLookedIn(where));
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

/** Takes a new tagged snapshot of a database and prunes trapheus's older ones. */
export async function runSnapshotOnly(deps: ServiceDeps, request: SnapshotRequest): Promise<RunResult> {
  const req = { ...request, identifier: normalizeIdentifier(request.identifier) };
  const shareWith = parseShareWith(req.shareWith); // bad usage before any AWS call
  const { kind, now, exportPlan, runId, release } = await openRun(deps, req);
  try {
    const snapshotIdentifier = newSnapshotIdentifier(req.identifier, now);
    // The same kind of check list as a restore's preflight, read-only; any failure is exit 3.
    const checks = await readOnly(async () => {
      const list = checkList();
      const target = await kind.find(deps.rds, req.identifier, 'snapshot-only');
      if (!target)
        list.fail(
          `${kind.noun} exists`,
          `No ${kind.label} ${req.identifier} in this region. Check --identifier and --region (or AWS_REGION).`,
        );
      else if (!isReady(target.status))
        list.fail(
          `${kind.noun} available`,
          `${req.identifier} is ${target.status}; a snapshot needs it available. Wait until it is available and try again.`,
        );
      if (target && (await kind.snapshots(deps.rds).describe(snapshotIdentifier)))
        list.fail('snapshot name free', `Snapshot ${snapshotIdentifier} already exists; try again in a second.`);
      return list.checks;
    }, deps);
    if (!checks.every((c) => c.ok)) throw preflightError(checks, describeLookedIn(await lookedIn(deps)));
    const doc = newRunDocument(
      deps,
      {
        runId,
        command: 'snapshot-only',
        workflow: SNAPSHOT_ONLY,
        identifier: req.identifier,
        cluster: kind.noun === 'cluster',
        input: { ...req },
        plan: {
          identifier: req.identifier,
          cluster: kind.noun === 'cluster',
          snapshotIdentifier,
          retain: deps.config.snapshots.retain,
          ...(exportPlan ? { export: exportPlan } : {}),
          ...(shareWith.length > 0 ? { shareWith } : {}),
        },
      },
      now,
    );
    await deps.journal.save(doc);
    return await execute(deps, doc);
  } finally {
    await release();
  }
}

/** Preflight is read-only: whatever goes wrong there (credentials, access, network), nothing was touched. */
export async function readOnly<T>(action: () => Promise<T>, deps?: Pick<ServiceDeps, 'region' | 'whoAmI'>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof UsageError || error instanceof PreconditionError) throw error;
    const { name, message } = describeError(error);
    const where = deps ? ` in ${describeLookedIn(await lookedIn(deps))}` : '';
    throw new PreconditionError(`Preflight could not read the database's state${where}: ${name}: ${message}`, {
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
    : {
        name: 'export',
        ok: true,
        warning: true,
        detail: `The export will not start: ${problems.join(' ')} The restore goes on without it.`,
      };
}
