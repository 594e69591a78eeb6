import type { z } from 'zod';
import type { RdsGateway } from '../../aws/rds-gateway.js';
import type { Config } from '../../config/config-schema.js';
import type { InstanceConfig, InstanceModification } from '../../core/rds-resources.js';
import type { ConfigDifference } from '../../core/run-summary.js';
import type { CheckList } from '../restore/check-list.js';
import type { CapturedMember } from '../restore/restore-plan.js';
import type { DescribedResource, ResourceOps } from '../resources/resource-ops.js';
import type { SnapshotOps } from '../snapshot/snapshot-ops.js';

/** How a kind carries settings over: what to modify after the restore, and what to verify. */
export interface SettingsRules<C, M> {
  /** The modification that brings `actual` to `wanted`: only what differs, so a rerun is a no-op. */
  pending(wanted: C, actual: C): M;
  /** Every verified setting in which `actual` differs from `wanted`. */
  diff(resource: string, wanted: C, actual: C): ConfigDifference[];
}

/**
 * Member instances a kind recreates itself after restoring the primary resource (Aurora: the
 * cluster's instances, the writer first). A kind whose members RDS manages has none.
 */
export interface MemberSupport {
  /** Creates one member under `name` in the cluster `clusterName`, with the captured settings. */
  create(rds: RdsGateway, name: string, clusterName: string, member: CapturedMember): Promise<void>;
  settings: SettingsRules<InstanceConfig, InstanceModification>;
  /** Differences of the membership itself (e.g. which member is the writer). */
  verify(
    cluster: DescribedResource<unknown>,
    members: readonly CapturedMember[],
    nameOf: (member: string) => string,
    resource: string,
  ): ConfigDifference[];
}

/** What the generic preflight learned about the database before the kind's own checks. */
export interface PreflightTarget<C> {
  described: DescribedResource<C>;
  config: Config;
}

/**
 * One kind of database trapheus restores in place (DB instance, Aurora DB cluster, …): what
 * differs between kinds, behind one interface. The steps, the strategies, the preflight and the
 * situation report are written once over it (`src/workflows/restore/`). Adding a kind is a
 * folder under `kinds/` and one line in `kinds/registry.ts`.
 */
export interface ResourceKind<C, M> {
  /** Registry name, e.g. `instance`. */
  readonly name: string;
  /** The journal name of this kind's restore workflow. Shipped names never change. */
  readonly workflow: string;
  /** The noun used in messages and lock keys. */
  readonly noun: 'instance' | 'cluster';
  /** What a person calls it: "DB instance", "Aurora DB cluster". */
  readonly label: string;
  /** The command-line flag that selects this kind ('' for the default). */
  readonly flag: string;
  /** Validates the captured configuration when a journaled run is loaded. */
  readonly configSchema: z.ZodType<C>;
  /** Journal keys of the steps on the primary resource (kept from the first release). */
  readonly stepIds: { restore: string; rename: string; renameRestored: string; deleteRetired: string };
  ops(rds: RdsGateway): ResourceOps<C, M>;
  snapshots(rds: RdsGateway): SnapshotOps;
  settings: SettingsRules<C, M>;
  members?: MemberSupport | undefined;
  /**
   * Aurora: custom endpoints name member instances and are unique per account and region, so
   * they stay with the retired cluster unless moved to the restored one during the cut-over.
   */
  readonly customEndpoints?: boolean | undefined;
  /**
   * The database under `identifier`, or undefined if there is none. Throws `UsageError`
   * naming the right flag when the identifier is a database of another kind.
   */
  find(rds: RdsGateway, identifier: string, command: string): Promise<DescribedResource<C> | undefined>;
  /** The kind's own read-only preflight checks (replicas, global databases, members…). */
  check(rds: RdsGateway, target: PreflightTarget<C>, checks: CheckList): Promise<void>;
  /** The engine of a configuration, and a short description for the preflight (`postgres 16.3, db.r6g.large`). */
  describeConfig(config: C): { engine: string; engineVersion: string; summary: string };
  /** How many extra instances and clusters a restore holds while the original is kept. */
  quotaNeeds(target: DescribedResource<C>): { instances: number; clusters: number };
}
