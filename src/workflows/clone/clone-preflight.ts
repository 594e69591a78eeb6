import type { RdsGateway } from '../../aws/rds-gateway.js';
import type { Config } from '../../config/config-schema.js';
import { majorVersion } from '../../core/engine-version.js';
import type { PreflightCheck } from '../../core/run-summary.js';
import { invalidIdentifierReason } from '../identifiers.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import { checkList, type CheckList } from '../restore/check-list.js';
import { resolveSnapshot } from '../snapshot/resolve-snapshot.js';
import { resolveRestoreSource } from '../restore/restore-source-preflight.js';
import { cloneMemberName, type CloneOverrides, type ClonePlan } from './clone-plan.js';

/** What the user asked a clone for. */
export interface CloneInput {
  identifier: string;
  target: string;
  snapshot?: string | undefined;
  freshSnapshot: boolean;
  overrides: CloneOverrides;
  manageMasterUserPassword: boolean;
  /** A point in time of the source instead of a snapshot (`--to-time`, `--latest-restorable`). */
  toTime?: Date | undefined;
  latestRestorable?: boolean | undefined;
}

/** The clone's plan (if one could be made) and every check, passed or failed. */
export interface ClonePreflight {
  plan?: ClonePlan | undefined;
  checks: PreflightCheck[];
}

/** Checks of the kinds that only matter when the database itself is replaced (replication, global databases). */
const IN_PLACE_ONLY = new Set(['not a read replica', 'read replicas', 'not in a global database']);

/**
 * Read-only checks before a clone creates anything: the source is there (and available if a
 * fresh snapshot is to be taken), the kind's own conditions that concern a copy hold, the
 * snapshot is usable and of the same engine, the new name and its members' names are valid and
 * free in both the instance and the cluster name spaces, and quotas allow the new database.
 */
export async function preflightClone<C, M>(
  kind: ResourceKind<C, M>,
  rds: RdsGateway,
  input: CloneInput,
  config: Config,
  now: Date,
): Promise<ClonePreflight> {
  const { identifier, target } = input;
  const list = checkList();
  const { checks, pass, fail, warn } = list;
  const source = await kind.find(rds, identifier, 'clone');
  if (!source) {
    fail(`${kind.noun} exists`, `No ${kind.label} ${identifier} in this region. Check --identifier and --region (or AWS_REGION).`);
    return { checks };
  }
  const { engine, engineVersion, summary } = kind.describeConfig(source.config);
  pass(`${kind.noun} exists`, `${identifier} (${summary}); it is only read`);
  if (input.freshSnapshot && source.status !== 'available') {
    fail(
      `${kind.noun} available`,
      `${identifier} is ${source.status}; a fresh snapshot needs it available. Wait, or clone an existing snapshot.`,
    );
  }
  const kindChecks = checkList();
  await kind.check(rds, { described: source, config }, kindChecks);
  checks.push(...kindChecks.checks.filter((c) => !IN_PLACE_ONLY.has(c.name)));
  if (source.masterUserSecret) {
    warn(
      'master password secret',
      input.manageMasterUserPassword
        ? `${identifier}'s master password is managed in Secrets Manager; the clone gets its own new secret (same KMS key, new password), reported at the end.`
        : `${identifier}'s master password is managed in Secrets Manager, which a restore does not copy: the clone keeps the password the snapshot holds, unmanaged. Add --manage-master-password to give it its own managed secret.`,
    );
  }

  let from: Pick<ClonePlan, 'snapshotIdentifier' | 'snapshotSource' | 'source'> | undefined;
  if (input.toTime !== undefined || input.latestRestorable) {
    // The source's automated backups, inside its restorable window (checked as for a restore).
    const flags = { identifier, freshSnapshot: false, toTime: input.toTime, latestRestorable: input.latestRestorable };
    const resolved = await resolveRestoreSource(kind, rds, flags, source, now, list);
    if (resolved) from = { source: resolved.source, snapshotSource: 'point-in-time' };
  } else {
    const snapshotChecks: PreflightCheck[] = [];
    const snapshot = await resolveSnapshot(kind.snapshots(rds), input, now, snapshotChecks);
    for (const check of snapshotChecks) {
      if (check.name !== 'snapshot of another database') checks.push(check);
      else if (snapshot.info) {
        warn(
          check.name,
          `Snapshot ${snapshot.info.identifier} was taken of ${snapshot.info.sourceIdentifier}: ${target} gets its data with ${identifier}'s configuration.`,
        );
      }
    }
    checkSnapshotEngine(snapshot.info, identifier, engine, engineVersion, list);
    if (snapshot.identifier) from = { snapshotIdentifier: snapshot.identifier, snapshotSource: snapshot.source };
  }

  const members = kind.members
    ? (source.members ?? []).map((m) => ({
        identifier: m.instanceIdentifier,
        target: cloneMemberName(identifier, target, m.instanceIdentifier),
      }))
    : [];
  await checkNamesFree(
    rds,
    target,
    members.map((m) => m.target),
    list,
  );
  await checkQuota(rds, kind.quotaNeeds(source), list);
  const { instanceClass, dbSubnetGroupName, vpcSecurityGroupIds, parameterGroupName } = input.overrides;
  const given = [
    instanceClass && `instance class ${instanceClass}`,
    dbSubnetGroupName && `subnet group ${dbSubnetGroupName}`,
    vpcSecurityGroupIds && `security groups ${vpcSecurityGroupIds.join(', ')}`,
    parameterGroupName && `${kind.noun === 'cluster' ? 'DB cluster ' : 'DB '}parameter group ${parameterGroupName}`,
  ].filter(Boolean);
  if (given.length > 0) {
    // The RDS port has no describe of groups (and security groups are EC2's): RDS checks them at the restore.
    warn(
      'overrides',
      `${given.join('; ')} instead of ${identifier}'s. Not looked up beforehand: if RDS refuses one, the restore fails and whatever was created is deleted.`,
    );
  }

  if (!list.ok() || !from) return { checks };
  return {
    checks,
    plan: {
      identifier,
      target,
      members,
      ...from,
      overrides: input.overrides,
      manageMasterUserPassword: input.manageMasterUserPassword,
      retain: config.snapshots.retain,
    },
  };
}

/** The snapshot's engine must be the source's, its major version too (parameter and option groups are per family). */
function checkSnapshotEngine(
  info: { identifier: string; engine: string; engineVersion?: string | undefined } | undefined,
  identifier: string,
  engine: string,
  engineVersion: string,
  list: CheckList,
): void {
  if (!info) return;
  if (info.engine !== engine) {
    list.fail('snapshot engine', `Snapshot ${info.identifier} is of engine ${info.engine}, ${identifier} runs ${engine}.`);
  } else if (info.engineVersion && info.engineVersion !== engineVersion) {
    if (majorVersion(engine, info.engineVersion) !== majorVersion(engine, engineVersion)) {
      list.fail(
        'snapshot engine version',
        `Snapshot ${info.identifier} is of ${engine} ${info.engineVersion}, ${identifier} runs ${engineVersion}: another major version, whose parameter and option groups differ.`,
      );
    } else
      list.warn(
        'snapshot engine version',
        `Snapshot ${info.identifier} is of ${engine} ${info.engineVersion}; the clone runs it until upgraded.`,
      );
  }
}

/**
 * The new names must be valid and free — the clone's in both name spaces (an instance and a
 * cluster of one name would confuse every later command), each member's among instances.
 * RDS-compatible emulators do not always refuse a taken name, so this is checked, not assumed.
 */
async function checkNamesFree(rds: RdsGateway, target: string, members: string[], list: CheckList): Promise<void> {
  const invalid = members.flatMap((name) => {
    const reason = invalidIdentifierReason(name);
    return reason ? [`${name} (${reason})`] : [];
  });
  if (invalid.length > 0)
    return list.fail('member identifiers', `Not valid identifiers: ${invalid.join(', ')}. Choose a shorter --target.`);
  const taken: string[] = [];
  if (await rds.describeInstance(target)) taken.push(`${target} (a DB instance)`);
  if (await rds.describeCluster(target)) taken.push(`${target} (a DB cluster)`);
  for (const name of members) if (await rds.describeInstance(name)) taken.push(`${name} (a DB instance)`);
  if (taken.length > 0) {
    return list.fail(
      'target identifier free',
      `${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''}. Choose another --target, or delete what is there.`,
    );
  }
  list.pass('target identifier free', [target, ...members].join(', ') + (members.length === 0 ? ' is free' : ' are free'));
}

async function checkQuota(rds: RdsGateway, needs: { instances: number; clusters: number }, list: CheckList): Promise<void> {
  const quotas = await rds.describeQuotas();
  const quota = (what: string, used: number | undefined, max: number | undefined, need: number): void => {
    if (need === 0) return;
    if (used === undefined || max === undefined) return list.warn(`${what} quota`, `The ${what} quota could not be read; not checked.`);
    if (max - used >= need) return list.pass(`${what} quota`, `${max - used} more ${what}s allowed; the clone needs ${need}`);
    return list.fail(
      `${what} quota`,
      `The account has room for ${max - used} more ${what}s (${used}/${max}); the clone needs ${need}. Ask for a quota increase or free some.`,
    );
  };
  quota('DB cluster', quotas.clustersUsed, quotas.clustersMax, needs.clusters);
  quota('DB instance', quotas.instancesUsed, quotas.instancesMax, needs.instances);
}
