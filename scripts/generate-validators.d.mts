// Types of scripts/generate-validators.mjs, for the unit test that checks src/generated/validators.ts is fresh.
import type { ZodType } from 'zod';

export const TARGET: URL;
export function distSchemas(): Promise<{ configSchema: ZodType; runDocumentSchema: ZodType }>;
export function jsonSchemas(schemas: { configSchema: ZodType; runDocumentSchema: ZodType }): Record<string, Record<string, unknown>>;
export function generateValidators(schemas: { configSchema: ZodType; runDocumentSchema: ZodType }): string;
