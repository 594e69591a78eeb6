import type { RdsGateway } from '../../aws/rds-gateway.js';
import type { Config } from '../../config/config-schema.js';
import { UsageError } from '../../core/errors.js';
import { derivedIdentifier, identifierTimestamp, MAX_SNAPSHOT_IDENTIFIER_LENGTH } from '../identifiers.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import type { DescribedResource } from '../resources/resource-ops.js';
import type { CheckList } from './check-list.js';
import type { RestorePlan } from './restore-plan.js';
import { checkEngine, type ResolvedSource } from './restore-source-preflight.js';

/** What the user asked to copy: `--snapshot` (an ARN of another account or region, or an id with `--source-region`). */
export interface CopyFlags {
  identifier: string;
  snapshot?: string | undefined;
  sourceRegion?: string | undefined;
  freshSnapshot?: boolean | undefined;
  from?: string | undefined;
  toTime?: unknown;
  latestRestorable?: boolean | undefined;
}

/** A resolved source whose snapshot is first copied into this account and region. */
export interface ResolvedCopy extends ResolvedSource {
  copy: NonNullable<RestorePlan['copy']>;
}

/** `arn:aws:rds:REGION:ACCOUNT:snapshot:NAME` (or `cluster-snapshot`): its region and account. */
function arnParts(arn: string): { region: string; account: string } | undefined {
  const parts = arn.split(':');
  return arn.startsWith('arn:') && parts.length >= 7 ? { region: parts[3] ?? '', account: parts[4] ?? '' } : undefined;
}

/**
 * Whether the snapshot must be copied before a restore: an ARN naming another account or
 * region than the restored database's (its own ARN says which are this run's), or
 * `--source-region` naming another region. A shared snapshot can be restored only in the
 * region it is in, and an encrypted shared one only after a copy re-encrypted with a key of
 * this account (user guide: Sharing a DB snapshot; Copying a DB snapshot).
 */
export function needsCopy(flags: Pick<CopyFlags, 'snapshot' | 'sourceRegion'>, targetArn: string): boolean {
  const here = arnParts(targetArn);
  if (flags.sourceRegion !== undefined) return flags.sourceRegion !== here?.region;
  const there = flags.snapshot && arnParts(flags.snapshot);
  return Boolean(there && here && (there.region !== here.region || there.account !== here.account));
}

/** Combinations of `--source-region` that mean nothing, refused before any AWS call (exit 2). */
export function checkCopyFlags(flags: CopyFlags): void {
  if (flags.sourceRegion === undefined) return;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(flags.sourceRegion))
    throw new UsageError(`--source-region ${flags.sourceRegion} is not an AWS region.`, { hint: 'Write it like eu-west-1.' });
  if (flags.snapshot === undefined)
    throw new UsageError('--source-region names where the --snapshot to copy is.', {
      hint: 'Add --snapshot <id or ARN of the snapshot in that region>.',
    });
  const other = flags.freshSnapshot
    ? '--fresh-snapshot'
    : flags.from !== undefined
      ? '--from'
      : flags.toTime !== undefined || flags.latestRestorable
        ? 'a point in time'
        : undefined;
  if (other) throw new UsageError(`--source-region copies a --snapshot from another region; it cannot be used with ${other}.`);
}

/**
 * The checks of a restore from a snapshot of another account or region, and its source: the
 * snapshot is visible to this account (shared with it: DescribeDBSnapshots with IncludeShared),
 * available, of the restored database's engine and major version; an encrypted one needs
 * `restore.copyKmsKeyId`; the copy's name (from the run's time, journaled with the plan) is free.
 */
export async function resolveCopySource<C, M>(
  kind: ResourceKind<C, M>,
  rds: RdsGateway,
  flags: CopyFlags,
  target: DescribedResource<C>,
  config: Config,
  now: Date,
  list: CheckList,
): Promise<ResolvedCopy | undefined> {
  const { identifier } = flags;
  const snapshot = flags.snapshot ?? '';
  // A snapshot is described in its own region: --source-region's, or the region of its ARN.
  const arnRegion = arnParts(snapshot)?.region;
  const region = flags.sourceRegion ?? (arnRegion && arnRegion !== arnParts(target.arn)?.region ? arnRegion : undefined);
  const where = region ? ` in ${region}` : '';
  const found = await rds.describeSnapshotToCopy(kind.noun, snapshot, region);
  if (!found) {
    list.fail(
      'snapshot to copy',
      `Snapshot ${snapshot}${where} is not visible to this account. If it is in another account, share it with this one there (trapheus snapshot-only --identifier <db> --share-with <this account id>, or ModifyDBSnapshotAttribute) and give its full ARN; check --source-region.`,
    );
    return undefined;
  }
  const { info, encrypted } = found;
  if (info.status !== 'available') {
    list.fail('snapshot to copy', `Snapshot ${info.arn || snapshot} is ${info.status}, not available; wait for it or choose another.`);
    return undefined;
  }
  if (flags.from && info.sourceIdentifier.toLowerCase() !== flags.from.toLowerCase()) {
    list.fail('snapshot to copy', `Snapshot ${info.arn || snapshot} was taken of ${info.sourceIdentifier}, not of ${flags.from} (--from).`);
    return undefined;
  }
  list.pass(
    'snapshot to copy',
    `${info.arn || snapshot} (of ${info.sourceIdentifier}, taken ${info.createdAt?.toISOString() ?? 'unknown'})`,
  );
  const targetVersion = kind.describeConfig(target.config);
  checkEngine(
    list,
    `Snapshot ${info.identifier}`,
    { engine: info.engine, engineVersion: info.engineVersion ?? targetVersion.engineVersion },
    targetVersion,
    identifier,
  );
  const kmsKeyId = config.restore.copyKmsKeyId;
  if (encrypted && !kmsKeyId) {
    list.fail(
      'KMS key for the copy',
      `Snapshot ${info.identifier} is encrypted: its copy must be re-encrypted with a KMS key of this account. Set restore.copyKmsKeyId in the config (a key id, ARN or alias of this account and region); the source account must let this account use its key (see the README, "Restoring a snapshot of another account or region").`,
    );
  } else if (encrypted) list.pass('KMS key for the copy', `encrypted: the copy is re-encrypted with ${kmsKeyId ?? ''}`);
  const copyName = derivedIdentifier(`${identifier}-copy`, `-${identifierTimestamp(now)}`, MAX_SNAPSHOT_IDENTIFIER_LENGTH);
  if (await kind.snapshots(rds).describe(copyName)) {
    list.fail('copy name free', `Snapshot ${copyName} already exists; wait a second and try again.`);
    return undefined;
  }
  list.pass('copy', `${info.arn} is first copied into this account and region as ${copyName} (tagged as trapheus's), then restored`);
  return {
    source: { kind: 'snapshot', snapshotIdentifier: copyName, of: info.sourceIdentifier },
    snapshotIdentifier: copyName,
    snapshotSource: 'named',
    copy: {
      sourceArn: info.arn,
      ...(flags.sourceRegion ? { sourceRegion: flags.sourceRegion } : {}),
      encrypted,
      ...(encrypted && kmsKeyId ? { kmsKeyId } : {}),
    },
  };
}
