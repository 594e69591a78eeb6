import { listDatabaseSnapshots, type SnapshotListing } from '../../workflows/snapshot/list-snapshots.js';
import type { CliContext } from '../cli-context.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { formatDuration, formatTable } from '../format.js';
import { jsonDocument } from '../json-documents.js';
import { printJson } from '../output.js';
import { kindOfFlag, serviceFor } from './command-support.js';

/** `trapheus snapshots` options. */
export interface SnapshotsOptions {
  identifier: string;
  cluster?: boolean;
}

/** `trapheus snapshots`: what a database can be restored from, read-only (nothing is locked or journaled). */
export async function snapshotsCommand(opts: SnapshotsOptions, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  const deps = await serviceFor(globals, ctx);
  const listing = await listDatabaseSnapshots(deps, { identifier: opts.identifier, kind: kindOfFlag(opts.cluster) });
  if (globals.json) printJson(ctx.output, jsonDocument('snapshots', { status: 'ok', ...listing }));
  else ctx.output.out(formatListing(listing));
  return { status: 'ok' };
}

/** The listing for people: the window first (it is what --to-time takes), then the table. */
export function formatListing(listing: SnapshotListing): string {
  const lines: string[] = [];
  const what = `${listing.cluster ? 'Aurora DB cluster' : 'DB instance'} ${listing.identifier}`;
  if (!listing.database.exists) lines.push(`${what} does not exist (any more); its snapshots:`);
  else {
    const w = listing.restorableWindow;
    if (w?.latest) {
      const from = w.earliest ? `${w.earliestIsBound ? 'not before its creation at ' : ''}${w.earliest}` : 'unknown';
      lines.push(`${what}: point-in-time restore (--to-time) from ${from} to ${w.latest}`);
    } else {
      lines.push(
        `${what}: no point-in-time restore (${w?.backupRetentionPeriod === 0 ? 'automated backups are off' : 'no restorable time reported yet'})`,
      );
    }
  }
  if (listing.snapshots.length === 0) {
    lines.push(
      '',
      `No snapshots. Take one: trapheus snapshot-only --identifier ${listing.identifier}${listing.cluster ? ' --cluster' : ''}`,
    );
    return lines.join('\n');
  }
  lines.push(
    '',
    formatTable(
      ['SNAPSHOT', 'TYPE', 'STATUS', 'CREATED', 'AGE', 'SIZE', 'ENGINE', 'TRAPHEUS'],
      listing.snapshots.map((s) => [
        s.identifier,
        s.type,
        s.status,
        s.createdAt ?? '-',
        s.ageSeconds === undefined ? '-' : formatAge(s.ageSeconds),
        s.allocatedStorageGiB === undefined ? '-' : `${s.allocatedStorageGiB} GiB`,
        `${s.engine} ${s.engineVersion ?? ''}`.trim(),
        s.trapheus ? 'yes' : '-',
      ]),
    ),
  );
  return lines.join('\n');
}

/** An age in days and hours beyond a day (snapshots are kept for weeks), else as a duration. */
function formatAge(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  return days > 0 ? `${days}d ${Math.floor((seconds % 86400) / 3600)}h` : formatDuration(seconds);
}
