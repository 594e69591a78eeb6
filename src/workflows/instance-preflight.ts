import type { RdsGateway } from '../aws/rds-gateway.js';
import type { Config } from '../config/config-schema.js';
import { UsageError } from '../core/errors.js';
import { assertValidIdentifier, derivedIdentifier, identifierTimestamp, invalidIdentifierReason, MAX_SNAPSHOT_IDENTIFIER_LENGTH } from './identifiers.js';
import type { InstanceRestorePlan } from './instance-restore-plan.js';
import { checkBlueGreen } from './check-blue-green.js';
import { checkList } from './check-list.js';
import type { PreflightCheck } from '../core/run-summary.js';
import { resolveSnapshot } from './resolve-snapshot.js';
import { snapshotOps } from './snapshot-ops.js';

/** The suffix of the renamed original (the predecessor's, so its users recognise it). */
export const RETIRED_SUFFIX = '-temp';
/** The suffix of the copy a swap restores and prepares while the original keeps serving. */
export const RESTORING_SUFFIX = '-restoring';

/** What the user asked for. */
export interface InstanceRestoreInput {
  identifier: string;
  snapshot?: string | undefined;
  freshSnapshot: boolean;
  strategy: 'rename-first' | 'swap';
}

/** The plan (if one could be made) and every check, passed or failed. */
export interface InstancePreflight {
  plan?: InstanceRestorePlan | undefined;
  checks: PreflightCheck[];
}

/**
 * Read-only checks before an instance restore changes anything, and the plan they resolve
 * (which snapshot, which temporary names). Pointing at a cluster is a usage error (wrong flag).
 */
export async function preflightInstanceRestore(
  rds: RdsGateway,
  input: InstanceRestoreInput,
  config: Config,
  now: Date,
): Promise<InstancePreflight> {
  const { identifier } = input;
  assertValidIdentifier(identifier);
  const { checks, pass, fail, warn } = checkList();

  const original = await rds.describeInstance(identifier);
  if (!original) {
    if (await rds.describeCluster(identifier)) {
      throw new UsageError(`${identifier} is an Aurora DB cluster, not a DB instance.`, {
        hint: `Add --cluster: trapheus restore --identifier ${identifier} --cluster`,
      });
    }
    fail('instance exists', `No DB instance ${identifier} in this region. Check --identifier and --region (or AWS_REGION).`);
    return { checks };
  }
  if (original.clusterIdentifier) {
    throw new UsageError(`${identifier} is a member of the Aurora DB cluster ${original.clusterIdentifier}.`, {
      hint: `Restore the cluster instead: trapheus restore --identifier ${original.clusterIdentifier} --cluster`,
    });
  }
  pass('instance exists', `${identifier} (${original.config.engine} ${original.config.engineVersion}, ${original.config.instanceClass})`);
  if (original.status === 'available') pass('instance available', 'available');
  else fail('instance available', `${identifier} is ${original.status}; wait until it is available and try again.`);

  await checkBlueGreen(rds, identifier, original.arn, { fail, warn });
  if (original.readReplicaSourceIdentifier) {
    fail('not a read replica', `${identifier} is a read replica of ${original.readReplicaSourceIdentifier}; restoring it in place would turn it into a standalone instance. Restore the source instead.`);
  }
  if (original.readReplicaIdentifiers.length > 0) {
    const replicas = original.readReplicaIdentifiers.join(', ');
    if (config.restore.allowReadReplicaSource) {
      warn('read replicas', `${identifier} has read replicas (${replicas}); they will keep replicating from the renamed original, which is then deleted.`);
    } else {
      fail('read replicas', `${identifier} is the source of read replicas (${replicas}). Set restore.allowReadReplicaSource to true in the config to accept that they will not follow the restored copy.`);
    }
  }

  const snapshot = await resolveSnapshot(snapshotOps(rds, false), input, now, checks);
  if (snapshot.info && snapshot.info.engine !== original.config.engine) {
    fail('snapshot engine', `Snapshot ${snapshot.info.identifier} is of engine ${snapshot.info.engine}, ${identifier} runs ${original.config.engine}.`);
  }

  const retiredIdentifier = derivedIdentifier(identifier, RETIRED_SUFFIX);
  const restoringIdentifier = input.strategy === 'swap' ? derivedIdentifier(identifier, RESTORING_SUFFIX) : undefined;
  for (const temporary of [retiredIdentifier, ...(restoringIdentifier ? [restoringIdentifier] : [])]) {
    const reason = invalidIdentifierReason(temporary);
    if (reason) fail('temporary identifier', `${temporary} is not a valid identifier: ${reason}.`);
    else if (await rds.describeInstance(temporary)) {
      fail('temporary identifier free', `${temporary} already exists. A previous run may have left it: check \`trapheus runs\`, or rename or delete it.`);
    } else pass('temporary identifier free', `${temporary} is free`);
  }

  const finalSnapshotIdentifier = config.restore.finalSnapshot
    ? derivedIdentifier(`${identifier}-final`, `-${identifierTimestamp(now)}`, MAX_SNAPSHOT_IDENTIFIER_LENGTH)
    : undefined;
  if (finalSnapshotIdentifier && (await rds.describeSnapshot(finalSnapshotIdentifier))) {
    fail('final snapshot name free', `Snapshot ${finalSnapshotIdentifier} already exists.`);
  }

  const quotas = await rds.describeQuotas();
  if (quotas.instancesMax !== undefined && quotas.instancesUsed !== undefined) {
    const free = quotas.instancesMax - quotas.instancesUsed;
    if (free >= 1) pass('instance quota', `${free} more DB instances allowed; the restore needs 1 while the original is kept`);
    else fail('instance quota', `The account is at its DB instance quota (${quotas.instancesUsed}/${quotas.instancesMax}); the ${input.strategy} strategy needs room for 1 more instance while the original is kept (so does rename-first). Ask for a quota increase or free one.`);
  } else {
    warn('instance quota', 'The DB instance quota could not be read; not checked.');
  }

  if (original.config.deletionProtection) {
    warn('deletion protection', `${identifier} has deletion protection: it will be turned off on the renamed original only, just before it is deleted; the restored instance keeps it.`);
  }

  if (checks.some((c) => !c.ok) || !snapshot.identifier) return { checks };
  return {
    checks,
    plan: {
      identifier,
      retiredIdentifier,
      strategy: input.strategy,
      ...(restoringIdentifier ? { restoringIdentifier } : {}),
      snapshotIdentifier: snapshot.identifier,
      snapshotSource: snapshot.source,
      finalSnapshotIdentifier,
      keepAutomatedBackups: config.restore.keepAutomatedBackups,
      retain: config.snapshots.retain,
    },
  };
}

