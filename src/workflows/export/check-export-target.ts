import type { ExportGateway } from '../../aws/export-gateway.js';

/** What is wrong with an export's bucket and key (empty: ready). Read-only. */
export async function checkExportTarget(exports: ExportGateway, bucket: string, kmsKeyId: string): Promise<string[]> {
  const problems: string[] = [];
  if (!(await exports.bucketExists(bucket)))
    problems.push(`Bucket ${bucket} does not exist (trapheus setup-export --bucket ${bucket} --create).`);
  const key = await exports.describeKey(kmsKeyId);
  if (!key) problems.push(`KMS key ${kmsKeyId} was not found.`);
  else if (!key.enabled) problems.push(`KMS key ${kmsKeyId} is not enabled.`);
  else if (!key.symmetric) problems.push(`KMS key ${kmsKeyId} is not a symmetric key; RDS exports need one.`);
  return problems;
}
