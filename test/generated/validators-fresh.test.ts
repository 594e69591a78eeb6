import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateValidators, TARGET } from '../../scripts/generate-validators.mjs';
import { configSchema } from '../../src/config/config-schema.js';
import { runDocumentSchema } from '../../src/engine/run-document.js';

describe('src/generated/validators.ts', () => {
  it('is what scripts/generate-validators.mjs generates from the zod schemas now (npm run build && node scripts/generate-validators.mjs)', async () => {
    const committed = await readFile(TARGET, 'utf8');
    expect(committed === generateValidators({ configSchema, runDocumentSchema }), 'src/generated/validators.ts is stale').toBe(true);
  });

  it('imports nothing (no ajv runtime helper: ajv is a devDependency), and Node loads it as ESM', async () => {
    const text = await readFile(TARGET, 'utf8');
    expect(text).not.toMatch(/^\s*import\b|\brequire\(/m);
    const generated = (await import('../../src/generated/validators.js')) as Record<string, unknown>;
    expect(typeof generated.validateConfigInput).toBe('function');
    expect(typeof generated.validateRunDocument).toBe('function');
  });
});
