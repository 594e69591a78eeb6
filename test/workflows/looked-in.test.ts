import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/cli/print-summary.js';
import { PreconditionError } from '../../src/core/errors.js';
import { prepareRestore, runSnapshotOnly } from '../../src/workflows/run/start-run.js';
import { instanceWorld } from './instance-world.js';

// A database "not found" is most often looked for in the wrong region or account: every preflight
// failure names both (issue 15, point 2). The account comes from STS (deps.whoAmI), asked once.

const plain = new Chalk({ level: 0 });

function world(whoAmI?: () => Promise<{ account?: string }>) {
  const w = instanceWorld();
  let asked = 0;
  const deps = {
    ...w.deps,
    region: 'eu-west-1',
    ...(whoAmI
      ? {
          whoAmI: () => {
            asked += 1;
            return whoAmI();
          },
        }
      : {}),
  };
  return { ...w, deps, asked: () => asked };
}

describe('a failed preflight names the region and the account it looked in', () => {
  it('restore of a database that is not there: the error, the JSON fields and the summary say where', async () => {
    const w = world(() => Promise.resolve({ account: '123456789012' }));
    const prepared = await prepareRestore(w.deps, { identifier: 'nope', kind: 'instance', freshSnapshot: false });
    await prepared.release();
    expect(prepared.ok).toBe(false);
    expect(prepared.summary).toMatchObject({ region: 'eu-west-1', account: '123456789012' });
    expect(prepared.summary.error?.message).toMatch(/^Preflight failed in eu-west-1 \(account 123456789012\): No DB instance nope/);
    expect(formatSummary(prepared.summary, plain).split('\n')[1]).toBe('  in eu-west-1, account 123456789012');
    expect(w.asked()).toBe(1);
  });

  it('the account unknown (STS refused, or no way to ask): said so, never a failure of its own', async () => {
    const refused = world(() => Promise.reject(new Error('AccessDenied')));
    const prepared = await prepareRestore(refused.deps, { identifier: 'nope', kind: 'instance', freshSnapshot: false });
    await prepared.release();
    expect(prepared.summary.region).toBe('eu-west-1');
    expect(prepared.summary).not.toHaveProperty('account');
    expect(prepared.summary.error?.message).toMatch(/^Preflight failed in eu-west-1 \(account unknown\): /);
    expect(formatSummary(prepared.summary, plain)).toContain('in eu-west-1, account unknown');

    const noWay = world();
    const again = await prepareRestore(noWay.deps, { identifier: 'nope', kind: 'instance', freshSnapshot: false });
    await again.release();
    expect(again.summary.error?.message).toMatch(/^Preflight failed in eu-west-1 \(account unknown\): /);
  });

  it('a dry run that passes names them too (the confirmation shows which account is about to change)', async () => {
    const w = world(() => Promise.resolve({ account: '210987654321' }));
    const prepared = await prepareRestore(w.deps, { identifier: 'db1', kind: 'instance', snapshot: 's1', freshSnapshot: false });
    await prepared.release();
    expect(prepared.ok).toBe(true);
    expect(prepared.summary).toMatchObject({ region: 'eu-west-1', account: '210987654321' });
  });

  it('snapshot-only of a database that is not there: the error names them, STS asked only then', async () => {
    const w = world(() => Promise.resolve({ account: '123456789012' }));
    const error = await runSnapshotOnly(w.deps, { identifier: 'nope', kind: 'instance' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionError);
    expect((error as Error).message).toMatch(/^Preflight failed in eu-west-1 \(account 123456789012\): No DB instance nope/);
    expect(w.asked()).toBe(1);
    await runSnapshotOnly(w.deps, { identifier: 'db1', kind: 'instance' });
    expect(w.asked()).toBe(1);
  });

  it('a preflight that cannot read at all (credentials, network) names them as well', async () => {
    const w = world(() => Promise.resolve({}));
    w.rds.onCall('describeInstance', () => {
      throw Object.assign(new Error('The security token included in the request is invalid.'), { name: 'InvalidClientTokenId' });
    });
    const error = await prepareRestore(w.deps, { identifier: 'db1', kind: 'instance', freshSnapshot: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionError);
    expect((error as Error).message).toBe(
      "Preflight could not read the database's state in eu-west-1 (account unknown): InvalidClientTokenId: The security token included in the request is invalid.",
    );
  });
});
