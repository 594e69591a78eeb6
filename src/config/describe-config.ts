import { configJsonSchema } from './config-json-schema.js';
import type { ConfigSource } from './discover-config.js';
import type { LoadedConfig } from './load-config.js';

/** One key of the effective configuration, safe to print: secrets are redacted (`redacted` says the value shown is not the real one). */
export type ConfigEntry = { key: string; value: unknown; redacted?: true } & ConfigSource;

/** Key names whose values are secrets (Slack webhook URLs carry their token in the path). */
const SECRET_KEY = /secret|token|password|passwd|passphrase|credential|webhook|api[-_]?key|private[-_]?key/i;

/** Whether the value of this dotted key path is a secret, to be redacted wherever it is shown. */
export function isSecretKey(keyPath: string): boolean {
  return SECRET_KEY.test(keyPath.split('.').pop() ?? keyPath);
}

/**
 * A secret, shown as for alert channels: a URL keeps its scheme, host and last 4 characters,
 * anything else only its last 4 (and nothing of a short one).
 */
export function redactSecret(value: string): string {
  try {
    const { protocol, host } = new URL(value);
    if (host) return `${protocol}//${host}/…${value.slice(-4)}`;
  } catch {
    // not a URL
  }
  return value.length >= 16 ? `…${value.slice(-4)}` : '…';
}

/** A URL's user name, password and query string can carry credentials whatever the key: they are hidden. */
export function redactUrlCredentials(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (!url.host || (!url.username && !url.password && !url.search)) return value;
  const auth = url.username || url.password ? '…@' : '';
  return `${url.protocol}//${auth}${url.host}${url.pathname}${url.search ? '?…' : ''}`;
}

/**
 * Every key of the configuration (in the schema's order), with its effective value and where it
 * came from: a flag, an environment variable, the config file, or the default (value null when the
 * key is unset). `journalDir` is the directory actually used (default and `~` expanded).
 */
export function describeConfig(loaded: LoadedConfig): ConfigEntry[] {
  return keyPaths(configJsonSchema()).map((key) => {
    const raw = key === 'journalDir' ? loaded.journalDir : valueAt(loaded.config, key);
    const source: ConfigSource = loaded.sources[key] ?? { source: 'default' };
    const value = redactValue(raw, isSecretKey(key));
    const redacted = JSON.stringify(value) !== JSON.stringify(raw ?? null);
    return { key, value, ...(redacted ? { redacted: true as const } : {}), ...source };
  });
}

function redactValue(value: unknown, secret: boolean): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secret));
  if (typeof value !== 'string') return value;
  return secret ? redactSecret(value) : redactUrlCredentials(value);
}

/** The dotted paths of the schema's leaf properties (an object with properties is descended into). */
function keyPaths(schema: Record<string, unknown>, prefix = ''): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(properties).flatMap(([name, child]) => {
    if (name === '$schema') return [];
    return child.type === 'object' && child.properties ? keyPaths(child, `${prefix}${name}.`) : [`${prefix}${name}`];
  });
}

function valueAt(config: object, keyPath: string): unknown {
  let node: unknown = config;
  for (const key of keyPath.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
