import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { rdsIdentifierArg } from './arguments.js';
import type { CliContext } from './cli-context.js';
import type { CliResult, GlobalOptions } from './cli-types.js';
import type { RestoreOptions } from './commands/restore-command.js';

const EXAMPLES = {
  restore: `
Examples:
  $ trapheus restore --identifier db1 --dry-run                 # plan and preflight, changes nothing
  $ trapheus restore --identifier db1 --yes                     # from the newest snapshot trapheus took
  $ trapheus restore --identifier db1 --snapshot s1 --yes       # from a named snapshot (id or ARN)
  $ trapheus restore --identifier db1 --fresh-snapshot --yes    # snapshot first, then restore from it
  $ trapheus restore --identifier db1 --yes --json              # one JSON document on stdout, for CI
  $ trapheus restore --identifier db1 --strategy rename-first --yes   # the predecessor's order`,
  snapshot: `
Examples:
  $ trapheus snapshot-only --identifier db1
  $ trapheus snapshot-only --identifier db1 --json`,
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
  $ trapheus runs
  $ trapheus runs --json`,
  setupExport: `
Examples:
  $ trapheus setup-export --bucket my-exports                       # check only
  $ trapheus setup-export --bucket my-exports --kms-key alias/trapheus-export --create`,
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
};

/**
 * Parses argv and runs the command. Returns the result, or throws an error of the
 * `src/engine/errors.ts` hierarchy (commander's usage errors become `UsageError`).
 */
export async function runCli(argv: string[], ctx: CliContext): Promise<CliResult> {
  let result: CliResult = { status: 'ok' };
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
    .option('--json', 'print exactly one JSON document on stdout, nothing else')
    .option('--verbose', 'print every journaled event and notice on stderr')
    .option('--no-color', 'no colours (NO_COLOR is respected too)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.output.out(s.trimEnd()), writeErr: (s) => ctx.output.err(s.trimEnd()) });

  const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals<GlobalOptions>();

  program
    .command('restore')
    .description('restore a DB instance (or, with --cluster, an Aurora cluster) in place from a snapshot')
    .requiredOption('--identifier <id>', 'the DB instance (or cluster) identifier', rdsIdentifierArg('--identifier'))
    .option('--cluster', 'the identifier is an Aurora DB cluster')
    .addOption(
      new Option('--snapshot <id>', 'snapshot id or ARN (default: the newest trapheus took, else <id>-snapshot)')
        .argParser(rdsIdentifierArg('--snapshot'))
        .conflicts('freshSnapshot'),
    )
    .option('--fresh-snapshot', 'take a new snapshot first and restore from it')
    .option('--final-snapshot', 'take a final snapshot of the replaced database before deleting it')
    .option(
      '--manage-master-password',
      'the master password is managed in Secrets Manager: give the restored database a new secret (same KMS key, new password); required for such a database. Default: restore.manageMasterUserPassword',
    )
    .addOption(
      new Option(
        '--strategy <strategy>',
        'swap: restore aside, then cut over (downtime: two renames); rename-first: rename away, then restore (downtime: the whole restore). Default: restore.strategy (swap)',
      ).choices(['swap', 'rename-first']),
    )
    .option('--export', 'also export the snapshot to S3 (export.* config); never blocks the restore')
    .option('--dry-run', 'show the plan and the preflight result; change nothing')
    .option('--yes', 'do not ask for confirmation (required without a terminal)')
    .addHelpText('after', EXAMPLES.restore)
    .action(async (opts: RestoreOptions, cmd: Command) => {
      const { restoreCommand } = await import('./commands/restore-command.js');
      result = await restoreCommand(opts, globals(cmd), ctx);
    });

  program
    .command('snapshot-only')
    .description("take a new manual snapshot, tagged as trapheus's, and prune its older ones")
    .requiredOption('--identifier <id>', 'the DB instance (or cluster) identifier', rdsIdentifierArg('--identifier'))
    .option('--cluster', 'the identifier is an Aurora DB cluster')
    .option('--export', 'also export the new snapshot to S3 (export.* config)')
    .addHelpText('after', EXAMPLES.snapshot)
    .action(async (opts: { identifier: string; cluster?: boolean; export?: boolean }, cmd: Command) => {
      const { snapshotCommand } = await import('./commands/snapshot-command.js');
      result = await snapshotCommand(opts, globals(cmd), ctx);
    });

  program
    .command('resume')
    .description('continue an unfinished run (or its revert) from where it stopped')
    .argument('[run-id]', 'the run to resume (default: the newest unfinished run)')
    .option('--dry-run', 'say which run a resume would continue and what it would do; change nothing')
    .addHelpText('after', EXAMPLES.resume)
    .action(async (runId: string | undefined, opts: { dryRun?: boolean }, cmd: Command) => {
      const { resumeCommand } = await import('./commands/resume-command.js');
      result = await resumeCommand(runId, opts, globals(cmd), ctx);
    });

  program
    .command('abort')
    .description('revert an unfinished run that has not passed its point of no return (the original back under its name)')
    .argument('<run-id>', 'the run to revert')
    .option('--yes', 'do not ask for confirmation (required without a terminal)')
    .addHelpText('after', EXAMPLES.abort)
    .action(async (runId: string, opts: { yes?: boolean }, cmd: Command) => {
      const { abortCommand } = await import('./commands/abort-command.js');
      result = await abortCommand(runId, opts, globals(cmd), ctx);
    });

  program
    .command('runs')
    .description('list runs: id, command, identifier, status, start, duration')
    .addHelpText('after', EXAMPLES.runs)
    .action(async (_opts: unknown, cmd: Command) => {
      const { runsCommand } = await import('./commands/runs-command.js');
      result = await runsCommand(globals(cmd), ctx);
    });

  program
    .command('status')
    .description("show one run's steps and events")
    .argument('<run-id>', 'the run')
    .addHelpText('after', EXAMPLES.status)
    .action(async (runId: string, _opts: unknown, cmd: Command) => {
      const { statusCommand } = await import('./commands/status-command.js');
      result = await statusCommand(runId, globals(cmd), ctx);
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
      result = await setupExportCommand(opts, globals(cmd), ctx);
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
      result = await exportCommand(opts, globals(cmd), ctx);
    });

  program
    .command('export-status')
    .description("list trapheus's export tasks with status and progress (or one task)")
    .argument('[task-id]', 'one export task')
    .addHelpText('after', EXAMPLES.exportStatus)
    .action(async (taskId: string | undefined, _opts: unknown, cmd: Command) => {
      const { exportStatusCommand } = await import('./commands/export-commands.js');
      result = await exportStatusCommand(taskId, globals(cmd), ctx);
    });

  program
    .command('alert-test')
    .description('send a test alert to every configured channel (SES e-mail, Slack webhooks)')
    .addHelpText('after', EXAMPLES.alertTest)
    .action(async (_opts: unknown, cmd: Command) => {
      const { alertTestCommand } = await import('./commands/alert-test-command.js');
      result = await alertTestCommand(globals(cmd), ctx);
    });

  program
    .command('config')
    .description('show the effective configuration and where each value came from (flag, environment, file, default); secrets redacted')
    .addHelpText('after', EXAMPLES.config)
    .action(async (_opts: unknown, cmd: Command) => {
      const { configCommand } = await import('./commands/config-command.js');
      result = await configCommand(globals(cmd), ctx);
    });

  for (const cmd of program.commands) {
    cmd.exitOverride().showHelpAfterError('(run with --help for usage)');
  }
  // Any command but `config` (which must work on a broken set-up) first finds runs whose process died.
  program.hook('preAction', async (_program, command) => {
    if (command.name() === 'config') return;
    const { checkCrashedRuns } = await import('./check-crashed-runs.js');
    await checkCrashedRuns(globals(command), ctx);
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')
        return { status: 'ok' };
      if (error.code === 'commander.executeSubCommandAsync') return { status: 'ok' };
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
