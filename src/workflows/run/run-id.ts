import { randomBytes } from 'node:crypto';
import { identifierTimestamp } from '../identifiers.js';

const RUN_ID = /^\d{8}-\d{6}-(.+)-[0-9a-f]{4}$/;

/** A sortable, readable run id: `20261124-114501-db1-3f9a`. */
export function newRunId(now: Date, identifier: string): string {
  return `${identifierTimestamp(now)}-${identifier}-${randomBytes(2).toString('hex')}`;
}

/** The identifier a run id of `newRunId`'s shape names, or undefined for any other name. */
export function identifierOfRunId(runId: string): string | undefined {
  return RUN_ID.exec(runId)?.[1];
}

/** RDS identifiers are case-insensitive (RDS stores them in lower case): trapheus compares, locks and names them so. */
export const normalizeIdentifier = (identifier: string): string => identifier.toLowerCase();
