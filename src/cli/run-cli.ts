import { Argument, Command, CommanderError, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { positiveIntegerArg, rdsIdentifierArg, rdsIdentifierListArg } from './arguments.js';
import type { CliContext } from './cli-context.js';
import type { CliResult, GlobalOptions } from './cli-types.js';
import type { RestoreOptions } from './commands/restore-command.js';
import type { CloneOptions } from './commands/clone-command.js';
import type { RunsOptions } from './commands/runs-command.js';
import type { SnapshotOptions } from './commands/snapshot-command.js';
import { SHELLS, type Shell } from './completion.js';
import { mayBeTerminal } from './output.js';

const EXAMPLES = {
  restore: `
Examples:
  $ trapheus restore --identifier db1 --dry-run                 # plan and preflight, changes nothing
  $ trapheus restore --identifier db1 --yes                     # from the newest snapshot trapheus took
  $ trapheus restore --identifier db1 --snapshot s1 --yes       # from a named snapshot (id or ARN)
  $ trapheus restore --identifier db1 --fresh-snapshot --yes    # snapshot first, then restore from it
  $ trapheus restore --identifier db1 --yes --json              # one JSON document on stdout, for CI
  $ trapheus restore --identifier db1 --strategy rename-first --yes   # the predecessor's order
  $ trapheus restore --identifier staging-db --from prod-db --yes   # refresh staging from production's newest snapshot
  $ trapheus restore --identifier db1 --to-time 2026-11-26T09:30:00Z --yes   # roll back to a point in time
  $ trapheus restore --identifier db1 --latest-restorable --yes     # a copy of its latest restorable state
  $ trapheus restore --identifier db1 --snapshot arn:aws:rds:eu-west-1:111122223333:snapshot:s1 --yes   # shared by another account: copied here first
  $ trapheus restore --identifier db1 --snapshot s1 --source-region us-east-1 --yes   # of another region: copied here first
  $ trapheus restore --tag env=staging --concurrency 4 --yes --json   # a fleet: one run per tagged database, one summary`,
  snapshots: `
Examples:
  $ trapheus snapshots --identifier db1             # manual, trapheus's and automated snapshots, newest first; the restorable window
  $ trapheus snapshots --identifier c1 --cluster --json`,
  clone: `
Examples:
  $ trapheus clone --identifier prod-db --target copy-db --dry-run       # plan and preflight, creates nothing
  $ trapheus clone --identifier prod-db --target copy-db --yes           # from the newest snapshot trapheus took
  $ trapheus clone --identifier prod-db --target copy-db --fresh-snapshot --instance-class db.t4g.medium --yes
  $ trapheus clone --identifier prod-c --cluster --target dev-c --snapshot s1 --security-groups sg-0abc --yes --json`,
  snapshot: `
Examples:
  $ trapheus snapshot-only --identifier db1
  $ trapheus snapshot-only --identifier db1 --json
  $ trapheus snapshot-only --identifier prod-db --share-with 111122223333   # for a restore in that account
  $ trapheus snapshot-only --identifiers-file dbs.txt --json   # a fleet: one per line, # comments`,
  resume: `
Examples:
  $ trapheus resume                          # the newest unfinished run (says which before it acts)
  $ trapheus resume 20261124-114501-db1-3f9a
  $ trapheus resume --dry-run                # which run, and what a resume would do; changes nothing`,
  abort: `
Examples:
  $ trapheus abort 20261124-114501-db1-3f9a          # in a terminal: asks to type the identifier
  $ trapheus abort 20261124-114501-db1-3f9a --yes    # from CI or cron`,
  runs: `
Examples:
  $ trapheus runs                       # the newest 20 runs and every unfinished one
  $ trapheus runs --all --json
  $ trapheus runs --prune --dry-run     # what journal.retention would delete; deletes nothing
  $ trapheus runs --prune               # from cron: keeps unfinished and unreadable runs`,
  setupExport: `
Examples:
  $ trapheus setup-export --bucket my-exports                       # check only
  $ trapheus setup-export --bucket my-exports --kms-key alias/trapheus-export --create`,
  setupState: `
Examples:
  $ trapheus setup-state --bucket my-team-trapheus                   # check only
  $ trapheus setup-state --bucket my-team-trapheus --prefix prod --create
  $ trapheus restore --identifier db1 --state s3://my-team-trapheus/prod`,
  export: `
Examples:
  $ trapheus export --identifier db1                                # newest trapheus snapshot of db1
  $ trapheus export --identifier c1 --cluster --snapshot cs1 --prefix weekly/ --wait
  $ trapheus export --identifier db1 --tables mydb.orders,mydb.customers`,
  exportStatus: `
Examples:
  $ trapheus export-status
  $ trapheus export-status trapheus-db1-20261124-114501`,
  alertTest: `
Examples:
  $ trapheus alert-test
  $ TRAPHEUS_SLACK_WEBHOOK_URLS=https://hooks.slack.com/services/… trapheus alert-test --json`,
  status: `
Examples:
  $ trapheus status 20261124-114501-db1-3f9a
  $ trapheus status 20261124-114501-db1-3f9a --json`,
  config: `
Examples:
  $ trapheus config                                  # every key, its value and where it came from
  $ trapheus config --config ci/trapheus.json --json`,
  completion: `
Examples:
  $ trapheus completion bash > ~/.local/share/bash-completion/completions/trapheus
  $ trapheus completion zsh > "\${fpath[1]}/_trapheus"
  $ trapheus completion fish > ~/.config/fish/completions/trapheus.fish`,
};

/** What main.ts needs to know about the command line to report an error the way it asked. */
export interface Invocation {
  /** The command that ran (or failed), once the command line was read that far. */
  command?: string;
  json?: boolean;
  debug?: boolean;
}

/** `--debug`, or TRAPHEUS_DEBUG set and not empty (the older switch, still honoured). */
export function isDebug(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes('--debug') || (env.TRAPHEUS_DEBUG ?? '') !== '';
}

/**
 * The whole command line — every command, its options and arguments — without running anything:
 * `runCli` parses with it, `trapheus completion` and the README test read it. Each command's
 * action hands its result to `finish`.
 */
export function buildProgram(ctx: CliContext, finish: (result: CliResult) => void = () => undefined): Command {
  const program = new Command('trapheus')
    .description('Restore an Amazon RDS DB instance or Aurora DB cluster in place from a snapshot, without ever losing the original.')
    .version(ctx.version, '-V, --version')
    .option(
      '--config <file>',
      'config file (default: TRAPHEUS_CONFIG, else .trapheusrc.json here or in a parent up to the repository root, else ~/.config/trapheus/config.json)',
    )
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile)')
    .option('--profile <name>', 'AWS shared-config profile (default: AWS_PROFILE)')
    .option('--journal-dir <dir>', 'where run journals and locks are kept (default: ~/.trapheus/runs)')
    .option(
      '--state <url>',
      'keep run journals and locks in S3, shared by every host: s3://BUCKET/PREFIX (default: state.url, TRAPHEUS_STATE)',
    )
    .option(
      '--log-file <file>',
      'also append one line per event to this file, created 0600, never truncated (default: logFile, TRAPHEUS_LOG_FILE)',
    )
    .option('--json', 'print exactly one JSON document on stdout, nothing else (schemas/<command>.schema.json)')
    .addOption(new Option('--verbose', 'print every journaled event and notice on stderr').conflicts('quiet'))
    .option('--quiet', 'only errors and the final result line (with --json: nothing but the document)')
    .option('--debug', 'on an error, print its stack traces and AWS request ids (also TRAPHEUS_DEBUG=1)')
    .option('--no-color', 'no colours (NO_COLOR is respected too)')
    // Every subcommand's --help lists these too (they are taken before or after the command).
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  // commander asks process.stdout/stderr for the help's width and colours, which sets the streams
  // up: only worth it on a terminal. (trapheus's help has no colours to keep or strip.)
  const defaults = program.configureOutput();
  program.configureOutput({
    writeOut: (s) => ctx.output.out(s.trimEnd()),
    writeErr: (s) => ctx.output.err(s.trimEnd()),
    // undefined: commander's own answer off a terminal (its types say number).
    getOutHelpWidth: () => (mayBeTerminal(1) ? defaults.getOutHelpWidth?.() : undefined) as number,
    getErrHelpWidth: () => (mayBeTerminal(2) ? defaults.getErrHelpWidth?.() : undefined) as number,
    getOutHasColors: () => (mayBeTerminal(1) ? Boolean(defaults.getOutHasColors?.()) : false),
    getErrHasColors: () => (mayBeTerminal(2) ? Boolean(defaults.getErrHasColors?.()) : false),
  });

  program
    .command('restore')
    .description('restore a DB instance (or, with --cluster, an Aurora cluster) in place from a snapshot')
    .addOption(fleetIdentifierOption())
    .addOption(fleetFileOption())
    .addOption(fleetTagOption())
    .addOption(fleetConcurrencyOption())
    .option('--cluster', 'the identifier is an Aurora DB cluster')
    .addOption(snapshotOption())
    .option('--fresh-snapshot', 'take a new snapshot first and restore from it')
    .option(
      '--from <other-db>',
      "restore another database's data (its newest available snapshot, manual or automated; or --snapshot of it; or with --to-time its point in time), keeping this database's configuration",
      rdsIdentifierArg('--from'),
    )
    .addOption(
      toTimeOption('restore the data as it was at this time (ISO 8601 with offset, e.g. 2026-11-26T09:30:00Z): point-in-time restore'),
    )
    .addOption(latestRestorableOption('restore the data at the latest restorable time (point-in-time restore)'))
    .option(
      '--source-region <region>',
      'the --snapshot is in this region: it is copied into this account and region first (like a --snapshot ARN of another account or region)',
    )
    .option('--final-snapshot', 'take a final snapshot of the replaced database before deleting it')
    .option(
      '--manage-master-password',
      'the master password is managed in Secrets Manager: give the restored database a new secret (same KMS key, new password); required for such a database. Default: restore.manageMasterUserPassword',
    )
    .addOption(
      new Option(
        '--strategy <strategy>',
        'swap: restore aside, then cut over (downtime: two renames; an Aurora cluster with readers: a cluster rename and a failover); rename-first: rename away, then restore (downtime: the whole restore). Default: restore.strategy (swap)',
      ).choices(['swap', 'rename-first']),
    )
    .option('--export', 'also export the snapshot to S3 (export.* config); never blocks the restore')
    .option('--dry-run', 'show the plan and the preflight result; change nothing')
    .option('--yes', 'do not ask for confirmation (required without a terminal)')
    .addHelpText('after', EXAMPLES.restore)
    .action(async (opts: RestoreOptions, cmd: Command) => {
      const { restoreCommand } = await import('./commands/restore-command.js');
      finish(await restoreCommand(opts, globals(cmd), ctx));
    });

  program
    .command('clone')
    .description("create a new database from a snapshot with the source's configuration (overridable); nothing of the source is changed")
    .requiredOption('--identifier <id>', 'the DB instance (or cluster) to clone; only read', rdsIdentifierArg('--identifier'))
    .requiredOption('--target <id>', 'the identifier of the new database (must not exist)', rdsIdentifierArg('--target'))
    .option('--cluster', 'the identifier is an Aurora DB cluster (its members are cloned too)')
    .addOption(snapshotOption())
    .option('--fresh-snapshot', 'take a new snapshot of the source first and clone it')
    .addOption(toTimeOption("clone the source's data as it was at this time (ISO 8601 with offset): point-in-time restore"))
    .addOption(latestRestorableOption("clone the source's data at its latest restorable time (point-in-time restore)"))
    .option('--instance-class <class>', "the clone's instance class (cluster: every member's)")
    .option('--subnet-group <name>', "the clone's DB subnet group")
    .option('--security-groups <ids>', "the clone's VPC security groups, comma-separated (sg-…)")
    .option('--parameter-group <name>', "the clone's DB parameter group (cluster: DB cluster parameter group)")
    .option(
      '--manage-master-password',
      "the source's master password is managed in Secrets Manager: give the clone its own new secret. Default: restore.manageMasterUserPassword",
    )
    .option('--dry-run', 'show the plan and the preflight result; create nothing')
    .option('--yes', 'do not ask for confirmation (required without a terminal)')
    .addHelpText('after', EXAMPLES.clone)
    .action(async (opts: CloneOptions, cmd: Command) => {
      const { cloneCommand } = await import('./commands/clone-command.js');
      finish(await cloneCommand(opts, globals(cmd), ctx));
    });

  program
    .command('snapshot-only')
    .description("take a new manual snapshot, tagged as trapheus's, and prune its older ones")
    .addOption(fleetIdentifierOption())
    .addOption(fleetFileOption())
    .addOption(fleetTagOption())
    .addOption(fleetConcurrencyOption())
    .option('--cluster', 'the identifier is an Aurora DB cluster')
    .option('--export', 'also export the new snapshot to S3 (export.* config)')
    .option('--share-with <accounts>', 'share the new snapshot with these AWS account ids (comma-separated), for a restore there')
    .addHelpText('after', EXAMPLES.snapshot)
    .action(async (opts: SnapshotOptions, cmd: Command) => {
      const { snapshotCommand } = await import('./commands/snapshot-command.js');
      finish(await snapshotCommand(opts, globals(cmd), ctx));
    });

  program
    .command('snapshots')
    .description(
      'list what a database can be restored from: manual, trapheus and automated snapshots, newest first, and the point-in-time window',
    )
    .requiredOption('--identifier <id>', 'the DB instance (or cluster) identifier', rdsIdentifierArg('--identifier'))
    .option('--cluster', 'the identifier is an Aurora DB cluster')
    .addHelpText('after', EXAMPLES.snapshots)
    .action(async (opts: { identifier: string; cluster?: boolean }, cmd: Command) => {
      const { snapshotsCommand } = await import('./commands/snapshots-command.js');
      finish(await snapshotsCommand(opts, globals(cmd), ctx));
    });

  program
    .command('resume')
    .description('continue an unfinished run (or its revert) from where it stopped')
    .argument('[run-id]', 'the run to resume (default: the newest unfinished run)')
    .option('--dry-run', 'say which run a resume would continue and what it would do; change nothing')
    .addHelpText('after', EXAMPLES.resume)
    .action(async (runId: string | undefined, opts: { dryRun?: boolean }, cmd: Command) => {
      const { resumeCommand } = await import('./commands/resume-command.js');
      finish(await resumeCommand(runId, opts, globals(cmd), ctx));
    });

  program
    .command('abort')
    .description('revert an unfinished run that has not passed its point of no return (the original back under its name)')
    .argument('<run-id>', 'the run to revert')
    .option('--yes', 'do not ask for confirmation (required without a terminal)')
    .addHelpText('after', EXAMPLES.abort)
    .action(async (runId: string, opts: { yes?: boolean }, cmd: Command) => {
      const { abortCommand } = await import('./commands/abort-command.js');
      finish(await abortCommand(runId, opts, globals(cmd), ctx));
    });

  program
    .command('runs')
    .description('list runs (the newest 20 and every unfinished one): id, command, identifier, status, start, duration')
    .option('--limit <n>', 'show the newest N runs and every unfinished one (default: 20)')
    .option('--all', 'show every run')
    .option('--prune', 'delete the journals of finished runs journal.retention no longer keeps (never an unfinished or unreadable one)')
    .option('--dry-run', 'with --prune: show what would be deleted, delete nothing')
    .addHelpText('after', EXAMPLES.runs)
    .action(async (opts: RunsOptions, cmd: Command) => {
      const { runsCommand } = await import('./commands/runs-command.js');
      finish(await runsCommand(opts, globals(cmd), ctx));
    });

  program
    .command('status')
    .description("show one run's steps and events")
    .argument('<run-id>', 'the run')
    .addHelpText('after', EXAMPLES.status)
    .action(async (runId: string, _opts: unknown, cmd: Command) => {
      const { statusCommand } = await import('./commands/status-command.js');
      finish(await statusCommand(runId, globals(cmd), ctx));
    });

  program
    .command('setup-export')
    .description('check (and with --create, create) the S3 bucket and KMS key exports need; print the config and the IAM role policies')
    .requiredOption('--bucket <name>', 'the S3 bucket for exports')
    .option('--kms-key <alias>', 'KMS key alias', 'alias/trapheus-export')
    .option('--prefix <prefix>', 'key prefix to suggest in the config')
    .option('--create', 'create what is missing (bucket with public access blocked and default encryption, symmetric key with alias)')
    .addHelpText('after', EXAMPLES.setupExport)
    .action(async (opts: { bucket: string; kmsKey?: string; create?: boolean; prefix?: string }, cmd: Command) => {
      const { setupExportCommand } = await import('./commands/export-commands.js');
      finish(await setupExportCommand(opts, globals(cmd), ctx));
    });

  program
    .command('setup-state')
    .description(
      'check (and with --create, create) the S3 bucket for shared state (--state); print the config line and the IAM policy runners need',
    )
    .requiredOption('--bucket <name>', 'the S3 bucket that keeps run journals and locks')
    .option('--prefix <prefix>', 'key prefix of the state in the bucket', 'trapheus')
    .option('--create', 'create what is missing (the bucket, versioning, default encryption, a public access block); idempotent')
    .addHelpText('after', EXAMPLES.setupState)
    .action(async (opts: { bucket: string; prefix?: string; create?: boolean }, cmd: Command) => {
      const { setupStateCommand } = await import('./commands/setup-state-command.js');
      finish(await setupStateCommand(opts, globals(cmd), ctx));
    });

  program
    .command('export')
    .description('export a snapshot to S3 (Parquet, KMS-encrypted) with RDS snapshot export')
    .requiredOption('--identifier <id>', 'the DB instance (or cluster) identifier', rdsIdentifierArg('--identifier'))
    .option('--cluster', 'the identifier is an Aurora DB cluster')
    .option('--snapshot <id>', 'snapshot id or ARN (default: the newest trapheus took)', rdsIdentifierArg('--snapshot'))
    .option('--bucket <name>', 'S3 bucket (default: export.bucket)')
    .option('--prefix <prefix>', 'key prefix (default: export.prefix)')
    .option('--kms-key <key>', 'KMS key id, ARN or alias (default: export.kmsKeyId)')
    .option('--role-arn <arn>', 'IAM role RDS assumes to write (default: export.iamRoleArn)')
    .option(
      '--tables <list>',
      'only these, comma-separated: database or database.table (MySQL, MariaDB, Aurora MySQL); database, database.schema or database.schema.table (PostgreSQL, Aurora PostgreSQL)',
    )
    .option('--wait', 'follow the task until it completes (fails if it fails or is canceled)')
    .addHelpText('after', EXAMPLES.export)
    .action(async (opts: { identifier: string }, cmd: Command) => {
      const { exportCommand } = await import('./commands/export-commands.js');
      finish(await exportCommand(opts, globals(cmd), ctx));
    });

  program
    .command('export-status')
    .description("list trapheus's export tasks with status and progress (or one task)")
    .argument('[task-id]', 'one export task')
    .addHelpText('after', EXAMPLES.exportStatus)
    .action(async (taskId: string | undefined, _opts: unknown, cmd: Command) => {
      const { exportStatusCommand } = await import('./commands/export-commands.js');
      finish(await exportStatusCommand(taskId, globals(cmd), ctx));
    });

  program
    .command('alert-test')
    .description('send a test alert to every configured channel (SES e-mail, Slack webhooks)')
    .addHelpText('after', EXAMPLES.alertTest)
    .action(async (_opts: unknown, cmd: Command) => {
      const { alertTestCommand } = await import('./commands/alert-test-command.js');
      finish(await alertTestCommand(globals(cmd), ctx));
    });

  program
    .command('config')
    .description('show the effective configuration and where each value came from (flag, environment, file, default); secrets redacted')
    .addHelpText('after', EXAMPLES.config)
    .action(async (_opts: unknown, cmd: Command) => {
      const { configCommand } = await import('./commands/config-command.js');
      finish(await configCommand(globals(cmd), ctx));
    });

  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish) for every command and option')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText('after', EXAMPLES.completion)
    .action(async (shell: Shell, _opts: unknown, cmd: Command) => {
      const { completionCommand } = await import('./commands/completion-command.js');
      finish(await completionCommand(shell, program, globals(cmd), ctx));
    });

  for (const cmd of program.commands) {
    cmd.exitOverride().showHelpAfterError('(run with --help for usage)');
  }
  return program;
}

/**
 * Parses argv and runs the command. Returns the result, or throws an error of the
 * `src/core/errors.ts` hierarchy (commander's usage errors become `UsageError`); `invocation`
 * tells main.ts which command it was and how to report an error.
 */
export async function runCli(argv: string[], ctx: CliContext, invocation: Invocation = {}): Promise<CliResult> {
  let result: CliResult = { status: 'ok' };
  const program = buildProgram(ctx, (r) => (result = r));
  program.hook('preAction', async (_program, command) => {
    const options = globals(command);
    invocation.command = command.name();
    invocation.json = Boolean(options.json);
    invocation.debug = Boolean(options.debug) || isDebug([], ctx.env);
    // Any command but `config` (which must work on a broken set-up) and `completion` first finds runs whose process died.
    if (command.name() === 'config' || command.name() === 'completion') return;
    const { checkCrashedRuns } = await import('./check-crashed-runs.js');
    await checkCrashedRuns(options, ctx);
  });
  // --log-file: opened before the command acts (one that cannot be opened is exit 2), closed with the command's last line.
  let logging = false;
  program.hook('preAction', async (_program, command) => {
    if (command.name() === 'config' || command.name() === 'completion') return;
    const { startCommandLog } = await import('./log-file.js');
    logging = await startCommandLog(ctx, globals(command), command);
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
    if (logging) (await import('./log-file.js')).endCommandLog(ctx, { result });
  } catch (error) {
    if (logging) (await import('./log-file.js')).endCommandLog(ctx, { error });
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')
        return { status: 'ok' };
      if (error.code === 'commander.executeSubCommandAsync') return { status: 'ok' };
      // The command the bad usage was given to (the preAction hook never ran), for the error document.
      invocation.command ??= argv.find((arg) => program.commands.some((c) => c.name() === arg));
      // commander has already printed its message on stderr.
      throw new UsageError(error.message.replace(/^error: /, ''), { cause: error });
    }
    throw error;
  }
  if (argv.length === 0) {
    program.outputHelp();
  }
  return result;
}

const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals<GlobalOptions>();

/** `--identifier` (one, or a,b,c), `--identifiers-file`, `--tag` and `--concurrency` of `restore` and `snapshot-only` (fleets: README "Fleets"). */
function fleetIdentifierOption(): Option {
  return new Option('--identifier <id>', 'the DB instance (or cluster) identifier; a,b,c: a fleet, one run per database').argParser(
    rdsIdentifierListArg('--identifier'),
  );
}
function fleetFileOption(): Option {
  return new Option('--identifiers-file <file>', 'a fleet: the identifiers in this file, one per line (# starts a comment)').conflicts([
    'identifier',
    'tag',
  ]);
}
function fleetTagOption(): Option {
  return new Option('--tag <key=value>', 'a fleet: every DB instance (or, with --cluster, cluster) with this tag').conflicts('identifier');
}
function fleetConcurrencyOption(): Option {
  return new Option('--concurrency <n>', 'a fleet: at most this many runs at once (default: 4)').argParser(
    positiveIntegerArg('--concurrency'),
  );
}

/** Where the data of `restore` and `clone` comes from: a snapshot, or a point in time (they exclude each other). */
function snapshotOption(): Option {
  return new Option('--snapshot <id>', 'snapshot id or ARN (default: the newest trapheus took, else <id>-snapshot)')
    .argParser(rdsIdentifierArg('--snapshot'))
    .conflicts('freshSnapshot');
}
function toTimeOption(description: string): Option {
  return new Option('--to-time <time>', description).conflicts(['snapshot', 'freshSnapshot', 'latestRestorable']);
}
function latestRestorableOption(description: string): Option {
  return new Option('--latest-restorable', description).conflicts(['snapshot', 'freshSnapshot']);
}
