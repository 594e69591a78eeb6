import { beforeEach, describe, expect, it } from 'vitest';
import { outputSchemaOf } from '../../src/cli/json-documents.js';
import { createInstanceFixture, describeInstance, resetMoto, runCli, tempJournalDir } from './moto.js';

interface FleetRun {
  identifier: string;
  runId: string | null;
  outcome: string;
  status: string;
  exitCode: number;
}

/** The one fleet document on stdout, checked against the command's schema. */
function fleetDocument(command: 'restore' | 'snapshot-only', stdout: string): { status: string; exitCode: number; runs: FleetRun[] } {
  const doc = JSON.parse(stdout) as { status: string; exitCode: number; runs: FleetRun[]; fleet: boolean };
  expect(outputSchemaOf(command).safeParse(doc).success).toBe(true);
  expect(doc.fleet).toBe(true);
  return doc;
}

describe('fleets against moto', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
    await createInstanceFixture({ identifier: 'db1', tags: { env: 'staging' } });
    await createInstanceFixture({ identifier: 'db2', tags: { env: 'staging' } });
    await createInstanceFixture({ identifier: 'db3', tags: { env: 'production' } });
  });

  it('restore --identifier db1,db2,nope --yes --json: two restored, the missing one a precondition failure, exit 3', async () => {
    // Snapshots of the two by tag: snapshot-only of a fleet.
    const snapped = await runCli(['snapshot-only', '--tag', 'env=staging', '--json'], { journalDir });
    expect(snapped.code, snapped.stderr).toBe(0);
    expect(fleetDocument('snapshot-only', snapped.stdout).runs.map((r) => [r.identifier, r.outcome])).toEqual([
      ['db1', 'succeeded'],
      ['db2', 'succeeded'],
    ]);

    const before = await describeInstance('db1');
    const run = await runCli(['restore', '--identifier', 'db1,db2,nope', '--yes', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(3);
    const doc = fleetDocument('restore', run.stdout);
    expect(doc).toMatchObject({ status: 'precondition_failed', exitCode: 3 });
    expect(doc.runs.map((r) => [r.identifier, r.outcome, r.exitCode])).toEqual([
      ['db1', 'succeeded', 0],
      ['db2', 'succeeded', 0],
      ['nope', 'precondition_failed', 3],
    ]);
    expect(new Set(doc.runs.map((r) => r.runId)).size).toBe(3);
    // Restored in place: the same names, new databases.
    const after = await describeInstance('db1');
    expect(after?.DBInstanceStatus).toBe('available');
    expect(after?.InstanceCreateTime?.getTime()).not.toBe(before?.InstanceCreateTime?.getTime());
    expect((await describeInstance('db2'))?.DBInstanceStatus).toBe('available');

    // Each run is a run of its own.
    const runs = await runCli(['runs', '--json'], { journalDir });
    const listed = (JSON.parse(runs.stdout) as { runs: { identifier: string; command: string }[] }).runs;
    expect(
      listed
        .filter((r) => r.command === 'restore')
        .map((r) => r.identifier)
        .sort(),
    ).toEqual(['db1', 'db2']);
  });
});
