import type { RdsGateway, RestorableWindow } from '../../aws/rds-gateway.js';
import { majorVersion } from '../../core/engine-version.js';
import { UsageError } from '../../core/errors.js';
import type { SnapshotInfo } from '../../core/rds-resources.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import type { DescribedResource } from '../resources/resource-ops.js';
import { resolveSnapshot } from '../snapshot/resolve-snapshot.js';
import type { CheckList } from './check-list.js';
import type { RestorePlan } from './restore-plan.js';
import { describeRestoreSource, type RestoreSource } from './restore-source.js';

/** What the user asked the data to come from. */
export interface SourceFlags {
  identifier: string;
  snapshot?: string | undefined;
  freshSnapshot: boolean;
  /** `--from`: another database's snapshot (or, with a time, its point in time). */
  from?: string | undefined;
  /** `--to-time`. */
  toTime?: Date | undefined;
  /** `--latest-restorable`. */
  latestRestorable?: boolean | undefined;
  export?: unknown;
}

/** The source a preflight resolved, in the plan's terms. */
export interface ResolvedSource {
  source: RestoreSource;
  snapshotIdentifier?: string | undefined;
  snapshotSource: RestorePlan['snapshotSource'];
}

/**
 * Combinations of source flags that mean nothing, refused before any AWS call (exit 2). A
 * point in time has no snapshot (so nothing to export), and `--fresh-snapshot` snapshots the
 * database being restored, which `--from` replaces as the source.
 */
export function checkSourceFlags(flags: SourceFlags): void {
  const pointInTime = flags.toTime !== undefined || flags.latestRestorable === true;
  if (flags.toTime !== undefined && flags.latestRestorable)
    throw new UsageError('--to-time and --latest-restorable cannot be used together.', { hint: 'Give one point in time.' });
  if (pointInTime && (flags.snapshot !== undefined || flags.freshSnapshot)) {
    throw new UsageError(`${flags.toTime ? '--to-time' : '--latest-restorable'} restores a point in time, not a snapshot.`, {
      hint: 'Drop --snapshot / --fresh-snapshot, or drop the point in time.',
    });
  }
  if (pointInTime && flags.export) throw new UsageError('--export exports a snapshot; a point-in-time restore has none.');
  if (flags.from !== undefined && flags.from.toLowerCase() === flags.identifier.toLowerCase())
    throw new UsageError(`--from ${flags.from} names the database being restored.`, {
      hint: 'Drop --from to restore it from its own snapshots.',
    });
  if (flags.from !== undefined && flags.freshSnapshot) {
    throw new UsageError('--fresh-snapshot snapshots the database being restored, not the --from database.', {
      hint: `Take one of ${flags.from} first (trapheus snapshot-only --identifier ${flags.from}); --from then picks it as the newest.`,
    });
  }
}

/**
 * Parses `--to-time`: ISO 8601 with a UTC offset (`2026-11-26T09:30:00Z`,
 * `2026-11-26T10:30:00+01:00`). A time without one is refused rather than read in the local
 * zone of whatever host runs the restore.
 */
export function parseRestoreTime(text: string): Date {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
  const time = new Date(text);
  if (!iso.test(text.trim()) || Number.isNaN(time.getTime())) {
    throw new UsageError(`--to-time ${text} is not an ISO 8601 time with a UTC offset.`, {
      hint: 'Write it like 2026-11-26T09:30:00Z (UTC) or 2026-11-26T10:30:00+01:00.',
    });
  }
  return time;
}

type Version = { engine: string; engineVersion: string };

/** A restore comes back at the source's engine version; parameter and option groups belong to a major version's family. */
export function checkEngine(list: CheckList, what: string, data: Version, target: Version, identifier: string, sayMatch = true): void {
  if (data.engine !== target.engine) {
    list.fail(`${what} engine`, `${what} is of engine ${data.engine}, ${identifier} runs ${target.engine}.`);
  } else if (data.engineVersion !== target.engineVersion) {
    if (majorVersion(data.engine, data.engineVersion) !== majorVersion(target.engine, target.engineVersion)) {
      list.fail(
        `${what} engine version`,
        `${what} is of ${data.engine} ${data.engineVersion}, ${identifier} runs ${target.engineVersion}: another major version, whose parameter and option groups differ. Restore a source of the same major version, or upgrade first.`,
      );
    } else {
      list.warn(
        `${what} engine version`,
        `${what} is of ${data.engine} ${data.engineVersion}; ${identifier} runs ${target.engineVersion}. The restored copy runs ${data.engineVersion} until upgraded.`,
      );
    }
  } else if (sayMatch) list.pass(`${what} engine`, `${data.engine} ${data.engineVersion}, as ${identifier}`);
}

const iso = (d: Date | undefined): string => d?.toISOString() ?? 'unknown';

/** Says where the data and where the configuration come from (only where they differ from a plain restore). */
function sayOrigins(list: CheckList, identifier: string, source: RestoreSource, from: string | undefined): void {
  const data = source.kind === 'snapshot' ? `${from ?? identifier}'s ${describeRestoreSource(source)}` : describeRestoreSource(source);
  list.pass(
    'data and configuration',
    `data: ${data}; configuration: ${identifier}'s own (instance class, storage, parameter and option groups, security groups, subnet group, backups, monitoring, deletion protection, tags…), captured before the first change.`,
  );
  if (from)
    list.warn('data of another database', `${identifier} will be replaced by a copy of ${from}'s data; ${from} itself is only read.`);
}

/**
 * The restorable window check of a point-in-time restore: a time in the future, after the
 * latest restorable time or before the earliest is refused (RDS: "Must be before the latest
 * restorable time for the DB instance"; API reference: RestoreDBInstanceToPointInTime,
 * RestoreTime; RestoreDBClusterToPointInTime, RestoreToTime).
 */
function checkWindow(list: CheckList, source: string, window: RestorableWindow | undefined, time: Date | undefined, now: Date): boolean {
  const span = `${window?.earliestIsBound ? 'not before its creation at ' : ''}${iso(window?.earliest)} – ${iso(window?.latest)}`;
  if (time && time.getTime() > now.getTime()) {
    list.fail(
      'restore time',
      `${time.toISOString()} is in the future (now ${now.toISOString()}). Choose a past time inside ${source}'s restorable window.`,
    );
    return false;
  }
  if (!window?.latest) {
    const off = window?.backupRetentionPeriod === 0;
    list.fail(
      'restorable window',
      off
        ? `${source} has no point-in-time history: its automated backups are off (backup retention period 0). Restore a snapshot instead.`
        : `${source} reports no latest restorable time yet (a new database has none until its first backup). Try again later or restore a snapshot.`,
    );
    return false;
  }
  if (!time) {
    list.pass('restore time', `${source}'s latest restorable time (now ${iso(window.latest)}); restorable window ${span}`);
    return true;
  }
  if (time.getTime() > window.latest.getTime()) {
    list.fail(
      'restore time',
      `${time.toISOString()} is after ${source}'s latest restorable time ${iso(window.latest)} (RDS keeps it within about five minutes of now); restorable window ${span}. Choose an earlier time, or --latest-restorable.`,
    );
    return false;
  }
  if (window.earliest && time.getTime() < window.earliest.getTime()) {
    list.fail(
      'restore time',
      `${time.toISOString()} is before ${source}'s restorable window ${span}. Choose a later time, or restore a snapshot.`,
    );
    return false;
  }
  list.pass('restore time', `${time.toISOString()} is inside ${source}'s restorable window ${span}`);
  return true;
}

/** The newest available snapshot, manual (trapheus's or not) or automated: a refresh wants the freshest data. */
function newestAvailable(snapshots: readonly SnapshotInfo[]): SnapshotInfo | undefined {
  return snapshots
    .filter((s) => s.status === 'available')
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0) || b.identifier.localeCompare(a.identifier))[0];
}

/**
 * Resolves where a restore's data comes from and adds its checks: a snapshot of the database
 * (named, fresh, newest own, predecessor's), a snapshot of another one (`--from`: named, or its
 * newest available, manual or automated), or a point in time of either (`--to-time`,
 * `--latest-restorable`) inside the source's restorable window. Engine and major version must
 * match the restored database's, whose configuration is carried over whatever the source.
 */
export async function resolveRestoreSource<C, M>(
  kind: ResourceKind<C, M>,
  rds: RdsGateway,
  flags: SourceFlags,
  target: DescribedResource<C>,
  now: Date,
  list: CheckList,
): Promise<ResolvedSource | undefined> {
  const { identifier, from } = flags;
  const targetVersion = kind.describeConfig(target.config);

  if (flags.toTime !== undefined || flags.latestRestorable) {
    const sourceIdentifier = from ?? identifier;
    const described = from ? await kind.ops(rds).describe(from) : target;
    if (!described) {
      list.fail('point-in-time source', `No ${kind.label} ${from ?? ''} in this region to restore a point in time of. Check --from.`);
      return undefined;
    }
    if (from) checkEngine(list, from, kind.describeConfig(described.config), targetVersion, identifier);
    const window = await kind.ops(rds).restorableWindow(sourceIdentifier);
    if (!checkWindow(list, sourceIdentifier, window, flags.toTime, now)) return undefined;
    const source: RestoreSource = {
      kind: 'point-in-time',
      sourceIdentifier: described.identifier,
      sourceResourceId: described.resourceId,
      ...(described.createdAt ? { sourceCreatedAt: described.createdAt.toISOString() } : {}),
      ...(flags.toTime ? { restoreTime: flags.toTime.toISOString(), latest: false } : { latest: true }),
    };
    sayOrigins(list, identifier, source, from);
    return { source, snapshotSource: 'point-in-time' };
  }

  const snapshots = kind.snapshots(rds);
  if (!from) {
    const choice = await resolveSnapshot(snapshots, flags, now, list.checks);
    if (choice.info)
      checkEngine(
        list,
        `Snapshot ${choice.info.identifier}`,
        { engine: choice.info.engine, engineVersion: choice.info.engineVersion ?? targetVersion.engineVersion },
        targetVersion,
        identifier,
        false,
      );
    if (!choice.identifier) return undefined;
    return {
      source: { kind: 'snapshot', snapshotIdentifier: choice.identifier },
      snapshotIdentifier: choice.identifier,
      snapshotSource: choice.source,
    };
  }

  let info: SnapshotInfo | undefined;
  let snapshotSource: ResolvedSource['snapshotSource'] = 'named';
  if (flags.snapshot) {
    info = await snapshots.describe(flags.snapshot);
    if (!info) {
      list.fail(
        'snapshot',
        `Snapshot ${flags.snapshot} not found. List ${from}'s snapshots with \`trapheus snapshots --identifier ${from}${kind.flag}\`.`,
      );
      return undefined;
    }
    if (info.sourceIdentifier && info.sourceIdentifier.toLowerCase() !== from.toLowerCase()) {
      list.fail('snapshot', `Snapshot ${info.identifier} was taken of ${info.sourceIdentifier}, not of ${from} (--from).`);
      return undefined;
    }
  } else {
    info = newestAvailable(await snapshots.listAll(from));
    snapshotSource = 'other-database';
    if (!info) {
      list.fail(
        'snapshot',
        `No available snapshot of ${from}: take one with \`trapheus snapshot-only --identifier ${from}${kind.flag}\`, name one with --snapshot, or restore a point in time of it (--to-time, --latest-restorable).`,
      );
      return undefined;
    }
  }
  if (info.status !== 'available') {
    list.fail('snapshot', `Snapshot ${info.identifier} is ${info.status}, not available; wait for it or choose another.`);
    return undefined;
  }
  const snapshotIdentifier = flags.snapshot ?? info.identifier;
  list.pass(
    'snapshot',
    `${info.identifier} (${snapshotSource === 'named' ? 'named' : `newest available snapshot of ${from}, manual or automated`}: ${info.snapshotType || 'manual'}, taken ${iso(info.createdAt)})`,
  );
  checkEngine(
    list,
    `Snapshot ${info.identifier}`,
    { engine: info.engine, engineVersion: info.engineVersion ?? targetVersion.engineVersion },
    targetVersion,
    identifier,
  );
  const source: RestoreSource = { kind: 'snapshot', snapshotIdentifier, of: from };
  sayOrigins(list, identifier, source, from);
  return { source, snapshotIdentifier, snapshotSource };
}
