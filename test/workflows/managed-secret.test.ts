import { describe, expect, it } from 'vitest';
import { alertFor } from '../../src/alerts/alert.js';
import { alertSlackPayload, alertText } from '../../src/alerts/compose-alert.js';
import { PreconditionError } from '../../src/core/errors.js';
import type { ConfigInput } from '../../src/config/config-schema.js';
import { showRun } from '../../src/workflows/run/read-runs.js';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import type { RestoreRequest } from '../../src/workflows/service.js';
import { clusterWorld } from './cluster-world.js';
import { DB1_SETTINGS, instanceWorld } from './instance-world.js';

const KMS = 'arn:aws:kms:us-east-1:123456789012:key/1111';
const SECRET = { secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-original', kmsKeyId: KMS };

function secretInstanceWorld(config: ConfigInput = {}, engine = 'postgres') {
  const world = instanceWorld(config);
  world.rds.removeInstance('db1');
  world.rds.addInstance({ identifier: 'db1', ...DB1_SETTINGS, engine, masterUserSecret: SECRET });
  return world;
}

const instanceRequest = (extra: Partial<RestoreRequest> = {}): RestoreRequest => ({
  identifier: 'db1',
  kind: 'instance',
  freshSnapshot: false,
  snapshot: 's1',
  ...extra,
});

describe('a master password managed in Secrets Manager', () => {
  it('is refused without the opt-in: the preflight says why, nothing is changed (exit 3)', async () => {
    const world = secretInstanceWorld();
    const prepared = await prepareRestore(world.deps, instanceRequest());
    expect(prepared.ok).toBe(false);
    const check = prepared.summary.preflight?.find((c) => c.name === 'master password secret');
    expect(check).toMatchObject({ ok: false });
    expect(check?.detail).toContain(`db1's master password is managed in Secrets Manager (secret ${SECRET.secretArn}, KMS key ${KMS})`);
    expect(check?.detail).toContain('A restore does not re-create that secret, and deleting the original deletes it.');
    expect(check?.detail).toContain('Add --manage-master-password (or set restore.manageMasterUserPassword)');
    await expect(prepared.start()).rejects.toBeInstanceOf(PreconditionError);
    expect(world.rds.mutatingCalls()).toEqual([]);
    expect(await world.journal.list()).toEqual([]);
  });

  it.each(['swap', 'rename-first'] as const)(
    'with --manage-master-password (%s), gives the copy a new secret with the same KMS key before the cut-over and reports it',
    async (strategy) => {
      const world = secretInstanceWorld({ restore: { strategy } });
      const prepared = await prepareRestore(world.deps, instanceRequest({ manageMasterUserPassword: true }));
      expect(prepared.ok).toBe(true);
      expect(prepared.summary.preflight?.find((c) => c.name === 'master password secret')).toMatchObject({ ok: true, warning: true });
      const { outcome, summary } = await prepared.start();
      expect(outcome.status).toBe('succeeded');

      const db1 = await world.rds.describeInstance('db1');
      const secret = db1?.config.masterUserSecret;
      expect(secret?.kmsKeyId).toBe(KMS);
      expect(secret?.secretArn).not.toBe(SECRET.secretArn);
      expect(summary.masterUserSecretArn).toBe(secret?.secretArn);
      expect(summary.configDifferences).toEqual([]);
      expect(summary.warnings.join('\n')).toContain(`Secrets Manager secret ${secret?.secretArn}`);

      // ModifyDBInstance on the copy, before the original is renamed away (swap) or deleted.
      const verbs = world.rds.calls.map((c) => `${c.verb} ${String(c.args[0])}`);
      const copy = strategy === 'swap' ? 'db1-restoring' : 'db1';
      const modify = world.rds.calls.findIndex((c) => c.verb === 'modifyInstance' && c.args[0] === copy);
      expect(world.rds.calls[modify]?.args[1]).toMatchObject({ masterUserSecret: SECRET });
      const cutOver = verbs.indexOf(strategy === 'swap' ? 'renameInstance db1' : 'deleteInstance db1-temp');
      expect(modify).toBeGreaterThan(-1);
      expect(modify).toBeLessThan(cutOver);

      // `trapheus status` and the alerts say it too.
      expect((await showRun(world.deps, summary.runId!)).summary.masterUserSecretArn).toBe(secret?.secretArn);
      const alert = alertFor(summary, { host: 'test-host' });
      expect(alertText(alert)).toContain(`Master password secret: ${secret?.secretArn}`);
      expect(JSON.stringify(alertSlackPayload(alert))).toContain(secret!.secretArn);
    },
  );

  it('takes the opt-in from the config key restore.manageMasterUserPassword', async () => {
    const world = secretInstanceWorld({ restore: { manageMasterUserPassword: true } });
    const prepared = await prepareRestore(world.deps, instanceRequest());
    expect(prepared.ok).toBe(true);
    expect((await prepared.start()).summary.masterUserSecretArn).toMatch(/^arn:aws:secretsmanager:/);
  });

  it('lets the flag say no where the config says yes', async () => {
    const world = secretInstanceWorld({ restore: { manageMasterUserPassword: true } });
    const prepared = await prepareRestore(world.deps, instanceRequest({ manageMasterUserPassword: false }));
    expect(prepared.ok).toBe(false);
    await prepared.release();
  });

  it('asks the Oracle restore itself for the secret (RestoreDBInstanceFromDBSnapshot takes it for Oracle)', async () => {
    const world = secretInstanceWorld({}, 'oracle-ee');
    world.rds.addSnapshot({ identifier: 's-ora', sourceIdentifier: 'db1' });
    const prepared = await prepareRestore(world.deps, instanceRequest({ snapshot: 's-ora', manageMasterUserPassword: true }));
    expect(prepared.ok, JSON.stringify(prepared.summary.preflight)).toBe(true);
    const { outcome, summary } = await prepared.start();
    expect(outcome.status).toBe('succeeded');
    expect(world.rds.calls.find((c) => c.verb === 'restoreInstance')?.args[0]).toMatchObject({ config: { masterUserSecret: SECRET } });
    expect(world.rds.calls.some((c) => c.verb === 'modifyInstance' && 'masterUserSecret' in (c.args[1] as object))).toBe(false);
    expect(summary.masterUserSecretArn).toBe((await world.rds.describeInstance('db1'))?.config.masterUserSecret?.secretArn);
  });

  it('is not mentioned for a database whose password is not managed', async () => {
    const world = instanceWorld();
    const prepared = await prepareRestore(world.deps, instanceRequest());
    expect(prepared.summary.preflight?.some((c) => c.name === 'master password secret')).toBe(false);
    const { summary } = await prepared.start();
    expect(summary).not.toHaveProperty('masterUserSecretArn');
  });

  describe('of an Aurora cluster', () => {
    function secretClusterWorld(strategy: 'swap' | 'rename-first') {
      const world = clusterWorld({ restore: { strategy } });
      world.rds.clusters.get('c1')!.config.masterUserSecret = { ...SECRET, secretArn: SECRET.secretArn.replace('db-', 'cluster-') };
      return world;
    }
    const request: RestoreRequest = { identifier: 'c1', kind: 'aurora-cluster', freshSnapshot: false, snapshot: 'cs1' };

    it('is refused without the opt-in', async () => {
      const world = secretClusterWorld('swap');
      const prepared = await prepareRestore(world.deps, request);
      expect(prepared.ok).toBe(false);
      expect(prepared.summary.preflight?.find((c) => c.name === 'master password secret')?.detail).toContain(
        'the restored cluster with the snapshot',
      );
      await expect(prepared.start()).rejects.toBeInstanceOf(PreconditionError);
      expect(world.rds.mutatingCalls()).toEqual([]);
    });

    it.each(['swap', 'rename-first'] as const)('gets a new secret with ModifyDBCluster when asked (%s)', async (strategy) => {
      const world = secretClusterWorld(strategy);
      const prepared = await prepareRestore(world.deps, { ...request, manageMasterUserPassword: true });
      expect(prepared.ok).toBe(true);
      const { outcome, summary } = await prepared.start();
      expect(outcome.status).toBe('succeeded');
      const copy = strategy === 'swap' ? 'c1-restoring' : 'c1';
      const modify = world.rds.calls.find((c) => c.verb === 'modifyCluster' && c.args[0] === copy);
      expect(modify?.args[1]).toMatchObject({ masterUserSecret: { kmsKeyId: KMS } });
      const secret = (await world.rds.describeCluster('c1'))?.config.masterUserSecret;
      expect(secret?.kmsKeyId).toBe(KMS);
      expect(summary.masterUserSecretArn).toBe(secret?.secretArn);
      expect(summary.configDifferences).toEqual([]);
    });
  });
});
