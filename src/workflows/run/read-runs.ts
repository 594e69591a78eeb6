import type { RunSummary } from '../../core/run-summary.js';
import type { RunEvent } from '../../engine/run-events.js';
import type { RunDocument } from '../../engine/run-document.js';
import { deriveProgress } from '../../engine/run-progress.js';
import type { RunOutcome } from '../../engine/run-workflow.js';
import { summarizeSteps } from '../../engine/summarize-steps.js';
import type { BoundWorkflow } from '../bound-workflow.js';
import type { ServiceDeps } from '../service.js';
import { bindWorkflow } from '../workflow-registry.js';

type JournalDeps = Pick<ServiceDeps, 'journal' | 'locks'>;

/** One run's summary and its events. */
export async function showRun(deps: JournalDeps, runId: string): Promise<{ summary: RunSummary; events: RunEvent[] }> {
  const doc = await deps.journal.load(runId);
  return { summary: summarizeDoc(doc, undefined), events: doc.events };
}

/** The `--json` document of a run; `bound` when the caller has already rebuilt its workflow. */
export function summarizeDoc(doc: RunDocument, outcome: RunOutcome | undefined, bound?: BoundWorkflow): RunSummary {
  const progress = deriveProgress(doc.events);
  let workflow = bound;
  if (!workflow) {
    try {
      workflow = bindWorkflow(doc);
    } catch {
      // A journal this version cannot rebuild is still shown, from its events alone.
    }
  }
  const failure = outcome?.compensationFailure ?? outcome?.failure ?? progress.failure;
  const status = outcome?.status ?? progress.status;
  const exportState = workflow?.exportState();
  const downtime = workflow?.downtime();
  return {
    runId: doc.runId,
    command: doc.command,
    identifier: doc.identifier,
    cluster: doc.cluster,
    status,
    steps: summarizeSteps(workflow?.steps ?? [], doc.events),
    configDifferences: workflow?.configDifferences() ?? [],
    snapshotIdentifier: workflow?.snapshotIdentifier,
    ...(workflow?.source ? { source: workflow.source } : {}),
    ...(workflow?.target ? { target: workflow.target } : {}),
    ...(workflow?.hooks && workflow.hooks().length > 0 ? { hooks: workflow.hooks() } : {}),
    warnings: doc.events.flatMap((e) => (e.type === 'notice' && e.level === 'warning' ? [e.message] : [])),
    ...(exportState ? { export: exportState } : {}),
    ...(status !== 'rolled_back' && workflow?.masterUserSecretArn?.() ? { masterUserSecretArn: workflow.masterUserSecretArn() } : {}),
    // Both strategies measure a downtime window: from the first rename to the name answering again;
    // a writer-last cut-over adds its fail-back's outage (a failover).
    ...(downtime?.startedAt && downtime.endedAt
      ? { downtimeSeconds: Math.round((seconds(downtime) + seconds(downtime.failback)) * 10) / 10 }
      : {}),
    ...(failure && status !== 'succeeded' ? { error: { step: failure.stepId, name: failure.name, message: failure.message } } : {}),
    startedAt: doc.events[0]?.at,
    endedAt: status === 'running' ? undefined : doc.events[doc.events.length - 1]?.at,
  };
}

/** The length of a journaled window, in seconds; 0 unless both ends are there. */
function seconds(window: { startedAt?: string | undefined; endedAt?: string | undefined } | undefined): number {
  return window?.startedAt && window.endedAt ? (Date.parse(window.endedAt) - Date.parse(window.startedAt)) / 1000 : 0;
}
