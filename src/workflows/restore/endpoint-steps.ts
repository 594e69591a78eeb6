import { describeError } from '../../core/errors.js';
import type { CustomEndpoint } from '../../core/rds-resources.js';
import type { ConfigDifference } from '../../core/run-summary.js';
import type { Step } from '../../engine/step.js';
import type { RdsGateway } from '../../aws/rds-gateway.js';
import { waitOpts } from '../resources/rename-ops.js';
import type { CheckList } from './check-list.js';
import { original, type RestoreContext } from './restore-context.js';

/**
 * The custom endpoints of the database, for the plan; `undefined` (with a warning) when they
 * cannot be listed — then they are not moved, and the warning says to re-create them.
 */
export async function planCustomEndpoints(rds: RdsGateway, identifier: string, list: CheckList): Promise<string[] | undefined> {
  try {
    const names = (await rds.listCustomEndpoints(identifier)).map((e) => e.identifier);
    list.pass('custom endpoints', names.length > 0 ? `${names.join(', ')} (moved to the restored cluster during the cut-over)` : 'none');
    return names;
  } catch (error) {
    list.warn(
      'custom endpoints',
      `Custom endpoints could not be listed (${describeError(error).name}); any there are stay with the retired cluster and vanish with it: re-create them after the restore.`,
    );
    return undefined;
  }
}

const sorted = (list: readonly string[]): string => JSON.stringify([...list].sort());

/** Where a moved endpoint differs from the captured one. */
function endpointDifferences(wanted: CustomEndpoint, actual: CustomEndpoint): ConfigDifference[] {
  const resource = `custom endpoint ${wanted.identifier}`;
  const out: ConfigDifference[] = [];
  if (wanted.type !== actual.type) out.push({ resource, setting: 'type', expected: wanted.type, actual: actual.type });
  if (sorted(wanted.staticMembers) !== sorted(actual.staticMembers))
    out.push({ resource, setting: 'staticMembers', expected: wanted.staticMembers, actual: actual.staticMembers });
  if (sorted(wanted.excludedMembers) !== sorted(actual.excludedMembers))
    out.push({ resource, setting: 'excludedMembers', expected: wanted.excludedMembers, actual: actual.excludedMembers });
  return out;
}

/**
 * Moves each captured custom endpoint from the retired cluster to the restored one, under the
 * same name (names are unique per account and region, so the old one goes first; Aurora user
 * guide: Custom endpoints), with the same type and members — the restored members carry the
 * original names by now. Idempotent: an endpoint already on the restored cluster is only
 * verified. Runs right after the cut-over, where a failure is retried by `trapheus resume`.
 */
export const moveCustomEndpointsStep: Step<RestoreContext<unknown, unknown>> = {
  id: 'move-custom-endpoints',
  title: 'Move the custom endpoints to the restored cluster',
  async run(ctx, io) {
    const differences: ConfigDifference[] = [];
    for (const endpoint of original(ctx).customEndpoints) {
      let current = await ctx.rds.describeCustomEndpoint(endpoint.identifier);
      if (current && current.clusterIdentifier !== ctx.plan.identifier) {
        io.status(`moving ${endpoint.identifier}`);
        if (current.status !== 'deleting') await ctx.rds.deleteCustomEndpoint(endpoint.identifier);
        await ctx.rds.waitCustomEndpointDeleted(endpoint.identifier, waitOpts(io));
        current = undefined;
      }
      if (!current) await ctx.rds.createCustomEndpoint(ctx.plan.identifier, endpoint);
      const moved = await ctx.rds.waitCustomEndpointAvailable(endpoint.identifier, waitOpts(io));
      differences.push(...endpointDifferences(endpoint, moved));
    }
    if (differences.length === 0) return;
    const known = new Set((ctx.state.configDifferences ?? []).map((d) => JSON.stringify(d)));
    for (const d of differences.filter((x) => !known.has(JSON.stringify(x)))) {
      ctx.state.configDifferences = [...(ctx.state.configDifferences ?? []), d];
      await io.notice(
        'warning',
        `${d.resource}: ${d.setting} is ${JSON.stringify(d.actual)}, the original had ${JSON.stringify(d.expected)}.`,
      );
    }
  },
};
