import type { ChalkInstance } from 'chalk';
import type { RunSummary } from '../core/run-summary.js';
import { formatDuration } from './format.js';

const HEADLINE: Record<RunSummary['status'], string> = {
  succeeded: 'succeeded',
  rolled_back: 'failed — rolled back, the database is as it was',
  failed: 'failed — needs attention',
  interrupted: 'interrupted — the journal is kept',
  running: 'running',
  planned: 'planned (dry run) — nothing was changed',
};

/** The human summary at the end of a run or a dry run. */
export function formatSummary(summary: RunSummary, c: ChalkInstance): string {
  const lines: string[] = [];
  const ok = summary.status === 'succeeded' || (summary.status === 'planned' && !summary.error);
  const mark = ok ? c.green('✔') : summary.status === 'interrupted' ? c.yellow('!') : c.red('✖');
  const duration =
    summary.startedAt && summary.endedAt ? `, ${formatDuration((Date.parse(summary.endedAt) - Date.parse(summary.startedAt)) / 1000)}` : '';
  const what = `${summary.command} of ${summary.cluster ? 'cluster ' : ''}${summary.identifier}`;
  lines.push(
    `${mark} ${c.bold(what)} ${summary.status === 'planned' && summary.error ? 'cannot run: preflight failed' : HEADLINE[summary.status]}${summary.runId ? c.dim(` (run ${summary.runId}${duration})`) : ''}`,
  );

  if (summary.preflight) {
    lines.push('', 'Preflight:');
    for (const check of summary.preflight) {
      const sign = !check.ok ? c.red('✖') : check.warning ? c.yellow('!') : c.green('✔');
      lines.push(`  ${sign} ${check.name}: ${check.detail}`);
    }
  }
  if (summary.status === 'planned' && summary.steps.length > 0) {
    lines.push('', 'Steps:');
    summary.steps.forEach((step, i) =>
      lines.push(`  ${i + 1}. ${step.title ?? step.id}${step.causesDowntime ? c.yellow('  ← clients lose the database') : ''}`),
    );
  }
  if (summary.snapshotIdentifier) lines.push('', `Snapshot: ${summary.snapshotIdentifier}`);
  if (summary.downtimeSeconds !== undefined)
    lines.push(`Downtime: ${summary.downtimeSeconds} s (the original name did not answer as available)`);
  if (summary.export) {
    lines.push(
      summary.export.started
        ? `Export: task ${summary.export.taskId} started (trapheus export-status ${summary.export.taskId})`
        : c.yellow(`Export: not started (${summary.export.error ?? 'unknown error'})`),
    );
  }
  if (summary.error && summary.status !== 'planned') {
    lines.push('', c.red(`Error${summary.error.step ? ` in ${summary.error.step}` : ''}: ${summary.error.name}: ${summary.error.message}`));
  }
  for (const sentence of summary.situation ?? []) lines.push(sentence === summary.situation?.[0] ? `\n${sentence}` : sentence);
  if (summary.configDifferences.length > 0) {
    lines.push('', c.yellow('Settings that differ from the original (warnings):'));
    for (const d of summary.configDifferences) {
      lines.push(`  ${d.resource} ${d.setting}: ${JSON.stringify(d.actual)} (was ${JSON.stringify(d.expected)})`);
    }
  }
  const warnings = summary.warnings.filter((w) => !summary.preflight?.some((p) => p.detail === w));
  if (warnings.length > 0) {
    lines.push('', c.yellow('Warnings:'));
    for (const w of warnings) lines.push(`  ! ${w}`);
  }
  if (summary.runId && summary.status !== 'succeeded') lines.push('', c.dim(`Inspect: trapheus status ${summary.runId}`));
  return lines.join('\n');
}
