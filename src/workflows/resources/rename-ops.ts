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

/** One rename of an original: its name, where it waits, and who it is. */
export interface RenameTarget {
  name: string;
  retired: string;
  identity: ResourceIdentity;
}

/**
 * Renames the original out of the way, idempotently: a retried or resumed rename finds the
 * original already under (or on its way to) the retired name and only waits — it never
 * renames `x-temp` to `x-temp-temp`. Done when the old name is gone and the new one available.
 */
export async function renameAway(
  ops: AnyOps,
  target: RenameTarget,
  io: StepIo,
  beforeRequest: () => Promise<void>,
  until: 'renamed' | 'released' = 'renamed',
): Promise<void> {
  const atName = await ops.describe(target.name);
  if (atName && isSameResource(atName, target.identity) && atName.pendingIdentifier !== target.retired) {
    await beforeRequest();
    await ops.rename(target.name, target.retired);
  } else if (!isSameResource(atName, target.identity) && !isSameResource(await ops.describe(target.retired), target.identity)) {
    throw new StepError(`The original ${ops.noun} is neither ${target.name} nor ${target.retired}.`);
  }
  // 'released': done as soon as the old name is free for the next resource (the cut-over goes
  // on while RDS finishes renaming this one; whoever needs it under the new name waits then).
  if (until === 'released') await ops.waitDeleted(target.name, waitOpts(io));
  else await ops.waitRenamed(target.name, target.retired, waitOpts(io));
}

/**
 * Puts the original back under its name. A rename that was requested but has not landed
 * (real RDS's gap) is let land first, then undone. Refuses if another resource holds the name.
 */
export async function renameBack(ops: AnyOps, target: RenameTarget, io: StepIo): Promise<void> {
  let atName = await ops.describe(target.name);
  if (atName && isSameResource(atName, target.identity) && atName.pendingIdentifier === target.retired) {
    await ops.waitRenamed(target.name, target.retired, waitOpts(io));
    atName = undefined;
  }
  if (atName && isSameResource(atName, target.identity)) {
    await ops.waitAvailable(target.name, waitOpts(io));
    return;
  }
  if (atName)
    throw new StepError(`Cannot rename the original ${ops.noun} back: ${target.name} is taken by another ${ops.noun} (${atName.status}).`);
  const retired = await ops.describe(target.retired);
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
