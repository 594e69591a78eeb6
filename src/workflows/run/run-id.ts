import { randomBytes } from 'node:crypto';
import { identifierTimestamp } from '../identifiers.js';

/** A sortable, readable run id: `20261124-114501-db1-3f9a`. */
export function newRunId(now: Date, identifier: string): string {
  return `${identifierTimestamp(now)}-${identifier}-${randomBytes(2).toString('hex')}`;
}

/** The identifier a run id of `newRunId`'s shape names, or undefined for any other name (the journal selects runs by it). */
export { identifierOfRunId } from '../../engine/journal.js';

/** RDS identifiers are case-insensitive (RDS stores them in lower case): trapheus compares, locks and names them so. */
export const normalizeIdentifier = (identifier: string): string => identifier.toLowerCase();
