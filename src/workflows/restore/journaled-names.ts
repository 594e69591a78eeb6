import { PreconditionError } from '../../core/errors.js';
import type { RunDocument } from '../../engine/run-document.js';
import {
  derivedIdentifier,
  identifierTimestamp,
  invalidIdentifierReason,
  MAX_SNAPSHOT_IDENTIFIER_LENGTH,
  newSnapshotIdentifier,
} from '../identifiers.js';
import { RESTORING_SUFFIX, RETIRED_SUFFIX } from './restore-preflight.js';
import type { RestorePlan } from './restore-plan.js';

/**
 * Before a journaled run is acted on, every name in its plan must be the one trapheus derives
 * from the run's own identifier: a journal is a file, and a plan that names another database
 * (crafted, or damaged) must never make `trapheus resume` rename or delete it. Names compare
 * without regard to case, as RDS compares them.
 */
export function checkRestoreNames(
  doc: RunDocument,
  plan: RestorePlan,
  capturedMembers: readonly { identifier: string; isWriter?: boolean }[] | undefined,
  hasMembers: boolean,
): void {
  const check = checker(doc);
  const id = check.identifier(plan.identifier);
  const names = (of: string, field: string, n: { retiredIdentifier: string; restoringIdentifier?: string | undefined }) => {
    check.same(`${field}retiredIdentifier`, n.retiredIdentifier, derivedIdentifier(of, RETIRED_SUFFIX));
    if (n.restoringIdentifier !== undefined || plan.strategy === 'swap') {
      check.same(`${field}restoringIdentifier`, n.restoringIdentifier ?? '(none)', derivedIdentifier(of, RESTORING_SUFFIX));
    }
  };
  names(id, 'plan.', plan);
  if (!hasMembers && plan.members.length > 0)
    check.fail(`plan.members lists ${plan.members.length} members; a ${doc.workflow} run has none`);
  const primary = new Set([id, plan.retiredIdentifier, plan.restoringIdentifier].flatMap((n) => (n ? [n.toLowerCase()] : [])));
  const seen = new Set<string>();
  for (const [i, member] of plan.members.entries()) {
    const name = member.identifier.toLowerCase();
    const reason = invalidIdentifierReason(name);
    if (reason) check.fail(`plan.members.${i} "${member.identifier}" is not a valid identifier (${reason})`);
    if (primary.has(name) || seen.has(name)) check.fail(`plan.members.${i} "${member.identifier}" is named twice`);
    seen.add(name);
    names(name, `plan.members.${i}.`, member);
  }
  if (capturedMembers) {
    const captured = new Set(capturedMembers.map((m) => m.identifier.toLowerCase()));
    if (captured.size !== seen.size || [...seen].some((n) => !captured.has(n))) {
      check.fail(`plan.members (${[...seen].join(', ') || 'none'}) are not the captured members (${[...captured].join(', ') || 'none'})`);
    }
  }
  // The writer-last cut-over fails the restored cluster over to this member's counterpart: a planned reader.
  const target = plan.failoverTarget?.toLowerCase();
  if (target !== undefined) {
    if (plan.strategy !== 'swap' || !seen.has(target))
      check.fail(`plan.failoverTarget "${plan.failoverTarget}" is not a member of a swap run`);
    else if (capturedMembers?.some((m) => m.identifier.toLowerCase() === target && m.isWriter))
      check.fail(`plan.failoverTarget "${plan.failoverTarget}" is the writer, not a reader`);
  }
  const stamp = identifierTimestamp(new Date(doc.createdAt));
  if (plan.snapshotSource === 'fresh')
    check.same('plan.snapshotIdentifier', plan.snapshotIdentifier ?? '(none)', newSnapshotIdentifier(id, new Date(doc.createdAt)));
  if (plan.finalSnapshotIdentifier !== undefined) {
    check.same(
      'plan.finalSnapshotIdentifier',
      plan.finalSnapshotIdentifier,
      derivedIdentifier(`${id}-final`, `-${stamp}`, MAX_SNAPSHOT_IDENTIFIER_LENGTH),
    );
  }
}

/** The same for a snapshot-only run: its database, its kind and the one snapshot name it may create. */
export function checkSnapshotNames(doc: RunDocument, plan: { identifier: string; cluster: boolean; snapshotIdentifier: string }): void {
  const check = checker(doc);
  const id = check.identifier(plan.identifier);
  if (plan.cluster !== doc.cluster) check.fail(`plan.cluster is ${plan.cluster}, the run's is ${doc.cluster}`);
  check.same('plan.snapshotIdentifier', plan.snapshotIdentifier, newSnapshotIdentifier(id, new Date(doc.createdAt)));
}

function checker(doc: RunDocument) {
  const fail = (what: string): never => {
    throw new PreconditionError(
      `Run ${doc.runId} does not fit its own identifier (${doc.identifier}): ${what}. trapheus does not act on it.`,
      {
        hint: `trapheus never acts on a journal it did not write as it is (crafted or damaged). Inspect it (trapheus status ${doc.runId}) and move it out of the journal directory.`,
      },
    );
  };
  return {
    fail,
    /** The run's identifier, lower case, once it is a valid identifier and the plan's too. */
    identifier(planned: string): string {
      const id = doc.identifier.toLowerCase();
      const reason = invalidIdentifierReason(id);
      if (reason) fail(`"${doc.identifier}" is not a valid identifier (${reason})`);
      if (planned.toLowerCase() !== id) fail(`plan.identifier is "${planned}"`);
      return id;
    },
    same(field: string, actual: string, expected: string): void {
      if (actual.toLowerCase() !== expected.toLowerCase()) fail(`${field} is "${actual}", not "${expected}"`);
    },
  };
}
