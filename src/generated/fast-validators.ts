// The validators generated from the zod schemas at build time (validators.ts, by
// scripts/generate-validators.mjs), typed. They load no zod: `runs`, `status` and the crash check
// validate journals and the config with them, and load zod only to explain what they refuse.
import { configKeyOrder, runDocumentKeyOrder, runEventKeyOrder, validateConfigInput, validateRunDocument } from './validators.js';

/**
 * The keys of an object in the zod schema's order: a nested object's keys under its own (an array
 * of objects: those of each item), null for a leaf or a record.
 */
export interface KeyOrder {
  readonly [key: string]: KeyOrder | null;
}

/** Whether `data` is valid; a validator that fills in defaults does so in `data` itself. */
type Validator = (data: unknown) => boolean;

/**
 * Whether `data` is a valid `.trapheusrc.json` as far as JSON Schema can say (structure, types,
 * ranges, patterns; not the rules of config-rules.ts, nor whether a URL parses). Fills in the
 * defaults in `data`.
 */
export const isConfigInput: Validator = (data) => (validateConfigInput as Validator)(data);

/**
 * Whether `data` is a run document exactly as zod would return it: valid, and without a key zod
 * would drop (the generated validator checks the schema's output form, where objects are closed).
 */
export const isRunDocument: Validator = (data) => (validateRunDocument as Validator)(data);

/** The keys of the config's objects, in the order of the zod schema. */
export const CONFIG_KEYS = configKeyOrder as KeyOrder;
/** The keys of a run document (events aside: each has those of its type), in the order of the zod schema. */
export const RUN_DOCUMENT_KEYS = runDocumentKeyOrder as KeyOrder;
/** The keys of each run event, by type, in the order of the zod schema. */
export const RUN_EVENT_KEYS = runEventKeyOrder as Readonly<Record<string, KeyOrder>>;

/**
 * A copy of a valid value with each object's keys in `order`, as zod returns it: new objects and
 * arrays, absent optional keys left out. A record (order null) keeps its order, and its values.
 */
export function inKeyOrder<T>(value: T, order: KeyOrder | null): T {
  if (Array.isArray(value)) return value.map((item: unknown) => inKeyOrder(item, order)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  if (order === null) return { ...source } as T;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(order)) if (source[key] !== undefined) copy[key] = inKeyOrder(source[key], child);
  return copy as T;
}
