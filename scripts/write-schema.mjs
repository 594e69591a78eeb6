// Regenerates the published JSON Schemas from the zod schemas (npm run schema): trapheusrc.schema.json
// (the config file) and schemas/<command>.schema.json (what `trapheus <command> --json` prints).
// Unit tests fail when a committed file and the zod schema it comes from disagree.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { configJsonSchema } from '../dist/config/config-json-schema.js';
import { commandDocumentSchemas, errorJsonSchema, jsonOutputSchema } from '../dist/cli/json-documents.js';

const text = (schema) => `${JSON.stringify(schema, null, 2)}\n`;

await writeFile(new URL('../trapheusrc.schema.json', import.meta.url), text(configJsonSchema()));
console.log('wrote trapheusrc.schema.json');

const dir = new URL('../schemas/', import.meta.url);
await mkdir(dir, { recursive: true });
const wanted = new Set(['error.schema.json', ...Object.keys(commandDocumentSchemas).map((command) => `${command}.schema.json`)]);
// A command that no longer exists takes its schema with it.
for (const file of await readdir(dir)) if (file.endsWith('.schema.json') && !wanted.has(file)) await rm(new URL(file, dir));
for (const command of Object.keys(commandDocumentSchemas)) {
  await writeFile(new URL(`${command}.schema.json`, dir), text(jsonOutputSchema(command)));
  console.log(`wrote schemas/${command}.schema.json`);
}
await writeFile(new URL('error.schema.json', dir), text(errorJsonSchema()));
console.log('wrote schemas/error.schema.json');
