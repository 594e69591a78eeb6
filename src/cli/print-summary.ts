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

/** What the summary is shown for, besides the end of a run or a dry run. */
export interface SummaryView {
  /** The plan shown before the confirmation prompt: nothing has run yet, and it is not a dry run. */
  confirming?: boolean | undefined;
  /** `trapheus status`: how the run stands now ('crashed' when its process is gone). */
  standing?: RunSummary['status'] | 'crashed' | undefined;
}

/** The first line: a mark and what happened (or, before a confirmation, what is about to). */
function headline(summary: RunSummary, c: ChalkInstance, view: SummaryView): { mark: string; text: string } {
  if (view.confirming) return { mark: c.cyan('?'), text: 'about to run — review the plan; nothing has been changed yet' };
  if (view.standing === 'crashed') return { mark: c.yellow('!'), text: 'crashed — its process is gone; the journal is kept' };
  if (summary.status === 'planned' && summary.error)
    return { mark: c.red('✖'), text: 'cannot run: preflight failed — nothing was changed' };
  switch (summary.status) {
    case 'succeeded':
    case 'planned':
      return { mark: c.green('✔'), text: HEADLINE[summary.status] };
    case 'running':
      // Not a failure: a live process (or a resume) is still at it.
      return { mark: c.cyan('…'), text: summary.error ? 'running — reverting after a failure' : HEADLINE.running };
    case 'interrupted':
      return { mark: c.yellow('!'), text: HEADLINE.interrupted };
    default:
      return { mark: c.red('✖'), text: HEADLINE[summary.status] };
  }
}

/** The human summary at the end of a run or a dry run, before a confirmation, or of `trapheus status`. */
export function formatSummary(summary: RunSummary, c: ChalkInstance, view: SummaryView = {}): string {
  const lines: string[] = [];
  const duration =
    summary.startedAt && summary.endedAt ? `, ${formatDuration((Date.parse(summary.endedAt) - Date.parse(summary.startedAt)) / 1000)}` : '';
  const what = `${summary.command} of ${summary.cluster ? 'cluster ' : ''}${summary.identifier}${summary.target ? ` into ${summary.target}` : ''}`;
  const { mark, text } = headline(summary, c, view);
  lines.push(`${mark} ${c.bold(what)} ${text}${summary.runId ? c.dim(` (run ${summary.runId}${duration})`) : ''}`);
  // Which region and account the preflight looked in (a database "not found" is often the wrong one of these).
  if (summary.region) lines.push(`  in ${summary.region}, account ${summary.account ?? 'unknown'}`);

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
  if (summary.source && (summary.source.kind === 'point-in-time' || summary.source.of))
    lines.push('', `Data from: ${summary.source.description}`);
  else if (summary.snapshotIdentifier) lines.push('', `Snapshot: ${summary.snapshotIdentifier}`);
  for (const hook of summary.hooks ?? []) {
    const end =
      hook.endedAt === undefined
        ? 'started, its end not journaled'
        : hook.startError !== undefined
          ? `could not be started (${hook.startError})`
          : hook.timedOut
            ? 'stopped at its timeout'
            : hook.interrupted
              ? 'interrupted'
              : hook.signal !== undefined
                ? `killed by ${hook.signal}`
                : `exited ${hook.exitCode ?? '?'}`;
    const text = `Hook ${hook.name} (${hook.command}) against ${hook.identifier}: ${end}, ${hook.outputBytes ?? 0} bytes of output`;
    lines.push(hook.exitCode === 0 ? text : c.yellow(text));
  }
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
  if (summary.runId && summary.status !== 'succeeded' && view.standing === undefined)
    lines.push('', c.dim(`Inspect: trapheus status ${summary.runId}`));
  return lines.join('\n');
}
