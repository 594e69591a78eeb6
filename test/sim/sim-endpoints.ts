/**
 * Aurora DB cluster endpoints: DescribeDBClusterEndpoints (the cluster's writer and reader
 * endpoints and its custom ones), CreateDBClusterEndpoint, DeleteDBClusterEndpoint. A custom
 * endpoint's name does not include its cluster's and is unique in the account and region; it
 * follows its cluster through a rename and goes with it (Aurora UG, "Amazon Aurora endpoint
 * connections", custom endpoints; RDS-RULES.md, "rename, cluster").
 */
import type {
  CreateDBClusterEndpointMessage,
  DBClusterEndpoint,
  DeleteDBClusterEndpointMessage,
  DescribeDBClusterEndpointsMessage,
} from '@aws-sdk/client-rds';
import { RdsServiceError, refuse } from './sim-errors.js';
import { checkIdentifier, checkListing, checkTags, page } from './sim-rules.js';
import type { ClusterRecord, EndpointRecord, SimStore } from './sim-store.js';

/** Aurora UG, "Quotas for Amazon Aurora": at most 5 custom endpoints per DB cluster. */
const CUSTOM_ENDPOINTS_PER_CLUSTER = 5;

const owner = (store: SimStore, record: EndpointRecord): ClusterRecord | undefined =>
  store.clusters.find((c) => !c.gone && c.db.DbClusterResourceId === record.clusterResourceId);

/** The live custom endpoints (an endpoint goes with its cluster). */
export function customEndpoints(store: SimStore): EndpointRecord[] {
  return store.clusterEndpoints.filter((r) => !r.gone && owner(store, r) !== undefined);
}

function viewEndpoint(store: SimStore, record: EndpointRecord): DBClusterEndpoint {
  return { ...structuredClone(record.endpoint), DBClusterIdentifier: owner(store, record)?.db.DBClusterIdentifier };
}

/** The writer and reader endpoints every cluster has. */
function clusterOwnEndpoints(cluster: ClusterRecord): DBClusterEndpoint[] {
  const id = cluster.db.DBClusterIdentifier;
  const base = { DBClusterIdentifier: id, DBClusterEndpointIdentifier: id, Status: 'available' };
  return [
    { ...base, EndpointType: 'WRITER', Endpoint: cluster.db.Endpoint },
    { ...base, EndpointType: 'READER', Endpoint: cluster.db.ReaderEndpoint },
  ];
}

/** API, DescribeDBClusterEndpoints: its only error is DBClusterNotFoundFault (an unknown endpoint id lists nothing). */
export function describeEndpoints(store: SimStore, input: DescribeDBClusterEndpointsMessage) {
  checkListing(
    input.Filters,
    ['db-cluster-endpoint-type', 'db-cluster-endpoint-custom-type', 'db-cluster-endpoint-id', 'db-cluster-endpoint-status'],
    input.MaxRecords,
  );
  let clusters = store.clusters.filter((c) => !c.gone);
  if (input.DBClusterIdentifier !== undefined) {
    const cluster = store.cluster(input.DBClusterIdentifier);
    if (!cluster) throw refuse.clusterNotFound(input.DBClusterIdentifier);
    clusters = [cluster];
  }
  const all = [
    ...clusters.flatMap(clusterOwnEndpoints),
    ...customEndpoints(store)
      .filter((r) => clusters.includes(owner(store, r) as ClusterRecord))
      .map((r) => viewEndpoint(store, r)),
  ];
  const values = (name: string) => input.Filters?.find((f) => f.Name === name)?.Values?.map((v) => v.toLowerCase());
  const ok = (name: string, actual: string | undefined) =>
    !values(name) || (actual !== undefined && (values(name) ?? []).includes(actual.toLowerCase()));
  const wanted = input.DBClusterEndpointIdentifier?.toLowerCase();
  const found = all.filter(
    (e) =>
      (wanted === undefined || (e.EndpointType === 'CUSTOM' && e.DBClusterEndpointIdentifier === wanted)) &&
      ok('db-cluster-endpoint-type', e.EndpointType) &&
      ok('db-cluster-endpoint-custom-type', e.CustomEndpointType ?? '') &&
      ok('db-cluster-endpoint-id', e.DBClusterEndpointIdentifier) &&
      ok('db-cluster-endpoint-status', e.Status),
  );
  const { items, marker } = page(found, input.MaxRecords, input.Marker);
  return { DBClusterEndpoints: items, Marker: marker };
}

/**
 * API, CreateDBClusterEndpoint: the cluster must exist and be available; the name must be free
 * in the region (DBClusterEndpointAlreadyExistsFault); a custom endpoint is READER or ANY; its
 * static and excluded members are instances of the cluster; 5 at most per cluster
 * (DBClusterEndpointQuotaExceededFault).
 */
export function createEndpoint(store: SimStore, input: CreateDBClusterEndpointMessage) {
  const id = checkIdentifier('DBClusterEndpointIdentifier', input.DBClusterEndpointIdentifier);
  const cluster = store.cluster(input.DBClusterIdentifier);
  if (!cluster) throw refuse.clusterNotFound(input.DBClusterIdentifier ?? '');
  if (cluster.db.Status !== 'available')
    throw refuse.clusterState(
      `DB cluster ${cluster.db.DBClusterIdentifier ?? ''} is not in available state (it is ${cluster.db.Status ?? ''}).`,
    );
  const type = (input.EndpointType ?? '').toUpperCase();
  if (!['READER', 'ANY'].includes(type))
    throw refuse.invalidValue(`Invalid endpoint type ${input.EndpointType ?? ''}: a custom endpoint is READER or ANY.`);
  const taken =
    customEndpoints(store).some((r) => r.endpoint.DBClusterEndpointIdentifier === id) ||
    store.clusters.some((c) => !c.gone && c.db.DBClusterIdentifier === id);
  if (taken) throw new RdsServiceError('DBClusterEndpointAlreadyExistsFault', `DB cluster endpoint ${id} already exists.`);
  const members = new Set(store.membersOf(cluster.db.DBClusterIdentifier).map((m) => m.db.DBInstanceIdentifier));
  const stranger = [...(input.StaticMembers ?? []), ...(input.ExcludedMembers ?? [])].find((m) => !members.has(m.toLowerCase()));
  if (stranger) throw refuse.invalidValue(`DB instance ${stranger} is not a member of DB cluster ${cluster.db.DBClusterIdentifier ?? ''}.`);
  checkTags(input.Tags);
  if (customEndpoints(store).filter((r) => owner(store, r) === cluster).length >= CUSTOM_ENDPOINTS_PER_CLUSTER) {
    throw new RdsServiceError(
      'DBClusterEndpointQuotaExceededFault',
      `DB cluster ${cluster.db.DBClusterIdentifier ?? ''} has the maximum number of custom endpoints.`,
    );
  }
  const record: EndpointRecord = {
    endpoint: {
      DBClusterEndpointIdentifier: id,
      DBClusterEndpointResourceIdentifier: `cluster-endpoint-${id}`,
      DBClusterEndpointArn: store.arn('cluster-endpoint', id),
      Endpoint: store.endpoint(id, 'cluster-custom'),
      Status: 'creating',
      EndpointType: 'CUSTOM',
      CustomEndpointType: type,
      StaticMembers: (input.StaticMembers ?? []).map((m) => m.toLowerCase()),
      ExcludedMembers: (input.ExcludedMembers ?? []).map((m) => m.toLowerCase()),
    },
    clusterResourceId: cluster.db.DbClusterResourceId ?? '',
    TagList: structuredClone(input.Tags ?? []),
    epoch: 0,
    gone: false,
  };
  store.clusterEndpoints.push(record);
  store.after(record, store.timings.endpointCreating, () => (record.endpoint.Status = 'available'));
  return viewEndpoint(store, record);
}

/** API, DeleteDBClusterEndpoint: DBClusterEndpointNotFoundFault; a busy endpoint (InvalidDBClusterEndpointStateFault). */
export function deleteEndpoint(store: SimStore, input: DeleteDBClusterEndpointMessage) {
  const id = input.DBClusterEndpointIdentifier?.toLowerCase();
  const record = customEndpoints(store).find((r) => r.endpoint.DBClusterEndpointIdentifier === id);
  if (!record) throw new RdsServiceError('DBClusterEndpointNotFoundFault', `DB cluster endpoint ${id ?? ''} not found.`);
  if (record.endpoint.Status !== 'available') {
    throw new RdsServiceError(
      'InvalidDBClusterEndpointStateFault',
      `DB cluster endpoint ${id ?? ''} is ${record.endpoint.Status ?? ''}, not available.`,
    );
  }
  record.endpoint.Status = 'deleting';
  store.after(record, store.timings.endpointDeleting, () => (record.gone = true));
  return viewEndpoint(store, record);
}
