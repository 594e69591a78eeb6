import type { RunSummary } from '../../core/run-summary.js';
import type { RunEvent } from '../../engine/run-events.js';
import type { RunDocument } from '../../engine/run-document.js';
import { deriveProgress } from '../../engine/run-progress.js';
import type { RunOutcome } from '../../engine/run-workflow.js';
import { summarizeSteps } from '../../engine/summarize-steps.js';
import type { BoundWorkflow } from '../bound-workflow.js';
import type { RunListEntry, ServiceDeps } from '../service.js';
import { bindWorkflow } from '../workflow-registry.js';
import { lockKeyOf } from './run-lock.js';

type JournalDeps = Pick<ServiceDeps, 'journal' | 'locks'>;

/** Every journaled run, newest first. */
export async function listRuns(deps: JournalDeps): Promise<RunListEntry[]> {
  const docs = await deps.journal.list();
  const entries: RunListEntry[] = [];
  for (const doc of docs) {
    const progress = deriveProgress(doc.events);
    const holder = progress.status === 'running' ? await deps.locks.holder(lockKeyOf(doc)) : undefined;
    const active = holder?.runId === doc.runId;
    const startedAt = doc.events[0]?.at ?? doc.createdAt;
    const endedAt = progress.status === 'running' ? undefined : doc.events[doc.events.length - 1]?.at;
    entries.push({
      runId: doc.runId,
      command: doc.command,
      identifier: doc.identifier,
      cluster: doc.cluster,
      // A 'running' run whose process is gone was cut off: it waits for `trapheus resume`.
      status: progress.status === 'running' && !active ? 'interrupted' : progress.status,
      startedAt,
      endedAt,
      durationSeconds: endedAt ? Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000) : undefined,
      active,
    });
  }
  return entries;
}

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
    warnings: doc.events.flatMap((e) => (e.type === 'notice' && e.level === 'warning' ? [e.message] : [])),
    ...(exportState ? { export: exportState } : {}),
    ...(status !== 'rolled_back' && workflow?.masterUserSecretArn?.() ? { masterUserSecretArn: workflow.masterUserSecretArn() } : {}),
    // Both strategies measure a downtime window: from the first rename to the name answering again.
    ...(downtime?.startedAt && downtime.endedAt
      ? { downtimeSeconds: Math.round((Date.parse(downtime.endedAt) - Date.parse(downtime.startedAt)) / 100) / 10 }
      : {}),
    ...(failure && status !== 'succeeded' ? { error: { step: failure.stepId, name: failure.name, message: failure.message } } : {}),
    startedAt: doc.events[0]?.at,
    endedAt: status === 'running' ? undefined : doc.events[doc.events.length - 1]?.at,
  };
}
