import { PreconditionError } from '../../core/errors.js';
import { listExports, runExport, runSetupExport } from '../../workflows/export/export-service.js';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../format.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { printJson } from '../output.js';
import { kindOfFlag, serviceFor } from './command-support.js';

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
      const line = `${task.status} ${task.percentProgress ?? 0}%`;
      if (line !== last && !globals.json) ctx.output.err(`${new Date().toISOString()} export ${task.taskId}: ${line}`);
      last = line;
    },
  });
  if (globals.json) printJson(ctx.output, { ...result.task, snapshotIdentifier: result.snapshotIdentifier });
  else
    ctx.output.out(
      `Export task ${result.task.taskId} of ${result.snapshotIdentifier} to s3://${result.plan.bucket}/${result.plan.prefix ?? ''}: ${result.task.status}.\nFollow it with: trapheus export-status ${result.task.taskId}`,
    );
  return { status: 'ok' };
}

/** `trapheus export-status [TASK_ID]`. */
export async function exportStatusCommand(taskId: string | undefined, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  const deps = await serviceFor(globals, ctx);
  const tasks = await listExports(deps, taskId);
  if (globals.json) printJson(ctx.output, tasks);
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
  if (globals.json) printJson(ctx.output, report);
  else {
    const lines = [
      ...(report.changes.length > 0 ? report.changes.map((c) => `✔ ${c}`) : ['Nothing to change.']),
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
  if (report.missing.length > 0)
    throw new PreconditionError(`Export set-up incomplete: ${report.missing.join(', ')}.`, {
      hint: `Run: trapheus setup-export --bucket ${opts.bucket} --create`,
    });
  return { status: 'ok' };
}
