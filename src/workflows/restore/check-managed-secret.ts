import type { ManagedSecret } from '../../core/rds-resources.js';
import type { CheckList } from './check-list.js';

/**
 * A master password RDS manages in Secrets Manager is not re-created by a restore (RDS for
 * Oracle aside, RestoreDBInstanceFromDBSnapshot and RestoreDBClusterFromSnapshot have no such
 * parameter), and deleting the original deletes its secret (user guide: Password management with
 * Amazon RDS and AWS Secrets Manager). So it is carried only when asked: the copy then gets a new
 * secret, with the original's KMS key and a new generated password.
 */
export function checkManagedSecret(
  secret: ManagedSecret | undefined,
  noun: string,
  identifier: string,
  optedIn: boolean,
  list: Pick<CheckList, 'fail' | 'warn'>,
): void {
  if (!secret) return;
  const found = `${identifier}'s master password is managed in Secrets Manager (secret ${secret.secretArn}${secret.kmsKeyId ? `, KMS key ${secret.kmsKeyId}` : ''}). A restore does not re-create that secret, and deleting the original deletes it.`;
  if (optedIn) {
    list.warn(
      'master password secret',
      `${found} The restored ${noun} gets a new secret with the same KMS key and a newly generated password before the cut-over; its ARN is reported at the end. Applications that read the old secret must switch to the new one.`,
    );
  } else {
    list.fail(
      'master password secret',
      `${found} Restoring it as is would leave the restored ${noun} with the snapshot's password and no secret once the original is gone. Add --manage-master-password (or set restore.manageMasterUserPassword) to give the restored ${noun} a new managed secret, with a new password.`,
    );
  }
}
