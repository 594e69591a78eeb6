import { describeConfig, type ConfigEntry } from '../../config/describe-config.js';
import { loadConfig, type LoadedConfig } from '../../config/load-config.js';
import type { CliContext } from '../cli-context.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { formatTable } from '../format.js';
import { jsonDocument } from '../json-documents.js';
import { printJson } from '../output.js';
import { flagsOf } from './command-support.js';

const ORIGIN: Record<NonNullable<LoadedConfig['fileOrigin']>, string> = {
  '--config': 'named by --config',
  TRAPHEUS_CONFIG: 'named by TRAPHEUS_CONFIG',
  directory: 'found from the working directory',
  user: 'the user config file',
};

/**
 * `trapheus config`: the effective configuration, each key with where its value came from
 * (flag, environment variable, config file, default), secrets redacted. An invalid config exits 2,
 * as for every command. Reads files only: no AWS call.
 */
export async function configCommand(globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  const loaded = await loadConfig(flagsOf(globals), ctx.env);
  const entries = describeConfig(loaded);
  if (globals.json) {
    printJson(
      ctx.output,
      jsonDocument('config', {
        status: 'ok',
        file: loaded.file ?? null,
        fileOrigin: loaded.fileOrigin ?? null,
        searched: loaded.searched,
        values: Object.fromEntries(entries.map(({ key, ...entry }): [string, Omit<ConfigEntry, 'key'>] => [key, entry])),
      }),
    );
    return { status: 'ok' };
  }
  const file = loaded.file
    ? `Config file: ${loaded.file} (${ORIGIN[loaded.fileOrigin ?? 'directory']})`
    : 'Config file: none (defaults, environment and flags only)';
  const lines = [file, `Looked in:   ${loaded.searched.join('\n             ')}`, ''];
  lines.push(
    formatTable(
      ['KEY', 'VALUE', 'FROM'],
      entries.map((e) => [e.key, showValue(e), showSource(e)]),
    ),
  );
  if (entries.some((e) => (e.key === 'region' || e.key === 'profile') && e.value === null)) {
    lines.push('', "An unset region or profile is left to the AWS SDK (AWS_REGION, AWS_PROFILE, the profile's settings).");
  }
  ctx.output.out(lines.join('\n'));
  return { status: 'ok' };
}

function showValue(entry: ConfigEntry): string {
  const { value } = entry;
  if (value === null) return '–';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : value.map(String).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function showSource(entry: ConfigEntry): string {
  switch (entry.source) {
    case 'flag':
      return entry.name;
    case 'env':
      return `env ${entry.name}`;
    case 'file':
      return entry.path;
    case 'default':
      return 'default';
  }
}
