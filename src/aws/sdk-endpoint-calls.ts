import {
  CreateDBClusterEndpointCommand,
  DeleteDBClusterEndpointCommand,
  DescribeDBClusterEndpointsCommand,
  type DBClusterEndpoint,
} from '@aws-sdk/client-rds';
import type { CustomEndpoint, CustomEndpointInfo } from '../core/rds-resources.js';
import { act, found, SdkCalls } from './rds-call.js';
import type { WaitOptions } from './rds-gateway.js';
import { fromTags } from './rds-to-domain.js';
import { checkAvailable, checkDeleted } from './rds-wait-checks.js';
import { waitFor } from './wait-for.js';

/** A described custom endpoint as the domain sees it (tags are not part of DescribeDBClusterEndpoints). */
function toCustomEndpoint(e: DBClusterEndpoint): CustomEndpointInfo {
  return {
    identifier: e.DBClusterEndpointIdentifier ?? '',
    clusterIdentifier: e.DBClusterIdentifier ?? '',
    type: e.CustomEndpointType ?? 'ANY',
    status: e.Status ?? 'unknown',
    staticMembers: e.StaticMembers ?? [],
    excludedMembers: e.ExcludedMembers ?? [],
    tags: [],
  };
}

/** The Aurora custom endpoint verbs of the RDS port over the SDK client. */
export class SdkEndpointCalls extends SdkCalls {
  async listCustomEndpoints(clusterIdentifier: string): Promise<CustomEndpointInfo[]> {
    // The filter keeps the cluster's own writer and reader endpoints out (API reference: DescribeDBClusterEndpoints, Filters).
    const input = { DBClusterIdentifier: clusterIdentifier, Filters: [{ Name: 'db-cluster-endpoint-type', Values: ['custom'] }] };
    const out = await this.client.send(new DescribeDBClusterEndpointsCommand(input), this.call);
    return (out.DBClusterEndpoints ?? []).map(toCustomEndpoint);
  }

  async describeCustomEndpoint(identifier: string): Promise<CustomEndpointInfo | undefined> {
    const endpoint = await found(
      async () =>
        (await this.client.send(new DescribeDBClusterEndpointsCommand({ DBClusterEndpointIdentifier: identifier }), this.call))
          .DBClusterEndpoints?.[0],
    );
    return endpoint && toCustomEndpoint(endpoint);
  }

  async createCustomEndpoint(clusterIdentifier: string, e: CustomEndpoint): Promise<void> {
    const input = {
      DBClusterIdentifier: clusterIdentifier,
      DBClusterEndpointIdentifier: e.identifier,
      EndpointType: e.type,
      StaticMembers: e.staticMembers.length > 0 ? e.staticMembers : undefined,
      ExcludedMembers: e.excludedMembers.length > 0 ? e.excludedMembers : undefined,
      Tags: fromTags(e.tags),
    };
    await act(`Create custom endpoint ${e.identifier} on ${clusterIdentifier}`, () =>
      this.client.send(new CreateDBClusterEndpointCommand(input), this.call),
    );
  }

  async deleteCustomEndpoint(identifier: string): Promise<void> {
    await act(`Delete custom endpoint ${identifier}`, () =>
      this.client.send(new DeleteDBClusterEndpointCommand({ DBClusterEndpointIdentifier: identifier }), this.call),
    );
  }

  waitCustomEndpointAvailable(identifier: string, options?: WaitOptions): Promise<CustomEndpointInfo> {
    return waitFor(
      `custom endpoint ${identifier}`,
      this.waits,
      () => checkAvailable(() => this.describeCustomEndpoint(identifier)),
      options,
    );
  }

  waitCustomEndpointDeleted(identifier: string, options?: WaitOptions): Promise<void> {
    return waitFor(
      `custom endpoint ${identifier} to be deleted`,
      this.waits,
      () => checkDeleted(() => this.describeCustomEndpoint(identifier)),
      options,
    );
  }
}
