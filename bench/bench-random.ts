/**
 * Seeded randomness for the bench: the same seed gives the same figures, run after run.
 *
 * Two things vary between runs: how long RDS takes (each duration drawn around its scenario's
 * value, `jitterTimings`) and the jitter of trapheus's own backoff (the SDK's waiter and retry
 * strategy draw from `Math.random`, which `withSeededMathRandom` replaces for one run).
 */
import type { SimTimings } from '../test/sim/sim-timings.js';

/** mulberry32: a small, fast, seedable PRNG; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for one stream of one run, so that streams and runs do not share draws. */
export function streamSeed(seed: number, run: number, stream: number): number {
  return (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(run + 1, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35)) >>> 0;
}

/** Every duration of `base` times a factor uniform in [1 − spread, 1 + spread], rounded to 0.1 s (0 stays 0). */
export function jitterTimings(base: SimTimings, random: () => number, spread: number): SimTimings {
  const drawn = { ...base };
  for (const key of Object.keys(base) as (keyof SimTimings)[]) {
    const factor = 1 + spread * (2 * random() - 1);
    drawn[key] = Math.round(base[key] * factor * 10) / 10;
  }
  return drawn;
}

/** Runs `work` with `Math.random` replaced by `random`, and puts the real one back after. */
export async function withSeededMathRandom<T>(random: () => number, work: () => Promise<T>): Promise<T> {
  const real = Math.random;
  Math.random = random;
  try {
    return await work();
  } finally {
    Math.random = real;
  }
}
