import {
  AddRoleToDBInstanceCommand,
  DisableHttpEndpointCommand,
  EnableHttpEndpointCommand,
  ModifyDBClusterCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { PreconditionError } from '../core/errors.js';
import type { AssociatedRole, ClusterInfo } from '../core/rds-resources.js';
import { mapRdsError } from './map-rds-error.js';
import { act, readFirst } from './rds-call.js';

/**
 * Settings RDS attaches with calls of their own rather than with Modify: IAM roles of a DB
 * instance (AddRoleToDBInstance) and the Data API of a cluster (EnableHttpEndpoint). Used by
 * `SdkRdsGateway`.
 */

/** The SDK's names of "this role is already associated" (the fault class, and the query error code). */
const ROLE_EXISTS = new Set(['DBInstanceRoleAlreadyExistsFault', 'DBInstanceRoleAlreadyExists']);

/** Options of an SDK call (the run's abort signal). */
type Call = { abortSignal?: AbortSignal };

/**
 * AddRoleToDBInstance: "To add a role to a DB instance, the status of the DB instance must be
 * available" (API reference). A role already there is success: after a lost answer the retry
 * finds it associated (DBInstanceRoleAlreadyExists).
 */
export async function addInstanceRole(client: RDSClient, identifier: string, role: AssociatedRole, call: Call = {}): Promise<void> {
  try {
    await client.send(
      new AddRoleToDBInstanceCommand({ DBInstanceIdentifier: identifier, RoleArn: role.roleArn, FeatureName: role.featureName }),
      call,
    );
  } catch (error) {
    if (error instanceof Error && ROLE_EXISTS.has(error.name)) return;
    throw mapRdsError(error, `Associate ${role.roleArn}${role.featureName ? ` (${role.featureName})` : ''} with ${identifier}`);
  }
}

/**
 * Turns the Data API on or off. EnableHttpEndpoint "applies only to Aurora Serverless v2 and
 * provisioned DB clusters. To enable the HTTP endpoint for Aurora Serverless v1 DB clusters, use
 * the EnableHttpEndpoint parameter of the ModifyDBCluster operation" (API reference:
 * EnableHttpEndpoint) — Serverless v1 is engine mode `serverless`.
 */
export async function setDataApi(
  client: RDSClient,
  identifier: string,
  enabled: boolean,
  describe: () => Promise<ClusterInfo | undefined>,
  call: Call = {},
): Promise<void> {
  const action = `${enabled ? 'Enable' : 'Disable'} the Data API of cluster ${identifier}`;
  const cluster = await readFirst(action, describe);
  if (!cluster) throw new PreconditionError(`${action}: the cluster does not exist.`);
  if (cluster.config.engineMode === 'serverless') {
    await act(action, () =>
      client.send(
        new ModifyDBClusterCommand({ DBClusterIdentifier: identifier, EnableHttpEndpoint: enabled, ApplyImmediately: true }),
        call,
      ),
    );
    return;
  }
  const input = { ResourceArn: cluster.arn };
  await act(action, () => client.send(enabled ? new EnableHttpEndpointCommand(input) : new DisableHttpEndpointCommand(input), call));
}
