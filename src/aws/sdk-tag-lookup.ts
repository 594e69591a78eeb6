import { DescribeDBClustersCommand, DescribeDBInstancesCommand, type RDSClient, type Tag } from '@aws-sdk/client-rds';

/**
 * The identifiers of every DB instance (or cluster) carrying the tag `key=value`. RDS has no
 * tag filter on DescribeDBInstances / DescribeDBClusters (their Filters are ids, engine,
 * domain…: API reference, DescribeDBInstances "Filters"), but both answers carry `TagList`:
 * every page is read (`Marker`, at most 100 records each) and filtered here. Tag keys and
 * values compare case-sensitively, as in AWS.
 */
export async function listTagged(
  client: RDSClient,
  kind: 'instance' | 'cluster',
  key: string,
  value: string,
  options?: { abortSignal?: AbortSignal },
): Promise<string[]> {
  const has = (tags: Tag[] | undefined) => (tags ?? []).some((t) => t.Key === key && (t.Value ?? '') === value);
  const out: string[] = [];
  let marker: string | undefined;
  do {
    if (kind === 'instance') {
      const page = await client.send(new DescribeDBInstancesCommand({ Marker: marker }), options);
      for (const db of page.DBInstances ?? []) if (db.DBInstanceIdentifier && has(db.TagList)) out.push(db.DBInstanceIdentifier);
      marker = page.Marker;
    } else {
      const page = await client.send(new DescribeDBClustersCommand({ Marker: marker }), options);
      for (const c of page.DBClusters ?? []) if (c.DBClusterIdentifier && has(c.TagList)) out.push(c.DBClusterIdentifier);
      marker = page.Marker;
    }
  } while (marker);
  return out;
}
