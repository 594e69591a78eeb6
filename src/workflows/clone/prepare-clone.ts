import { describeError, UsageError } from '../../core/errors.js';
import type { RunSummary } from '../../core/run-summary.js';
import { checkHooks } from '../hooks/check-hooks.js';
import { planHooks } from '../hooks/hook-plan.js';
import { assertValidIdentifier } from '../identifiers.js';
import { kindNamed, type KindName } from '../kinds/registry.js';
import { preflightError } from '../restore/check-list.js';
import { checkSourceFlags, parseRestoreTime } from '../restore/restore-source-preflight.js';
import { restoreSourceOf, summarizeRestoreSource } from '../restore/restore-source.js';
import { execute } from '../run/execute-run.js';
import { checkAlertSender } from '../run/run-alerts.js';
import { newRunId } from '../run/new-run-id.js';
import { normalizeIdentifier } from '../run/run-id.js';
import { lockForNewRun } from '../run/run-lock.js';
import { newRunDocument, readOnly } from '../run/start-run.js';
import type { PreparedRun, ServiceDeps } from '../service.js';
import { bindWorkflow } from '../workflow-registry.js';
import { asRestorePlan, type CloneOverrides } from './clone-plan.js';

/** `trapheus clone`. */
export interface CloneRequest {
  /** The database cloned (only read). */
  identifier: string;
  /** The new database's identifier. */
  target: string;
  kind: KindName;
  /** Snapshot id or ARN; absent: the newest trapheus took, else `<id>-snapshot`. */
  snapshot?: string | undefined;
  freshSnapshot: boolean;
  overrides?: CloneOverrides | undefined;
  /** `--to-time` (ISO 8601 with an offset) / `--latest-restorable`: a point in time of the source instead of a snapshot. */
  toTime?: string | undefined;
  latestRestorable?: boolean | undefined;
  /** Give the clone its own managed master secret where the source has one. Default: `restore.manageMasterUserPassword`. */
  manageMasterUserPassword?: boolean | undefined;
}

/** VPC security group ids look like `sg-0123456789abcdef0`. */
const SECURITY_GROUP_ID = /^sg-[0-9a-f]+$/;

/** Bad input is refused before any AWS call (exit 2). */
function checkCloneRequest(req: CloneRequest): Date | undefined {
  if (req.snapshot !== undefined && req.freshSnapshot) throw new UsageError('--snapshot and --fresh-snapshot cannot be used together.');
  const toTime = req.toTime === undefined ? undefined : parseRestoreTime(req.toTime);
  checkSourceFlags({ ...req, toTime });
  assertValidIdentifier(req.identifier);
  assertValidIdentifier(req.target);
  if (req.target === req.identifier) {
    throw new UsageError(`--target is ${req.target}, the database cloned itself.`, { hint: 'Name the new database: --target copy-db.' });
  }
  const badGroups = (req.overrides?.vpcSecurityGroupIds ?? []).filter((id) => !SECURITY_GROUP_ID.test(id));
  if (badGroups.length > 0 || req.overrides?.vpcSecurityGroupIds?.length === 0) {
    throw new UsageError(
      `--security-groups: ${badGroups.join(', ') || 'empty'} ${badGroups.length === 1 ? 'is not a' : 'are not'} VPC security group id${badGroups.length === 1 ? '' : 's'}.`,
      {
        hint: 'Give ids, comma-separated: --security-groups sg-0123456789abcdef0,sg-0fedcba9876543210',
      },
    );
  }
  return toTime;
}

/**
 * Plans a clone: validates the input, takes the locks of the source and of the new name, refuses
 * if an unfinished run concerns either, and runs the read-only preflight. Nothing is created
 * until `start()`; the locks are held until `start()` ends or `release()` is called.
 */
export async function prepareClone(deps: ServiceDeps, request: CloneRequest): Promise<PreparedRun> {
  const req = { ...request, identifier: normalizeIdentifier(request.identifier), target: normalizeIdentifier(request.target) };
  const toTime = checkCloneRequest(req);
  const kind = kindNamed(req.kind);
  const now = deps.clock.now();
  const runId = newRunId(now, req.identifier);
  const hooks = planHooks(deps.config);
  const releaseSource = await lockForNewRun(deps, kind.noun, req.identifier, runId);
  let releaseTarget: (() => Promise<void>) | undefined;
  const release = async (): Promise<void> => {
    await releaseTarget?.();
    await releaseSource();
  };
  try {
    releaseTarget = await lockForNewRun(deps, kind.noun, req.target, runId);
    const input = {
      identifier: req.identifier,
      target: req.target,
      snapshot: req.snapshot,
      freshSnapshot: req.freshSnapshot,
      overrides: req.overrides ?? {},
      manageMasterUserPassword: req.manageMasterUserPassword ?? deps.config.restore.manageMasterUserPassword,
      toTime,
      latestRestorable: req.latestRestorable,
    };
    const preflight = await readOnly(() => kind.preflightClone(deps.rds, input, deps.config, now), deps);
    const senderCheck = await checkAlertSender(deps);
    if (senderCheck) preflight.checks.push(senderCheck);
    preflight.checks.push(
      ...(await checkHooks(hooks, deps.commands, {
        beforeCutover: `against the verified clone ${req.target}, before it is handed over`,
        afterRestore: `against the verified clone ${req.target}, after beforeCutover (a failure deletes the clone)`,
      })),
    );
    const ok = preflight.plan !== undefined && preflight.checks.every((c) => c.ok);
    const doc =
      preflight.plan &&
      newRunDocument(
        deps,
        {
          runId,
          command: 'clone',
          workflow: kind.cloneWorkflow,
          identifier: req.identifier,
          cluster: kind.noun === 'cluster',
          input: { ...req, ...input },
          plan: { ...preflight.plan, ...(hooks ? { hooks } : {}) },
        },
        now,
      );
    const steps = doc ? bindWorkflow(doc).steps : [];
    const summary: RunSummary = {
      runId: null,
      command: 'clone',
      identifier: req.identifier,
      target: req.target,
      cluster: kind.noun === 'cluster',
      status: 'planned',
      steps: steps.map((s) => ({ id: s.id, title: s.title, status: 'pending', attempts: 0 })),
      configDifferences: [],
      snapshotIdentifier: preflight.plan?.snapshotIdentifier,
      ...(preflight.plan ? { source: summarizeRestoreSource(restoreSourceOf(asRestorePlan(preflight.plan))) } : {}),
      warnings: preflight.checks.filter((c) => c.warning).map((c) => c.detail),
      preflight: preflight.checks,
      ...(ok ? {} : { error: describeError(preflightError(preflight.checks)) }),
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
          if (!ok || !doc) throw preflightError(preflight.checks);
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
