import type { ExportGateway, ExportTaskInfo } from '../../aws/export-gateway.js';
import { PreconditionError, UsageError } from '../../core/errors.js';
import { assertValidIdentifier } from '../identifiers.js';
import type { ServiceDeps } from '../service.js';
import { kindNamed, type KindName } from '../kinds/registry.js';
import { newestManagedFirst } from '../snapshot/snapshot-tags.js';
import { checkExportSource } from './check-export-source.js';
import { checkExportTarget } from './check-export-target.js';
import { planExport, type ExportFlags, type ExportPlan } from './export-plan.js';
import { followExport } from './follow-export.js';
import { setupExport, type SetupExportReport } from './setup-export.js';

/** `trapheus export`. */
export interface ExportRequest {
  identifier: string;
  kind: KindName;
  snapshot?: string | undefined;
  flags: ExportFlags;
  wait: boolean;
  onProgress?: ((task: ExportTaskInfo) => void) | undefined;
  /** What the preflight could not make sure of (e.g. an unreadable key policy); also in the result. */
  onWarning?: ((text: string) => void) | undefined;
}

function exportsOf(deps: ServiceDeps): ExportGateway {
  if (!deps.exports) throw new UsageError('Exports are not available in this environment.');
  return deps.exports;
}

/**
 * Exports a snapshot (the named one, else the newest trapheus took) to S3. The preflight —
 * snapshot available and of an engine RDS exports, `--tables` in that engine's syntax, no
 * other export task running for it, bucket present, key enabled and its policy letting the
 * role use it — fails with a precondition error before any task starts.
 */
export async function runExport(
  deps: ServiceDeps,
  req: ExportRequest,
): Promise<{ plan: ExportPlan; snapshotIdentifier: string; task: ExportTaskInfo; warnings: string[] }> {
  assertValidIdentifier(req.identifier);
  const plan = planExport(req.identifier, deps.config.export, req.flags, deps.clock.now());
  const exports = exportsOf(deps);
  const kind = kindNamed(req.kind);
  const snapshots = kind.snapshots(deps.rds);
  const snapshot = req.snapshot
    ? await snapshots.describe(req.snapshot)
    : newestManagedFirst(await snapshots.list(req.identifier), req.identifier)[0];
  if (!snapshot) {
    throw new PreconditionError(req.snapshot ? `Snapshot ${req.snapshot} not found.` : `No snapshot trapheus took of ${req.identifier}.`, {
      hint: `Name one with --snapshot, or take one: trapheus snapshot-only --identifier ${req.identifier}${kind.flag}`,
    });
  }
  if (snapshot.status !== 'available') throw new PreconditionError(`Snapshot ${snapshot.identifier} is ${snapshot.status}, not available.`);
  const problems = await checkExportTarget(exports, plan.bucket, plan.kmsKeyId);
  const rules = await checkExportSource(exports, plan, snapshot);
  problems.push(...rules.problems);
  if (problems.length > 0) throw new PreconditionError(`Cannot export: ${problems.join(' ')}`);
  for (const warning of rules.warnings) req.onWarning?.(warning);
  await exports.startExportTask({ ...plan, sourceArn: snapshot.arn });
  const settings = deps.config.wait;
  const task = req.wait
    ? await followExport(exports, plan.taskId, {
        clock: deps.clock,
        delayMs: settings.maxDelaySeconds * 1000,
        maxWaitMs: settings.maxWaitMinutes * 60_000,
        signal: deps.signal,
        onProgress: req.onProgress,
      })
    : ((await exports.describeExportTasks(plan.taskId))[0] ?? {
        taskId: plan.taskId,
        sourceArn: snapshot.arn,
        status: 'STARTING',
        bucket: plan.bucket,
        prefix: plan.prefix,
      });
  return { plan, snapshotIdentifier: snapshot.identifier, task, warnings: rules.warnings };
}

/** trapheus's export tasks (ids starting `trapheus-`), or one task by id. */
export async function listExports(deps: ServiceDeps, taskId?: string): Promise<ExportTaskInfo[]> {
  const tasks = await exportsOf(deps).describeExportTasks(taskId);
  if (taskId && tasks.length === 0) throw new PreconditionError(`Export task ${taskId} not found.`);
  return taskId ? tasks : tasks.filter((t) => t.taskId.startsWith('trapheus-'));
}

/** `trapheus setup-export`. */
export async function runSetupExport(
  deps: ServiceDeps,
  options: { bucket: string; keyAlias: string; create: boolean; prefix?: string | undefined },
): Promise<SetupExportReport> {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket)) {
    throw new UsageError(`"${options.bucket}" is not a valid S3 bucket name (3–63 lower-case letters, digits, dots and hyphens).`);
  }
  return setupExport(exportsOf(deps), { ...options, region: deps.region ?? 'us-east-1' });
}
