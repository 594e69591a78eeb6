import type { ExportGateway } from '../../aws/export-gateway.js';
import { exportRolePolicies } from './export-role-policies.js';

/** What `setup-export` found and did. */
export interface SetupExportReport {
  bucket: string;
  keyAlias: string;
  keyArn?: string | undefined;
  /** What was created or changed (empty the second time: it is idempotent). */
  changes: string[];
  /** What is missing (only without --create). */
  missing: string[];
  config: { export: { bucket: string; kmsKeyId: string; iamRoleArn: string; prefix: string } };
  role: { trust: unknown; permissions: unknown };
}

/**
 * Checks — and with `create` creates — what an export needs: the bucket (public access
 * blocked, default encryption on) and a symmetric KMS key with an alias. Never creates IAM
 * resources: the role is the user's, so its policies are printed instead.
 */
export async function setupExport(
  exports: ExportGateway,
  options: { bucket: string; keyAlias: string; region: string; create: boolean; prefix?: string | undefined },
): Promise<SetupExportReport> {
  const changes: string[] = [];
  const missing: string[] = [];
  const alias = options.keyAlias.startsWith('alias/') ? options.keyAlias : `alias/${options.keyAlias}`;

  let key = await exports.describeKey(alias);
  if (!key && options.create) {
    key = await exports.createKey(`trapheus snapshot exports (${options.bucket})`);
    await exports.createAlias(alias, key.keyId);
    changes.push(`created KMS key ${key.arn} with alias ${alias}`);
  } else if (!key) missing.push(`KMS key ${alias}`);
  else if (!key.enabled) missing.push(`KMS key ${alias} is not enabled`);

  let exists = await exports.bucketExists(options.bucket);
  if (!exists && options.create) {
    await exports.createBucket(options.bucket, options.region);
    changes.push(`created bucket ${options.bucket} in ${options.region}`);
    exists = true;
  } else if (!exists) missing.push(`bucket ${options.bucket}`);
  if (exists) {
    const setup = await exports.bucketSetup(options.bucket);
    if (!setup.publicAccessBlocked) {
      if (options.create) {
        await exports.blockPublicAccess(options.bucket);
        changes.push(`blocked public access to ${options.bucket}`);
      } else missing.push(`public access block on ${options.bucket}`);
    }
    if (!setup.encrypted) {
      if (options.create && key) {
        await exports.enableDefaultEncryption(options.bucket, key.arn);
        changes.push(`turned on default encryption of ${options.bucket} with ${alias}`);
      } else missing.push(`default encryption on ${options.bucket}`);
    }
  }
  return {
    bucket: options.bucket,
    keyAlias: alias,
    keyArn: key?.arn,
    changes,
    missing,
    config: {
      export: {
        bucket: options.bucket,
        kmsKeyId: alias,
        iamRoleArn: 'arn:aws:iam::<account>:role/<your-export-role>',
        prefix: options.prefix ?? 'trapheus/',
      },
    },
    role: exportRolePolicies(options.bucket, key?.arn),
  };
}
