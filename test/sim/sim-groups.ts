/**
 * Named groups a request may refer to: DB parameter groups, DB cluster parameter groups,
 * option groups, DB subnet groups. Default groups (`default.postgres16`, `default:postgres-16`,
 * `default`) always exist; others exist once seeded (seeding a resource registers its groups).
 */
import { refuse } from './sim-errors.js';
import { majorVersion, optionGroupKey, parameterGroupFamily } from './sim-shapes.js';
import type { SimStore } from './sim-store.js';

/**
 * API, DBParameterGroupName (RestoreDBInstanceFromDBSnapshot, CreateDBInstance,
 * ModifyDBInstance): "If supplied, must match the name of an existing DB parameter group" —
 * and a group belongs to one family (major version): a group of another family is refused,
 * which is how restoring an older snapshot with today's group fails (the snapshot restores at
 * its own engine version).
 */
export function checkParameterGroup(store: SimStore, name: string, engine: string, version: string): string {
  const family = parameterGroupFamily(engine, version);
  const known = name.startsWith('default.') ? name.slice('default.'.length) : store.parameterGroups.get(name);
  if (known === undefined) throw refuse.parameterGroupNotFound(name);
  if (known !== family) {
    throw refuse.combination(
      `The parameter group ${name} with DBParameterGroupFamily ${known} can't be used for this instance. Use a parameter group with DBParameterGroupFamily ${family}.`,
    );
  }
  return name;
}

/** API, DBClusterParameterGroupName (RestoreDBClusterFromSnapshot, ModifyDBCluster): the same, for cluster groups. */
export function checkClusterParameterGroup(store: SimStore, name: string, engine: string, version: string): string {
  const family = parameterGroupFamily(engine, version);
  const known = name.startsWith('default.') ? name.slice('default.'.length) : store.clusterParameterGroups.get(name);
  if (known === undefined) throw refuse.clusterParameterGroupNotFound(name);
  if (known !== family) {
    throw refuse.combination(
      `The DB cluster parameter group ${name} with family ${known} can't be used for this cluster. Use a group with family ${family}.`,
    );
  }
  return name;
}

/** API, OptionGroupName: must exist, and option groups are per engine and major version. */
export function checkOptionGroup(store: SimStore, name: string, engine: string, version: string): string {
  const wanted = optionGroupKey(engine, version);
  const known = name.startsWith('default:') ? defaultOptionGroupKey(name, engine) : store.optionGroups.get(name);
  if (known === undefined) throw refuse.optionGroupNotFound(name);
  if (known !== wanted)
    throw refuse.combination(`The option group ${name} is for ${known} and can't be used with ${engine} ${majorVersion(engine, version)}.`);
  return name;
}

/** API, DBSubnetGroupName: "If supplied, must match the name of an existing DB subnet group." */
export function checkSubnetGroup(store: SimStore, name: string): string {
  if (!store.subnetGroups.has(name)) throw refuse.subnetGroupNotFound(name);
  return name;
}

/** `default:postgres-16` → `postgres 16`; `default:mysql-8-0` → `mysql 8.0`. */
function defaultOptionGroupKey(name: string, engine: string): string | undefined {
  const rest = name.slice('default:'.length);
  if (!rest.startsWith(`${engine}-`)) return `${rest} ?`;
  return `${engine} ${rest.slice(engine.length + 1).replace(/-/g, '.')}`;
}

/** Registers the groups a seeded resource names, so seeds stay short. */
export function registerGroups(
  store: SimStore,
  seed: {
    engine: string;
    version: string;
    parameterGroup?: string | undefined;
    clusterParameterGroup?: string | undefined;
    optionGroup?: string | undefined;
    subnetGroup?: string | undefined;
  },
): void {
  const family = parameterGroupFamily(seed.engine, seed.version);
  if (seed.parameterGroup && !seed.parameterGroup.startsWith('default.') && !store.parameterGroups.has(seed.parameterGroup))
    store.parameterGroups.set(seed.parameterGroup, family);
  if (
    seed.clusterParameterGroup &&
    !seed.clusterParameterGroup.startsWith('default.') &&
    !store.clusterParameterGroups.has(seed.clusterParameterGroup)
  ) {
    store.clusterParameterGroups.set(seed.clusterParameterGroup, family);
  }
  if (seed.optionGroup && !seed.optionGroup.startsWith('default:') && !store.optionGroups.has(seed.optionGroup))
    store.optionGroups.set(seed.optionGroup, optionGroupKey(seed.engine, seed.version));
  if (seed.subnetGroup) store.subnetGroups.add(seed.subnetGroup);
}
