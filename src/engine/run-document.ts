import { z } from 'zod';
import { runEventSchema } from './run-events.js';
import { RUN_SCHEMA_VERSION } from './run-schema-version.js';

export { RUN_SCHEMA_VERSION } from './run-schema-version.js';

/**
 * One run, as stored in its journal file. `plan` (resource names, derived once) and `state`
 * (what the run learned: captured configuration, differences…) are owned by the workflow,
 * which validates them with its own schema.
 */
export const runDocumentSchema = z.object({
  schemaVersion: z.literal(RUN_SCHEMA_VERSION),
  runId: z.string().min(1),
  command: z.string(),
  workflow: z.string(),
  identifier: z.string(),
  cluster: z.boolean(),
  region: z.string().optional(),
  createdAt: z.string().datetime(),
  input: z.record(z.string(), z.unknown()),
  plan: z.record(z.string(), z.unknown()),
  state: z.record(z.string(), z.unknown()),
  events: z.array(runEventSchema),
});

/** A journaled run. */
export type RunDocument = z.infer<typeof runDocumentSchema>;
