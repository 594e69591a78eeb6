import { DeleteDBClusterCommand, DeleteDBInstanceCommand } from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { gateway, rds, sent } from './rds-mock.js';

beforeEach(() => rds.reset());

describe('deletes and automated backups', () => {
  it("keeps a cluster's automated backups only when asked: DeleteDBCluster removes them by default", async () => {
    rds.on(DeleteDBClusterCommand).resolves({});
    await gateway().deleteCluster('c1-old', { keepAutomatedBackups: true, finalSnapshotIdentifier: 'final-1' });
    await gateway().deleteCluster('c1-copy', { keepAutomatedBackups: false });
    const [keep, drop] = rds.commandCalls(DeleteDBClusterCommand).map((c) => sent(c.args[0].input));
    expect(keep).toEqual({
      DBClusterIdentifier: 'c1-old',
      SkipFinalSnapshot: false,
      FinalDBSnapshotIdentifier: 'final-1',
      DeleteAutomatedBackups: false,
    });
    expect(drop).toEqual({ DBClusterIdentifier: 'c1-copy', SkipFinalSnapshot: true, DeleteAutomatedBackups: true });
  });

  it('says the same explicitly for an instance (DeleteDBInstance keeps them by default)', async () => {
    rds.on(DeleteDBInstanceCommand).resolves({});
    await gateway().deleteInstance('db1-old', { keepAutomatedBackups: true });
    expect(sent(rds.commandCalls(DeleteDBInstanceCommand)[0]!.args[0].input)).toEqual({
      DBInstanceIdentifier: 'db1-old',
      SkipFinalSnapshot: true,
      DeleteAutomatedBackups: false,
    });
  });
});
