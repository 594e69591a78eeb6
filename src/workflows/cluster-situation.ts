import type { RdsGateway } from '../aws/rds-gateway.js';
import { describeError } from '../core/errors.js';
import type { RunOutcome } from '../engine/run-workflow.js';
import type { ClusterRestorePlan, ClusterRestoreState } from './cluster-restore-plan.js';
import { isSameResource, type ResourceIdentity } from '../core/resource-identity.js';

/** Where a cluster restore left things, looked up (read-only) name by name. */
export async function describeClusterSituation(
  rds: RdsGateway,
  runId: string,
  plan: ClusterRestorePlan,
  state: ClusterRestoreState,
  outcome: RunOutcome,
): Promise<string[]> {
  const { identifier, retiredIdentifier } = plan;
  if (outcome.status === 'succeeded') {
    return [`Cluster ${identifier} and its members (${plan.members.map((m) => m.identifier).join(', ')}) are restored from ${plan.snapshotIdentifier} and available, under their original identifiers.`];
  }
  const who = (info: { resourceId: string; createdAt?: Date | undefined }, identity: ResourceIdentity | undefined) =>
    identity && isSameResource(info, identity) ? 'the original' : 'the restored copy';
  const lines: string[] = [];
  try {
    const atName = await rds.describeCluster(identifier);
    if (outcome.status === 'rolled_back') {
      return [atName && who(atName, state.original) === 'the original' ? `Cluster ${identifier} and its members are back under their original names and ${atName.status}.` : `Cluster ${identifier} was not changed.`];
    }
    lines.push(atName ? `${identifier}: ${who(atName, state.original)} cluster, ${atName.status}.` : `${identifier}: no cluster under this name.`);
    for (const name of [retiredIdentifier, ...(plan.restoringIdentifier ? [plan.restoringIdentifier] : [])]) {
      const info = await rds.describeCluster(name);
      if (info) lines.push(`${name}: ${who(info, state.original)} cluster, ${info.status}${name === retiredIdentifier ? ' (renamed away)' : ''}.`);
    }
    for (const m of plan.members) {
      const captured = state.original?.members.find((c) => c.identifier === m.identifier);
      for (const name of [m.identifier, m.retiredIdentifier, ...(m.restoringIdentifier ? [m.restoringIdentifier] : [])]) {
        const info = await rds.describeInstance(name);
        if (info) lines.push(`${name}: ${who(info, captured)} member, ${info.status}.`);
      }
    }
  } catch (error) {
    lines.push(`Could not look at ${identifier} and its members (${describeError(error).message}).`);
  }
  const resume = `Run \`trapheus resume ${runId}\``;
  if (outcome.status === 'interrupted') lines.push(`${resume} to continue from where it stopped${outcome.failure ? ' (it continues the revert)' : ''}.`);
  else if (outcome.compensationFailure) lines.push(`The revert did not finish. ${resume} to continue it: it deletes what was created under the original names and renames the originals back.`);
  else lines.push(`The restored cluster ${identifier} is in place; the originals were not all deleted yet. ${resume} to retry.`);
  return lines;
}
