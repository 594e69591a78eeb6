// New run ids are made in new-run-id.ts.

/** The identifier a run id of `newRunId`'s shape names, or undefined for any other name (the journal selects runs by it). */
export { identifierOfRunId } from '../../engine/journal.js';

/** RDS identifiers are case-insensitive (RDS stores them in lower case): trapheus compares, locks and names them so. */
export const normalizeIdentifier = (identifier: string): string => identifier.toLowerCase();
