import type { RestoreDBClusterToPointInTimeMessage, RestoreDBInstanceToPointInTimeMessage } from '@aws-sdk/client-rds';
import type { InstanceInfo, SnapshotInfo } from '../core/rds-resources.js';
import type { RestoreClusterToTimeRequest, RestoreInstanceToTimeRequest } from './rds-gateway.js';
import { restoreClusterInput, restoreInstanceInput } from './rds-requests.js';

/**
 * The inputs of the point-in-time restores, built from the snapshot restores' inputs: the two
 * pairs of calls take the same settings (API reference: RestoreDBInstanceToPointInTime,
 * RestoreDBClusterToPointInTime), so what a restore carries over is decided in one place.
 */

/** The source instance's storage in the shape a snapshot reports it: what the copy gets unless told otherwise. */
function storageOf(source: InstanceInfo): SnapshotInfo {
  const c = source.config;
  return {
    identifier: source.identifier,
    arn: source.arn,
    sourceIdentifier: source.identifier,
    engine: c.engine,
    engineVersion: c.engineVersion,
    status: source.status,
    snapshotType: 'point-in-time',
    tags: [],
    allocatedStorage: c.allocatedStorage,
    storageType: c.storageType,
    iops: c.iops,
    storageThroughput: c.storageThroughput,
  };
}

/**
 * RestoreDBInstanceToPointInTime input: the source by name (`SourceDBInstanceIdentifier`; moto
 * knows no `SourceDbiResourceId`, and the workflow finds the source's current name by its
 * resource id first), `RestoreTime` or `UseLatestRestorableTime` (exactly one: "Can't be
 * specified if the UseLatestRestorableTime parameter is enabled").
 */
export function restoreInstanceToTimeInput(request: RestoreInstanceToTimeRequest): RestoreDBInstanceToPointInTimeMessage {
  const {
    DBInstanceIdentifier,
    DBSnapshotIdentifier: _snapshot,
    ...settings
  } = restoreInstanceInput({
    identifier: request.identifier,
    snapshotIdentifier: request.sourceIdentifier,
    config: request.config,
    snapshot: request.source && storageOf(request.source),
  });
  return {
    ...settings,
    SourceDBInstanceIdentifier: request.sourceIdentifier,
    TargetDBInstanceIdentifier: DBInstanceIdentifier,
    ...(request.restoreTime ? { RestoreTime: request.restoreTime } : { UseLatestRestorableTime: true }),
  };
}

/**
 * RestoreDBClusterToPointInTime input: a full copy (`RestoreType` left out: "If you don't specify
 * a RestoreType value, then the new DB cluster is restored as a full copy of the source DB
 * cluster"); the call takes no Engine or EngineVersion (the copy runs the source's).
 */
export function restoreClusterToTimeInput(request: RestoreClusterToTimeRequest): RestoreDBClusterToPointInTimeMessage {
  const {
    DBClusterIdentifier,
    SnapshotIdentifier: _snapshot,
    Engine: _engine,
    EngineVersion: _version,
    ...settings
  } = restoreClusterInput({ identifier: request.identifier, snapshotIdentifier: request.sourceIdentifier, config: request.config });
  return {
    ...settings,
    DBClusterIdentifier,
    SourceDBClusterIdentifier: request.sourceIdentifier,
    ...(request.restoreTime ? { RestoreToTime: request.restoreTime } : { UseLatestRestorableTime: true }),
  };
}
