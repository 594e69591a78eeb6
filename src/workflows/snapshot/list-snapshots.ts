import type { RdsGateway } from '../../aws/rds-gateway.js';
import { PreconditionError } from '../../core/errors.js';
import type { SnapshotInfo } from '../../core/rds-resources.js';
import type { Clock } from '../../time/clock.js';
import { assertValidIdentifier } from '../identifiers.js';
import { kindNamed, type KindName } from '../kinds/registry.js';
import { isManagedSnapshotOf, RUN_TAG } from './snapshot-tags.js';

/** One snapshot as `trapheus snapshots` lists it. */
export interface SnapshotEntry {
  identifier: string;
  arn: string;
  /** `manual` or `automated` (as RDS says). */
  type: string;
  status: string;
  createdAt?: string | undefined;
  /** Seconds between its creation and now. */
  ageSeconds?: number | undefined;
  /** The storage it was taken of, in GiB (AllocatedStorage). */
  allocatedStorageGiB?: number | undefined;
  engine: string;
  engineVersion?: string | undefined;
  /** trapheus took it (tagged trapheus:managed and trapheus:source with this database). */
  trapheus: boolean;
  /** The run that took it, when trapheus did. */
  runId?: string | undefined;
}

/** What a database can be restored from: its snapshots, newest first, and its point-in-time window. */
export interface SnapshotListing {
  identifier: string;
  cluster: boolean;
  /** Whether the database exists now (its snapshots outlive it), and its state. */
  database: { exists: boolean; status?: string | undefined; engine?: string | undefined; engineVersion?: string | undefined };
  /** Absent when the database does not exist; `latest` absent when it has no point-in-time history. */
  restorableWindow?:
    | {
        backupRetentionPeriod?: number | undefined;
        earliest?: string | undefined;
        /** `earliest` is the creation time (a bound): RDS did not report the window's start. */
        earliestIsBound?: boolean | undefined;
        latest?: string | undefined;
      }
    | undefined;
  snapshots: SnapshotEntry[];
}

function entryOf(snapshot: SnapshotInfo, identifier: string, now: Date): SnapshotEntry {
  const trapheus = isManagedSnapshotOf(snapshot, identifier);
  const runId = trapheus ? snapshot.tags.find((t) => t.key === RUN_TAG)?.value : undefined;
  return {
    identifier: snapshot.identifier,
    arn: snapshot.arn,
    type: snapshot.snapshotType || 'manual',
    status: snapshot.status,
    createdAt: snapshot.createdAt?.toISOString(),
    ageSeconds: snapshot.createdAt ? Math.max(0, Math.round((now.getTime() - snapshot.createdAt.getTime()) / 1000)) : undefined,
    allocatedStorageGiB: snapshot.allocatedStorage,
    engine: snapshot.engine,
    engineVersion: snapshot.engineVersion,
    trapheus,
    ...(runId ? { runId } : {}),
  };
}

/**
 * Lists what a database can be restored from, read-only: manual (trapheus's own marked) and
 * automated snapshots, newest first, and the point-in-time restorable window. A database of the
 * other kind is a usage error naming the right flag; a database that is gone still lists the
 * snapshots it left; neither database nor snapshot is a failed precondition (exit 3).
 */
export async function listDatabaseSnapshots(
  deps: { rds: RdsGateway; clock: Clock },
  request: { identifier: string; kind: KindName },
): Promise<SnapshotListing> {
  const identifier = request.identifier.toLowerCase();
  assertValidIdentifier(identifier);
  const kind = kindNamed(request.kind);
  const described = await kind.find(deps.rds, identifier, 'snapshots');
  const cluster = kind.noun === 'cluster';
  const [snapshots, window] = await Promise.all([
    kind.snapshots(deps.rds).listAll(identifier),
    described
      ? cluster
        ? deps.rds.describeClusterRestorableWindow(identifier)
        : deps.rds.describeInstanceRestorableWindow(identifier)
      : undefined,
  ]);
  if (!described && snapshots.length === 0) {
    throw new PreconditionError(`No ${kind.label} ${identifier} and no snapshot of it in this region.`, {
      hint: `Check --identifier${cluster ? '' : ' (add --cluster for an Aurora cluster)'} and --region (or AWS_REGION).`,
    });
  }
  const now = deps.clock.now();
  const config = described?.config as { engine?: string; engineVersion?: string } | undefined;
  return {
    identifier,
    cluster,
    database: described
      ? { exists: true, status: described.status, engine: config?.engine, engineVersion: config?.engineVersion }
      : { exists: false },
    ...(window
      ? {
          restorableWindow: {
            backupRetentionPeriod: window.backupRetentionPeriod,
            earliest: window.earliest?.toISOString(),
            ...(window.earliestIsBound ? { earliestIsBound: true } : {}),
            latest: window.latest?.toISOString(),
          },
        }
      : {}),
    snapshots: snapshots
      .map((s) => entryOf(s, identifier, now))
      .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b.identifier.localeCompare(a.identifier)),
  };
}
