import type { RdsGateway } from '../../aws/rds-gateway.js';
import { describeError } from '../../core/errors.js';
import { isSameResource, type ResourceIdentity } from '../../core/resource-identity.js';
import type { RunOutcome } from '../../engine/run-workflow.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import { instanceOps } from '../resources/resource-ops.js';
import { describeRestoreSource, restoreSourceOf } from './restore-source.js';
import type { RestorePlan, RestoreState } from './restore-plan.js';

/** The snapshot id of a plain restore (as before sources existed); another database's snapshot or a point in time in words. */
function fromWhat(plan: RestorePlan): string {
  const source = restoreSourceOf(plan);
  return source.kind === 'snapshot' && !source.of ? source.snapshotIdentifier : describeRestoreSource(source);
}

/**
 * Where a restore left things, in sentences a person on call can act on. On any outcome but
 * success it looks (read-only) at every name the run may have used — the original's, the
 * retired one and, with swap, the restoring one, for the database and each member — so "what
 * is where" is the truth now, not a guess from the journal.
 */
export async function describeRestoreSituation<C, M>(
  kind: ResourceKind<C, M>,
  rds: RdsGateway,
  runId: string,
  plan: RestorePlan,
  state: RestoreState<C>,
  outcome: RunOutcome,
): Promise<string[]> {
  const { identifier, retiredIdentifier, restoringIdentifier } = plan;
  const memberNames = plan.members.map((m) => m.identifier);
  const subject = kind.members ? `${kind.noun === 'cluster' ? 'Cluster ' : ''}${identifier} and its members` : identifier;
  if (outcome.status === 'succeeded') {
    const members = kind.members ? ` (${memberNames.join(', ')})` : '';
    return [
      `${subject}${members} ${kind.members ? 'are' : 'is'} restored from ${fromWhat(plan)} and available, under ${kind.members ? 'their original identifiers' : 'its original identifier'}.`,
    ];
  }
  const who = (info: { resourceId: string; createdAt?: Date | undefined }, identity: ResourceIdentity | undefined, noun: string): string =>
    `${identity && isSameResource(info, identity) ? 'the original' : 'the restored'} ${noun}`;
  const lines: string[] = [];
  const ops = kind.ops(rds);
  try {
    const atName = await ops.describe(identifier);
    if (outcome.status === 'rolled_back') {
      const back = atName && state.original && isSameResource(atName, state.original);
      return [
        back
          ? `${subject} ${kind.members ? 'are back under their original names' : 'is back under its original name'} and ${atName.status}.`
          : `${kind.noun === 'cluster' ? 'Cluster ' : ''}${identifier} was not changed.`,
      ];
    }
    const names = [identifier, retiredIdentifier, ...(restoringIdentifier ? [restoringIdentifier] : [])];
    for (const name of names) {
      const info = name === identifier ? atName : await ops.describe(name);
      if (info)
        lines.push(
          `${name}: ${who(info, state.original, kind.noun)}, ${info.status}${name === retiredIdentifier ? ' (renamed away)' : ''}.`,
        );
      else if (name === identifier) lines.push(`${identifier}: nothing under this name.`);
    }
    const members = instanceOps(rds);
    for (const m of plan.members) {
      const captured = state.original?.members.find((c) => c.identifier === m.identifier);
      for (const name of [m.identifier, m.retiredIdentifier, ...(m.restoringIdentifier ? [m.restoringIdentifier] : [])]) {
        const info = await members.describe(name);
        if (info) lines.push(`${name}: ${who(info, captured, 'member')}, ${info.status}.`);
      }
    }
  } catch (error) {
    lines.push(
      `Could not look at ${identifier}${kind.members ? ' and its members' : ` and ${retiredIdentifier}`} (${describeError(error).message}).`,
    );
  }
  lines.push(nextStep(kind, runId, plan, outcome));
  return lines;
}

/** What `trapheus resume` would do now, said for this strategy's names. */
function nextStep<C, M>(kind: ResourceKind<C, M>, runId: string, plan: RestorePlan, outcome: RunOutcome): string {
  const resume = `Run \`trapheus resume ${runId}\``;
  const what = kind.members ? `the ${kind.noun} and its members` : `the ${kind.noun}`;
  if (outcome.status === 'interrupted')
    return `${resume} to continue from where it stopped${outcome.failure ? ' (it continues the revert)' : ''}.`;
  if (outcome.compensationFailure) {
    const undo =
      plan.strategy === 'swap'
        ? `it deletes the restored copy (${plan.restoringIdentifier ?? plan.identifier}, or under ${plan.identifier} if the cut-over had begun) and puts the original${kind.members ? 's' : ''} back under ${plan.identifier}${kind.members ? ' and the member names' : ''} if ${kind.members ? 'they were' : 'it was'} renamed`
        : `it deletes what was restored under ${plan.identifier} and renames the original${kind.members ? 's' : ''} back`;
    return `The revert did not finish. ${resume} to continue it: ${undo}.`;
  }
  return `The restored ${what} ${kind.members ? 'are' : 'is'} in place under ${plan.identifier}; the original was not deleted yet. ${resume} to retry deleting ${plan.retiredIdentifier}${kind.members ? ' and its members' : ''}.`;
}
