import type { WaitOptions } from '../../aws/rds-gateway.js';
import { TRANSITIONAL_STATUSES } from '../../core/rds-status.js';
import { StepError, WaiterFailureError } from '../../core/errors.js';
import type { StepIo } from '../../engine/step.js';
import { isSameResource, type ResourceIdentity } from '../../core/resource-identity.js';
import type { DescribedResource, ResourceOps } from './resource-ops.js';

/** Any kind's verbs: renames and deletes do not look at the configuration. */
type AnyOps = ResourceOps<unknown, never>;

/** Wait options that report the awaited status on the step's line. */
export const waitOpts = (io: StepIo): WaitOptions => ({ signal: io.signal, onStatus: (s: string) => io.status(s) });

/** The same for a wait the next rename of a cut-over waits on (clients are without the database): no backoff. */
export const urgentWaitOpts = (io: StepIo): WaitOptions => ({ ...waitOpts(io), urgent: true });

/** One rename of an original: its name, where it waits, and who it is. */
export interface RenameTarget {
  name: string;
  retired: string;
  identity: ResourceIdentity;
}

/** The resources under `names` (looked at in one request), by name without case. */
async function lookUp(ops: AnyOps, names: string[]): Promise<(name: string) => DescribedResource<unknown> | undefined> {
  const found = new Map((await ops.describeMany(names)).map((r) => [r.identifier.toLowerCase(), r]));
  return (name) => found.get(name.toLowerCase());
}

/** Waits for every promise, then throws the first failure: no request is left in flight when the step ends. */
export async function settleAll(work: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Requests the renames `name` → `retired` of every target, idempotently, with one check for
 * all of them (one Describe request): a target already under (or on its way to) `retired` is
 * left alone — a retried or resumed step never renames `x-temp` to `x-temp-temp`, and a step
 * that issued two of three renames before it died issues only the third. `beforeRequest` runs
 * once, before the first request (it journals that a rename is coming). Does not wait. A
 * target whose new name another resource still holds fails the step, or (`skip`) is returned,
 * not requested, for the caller to wait for the name.
 */
export async function requestRenames(
  ops: AnyOps,
  targets: RenameTarget[],
  beforeRequest: () => Promise<void>,
  whenTaken: 'fail' | 'skip' = 'fail',
): Promise<RenameTarget[]> {
  if (targets.length === 0) return [];
  const at = await lookUp(
    ops,
    targets.flatMap((t) => [t.name, t.retired]),
  );
  const due: RenameTarget[] = [];
  const taken: RenameTarget[] = [];
  for (const t of targets) {
    const atName = at(t.name);
    const atRetired = at(t.retired);
    if (atName && isSameResource(atName, t.identity) && atName.pendingIdentifier !== t.retired) {
      if (!atRetired) due.push(t);
      else if (whenTaken === 'skip') taken.push(t);
      else throw new StepError(`Cannot rename ${t.name} to ${t.retired}: another ${ops.noun} holds that name (${atRetired.status}).`);
    } else if (!isSameResource(atName, t.identity) && !isSameResource(atRetired, t.identity)) {
      throw new StepError(`The ${ops.noun} to rename to ${t.retired} is neither ${t.name} nor ${t.retired}.`);
    }
  }
  if (due.length > 0) {
    await beforeRequest();
    // Independent resources: RDS renames them side by side.
    await settleAll(due.map((t) => ops.rename(t.name, t.retired)));
  }
  return taken;
}

/**
 * Renames the original out of the way, idempotently (see `requestRenames`). Done when the old
 * name is gone and the new one available, or (`released`) as soon as the old name is free —
 * checked without backing off: the next rename (and so the end of the outage) waits on it.
 */
export async function renameAway(
  ops: AnyOps,
  target: RenameTarget,
  io: StepIo,
  beforeRequest: () => Promise<void>,
  until: 'renamed' | 'released' = 'renamed',
): Promise<void> {
  await requestRenames(ops, [target], beforeRequest);
  // 'released': done as soon as the old name is free for the next resource (the cut-over goes
  // on while RDS finishes renaming this one; whoever needs it under the new name waits then).
  if (until === 'released') await ops.waitDeleted(target.name, urgentWaitOpts(io));
  else await ops.waitRenamed(target.name, target.retired, waitOpts(io));
}

/**
 * Puts the original back under its name. A rename that was requested but has not landed
 * (real RDS's gap) is let land first, then undone. Refuses if another resource holds the name.
 */
export async function renameBack(ops: AnyOps, target: RenameTarget, io: StepIo): Promise<void> {
  const names = [target.name, target.retired];
  let at = await lookUp(ops, names);
  let atName = at(target.name);
  if (atName && isSameResource(atName, target.identity) && atName.pendingIdentifier === target.retired) {
    await ops.waitRenamed(target.name, target.retired, waitOpts(io));
    at = await lookUp(ops, names);
    atName = at(target.name);
  }
  if (atName && isSameResource(atName, target.identity)) {
    await ops.waitAvailable(target.name, waitOpts(io));
    return;
  }
  if (atName)
    throw new StepError(`Cannot rename the original ${ops.noun} back: ${target.name} is taken by another ${ops.noun} (${atName.status}).`);
  const retired = at(target.retired);
  if (!retired || !isSameResource(retired, target.identity)) {
    throw new StepError(`The original ${ops.noun} is neither ${target.name} nor ${target.retired} right now.`);
  }
  if (retired.status !== 'available') await ops.waitAvailable(target.retired, waitOpts(io));
  await ops.rename(target.retired, target.name);
  await ops.waitRenamed(target.retired, target.name, waitOpts(io));
}

/**
 * Deletes what this run created under `name` (never the original, told apart by identity):
 * lets it settle first (RDS may refuse to delete while creating), turns its deletion
 * protection off, deletes it and waits until it is gone.
 */
export async function deletePartialCopy(ops: AnyOps, name: string, original: ResourceIdentity, io: StepIo): Promise<void> {
  let current = await ops.describe(name);
  if (!current || isSameResource(current, original)) return;
  if (current.status === 'deleting') return ops.waitDeleted(name, waitOpts(io));
  if (TRANSITIONAL_STATUSES.has(current.status)) {
    try {
      await ops.waitAvailable(name, waitOpts(io));
    } catch (error) {
      if (!(error instanceof WaiterFailureError)) throw error;
    }
    current = (await ops.describe(name)) ?? current;
  }
  if (current.deletionProtection) {
    await ops.unprotect(name);
    await ops.waitAvailable(name, waitOpts(io));
  }
  await ops.deleteCopy(name);
  await ops.waitDeleted(name, waitOpts(io));
}

/** The renamed original under `retired`, or undefined once it is gone; refuses anything else. */
export async function retiredOriginal(
  ops: AnyOps,
  retired: string,
  original: ResourceIdentity,
): Promise<DescribedResource<unknown> | undefined> {
  const info = await ops.describe(retired);
  if (info && !isSameResource(info, original)) {
    throw new StepError(`${retired} is not the original ${ops.noun}; refusing to touch it.`);
  }
  return info;
}
