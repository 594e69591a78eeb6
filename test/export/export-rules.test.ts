import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DescribeExportTasksCommand, RDSClient, StartExportTaskCommand, type ExportTask } from '@aws-sdk/client-rds';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SdkExportGateway } from '../../src/aws/sdk-export-gateway.js';
import { PreconditionError } from '../../src/core/errors.js';
import { exportFamily, isRunningExport, prefixProblems, sourceProblems, tablesProblems } from '../../src/workflows/export/export-rules.js';
import { runExport } from '../../src/workflows/export/export-service.js';
import { checkKeyPolicy } from '../../src/workflows/export/kms-key-policy.js';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { instanceWorld } from '../workflows/instance-world.js';

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const rdsMock = mockClient(RDSClient);
const creds = { region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
const gateway = () => new SdkExportGateway(new S3Client(creds), new KMSClient(creds), new RDSClient(creds));
const named = (name: string) => Object.assign(new Error(name), { name });

const ROLE = 'arn:aws:iam::123456789012:role/export';
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const exportConfig = { bucket: 'my-exports', kmsKeyId: 'alias/trapheus-export', iamRoleArn: ROLE, prefix: 'p/' };
const snapshotArn = (id: string) => `arn:aws:rds:us-east-1:123456789012:snapshot:${id}`;

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
/** The statement of the default key policy KMS (and moto) writes: the account root may do anything, IAM decides. */
const ROOT_STATEMENT = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:root' },
  Action: 'kms:*',
  Resource: '*',
};
const ROOT_POLICY = policy(ROOT_STATEMENT);

/**
 * A strict StartExportTask behind the RDS client: it refuses what real RDS refuses (the rules
 * of `export-rules.ts`, sources there), so a request trapheus should not send fails visibly.
 * RDS documents no fault name for an unexportable engine or a second running task; the
 * simulation uses InvalidExportSourceStateFault for both.
 */
function strictRds(engines: Record<string, string>, keyPolicy = ROOT_POLICY) {
  const tasks: ExportTask[] = [];
  rdsMock.on(DescribeExportTasksCommand).callsFake((input: { ExportTaskIdentifier?: string; SourceArn?: string }) => ({
    ExportTasks: tasks.filter(
      (t) =>
        (!input.ExportTaskIdentifier || t.ExportTaskIdentifier === input.ExportTaskIdentifier) &&
        (!input.SourceArn || t.SourceArn === input.SourceArn),
    ),
  }));
  rdsMock.on(StartExportTaskCommand).callsFake((input: { ExportTaskIdentifier: string; SourceArn: string; ExportOnly?: string[] }) => {
    const engine = engines[input.SourceArn] ?? 'postgres';
    if (!exportFamily(engine)) throw named('InvalidExportSourceStateFault');
    if (tasks.some((t) => t.SourceArn === input.SourceArn && isRunningExport(t.Status ?? ''))) throw named('InvalidExportSourceStateFault');
    if (tablesProblems(input.ExportOnly, engine).length > 0) throw named('InvalidExportOnlyFault');
    if (checkKeyPolicy(keyPolicy, KEY_ARN, ROLE).problem) throw named('KMSKeyNotAccessibleFault');
    const task = {
      ExportTaskIdentifier: input.ExportTaskIdentifier,
      SourceArn: input.SourceArn,
      Status: 'STARTING',
      S3Bucket: 'my-exports',
    };
    tasks.push(task);
    return task;
  });
  return { tasks };
}

function readyTarget(keyPolicy: string | Error = ROOT_POLICY) {
  s3.on(HeadBucketCommand).resolves({});
  kms.on(DescribeKeyCommand).resolves({
    KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, Enabled: true, KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT' },
  });
  if (keyPolicy instanceof Error) kms.on(GetKeyPolicyCommand).rejects(keyPolicy);
  else kms.on(GetKeyPolicyCommand).resolves({ Policy: keyPolicy });
}

/** A world with `s1` (postgres), `m1` (mysql) and `q1` (SQL Server) snapshots of db1, exports over the mocked SDK clients. */
function world() {
  const w = instanceWorld({ export: exportConfig });
  w.rds.addSnapshot({ identifier: 'm1', sourceIdentifier: 'db1', engine: 'mysql', engineVersion: '8.0.39' });
  w.rds.addSnapshot({ identifier: 'q1', sourceIdentifier: 'db1', engine: 'sqlserver-se', engineVersion: '15.00' });
  w.deps.exports = gateway();
  return w;
}
const ENGINES = { [snapshotArn('s1')]: 'postgres', [snapshotArn('m1')]: 'mysql', [snapshotArn('q1')]: 'sqlserver-se' };

const exportOf = (w: ReturnType<typeof world>, snapshot: string, tables?: string[], onWarning?: (t: string) => void) =>
  runExport(w.deps, { identifier: 'db1', kind: 'instance', snapshot, flags: { tables }, wait: false, onWarning });
const started = () => rdsMock.commandCalls(StartExportTaskCommand).map((c) => c.args[0].input);

beforeEach(() => {
  s3.reset();
  kms.reset();
  rdsMock.reset();
});

describe('rule 1: only MySQL, MariaDB, PostgreSQL and Aurora snapshots are exported', () => {
  it('knows the exportable engines and their --tables family', () => {
    for (const engine of ['mysql', 'mariadb', 'aurora', 'aurora-mysql']) expect(exportFamily(engine)).toBe('mysql');
    for (const engine of ['postgres', 'aurora-postgresql', 'POSTGRES']) expect(exportFamily(engine)).toBe('postgres');
    for (const engine of ['oracle-ee', 'sqlserver-se', 'db2-se', 'custom-oracle-ee', 'custom-sqlserver-ee', 'neptune', 'docdb']) {
      expect(exportFamily(engine)).toBeUndefined();
    }
  });

  it('refuses magnetic storage and a prefix with a colon', () => {
    const base = { identifier: 's1', arn: snapshotArn('s1'), engine: 'postgres' };
    expect(sourceProblems({ ...base, storageType: 'standard' })).toEqual([expect.stringMatching(/magnetic storage/)]);
    expect(sourceProblems({ ...base, storageType: 'gp3' })).toEqual([]);
    expect(prefixProblems('a:b/')).toEqual([expect.stringMatching(/colon/)]);
    expect(prefixProblems('weekly/')).toEqual([]);
  });

  it('the simulated RDS rejects a SQL Server snapshot export; trapheus export refuses it before starting (exit 3) and exports a PostgreSQL one', async () => {
    strictRds(ENGINES);
    readyTarget();
    await expect(gateway().startExportTask({ ...exportConfig, taskId: 'direct', sourceArn: snapshotArn('q1') })).rejects.toThrow(
      /InvalidExportSourceState/,
    );
    rdsMock.resetHistory();

    const w = world();
    const refused = exportOf(w, 'q1');
    await expect(refused).rejects.toThrow(PreconditionError);
    await expect(refused).rejects.toThrow(/engine sqlserver-se; RDS exports only MySQL, MariaDB, PostgreSQL/);
    expect(started()).toEqual([]);

    const ok = await exportOf(w, 's1');
    expect(ok.task.status).toBe('STARTING');
    expect(started()).toEqual([expect.objectContaining({ SourceArn: snapshotArn('s1') })]);
  });
});

describe('rule 2: --tables (ExportOnly) in the syntax of the snapshot engine', () => {
  it('PostgreSQL takes database, database.schema, database.schema.table; MySQL takes database, database.table', () => {
    expect(tablesProblems(['mydb', 'mydb.public', 'mydb.public.orders'], 'postgres')).toEqual([]);
    expect(tablesProblems(['mydb', 'mydb.orders'], 'aurora-mysql')).toEqual([]);
    expect(tablesProblems(['mydb.public.orders'], 'mariadb')).toEqual([expect.stringMatching(/`database` or `database.table`/)]);
    expect(tablesProblems(['a.b.c.d'], 'aurora-postgresql')).toEqual([expect.stringMatching(/`database.schema.table`/)]);
    expect(tablesProblems(['my-db.orders', 'mydb.', 'my db'], 'postgres')).toHaveLength(3);
    expect(tablesProblems(['db$1.t_2'], 'mysql')).toEqual([]);
    expect(tablesProblems(['x'.repeat(210 * 1024)], 'mysql')).toEqual([expect.stringMatching(/200 KB/)]);
    expect(tablesProblems(undefined, 'mysql')).toEqual([]);
  });

  it('the simulated RDS rejects database.schema.table for MySQL; trapheus refuses it and sends database.table', async () => {
    strictRds(ENGINES);
    readyTarget();
    await expect(
      gateway().startExportTask({ ...exportConfig, taskId: 'direct', sourceArn: snapshotArn('m1'), tables: ['mydb.public.orders'] }),
    ).rejects.toThrow(/InvalidExportOnly/);
    rdsMock.resetHistory();

    const w = world();
    await expect(exportOf(w, 'm1', ['mydb.public.orders'])).rejects.toThrow(/mysql snapshot takes `database` or `database.table`/);
    expect(started()).toEqual([]);
    await exportOf(w, 'm1', ['mydb.orders']);
    expect(started()).toEqual([expect.objectContaining({ SourceArn: snapshotArn('m1'), ExportOnly: ['mydb.orders'] })]);
  });

  it('PostgreSQL takes database.schema.table', async () => {
    strictRds(ENGINES);
    readyTarget();
    await exportOf(world(), 's1', ['mydb.public.orders']);
    expect(started()).toEqual([expect.objectContaining({ ExportOnly: ['mydb.public.orders'] })]);
  });
});

describe('rule 3: one export task per snapshot at a time', () => {
  it('status words are compared without regard to case', () => {
    for (const s of ['STARTING', 'IN_PROGRESS', 'starting', 'in_progress', 'in-progress']) expect(isRunningExport(s)).toBe(true);
    for (const s of ['COMPLETE', 'complete', 'FAILED', 'canceled', 'CANCELED']) expect(isRunningExport(s)).toBe(false);
  });

  it('the simulated RDS rejects a second task for a snapshot; trapheus refuses naming the running task, and starts once it is done', async () => {
    const { tasks } = strictRds(ENGINES);
    readyTarget();
    tasks.push({ ExportTaskIdentifier: 'nightly-s1', SourceArn: snapshotArn('s1'), Status: 'IN_PROGRESS', S3Bucket: 'b' });
    tasks.push({ ExportTaskIdentifier: 'other-m1', SourceArn: snapshotArn('m1'), Status: 'STARTING', S3Bucket: 'b' });
    await expect(gateway().startExportTask({ ...exportConfig, taskId: 'direct', sourceArn: snapshotArn('s1') })).rejects.toThrow(
      /InvalidExportSourceState/,
    );
    rdsMock.resetHistory();

    const w = world();
    await expect(exportOf(w, 's1')).rejects.toThrow(/Export task nightly-s1 of snapshot s1 is IN_PROGRESS; RDS runs one export task/);
    expect(started()).toEqual([]);
    expect(rdsMock.commandCalls(DescribeExportTasksCommand)[0]!.args[0].input).toEqual({ SourceArn: snapshotArn('s1') });

    tasks[0]!.Status = 'in_progress'; // moto's lower case
    await expect(exportOf(w, 's1')).rejects.toThrow(/nightly-s1/);
    tasks[0]!.Status = 'COMPLETE';
    await exportOf(w, 's1');
    expect(started()).toEqual([expect.objectContaining({ SourceArn: snapshotArn('s1') })]);
  });

  it('reads the tasks of one snapshot even when the server ignores SourceArn (moto)', async () => {
    rdsMock.on(DescribeExportTasksCommand).resolves({
      ExportTasks: [
        { ExportTaskIdentifier: 'a', SourceArn: snapshotArn('s1'), Status: 'complete' },
        { ExportTaskIdentifier: 'b', SourceArn: snapshotArn('s2'), Status: 'complete' },
      ],
    });
    expect((await gateway().exportTasksOf(snapshotArn('s1'))).map((t) => t.taskId)).toEqual(['a']);
  });
});

describe('rule 4: the KMS key policy lets the export role use the key', () => {
  const allow = (principal: unknown, action: unknown, extra: object = {}) => ({
    Effect: 'Allow',
    Principal: principal,
    Action: action,
    ...extra,
  });

  it('accepts the account root (the default policy), the role with wildcards, and NotAction', () => {
    expect(checkKeyPolicy(ROOT_POLICY, KEY_ARN, ROLE)).toEqual({});
    expect(checkKeyPolicy(policy(allow({ AWS: '123456789012' }, ['kms:Create*', 'kms:Describe?ey'])), KEY_ARN, ROLE)).toEqual({});
    expect(checkKeyPolicy(policy({ Effect: 'Allow', Principal: '*', NotAction: 'kms:ScheduleKeyDeletion' }), KEY_ARN, ROLE)).toEqual({});
  });

  it('refuses a policy that gives the actions to no one the role is, or misses one', () => {
    const otherAccount = checkKeyPolicy(policy(allow({ AWS: 'arn:aws:iam::444455556666:root' }, 'kms:*')), KEY_ARN, ROLE);
    expect(otherAccount.problem).toMatch(/does not allow kms:CreateGrant and kms:DescribeKey to arn:aws:iam::123456789012:role\/export/);
    const onlyDescribe = checkKeyPolicy(policy(allow({ AWS: ROLE }, ['kms:DescribeKey', 'kms:Encrypt'])), KEY_ARN, ROLE);
    expect(onlyDescribe.problem).toMatch(/does not allow kms:CreateGrant to/);
  });

  it('refuses a deny that does not exclude export.rds.amazonaws.com; a deny that does is fine', () => {
    const deny = { Sid: 'NoGrants', Effect: 'Deny', Principal: '*', Action: 'kms:CreateGrant' };
    expect(checkKeyPolicy(policy(ROOT_STATEMENT, deny), KEY_ARN, ROLE).problem).toMatch(
      /denies kms:CreateGrant to .* \(statement NoGrants\) without excluding export\.rds\.amazonaws\.com/,
    );
    const excluded = { ...deny, Condition: { StringNotEquals: { 'aws:PrincipalServiceName': 'export.rds.amazonaws.com' } } };
    expect(checkKeyPolicy(policy(ROOT_STATEMENT, excluded), KEY_ARN, ROLE)).toEqual({});
    const spared = { Effect: 'Deny', NotPrincipal: { Service: 'export.rds.amazonaws.com' }, Action: 'kms:*' };
    expect(checkKeyPolicy(policy(ROOT_STATEMENT, spared), KEY_ARN, ROLE)).toEqual({});
  });

  it('warns where it cannot tell: conditions, a role named without its account, a policy it cannot parse', () => {
    const conditional = allow({ AWS: '*' }, 'kms:*', { Condition: { StringEquals: { 'kms:CallerAccount': '123456789012' } } });
    expect(checkKeyPolicy(policy(conditional), KEY_ARN, ROLE).warning).toMatch(/only under a condition.*cannot evaluate conditions/);
    const otherDeny = { Effect: 'Deny', Principal: '*', Action: 'kms:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    expect(checkKeyPolicy(policy(ROOT_STATEMENT, otherDeny), KEY_ARN, ROLE).warning).toMatch(/denies .* under a condition/);
    expect(checkKeyPolicy(policy(allow({ AWS: [ROLE] }, 'kms:*')), KEY_ARN, ROLE).warning).toMatch(/caller of StartExportTask/);
    expect(checkKeyPolicy('not json', KEY_ARN, ROLE).warning).toMatch(/not a JSON policy/);
    expect(checkKeyPolicy(ROOT_POLICY, KEY_ARN, 'export-role').warning).toMatch(/not an IAM role ARN/);
  });

  it('reads the policy by key ARN (GetKeyPolicy takes no alias), policy name default', async () => {
    readyTarget();
    expect(await gateway().readKeyPolicy('alias/trapheus-export')).toEqual({ readable: true, keyArn: KEY_ARN, policy: ROOT_POLICY });
    expect(kms.commandCalls(GetKeyPolicyCommand)[0]!.args[0].input).toEqual({ KeyId: KEY_ARN, PolicyName: 'default' });
    kms.on(GetKeyPolicyCommand).rejects(named('AccessDeniedException'));
    expect(await gateway().readKeyPolicy('alias/trapheus-export')).toEqual({ readable: false, reason: 'AccessDeniedException' });
  });

  it('the simulated RDS rejects a key the role cannot use; trapheus refuses it, and only warns when the policy cannot be read', async () => {
    const denying = policy(allow({ AWS: 'arn:aws:iam::444455556666:root' }, 'kms:*'));
    strictRds(ENGINES, denying);
    readyTarget(denying);
    await expect(gateway().startExportTask({ ...exportConfig, taskId: 'direct', sourceArn: snapshotArn('s1') })).rejects.toThrow(
      /KMSKeyNotAccessible/,
    );
    rdsMock.resetHistory();
    await expect(exportOf(world(), 's1')).rejects.toThrow(/policy of KMS key .* does not allow kms:CreateGrant and kms:DescribeKey/);
    expect(started()).toEqual([]);

    kms.reset();
    strictRds(ENGINES);
    readyTarget(named('AccessDeniedException'));
    const warnings: string[] = [];
    const result = await exportOf(world(), 's1', undefined, (t) => warnings.push(t));
    expect(started()).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/Cannot read the policy of KMS key alias\/trapheus-export \(AccessDeniedException\)/)]);
    expect(result.warnings).toEqual(warnings);
  });
});

describe('--export on a run: a refusal is a warning and the run goes on without the export', () => {
  const restoreWithExport = async (w: ReturnType<typeof world>, snapshot: string) => {
    const prepared = await prepareRestore(w.deps, { identifier: 'db1', kind: 'instance', snapshot, freshSnapshot: false, export: {} });
    return prepared.start();
  };

  it('a running task for the snapshot: restored, export not started, the warning names the task', async () => {
    const { tasks } = strictRds(ENGINES);
    readyTarget();
    tasks.push({ ExportTaskIdentifier: 'nightly-s1', SourceArn: snapshotArn('s1'), Status: 'STARTING', S3Bucket: 'b' });
    const result = await restoreWithExport(world(), 's1');
    expect(result.outcome.status).toBe('succeeded');
    expect(result.summary.export).toMatchObject({ started: false, error: expect.stringContaining('nightly-s1') });
    expect(result.summary.warnings.join(' ')).toMatch(/was not started .*nightly-s1.*the run goes on/);
    expect(started()).toEqual([]);
  });

  it('a key policy that cannot be read: restored and exported, with a warning', async () => {
    strictRds(ENGINES);
    readyTarget(named('AccessDeniedException'));
    const result = await restoreWithExport(world(), 's1');
    expect(result.outcome.status).toBe('succeeded');
    expect(result.summary.export).toMatchObject({ started: true });
    expect(result.summary.warnings.join(' ')).toMatch(/Cannot read the policy of KMS key/);
    expect(started()).toEqual([expect.objectContaining({ SourceArn: snapshotArn('s1') })]);
  });
});
