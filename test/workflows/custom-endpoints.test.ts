import { describe, expect, it } from 'vitest';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { clusterWorld } from './cluster-world.js';

type World = ReturnType<typeof clusterWorld>;

async function start(world: World) {
  const prepared = await prepareRestore(world.deps, { identifier: 'c1', kind: 'aurora-cluster', snapshot: 'cs1', freshSnapshot: false });
  expect(prepared.ok, JSON.stringify(prepared.summary.preflight)).toBe(true);
  return { prepared, result: await prepared.start() };
}

describe('Aurora custom endpoints', () => {
  for (const strategy of ['swap', 'rename-first'] as const) {
    it(`moves each custom endpoint to the restored cluster with the same name, type and members (${strategy})`, async () => {
      const world = clusterWorld({ restore: { strategy } });
      const { prepared, result } = await start(world);
      expect(prepared.summary.preflight).toContainEqual(
        expect.objectContaining({ name: 'custom endpoints', ok: true, detail: expect.stringContaining('c1-analytics') }),
      );
      expect(result.outcome.status).toBe('succeeded');
      const moved = await world.rds.describeCustomEndpoint('c1-analytics');
      expect(moved).toMatchObject({ clusterIdentifier: 'c1', type: 'READER', status: 'available' });
      expect([...(moved?.staticMembers ?? [])].sort()).toEqual(['c1-b', 'c1-c']);
      // It now belongs to the restored cluster, not the retired one (which is gone).
      const restored = world.rds.clusters.get('c1');
      expect(world.rds.endpoints.get('c1-analytics')?.clusterResourceId).toBe(restored?.resourceId);
      // Names are unique per account: the old endpoint was deleted before the new one was created.
      const verbs = world.rds.calls.map((c) => c.verb);
      expect(verbs.filter((v) => v === 'deleteCustomEndpoint')).toHaveLength(1);
      expect(verbs.filter((v) => v === 'createCustomEndpoint')).toHaveLength(1);
      expect(verbs.indexOf('deleteCustomEndpoint')).toBeLessThan(verbs.indexOf('createCustomEndpoint'));
      // After the cut-over, before the retired cluster is touched.
      const createdAt = verbs.indexOf('createCustomEndpoint');
      expect(verbs.indexOf(strategy === 'swap' ? 'renameInstance' : 'restoreCluster')).toBeLessThan(createdAt);
      expect(verbs.indexOf('deleteCluster')).toBeGreaterThan(createdAt);
      expect(result.summary.configDifferences).toEqual([]);
    });
  }

  it('warns, and still restores, when custom endpoints cannot be listed', async () => {
    const world = clusterWorld({ restore: { strategy: 'swap' } });
    world.rds.endpoints.clear();
    world.rds.failNext('listCustomEndpoints', Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const { prepared, result } = await start(world);
    expect(prepared.summary.warnings.join(' ')).toMatch(
      /Custom endpoints could not be listed \(AccessDenied\).*re-create them after the restore/,
    );
    expect(result.outcome.status).toBe('succeeded');
    expect(world.rds.calls.some((c) => c.verb === 'createCustomEndpoint')).toBe(false);
  });
});
