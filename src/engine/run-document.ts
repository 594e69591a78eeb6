import { z } from 'zod';
import { runEventSchema } from './run-events.js';

/** The only journal schema version this build reads and writes. */
export const RUN_SCHEMA_VERSION = 1;

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
