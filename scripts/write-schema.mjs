// Regenerates trapheusrc.schema.json from the zod schema (npm run schema). A unit test fails
// when the committed file and the schema disagree.
import { writeFile } from 'node:fs/promises';
import { configJsonSchema } from '../dist/config/config-json-schema.js';

await writeFile(new URL('../trapheusrc.schema.json', import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log('wrote trapheusrc.schema.json');
