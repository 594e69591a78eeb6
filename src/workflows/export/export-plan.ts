import { z } from 'zod';
import type { Config } from '../../config/config-schema.js';
import { UsageError } from '../../core/errors.js';
import { derivedIdentifier, identifierTimestamp } from '../identifiers.js';

/** Longest StartExportTask identifier. */
const MAX_EXPORT_TASK_ID = 60;

/** Where and how a snapshot is exported; resolved once and journaled with the run. */
export const exportPlanSchema = z.object({
  taskId: z.string(),
  bucket: z.string(),
  prefix: z.string().optional(),
  kmsKeyId: z.string(),
  iamRoleArn: z.string(),
  tables: z.array(z.string()).optional(),
});

/** An export's settings and its traceable task id. */
export type ExportPlan = z.infer<typeof exportPlanSchema>;

/** What an export run learned: the task id it started, or why it could not. */
export interface ExportState {
  taskId: string;
  started: boolean;
  error?: string | undefined;
}

/** Flags that override the `export.*` config keys. */
export interface ExportFlags {
  bucket?: string | undefined;
  prefix?: string | undefined;
  kmsKey?: string | undefined;
  roleArn?: string | undefined;
  tables?: string[] | undefined;
}

/** `trapheus-<identifier>-<yyyymmdd-hhmmss>`: unique per second, traceable to the database, ≤ 60 characters. */
export function exportTaskId(identifier: string, now: Date): string {
  return derivedIdentifier(`trapheus-${identifier}`, `-${identifierTimestamp(now)}`, MAX_EXPORT_TASK_ID);
}

/** Resolves the export settings from flags and config; a missing one is a usage error naming its key and flag. */
export function planExport(identifier: string, config: Config['export'], flags: ExportFlags, now: Date): ExportPlan {
  const bucket = flags.bucket ?? config.bucket;
  const kmsKeyId = flags.kmsKey ?? config.kmsKeyId;
  const iamRoleArn = flags.roleArn ?? config.iamRoleArn;
  const missing = [
    ...(bucket ? [] : ['export.bucket (or --bucket)']),
    ...(kmsKeyId ? [] : ['export.kmsKeyId (or --kms-key)']),
    ...(iamRoleArn ? [] : ['export.iamRoleArn (or --role-arn)']),
  ];
  if (!bucket || !kmsKeyId || !iamRoleArn) {
    throw new UsageError(`An export needs ${missing.join(', ')}.`, {
      hint: 'Run `trapheus setup-export --bucket NAME --create` to create the bucket and key and print the keys to add.',
    });
  }
  const prefix = flags.prefix ?? config.prefix;
  return {
    taskId: exportTaskId(identifier, now),
    bucket,
    kmsKeyId,
    iamRoleArn,
    ...(prefix ? { prefix } : {}),
    ...(flags.tables?.length ? { tables: flags.tables } : {}),
  };
}
