import { z } from 'zod';

/** `.trapheusrc.json`: every key optional; defaults fill the rest. Unknown keys are refused (typos). */
export const configSchema = z
  .object({
    $schema: z.string().optional().describe('Path of the JSON Schema, for editors.'),
    region: z.string().min(1).optional().describe('AWS region of the database (else AWS_REGION / the profile).'),
    profile: z.string().min(1).optional().describe('AWS shared-config profile (else AWS_PROFILE).'),
    journalDir: z
      .string()
      .min(1)
      .optional()
      .describe('Directory of run journals and locks. Default: ~/.trapheus/runs.'),
    snapshots: z
      .object({
        retain: z
          .number()
          .int()
          .min(1)
          .default(3)
          .describe("How many of trapheus's own snapshots of a database to keep; older ones are deleted after a new one is available."),
      })
      .strict()
      .prefault({}),
    restore: z
      .object({
        strategy: z
          .enum(['rename-first'])
          .default('rename-first')
          .describe('rename-first: rename the original away, restore under its name, delete the original.'),
        finalSnapshot: z
          .boolean()
          .default(false)
          .describe('Take a final snapshot of the replaced database before deleting it.'),
        keepAutomatedBackups: z
          .boolean()
          .default(true)
          .describe("Keep the replaced instance's automated backups (its point-in-time history) when deleting it."),
        allowReadReplicaSource: z
          .boolean()
          .default(false)
          .describe('Allow restoring an instance that is the source of read replicas (they keep replicating from the renamed original, which is then deleted).'),
      })
      .strict()
      .prefault({}),
    wait: z
      .object({
        minDelaySeconds: z.number().positive().default(5).describe('First delay between two status checks.'),
        maxDelaySeconds: z.number().positive().default(30).describe('Longest delay between two status checks.'),
        maxWaitMinutes: z
          .number()
          .positive()
          .default(720)
          .describe('Longest wait for one resource to reach a state before the step fails.'),
      })
      .strict()
      .prefault({}),
    retry: z
      .object({
        attempts: z.number().int().min(1).default(5).describe('Attempts of a step that meets a transient state (e.g. another modification in progress).'),
        baseDelaySeconds: z.number().nonnegative().default(10).describe('Delay before the second attempt; doubles after each.'),
        maxDelaySeconds: z.number().nonnegative().default(300).describe('Longest delay between two attempts.'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .refine((c) => c.wait.maxDelaySeconds >= c.wait.minDelaySeconds, {
    message: 'wait.maxDelaySeconds must be at least wait.minDelaySeconds',
    path: ['wait', 'maxDelaySeconds'],
  });

/** A validated configuration with defaults applied. */
export type Config = z.output<typeof configSchema>;
/** A configuration as written in the file. */
export type ConfigInput = z.input<typeof configSchema>;
