import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JSON_SCHEMA_VERSION, outputSchemaOf, type JsonCommand } from '../../src/cli/json-documents.js';
import { publishedSchema } from '../cli/cli-harness.js';
import { createInstanceFixture, resetMoto, runCli, tempJournalDir, type CliRun } from './moto.js';

/**
 * What the built CLI prints with --json against moto: stdout is exactly one JSON document (a
 * second one would make it unparseable), which parses with the command's zod schema and validates
 * against its published file in schemas/.
 */
function documentOf(command: JsonCommand, run: CliRun): Record<string, unknown> {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(run.stdout) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${command}: stdout is not one JSON document (${(error as Error).message}):\n${run.stdout}\nstderr:\n${run.stderr}`, {
      cause: error,
    });
  }
  const zod = outputSchemaOf(command).safeParse(doc);
  if (!zod.success) throw new Error(`${command}: ${z.prettifyError(zod.error)}\n${run.stdout}`);
  const published = publishedSchema(command).safeParse(doc);
  if (!published.success) throw new Error(`${command}: schemas/${command}.schema.json: ${z.prettifyError(published.error)}`);
  expect(doc).toMatchObject({ schemaVersion: JSON_SCHEMA_VERSION, command });
  return doc;
}

describe('--json against moto: one document per command, as its published schema says', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
    await createInstanceFixture({ identifier: 'db1' });
  });

  it('snapshot-only, restore (dry run, failed preflight, run), runs and status', async () => {
    const snapshot = await runCli(['snapshot-only', '--identifier', 'db1', '--json'], { journalDir });
    expect(snapshot.code, snapshot.stderr).toBe(0);
    const snapped = documentOf('snapshot-only', snapshot);
    expect(snapped).toMatchObject({ status: 'succeeded', runCommand: 'snapshot-only' });

    const dry = await runCli(['restore', '--identifier', 'db1', '--dry-run', '--json'], { journalDir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(documentOf('restore', dry)).toMatchObject({ status: 'planned', runId: null, snapshotIdentifier: snapped.snapshotIdentifier });

    const refused = await runCli(['restore', '--identifier', 'db1', '--snapshot', 'no-such-snapshot', '--dry-run', '--json'], {
      journalDir,
    });
    expect(refused.code, refused.stderr).toBe(3);
    expect(documentOf('restore', refused)).toMatchObject({
      status: 'error',
      error: { name: 'PreconditionError' },
      preflight: expect.arrayContaining([expect.objectContaining({ ok: false })]),
    });

    const restore = await runCli(['restore', '--identifier', 'db1', '--yes', '--json'], { journalDir });
    expect(restore.code, restore.stderr).toBe(0);
    const restored = documentOf('restore', restore);
    expect(restored).toMatchObject({ status: 'succeeded', runCommand: 'restore', identifier: 'db1' });

    const runs = await runCli(['runs', '--json'], { journalDir });
    expect(runs.code, runs.stderr).toBe(0);
    expect(documentOf('runs', runs)).toMatchObject({
      status: 'ok',
      runs: [expect.objectContaining({ runId: restored.runId, status: 'succeeded' }), expect.objectContaining({ runId: snapped.runId })],
    });

    const status = await runCli(['status', String(restored.runId), '--json'], { journalDir });
    expect(status.code, status.stderr).toBe(0);
    expect(documentOf('status', status)).toMatchObject({ status: 'succeeded', runCommand: 'restore', events: expect.any(Array) });
  }, 60_000);

  it('errors are one document too: bad usage (2), an unknown run (3)', async () => {
    const noYes = await runCli(['restore', '--identifier', 'db1', '--json'], { journalDir });
    expect(noYes.code).toBe(2);
    expect(documentOf('restore', noYes)).toMatchObject({
      status: 'error',
      error: { name: 'UsageError', hint: expect.stringMatching(/--yes/) },
    });

    const unknown = await runCli(['status', '20261124-114501-db1-3f9a', '--json'], { journalDir });
    expect(unknown.code).toBe(3);
    expect(documentOf('status', unknown)).toMatchObject({ status: 'error', command: 'status' });

    const flag = await runCli(['runs', '--json', '--no-such-flag'], { journalDir });
    expect(flag.code).toBe(2);
    expect(documentOf('runs', flag)).toMatchObject({ status: 'error', error: { name: 'UsageError' } });
  }, 60_000);

  it('alert-test with a failing channel: one document with every delivery and the error, exit 3', async () => {
    // A Slack webhook on loopback that refuses every post.
    const server: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('no_service');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/XXXX`;
      const run = await runCli(['alert-test', '--json'], { journalDir, env: { TRAPHEUS_SLACK_WEBHOOK_URLS: url } });
      expect(run.code, run.stderr).toBe(3);
      expect(documentOf('alert-test', run)).toMatchObject({
        status: 'error',
        deliveries: [expect.objectContaining({ ok: false, error: expect.stringMatching(/404/) })],
        error: { name: 'PreconditionError', message: '1 of 1 alert channels failed.' },
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);
});

describe('--debug against moto', () => {
  it('prints one line per AWS call with its request id, on stderr; stdout keeps the one document', async () => {
    await resetMoto();
    const journalDir = await tempJournalDir();
    await createInstanceFixture({ identifier: 'db1' });
    const run = await runCli(['snapshot-only', '--identifier', 'db1', '--json', '--debug'], { journalDir });
    expect(run.code, run.stderr).toBe(0);
    documentOf('snapshot-only', run);
    expect(run.stderr).toMatch(/^debug: aws RDS DescribeDBInstances → 200, request id \S+/m);
    expect(run.stderr).toMatch(/^debug: aws RDS CreateDBSnapshot → 200, request id \S+/m);

    // A call that fails says its error and request id too (the preflight of a database that does not exist).
    const missing = await runCli(['snapshot-only', '--identifier', 'nope', '--debug'], { journalDir, env: { TRAPHEUS_DEBUG: '' } });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^debug: aws RDS DescribeDBInstances → DBInstanceNotFound\w* \(404\), request id \S+/m);
  }, 60_000);
});
