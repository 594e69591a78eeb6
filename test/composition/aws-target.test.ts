import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAwsTarget } from '../../src/composition/aws-target.js';
import { describeConfig } from '../../src/config/describe-config.js';
import { loadConfig, type ConfigFlags } from '../../src/config/load-config.js';
import { UsageError } from '../../src/core/errors.js';

/**
 * A home directory of its own (so no real ~/.aws or ~/.config/trapheus is read), with the given
 * AWS config and credentials files and trapheus config file.
 */
async function place(files: { awsConfig?: string; awsCredentials?: string; trapheusrc?: object } = {}) {
  const home = await mkdtemp(path.join(os.tmpdir(), 'trapheus-aws-home-'));
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'trapheus-aws-cwd-'));
  await mkdir(path.join(home, '.aws'));
  if (files.awsConfig !== undefined) await writeFile(path.join(home, '.aws', 'config'), files.awsConfig);
  if (files.awsCredentials !== undefined) await writeFile(path.join(home, '.aws', 'credentials'), files.awsCredentials);
  if (files.trapheusrc) await writeFile(path.join(cwd, '.trapheusrc.json'), JSON.stringify(files.trapheusrc));
  const resolve = async (flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = {}) => {
    const fullEnv = { HOME: home, ...env };
    const loaded = await loadConfig(flags, fullEnv, cwd, home);
    return { loaded, target: await resolveAwsTarget(loaded, fullEnv) };
  };
  const failure = (flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = {}) =>
    resolve(flags, env).then(
      () => {
        throw new Error('expected a usage error');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(UsageError);
        return error as UsageError;
      },
    );
  return { home, cwd, resolve, failure };
}

const PROFILE_REGION = '[default]\nregion = ap-south-1\n\n[profile ops]\nregion = eu-central-1\n';

describe('the region, found as the AWS CLI finds it', () => {
  it('--region first, then the config file, AWS_REGION, AWS_DEFAULT_REGION, and the profile last', async () => {
    const env = { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-west-3' };
    const withFile = await place({ awsConfig: PROFILE_REGION, trapheusrc: { region: 'eu-west-1' } });
    expect((await withFile.resolve({ region: 'us-east-2' }, env)).target.region).toBe('us-east-2');
    expect((await withFile.resolve({}, env)).target.region).toBe('eu-west-1');

    const t = await place({ awsConfig: PROFILE_REGION });
    expect((await t.resolve({}, env)).target.region).toBe('us-west-2');
    expect((await t.resolve({}, { AWS_DEFAULT_REGION: 'eu-west-3' })).target.region).toBe('eu-west-3');
    expect((await t.resolve({}, {})).target.region).toBe('ap-south-1');
    expect((await t.resolve({ profile: 'ops' }, {})).target.region).toBe('eu-central-1');
    expect((await t.resolve({}, { AWS_PROFILE: 'ops' })).target).toEqual({ region: 'eu-central-1', profile: 'ops' });
  });

  it('AWS_DEFAULT_REGION alone is used, and trapheus config names it as the source', async () => {
    const t = await place();
    const { loaded, target } = await t.resolve({}, { AWS_DEFAULT_REGION: 'eu-north-1' });
    expect(target.region).toBe('eu-north-1');
    expect(describeConfig(loaded).find((e) => e.key === 'region')).toEqual({
      key: 'region',
      value: 'eu-north-1',
      source: 'env',
      name: 'AWS_DEFAULT_REGION',
    });
    // AWS_REGION wins over it, and is named instead.
    const both = await t.resolve({}, { AWS_REGION: 'us-west-1', AWS_DEFAULT_REGION: 'eu-north-1' });
    expect(both.loaded.sources.region).toEqual({ source: 'env', name: 'AWS_REGION' });
    expect(both.target.region).toBe('us-west-1');
  });

  it("the profile's region may be in the credentials file; the config file's wins (as the SDK merges them)", async () => {
    const onlyCredentials = await place({ awsCredentials: '[ci]\naws_access_key_id = x\nregion = sa-east-1\n' });
    expect((await onlyCredentials.resolve({ profile: 'ci' })).target.region).toBe('sa-east-1');
    const both = await place({ awsConfig: '[profile ci]\nregion = ca-central-1\n', awsCredentials: '[ci]\nregion = sa-east-1\n' });
    expect((await both.resolve({ profile: 'ci' })).target.region).toBe('ca-central-1');
  });

  it('AWS_CONFIG_FILE names another config file', async () => {
    const t = await place();
    const elsewhere = path.join(t.cwd, 'aws-config');
    await writeFile(elsewhere, '[profile team]\nregion = us-gov-west-1\n');
    expect((await t.resolve({ profile: 'team' }, { AWS_CONFIG_FILE: elsewhere })).target.region).toBe('us-gov-west-1');
  });

  it('an invalid region is refused naming where it came from', async () => {
    const t = await place({ awsConfig: '[profile typo]\nregion = eu-west\n' });
    const fromEnv = await t.failure({}, { AWS_DEFAULT_REGION: 'eu west 1' });
    expect(fromEnv.message).toBe('"eu west 1" is not a valid AWS region.');
    expect(fromEnv.hint).toContain('comes (from AWS_DEFAULT_REGION)');
    const fromProfile = await t.failure({ profile: 'typo' });
    expect(fromProfile.message).toBe('"eu-west" is not a valid AWS region.');
    expect(fromProfile.hint).toContain(`${path.join(t.home, '.aws', 'config')} (profile typo)`);
  });

  it('no region anywhere: said so, with every way to set one', async () => {
    const error = await (await place()).failure();
    expect(error.message).toBe('No AWS region is set.');
    expect(error.hint).toMatch(/--region.*AWS_REGION.*AWS_DEFAULT_REGION.*"region" in the config file.*profile/);
  });
});

describe('an unknown profile is "profile not found" (exit 2), not a region or credentials error', () => {
  it('from --profile: names the profile, where the name came from, and both files looked in', async () => {
    const t = await place({ awsConfig: PROFILE_REGION });
    const error = await t.failure({ profile: 'prod' }, { AWS_REGION: 'eu-west-1' });
    expect(error.message).toBe('The config profile (prod) could not be found (from --profile).');
    expect(error.hint).toContain(`[profile prod] in ${path.join(t.home, '.aws', 'config')}`);
    expect(error.hint).toContain(`[prod] in ${path.join(t.home, '.aws', 'credentials')}`);
  });

  it('from AWS_PROFILE, with the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name', async () => {
    const t = await place();
    const config = path.join(t.cwd, 'cfg');
    const credentials = path.join(t.cwd, 'creds');
    await writeFile(config, '[profile other]\nregion = eu-west-1\n');
    const error = await t.failure({}, { AWS_PROFILE: 'prod', AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials });
    expect(error.message).toBe('The config profile (prod) could not be found (from AWS_PROFILE).');
    expect(error.hint).toContain(`[profile prod] in ${config} and [prod] in ${credentials}`);
  });

  it('a profile in either file is found: [profile x] in config, [x] in credentials', async () => {
    const t = await place({ awsConfig: '[profile a]\nregion = eu-west-1\n', awsCredentials: '[b]\naws_access_key_id = x\n' });
    expect((await t.resolve({ profile: 'a' })).target).toEqual({ region: 'eu-west-1', profile: 'a' });
    expect((await t.resolve({ profile: 'b' }, { AWS_REGION: 'us-east-1' })).target).toEqual({ region: 'us-east-1', profile: 'b' });
    // `[a]` in the config file is not the profile a (the AWS CLI wants `[profile a]` there); `[profile b]` in credentials is not b.
    const wrongSections = await place({ awsConfig: '[a]\nregion = eu-west-1\n', awsCredentials: '[profile b]\nx = y\n' });
    await wrongSections.failure({ profile: 'a' }, { AWS_REGION: 'us-east-1' });
  });

  it('default may be absent (credentials from the environment or an instance role, as for the SDK)', async () => {
    const t = await place();
    expect((await t.resolve({ profile: 'default' }, { AWS_REGION: 'eu-west-1' })).target).toEqual({
      region: 'eu-west-1',
      profile: 'default',
    });
  });

  it('a name that is an object property is still looked up as a name', async () => {
    const error = await (await place()).failure({ profile: 'constructor' }, { AWS_REGION: 'eu-west-1' });
    expect(error.message).toContain('(constructor) could not be found');
  });
});
