import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alerter } from '../../src/alerts/alert.js';
import type { ExportGateway } from '../../src/aws/export-gateway.js';
import {
  commandDocumentSchemas,
  errorJsonSchema,
  JSON_SCHEMA_VERSION,
  jsonOutputSchema,
  type JsonCommand,
} from '../../src/cli/json-documents.js';
import { instanceWorld } from '../workflows/instance-world.js';
import { cli, publishedSchema, recorder, root, theDocument } from './cli-harness.js';

const exportConfig = { bucket: 'my-exports', kmsKeyId: 'alias/trapheus-export', iamRoleArn: 'arn:aws:iam::123456789012:role/export' };

/** An export gateway in memory: the bucket and key exist (or not), tasks start and are listed. */
function memoryExports(opts: { bucket?: boolean; key?: boolean } = {}): ExportGateway {
  const tasks: { taskId: string; sourceArn: string }[] = [];
  return {
    bucketExists: async () => opts.bucket ?? true,
    bucketSetup: async () => ({ publicAccessBlocked: true, encrypted: true }),
    describeKey: async () =>
      opts.key === false ? undefined : { keyId: 'k', arn: 'arn:aws:kms:us-east-1:1:key/k', enabled: true, symmetric: true },
    readKeyPolicy: async () => ({ readable: false, reason: 'AccessDeniedException' }),
    exportTasksOf: async () => [],
    describeExportTasks: async (id?: string) =>
      tasks
        .filter((t) => !id || t.taskId === id)
        .map((t) => ({ ...t, status: 'STARTING', bucket: 'my-exports', startedAt: new Date('2026-11-24T11:45:01Z') })),
    startExportTask: async (r: { taskId: string; sourceArn: string }) => void tasks.push(r),
  } as unknown as ExportGateway;
}

const alerter = (channel: string, fails = false): Alerter => ({
  channel,
  send: async () => {
    if (fails) throw new Error('HTTP 404 no_service');
  },
});

/** A world with one interrupted restore of db1 (its run id returned), for resume and abort. */
async function interruptedRun() {
  const world = instanceWorld();
  world.rds.onCall('restoreInstance', () => world.controller.abort(new Error('SIGINT')));
  const first = cli(world);
  expect(await first.run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes', '--json')).toBe(130);
  const { runId } = theDocument('restore', first.rec.out) as { runId: string };
  world.rds.clearFaults();
  const controller = new AbortController();
  const next = { ...world, controller, deps: { ...world.deps, signal: controller.signal } };
  return { world: next, runId };
}

interface Scenario {
  name: string;
  /** The command line, and the world it runs in (a fresh instance world by default). */
  setup?: () => Promise<{ world?: ReturnType<typeof instanceWorld>; argv?: string[] }>;
  argv?: string[];
  exit: number;
  /** What the document says. */
  expected: Record<string, unknown>;
}

/** Every command, with every kind of document it prints (a Record: a command without scenarios does not compile). */
const scenarios: Record<JsonCommand, Scenario[]> = {
  restore: [
    {
      name: 'a run that succeeds',
      argv: ['restore', '--identifier', 'db1', '--snapshot', 's1', '--yes', '--json'],
      exit: 0,
      expected: { status: 'succeeded', runCommand: 'restore', identifier: 'db1' },
    },
    {
      name: 'a dry run',
      argv: ['restore', '--identifier', 'db1', '--snapshot', 's1', '--dry-run', '--json'],
      exit: 0,
      expected: { status: 'planned', runId: null, preflight: expect.any(Array) },
    },
    {
      name: 'a dry run whose preflight fails: error, not planned',
      argv: ['restore', '--identifier', 'db1', '--snapshot', 'nope', '--dry-run', '--json'],
      exit: 3,
      expected: { status: 'error', error: expect.objectContaining({ name: 'PreconditionError' }), preflight: expect.any(Array) },
    },
    {
      name: 'a run whose preflight fails',
      argv: ['restore', '--identifier', 'db1', '--snapshot', 'nope', '--yes', '--json'],
      exit: 3,
      expected: { status: 'error', error: expect.objectContaining({ message: expect.stringMatching(/nope/) }) },
    },
    {
      name: 'a run that is rolled back',
      setup: async () => {
        const world = instanceWorld();
        world.rds.setRestoreOutcome('incompatible-parameters');
        return { world };
      },
      argv: ['restore', '--identifier', 'db1', '--snapshot', 's1', '--yes', '--json'],
      exit: 1,
      expected: { status: 'rolled_back', error: expect.any(Object) },
    },
    {
      name: 'bad usage: the error document names the command',
      argv: ['restore', '--yes', '--json'],
      exit: 2,
      expected: { status: 'error', command: 'restore', error: expect.objectContaining({ name: 'UsageError' }) },
    },
  ],
  clone: [
    {
      name: 'a clone that succeeds',
      argv: ['clone', '--identifier', 'db1', '--target', 'copy-db', '--snapshot', 's1', '--yes', '--json'],
      exit: 0,
      expected: { status: 'succeeded', runCommand: 'clone', identifier: 'db1', target: 'copy-db' },
    },
    {
      name: 'a dry run',
      argv: ['clone', '--identifier', 'db1', '--target', 'copy-db', '--snapshot', 's1', '--dry-run', '--json'],
      exit: 0,
      expected: { status: 'planned', runId: null, target: 'copy-db', preflight: expect.any(Array) },
    },
    {
      name: 'a snapshot that does not exist: the preflight fails',
      argv: ['clone', '--identifier', 'db1', '--target', 'db1-copy', '--snapshot', 'nope', '--yes', '--json'],
      exit: 3,
      expected: { status: 'error', error: expect.objectContaining({ name: 'PreconditionError' }) },
    },
  ],
  'snapshot-only': [
    {
      name: 'a snapshot',
      argv: ['snapshot-only', '--identifier', 'db1', '--json'],
      exit: 0,
      expected: { status: 'succeeded', runCommand: 'snapshot-only', snapshotIdentifier: expect.stringMatching(/^trapheus-db1-/) },
    },
    {
      name: 'a database that does not exist',
      argv: ['snapshot-only', '--identifier', 'nope', '--json'],
      exit: 3,
      expected: { status: 'error', command: 'snapshot-only' },
    },
  ],
  resume: [
    {
      name: '--dry-run: what a resume would do',
      setup: async () => {
        const { world, runId } = await interruptedRun();
        return { world, argv: ['resume', runId, '--dry-run', '--json'] };
      },
      exit: 0,
      expected: { status: 'planned', direction: 'forward', runCommand: 'restore', pastPointOfNoReturn: false },
    },
    {
      name: 'a resumed run',
      setup: async () => {
        const { world, runId } = await interruptedRun();
        return { world, argv: ['resume', runId, '--json'] };
      },
      exit: 0,
      expected: { status: 'succeeded', runCommand: 'restore' },
    },
  ],
  abort: [
    {
      name: 'a reverted run',
      setup: async () => {
        const { world, runId } = await interruptedRun();
        return { world, argv: ['abort', runId, '--yes', '--json'] };
      },
      exit: 0,
      expected: { status: 'rolled_back', runCommand: 'restore' },
    },
  ],
  runs: [
    {
      name: 'the list',
      setup: async () => {
        const { world } = await interruptedRun();
        return { world };
      },
      argv: ['runs', '--json'],
      exit: 0,
      expected: { status: 'ok', runs: [expect.objectContaining({ status: 'interrupted', identifier: 'db1' })] },
    },
  ],
  status: [
    {
      name: 'one run',
      setup: async () => {
        const { world, runId } = await interruptedRun();
        return { world, argv: ['status', runId, '--json'] };
      },
      exit: 0,
      expected: { status: 'interrupted', runCommand: 'restore', events: expect.any(Array) },
    },
    {
      name: 'an unknown run',
      argv: ['status', '20261124-114501-db1-3f9a', '--json'],
      exit: 3,
      expected: { status: 'error', command: 'status' },
    },
  ],
  'setup-export': [
    {
      name: 'everything in place',
      setup: async () => {
        const world = instanceWorld();
        world.deps.exports = memoryExports();
        return { world };
      },
      argv: ['setup-export', '--bucket', 'my-exports', '--json'],
      exit: 0,
      expected: { status: 'ok', missing: [], changes: [] },
    },
    {
      name: 'something missing: one document with the report and the error',
      setup: async () => {
        const world = instanceWorld();
        world.deps.exports = memoryExports({ bucket: false, key: false });
        return { world };
      },
      argv: ['setup-export', '--bucket', 'my-exports', '--json'],
      exit: 3,
      expected: {
        status: 'error',
        missing: ['KMS key alias/trapheus-export', 'bucket my-exports'],
        error: expect.objectContaining({ name: 'PreconditionError', hint: expect.stringMatching(/--create/) }),
      },
    },
  ],
  'setup-state': [
    {
      // Its result document is tested with the S3 state store (test/cli/setup-state*.test.ts); here, bad usage.
      name: 'bad usage: no --bucket',
      argv: ['setup-state', '--json'],
      exit: 2,
      expected: { status: 'error', command: 'setup-state', error: expect.objectContaining({ name: 'UsageError' }) },
    },
  ],
  snapshots: [
    {
      name: "a database's snapshots",
      setup: async () => {
        const world = instanceWorld();
        // The fake RDS has no point-in-time side: a window as RDS reports one.
        world.rds.describeInstanceRestorableWindow = async () => ({
          backupRetentionPeriod: 7,
          earliest: new Date('2026-11-20T00:00:00Z'),
          latest: new Date('2026-11-24T11:40:00Z'),
        });
        return { world };
      },
      argv: ['snapshots', '--identifier', 'db1', '--json'],
      exit: 0,
      expected: { status: 'ok', identifier: 'db1', snapshots: expect.arrayContaining([expect.objectContaining({ identifier: 's1' })]) },
    },
  ],
  export: [
    {
      name: 'a started export',
      setup: async () => {
        const world = instanceWorld({ export: exportConfig });
        world.deps.exports = memoryExports();
        return { world };
      },
      argv: ['export', '--identifier', 'db1', '--snapshot', 's1', '--json'],
      exit: 0,
      expected: {
        status: 'ok',
        snapshotIdentifier: 's1',
        task: expect.objectContaining({ status: 'STARTING', startedAt: '2026-11-24T11:45:01.000Z' }),
      },
    },
  ],
  'export-status': [
    {
      name: 'no tasks',
      setup: async () => {
        const world = instanceWorld();
        world.deps.exports = memoryExports();
        return { world };
      },
      argv: ['export-status', '--json'],
      exit: 0,
      expected: { status: 'ok', tasks: [] },
    },
  ],
  'alert-test': [
    {
      name: 'every channel delivered',
      setup: async () => {
        const world = instanceWorld();
        world.deps.alerts = { alerters: [alerter('slack https://hooks.slack.com/…abcd')], onSuccess: false, attempts: 1 };
        return { world };
      },
      argv: ['alert-test', '--json'],
      exit: 0,
      expected: { status: 'ok', deliveries: [expect.objectContaining({ ok: true })] },
    },
    {
      name: 'a channel fails: one document with the deliveries and the error (it used to be two)',
      setup: async () => {
        const world = instanceWorld();
        world.deps.alerts = { alerters: [alerter('email a@example.com'), alerter('slack …abcd', true)], onSuccess: false, attempts: 1 };
        return { world };
      },
      argv: ['alert-test', '--json'],
      exit: 3,
      expected: {
        status: 'error',
        deliveries: [expect.objectContaining({ ok: true }), expect.objectContaining({ ok: false, error: expect.stringMatching(/404/) })],
        error: expect.objectContaining({ message: '1 of 2 alert channels failed.' }),
      },
    },
    {
      name: 'no channel configured',
      argv: ['alert-test', '--json'],
      exit: 2,
      expected: { status: 'error', command: 'alert-test', error: expect.objectContaining({ name: 'UsageError' }) },
    },
  ],
  config: [
    {
      name: 'the effective configuration',
      setup: async () => {
        const dir = await mkdtemp(path.join(os.tmpdir(), 'trapheus-json-'));
        await writeFile(path.join(dir, 'c.json'), JSON.stringify({ snapshots: { retain: 5 } }));
        return { argv: ['config', '--config', path.join(dir, 'c.json'), '--json'] };
      },
      exit: 0,
      expected: {
        status: 'ok',
        fileOrigin: '--config',
        values: expect.objectContaining({ 'snapshots.retain': expect.objectContaining({ value: 5 }) }),
      },
    },
  ],
  completion: [
    {
      name: 'a script',
      argv: ['completion', 'fish', '--json'],
      exit: 0,
      expected: { status: 'ok', shell: 'fish', script: expect.stringMatching(/complete -c trapheus/) },
    },
  ],
};

describe('--json: one document per command, with its schema version, command and status', () => {
  const cases = Object.entries(scenarios).flatMap(([command, list]) => list.map((s) => [command as JsonCommand, s.name, s] as const));

  it.each(cases)('%s: %s', async (command, _name, scenario) => {
    const set = (await scenario.setup?.()) ?? {};
    const { run, rec } = cli(set.world ?? instanceWorld());
    const argv = set.argv ?? scenario.argv ?? [];
    expect(await run(...argv)).toBe(scenario.exit);
    const doc = theDocument(command, rec.out);
    expect(doc).toMatchObject({ schemaVersion: JSON_SCHEMA_VERSION, command, ...scenario.expected });
  });

  it('an unknown command is the error document with no command (exit 2)', async () => {
    const { run, rec } = cli();
    expect(await run('no-such-command', '--json')).toBe(2);
    expect(JSON.parse(rec.out[0]!)).toEqual({
      schemaVersion: JSON_SCHEMA_VERSION,
      command: null,
      status: 'error',
      error: { name: 'UsageError', message: expect.stringMatching(/unknown command/) },
    });
    expect(publishedSchema('error').safeParse(JSON.parse(rec.out[0]!)).success).toBe(true);
    expect(rec.out).toHaveLength(1);
  });

  it('an unknown option names the command it was given to', async () => {
    const { run, rec } = cli();
    expect(await run('runs', '--json', '--no-such-flag')).toBe(2);
    expect(theDocument('runs', rec.out)).toMatchObject({ command: 'runs', status: 'error' });
  });

  it('--quiet --json: nothing but the document, nothing on stderr', async () => {
    const { run, rec } = cli();
    expect(await run('restore', '--identifier', 'db1', '--snapshot', 's1', '--yes', '--json', '--quiet')).toBe(0);
    expect(theDocument('restore', rec.out)).toMatchObject({ status: 'succeeded' });
    expect(rec.err).toEqual([]);
  });

  it('--json --verbose: progress lines go to stderr, stdout keeps the one document', async () => {
    const { run, rec } = cli(instanceWorld(), recorder());
    expect(await run('snapshot-only', '--identifier', 'db1', '--json', '--verbose')).toBe(0);
    theDocument('snapshot-only', rec.out);
    expect(rec.err.length).toBeGreaterThan(3);
  });
});

describe('published JSON Schemas (schemas/)', () => {
  const commands = Object.keys(commandDocumentSchemas) as JsonCommand[];

  it('holds one file per command and the error document, nothing else', async () => {
    const files = (await readdir(path.join(root, 'schemas'))).sort();
    expect(files).toEqual([...commands.map((c) => `${c}.schema.json`), 'error.schema.json'].sort());
  });

  it.each(commands)('schemas/%s.schema.json is what the zod schema generates (npm run schema)', async (command) => {
    const committed = JSON.parse(await readFile(path.join(root, 'schemas', `${command}.schema.json`), 'utf8')) as unknown;
    expect(committed, `schemas/${command}.schema.json is stale: run npm run schema`).toEqual(
      JSON.parse(JSON.stringify(jsonOutputSchema(command))),
    );
  });

  it('schemas/error.schema.json is what the zod schema generates', async () => {
    const committed = JSON.parse(await readFile(path.join(root, 'schemas', 'error.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(errorJsonSchema())));
  });

  it('a published schema refuses a document of another version, an unknown status, or an undeclared field', () => {
    const restore = publishedSchema('restore');
    const good = {
      schemaVersion: 1,
      command: 'restore',
      status: 'planned',
      runId: null,
      runCommand: 'restore',
      identifier: 'db1',
      cluster: false,
      steps: [],
      configDifferences: [],
      warnings: [],
    };
    expect(restore.safeParse(good).success).toBe(true);
    expect(restore.safeParse({ ...good, schemaVersion: 2 }).success).toBe(false);
    expect(restore.safeParse({ ...good, status: 'done' }).success).toBe(false);
    expect(restore.safeParse({ ...good, surprise: true }).success).toBe(false);
  });

  it('the package ships schemas/', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schemas');
  });
});
