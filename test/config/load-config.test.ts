import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/config-json-schema.js';
import { configSchema } from '../../src/config/config-schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { UsageError } from '../../src/core/errors.js';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = () => mkdtemp(path.join(os.tmpdir(), 'trapheus-config-'));
/** Discovery ends in the user config directory: an empty home keeps a real ~/.config/trapheus out of these tests. */
const noHome = () => mkdtemp(path.join(os.tmpdir(), 'trapheus-home-'));

describe('loadConfig', () => {
  it('applies defaults when there is no file', async () => {
    const { config, file } = await loadConfig({}, {}, await tmp(), await noHome());
    expect(file).toBeUndefined();
    expect(config.snapshots.retain).toBe(3);
    expect(config.restore.keepAutomatedBackups).toBe(true);
  });

  it('merges flags over TRAPHEUS_* environment over the file over defaults', async () => {
    const dir = await tmp();
    await writeFile(
      path.join(dir, '.trapheusrc.json'),
      JSON.stringify({ region: 'eu-west-1', snapshots: { retain: 5 }, wait: { maxWaitMinutes: 10 } }),
    );
    const { config, file } = await loadConfig({ region: 'us-west-2' }, { TRAPHEUS_WAIT_MAX_MINUTES: '20' }, dir);
    expect(file).toBe(path.join(dir, '.trapheusrc.json'));
    expect(config.region).toBe('us-west-2');
    expect(config.snapshots.retain).toBe(5);
    expect(config.wait.maxWaitMinutes).toBe(20);
  });

  it('names the key path and what is wrong for an invalid file', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ snapshots: { retain: 0 }, restor: {} }));
    const error = await loadConfig({ config: file }, {}, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/snapshots\.retain: /);
    expect((error as Error).message).toMatch(/restor/);
  });

  it('refuses a missing --config file and invalid JSON', async () => {
    const dir = await tmp();
    await expect(loadConfig({ config: 'nope.json' }, {}, dir)).rejects.toThrow(/no such file/);
    await writeFile(path.join(dir, 'x.json'), '{');
    await expect(loadConfig({}, { TRAPHEUS_CONFIG: 'x.json' }, dir)).rejects.toThrow(/not valid JSON/);
  });

  it('refuses a non-numeric number in the environment', async () => {
    await expect(loadConfig({}, { TRAPHEUS_SNAPSHOTS_RETAIN: 'many' }, await tmp(), await noHome())).rejects.toThrow(
      /TRAPHEUS_SNAPSHOTS_RETAIN must be a number/,
    );
  });

  it('accepts the shipped example file, which sets every key', async () => {
    const example = path.join(root, '.trapheusrc.example.json');
    const { config } = await loadConfig({ config: example }, {}, root);
    const raw = JSON.parse(await readFile(example, 'utf8')) as Record<string, unknown>;
    const schemaKeys = Object.keys(configSchema.shape);
    expect(Object.keys(raw).sort()).toEqual(schemaKeys.sort());
    expect(config).toBeDefined();
  });

  it('ships a JSON Schema that matches the zod schema', async () => {
    const shipped = JSON.parse(await readFile(path.join(root, 'trapheusrc.schema.json'), 'utf8')) as unknown;
    expect(shipped).toEqual(configJsonSchema());
  });
});
