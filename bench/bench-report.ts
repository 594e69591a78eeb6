/** The bench's figures as a text table (stdout) and as the README's block. Pure. */
import type { Scenario } from './bench-scenarios.js';
import type { Figure, Ratio, ResultRow } from './bench-results.js';
import type { Spread } from './statistics.js';

/** What `npm run bench` ran with (also written to the JSON file). */
export interface BenchParameters {
  runs: number;
  seed: number;
  jitter: number;
  probeIntervalSeconds: number;
  hopSeconds: number;
  /** Durations set on the command line (`--timing key=seconds`), over every scenario's. */
  timingOverrides: Record<string, number>;
  /** trapheus's request budget (rds.maxRequestsPerSecond, its default) and burst; the predecessor has none. */
  requestBudget?: { perSecond: number; burst: number } | undefined;
}

export interface BenchResults {
  command: string;
  parameters: BenchParameters;
  scenarios: Scenario[];
  /** The predecessor model's fixed figures (bench-scenarios.ts, PREDECESSOR). */
  predecessor: Record<string, unknown>;
  rows: ResultRow[];
  ratios: Ratio[];
}

/** Seconds as `42 s` below two minutes, else `15.4 min`. */
export function duration(seconds: number): string {
  return Math.abs(seconds) < 120 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`;
}

/** `mean (min–max)`, or the mean alone when every run gave the same; `digits` decimals. */
export function ranged(s: Spread | undefined, digits = 0, unit = ''): string {
  if (!s) return '—';
  const f = (n: number) => {
    const text = n.toFixed(digits);
    return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text.replace(/^-/, '−');
  };
  const [mean, min, max] = [f(s.mean), f(s.min), f(s.max)];
  // A range of negative figures reads better with "to": `−119 s (−127 to −107)`.
  return `${mean}${unit}${min === max ? '' : ` (${min}${s.min < 0 ? ' to ' : '–'}${max})`}`;
}

/** A duration's spread in the unit its mean reads best in: `14.5 min (13.3–15.4)`, `98 s (91–104)`. */
export function rangedDuration(s: Spread | undefined): string {
  if (!s) return '—';
  if (Math.abs(s.mean) < 120) return ranged(s, 0, ' s');
  const minutes = (n: number) => n / 60;
  return ranged({ ...s, mean: minutes(s.mean), min: minutes(s.min), max: minutes(s.max) }, 1, ' min');
}

const KIND_LABEL = { instance: 'instance', 'aurora-cluster': 'Aurora cluster' } as const;

interface Column {
  title: string;
  cell: (row: ResultRow) => string;
}

const time = (row: ResultRow, figure: Figure): string => rangedDuration(row.figures[figure]);
const seconds = (row: ResultRow, figure: Figure): string => ranged(row.figures[figure], 0, ' s');
const num = (row: ResultRow, figure: Figure, digits = 0): string => ranged(row.figures[figure], digits);

const COLUMNS: Column[] = [
  { title: 'database', cell: (r) => KIND_LABEL[r.kind] },
  { title: 'how', cell: (r) => r.driver },
  { title: 'downtime (probe)', cell: (r) => time(r, 'downtimeSeconds') },
  { title: 'of it busy', cell: (r) => time(r, 'busySeconds') },
  { title: 'outages', cell: (r) => num(r, 'outages', r.figures.outages?.min === r.figures.outages?.max ? 0 : 1) },
  { title: 'own report', cell: (r) => time(r, 'reportedDowntimeSeconds') },
  { title: 'report end − probe', cell: (r) => time(r, 'cutoverLagSeconds') },
  { title: 'total', cell: (r) => time(r, 'totalSeconds') },
  { title: 'mutating', cell: (r) => num(r, 'mutating') },
  { title: 'Describe', cell: (r) => num(r, 'describe') },
  { title: 'Describe/min', cell: (r) => num(r, 'describePerMinute', 1) },
  { title: 'peak/1 s', cell: (r) => num(r, 'peakPerSecond') },
  { title: 'lag mean / worst', cell: (r) => `${seconds(r, 'lagMeanSeconds')} / ${seconds(r, 'lagMaxSeconds')}` },
];

const failures = (row: ResultRow): string[] =>
  Object.entries(row.outcomes)
    .filter(([outcome]) => outcome !== 'succeeded')
    .map(([outcome, n]) => `${KIND_LABEL[row.kind]} ${row.driver}: ${n} of ${row.runs} runs ${outcome}`);

function header(results: BenchResults): string {
  const p = results.parameters;
  const overrides = Object.entries(p.timingOverrides).map(([k, v]) => `${k}=${v}`);
  return `${p.runs} runs per row, each RDS duration drawn within ±${Math.round(p.jitter * 100)} % of its scenario's value, seed ${p.seed}, probe every ${p.probeIntervalSeconds} s${p.requestBudget ? `, trapheus's request budget ${p.requestBudget.perSecond}/s with a burst of ${p.requestBudget.burst} (the predecessor has none)` : ''}${overrides.length > 0 ? `, durations set: ${overrides.join(' ')}` : ''}`;
}

/** The table printed on stdout. */
export function textReport(results: BenchResults): string {
  const lines = [`Simulated RDS behind the SDK client, virtual clock; ${header(results)}.`, ''];
  for (const scenario of results.scenarios) {
    const rows = results.rows.filter((r) => r.scenario === scenario.name);
    if (rows.length === 0) continue;
    lines.push(`Scenario ${scenario.name}: ${scenario.title} (${scenario.source})`);
    const cells = [COLUMNS.map((c) => c.title), ...rows.map((r) => COLUMNS.map((c) => c.cell(r)))];
    const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
    for (const row of cells) lines.push(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
    lines.push(...rows.flatMap(failures), '');
  }
  return lines.join('\n');
}

const percent = (r: Ratio): string => `${Math.round(r.ratio * 100)} %`;

/** The README's block between the bench markers (markdown). */
export function readmeBlock(results: BenchResults): string {
  const lines = [`Written by \`npm run bench:readme\` from \`bench/results.json\` (${header(results)}). Each cell: mean (min–max).`, ''];
  for (const scenario of results.scenarios) {
    const rows = results.rows.filter((r) => r.scenario === scenario.name);
    if (rows.length === 0) continue;
    lines.push(`**Scenario \`${scenario.name}\`** — ${scenario.title}. Durations: ${scenario.source}.`, '');
    lines.push(`| ${COLUMNS.map((c) => c.title).join(' | ')} |`, `|${COLUMNS.map(() => '---').join('|')}|`);
    for (const row of rows) lines.push(`| ${COLUMNS.map((c) => c.cell(row).replace(/\|/g, '\\|')).join(' | ')} |`);
    const failed = rows.flatMap(failures);
    if (failed.length > 0) lines.push('', `Failed runs: ${failed.join('; ')}.`);
    lines.push('');
  }
  const sentence = (figure: Figure, of: string, to: string, label: string) => {
    const parts = results.ratios
      .filter((r) => r.figure === figure && r.of === of && r.to === to)
      .map((r) => `${percent(r)} (${KIND_LABEL[r.kind]}, \`${r.scenario}\`)`);
    return parts.length > 0 ? `- ${label}: ${parts.join(', ')}.` : undefined;
  };
  const ratioLines = [
    sentence('downtimeSeconds', 'swap', 'rename-first', "swap's downtime (probe) as a share of rename-first's"),
    sentence('downtimeSeconds', 'swap', 'predecessor', "swap's downtime (probe) as a share of the predecessor's"),
    sentence('downtimeSeconds', 'rename-first', 'predecessor', "rename-first's downtime (probe) as a share of the predecessor's"),
    sentence('totalSeconds', 'swap', 'rename-first', "swap's total run time as a share of rename-first's"),
    sentence('totalSeconds', 'swap', 'predecessor', "swap's total run time as a share of the predecessor's"),
  ].filter((l): l is string => l !== undefined);
  if (ratioLines.length > 0) lines.push('Ratios of the means:', '', ...ratioLines);
  return lines.join('\n');
}

/**
 * The sentence of the README's "Aurora clusters" section (between the bench-cluster markers):
 * the swap cut-over of a cluster, per scenario, from the same results.
 */
export function clusterSentence(results: BenchResults): string {
  const rows = results.rows.filter((r) => r.kind === 'aurora-cluster' && r.driver === 'swap');
  if (rows.length === 0) return 'Not measured in the last `npm run bench:readme` (no Aurora cluster swap row).';
  const parts = rows.map((r) => {
    const outages = r.figures.outages;
    const count = outages ? `${ranged(outages, outages.min === outages.max ? 0 : 1)} outage${outages.mean === 1 ? '' : 's'}` : '';
    return `\`${r.scenario}\`: downtime (probe) ${time(r, 'downtimeSeconds')}, ${count}, trapheus's own report ${time(r, 'reportedDowntimeSeconds')}, total ${time(r, 'totalSeconds')}, ${num(r, 'describePerMinute', 1)} Describe calls per minute, at most ${num(r, 'peakPerSecond')} requests in one second`;
  });
  return `Measured by \`npm run bench:readme\` (the sample cluster, a writer and two readers; ${results.parameters.runs} runs, mean (min–max)) — ${parts.join('; ')}. Scenarios and how they are measured: [Strategies and downtime](#strategies-and-downtime).`;
}

export const README_START = '<!-- bench:start -->';
export const README_END = '<!-- bench:end -->';

/**
 * `readme` with the text between the markers `<!-- NAME:start -->` and `<!-- NAME:end -->`
 * (default `bench`) replaced by `block`; throws if the markers are missing.
 */
export function replaceBetweenMarkers(readme: string, block: string, name = 'bench'): string {
  const [startMarker, endMarker] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(`The README has no ${startMarker} … ${endMarker} markers.`);
  return `${readme.slice(0, start + startMarker.length)}\n${block}\n${readme.slice(end)}`;
}
