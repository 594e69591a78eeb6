/**
 * What the simulated RDS answers when it refuses a request, and what the network does when
 * there is no answer at all. The simulation throws these; `install-simulated-rds.ts` turns an
 * `RdsServiceError` into RDS's XML error document so the SDK's own deserializer builds the
 * exception (a modeled class such as `DBInstanceNotFoundFault`, or an `RDSServiceException`
 * named after the code), exactly as it would from a real answer.
 */

/**
 * HTTP status of RDS's error codes (wire codes, the `<Code>` of the error document), as the
 * SDK's RDS model lists them (`awsQueryError` traits in @aws-sdk/client-rds's schemas).
 * Anything not listed is 400 (client) — the status of RDS's common errors
 * (InvalidParameterValue, InvalidParameterCombination, MissingParameter, Throttling).
 */
const STATUS: Record<string, number> = {
  DBInstanceNotFound: 404,
  DBClusterNotFoundFault: 404,
  DBSnapshotNotFound: 404,
  DBClusterSnapshotNotFoundFault: 404,
  DBParameterGroupNotFound: 404,
  DBClusterParameterGroupNotFound: 404,
  DBSubnetGroupNotFoundFault: 404,
  OptionGroupNotFoundFault: 404,
  BlueGreenDeploymentNotFoundFault: 404,
  DBClusterQuotaExceededFault: 403,
  DBClusterEndpointQuotaExceededFault: 403,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

/** An answer of RDS that is an error: a wire code, an HTTP status and a message. */
export class RdsServiceError extends Error {
  readonly code: string;
  readonly httpStatus: number;

  constructor(code: string, message: string, httpStatus?: number) {
    super(message);
    this.name = 'RdsServiceError';
    this.code = code;
    this.httpStatus = httpStatus ?? STATUS[code] ?? 400;
  }
}

/** Node's socket error codes the SDK's retry strategy treats as transient. */
export type NetworkErrorCode = 'ECONNRESET' | 'ECONNREFUSED' | 'EPIPE' | 'ETIMEDOUT' | 'EHOSTUNREACH' | 'ENOTFOUND';

/**
 * The error Node's HTTP handler rejects with when the connection fails: Node's socket error,
 * renamed `TimeoutError` for the timeout codes (as @smithy/node-http-handler does).
 */
export function networkError(code: NetworkErrorCode = 'ECONNRESET'): Error {
  const error = Object.assign(new Error(`read ${code}`), { code, syscall: 'read' });
  if (['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code)) error.name = 'TimeoutError';
  return error;
}

/** Shorthand for the refusals the simulation uses, each with RDS's wire code. */
export const refuse = {
  invalidValue: (message: string) => new RdsServiceError('InvalidParameterValue', message),
  combination: (message: string) => new RdsServiceError('InvalidParameterCombination', message),
  missing: (parameter: string) => new RdsServiceError('MissingParameter', `The request must contain the parameter ${parameter}`),
  instanceNotFound: (id: string) => new RdsServiceError('DBInstanceNotFound', `DBInstance ${id} not found.`),
  clusterNotFound: (id: string) => new RdsServiceError('DBClusterNotFoundFault', `DBCluster ${id} not found.`),
  snapshotNotFound: (id: string) => new RdsServiceError('DBSnapshotNotFound', `DBSnapshot ${id} not found.`),
  clusterSnapshotNotFound: (id: string) => new RdsServiceError('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${id} not found.`),
  instanceExists: () => new RdsServiceError('DBInstanceAlreadyExists', 'DB instance already exists'),
  clusterExists: () => new RdsServiceError('DBClusterAlreadyExistsFault', 'DB Cluster already exists'),
  snapshotExists: (id: string) =>
    new RdsServiceError(
      'DBSnapshotAlreadyExists',
      `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`,
    ),
  clusterSnapshotExists: (id: string) =>
    new RdsServiceError(
      'DBClusterSnapshotAlreadyExistsFault',
      `Cannot create the cluster snapshot because one with the identifier ${id} already exists.`,
    ),
  instanceState: (id: string, status: string) =>
    new RdsServiceError('InvalidDBInstanceState', `DB instance ${id} is not in available state (it is ${status}).`),
  clusterState: (message: string) => new RdsServiceError('InvalidDBClusterStateFault', message),
  snapshotState: (message: string) => new RdsServiceError('InvalidDBSnapshotState', message),
  clusterSnapshotState: (message: string) => new RdsServiceError('InvalidDBClusterSnapshotStateFault', message),
  parameterGroupNotFound: (name: string) => new RdsServiceError('DBParameterGroupNotFound', `DBParameterGroup not found: ${name}`),
  clusterParameterGroupNotFound: (name: string) =>
    new RdsServiceError('DBClusterParameterGroupNotFound', `DBClusterParameterGroup not found: ${name}`),
  optionGroupNotFound: (name: string) => new RdsServiceError('OptionGroupNotFoundFault', `Specified OptionGroupName: ${name} not found.`),
  subnetGroupNotFound: (name: string) => new RdsServiceError('DBSubnetGroupNotFoundFault', `DB subnet group '${name}' does not exist.`),
  instanceQuota: () => new RdsServiceError('InstanceQuotaExceeded', 'DB Instance quota exceeded'),
  clusterQuota: () => new RdsServiceError('DBClusterQuotaExceededFault', 'DB Cluster quota exceeded'),
};
