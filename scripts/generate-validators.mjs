// Compiles the zod schemas that the fast paths validate with (the config file, a run journal) into
// plain validation functions, at build time, so that `trapheus runs`, `status` and the crash check
// load no zod (issue 12, point 4). zod stays the single source of truth: each schema is converted
// with z.toJSONSchema, compiled by ajv to standalone code and written to src/generated/validators.ts,
// which is committed. A unit test (test/generated/validators-fresh.test.ts) fails when that file
// and what this script generates from the current schemas disagree.
//
//   node scripts/generate-validators.mjs           writes src/generated/validators.ts
//   node scripts/generate-validators.mjs --check   exits 1 when the committed file is stale
//
// Both read the compiled schemas in dist/: run `npm run build` (tsc) first.
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { z } from 'zod';

export const TARGET = new URL('../src/generated/validators.ts', import.meta.url);

/**
 * The JSON Schemas compiled, by export name. The config is validated as written (io: input), and
 * ajv fills in the defaults (useDefaults) as zod's .default()/.prefault() do. A run journal is
 * validated against its *output* schema, in which every object lists all its keys (zod strips
 * unknown keys from a run document): a document the fast validator accepts is one zod returns
 * unchanged. Anything else (an unknown key zod would drop, an invalid document) is left to zod.
 */
export function jsonSchemas({ configSchema, runDocumentSchema }) {
  return {
    validateConfigInput: z.toJSONSchema(configSchema, { io: 'input' }),
    validateRunDocument: z.toJSONSchema(runDocumentSchema, { io: 'output' }),
  };
}

/**
 * The keys of each object of a schema, in the schema's order (zod returns objects with their keys
 * in that order), as a tree: `{ key: null }` for a leaf, `{ key: {…} }` for a nested object with
 * listed properties, or for an array of such objects (the order of each item). Records
 * (propertyNames) are leaves: zod keeps their order.
 */
function keyOrder(schema) {
  if (schema.type === 'array' && schema.items) return keyOrder(schema.items);
  if (schema.type !== 'object' || !schema.properties) return null;
  return Object.fromEntries(Object.entries(schema.properties).map(([key, child]) => [key, keyOrder(child)]));
}

/** A schema without its `description`s: annotations, which would only make the generated code longer. */
function withoutDescriptions(schema) {
  if (Array.isArray(schema)) return schema.map(withoutDescriptions);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => !(key === 'description' && typeof value === 'string'))
      .map(([key, value]) => [
        key,
        key === 'properties' || key === '$defs' ? mapValues(value, withoutDescriptions) : withoutDescriptions(value),
      ]),
  );
}
const mapValues = (object, f) => Object.fromEntries(Object.entries(object).map(([key, value]) => [key, f(value)]));

/**
 * ajv's code with each error object (`{instancePath:…, schemaPath:…, keyword:…, params:{…}}`)
 * replaced by `0`: the fast paths use only whether a value is valid (zod explains what is not),
 * and the generated code only counts errors (`errors`, the length of `vErrors`), never reads one,
 * so validity is unchanged — the equivalence tests check it — while over a third of the code, and
 * of what every start loads, goes.
 */
function withoutErrorDetails(code) {
  let out = '';
  let from = 0;
  // An error object starts `{instancePath:` or `{instancePath,` and has a schemaPath; a
  // validator's own parameters (`{instancePath="", parentData, …}`) are left alone.
  const start = /\{instancePath[:,]/g;
  for (let found = start.exec(code); found !== null; start.lastIndex = from, found = start.exec(code)) {
    const at = found.index;
    let depth = 0;
    let end = at;
    for (; end < code.length; end += 1) {
      if (code[end] === '{') depth += 1;
      else if (code[end] === '}' && --depth === 0) break;
      else if (code[end] === '"' || code[end] === "'") end = code.indexOf(code[end], end + 1); // ajv's strings hold no quote of their own kind
    }
    if (depth !== 0) throw new Error('generate-validators: an unbalanced error object in ajv code');
    // A call's options (`validate21(x, {instancePath:instancePath+"/events/"+i0, parentData, …})`) are kept.
    if (!code.slice(at, end).includes('schemaPath:')) {
      out += code.slice(from, end + 1);
    } else {
      out += `${code.slice(from, at)}0`;
    }
    from = end + 1;
  }
  const result = out + code.slice(from);
  const left = /\b(schemaPath|keyword|params)\b\s*[:,]|\.(instancePath|schemaPath|params|keyword)\b/.exec(result);
  if (left) {
    throw new Error(
      `generate-validators: ajv code still builds or reads error details (${JSON.stringify(result.slice(left.index - 120, left.index + 60))}); update withoutErrorDetails`,
    );
  }
  return result;
}

/** The zod schemas as compiled in dist/ (npm run build). */
export async function distSchemas() {
  const dist = new URL('../dist/', import.meta.url);
  const { configSchema } = await import(new URL('config/config-schema.js', dist).href);
  const { runDocumentSchema } = await import(new URL('engine/run-document.js', dist).href);
  return { configSchema, runDocumentSchema };
}

/**
 * A schema whose `oneOf`s of objects told apart by a tag (zod's discriminated unions: each branch
 * requires the same key, with a distinct string `const`) say so to ajv: `discriminator` makes it
 * check the one branch the tag names instead of every branch, which is what zod does. The values
 * accepted are the same: no branch but the tag's can match. Everything else is left as it is.
 */
function withDiscriminators(schema) {
  if (Array.isArray(schema)) return schema.map(withDiscriminators);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, withDiscriminators(value)]));
  const branches = copy.oneOf;
  if (!Array.isArray(branches) || branches.length < 2 || copy.discriminator) return copy;
  const tagOf = (branch, key) =>
    branch.type === 'object' && branch.required?.includes(key) && typeof branch.properties?.[key]?.const === 'string'
      ? branch.properties[key].const
      : undefined;
  const tag = Object.keys(branches[0].properties ?? {}).find((key) => {
    const values = branches.map((branch) => tagOf(branch, key));
    return values.every((value) => value !== undefined) && new Set(values).size === values.length;
  });
  return tag === undefined ? copy : { type: 'object', discriminator: { propertyName: tag }, ...copy };
}

/** The generated module's text, from the zod schemas (the unit test passes those of src/). */
export function generateValidators(zodSchemas) {
  const schemas = jsonSchemas(zodSchemas);
  const ajv = new Ajv2020({
    code: { source: true, esm: true, lines: true },
    // Every keyword must be known and every type consistent; a zod construct the conversion renders
    // in a way ajv would misread stops the build instead of validating loosely.
    strict: true,
    // Defaults as zod applies them: a missing key gets its default (objects with nested defaults too).
    useDefaults: true,
    // String lengths in UTF-16 code units, as zod's .min()/.max() count them (ajv counts code points
    // by default, and would import its ucs2length helper).
    unicode: false,
    // zod's regular expressions have no u flag: compiled the same, they match the same strings.
    unicodeRegExp: false,
    // `format` is an annotation here: a date-time also carries zod's own pattern, which is checked;
    // a URL is checked by the fast path (config-fast-path.ts) the way zod's z.url() accepts it.
    validateFormats: false,
    // Only whether a value is valid matters: the explanation of an invalid one comes from zod.
    messages: false,
    allErrors: false,
    // A discriminated union is checked against the one branch its tag names (see withDiscriminators).
    discriminator: true,
    logger: {
      log: console.log,
      error: console.error,
      warn: (...args) => args[0]?.startsWith?.('DEPRECATED: option unicode') || console.warn(...args),
    },
  });
  for (const [name, schema] of Object.entries(schemas)) ajv.addSchema(withDiscriminators(withoutDescriptions(schema)), name);
  const code = withoutErrorDetails(standaloneCode(ajv, Object.fromEntries(Object.keys(schemas).map((name) => [name, name]))));
  if (/\brequire\(|\bimport\b/.test(code)) {
    // The runtime helpers would make the module depend on ajv, a devDependency.
    throw new Error('the generated validators import ajv runtime helpers; adjust the ajv options');
  }
  const runDocument = schemas.validateRunDocument;
  return [
    '// @ts-nocheck -- generated by scripts/generate-validators.mjs from the zod schemas; do not edit.',
    '// Typed and used through src/generated/fast-validators.ts. Regenerate: npm run build && node scripts/generate-validators.mjs',
    code.replace(/^"use strict";/, ''),
    `/** The keys of each object, in the zod schema's order (the order of zod's result): config, run document, run event by type. */`,
    `export const configKeyOrder = ${JSON.stringify(keyOrder(schemas.validateConfigInput))};`,
    `export const runDocumentKeyOrder = ${JSON.stringify(keyOrder(runDocument))};`,
    `export const runEventKeyOrder = ${JSON.stringify(Object.fromEntries(runDocument.properties.events.items.oneOf.map((event) => [event.properties.type.const, keyOrder(event)])))};`,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const source = generateValidators(await distSchemas());
  if (process.argv.includes('--check')) {
    const committed = await readFile(TARGET, 'utf8').catch(() => '');
    if (committed !== source) {
      console.error('src/generated/validators.ts is stale (a zod schema changed): run npm run validators');
      process.exit(1);
    }
    // Silent when fresh: npm pack --json runs this (prepack) and its stdout must stay JSON.
  } else {
    await writeFile(TARGET, source);
    console.log('wrote src/generated/validators.ts');
  }
}
