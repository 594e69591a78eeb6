/** Mean, extremes and percentiles of a few runs' figures. Pure. */

/** One figure over N runs. */
export interface Spread {
  mean: number;
  min: number;
  max: number;
  p50: number;
  p95: number;
  n: number;
}

/** The nearest-rank percentile `p` (0–100) of `values` (not empty). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? NaN;
}

export function spread(values: number[]): Spread {
  if (values.length === 0) return { mean: NaN, min: NaN, max: NaN, p50: NaN, p95: NaN, n: 0 };
  return {
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    n: values.length,
  };
}

/** Median, quartiles and extremes of a few timings: what the start-up and journal benchmarks print. */
export function quartiles(values: number[]) {
  return {
    median: percentile(values, 50),
    p25: percentile(values, 25),
    p75: percentile(values, 75),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}
