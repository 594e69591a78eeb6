import { InternalError, StepError } from '../../core/errors.js';
import { isSameResource, type ResourceIdentity } from '../../core/resource-identity.js';
import type { SourceSummary } from '../../core/run-summary.js';
import { primaryOps, restoreName, type RestoreContext } from './restore-context.js';
import type { RestorePlan } from './restore-plan.js';
import type { RestoreSource } from './restore-source-schema.js';

export type { RestoreSource } from './restore-source-schema.js';

/** The plan's source; a plan journaled before sources existed restores its `snapshotIdentifier`. */
export function restoreSourceOf(plan: Pick<RestorePlan, 'source' | 'snapshotIdentifier'>): RestoreSource {
  const source = plan.source;
  if (source?.kind === 'point-in-time') {
    if ((source.restoreTime === undefined) === !source.latest)
      throw new InternalError('A point-in-time source names either a restore time or the latest restorable time.');
    return source;
  }
  const snapshotIdentifier = source?.snapshotIdentifier ?? plan.snapshotIdentifier;
  if (
    snapshotIdentifier === undefined ||
    (source && plan.snapshotIdentifier !== undefined && plan.snapshotIdentifier !== snapshotIdentifier)
  )
    throw new InternalError('The plan names no snapshot to restore, or two different ones.');
  return { kind: 'snapshot', snapshotIdentifier, ...(source?.of ? { of: source.of } : {}) };
}

/** The source in a few words: `snapshot s1`, `prod-db as of 2026-11-26T09:00:00.000Z`, `db1 at its latest restorable time`. */
export function describeRestoreSource(source: RestoreSource): string {
  if (source.kind === 'snapshot') return `snapshot ${source.snapshotIdentifier}${source.of ? ` of ${source.of}` : ''}`;
  return `${source.sourceIdentifier} ${source.latest ? 'at its latest restorable time' : `as of ${source.restoreTime ?? '?'}`}`;
}

/**
 * The name the point-in-time source has now: its planned name, or — when it is the database
 * being restored and rename-first has renamed it away — the retired name. Found by resource id,
 * so a different database that took either name is never restored from.
 */
async function currentSourceName<C, M>(ctx: RestoreContext<C, M>, sourceIdentifier: string, identity: ResourceIdentity): Promise<string> {
  const candidates = [sourceIdentifier];
  if (sourceIdentifier.toLowerCase() === ctx.plan.identifier.toLowerCase()) candidates.push(ctx.plan.retiredIdentifier);
  for (const name of candidates) {
    const described = await primaryOps(ctx).describe(name);
    if (isSameResource(described, identity)) return name;
  }
  throw new StepError(
    `The source of the point-in-time restore, ${sourceIdentifier} (${identity.resourceId}), is under neither ${candidates.join(' nor ')}.`,
  );
}

/**
 * Sends the restore request of the plan's source, creating the copy under `restoreName(ctx)`
 * with `config`. The caller has checked that no copy exists yet (check, then act).
 */
export async function requestRestore<C, M>(ctx: RestoreContext<C, M>, config: C): Promise<void> {
  const source = restoreSourceOf(ctx.plan);
  const ops = primaryOps(ctx);
  const name = restoreName(ctx);
  if (source.kind === 'snapshot') return ops.restore(name, source.snapshotIdentifier, config);
  const sourceIdentifier = await currentSourceName(ctx, source.sourceIdentifier, {
    resourceId: source.sourceResourceId,
    createdAt: source.sourceCreatedAt,
  });
  return ops.restoreToTime(name, { sourceIdentifier, restoreTime: source.restoreTime ? new Date(source.restoreTime) : undefined }, config);
}

/** The source as summaries (`--json`, `trapheus status`) show it. */
export function summarizeRestoreSource(source: RestoreSource): SourceSummary {
  const description = describeRestoreSource(source);
  if (source.kind === 'snapshot')
    return { kind: 'snapshot', description, snapshotIdentifier: source.snapshotIdentifier, ...(source.of ? { of: source.of } : {}) };
  return {
    kind: 'point-in-time',
    description,
    sourceIdentifier: source.sourceIdentifier,
    ...(source.restoreTime ? { restoreTime: source.restoreTime } : {}),
    latest: source.latest,
  };
}
