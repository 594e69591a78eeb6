// Synchronous: a config file is small, and every command reads it first.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';

/** The name of the config file looked for in the working directory and its parents. */
export const CONFIG_FILE_NAME = '.trapheusrc.json';

/** Where a config value came from, as `trapheus config` shows it. */
export type ConfigSource =
  { source: 'flag'; name: string } | { source: 'env'; name: string } | { source: 'file'; path: string } | { source: 'default' };

/** How the config file was found: named by --config or TRAPHEUS_CONFIG, or discovered. */
export type ConfigFileOrigin = '--config' | 'TRAPHEUS_CONFIG' | 'directory' | 'user';

/** The directories discovery starts from; injected by tests. */
export interface ConfigPlace {
  cwd: string;
  home: string;
}

/** The config file found (if any) with its text, and every path looked at, in order. */
export interface DiscoveredConfig {
  file?: { path: string; origin: ConfigFileOrigin; text: string } | undefined;
  searched: string[];
}

/**
 * Finds the config file, first match wins:
 * 1. `--config FILE`, 2. `TRAPHEUS_CONFIG` (both must exist; relative to the working directory),
 * 3. `.trapheusrc.json` in the working directory, then each parent up to and including the
 *    repository root (the first directory holding a `.git`), or up to the filesystem root outside a repository,
 * 4. the user config file: `$XDG_CONFIG_HOME/trapheus/config.json`, by default `~/.config/trapheus/config.json`.
 * A file that exists but cannot be read is a `UsageError`, never skipped.
 */
export async function discoverConfig(flag: string | undefined, env: NodeJS.ProcessEnv, place: ConfigPlace): Promise<DiscoveredConfig> {
  if (flag !== undefined) return explicit(flag, '--config', place.cwd);
  if (env.TRAPHEUS_CONFIG) return explicit(env.TRAPHEUS_CONFIG, 'TRAPHEUS_CONFIG', place.cwd);

  const searched: string[] = [];
  for (let dir = path.resolve(place.cwd); ;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    searched.push(candidate);
    const text = await readIfPresent(candidate);
    if (text !== undefined) return { file: { path: candidate, origin: 'directory', text }, searched };
    const parent = path.dirname(dir);
    if (parent === dir || (await exists(path.join(dir, '.git')))) break;
    dir = parent;
  }
  const user = userConfigFile(env, place.home);
  searched.push(user);
  const text = await readIfPresent(user);
  return { file: text === undefined ? undefined : { path: user, origin: 'user', text }, searched };
}

/** `$XDG_CONFIG_HOME/trapheus/config.json`; a relative XDG_CONFIG_HOME is ignored, as the XDG spec says. */
export function userConfigFile(env: NodeJS.ProcessEnv, home: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config');
  return path.join(base, 'trapheus', 'config.json');
}

async function explicit(given: string, origin: '--config' | 'TRAPHEUS_CONFIG', cwd: string): Promise<DiscoveredConfig> {
  const hint = origin === '--config' ? 'Check the --config path.' : 'Check the TRAPHEUS_CONFIG variable (a path to a JSON file).';
  if (given.trim() === '') throw new UsageError(`${origin} is empty: it names the config file to read.`, { hint });
  const file = path.resolve(cwd, given);
  const text = await readIfPresent(file, hint);
  if (text === undefined) throw new UsageError(`Cannot read the config file ${file} (from ${origin}): no such file.`, { hint });
  return { file: { path: file, origin, text }, searched: [file] };
}

/** The file's text, or undefined if there is no such file. Any other problem is a UsageError. */
async function readIfPresent(file: string, hint?: string): Promise<string | undefined> {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    const why = code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UsageError(`Cannot read the config file ${file}: ${why}.`, { hint: hint ?? 'Fix or remove that file.' });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}
