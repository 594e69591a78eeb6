import { JournalError } from '../core/errors.js';
import type { RunDocument } from '../engine/run-document.js';
import type { BoundWorkflow } from './bound-workflow.js';
import { kindOfWorkflow } from './kinds/registry.js';
import { bindSnapshotOnly, SNAPSHOT_ONLY } from './snapshot/snapshot-only-workflow.js';

/** Rebuilds the workflow a run document names: snapshot-only, or the restore of one kind. */
export function bindWorkflow(doc: RunDocument): BoundWorkflow {
  if (doc.workflow === SNAPSHOT_ONLY) return bindSnapshotOnly(doc);
  const kind = kindOfWorkflow(doc.workflow);
  if (!kind) {
    throw new JournalError(`Run ${doc.runId} is of an unknown workflow "${doc.workflow}".`, {
      hint: 'Use the trapheus version that started this run.',
    });
  }
  return kind.bind(doc);
}
