import { PreconditionError } from '../../core/errors.js';
import { listExports, runExport, runSetupExport } from '../../workflows/export/export-service.js';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../format.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { jsonDocument } from '../json-documents.js';
import { printJson } from '../output.js';
import type { ExportTaskInfo } from '../../aws/export-gateway.js';
import { failWithDocument, kindOfFlag, serviceFor } from './command-support.js';
import { formatRemaining, RunTracker } from '../reporters/run-tracker.js';

/** `trapheus export` options. */
export interface ExportOptions {
  identifier: string;
  cluster?: boolean;
  snapshot?: string;
  bucket?: string;
  prefix?: string;
  kmsKey?: string;
  roleArn?: string;
  tables?: string;
  wait?: boolean;
}

/** `trapheus export`: start (and with --wait, follow) a snapshot export to S3. */
export async function exportCommand(opts: ExportOptions, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  const deps = await serviceFor(globals, ctx);
  let last = '';
  const progress = new RunTracker(() => deps.clock.now().getTime());
  const result = await runExport(deps, {
    identifier: opts.identifier,
    kind: kindOfFlag(opts.cluster),
    snapshot: opts.snapshot,
    flags: {
      bucket: opts.bucket,
      prefix: opts.prefix,
      kmsKey: opts.kmsKey,
      roleArn: opts.roleArn,
      tables: opts.tables
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    },
    wait: Boolean(opts.wait),
    onProgress: (task) => {
      // The percent RDS reports (DescribeExportTasks PercentProgress), and the time left once it has moved.
      if (task.percentProgress !== undefined) progress.progress(task.taskId, task.percentProgress);
      const line = `${task.status}${task.percentProgress === undefined ? '' : ` ${task.percentProgress}%`}`;
      const estimate = progress.estimate(task.taskId);
      const left = estimate?.remainingMs === undefined ? '' : ` (${formatRemaining(estimate.remainingMs)})`;
      if (line !== last && !globals.json && !globals.quiet)
        ctx.output.err(`${new Date().toISOString()} export ${task.taskId}: ${line}${left}`);
      last = line;
    },
  });
  if (globals.json) {
    printJson(
      ctx.output,
      jsonDocument('export', {
        status: 'ok',
        snapshotIdentifier: result.snapshotIdentifier,
        task: taskJson(result.task),
        warnings: result.warnings,
      }),
    );
  } else {
    if (!globals.quiet) for (const w of result.warnings) ctx.output.err(`! ${w}`);
    ctx.output.out(
      `Export task ${result.task.taskId} of ${result.snapshotIdentifier} to s3://${result.plan.bucket}/${result.plan.prefix ?? ''}: ${result.task.status}.\nFollow it with: trapheus export-status ${result.task.taskId}`,
    );
  }
  return { status: 'ok' };
}

/** `trapheus export-status [TASK_ID]`. */
export async function exportStatusCommand(taskId: string | undefined, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  const deps = await serviceFor(globals, ctx);
  const tasks = await listExports(deps, taskId);
  if (globals.json) printJson(ctx.output, jsonDocument('export-status', { status: 'ok', tasks: tasks.map(taskJson) }));
  else if (tasks.length === 0) ctx.output.out('No trapheus export tasks.');
  else {
    ctx.output.out(
      formatTable(
        ['TASK ID', 'STATUS', 'PROGRESS', 'BUCKET', 'PREFIX', 'SOURCE'],
        tasks.map((t) => [t.taskId, t.status, `${t.percentProgress ?? 0}%`, t.bucket, t.prefix ?? '', t.sourceArn.split(':').pop() ?? '']),
      ),
    );
  }
  return { status: 'ok' };
}

/** `trapheus setup-export`: check (and with --create, create) the bucket and key; print the config and the role's policies. */
export async function setupExportCommand(
  opts: { bucket: string; kmsKey?: string; create?: boolean; prefix?: string },
  globals: GlobalOptions,
  ctx: CliContext,
): Promise<CliResult> {
  const deps = await serviceFor(globals, ctx);
  const report = await runSetupExport(deps, {
    bucket: opts.bucket,
    keyAlias: opts.kmsKey ?? 'alias/trapheus-export',
    create: Boolean(opts.create),
    prefix: opts.prefix,
  });
  const missing =
    report.missing.length > 0
      ? new PreconditionError(`Export set-up incomplete: ${report.missing.join(', ')}.`, {
          hint: `Run: trapheus setup-export --bucket ${opts.bucket} --create`,
        })
      : undefined;
  if (globals.json && !missing) printJson(ctx.output, jsonDocument('setup-export', { status: 'ok', ...report }));
  else if (!globals.json) {
    const lines = [
      // "Nothing to change" only when nothing is missing either: a missing piece is something to change.
      ...(report.changes.length > 0
        ? report.changes.map((c) => `✔ ${c}`)
        : report.missing.length > 0
          ? []
          : ['Nothing to change: the bucket and the key are in place.']),
      ...report.missing.map((m) => `✖ missing: ${m} (run with --create)`),
      '',
      'Add to .trapheusrc.json (iamRoleArn is your role, see below):',
      JSON.stringify(report.config, null, 2),
      '',
      'The export role (create it yourself; trapheus creates no IAM resources). Trust policy:',
      JSON.stringify(report.role.trust, null, 2),
      '',
      'Permissions policy:',
      JSON.stringify(report.role.permissions, null, 2),
    ];
    ctx.output.out(lines.join('\n'));
  }
  // With --json: one document, the report with the error (exit 3); otherwise the error on stderr.
  if (missing) failWithDocument('setup-export', report, missing, globals, ctx);
  return { status: 'ok' };
}

/** An export task as JSON: the fields the contract declares, its start time as an ISO string. */
function taskJson(task: ExportTaskInfo) {
  const { taskId, sourceArn, status, percentProgress, bucket, prefix, kmsKeyId, failureCause, startedAt } = task;
  return { taskId, sourceArn, status, percentProgress, bucket, prefix, kmsKeyId, failureCause, startedAt: startedAt?.toISOString() };
}
