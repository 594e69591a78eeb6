import type { RdsGateway } from '../aws/rds-gateway.js';
import type { ClusterInfo, InstanceInfo } from '../core/rds-resources.js';
import type { Config } from '../config/config-schema.js';
import { UsageError } from '../core/errors.js';
import type { ClusterRestorePlan } from './cluster-restore-plan.js';
import { assertValidIdentifier, derivedIdentifier, identifierTimestamp, invalidIdentifierReason, MAX_SNAPSHOT_IDENTIFIER_LENGTH } from './identifiers.js';
import { RESTORING_SUFFIX, RETIRED_SUFFIX } from './instance-preflight.js';
import { resolveSnapshot } from './resolve-snapshot.js';
import { checkBlueGreen } from './check-blue-green.js';
import { checkList } from './check-list.js';
import type { PreflightCheck } from '../core/run-summary.js';
import { snapshotOps } from './snapshot-ops.js';

/** What the user asked for. */
export interface ClusterRestoreInput {
  identifier: string;
  snapshot?: string | undefined;
  freshSnapshot: boolean;
  strategy: 'rename-first' | 'swap';
}

/** The plan (if one could be made) and every check. */
export interface ClusterPreflight {
  plan?: ClusterRestorePlan | undefined;
  checks: PreflightCheck[];
}

/** The cluster, or a usage error naming the flag that was meant when the identifier is an instance. */
export async function describeClusterOrExplain(rds: RdsGateway, identifier: string, command: string): Promise<ClusterInfo | undefined> {
  const cluster = await rds.describeCluster(identifier);
  if (cluster) return cluster;
  if (await rds.describeInstance(identifier)) {
    throw new UsageError(`${identifier} is a DB instance, not an Aurora DB cluster.`, {
      hint: `Drop --cluster: trapheus ${command} --identifier ${identifier}`,
    });
  }
  return undefined;
}

/**
 * Read-only checks before a cluster restore changes anything: the cluster and every member are
 * available, the snapshot is usable, every temporary name (the cluster's and each member's) is
 * valid and free, quotas allow the extra copies, and nothing makes an in-place restore unsafe.
 */
export async function preflightClusterRestore(rds: RdsGateway, input: ClusterRestoreInput, config: Config, now: Date): Promise<ClusterPreflight> {
  const { identifier } = input;
  assertValidIdentifier(identifier);
  const { checks, pass, fail, warn } = checkList();

  const cluster = await describeClusterOrExplain(rds, identifier, 'restore');
  if (!cluster) {
    fail('cluster exists', `No DB cluster ${identifier} in this region. Check --identifier and --region (or AWS_REGION).`);
    return { checks };
  }
  pass('cluster exists', `${identifier} (${cluster.config.engine} ${cluster.config.engineVersion}, ${cluster.members.length} members)`);
  if (cluster.status === 'available') pass('cluster available', 'available');
  else fail('cluster available', `${identifier} is ${cluster.status}; wait until it is available and try again.`);
  if (cluster.globalClusterIdentifier) {
    fail('not in a global database', `${identifier} belongs to the global database ${cluster.globalClusterIdentifier}; remove it from the global database before restoring it in place.`);
  }
  await checkBlueGreen(rds, identifier, cluster.arn, { fail, warn });
  if (cluster.members.length === 0) warn('members', `${identifier} has no instances; the restored cluster will have none either.`);

  const members: InstanceInfo[] = [];
  for (const member of cluster.members) {
    const info = await rds.describeInstance(member.instanceIdentifier);
    if (!info) {
      fail('members available', `Member ${member.instanceIdentifier} could not be described.`);
      continue;
    }
    members.push(info);
    if (info.status !== 'available') fail('members available', `Member ${member.instanceIdentifier} is ${info.status}; wait until it is available.`);
  }
  if (members.length === cluster.members.length && members.every((m) => m.status === 'available')) {
    pass('members available', members.map((m) => `${m.identifier}${cluster.members.find((c) => c.instanceIdentifier === m.identifier)?.isWriter ? ' (writer)' : ''}`).join(', ') || 'none');
  }

  const snapshot = await resolveSnapshot(snapshotOps(rds, true), input, now, checks);
  if (snapshot.info && snapshot.info.engine !== cluster.config.engine) {
    fail('snapshot engine', `Snapshot ${snapshot.info.identifier} is of engine ${snapshot.info.engine}, ${identifier} runs ${cluster.config.engine}.`);
  }

  const swap = input.strategy === 'swap';
  const retiredIdentifier = derivedIdentifier(identifier, RETIRED_SUFFIX);
  const restoringIdentifier = swap ? derivedIdentifier(identifier, RESTORING_SUFFIX) : undefined;
  const memberNames = cluster.members.map((m) => ({
    identifier: m.instanceIdentifier,
    retiredIdentifier: derivedIdentifier(m.instanceIdentifier, RETIRED_SUFFIX),
    ...(swap ? { restoringIdentifier: derivedIdentifier(m.instanceIdentifier, RESTORING_SUFFIX) } : {}),
  }));
  const clusterTemps = [retiredIdentifier, ...(restoringIdentifier ? [restoringIdentifier] : [])];
  const memberTemps = memberNames.flatMap((m) => [m.retiredIdentifier, ...(m.restoringIdentifier ? [m.restoringIdentifier] : [])]);
  const taken: string[] = [];
  const invalid: string[] = [];
  for (const name of [...clusterTemps, ...memberTemps]) {
    const reason = invalidIdentifierReason(name);
    if (reason) invalid.push(`${name} (${reason})`);
  }
  for (const name of clusterTemps) if (await rds.describeCluster(name)) taken.push(name);
  for (const name of memberTemps) if (await rds.describeInstance(name)) taken.push(name);
  if (invalid.length > 0) fail('temporary identifiers', `Not valid identifiers: ${invalid.join(', ')}.`);
  else if (taken.length > 0) fail('temporary identifiers free', `${taken.join(', ')} already exist. A previous run may have left them: check \`trapheus runs\`, or rename or delete them.`);
  else pass('temporary identifiers free', [...clusterTemps, ...memberTemps].join(', '));

  const finalSnapshotIdentifier = config.restore.finalSnapshot
    ? derivedIdentifier(`${identifier}-final`, `-${identifierTimestamp(now)}`, MAX_SNAPSHOT_IDENTIFIER_LENGTH)
    : undefined;
  if (finalSnapshotIdentifier && (await rds.describeClusterSnapshot(finalSnapshotIdentifier))) {
    fail('final snapshot name free', `Cluster snapshot ${finalSnapshotIdentifier} already exists.`);
  }

  const quotas = await rds.describeQuotas();
  const quota = (what: string, used: number | undefined, max: number | undefined, need: number) => {
    if (used === undefined || max === undefined) return warn(`${what} quota`, `The ${what} quota could not be read; not checked.`);
    if (max - used >= need) return pass(`${what} quota`, `${max - used} more allowed; the restore needs ${need} while the original is kept`);
    return fail(`${what} quota`, `The account has room for ${max - used} more ${what}s; the restore needs ${need} while the original is kept. Ask for a quota increase or free some.`);
  };
  quota('DB cluster', quotas.clustersUsed, quotas.clustersMax, 1);
  if (cluster.members.length > 0) quota('DB instance', quotas.instancesUsed, quotas.instancesMax, cluster.members.length);

  if (cluster.config.deletionProtection) {
    warn('deletion protection', `${identifier} has deletion protection: it will be turned off on the renamed original only, just before it is deleted; the restored cluster keeps it.`);
  }

  if (checks.some((c) => !c.ok) || !snapshot.identifier) return { checks };
  return {
    checks,
    plan: {
      identifier,
      retiredIdentifier,
      strategy: input.strategy,
      ...(restoringIdentifier ? { restoringIdentifier } : {}),
      members: memberNames,
      snapshotIdentifier: snapshot.identifier,
      snapshotSource: snapshot.source,
      finalSnapshotIdentifier,
      retain: config.snapshots.retain,
    },
  };
}
