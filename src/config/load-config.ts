import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { configSchema, type Config } from './config-schema.js';

/** The default name of the config file, looked for in the working directory. */
export const CONFIG_FILE_NAME = '.trapheusrc.json';

/** Values given on the command line; they win over everything else. */
export interface ConfigFlags {
  config?: string | undefined;
  region?: string | undefined;
  profile?: string | undefined;
  journalDir?: string | undefined;
}

/** The resolved configuration and where it came from. */
export interface LoadedConfig {
  config: Config;
  /** The file read, if any. */
  file?: string | undefined;
  journalDir: string;
}

/**
 * Environment variables that set config keys (for CI secrets and cron), as
 * `[variable, key path, kind]`. Documented in the README; keep both in step.
 */
export const ENV_KEYS: readonly (readonly [string, string, 'string' | 'number' | 'boolean' | 'list'])[] = [
  ['TRAPHEUS_JOURNAL_DIR', 'journalDir', 'string'],
  ['TRAPHEUS_SNAPSHOTS_RETAIN', 'snapshots.retain', 'number'],
  ['TRAPHEUS_WAIT_MAX_MINUTES', 'wait.maxWaitMinutes', 'number'],
  ['TRAPHEUS_WAIT_MIN_DELAY_SECONDS', 'wait.minDelaySeconds', 'number'],
  ['TRAPHEUS_WAIT_MAX_DELAY_SECONDS', 'wait.maxDelaySeconds', 'number'],
  ['TRAPHEUS_RETRY_BASE_DELAY_SECONDS', 'retry.baseDelaySeconds', 'number'],
  ['TRAPHEUS_ALERTS_ON_SUCCESS', 'alerts.onSuccess', 'boolean'],
  ['TRAPHEUS_EMAIL_FROM', 'alerts.email.from', 'string'],
  ['TRAPHEUS_EMAIL_TO', 'alerts.email.to', 'list'],
  ['TRAPHEUS_EMAIL_REGION', 'alerts.email.region', 'string'],
  ['TRAPHEUS_SLACK_WEBHOOK_URLS', 'alerts.slack.webhookUrls', 'list'],
  ['TRAPHEUS_EXPORT_BUCKET', 'export.bucket', 'string'],
  ['TRAPHEUS_EXPORT_PREFIX', 'export.prefix', 'string'],
  ['TRAPHEUS_EXPORT_KMS_KEY_ID', 'export.kmsKeyId', 'string'],
  ['TRAPHEUS_EXPORT_IAM_ROLE_ARN', 'export.iamRoleArn', 'string'],
];

/**
 * Merges flags > `TRAPHEUS_*` environment > config file > defaults, and validates the result.
 * Any problem is a `UsageError` naming the key path and what is wrong.
 */
export async function loadConfig(
  flags: ConfigFlags,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<LoadedConfig> {
  const explicit = flags.config ?? env.TRAPHEUS_CONFIG;
  const file = explicit ? path.resolve(cwd, explicit) : path.join(cwd, CONFIG_FILE_NAME);
  let raw: Record<string, unknown> = {};
  let used: string | undefined;
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (explicit || code !== 'ENOENT') {
      throw new UsageError(`Cannot read the config file ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}.`, {
        hint: 'Check the --config path (or TRAPHEUS_CONFIG).',
      });
    }
  }
  if (text !== undefined) {
    used = file;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('the top level must be an object');
      }
      raw = parsed as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}.`, {
        hint: 'See .trapheusrc.example.json for a valid file.',
      });
    }
  }

  for (const [variable, keyPath, kind] of ENV_KEYS) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    setPath(raw, keyPath, convert(value, kind, variable));
  }
  const flagValues: [string, unknown][] = [
    ['region', flags.region],
    ['profile', flags.profile],
    ['journalDir', flags.journalDir],
  ];
  for (const [keyPath, value] of flagValues) if (value !== undefined) setPath(raw, keyPath, value);

  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new UsageError(`Invalid configuration${used ? ` in ${used}` : ''}:\n${formatIssues(result.error.issues)}`, {
      hint: 'Every key is described in trapheusrc.schema.json and shown in .trapheusrc.example.json.',
    });
  }
  const config = result.data;
  return { config, file: used, journalDir: expandHome(config.journalDir ?? path.join(os.homedir(), '.trapheus', 'runs')) };
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
      return `  ${where}: ${issue.message}`;
    })
    .join('\n');
}

function convert(value: string, kind: 'string' | 'number' | 'boolean' | 'list', variable: string): unknown {
  switch (kind) {
    case 'number': {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new UsageError(`${variable} must be a number, got "${value}".`);
      return n;
    }
    case 'boolean':
      if (!['true', 'false', '1', '0'].includes(value)) {
        throw new UsageError(`${variable} must be true or false, got "${value}".`);
      }
      return value === 'true' || value === '1';
    case 'list':
      return value
        .split(/[,\s]+/)
        .map((v) => v.trim())
        .filter(Boolean);
    default:
      return value;
  }
}

function setPath(target: Record<string, unknown>, keyPath: string, value: unknown): void {
  const keys = keyPath.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

function expandHome(dir: string): string {
  return dir === '~' || dir.startsWith('~/') ? path.join(os.homedir(), dir.slice(1)) : dir;
}
