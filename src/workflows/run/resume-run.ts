import { JournalError, PreconditionError } from '../../core/errors.js';
import type { UnreadableRun } from '../../engine/journal.js';
import type { ResumePlan } from '../../engine/plan-resume.js';
import type { RunDocument } from '../../engine/run-document.js';
import { deriveProgress, isUnfinished } from '../../engine/run-progress.js';
import type { BoundWorkflow } from '../bound-workflow.js';
import type { RunResult, ServiceDeps } from '../service.js';
import { bindWorkflow } from '../workflow-registry.js';
import { execute } from './execute-run.js';
import { lockKeyOf, lockOwner } from './run-lock.js';

/** Told what a resume (or an abort) is about to do, before anything is written; false: stop, nothing changed. */
export type ConfirmResume = (plan: ResumePlan, doc: RunDocument) => Promise<boolean>;

/** What `resume --dry-run` shows: the run a resume would continue, what it would do, and who holds its lock. */
export interface ResumePreview {
  doc: RunDocument;
  plan: ResumePlan;
  /** Another live process runs it now: a resume would be skipped. */
  heldBy?: { pid: number; host: string } | undefined;
}

/**
 * Continues an unfinished run (the newest one if no id is given) from where its journal says
 * it stopped — forward, or the revert that was under way. Safe to call twice: a finished run
 * is reported, not run again. `confirm` is told which run and what it will do before it acts.
 */
export async function resumeRun(deps: ServiceDeps, runId?: string, confirm?: ConfirmResume): Promise<RunResult> {
  const { doc: read } = await unfinishedRun(deps, runId);
  const release = await deps.locks.acquire(lockKeyOf(read), lockOwner(deps, read.runId));
  try {
    // Read again under the lock: another process may have moved the run on meanwhile.
    const { doc, bound } = await unfinishedRun(deps, read.runId);
    return await execute(deps, doc, { confirm: confirm && ((plan) => confirm(plan, doc)) }, bound);
  } finally {
    await release();
  }
}

/**
 * `trapheus abort RUN_ID`: reverts an unfinished run that has not passed its point of no return
 * — deletes what it restored and puts the original back, as a failure would. Refused (exit 3,
 * nothing changed) past that point: then only `resume` finishes it.
 */
export async function abortRun(deps: ServiceDeps, runId: string, confirm?: ConfirmResume): Promise<RunResult> {
  const { doc: read } = await unfinishedRun(deps, runId);
  const release = await deps.locks.acquire(lockKeyOf(read), lockOwner(deps, read.runId));
  try {
    const { doc, bound } = await unfinishedRun(deps, read.runId);
    const revert = { name: 'RevertRequested', message: 'Reverted on request (trapheus abort).' };
    return await execute(deps, doc, { revert, confirm: confirm && ((plan) => confirm(plan, doc)) }, bound);
  } finally {
    await release();
  }
}

/** What `trapheus resume [RUN_ID]` would do, read from the journal alone: nothing is run, written or locked. */
export async function previewResume(deps: ServiceDeps, runId?: string): Promise<ResumePreview> {
  const { doc, bound } = await unfinishedRun(deps, runId);
  let plan: ResumePlan | undefined;
  await execute(
    deps,
    doc,
    {
      confirm: (p) => {
        plan = p;
        return Promise.resolve(false);
      },
    },
    bound,
  );
  if (!plan) throw new PreconditionError(`Run ${doc.runId} could not be planned.`);
  const holder = await deps.locks.holder(lockKeyOf(doc));
  return { doc, plan, heldBy: holder && holder.runId === doc.runId ? holder : undefined };
}

/** The run to continue, checked before anything is locked: it exists, is readable, fits its own names and is unfinished. */
async function unfinishedRun(deps: ServiceDeps, runId: string | undefined): Promise<{ doc: RunDocument; bound: BoundWorkflow }> {
  const doc = runId ? await deps.journal.load(runId) : await newestUnfinished(deps);
  let bound: BoundWorkflow;
  try {
    bound = bindWorkflow(doc);
  } catch (error) {
    // A journal this version cannot rebuild was never acted on by this call: a precondition (exit 3), not a broken run.
    if (error instanceof JournalError) throw new PreconditionError(error.message, { cause: error, hint: error.hint });
    throw error;
  }
  const progress = deriveProgress(doc.events);
  if (!isUnfinished(progress.status)) {
    throw new PreconditionError(`Run ${doc.runId} already ended (${progress.status}); there is nothing to resume.`, {
      hint: `See \`trapheus status ${doc.runId}\`.`,
    });
  }
  return { doc, bound };
}

async function newestUnfinished(deps: ServiceDeps): Promise<RunDocument> {
  const unreadable: UnreadableRun[] = [];
  const docs = await deps.journal.list({ unfinishedOnly: true }, (file, reason, about) => unreadable.push(about ?? { file, reason }));
  const doc = docs.find((d) => isUnfinished(deriveProgress(d.events).status));
  if (doc) return doc;
  const [first] = unreadable;
  if (first) {
    throw new PreconditionError(`No unfinished run can be read, and ${first.file} cannot be read (${first.reason}): it may be one.`, {
      hint: 'Resume it with the trapheus version that wrote it, or name the run to resume: trapheus resume RUN_ID (see `trapheus runs`).',
    });
  }
  throw new PreconditionError('There is no unfinished run to resume.', { hint: 'List runs with `trapheus runs`.' });
}
