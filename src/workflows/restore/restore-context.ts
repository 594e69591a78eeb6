import type { ExportGateway } from '../../aws/export-gateway.js';
import type { RdsGateway } from '../../aws/rds-gateway.js';
import { InternalError } from '../../core/errors.js';
import type { CommandRunner } from '../../engine/command-runner.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import type { ResourceOps } from '../resources/resource-ops.js';
import { instanceOps } from '../resources/resource-ops.js';
import { originalOf, type CapturedMember, type CapturedOriginal, type RestorePlan, type RestoreState } from './restore-plan.js';

/**
 * What the restore steps work with. `state` is the journal document's own object: what a step
 * writes there is saved with the step's next journal event (see `Step` for why that is safe).
 */
export interface RestoreContext<C, M> {
  rds: RdsGateway;
  exports?: ExportGateway | undefined;
  now: () => Date;
  runId: string;
  kind: ResourceKind<C, M>;
  plan: RestorePlan;
  state: RestoreState<C>;
  /** Runs the hooks (absent: a run with hooks fails at its first hook step). */
  commands?: CommandRunner | undefined;
  /** The run's region and command (`restore`, `clone`), told to hooks. */
  region?: string | undefined;
  command?: string | undefined;
}

/** The kind's verbs for the primary resource (the instance, or the cluster). */
export const primaryOps = <C, M>(ctx: RestoreContext<C, M>): ResourceOps<C, M> => ctx.kind.ops(ctx.rds);

/** Member instances are instances whatever the kind. */
export const memberOps = (ctx: RestoreContext<unknown, unknown>) => instanceOps(ctx.rds);

export const original = <C, M>(ctx: RestoreContext<C, M>): CapturedOriginal<C> => originalOf(ctx.state);

export const isSwap = (ctx: RestoreContext<unknown, unknown>): boolean => ctx.plan.strategy === 'swap';

/** Where the primary is restored: under the original name (rename-first) or aside (swap). */
export const restoreName = (ctx: RestoreContext<unknown, unknown>): string =>
  (isSwap(ctx) && ctx.plan.restoringIdentifier) || ctx.plan.identifier;

function plannedMember(ctx: RestoreContext<unknown, unknown>, member: string) {
  const entry = ctx.plan.members.find((m) => m.identifier === member);
  if (!entry) throw new InternalError(`Member ${member} is not in the plan.`);
  return entry;
}

/** Where a member is recreated: under its own name (rename-first) or aside (swap). */
export const memberRestoreName = (ctx: RestoreContext<unknown, unknown>, member: string): string =>
  (isSwap(ctx) && plannedMember(ctx, member).restoringIdentifier) || member;

/** Where an original member waits, renamed. */
export const memberRetiredName = (ctx: RestoreContext<unknown, unknown>, member: string): string =>
  plannedMember(ctx, member).retiredIdentifier;

/** The captured members in the order they are recreated: the writer first, so that it is the writer again. */
export const membersWriterFirst = (ctx: RestoreContext<unknown, unknown>): CapturedMember[] =>
  [...original(ctx).members].sort((a, b) => Number(b.isWriter) - Number(a.isWriter));

/** Downtime starts when an original is renamed away (clients lose the name) … */
export function downtimeStarts(ctx: RestoreContext<unknown, unknown>): void {
  ctx.state.downtime ??= { startedAt: ctx.now().toISOString() };
}

/** … and ends when the original name answers as available again (the restored copy, or the original put back). */
export function downtimeEnds(ctx: RestoreContext<unknown, unknown>): void {
  if (ctx.state.downtime?.startedAt && !ctx.state.downtime.endedAt) ctx.state.downtime.endedAt = ctx.now().toISOString();
}
