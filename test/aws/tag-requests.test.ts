import {
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { isReservedTagKey } from '../../src/core/rds-resources.js';
import type { Tag } from '../../src/core/rds-resources.js';
import { defaultClusterConfig, defaultInstanceConfig } from '../fakes/fake-rds.js';
import { gateway, rds } from './rds-mock.js';

beforeEach(() => rds.reset());

// What DescribeDBInstances returns for a database created by CloudFormation and AWS Backup.
const described: Tag[] = [
  { key: 'team', value: 'platform' },
  { key: 'aws:cloudformation:stack-name', value: 'db-stack' },
  { key: 'rds:note', value: 'x' },
  { key: 'cost:aws:centre', value: '42' },
];
const writable = [
  { Key: 'team', Value: 'platform' },
  { Key: 'cost:aws:centre', Value: '42' },
];

describe('reserved tag keys (API reference Tag: "can\'t be prefixed with aws: or rds:")', () => {
  it('recognises the two prefixes only at the start of a key', () => {
    expect(['aws:x', 'rds:x', 'team', 'x-aws:y', 'awsx'].map(isReservedTagKey)).toEqual([true, true, false, false, false]);
  });

  it('are never sent by any write', async () => {
    rds.on(RestoreDBInstanceFromDBSnapshotCommand).resolves({});
    rds.on(RestoreDBClusterFromSnapshotCommand).resolves({});
    rds.on(CreateDBInstanceCommand).resolves({});
    rds.on(CreateDBSnapshotCommand).resolves({});
    rds.on(CreateDBClusterSnapshotCommand).resolves({});
    const gw = gateway();
    await gw.restoreInstance({ identifier: 'db1', snapshotIdentifier: 's1', config: defaultInstanceConfig({ tags: described }) });
    await gw.restoreCluster({ identifier: 'c1', snapshotIdentifier: 's1', config: defaultClusterConfig({ tags: described }) });
    await gw.createClusterMember({
      identifier: 'c1-a',
      clusterIdentifier: 'c1',
      config: defaultInstanceConfig({ engine: 'aurora-postgresql', tags: described }),
    });
    await gw.createSnapshot('db1', 's2', described);
    await gw.createClusterSnapshot('c1', 's3', described);
    expect(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)[0]!.args[0].input.Tags).toEqual(writable);
    expect(rds.commandCalls(RestoreDBClusterFromSnapshotCommand)[0]!.args[0].input.Tags).toEqual(writable);
    expect(rds.commandCalls(CreateDBInstanceCommand)[0]!.args[0].input.Tags).toEqual(writable);
    expect(rds.commandCalls(CreateDBSnapshotCommand)[0]!.args[0].input.Tags).toEqual(writable);
    expect(rds.commandCalls(CreateDBClusterSnapshotCommand)[0]!.args[0].input.Tags).toEqual(writable);
  });

  it('sends no Tags member at all when only reserved keys are left', async () => {
    rds.on(CreateDBSnapshotCommand).resolves({});
    await gateway().createSnapshot('db1', 's2', [{ key: 'aws:backup:source-resource', value: 'x' }]);
    expect(rds.commandCalls(CreateDBSnapshotCommand)[0]!.args[0].input.Tags).toBeUndefined();
  });
});
