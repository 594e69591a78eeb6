import os from 'node:os';
import path from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { AWS_REGION_PATTERN } from '../config/config-schema.js';
import type { ConfigSource } from '../config/discover-config.js';
import type { LoadedConfig } from '../config/load-config.js';
import { UsageError } from '../core/errors.js';

/** Where AWS calls go: the region (always one, valid) and the named profile, if any. */
export interface AwsTarget {
  region: string;
  profile?: string | undefined;
}

/** The AWS shared config and credentials files, as the AWS CLI and the SDK find them. */
export function sharedFiles(env: NodeJS.ProcessEnv): { config: string; credentials: string } {
  const home = env.HOME || os.homedir();
  const expand = (file: string) => (file.startsWith('~/') ? path.join(home, file.slice(2)) : file);
  return {
    config: expand(env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config')),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials')),
  };
}

const REGION_HINT =
  'Pass --region, set AWS_REGION (or AWS_DEFAULT_REGION), set "region" in the config file, or set a region in your AWS profile.';

/**
 * Checks the profile and finds the region, as the AWS CLI does, before any AWS call
 * (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html,
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html):
 *
 * - A named profile (--profile, "profile" in the config file, AWS_PROFILE) must exist in the
 *   config file (`[profile NAME]`) or the credentials file (`[NAME]`), else "The config profile
 *   (NAME) could not be found" (exit 2) naming the files looked in. `default` may be absent (as
 *   for the SDK: credentials may come from the environment or an instance role).
 * - The region: --region, the config file's "region", AWS_REGION, AWS_DEFAULT_REGION (those four
 *   resolved by loadConfig, with their source), then the profile's `region` (config file first,
 *   then credentials file, as the SDK merges them). An invalid one is refused naming its source.
 *
 * The shared files are read only when a profile is named or no region is given.
 */
export async function resolveAwsTarget(loaded: Pick<LoadedConfig, 'config' | 'sources'>, env: NodeJS.ProcessEnv): Promise<AwsTarget> {
  const { config, sources } = loaded;
  const files = sharedFiles(env);
  let read:
    | Promise<{
        configFile: Record<string, Record<string, string | undefined>>;
        credentialsFile: Record<string, Record<string, string | undefined>>;
      }>
    | undefined;
  const shared = () => (read ??= readShared(files));

  const profile = config.profile;
  if (profile && profile !== 'default') {
    const { configFile, credentialsFile } = await shared();
    if (!Object.hasOwn(configFile, profile) && !Object.hasOwn(credentialsFile, profile)) {
      throw new UsageError(`The config profile (${profile}) could not be found${from(sources.profile)}.`, {
        hint: `Looked for [profile ${profile}] in ${files.config} and [${profile}] in ${files.credentials} (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name other files). Check the name, or run \`aws configure --profile ${profile}\`.`,
      });
    }
  }

  if (config.region !== undefined) return { region: valid(config.region, sources.region), profile };
  const name = profile ?? 'default';
  const { configFile, credentialsFile } = await shared();
  const region = configFile[name]?.region ?? credentialsFile[name]?.region;
  if (!region) throw new UsageError('No AWS region is set.', { hint: REGION_HINT });
  return { region: valid(region, { source: 'file', path: `${files.config} (profile ${name})` }), profile };
}

/** " (from AWS_PROFILE)", " (from --profile)", " (from /path/.trapheusrc.json)". */
function from(source: ConfigSource | undefined): string {
  if (!source || source.source === 'default') return '';
  return ` (from ${source.source === 'file' ? source.path : source.name})`;
}

function valid(region: string, source: ConfigSource | undefined): string {
  if (AWS_REGION_PATTERN.test(region)) return region;
  throw new UsageError(`"${region}" is not a valid AWS region.`, {
    hint: `A region looks like eu-west-1 or us-east-1${source && source.source !== 'default' ? `; this one comes${from(source)}` : ''}: check --region, AWS_REGION, AWS_DEFAULT_REGION, "region" in the config file and your AWS profile.`,
  });
}

async function readShared(files: { config: string; credentials: string }) {
  try {
    // Absent files are empty; ignoreCache: the SDK's loader caches per path, a long-lived process (tests) may change them.
    return await loadSharedConfigFiles({ filepath: files.credentials, configFilepath: files.config, ignoreCache: true });
  } catch (error) {
    throw new UsageError(`Cannot read the AWS shared config files: ${(error as Error).message}`, {
      hint: `Check ${files.config} and ${files.credentials}.`,
    });
  }
}
