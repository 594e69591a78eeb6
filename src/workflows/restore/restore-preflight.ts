import type { RdsGateway } from '../../aws/rds-gateway.js';
import type { Config } from '../../config/config-schema.js';
import type { PreflightCheck } from '../../core/run-summary.js';
import {
  assertValidIdentifier,
  derivedIdentifier,
  identifierTimestamp,
  invalidIdentifierReason,
  MAX_SNAPSHOT_IDENTIFIER_LENGTH,
} from '../identifiers.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import { instanceOps } from '../resources/resource-ops.js';
import { checkBlueGreen } from './check-blue-green.js';
import { checkList } from './check-list.js';
import { checkManagedSecret } from './check-managed-secret.js';
import { planCustomEndpoints } from './endpoint-steps.js';
import { pickFailoverTarget } from './failover-steps.js';
import type { RestorePlan } from './restore-plan.js';
import { resolveRestoreSource } from './restore-source-preflight.js';
import { needsCopy, resolveCopySource } from './copy-snapshot-preflight.js';

/** The suffix of the renamed original (the predecessor's, so its users recognise it). */
export const RETIRED_SUFFIX = '-temp';
/** The suffix of the copy a swap restores and prepares while the original keeps serving. */
export const RESTORING_SUFFIX = '-restoring';

/** What the user asked for. */
export interface RestoreInput {
  identifier: string;
  snapshot?: string | undefined;
  freshSnapshot: boolean;
  strategy: 'rename-first' | 'swap';
  /** Take a final snapshot of the replaced database before deleting it. */
  finalSnapshot: boolean;
  /** Give the copy a new Secrets-Manager-managed master password where the original has one. */
  manageMasterUserPassword?: boolean | undefined;
  /** `--from`: the data of another database (its snapshot, or with a time its point in time); the configuration stays this one's. */
  from?: string | undefined;
  /** `--to-time`: restore the data as it was then (point-in-time restore). */
  toTime?: Date | undefined;
  /** `--latest-restorable`: restore the data at the latest restorable time. */
  latestRestorable?: boolean | undefined;
  /** `--source-region`: the `--snapshot` is in that region, copied here first (copy-snapshot.ts). */
  sourceRegion?: string | undefined;
}

/** The plan (if one could be made) and every check, passed or failed. */
export interface RestorePreflight {
  plan?: RestorePlan | undefined;
  checks: PreflightCheck[];
}

/**
 * Read-only checks before a restore of any kind changes anything, and the plan they resolve:
 * the database and its members are there and available, the kind's own conditions hold, the
 * snapshot is usable, every temporary name is valid and free, quotas allow the copies, and
 * nothing makes an in-place restore unsafe. Pointing at a database of another kind is a usage
 * error naming the right flag.
 */
export async function preflightRestore<C, M>(
  kind: ResourceKind<C, M>,
  rds: RdsGateway,
  input: RestoreInput,
  config: Config,
  now: Date,
): Promise<RestorePreflight> {
  const { identifier } = input;
  assertValidIdentifier(identifier);
  const list = checkList();
  const { checks, pass, fail, warn } = list;
  const exists = `${kind.noun} exists`;

  const target = await kind.find(rds, identifier, 'restore');
  if (!target) {
    fail(exists, `No ${kind.label} ${identifier} in this region. Check --identifier and --region (or AWS_REGION).`);
    return { checks };
  }
  const { summary } = kind.describeConfig(target.config);
  pass(exists, `${identifier} (${summary})`);
  if (target.status === 'available') pass(`${kind.noun} available`, 'available');
  else fail(`${kind.noun} available`, `${identifier} is ${target.status}; wait until it is available and try again.`);
  // A rename with ApplyImmediately also applies every pending modification (class change,
  // engine upgrade…): the original must not change under the restore (user guide: Renaming a DB instance).
  const pending = (target.pendingModifications ?? []).filter((name) => name !== 'DBInstanceIdentifier' && name !== 'DBClusterIdentifier');
  if (pending.length > 0) {
    fail(
      'no pending modifications',
      `${identifier} has pending modifications (${pending.join(', ')}); a rename would apply them. Apply them (or cancel them) first, then restore.`,
    );
  }
  await checkBlueGreen(rds, identifier, target.arn, list);
  await kind.check(rds, { described: target, config }, list);
  checkManagedSecret(target.masterUserSecret, kind.noun, identifier, input.manageMasterUserPassword ?? false, list);

  // Where the data comes from (a snapshot, another database's, a point in time); the configuration is always the target's.
  // A snapshot of another account or region is copied into this one first.
  const copying = needsCopy(input, target.arn);
  const copied = copying ? await resolveCopySource(kind, rds, input, target, config, now, list) : undefined;
  const source = copying ? copied : await resolveRestoreSource(kind, rds, input, target, now, list);

  const swap = input.strategy === 'swap';
  const temporary = (name: string) => ({
    retiredIdentifier: derivedIdentifier(name, RETIRED_SUFFIX),
    ...(swap ? { restoringIdentifier: derivedIdentifier(name, RESTORING_SUFFIX) } : {}),
  });
  const names = temporary(identifier);
  const members = kind.members
    ? (target.members ?? []).map((m) => ({ identifier: m.instanceIdentifier, ...temporary(m.instanceIdentifier) }))
    : [];
  const failoverTarget = pickFailoverTarget(target.members ?? []);
  const namesOf = (n: { retiredIdentifier: string; restoringIdentifier?: string }) => [
    n.retiredIdentifier,
    ...(n.restoringIdentifier ? [n.restoringIdentifier] : []),
  ];
  const primaryTemps = namesOf(names);
  const memberTemps = members.flatMap(namesOf);
  const invalid = [...primaryTemps, ...memberTemps].flatMap((name) => {
    const reason = invalidIdentifierReason(name);
    return reason ? [`${name} (${reason})`] : [];
  });
  const taken: string[] = [];
  const ops = kind.ops(rds);
  for (const name of primaryTemps) if (await ops.describe(name)) taken.push(name);
  for (const name of memberTemps) if (await instanceOps(rds).describe(name)) taken.push(name);
  if (invalid.length > 0) fail('temporary identifiers', `Not valid identifiers: ${invalid.join(', ')}.`);
  else if (taken.length > 0) {
    fail(
      'temporary identifiers free',
      `${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''}. A previous run may have left ${taken.length === 1 ? 'it' : 'them'}: check \`trapheus runs\`, or rename or delete ${taken.length === 1 ? 'it' : 'them'}.`,
    );
  } else
    pass(
      'temporary identifiers free',
      `${[...primaryTemps, ...memberTemps].join(', ')} ${primaryTemps.length + memberTemps.length === 1 ? 'is' : 'are'} free`,
    );

  const finalSnapshotIdentifier = input.finalSnapshot
    ? derivedIdentifier(`${identifier}-final`, `-${identifierTimestamp(now)}`, MAX_SNAPSHOT_IDENTIFIER_LENGTH)
    : undefined;
  if (finalSnapshotIdentifier && (await kind.snapshots(rds).describe(finalSnapshotIdentifier))) {
    fail('final snapshot name free', `Snapshot ${finalSnapshotIdentifier} already exists.`);
  }

  const customEndpoints = kind.customEndpoints ? await planCustomEndpoints(rds, identifier, list) : undefined;

  await checkQuotas(rds, kind.quotaNeeds(target), list);

  if (target.deletionProtection) {
    warn(
      'deletion protection',
      `${identifier} has deletion protection: it will be turned off on the renamed original only, just before it is deleted; the restored ${kind.noun} keeps it.`,
    );
  }

  if (!list.ok() || !source) return { checks };
  return {
    checks,
    plan: {
      identifier,
      ...names,
      strategy: input.strategy,
      members,
      // swap, a cluster with readers: the writer-last cut-over (failover-steps.ts).
      ...(swap && kind.members && failoverTarget ? { failoverTarget } : {}),
      snapshotIdentifier: source.snapshotIdentifier,
      snapshotSource: source.snapshotSource,
      source: source.source,
      ...(copied ? { copy: copied.copy } : {}),
      finalSnapshotIdentifier,
      ...(customEndpoints ? { customEndpoints } : {}),
      keepAutomatedBackups: config.restore.keepAutomatedBackups,
      retain: config.snapshots.retain,
    },
  };
}

/** Both strategies keep the original while the copy exists: the account needs room for the copies. */
async function checkQuotas(
  rds: RdsGateway,
  needs: { instances: number; clusters: number },
  list: ReturnType<typeof checkList>,
): Promise<void> {
  const quotas = await rds.describeQuotas();
  const quota = (what: string, used: number | undefined, max: number | undefined, need: number): void => {
    if (need === 0) return;
    if (used === undefined || max === undefined) return list.warn(`${what} quota`, `The ${what} quota could not be read; not checked.`);
    if (max - used >= need)
      return list.pass(`${what} quota`, `${max - used} more ${what}s allowed; the restore needs ${need} while the original is kept`);
    return list.fail(
      `${what} quota`,
      `The account has room for ${max - used} more ${what}s (${used}/${max}); the restore needs ${need} while the original is kept, whatever the strategy. Ask for a quota increase or free some.`,
    );
  };
  quota('DB cluster', quotas.clustersUsed, quotas.clustersMax, needs.clusters);
  quota('DB instance', quotas.instancesUsed, quotas.instancesMax, needs.instances);
}
