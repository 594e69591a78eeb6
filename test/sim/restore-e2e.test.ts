import { afterEach, describe, expect, it, vi } from 'vitest';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { seedSampleCluster, seedSampleInstance, simWorld, type SimWorld } from './sim-world.js';
import { vitestTimers } from './virtual-time.js';

let world: SimWorld | undefined;
afterEach(() => world?.stop());

const dump = (w: SimWorld, r: { outcome: unknown; summary: unknown }) => {
  console.log(r.outcome, JSON.stringify((r.summary as { configDifferences?: unknown }).configDifferences));
  console.log(w.sim.calls.filter((c) => !c.command.startsWith('Describe')).map((c) => `${c.at.toISOString().slice(11, 19)} ${c.command} ${c.outcome} ${JSON.stringify(c.input).slice(0, 150)}`).join('\n'));
};

describe('the production gateway drives a restore through the simulated RDS', () => {
  for (const strategy of ['rename-first', 'swap'] as const) {
    it(`instance, ${strategy}`, async () => {
      world = simWorld({ timers: vitestTimers(vi) });
      seedSampleInstance(world.sim);
      const w = world;
      const t0 = performance.now();
      const prepared = await w.time.run(prepareRestore(w.deps, { identifier: 'db1', kind: 'instance', snapshot: 's1', freshSnapshot: false, strategy }));
      expect(prepared.ok).toBe(true);
      const result = await w.time.run(prepared.start());
      dump(w, result);
      console.log('real ms', performance.now() - t0);
    });
    it(`cluster, ${strategy}`, async () => {
      world = simWorld({ timers: vitestTimers(vi) });
      seedSampleCluster(world.sim);
      const w = world;
      const t0 = performance.now();
      const prepared = await w.time.run(prepareRestore(w.deps, { identifier: 'c1', kind: 'aurora-cluster', snapshot: 'cs1', freshSnapshot: false, strategy }));
      console.log(JSON.stringify(prepared.summary.preflight));
      expect(prepared.ok).toBe(true);
      const result = await w.time.run(prepared.start());
      dump(w, result);
      console.log('real ms', performance.now() - t0);
    });
  }
});
