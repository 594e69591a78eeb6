import type { ExportGateway } from '../../aws/export-gateway.js';
import { describeError, PreconditionError } from '../../core/errors.js';
import type { Step } from '../../engine/step.js';
import type { SnapshotOps } from '../snapshot/snapshot-ops.js';
import { checkExportSource } from './check-export-source.js';
import type { ExportPlan, ExportState } from './export-plan.js';

/** What the export step needs from a workflow's context. */
export interface ExportStepContext {
  exports?: ExportGateway | undefined;
  snapshots: SnapshotOps;
  snapshotIdentifier: string;
  plan: ExportPlan;
  state: { export?: ExportState | undefined };
}

/**
 * Starts the export of the snapshot as soon as it is available, and never fails: an export is
 * a copy for later, never on the critical path of a restore. A failure is a warning (summary,
 * `--json`, journal, alerts). Idempotent: a task already started under the planned id is kept.
 * Before starting, the export is checked against RDS's rules (`checkExportSource`: engine,
 * `--tables` syntax, another task running for the snapshot, the key policy); a refusal is the
 * same warning, and the run goes on without the export.
 */
export function startExportStep<C>(select: (ctx: C) => ExportStepContext): Step<C> {
  return {
    id: 'start-export',
    title: 'Start the export of the snapshot to S3',
    async run(ctx, io) {
      const s = select(ctx);
      const { taskId } = s.plan;
      if (s.state.export?.started) return;
      try {
        if (!s.exports) throw new Error('no export gateway configured');
        const existing = await s.exports.describeExportTasks(taskId).catch(() => []);
        if (existing.length === 0) {
          const snapshot = await s.snapshots.describe(s.snapshotIdentifier);
          if (!snapshot) throw new Error(`snapshot ${s.snapshotIdentifier} not found`);
          const checks = await checkExportSource(s.exports, s.plan, snapshot);
          if (checks.problems.length > 0) throw new PreconditionError(checks.problems.join(' '));
          for (const warning of checks.warnings) await io.notice('warning', `Export ${taskId}: ${warning}`);
          await s.exports.startExportTask({ ...s.plan, sourceArn: snapshot.arn });
        }
        s.state.export = { taskId, started: true };
        await io.notice('info', `Export task ${taskId} started to s3://${s.plan.bucket}/${s.plan.prefix ?? ''}.`);
      } catch (error) {
        if (io.signal.aborted) throw error;
        const { name, message } = describeError(error);
        s.state.export = { taskId, started: false, error: `${name}: ${message}` };
        await io.notice(
          'warning',
          `Export ${taskId} was not started (${name}: ${message}); the run goes on. Retry with \`trapheus export\`.`,
        );
      }
    },
  };
}
