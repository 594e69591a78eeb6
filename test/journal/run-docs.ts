import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startOfRunId } from '../../src/engine/journal.js';
import { RUN_SCHEMA_VERSION, type RunDocument } from '../../src/engine/run-document.js';

/** A fresh private directory for a journal. */
export const tmpJournalDir = () => mkdtemp(path.join(os.tmpdir(), 'trapheus-journal-'));

/** How a test run ended: a status of the journal, or 'crashed' (its process died and was found). */
export type Ending = 'running' | 'succeeded' | 'rolled_back' | 'failed' | 'interrupted' | 'crashed';

/** A run id of trapheus's shape: `runId('2026-01-02T03:04:05Z', 'db1')` is `20260102-030405-db1-<hex>`. */
export function runId(at: string, identifier: string, hex = '0a0b'): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${identifier}-${hex}`;
}

/** A run document ending as told, its identifier and start time taken from its run id (else db1, 2026-01-01). */
export function runDoc(id: string, ending: Ending = 'succeeded', identifier?: string): RunDocument {
  const at = startOfRunId(id) ?? '2026-01-01T00:00:00Z';
  const createdAt = new Date(at).toISOString();
  const end = new Date(Date.parse(at) + 60_000).toISOString();
  const events: RunDocument['events'] = [{ type: 'run_started', at: createdAt, pid: 1, host: 'h' }];
  if (ending === 'succeeded' || ending === 'rolled_back' || ending === 'failed')
    events.push({ type: 'run_finished', at: end, status: ending });
  if (ending === 'interrupted') events.push({ type: 'run_interrupted', at: end });
  if (ending === 'crashed') events.push({ type: 'run_crashed', at: end, pid: 1, host: 'h', alerts: [] });
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    runId: id,
    command: 'restore',
    workflow: 'instance-restore',
    identifier: identifier ?? /^\d{8}-\d{6}-(.+)-[0-9a-f]{4}$/.exec(id)?.[1] ?? 'db1',
    cluster: false,
    createdAt,
    input: {},
    plan: {},
    state: {},
    events,
  };
}
