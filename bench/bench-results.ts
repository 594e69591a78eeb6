/** From many runs to the rows of the table: each figure's spread per scenario, kind and driver. Pure. */
import type { DriverName, KindName } from './bench-scenarios.js';
import type { RunMeasure } from './run-measure.js';
import { spread, type Spread } from './statistics.js';

/** The figures summarized per row, in JSON order. */
export const FIGURES = [
  'downtimeSeconds',
  'busySeconds',
  'outages',
  'longestOutageSeconds',
  'reportedDowntimeSeconds',
  'reportStartOffsetSeconds',
  'cutoverLagSeconds',
  'totalSeconds',
  'mutating',
  'describe',
  'describePerMinute',
  'peakPerSecond',
  'lagMeanSeconds',
  'lagMaxSeconds',
] as const satisfies readonly (keyof RunMeasure)[];
export type Figure = (typeof FIGURES)[number];

/** One scenario × kind × driver over its runs. */
export interface ResultRow {
  scenario: string;
  kind: KindName;
  driver: DriverName;
  runs: number;
  /** How the runs ended: `succeeded` or the failure, with counts. */
  outcomes: Record<string, number>;
  /** Each figure over the runs that have it (a figure a driver does not have is left out). */
  figures: Partial<Record<Figure, Spread>>;
}

export function summarizeRuns(measures: RunMeasure[]): ResultRow[] {
  const rows = new Map<string, RunMeasure[]>();
  for (const m of measures) {
    const key = `${m.scenario}\u0000${m.kind}\u0000${m.driver}`;
    rows.set(key, [...(rows.get(key) ?? []), m]);
  }
  return [...rows.values()].map((runs) => {
    const first = runs[0] as RunMeasure;
    const outcomes: Record<string, number> = {};
    for (const r of runs) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    const figures: Partial<Record<Figure, Spread>> = {};
    for (const figure of FIGURES) {
      const values = runs.map((r) => r[figure]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (values.length > 0) figures[figure] = spread(values);
    }
    return { scenario: first.scenario, kind: first.kind, driver: first.driver, runs: runs.length, outcomes, figures };
  });
}

/** One ratio of mean figures, for the README ("swap's downtime is 11 % of rename-first's, instance, fast-release"). */
export interface Ratio {
  scenario: string;
  kind: KindName;
  figure: Figure;
  of: DriverName;
  to: DriverName;
  ratio: number;
}

const PAIRS: [DriverName, DriverName][] = [
  ['swap', 'rename-first'],
  ['swap', 'predecessor'],
  ['rename-first', 'predecessor'],
];

export function ratios(rows: ResultRow[], figures: Figure[] = ['downtimeSeconds', 'totalSeconds']): Ratio[] {
  const out: Ratio[] = [];
  const find = (scenario: string, kind: KindName, driver: DriverName) =>
    rows.find((r) => r.scenario === scenario && r.kind === kind && r.driver === driver);
  for (const row of rows.filter((r) => r.driver === 'swap')) {
    for (const figure of figures) {
      for (const [of, to] of PAIRS) {
        const a = find(row.scenario, row.kind, of)?.figures[figure]?.mean;
        const b = find(row.scenario, row.kind, to)?.figures[figure]?.mean;
        if (a !== undefined && b !== undefined && b > 0) out.push({ scenario: row.scenario, kind: row.kind, figure, of, to, ratio: a / b });
      }
    }
  }
  return out;
}
