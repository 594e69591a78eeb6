// npm run demo: a real snapshot and in-place restore against a local AWS emulator (moto), with
// the real terminal output. Nothing here talks to AWS: every call goes to 127.0.0.1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateDBInstanceCommand,
  CreateDBParameterGroupCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { startMoto } from './moto-server.mjs';

const IDENTIFIER = 'demo-db';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const journalDir = mkdtempSync(path.join(os.tmpdir(), 'trapheus-demo-'));

const moto = await startMoto();
const env = {
  ...process.env,
  AWS_ENDPOINT_URL: moto.endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'demo',
  AWS_SECRET_ACCESS_KEY: 'demo',
  AWS_PROFILE: '',
  TRAPHEUS_JOURNAL_DIR: journalDir,
};
delete env.AWS_PROFILE;

function trapheus(...args) {
  console.log(`\n$ trapheus ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [path.join(root, 'bin/trapheus.js'), ...args], { stdio: 'inherit', env });
  console.log(`(exit code ${result.status})`);
  return result.status;
}

try {
  const rds = new RDSClient({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
  });
  await rds.send(
    new CreateDBParameterGroupCommand({
      DBParameterGroupName: 'demo-params',
      DBParameterGroupFamily: 'postgres16',
      Description: 'custom parameters that the restore must keep',
    }),
  );
  // moto refuses to create the same identifier twice within a minute once it has stored it,
  // so the sample instance is created under a throwaway name and renamed into place.
  const throwaway = `demo-seed-${Date.now()}`;
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: throwaway,
      DBInstanceClass: 'db.t3.micro',
      Engine: 'postgres',
      EngineVersion: '16.3',
      AllocatedStorage: 20,
      MasterUsername: 'demo',
      MasterUserPassword: 'demo-password-123',
      DBParameterGroupName: 'demo-params',
      DeletionProtection: true,
      Tags: [{ Key: 'team', Value: 'platform' }],
    }),
  );
  await rds.send(
    new ModifyDBInstanceCommand({ DBInstanceIdentifier: throwaway, NewDBInstanceIdentifier: IDENTIFIER, ApplyImmediately: true }),
  );
  const before = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: IDENTIFIER }))).DBInstances?.[0];
  console.log(
    `Emulator on ${moto.endpoint}; sample instance ${IDENTIFIER} (created ${before?.InstanceCreateTime?.toISOString()}); journal in ${journalDir}`,
  );

  trapheus('snapshot-only', '--identifier', IDENTIFIER);
  trapheus('restore', '--identifier', IDENTIFIER, '--dry-run');
  const code = trapheus('restore', '--identifier', IDENTIFIER, '--yes');
  trapheus('runs');

  const after = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: IDENTIFIER }))).DBInstances?.[0];
  console.log(
    `\n${IDENTIFIER} is now the restored copy (created ${after?.InstanceCreateTime?.toISOString()}), with parameter group ${after?.DBParameterGroups?.[0]?.DBParameterGroupName}, deletion protection ${after?.DeletionProtection} and tags ${JSON.stringify(after?.TagList)}.`,
  );
  process.exitCode = code ?? 1;
} finally {
  await moto.stop();
}
