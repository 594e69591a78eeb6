import { z } from 'zod';
import type { RunSummary } from '../core/run-summary.js';
import { runEventSchema } from '../engine/run-events.js';
import { FLEET_OUTCOMES, type FleetOutcome, type FleetResult } from '../workflows/run/fleet-run.js';

/**
 * The version of every `--json` document. It changes when a field is removed or renamed, when a
 * field's type or meaning changes, or when a closed list of values (a `status`, a `direction`)
 * gains or loses one. A new optional field does not change it. Every document says its version
 * and its command, so a pipeline can check both before it reads anything else.
 */
export const JSON_SCHEMA_VERSION = 1;

const schemaVersion = z.literal(JSON_SCHEMA_VERSION).describe('The version of this document format (README: JSON output).');
const command = <C extends string>(name: C) => z.literal(name).describe('The trapheus command that printed this document.');
const okStatus = z.literal('ok').describe('The command did what it was asked.');
const errorStatus = z.literal('error').describe('The command failed: `error` says why, and the exit code says what was touched.');

const errorBody = z.strictObject({
  name: z.string().describe('The error class, e.g. UsageError, PreconditionError.'),
  message: z.string(),
  hint: z.string().optional().describe('How to fix it.'),
});

/** Any command that failed before it had a result of its own (bad usage, a precondition, an AWS error). */
export const errorDocumentSchema = z
  .strictObject({
    schemaVersion,
    command: z.string().nullable().describe('The trapheus command that failed, or null when the command line could not be read.'),
    status: errorStatus,
    error: errorBody,
  })
  .meta({ title: 'trapheus error document' });

const step = z.strictObject({
  id: z.string(),
  title: z.string().optional(),
  status: z.enum(['pending', 'running', 'succeeded', 'failed', 'reverting', 'reverted', 'revert_failed']),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  attempts: z.number().int().nonnegative(),
  causesDowntime: z.boolean().optional().describe('Clients lose the database during this step.'),
});

const preflightCheck = z.strictObject({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  warning: z.boolean().optional(),
});

/** The fields of a run's summary (src/core/run-summary.ts), as they appear in JSON. */
const runFields = {
  runId: z.string().nullable().describe('null for a dry run or a failed preflight: no run was journaled.'),
  runCommand: z.string().describe('The command the run was started with (restore, snapshot-only).'),
  identifier: z.string(),
  cluster: z.boolean(),
  steps: z.array(step),
  configDifferences: z.array(
    z.strictObject({ resource: z.string(), setting: z.string(), expected: z.unknown().optional(), actual: z.unknown().optional() }),
  ),
  snapshotIdentifier: z.string().optional(),
  source: z
    .strictObject({
      kind: z.enum(['snapshot', 'point-in-time']),
      description: z.string().describe('In a few words: `snapshot s1 of prod-db`, `db1 as of 2026-11-26T09:30:00.000Z`.'),
      snapshotIdentifier: z.string().optional(),
      of: z.string().optional().describe('--from: the other database the snapshot was taken of.'),
      sourceIdentifier: z.string().optional().describe('Point in time: the database whose automated backups are restored.'),
      restoreTime: z.string().optional(),
      latest: z.boolean().optional().describe('Point in time: the latest restorable time.'),
    })
    .optional()
    .describe("Restores: where the data comes from; the configuration is always the restored database's own."),
  region: z.string().optional().describe('Dry runs and failed preflights: the AWS region the preflight looked in.'),
  account: z.string().optional().describe('Dry runs and failed preflights: the AWS account it looked in (absent when STS could not tell).'),
  situation: z.array(z.string()).optional().describe('Where the database stands now, and what to do, in sentences.'),
  warnings: z.array(z.string()),
  error: z.strictObject({ step: z.string().optional(), name: z.string(), message: z.string() }).optional(),
  preflight: z.array(preflightCheck).optional().describe('Dry runs and failed preflights: every check.'),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  downtimeSeconds: z.number().optional(),
  masterUserSecretArn: z.string().optional(),
  export: z.strictObject({ taskId: z.string(), started: z.boolean(), error: z.string().optional() }).optional(),
  alerts: z
    .array(z.strictObject({ channel: z.string(), ok: z.boolean(), attempts: z.number().int(), error: z.string().optional() }))
    .optional(),
  target: z.string().optional().describe('clone: the new database (identifier is the database cloned).'),
  hooks: z
    .array(
      z.strictObject({
        name: z.string().describe('beforeCutover or afterRestore.'),
        command: z.string(),
        identifier: z.string().describe('The restored copy the hook ran against, under its name then.'),
        attempts: z.number().int().positive(),
        startedAt: z.string(),
        endedAt: z.string().optional().describe('Absent: the hook was started and its end never journaled (the process died).'),
        exitCode: z.number().int().optional(),
        signal: z.string().optional(),
        timedOut: z.boolean().optional(),
        interrupted: z.boolean().optional(),
        startError: z.string().optional(),
        output: z.string().optional().describe('The last 64 KiB of its stdout and stderr.'),
        outputBytes: z.number().int().nonnegative().optional(),
        truncated: z.boolean().optional().describe('The output lost its beginning to the 64 KiB bound.'),
      }),
    )
    .optional()
    .describe('What each configured hook did, in the order they ran.'),
};

// A field added to RunSummary must be added to the JSON contract too (and this fails to compile until it is).
type RunSummaryFieldsCovered = Exclude<keyof RunSummary, keyof typeof runFields | 'command' | 'status'>;
const everyRunSummaryFieldIsInTheContract: [RunSummaryFieldsCovered] extends [never] ? true : RunSummaryFieldsCovered = true;
void everyRunSummaryFieldIsInTheContract;

const runStatus = z
  .enum(['succeeded', 'rolled_back', 'failed', 'interrupted', 'running', 'planned', 'error'])
  .describe('planned: a dry run whose preflight passed; error: the preflight failed (exit 3), nothing was changed.');

/** The end of `restore` (a run, a dry run or a failed preflight), `snapshot-only`, `resume` and `abort`. */
const runDocument = <C extends string>(name: C) =>
  z.strictObject({ schemaVersion, command: command(name), status: runStatus, ...runFields }).meta({ title: `trapheus ${name} --json` });

const standing = z
  .enum(['succeeded', 'rolled_back', 'failed', 'interrupted', 'running', 'planned', 'crashed'])
  .describe('How the run stands: crashed when its journal says running but no live process holds its lock.');

const statusDocument = z
  .strictObject({ schemaVersion, command: command('status'), status: standing, ...runFields, events: z.array(runEventSchema) })
  .meta({ title: 'trapheus status --json' });

const resumePreviewDocument = z
  .strictObject({
    schemaVersion,
    command: command('resume'),
    status: z.literal('planned').describe('resume --dry-run: what a resume would do; nothing was changed.'),
    runId: z.string(),
    runCommand: z.string(),
    identifier: z.string(),
    cluster: z.boolean(),
    direction: z.enum(['forward', 'revert', 'none']),
    steps: z.array(z.strictObject({ id: z.string(), title: z.string() })),
    pointOfNoReturn: z.string().optional(),
    pastPointOfNoReturn: z.boolean(),
    heldBy: z.strictObject({ pid: z.number().int(), host: z.string() }).optional().describe('A live process runs it now.'),
  })
  .meta({ title: 'trapheus resume --dry-run --json' });

const runsEntry = z.strictObject({
  runId: z.string(),
  command: z.string(),
  identifier: z.string(),
  cluster: z.boolean(),
  status: z.union([standing, z.literal('unreadable')]),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  durationSeconds: z.number().optional(),
  active: z.boolean().describe('A live process holds the run now.'),
  file: z.string().optional().describe('unreadable: the run file.'),
  reason: z.string().optional().describe('unreadable: why it cannot be read.'),
});

const runsListDocument = z
  .strictObject({
    schemaVersion,
    command: command('runs'),
    status: okStatus,
    runs: z
      .array(runsEntry)
      .describe('The newest runs (--limit, --all) and every unfinished one, newest first; then unreadable run files.'),
    stored: z.number().int().nonnegative().describe('Runs stored in all, shown or not.'),
  })
  .meta({ title: 'trapheus runs --json' });

const runsPruneDocument = z
  .strictObject({
    schemaVersion,
    command: command('runs'),
    status: okStatus,
    prune: z.strictObject({
      dryRun: z.boolean(),
      retention: z.strictObject({ days: z.number(), keep: z.number().int() }),
      removed: z
        .array(
          z.strictObject({
            runId: z.string(),
            identifier: z.string(),
            command: z.string(),
            status: z.enum(['succeeded', 'rolled_back']),
            startedAt: z.string(),
          }),
        )
        .describe('Deleted (with dryRun: would be), oldest first.'),
      unfinished: z.array(z.string()).describe('Old enough, but not finished: kept.'),
      unreadable: z.array(z.strictObject({ runId: z.string(), reason: z.string() })).describe('Old enough, but unreadable: kept.'),
      kept: z.number().int().describe('Runs left in the journal.'),
    }),
  })
  .meta({ title: 'trapheus runs --prune --json' });

const exportTask = z.strictObject({
  taskId: z.string(),
  sourceArn: z.string(),
  status: z.string().describe('The export task status as RDS says it (STARTING, IN_PROGRESS, COMPLETE, FAILED, CANCELED, …).'),
  percentProgress: z.number().optional(),
  bucket: z.string(),
  prefix: z.string().optional(),
  kmsKeyId: z.string().optional(),
  failureCause: z.string().optional(),
  startedAt: z.string().optional(),
});

const exportDocument = z
  .strictObject({
    schemaVersion,
    command: command('export'),
    status: okStatus,
    snapshotIdentifier: z.string(),
    task: exportTask,
    warnings: z.array(z.string()),
  })
  .meta({ title: 'trapheus export --json' });

const exportStatusDocument = z
  .strictObject({ schemaVersion, command: command('export-status'), status: okStatus, tasks: z.array(exportTask) })
  .meta({ title: 'trapheus export-status --json' });

const setupExportDocument = z
  .strictObject({
    schemaVersion,
    command: command('setup-export'),
    status: z.union([okStatus, errorStatus.describe('Something is missing (run with --create): exit 3.')]),
    bucket: z.string(),
    keyAlias: z.string(),
    keyArn: z.string().optional(),
    changes: z.array(z.string()).describe('What was created or changed (empty when nothing had to be).'),
    missing: z.array(z.string()).describe('What is missing (only without --create).'),
    config: z.strictObject({
      export: z.strictObject({ bucket: z.string(), kmsKeyId: z.string(), iamRoleArn: z.string(), prefix: z.string() }),
    }),
    role: z.strictObject({ trust: z.unknown(), permissions: z.unknown() }),
    error: errorBody.optional(),
  })
  .meta({ title: 'trapheus setup-export --json' });

const setupStateDocument = z
  .strictObject({
    schemaVersion,
    command: command('setup-state'),
    status: z.union([okStatus, errorStatus.describe('Something is missing (run with --create): exit 3.')]),
    bucket: z.string(),
    prefix: z.string().describe('The key prefix of the state (no leading or trailing slash; may be empty).'),
    region: z.string().describe('Where a bucket is created.'),
    url: z.string().describe('The value of --state (state.url, TRAPHEUS_STATE).'),
    changes: z.array(z.string()).describe('What was created or changed (empty when nothing had to be).'),
    missing: z.array(z.string()).describe('What is missing (only without --create).'),
    config: z.strictObject({ state: z.strictObject({ url: z.string() }) }),
    policy: z.unknown().describe('The IAM policy the runners need.'),
    error: errorBody.optional(),
  })
  .meta({ title: 'trapheus setup-state --json' });

const alertTestDocument = z
  .strictObject({
    schemaVersion,
    command: command('alert-test'),
    status: z.union([okStatus, errorStatus.describe('At least one channel failed: exit 3.')]),
    deliveries: z.array(z.strictObject({ channel: z.string(), ok: z.boolean(), attempts: z.number().int(), error: z.string().optional() })),
    error: errorBody.optional(),
  })
  .meta({ title: 'trapheus alert-test --json' });

const configDocument = z
  .strictObject({
    schemaVersion,
    command: command('config'),
    status: okStatus,
    file: z.string().nullable().describe('The config file used, if any.'),
    fileOrigin: z.enum(['--config', 'TRAPHEUS_CONFIG', 'directory', 'user']).nullable(),
    searched: z.array(z.string()).describe('Every place looked at, in order.'),
    values: z.record(
      z.string(),
      z.strictObject({
        value: z.unknown().describe('null when unset; secrets redacted.'),
        redacted: z.literal(true).optional(),
        source: z.enum(['flag', 'env', 'file', 'default']),
        name: z.string().optional().describe('flag or env: the flag or variable.'),
        path: z.string().optional().describe('file: the file.'),
      }),
    ),
  })
  .meta({ title: 'trapheus config --json' });

const completionDocument = z
  .strictObject({
    schemaVersion,
    command: command('completion'),
    status: okStatus,
    shell: z.enum(['bash', 'zsh', 'fish']),
    script: z.string(),
  })
  .meta({ title: 'trapheus completion --json' });

const snapshotsDocument = z
  .strictObject({
    schemaVersion,
    command: command('snapshots'),
    status: okStatus,
    identifier: z.string(),
    cluster: z.boolean(),
    database: z
      .strictObject({
        exists: z.boolean(),
        status: z.string().optional(),
        engine: z.string().optional(),
        engineVersion: z.string().optional(),
      })
      .describe('The database now (its snapshots outlive it).'),
    restorableWindow: z
      .strictObject({
        backupRetentionPeriod: z.number().int().optional(),
        earliest: z.string().optional(),
        earliestIsBound: z.boolean().optional().describe('earliest is the creation time: RDS did not report the start of the window.'),
        latest: z.string().optional().describe('Absent: no point-in-time restore (automated backups off, or none yet).'),
      })
      .optional()
      .describe('Point-in-time restore (--to-time): absent when the database does not exist.'),
    snapshots: z
      .array(
        z.strictObject({
          identifier: z.string(),
          arn: z.string(),
          type: z.string().describe('manual or automated, as RDS says.'),
          status: z.string(),
          createdAt: z.string().optional(),
          ageSeconds: z.number().optional(),
          allocatedStorageGiB: z.number().optional(),
          engine: z.string(),
          engineVersion: z.string().optional(),
          trapheus: z.boolean().describe('trapheus took it (tagged trapheus:managed, trapheus:source).'),
          runId: z.string().optional(),
        }),
      )
      .describe('Manual and automated snapshots, newest first.'),
  })
  .meta({ title: 'trapheus snapshots --json' });

/** A fleet (`--identifier a,b,c`, `--identifiers-file`, `--tag`): one entry per database, in the order given, and the worst outcome. */
const fleetOutcome = z
  .enum(FLEET_OUTCOMES)
  .describe('interrupted > needs_attention > rolled_back > precondition_failed > skipped > succeeded (worst first).');
const fleetDocument = <C extends string>(name: C) =>
  z
    .strictObject({
      schemaVersion,
      command: command(name),
      fleet: z.literal(true).describe('Many databases, one run each (README: Fleets).'),
      status: fleetOutcome.describe('The worst outcome of the runs; the exit code is its code.'),
      exitCode: z.number().int().describe("The exit code of the command: the worst run's."),
      runs: z.array(
        z.strictObject({
          identifier: z.string(),
          runId: z.string().nullable().describe('null when no run was journaled (failed preflight, lock held, dry run, not started).'),
          outcome: fleetOutcome,
          status: z.string().describe("The run's own status (succeeded, rolled_back, failed, interrupted, planned), error or skipped."),
          exitCode: z.number().int().describe('The exit code this run alone would have had.'),
          durationMs: z.number().nonnegative(),
          error: errorBody.optional(),
          run: z
            .strictObject({ status: runStatus, ...runFields })
            .optional()
            .describe("The run's summary, as the single-run document has it."),
        }),
      ),
    })
    .meta({ title: `trapheus ${name} --json (fleet)` });

/** Each command's `--json` document (besides the error document, which any command may print). */
export const commandDocumentSchemas = {
  restore: z.union([runDocument('restore'), fleetDocument('restore')]),
  clone: runDocument('clone'),
  'snapshot-only': z.union([runDocument('snapshot-only'), fleetDocument('snapshot-only')]),
  resume: z.union([runDocument('resume'), resumePreviewDocument]),
  abort: runDocument('abort'),
  runs: z.union([runsListDocument, runsPruneDocument]),
  status: statusDocument,
  'setup-export': setupExportDocument,
  'setup-state': setupStateDocument,
  snapshots: snapshotsDocument,
  export: exportDocument,
  'export-status': exportStatusDocument,
  'alert-test': alertTestDocument,
  config: configDocument,
  completion: completionDocument,
} as const;

/** A command that prints a JSON document. */
export type JsonCommand = keyof typeof commandDocumentSchemas;

/** What `trapheus <command> --json` may print: its own document, or the error document. */
export function outputSchemaOf(name: JsonCommand) {
  return z.union([commandDocumentSchemas[name], errorDocumentSchema]);
}

/** The document of one command, as printed. */
export type JsonDocument<C extends JsonCommand> = z.input<(typeof commandDocumentSchemas)[C]>;

/** The error document. */
export type ErrorDocument = z.input<typeof errorDocumentSchema>;

/** The published JSON Schema of `trapheus <command> --json` (schemas/<command>.schema.json), generated from the zod schemas above. */
export function jsonOutputSchema(name: JsonCommand): Record<string, unknown> {
  return {
    ...z.toJSONSchema(outputSchemaOf(name)),
    title: `trapheus ${name} --json`,
    description: `The one document \`trapheus ${name} --json\` prints on stdout: its result, or the error document (status "error"). schemaVersion ${JSON_SCHEMA_VERSION}.`,
  };
}

type Stamp = 'schemaVersion' | 'command';
type ResumeBody = Omit<z.input<ReturnType<typeof runDocument<'resume'>>>, Stamp> | Omit<z.input<typeof resumePreviewDocument>, Stamp>;

/** The document of `name`, stamped with the schema version and the command (a field the contract does not declare does not compile). */
export function jsonDocument<C extends Exclude<JsonCommand, 'resume' | 'runs'>>(
  name: C,
  body: Omit<JsonDocument<C>, Stamp>,
): JsonDocument<C>;
export function jsonDocument(name: 'resume', body: ResumeBody): JsonDocument<'resume'>;
export function jsonDocument(
  name: 'runs',
  body: Omit<z.input<typeof runsListDocument>, Stamp> | Omit<z.input<typeof runsPruneDocument>, Stamp>,
): JsonDocument<'runs'>;
export function jsonDocument(name: JsonCommand, body: object): object {
  return { schemaVersion: JSON_SCHEMA_VERSION, command: name, ...body };
}

/** The commands whose document is a run's summary. */
export type RunCommand = 'restore' | 'clone' | 'snapshot-only' | 'resume' | 'abort';

/** The published JSON Schema of the error document alone (schemas/error.schema.json): any command may print it. */
export function errorJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(errorDocumentSchema),
    title: 'trapheus error document',
    description: `What any \`trapheus <command> --json\` prints when the command fails before it has a result. schemaVersion ${JSON_SCHEMA_VERSION}.`,
  };
}

/** A run's summary as the JSON document of `name` (the run's own command is `runCommand`); `status` 'error' for a failed preflight. */
export function runJsonDocument(name: RunCommand, summary: RunSummary, status: RunSummary['status'] | 'error' = summary.status) {
  const { command: runCommand, status: _status, ...rest } = summary;
  const body: Omit<z.input<ReturnType<typeof runDocument<RunCommand>>>, Stamp> = { status, runCommand, ...rest };
  return { schemaVersion: JSON_SCHEMA_VERSION, command: name, ...body };
}

/** The error document of a failed command. */
export function errorJsonDocument(
  name: string | undefined,
  error: { name: string; message: string; hint?: string | undefined },
): ErrorDocument {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    command: name ?? null,
    status: 'error',
    error: { name: error.name, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
  };
}

/** A fleet's document: each run (with its summary where it has one), the worst outcome and its exit code. */
export function fleetJsonDocument(
  name: 'restore' | 'snapshot-only',
  result: FleetResult,
  exitCodes: Record<FleetOutcome, number>,
): z.input<ReturnType<typeof fleetDocument<'restore' | 'snapshot-only'>>> {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    command: name,
    fleet: true,
    status: result.worst,
    exitCode: exitCodes[result.worst],
    runs: result.runs.map((r) => {
      const run =
        r.summary &&
        (({ command: runCommand, status, ...rest }: RunSummary) => ({
          ...rest,
          runCommand,
          status: status === 'planned' && rest.error ? ('error' as const) : status,
        }))(r.summary);
      return {
        identifier: r.identifier,
        runId: r.runId,
        outcome: r.outcome,
        status: r.status,
        exitCode: exitCodes[r.outcome],
        durationMs: r.durationMs,
        ...(r.error ? { error: r.error } : {}),
        ...(run ? { run } : {}),
      };
    }),
  };
}
