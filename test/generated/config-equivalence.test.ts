import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { configWithoutZod } from '../../src/config/config-fast-path.js';
import { configSchema } from '../../src/config/config-schema.js';

// The fast path of loadConfig (config-fast-path.ts: the validator generated from the zod schema,
// then the rules of config-rules.ts) must give what zod gives: on every config of the corpus
// below, either it returns exactly what configSchema.parse returns (same values, same key order),
// or it returns nothing and zod decides. It may pass a valid config to zod only where zod rewrites
// a value (a URL with white space around it, which z.url() trims; a "__proto__" key of a record,
// which zod's copy drops): that list is pinned below, so
// a fast path that quietly gave up on valid configs fails here. And loadConfig, end to end, gives
// the same config or throws the same error as loadConfig with zod alone (the code before the fast path).

const root = path.resolve(import.meta.dirname, '../..');

interface Case {
  label: string;
  /** The file's text (JSON), so that a "__proto__" key is an own key, as JSON.parse makes it. */
  text: string;
  env?: Record<string, string>;
  flags?: { region?: string; state?: string };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  enum?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  anyOf?: JsonSchema[];
}

const clone = <T>(value: T): T => structuredClone(value);

/** `base` with `value` at `keys` (objects created on the way; `undefined` deletes the key). */
function setAt(base: JsonObject, keys: string[], value: Json | undefined): JsonObject {
  const copy = clone(base);
  let node: JsonObject = copy;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as JsonObject;
  }
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** Every property of the schema (objects too), with its key path. */
function* properties(schema: JsonSchema, keys: string[] = []): Generator<{ keys: string[]; schema: JsonSchema }> {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    yield { keys: [...keys, key], schema: child };
    yield* properties(child, [...keys, key]);
  }
}

/** Values of a wrong type or out of range for a property, and values at its edges. */
function mutationsOf(schema: JsonSchema): Json[] {
  const values: Json[] = [null, 42, -1, 0, 1.5, 1e21, '', 'x', 'us-east-1', true, false, [], ['x'], [''], {}, { a: 1 }];
  const near = (n: number): number[] => [n - 1, n - 0.5, n, n + 0.5, n + 1];
  if (schema.minimum !== undefined) values.push(...near(schema.minimum));
  if (schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER) values.push(...near(schema.maximum));
  if (schema.maximum === Number.MAX_SAFE_INTEGER) values.push(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2);
  if (schema.exclusiveMinimum !== undefined) values.push(...near(schema.exclusiveMinimum), 1e-9);
  if (schema.enum) values.push('bogus', ...schema.enum, schema.enum[0]!.toUpperCase());
  if (schema.pattern) values.push('not valid', 's3://', 's3://bucket', 's3://bucket/prefix', 'eu-west-1 ', 'us-gov-west-1', 'EU-WEST-1');
  if (schema.minLength !== undefined) values.push('a'.repeat(schema.minLength), 'a'.repeat(Math.max(0, schema.minLength - 1)));
  return values;
}

const example = JSON.parse(await readFile(path.join(root, '.trapheusrc.example.json'), 'utf8')) as JsonObject;
/** The README's JSON examples (configs and others: every one must give the same answer). */
const readmeBlocks = [...(await readFile(path.join(root, 'README.md'), 'utf8')).matchAll(/```json\n([\s\S]*?)```/g)]
  .map((m) => m[1] as string)
  .filter((text) => {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    } catch {
      return false;
    }
  });

const jsonSchema = z.toJSONSchema(configSchema, { io: 'input' }) as JsonSchema;
const hook = (value: Json): JsonObject => ({ hooks: { afterRestore: value } });
const urls = [
  'https://hooks.slack.com/services/T/B/x',
  'http://localhost/hook',
  'http://127.0.0.1:8080/hook',
  'http://[::1]:9/hook',
  'HTTPS://HOOKS.SLACK.COM/x',
  'https:hooks.slack.com/x',
  'https:/hooks.slack.com/x',
  'http://hooks.slack.com/x',
  'http://10.0.0.1/hook',
  'http://localhost.example.com/x',
  'ftp://example.com/x',
  'file:///etc/passwd',
  'mailto:a@example.com',
  'not a url',
  'https://',
  '',
  'https://exa mple.com/',
  'https://例え.jp/x',
];
/** URLs z.url() accepts only after rewriting them (trimmed, tabs and line breaks deleted). */
const rewrittenUrls = [' https://hooks.slack.com/x', 'https://hooks.slack.com/x\n', 'https://hooks.slack\t.com/x', '\thttp://localhost/x '];

function corpus(): Case[] {
  const cases: Case[] = [];
  const add = (label: string, value: JsonObject, extra: Omit<Case, 'label' | 'text'> = {}) =>
    cases.push({ label, text: JSON.stringify(value), ...extra });
  add('{}', {});
  add('.trapheusrc.example.json', example);
  readmeBlocks.forEach((text, i) => cases.push({ label: `README json block ${i}`, text }));
  for (const [baseName, base] of [
    ['{}', {}],
    ['example', example],
  ] as const) {
    for (const { keys, schema } of properties(jsonSchema)) {
      const where = `${baseName} ${keys.join('.')}`;
      add(`${where} deleted`, setAt(base, keys, undefined));
      for (const value of mutationsOf(schema)) add(`${where} = ${JSON.stringify(value)}`, setAt(base, keys, value));
      if (schema.type === 'object' && schema.properties) add(`${where} + unknown key`, setAt(base, [...keys, 'unknownKey'], 1));
    }
    add(`${baseName} + unknown top-level key`, { ...base, regoin: 'eu-west-1' });
  }
  // The refinements, each kept and broken.
  for (const [min, max] of [
    [10, 5],
    [5, 5],
    [5, 4.99],
    [0.5, 1],
  ]) {
    add(`wait ${min}..${max}`, { wait: { minDelaySeconds: min!, maxDelaySeconds: max! } });
  }
  add('wait min 31 (max default 30)', { wait: { minDelaySeconds: 31 } });
  add('wait max 4 (min default 5)', { wait: { maxDelaySeconds: 4 } });
  for (const email of <JsonObject[]>[
    { from: 'me@example.com' },
    { to: ['dba@example.com'] },
    { from: 'me@example.com', to: [] },
    { from: '', to: [] },
    { from: '', to: ['dba@example.com'] },
    { from: 'me@example.com', to: ['dba@example.com', 'x'] },
    { from: 'me@example.com', to: ['dba@example.com', 'xyz'], region: 'eu-west-1' },
  ]) {
    add(`email ${JSON.stringify(email)}`, { alerts: { email } });
  }
  for (const url of [...urls, ...rewrittenUrls]) add(`webhook ${JSON.stringify(url)}`, { alerts: { slack: { webhookUrls: [url] } } });
  add('two webhooks, one bad', { alerts: { slack: { webhookUrls: [urls[0]!, 'http://example.com/x'] } } });
  for (const env of <JsonObject[]>[
    { PGUSER: 'x' },
    { TRAPHEUS_DB: 'x' },
    { _x1: '' },
    { '1BAD': 'x' },
    { '': 'x' },
    { 'A-B': 'x' },
    { OK: 1 },
    { TRAPHEUS: 'x' },
  ]) {
    add(`hook env ${JSON.stringify(env)}`, hook({ command: 'x', env }));
    add(`beforeCutover env ${JSON.stringify(env)}`, { hooks: { beforeCutover: { command: ['x'], env } } });
  }
  for (const command of ['', 'x', [], [''], ['x', ''], ['psql', '-c', 'select 1'], 42, null]) {
    add(`hook command ${JSON.stringify(command)}`, hook({ command }));
  }
  add('hook without command', hook({ timeoutSeconds: 5 }));
  add('hook + unknown key', hook({ command: 'x', shell: true }));
  for (const timeoutSeconds of [0, 1, 86_400, 86_401, -5, 0.001])
    add(`hook timeout ${timeoutSeconds}`, hook({ command: 'x', timeoutSeconds }));
  // Keys JSON.parse makes own properties, which an object literal would not.
  cases.push({ label: 'top-level "__proto__" key', text: '{"__proto__": {"region": "eu-west-1"}}' });
  cases.push({ label: 'hook env "__proto__" key', text: '{"hooks": {"afterRestore": {"command": "x", "env": {"__proto__": "v"}}}}' });
  cases.push({ label: 'constructor key', text: '{"constructor": 1}' });
  // Values from the environment and flags, which loadConfig merges in before validating.
  add('env: webhook over http', {}, { env: { TRAPHEUS_SLACK_WEBHOOK_URLS: 'http://example.com/x,https://hooks.slack.com/y' } });
  add('env: email from without to', {}, { env: { TRAPHEUS_EMAIL_FROM: 'me@example.com' } });
  add('env: email from and to', {}, { env: { TRAPHEUS_EMAIL_FROM: 'me@example.com', TRAPHEUS_EMAIL_TO: 'a@example.com b@example.com' } });
  add('env: min delay over max', {}, { env: { TRAPHEUS_WAIT_MIN_DELAY_SECONDS: '100' } });
  add('env: retain 0', {}, { env: { TRAPHEUS_SNAPSHOTS_RETAIN: '0' } });
  add('env: state URL', {}, { env: { TRAPHEUS_STATE: 's3://bucket/prefix' } });
  add('env: bad state URL', {}, { env: { TRAPHEUS_STATE: 'https://bucket/prefix' } });
  add('flags: bad region', {}, { flags: { region: 'us east 1' } });
  add('flags: region and state', example, { flags: { region: 'eu-west-1', state: 's3://b' } });
  return cases;
}

const cases = corpus();

describe('the config fast path (no zod) and zod agree', () => {
  it(`on ${cases.length} configs: the fast path returns what zod returns, or leaves the config to zod`, () => {
    const leftToZodThoughValid: string[] = [];
    let accepted = 0;
    let refused = 0;
    for (const { label, text } of cases.filter((c) => !c.env && !c.flags)) {
      const raw = JSON.parse(text) as Record<string, unknown>;
      const fast = configWithoutZod(raw);
      expect(JSON.stringify(raw), `${label}: the fast path changed its input`).toBe(JSON.stringify(JSON.parse(text)));
      const zod = configSchema.safeParse(JSON.parse(text));
      if (fast !== undefined) {
        accepted += 1;
        expect(zod.success, `${label}: the fast path accepts what zod refuses`).toBe(true);
        expect(fast, label).toStrictEqual(zod.data);
        expect(JSON.stringify(fast), `${label}: key order`).toBe(JSON.stringify(zod.data));
      } else if (zod.success) {
        leftToZodThoughValid.push(label);
      } else {
        refused += 1;
      }
    }
    expect(leftToZodThoughValid).toEqual([...rewrittenUrls.map((url) => `webhook ${JSON.stringify(url)}`), 'hook env "__proto__" key']);
    // Both answers are well represented (the corpus is not all valid, nor all invalid).
    console.log(
      `config corpus: ${accepted} accepted by the fast path, ${refused} refused by both, ${leftToZodThoughValid.length} left to zod`,
    );
    expect(accepted).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(500);
  });

  it('a value the fast path returns shares no object with its input (as zod returns new objects)', () => {
    const raw = clone(example) as Record<string, unknown>;
    const fast = configWithoutZod(raw) as unknown as Record<string, unknown>;
    expect(fast.alerts).not.toBe(raw.alerts);
    const email = (fast.alerts as { email: { to: string[] } }).email;
    expect(email.to).not.toBe((raw.alerts as { email: { to: string[] } }).email.to);
  });
});

describe('loadConfig with the fast path and with zod alone agree', () => {
  it(
    `on the same ${cases.length} configs (file, environment, flags): the same config, or the same error`,
    { timeout: 120_000 },
    async () => {
      const withFastPath = await import('../../src/config/load-config.js');
      vi.resetModules();
      vi.doMock('../../src/config/config-fast-path.js', () => ({ configWithoutZod: () => undefined }));
      const zodOnly = await import('../../src/config/load-config.js');
      vi.doUnmock('../../src/config/config-fast-path.js');
      vi.resetModules();
      expect(zodOnly.loadConfig).not.toBe(withFastPath.loadConfig);

      const dir = await mkdtemp(path.join(os.tmpdir(), 'trapheus-config-equivalence-'));
      const home = await mkdtemp(path.join(os.tmpdir(), 'trapheus-home-'));
      const outcome = (promise: Promise<unknown>) =>
        promise.then(
          (loaded) => ({ ok: true as const, loaded: JSON.stringify(loaded), value: loaded }),
          (error: unknown) => {
            const { name, message, hint } = error as Error & { hint?: string };
            return { ok: false as const, error: { class: (error as Error).constructor.name, name, message, hint } };
          },
        );
      let errors = 0;
      for (const [i, { label, text, env = {}, flags = {} }] of cases.entries()) {
        const file = path.join(dir, `config-${i}.json`);
        await writeFile(file, text);
        const fast = await outcome(withFastPath.loadConfig({ ...flags, config: file }, env, dir, home));
        const zod = await outcome(zodOnly.loadConfig({ ...flags, config: file }, env, dir, home));
        expect(fast, label).toStrictEqual(zod);
        if (!fast.ok) {
          errors += 1;
          expect(fast.error.class, label).toBe('UsageError');
        }
      }
      expect(errors).toBeGreaterThan(500);
    },
  );
});
