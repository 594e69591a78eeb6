import { randomBytes } from 'node:crypto';
import { identifierTimestamp } from '../identifiers.js';

/**
 * A sortable, readable run id: `20261124-114501-db1-3f9a`. Apart from run-id.ts so that what
 * only reads runs (`runs`, `status`, the crash check) loads neither node:crypto nor the naming rules.
 */
export function newRunId(now: Date, identifier: string): string {
  return `${identifierTimestamp(now)}-${identifier}-${randomBytes(2).toString('hex')}`;
}
