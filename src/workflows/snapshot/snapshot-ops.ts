import type { RdsGateway, WaitOptions } from '../../aws/rds-gateway.js';
import type { SnapshotInfo, Tag } from '../../core/rds-resources.js';

/** The snapshot verbs of one kind of database, so snapshot steps serve instances and clusters alike. */
export interface SnapshotOps {
  kind: 'instance' | 'cluster';
  describe(identifierOrArn: string): Promise<SnapshotInfo | undefined>;
  list(sourceIdentifier: string): Promise<SnapshotInfo[]>;
  /** Manual and automated snapshots of a database. */
  listAll(sourceIdentifier: string): Promise<SnapshotInfo[]>;
  create(sourceIdentifier: string, snapshotIdentifier: string, tags: Tag[]): Promise<void>;
  delete(snapshotIdentifier: string): Promise<void>;
  waitAvailable(snapshotIdentifier: string, options?: WaitOptions): Promise<SnapshotInfo>;
  /** The accounts the manual snapshot is shared with. */
  sharedWith(snapshotIdentifier: string): Promise<string[]>;
  share(snapshotIdentifier: string, accountIds: string[]): Promise<void>;
}

/** The instance or cluster snapshot verbs of a gateway. */
export function snapshotOps(rds: RdsGateway, noun: 'instance' | 'cluster'): SnapshotOps {
  return noun === 'cluster'
    ? {
        kind: 'cluster',
        describe: (id) => rds.describeClusterSnapshot(id),
        list: (source) => rds.listClusterSnapshots(source),
        listAll: (source) => rds.listAllClusterSnapshots(source),
        create: (source, id, tags) => rds.createClusterSnapshot(source, id, tags),
        delete: (id) => rds.deleteClusterSnapshot(id),
        waitAvailable: (id, options) => rds.waitClusterSnapshotAvailable(id, options),
        sharedWith: (id) => rds.snapshotSharedWith('cluster', id),
        share: (id, accounts) => rds.shareSnapshot('cluster', id, accounts),
      }
    : {
        kind: 'instance',
        describe: (id) => rds.describeSnapshot(id),
        list: (source) => rds.listSnapshots(source),
        listAll: (source) => rds.listAllSnapshots(source),
        create: (source, id, tags) => rds.createSnapshot(source, id, tags),
        delete: (id) => rds.deleteSnapshot(id),
        waitAvailable: (id, options) => rds.waitSnapshotAvailable(id, options),
        sharedWith: (id) => rds.snapshotSharedWith('instance', id),
        share: (id, accounts) => rds.shareSnapshot('instance', id, accounts),
      };
}
