import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DescribeDBInstancesCommand, RDSClient, StartExportTaskCommand } from '@aws-sdk/client-rds';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { simKit, type SimKit } from './sim-kit.js';
import { vitestTimers } from './virtual-time.js';

let kit: SimKit;
beforeEach(() => {
  kit = simKit(vitestTimers(vi));
  kit.sim.seedInstance({ DBInstanceIdentifier: 'db1' });
});
afterEach(() => kit.stop());

/** The RDS commands the RDS gateway's files send (`new XCommand(` and `paginateX(`). */
function gatewayCommands(): string[] {
  const dir = path.resolve(import.meta.dirname, '../../src/aws');
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !['sdk-export-gateway.ts', 'ses-alerter.ts'].includes(f))) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    // Only the files that talk to RDS (others in src/aws use S3, KMS, SES or STS clients).
    if (!text.includes("from '@aws-sdk/client-rds'")) continue;
    for (const m of text.matchAll(/new (\w+)Command\(/g)) names.add(m[1] ?? '');
    for (const m of text.matchAll(/paginate(\w+)\(/g)) names.add(m[1] ?? '');
  }
  return [...names].sort();
}

describe('installSimulatedRds', () => {
  it('simulates every command the RDS gateway sends', () => {
    const commands = gatewayCommands();
    expect(commands.length).toBeGreaterThan(15);
    expect(commands.filter((c) => !kit.sim.commands.includes(c))).toEqual([]);
  });

  it('records every request with its input and virtual time, so tests can assert on request parameters', async () => {
    await kit.time.advance(90_000);
    await kit.run(kit.gateway.renameInstance('db1', 'db1-old'));
    const [call] = kit.sim.callsOf('ModifyDBInstance');
    expect(call).toEqual({
      command: 'ModifyDBInstance',
      input: { DBInstanceIdentifier: 'db1', NewDBInstanceIdentifier: 'db1-old', ApplyImmediately: true },
      at: new Date('2026-01-01T00:01:30.000Z'),
      outcome: 'ok',
    });
    expect(kit.sim.mutatingCalls().map((c) => c.command)).toEqual(['ModifyDBInstance']);
  });

  it('answers with SDK-shaped output and the SDK’s own $metadata', async () => {
    const out = await kit.run(kit.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'db1' })));
    expect(out.DBInstances?.[0]?.DBInstanceIdentifier).toBe('db1');
    expect(out.DBInstances?.[0]?.InstanceCreateTime).toBeInstanceOf(Date);
    expect(out.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
    expect(out.$metadata.requestId).toMatch(/^sim-/);
  });

  it('refuses a command it does not simulate, plainly', async () => {
    const error = await kit.failure(
      kit.client.send(
        new StartExportTaskCommand({ ExportTaskIdentifier: 'e', SourceArn: 'arn', S3BucketName: 'b', IamRoleArn: 'r', KmsKeyId: 'k' }),
      ),
    );
    expect((error as Error).message).toBe('SimulatedRds does not simulate StartExportTask.');
  });

  it('is installed on one client instance only', () => {
    const other = new RDSClient({ region: 'us-east-1' });
    expect(kit.client.middlewareStack.identify().some((m) => m.startsWith('simulatedRdsTransport'))).toBe(true);
    expect(other.middlewareStack.identify().some((m) => m.startsWith('simulatedRds'))).toBe(false);
  });
});
