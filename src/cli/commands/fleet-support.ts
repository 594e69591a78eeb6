import { readFile } from 'node:fs/promises';
import { PreconditionError, UsageError } from '../../core/errors.js';
import type { RunSummary } from '../../core/run-summary.js';
import { LockHeldError } from '../../engine/journal.js';
import { assertValidIdentifier } from '../../workflows/identifiers.js';
import type { KindName } from '../../workflows/kinds/registry.js';
import { runFleet, type FleetOutcome, type FleetResult } from '../../workflows/run/fleet-run.js';
import type { ServiceDeps } from '../../workflows/service.js';
import type { CliContext } from '../cli-context.js';
import { ReportedError, type CliResult, type GlobalOptions } from '../cli-types.js';
import { formatDuration, formatTable } from '../format.js';
import { withCommandLog } from '../log-file.js';
import { printJson } from '../output.js';
import { PlainReporter } from '../reporters/plain-reporter.js';
import { chalkFor } from './command-support.js';

/** How a fleet is named on the command line: `--identifier a,b,c`, `--identifiers-file f` or `--tag key=value`. */
export interface FleetFlags {
  identifier?: string;
  identifiersFile?: string;
  tag?: string;
  concurrency?: number;
}

/** Runs at once when `--concurrency` is not given. */
export const DEFAULT_CONCURRENCY = 4;

/**
 * The exit code of each outcome: the codes of main.ts's EXIT (a test checks they agree). A
 * fleet exits with the code of its worst run (FLEET_OUTCOMES order in fleet-run.ts).
 */
export const FLEET_EXIT_CODES: Record<FleetOutcome, number> = {
  interrupted: 130,
  needs_attention: 4,
  rolled_back: 1,
  precondition_failed: 3,
  skipped: 5,
  succeeded: 0,
};

/** A fleet rather than today's single run: a list, a file or a tag. One identifier keeps the single-run path and its output exactly. */
export function isFleet(flags: FleetFlags): boolean {
  return flags.identifiersFile !== undefined || flags.tag !== undefined || (flags.identifier?.includes(',') ?? false);
}

/** The single identifier of a single run; without any of the three flags, bad usage (exit 2). */
export function singleIdentifier(flags: FleetFlags): string {
  if (flags.identifier === undefined)
    throw new UsageError('Which database? --identifier is required (or --identifiers-file / --tag for a fleet).', {
      hint: 'e.g. --identifier db1, --identifier db1,db2, --identifiers-file dbs.txt or --tag env=staging.',
    });
  return flags.identifier;
}

/** `--tag key=value` → its key and value (the value may be empty; the key may not). */
export function parseTag(tag: string): { key: string; value: string } {
  const at = tag.indexOf('=');
  if (at <= 0) throw new UsageError(`--tag "${tag}" is not key=value.`, { hint: 'e.g. --tag env=staging' });
  return { key: tag.slice(0, at), value: tag.slice(at + 1) };
}

/** The identifiers of a `--identifiers-file`: one a line, blank lines and `#` comments skipped, lower-cased (RDS compares without case). */
export function parseIdentifiersFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => (line.includes('#') ? line.slice(0, line.indexOf('#')) : line).trim().toLowerCase())
    .filter((line) => line !== '');
}

/**
 * The databases of the fleet, in the order given, each once, every one a valid identifier —
 * all checked before any run starts: bad input is exit 2 with not one AWS call (but `--tag`'s
 * read-only listing).
 */
export async function fleetIdentifiers(flags: FleetFlags, kind: KindName, deps: () => Promise<ServiceDeps>): Promise<string[]> {
  let ids: string[];
  if (flags.identifiersFile !== undefined) {
    let text: string;
    try {
      text = await readFile(flags.identifiersFile, 'utf8');
    } catch (error) {
      throw new UsageError(`--identifiers-file ${flags.identifiersFile} cannot be read: ${(error as Error).message}`, {
        hint: 'Give a text file with one identifier per line.',
      });
    }
    ids = parseIdentifiersFile(text);
    if (ids.length === 0) throw new UsageError(`--identifiers-file ${flags.identifiersFile} lists no identifier.`);
  } else if (flags.tag !== undefined) {
    const { key, value } = parseTag(flags.tag);
    const rds = (await deps()).rds;
    if (!rds.listTagged) throw new UsageError('--tag is not available with this RDS connection.');
    ids = await rds.listTagged(kind === 'aurora-cluster' ? 'cluster' : 'instance', key, value);
    if (ids.length === 0)
      throw new PreconditionError(
        `No ${kind === 'aurora-cluster' ? 'DB cluster' : 'DB instance'} has the tag ${key}=${value} in this region.`,
        {
          hint: 'Check --tag, --cluster and --region (or AWS_REGION). Nothing was changed.',
        },
      );
  } else ids = singleIdentifier(flags).split(',');
  const unique = [...new Set(ids)];
  for (const id of unique) assertValidIdentifier(id);
  return unique;
}

/** Each run's progress: timestamped lines naming its run id and identifier (spinners cannot share a terminal). */
function runReporter(globals: GlobalOptions, ctx: CliContext) {
  const err = (line: string) => ctx.output.err(line);
  const plain = globals.quiet || (globals.json && !globals.verbose) ? undefined : new PlainReporter(err);
  return withCommandLog(ctx, plain);
}

/**
 * A fleet of `command`: `runOne` is the single-run path (its own run id, journal, lock, revert
 * and alert), called once per database, `--concurrency` at a time, with a reporter of its own.
 * At the end one table (or one `--json` document); the exit code is the worst run's.
 */
export async function fleetCommand(
  command: 'restore' | 'snapshot-only',
  flags: FleetFlags & { dryRun?: boolean },
  ids: string[],
  deps: ServiceDeps,
  runOne: (deps: ServiceDeps, identifier: string) => Promise<RunSummary>,
  globals: GlobalOptions,
  ctx: CliContext,
): Promise<CliResult> {
  const result = await runFleet(ids, (identifier) => runOne({ ...deps, observer: runReporter(globals, ctx) }, identifier), {
    concurrency: flags.concurrency ?? DEFAULT_CONCURRENCY,
    clock: deps.clock,
    signal: ctx.signal,
  });
  await reportFleet(command, result, Boolean(flags.dryRun), globals, ctx);
  return fleetResult(result);
}

/** The command's end: the worst run's status (main.ts maps it to the exit code); a fleet whose worst is a skip exits 5. */
export function fleetResult(result: FleetResult): CliResult {
  switch (result.worst) {
    case 'succeeded':
      return { status: 'succeeded' };
    case 'rolled_back':
      return { status: 'rolled_back' };
    case 'precondition_failed':
      return { status: 'error' };
    case 'interrupted':
      return { status: 'interrupted' };
    case 'needs_attention':
      return { status: 'failed' };
    case 'skipped': {
      const skipped = result.runs.filter((r) => r.outcome === 'skipped').map((r) => r.identifier);
      // Already said in the table (or the document): main.ts maps it to exit 5 and prints nothing more.
      throw new ReportedError(new LockHeldError(`Skipped ${skipped.join(', ')}: another run holds the lock.`));
    }
  }
}

/** The summary table (identifier, run id, status, duration, exit code), each failure's reason, and the fleet's exit code. */
export function formatFleet(result: FleetResult, dryRun: boolean): string {
  const rows = result.runs.map((r) => [
    r.identifier,
    r.runId ?? '-',
    r.status === 'planned' && dryRun ? 'planned' : r.status,
    formatDuration(r.durationMs / 1000),
    String(FLEET_EXIT_CODES[r.outcome]),
  ]);
  const lines = [formatTable(['identifier', 'run id', 'status', 'duration', 'exit'], rows)];
  for (const r of result.runs) if (r.error && r.outcome !== 'succeeded') lines.push(`${r.identifier}: ${r.error.name}: ${r.error.message}`);
  const counts = new Map<string, number>();
  for (const r of result.runs) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const tally = [...counts].map(([outcome, n]) => `${n} ${outcome.replace('_', ' ')}`).join(', ');
  lines.push(`${result.runs.length} databases: ${tally}; exit ${FLEET_EXIT_CODES[result.worst]} (the worst run's).`);
  return lines.join('\n');
}

async function reportFleet(
  command: 'restore' | 'snapshot-only',
  result: FleetResult,
  dryRun: boolean,
  globals: GlobalOptions,
  ctx: CliContext,
): Promise<void> {
  if (globals.json) {
    // The JSON contract (zod) only for --json: a run's start stays light.
    const { fleetJsonDocument } = await import('../json-documents.js');
    printJson(ctx.output, fleetJsonDocument(command, result, FLEET_EXIT_CODES));
    return;
  }
  const text = formatFleet(result, dryRun);
  ctx.output.out(globals.quiet ? (text.split('\n').at(-1) ?? '') : `\n${text}`);
}

/**
 * `restore` of a fleet in a terminal without --yes: one confirmation for all of them — type the
 * number of databases. Without a terminal the command has refused already (as a single run).
 */
export async function confirmFleet(ids: string[], source: string, globals: GlobalOptions, ctx: CliContext): Promise<void> {
  const chalk = chalkFor(globals, ctx);
  ctx.output.err(`${chalk.bold(`restore of ${ids.length} databases`)}, each in place from ${source}, each its own run:`);
  for (const id of ids) ctx.output.err(`  ${id}`);
  const answer = await ctx.output.ask(`\nThis replaces these ${ids.length} databases. Type ${ids.length} to continue: `);
  if (answer.trim() !== String(ids.length))
    throw new UsageError(`Confirmation "${answer.trim()}" is not ${ids.length}; nothing was changed.`);
}
