import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { configWithoutZod } from './config-fast-path.js';
import type { Config } from './config-schema.js';
import { discoverConfig, type ConfigFileOrigin, type ConfigSource } from './discover-config.js';

export { CONFIG_FILE_NAME } from './discover-config.js';

/** The example config shipped with the package (next to package.json), named in hints. */
export const EXAMPLE_CONFIG_FILE = fileURLToPath(new URL('../../.trapheusrc.example.json', import.meta.url));

/** Values given on the command line; they win over everything else. */
export interface ConfigFlags {
  config?: string | undefined;
  region?: string | undefined;
  profile?: string | undefined;
  journalDir?: string | undefined;
  /** `--log-file`. */
  logFile?: string | undefined;
  /** `--state s3://bucket/prefix`: runs and locks in S3. */
  state?: string | undefined;
}

/** The resolved configuration and where it came from. */
export interface LoadedConfig {
  config: Config;
  /** The file read, if any. */
  file?: string | undefined;
  /** How that file was found. */
  fileOrigin?: ConfigFileOrigin | undefined;
  /** Every config file path looked at, in order (the last one is the file read, if any). */
  searched: string[];
  /** Where each key path set by a flag, a variable or the file came from; every other key has its default. */
  sources: Record<string, ConfigSource>;
  journalDir: string;
}

/**
 * Environment variables that set config keys (for CI secrets and cron), as
 * `[variable, key path, kind]`. Documented in the README; keep both in step.
 */
export const ENV_KEYS: readonly (readonly [string, string, 'string' | 'number' | 'boolean' | 'list'])[] = [
  ['TRAPHEUS_JOURNAL_DIR', 'journalDir', 'string'],
  ['TRAPHEUS_LOG_FILE', 'logFile', 'string'],
  ['TRAPHEUS_STATE', 'state.url', 'string'],
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
 * The file is found by `discoverConfig` (--config, TRAPHEUS_CONFIG, the working directory and its
 * parents up to the repository root, the user config directory). Any problem is a `UsageError`
 * naming the key path and what is wrong.
 */
export async function loadConfig(
  flags: ConfigFlags,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
  home: string = env.HOME || os.homedir(),
): Promise<LoadedConfig> {
  const discovered = await discoverConfig(flags.config, env, { cwd, home });
  let raw: Record<string, unknown> = {};
  const used = discovered.file?.path;
  const sources: Record<string, ConfigSource> = {};
  if (discovered.file) {
    const { path: file, text } = discovered.file;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('the top level must be an object');
      }
      raw = parsed as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}.`, {
        hint: `See ${EXAMPLE_CONFIG_FILE} for a valid file.`,
      });
    }
    // A relative journalDir in a file is relative to that file (which may be in a parent directory).
    if (typeof raw.journalDir === 'string' && raw.journalDir !== '' && !raw.journalDir.startsWith('~')) {
      raw.journalDir = path.resolve(path.dirname(file), raw.journalDir);
    }
    // So is a relative logFile (a crontab's working directory is usually $HOME, not the file's).
    if (typeof raw.logFile === 'string' && raw.logFile !== '' && !raw.logFile.startsWith('~')) {
      raw.logFile = path.resolve(path.dirname(file), raw.logFile);
    }
    for (const keyPath of leafPaths(raw)) if (keyPath !== '$schema') sources[keyPath] = { source: 'file', path: file };
  }

  for (const [variable, keyPath, kind] of ENV_KEYS) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    setPath(raw, keyPath, convert(value, kind, variable));
    sources[keyPath] = { source: 'env', name: variable };
  }
  const flagValues: [string, string, unknown][] = [
    ['region', '--region', flags.region],
    ['profile', '--profile', flags.profile],
    ['journalDir', '--journal-dir', flags.journalDir],
    ['logFile', '--log-file', flags.logFile],
    ['state.url', '--state', flags.state],
  ];
  for (const [keyPath, name, value] of flagValues) {
    if (value === undefined) continue;
    setPath(raw, keyPath, value);
    sources[keyPath] = { source: 'flag', name };
  }

  const config = configWithoutZod(raw) ?? (await parseWithZod(raw, used));
  awsFromEnv(config, sources, env);
  return {
    config,
    file: used,
    fileOrigin: discovered.file?.origin,
    searched: discovered.searched,
    sources,
    journalDir: expandHome(config.journalDir ?? path.join(home, '.trapheus', 'runs'), home),
  };
}

/**
 * The AWS CLI's variables, below --region/--profile and the config file: the region from
 * AWS_REGION, else AWS_DEFAULT_REGION (which the AWS SDK for JavaScript ignores, the AWS CLI
 * honours: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html), the
 * profile from AWS_PROFILE — recorded with their source, so `trapheus config` says which. A
 * region is taken as given (not validated here): the composition root refuses an invalid one,
 * naming the variable, while commands that make no AWS call are not stopped by it.
 */
function awsFromEnv(config: Config, sources: Record<string, ConfigSource>, env: NodeJS.ProcessEnv): void {
  if (config.region === undefined) {
    const name = ['AWS_REGION', 'AWS_DEFAULT_REGION'].find((n) => env[n]);
    if (name) {
      config.region = env[name];
      sources.region = { source: 'env', name };
    }
  }
  if (config.profile === undefined && env.AWS_PROFILE) {
    config.profile = env.AWS_PROFILE;
    sources.profile = { source: 'env', name: 'AWS_PROFILE' };
  }
}

/** The dotted key paths of a parsed JSON object's leaves (arrays are leaves). */
function leafPaths(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, child]) =>
    typeof child === 'object' && child !== null && !Array.isArray(child)
      ? leafPaths(child as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

/**
 * The configuration as zod parses it, or a UsageError naming each problem. Loaded only when the
 * fast path (config-fast-path.ts, no zod) cannot vouch for `raw`: usually an invalid config.
 */
async function parseWithZod(raw: Record<string, unknown>, used: string | undefined): Promise<Config> {
  const { configSchema } = await import('./config-schema.js');
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new UsageError(`Invalid configuration${used ? ` in ${used}` : ''}:\n${formatIssues(result.error.issues)}`, {
      hint: `Every key is described in trapheusrc.schema.json and shown in ${EXAMPLE_CONFIG_FILE}.`,
    });
  }
  return result.data;
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

function expandHome(dir: string, home: string): string {
  return dir === '~' || dir.startsWith('~/') ? path.join(home, dir.slice(1)) : dir;
}
