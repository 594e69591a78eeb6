import { ListTagsForResourceCommand, type RDSClient } from '@aws-sdk/client-rds';
import { StepError } from '../core/errors.js';
import type { Tag } from '../core/rds-resources.js';
import { isNotFound, mapRdsError } from './map-rds-error.js';
import { toTags } from './rds-to-domain.js';

/** How every SDK adapter of the RDS port calls RDS: error mapping and NotFound in one place. */

/** A mutating call: its errors become the domain hierarchy (`mapRdsError`). */
export async function act(action: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    throw mapRdsError(error, action);
  }
}

/** A Describe's one result; a NotFound fault (by name) means `undefined`. */
export async function found<T>(describe: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await describe();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** A read a write depends on: when it fails, the write was not sent (so never OutcomeUnknown). */
export async function readFirst<T>(action: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new StepError(`${action}: could not read it first: ${detail}`, { cause: error });
  }
}

/** Options of every SDK call: the run's abort signal, so that Ctrl-C stops a call in flight. */
export interface CallOptions {
  abortSignal?: AbortSignal;
}

/** The options of every call of a gateway built with `signal`. */
export const callOptions = (signal: AbortSignal | undefined): CallOptions => (signal ? { abortSignal: signal } : {});

/** A resource's tags, for an emulator whose Describe leaves `TagList` out. */
export async function tagsOf(client: RDSClient, arn: string, call: CallOptions = {}): Promise<Tag[]> {
  const out = await client.send(new ListTagsForResourceCommand({ ResourceName: arn }), call);
  return toTags(out.TagList);
}
