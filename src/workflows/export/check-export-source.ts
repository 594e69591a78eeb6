import type { ExportGateway } from '../../aws/export-gateway.js';
import type { ExportPlan } from './export-plan.js';
import { isRunningExport, prefixProblems, sourceProblems, tablesProblems, type ExportSource } from './export-rules.js';
import { checkKeyPolicy } from './kms-key-policy.js';

/** What would make RDS refuse the export (`problems`), and what trapheus could not make sure of (`warnings`). */
export interface ExportChecks {
  problems: string[];
  warnings: string[];
}

/**
 * Checks an export of this snapshot against RDS's rules, read-only, before StartExportTask:
 * the engine and storage, the prefix, `--tables` against the engine, no other task running
 * for the snapshot, and the KMS key policy. A key policy that cannot be read is a warning.
 */
export async function checkExportSource(exports: ExportGateway, plan: ExportPlan, source: ExportSource): Promise<ExportChecks> {
  const problems = [...sourceProblems(source), ...prefixProblems(plan.prefix), ...tablesProblems(plan.tables, source.engine)];
  const warnings: string[] = [];

  // One task per snapshot at a time (RDS and Aurora User Guides, snapshot export Limitations).
  // The planned task itself is not "another" task: a resumed run finds it and keeps it. A source
  // without an ARN is a snapshot not taken yet (a preflight before --fresh-snapshot): no task can hold it.
  const tasks = source.arn ? await exports.exportTasksOf(source.arn) : [];
  const running = tasks.filter((t) => t.taskId !== plan.taskId && isRunningExport(t.status));
  for (const task of running) {
    problems.push(
      `Export task ${task.taskId} of snapshot ${source.identifier} is ${task.status}; RDS runs one export task per snapshot at a time. ` +
        `Wait for it to end (trapheus export-status ${task.taskId}) and try again.`,
    );
  }

  const read = await exports.readKeyPolicy(plan.kmsKeyId);
  if (!read.readable) {
    warnings.push(
      `Cannot read the policy of KMS key ${plan.kmsKeyId} (${read.reason}), so whether it lets ${plan.iamRoleArn} use the key ` +
        '(kms:CreateGrant, kms:DescribeKey) is not checked.',
    );
  } else {
    const verdict = checkKeyPolicy(read.policy, read.keyArn, plan.iamRoleArn);
    if (verdict.problem) problems.push(verdict.problem);
    if (verdict.warning) warnings.push(verdict.warning);
  }
  return { problems, warnings };
}
