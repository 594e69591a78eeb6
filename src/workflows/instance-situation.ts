import type { RdsGateway } from '../aws/rds-gateway.js';
import type { InstanceInfo } from '../core/rds-resources.js';
import { describeError } from '../core/errors.js';
import type { RunOutcome } from '../engine/run-workflow.js';
import { isSameResource } from '../core/resource-identity.js';
import type { InstanceRestorePlan, InstanceRestoreState } from './instance-restore-plan.js';

/**
 * Where an instance restore left things, in sentences a person on call can act on. On any
 * outcome but success it looks (read-only) at both names, so "what is left where" is the
 * truth now, not a guess from the journal.
 */
export async function describeInstanceSituation(
  rds: RdsGateway,
  runId: string,
  plan: InstanceRestorePlan,
  state: InstanceRestoreState,
  outcome: RunOutcome,
): Promise<string[]> {
  const { identifier, retiredIdentifier } = plan;
  if (outcome.status === 'succeeded') {
    return [`${identifier} is restored from ${plan.snapshotIdentifier} and available, under its original identifier.`];
  }
  const resume = `Run \`trapheus resume ${runId}\``;
  const lines: string[] = [];
  try {
    const [atName, atRetired] = await Promise.all([rds.describeInstance(identifier), rds.describeInstance(retiredIdentifier)]);
    const who = (info: InstanceInfo): string =>
      state.original && isSameResource(info, state.original) ? 'the original instance' : 'the restored copy';
    if (outcome.status === 'rolled_back') {
      lines.push(
        atName && who(atName) === 'the original instance'
          ? `${identifier} is back under its original name and ${atName.status}.`
          : `${identifier} was not changed.`,
      );
      return lines;
    }
    lines.push(atName ? `${identifier}: ${who(atName)}, ${atName.status}.` : `${identifier}: nothing under this name.`);
    if (atRetired) lines.push(`${retiredIdentifier}: ${who(atRetired)}, ${atRetired.status} (renamed away).`);
  } catch (error) {
    lines.push(`Could not look at ${identifier} and ${retiredIdentifier} (${describeError(error).message}).`);
  }
  if (outcome.status === 'interrupted') {
    lines.push(`${resume} to continue from where it stopped${outcome.failure ? ' (it continues the revert)' : ''}.`);
  } else if (outcome.compensationFailure) {
    lines.push(`The revert did not finish. ${resume} to continue it: it deletes what was restored under ${identifier} and renames the original back.`);
  } else {
    lines.push(`The restored ${identifier} is in place; the original was not deleted yet. ${resume} to retry deleting ${retiredIdentifier}.`);
  }
  return lines;
}
