/** Account-wide calls: tags by ARN, account quotas, blue/green deployments. */
import type {
  AddTagsToResourceMessage,
  DescribeBlueGreenDeploymentsRequest,
  ListTagsForResourceMessage,
  RemoveTagsFromResourceMessage,
  Tag,
} from '@aws-sdk/client-rds';
import { RdsServiceError, refuse } from './sim-errors.js';
import { customEndpoints } from './sim-endpoints.js';
import { checkListing, checkTags, page } from './sim-rules.js';
import type { SimStore } from './sim-store.js';

/** The tag list of the resource an ARN names (API, ListTagsForResource ResourceName: an ARN). */
function taggable(store: SimStore, arn: string | undefined): { TagList?: Tag[] | undefined } {
  const match = /^arn:aws:rds:[^:]+:\d+:(db|cluster|snapshot|cluster-snapshot|cluster-endpoint):(.+)$/.exec(arn ?? '');
  if (!match) throw refuse.invalidValue(`Invalid resource name: ${arn ?? ''}`);
  const [, type, name = ''] = match;
  switch (type) {
    case 'db':
      return store.instance(arn)?.db ?? notFound(refuse.instanceNotFound(name));
    case 'cluster':
      return store.cluster(arn)?.db ?? notFound(refuse.clusterNotFound(name));
    case 'snapshot':
      return store.snapshot(arn)?.snap ?? notFound(refuse.snapshotNotFound(name));
    case 'cluster-endpoint':
      return (
        customEndpoints(store).find((r) => r.endpoint.DBClusterEndpointArn === arn) ??
        notFound(new RdsServiceError('DBClusterEndpointNotFoundFault', `DB cluster endpoint ${name} not found.`))
      );
    default:
      return store.clusterSnapshot(arn)?.snap ?? notFound(refuse.clusterSnapshotNotFound(name));
  }
}

function notFound(error: RdsServiceError): never {
  throw error;
}

export function listTags(store: SimStore, input: ListTagsForResourceMessage) {
  return { TagList: structuredClone(taggable(store, input.ResourceName).TagList ?? []) };
}

/** API, AddTagsToResource: the Tag rules (no `aws:`/`rds:` prefix); an existing key is overwritten. */
export function addTags(store: SimStore, input: AddTagsToResourceMessage) {
  checkTags(input.Tags);
  const resource = taggable(store, input.ResourceName);
  const tags = (resource.TagList ?? []).filter((t) => !(input.Tags ?? []).some((n) => n.Key === t.Key));
  resource.TagList = [...tags, ...structuredClone(input.Tags ?? [])];
  return {};
}

/** API, RemoveTagsFromResource. Removing an `aws:` tag is refused like adding one. */
export function removeTags(store: SimStore, input: RemoveTagsFromResourceMessage) {
  const reserved = (input.TagKeys ?? []).find((k) => /^(aws|rds):/i.test(k));
  if (reserved) throw refuse.invalidValue(`Tag keys cannot start with the reserved prefix "${reserved.slice(0, 4)}".`);
  const resource = taggable(store, input.ResourceName);
  resource.TagList = (resource.TagList ?? []).filter((t) => !(input.TagKeys ?? []).includes(t.Key ?? ''));
  return {};
}

/** API, DescribeAccountAttributes: the quotas with their use (UG, "Quotas in Amazon RDS"). */
export function accountAttributes(store: SimStore) {
  const live = <T extends { gone: boolean }>(list: T[]) => list.filter((r) => !r.gone);
  const storage = live(store.instances).reduce((sum, r) => sum + (r.db.AllocatedStorage ?? 0), 0);
  const manual =
    live(store.snapshots).filter((s) => s.snap.SnapshotType === 'manual').length +
    live(store.clusterSnapshots).filter((s) => s.snap.SnapshotType === 'manual').length;
  return {
    AccountQuotas: [
      { AccountQuotaName: 'DBInstances', Used: live(store.instances).length, Max: store.quotas.DBInstances },
      { AccountQuotaName: 'DBClusters', Used: live(store.clusters).length, Max: store.quotas.DBClusters },
      { AccountQuotaName: 'ManualSnapshots', Used: manual, Max: store.quotas.ManualSnapshots },
      { AccountQuotaName: 'AllocatedStorage', Used: storage * 1024 ** 3, Max: 100000 * 1024 ** 3 },
    ],
  };
}

/**
 * API, DescribeBlueGreenDeployments: by identifier (BlueGreenDeploymentNotFoundFault) or Filters
 * blue-green-deployment-identifier, blue-green-deployment-name, source, target (ARNs).
 */
export function describeBlueGreen(store: SimStore, input: DescribeBlueGreenDeploymentsRequest) {
  checkListing(input.Filters, ['blue-green-deployment-identifier', 'blue-green-deployment-name', 'source', 'target'], input.MaxRecords);
  const all = store.blueGreenDeployments;
  if (input.BlueGreenDeploymentIdentifier !== undefined) {
    const found = all.find((d) => d.BlueGreenDeploymentIdentifier === input.BlueGreenDeploymentIdentifier);
    if (!found)
      throw new RdsServiceError(
        'BlueGreenDeploymentNotFoundFault',
        `BlueGreenDeployment ${input.BlueGreenDeploymentIdentifier} not found.`,
      );
    return { BlueGreenDeployments: [structuredClone(found)] };
  }
  const values = (name: string) => input.Filters?.find((f) => f.Name === name)?.Values;
  const ok = (name: string, actual: string | undefined) => !values(name) || (actual !== undefined && (values(name) ?? []).includes(actual));
  const found = all.filter(
    (d) =>
      ok('blue-green-deployment-identifier', d.BlueGreenDeploymentIdentifier) &&
      ok('blue-green-deployment-name', d.BlueGreenDeploymentName) &&
      ok('source', d.Source) &&
      ok('target', d.Target),
  );
  const { items, marker } = page(found, input.MaxRecords, input.Marker);
  return { BlueGreenDeployments: structuredClone(items), Marker: marker };
}
