import { z } from 'zod';
import {
  AWS_REGION_PATTERN,
  EMAIL_ALERTS_MESSAGE,
  emailAlertsComplete,
  isOwnHookVariable,
  isSafeWebhookUrl,
  OWN_HOOK_VARIABLE_MESSAGE,
  SAFE_WEBHOOK_URL_MESSAGE,
  WAIT_DELAYS_MESSAGE,
  waitDelaysOrdered,
} from './config-rules.js';

/** What an AWS region looks like; also imported from config-rules.ts by modules that load no zod. */
export { AWS_REGION_PATTERN } from './config-rules.js';

const region = () => z.string().regex(AWS_REGION_PATTERN, 'not a valid AWS region (it looks like eu-west-1)');

/**
 * Webhooks carry secrets: https only, plain http only to this machine (tests, a local relay).
 * A string that is no URL gets z.url()'s issue alone (abort: the refinement is not run on it).
 */
const webhookUrl = z.url({ abort: true }).refine(isSafeWebhookUrl, { message: SAFE_WEBHOOK_URL_MESSAGE });

/**
 * A hook: a command trapheus runs against the restored copy (see the README, "Hooks"). An argv
 * array is executed as is; a string is run by `/bin/sh -c`. Journaled with the run, `env` too.
 */
export const hookConfigSchema = z
  .object({
    command: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('The command: an argv array (run as is, no shell) or a string (run with /bin/sh -c). Gets TRAPHEUS_* variables.'),
    timeoutSeconds: z
      .number()
      .positive()
      .max(86_400)
      .default(1800)
      .describe('After this long the hook (its whole process group) is stopped and the step fails.'),
    env: z
      .record(
        z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not an environment variable name')
          .refine(isOwnHookVariable, OWN_HOOK_VARIABLE_MESSAGE),
        z.string(),
      )
      .default({})
      .describe('Extra environment variables (journaled in plain text: no secrets here).'),
  })
  .strict();

/** A configured hook. */
export type HookConfig = z.output<typeof hookConfigSchema>;

/** `.trapheusrc.json`: every key optional; defaults fill the rest. Unknown keys are refused (typos). */
export const configSchema = z
  .object({
    $schema: z.string().optional().describe('Path of the JSON Schema, for editors.'),
    region: region().optional().describe('AWS region of the database (else AWS_REGION / the profile).'),
    profile: z.string().min(1).optional().describe('AWS shared-config profile (else AWS_PROFILE).'),
    journalDir: z.string().min(1).optional().describe('Directory of run journals and locks. Default: ~/.trapheus/runs.'),
    logFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Also append one line per event (ISO time, level, run id, identifier, event, message) to this file, for cron; created 0600, never truncated. Relative to the config file. Default: none.',
      ),
    state: z
      .object({
        url: z
          .string()
          .regex(/^s3:\/\/[^/]+/, 'must be an s3://BUCKET/PREFIX URL, e.g. s3://my-team-trapheus/prod')
          .optional()
          .describe(
            'Keep run journals and locks in S3 (s3://BUCKET/PREFIX) instead of journalDir, so that every host with access sees, resumes and is locked out of the same runs. Default: none (local files).',
          ),
        leaseSeconds: z
          .number()
          .int()
          .min(15)
          .max(3600)
          .default(60)
          .describe(
            'Length of an S3 lock lease, renewed every third of it while its run lives; a lease not renewed for this long (its host died or was cut off) may be taken over.',
          ),
      })
      .strict()
      .prefault({}),
    journal: z
      .object({
        retention: z
          .object({
            days: z
              .number()
              .min(0)
              .default(90)
              .describe(
                'Finished runs younger than this many days are kept by `trapheus runs --prune` (0: age keeps none). Unfinished runs are always kept.',
              ),
            keep: z
              .number()
              .int()
              .min(0)
              .default(20)
              .describe(
                'The newest this many runs of each database are kept by `trapheus runs --prune`, however old (0: count keeps none).',
              ),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
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
          .enum(['swap', 'rename-first'])
          .default('swap')
          .describe(
            'swap: restore aside while the original serves, then cut over with two renames (downtime: the rename window; an Aurora cluster with readers: a cluster rename and a failover). rename-first: rename the original away, then restore under its name (downtime: the whole restore).',
          ),
        finalSnapshot: z.boolean().default(false).describe('Take a final snapshot of the replaced database before deleting it.'),
        keepAutomatedBackups: z
          .boolean()
          .default(true)
          .describe("Keep the replaced instance's automated backups (its point-in-time history) when deleting it."),
        allowReadReplicaSource: z
          .boolean()
          .default(false)
          .describe(
            'Allow restoring an instance that is the source of read replicas (they keep replicating from the renamed original, which is then deleted).',
          ),
        manageMasterUserPassword: z
          .boolean()
          .default(false)
          .describe(
            'Restore a database whose master password RDS manages in Secrets Manager: the restored copy gets a new secret (same KMS key, new password); the original secret is deleted with the original. Without it, such a restore is refused.',
          ),
        copyKmsKeyId: z
          .string()
          .min(1)
          .optional()
          .describe(
            'KMS key of this account (id, ARN or alias) that re-encrypts the copy of an encrypted snapshot shared from another account or region before it is restored; required for such a snapshot.',
          ),
      })
      .strict()
      .prefault({}),
    rds: z
      .object({
        maxRequestsPerSecond: z
          .number()
          .positive()
          .default(10)
          .describe(
            'Most RDS API requests per second this process sends (every call and retry, status checks too; no burst on top: no second sees more). RDS allows about 12/s sustained and 300 in a burst per account and region.',
          ),
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
        attempts: z
          .number()
          .int()
          .min(1)
          .default(5)
          .describe('Attempts of a step that meets a transient state (e.g. another modification in progress).'),
        baseDelaySeconds: z.number().nonnegative().default(10).describe('Delay before the second attempt; doubles after each.'),
        maxDelaySeconds: z.number().nonnegative().default(300).describe('Longest delay between two attempts.'),
      })
      .strict()
      .prefault({}),
    alerts: z
      .object({
        onSuccess: z.boolean().default(false).describe('Also alert when a run succeeds (failures and interruptions always alert).'),
        email: z
          .object({
            from: z.string().min(3).optional().describe('Verified SES identity the alert is sent from.'),
            to: z.array(z.string().min(3)).default([]).describe('Recipients of alert e-mails.'),
            region: region().optional().describe('SES region, if not the database region.'),
          })
          .strict()
          .prefault({}),
        slack: z
          .object({
            webhookUrls: z
              .array(webhookUrl)
              .default([])
              .describe('Slack incoming webhook URLs (secrets: never printed or journaled in full).'),
            timeoutSeconds: z.number().positive().default(10).describe('Timeout of one post to a webhook.'),
          })
          .strict()
          .prefault({}),
        attempts: z.number().int().min(1).default(3).describe('Attempts to send one alert on one channel.'),
      })
      .strict()
      .prefault({}),
    hooks: z
      .object({
        beforeCutover: hookConfigSchema
          .optional()
          .describe(
            'Runs against the verified restored copy before anyone can reach it: with swap, under its temporary name before the renames; with clone, before the clone is handed over. Refused with rename-first.',
          ),
        afterRestore: hookConfigSchema
          .optional()
          .describe(
            'Runs once the restored database is verified under its final name (restore: the original identifier, before the original is deleted; clone: the target).',
          ),
      })
      .strict()
      .prefault({}),
    export: z
      .object({
        bucket: z.string().min(3).optional().describe('S3 bucket that receives snapshot exports.'),
        prefix: z.string().optional().describe('Key prefix inside the bucket.'),
        kmsKeyId: z.string().min(1).optional().describe('KMS key (id, ARN or alias) that encrypts the export.'),
        iamRoleArn: z.string().min(1).optional().describe('IAM role that RDS assumes to write the export (yours; see setup-export).'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .refine((c) => waitDelaysOrdered(c.wait), { message: WAIT_DELAYS_MESSAGE, path: ['wait', 'maxDelaySeconds'] })
  .refine((c) => emailAlertsComplete(c.alerts.email), { message: EMAIL_ALERTS_MESSAGE, path: ['alerts', 'email'] });

/** A validated configuration with defaults applied. */
export type Config = z.output<typeof configSchema>;
/** A configuration as written in the file. */
export type ConfigInput = z.input<typeof configSchema>;
