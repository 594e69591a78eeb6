import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { RetryableStateError, StepError } from '../../src/core/errors.js';
import { runDocumentSchema } from '../../src/engine/run-document.js';
import type * as FastValidators from '../../src/generated/fast-validators.js';
import { isRunDocument } from '../../src/generated/fast-validators.js';
import { FileJournal, parseRunDocument } from '../../src/stores/file-journal.js';
import { FileLockStore } from '../../src/stores/file-lock-store.js';
import { prepareRestore } from '../../src/workflows/run/start-run.js';
import { instanceWorld } from '../workflows/instance-world.js';

// A journal is read without zod (parseRunDocument: the validator generated from the zod schema);
// zod is loaded only for a document that validator refuses. On real journals (restores that
// succeeded, retried, rolled back, written by the service over the fake RDS) and on mutations of
// each field of the document and of each event variant, parseRunDocument must give what it gave
// with zod alone: the same document (same values, same key order) or the same error. The fast
// validator must accept every real journal (else `runs` would load zod after all), and may leave
// a valid document to zod only where zod changes it (it drops unknown keys): that list is pinned.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Real journals: the service over the fake RDS, writing to a FileJournal. */
async function realJournals(): Promise<{ file: string; text: string }[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trapheus-journals-'));
  const scenarios: [string, (world: ReturnType<typeof instanceWorld>) => void][] = [
    ['succeeds', () => undefined],
    ['succeeds again', () => undefined],
    ['retries a step', (w) => w.rds.failNext('renameInstance', new RetryableStateError('InvalidDBInstanceState: busy'), 2)],
    ['rolls back', (w) => w.rds.failNext('restoreInstance', new StepError('InsufficientDBInstanceCapacity'))],
    ['rolls back after the rename', (w) => w.rds.failNext('modifyInstance', new StepError('InvalidParameterValue'), 5)],
  ];
  for (const [, arrange] of scenarios) {
    const world = instanceWorld();
    const deps = { ...world.deps, journal: new FileJournal(dir), locks: new FileLockStore(path.join(dir, 'locks')) };
    arrange(world);
    const prepared = await prepareRestore(deps, { identifier: 'db1', kind: 'instance', snapshot: 's1', freshSnapshot: false });
    if (!prepared.ok) throw new Error(`preflight failed: ${JSON.stringify(prepared.summary.preflight)}`);
    await prepared.start().catch(() => undefined);
    await world.clock.sleep(60_000);
  }
  const files: string[] = [];
  for (const sub of ['', 'finished']) {
    const names = await readdir(path.join(dir, sub)).catch(() => [] as string[]);
    files.push(...names.filter((n) => n.endsWith('.json')).map((n) => path.join(dir, sub, n)));
  }
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(file, 'utf8') })));
}

const at = '2026-11-24T11:45:01.123Z';
const error = { name: 'StepError', message: 'boom' };
/** One event of each variant, every optional field set. */
const eventSamples: JsonObject[] = [
  { type: 'run_started', at, pid: 12, host: 'h' },
  { type: 'run_resumed', at, pid: 12, host: 'h' },
  { type: 'step_started', at, stepId: 's', attempt: 1 },
  { type: 'step_succeeded', at, stepId: 's' },
  { type: 'step_failed', at, stepId: 's', attempt: 2, error, willRetry: true },
  { type: 'rollback_started', at, stepId: 's', error },
  { type: 'compensation_started', at, stepId: 's', attempt: 1 },
  { type: 'compensation_succeeded', at, stepId: 's' },
  { type: 'compensation_failed', at, stepId: 's', attempt: 3, error, willRetry: false },
  { type: 'notice', at, level: 'warning', message: 'm', stepId: 's' },
  { type: 'run_interrupted', at },
  { type: 'run_crashed', at, pid: 12, host: 'h', alerts: [{ channel: 'slack', ok: false }] },
  { type: 'run_finished', at, status: 'rolled_back' },
];

const wrongValues: Json[] = [null, 42, -1, 0, 1.5, '', 'x', true, [], ['x'], {}, { a: 1 }];
const dateTimes: Json[] = [
  '2026-11-24T11:45:01Z',
  '2026-11-24T11:45:01.1Z',
  '2026-11-24T11:45:01+01:00',
  '2026-11-24T11:45Z',
  '2026-11-24',
  '2026-02-29T00:00:00Z',
  '2024-02-29T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-11-24T24:00:00Z',
  '2026-11-24 11:45:01Z',
  '2026-11-24t11:45:01z',
  ' 2026-11-24T11:45:01Z',
];
const numbers: Json[] = [1, 2, 2.5, 0.5, 1e300, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -0];

interface Case {
  label: string;
  text: string;
}

function mutations(base: JsonObject): Case[] {
  const cases: Case[] = [];
  const add = (label: string, doc: JsonObject) => cases.push({ label, text: JSON.stringify(doc) });
  const withEvents = (events: JsonObject[]): JsonObject => ({ ...base, events });
  add('every event variant', withEvents(eventSamples));
  for (const key of Object.keys(base)) {
    const { [key]: _dropped, ...rest } = base;
    add(`${key} deleted`, rest);
    for (const value of [...wrongValues, ...(key === 'createdAt' ? dateTimes : [])])
      add(`${key} = ${JSON.stringify(value)}`, { ...base, [key]: value });
  }
  add('region set', { ...base, region: 'eu-west-1' });
  add('unknown top-level key', { ...base, extra: 1 });
  for (const record of ['input', 'plan', 'state']) add(`${record} with a nested value`, { ...base, [record]: { a: { b: [1, null] } } });
  for (const sample of eventSamples) {
    const type = sample.type as string;
    for (const key of Object.keys(sample)) {
      const { [key]: _dropped, ...rest } = sample;
      add(`${type}.${key} deleted`, withEvents([rest]));
      const values = [...wrongValues, ...(key === 'at' ? dateTimes : []), ...(typeof sample[key] === 'number' ? numbers : [])];
      for (const value of values) add(`${type}.${key} = ${JSON.stringify(value)}`, withEvents([{ ...sample, [key]: value }]));
    }
    add(`${type} + unknown key`, withEvents([{ ...sample, extra: 1 }]));
    add(`${type} type bogus`, withEvents([{ ...sample, type: 'bogus' }]));
  }
  for (const level of ['info', 'error', 'INFO']) add(`notice level ${level}`, withEvents([{ ...eventSamples[9]!, level }]));
  for (const status of ['succeeded', 'failed', 'interrupted', 'running'])
    add(`run_finished status ${status}`, withEvents([{ ...eventSamples[12]!, status }]));
  const errorEvent = eventSamples[4]!;
  add('error without message', withEvents([{ ...errorEvent, error: { name: 'x' } }]));
  add('error + unknown key', withEvents([{ ...errorEvent, error: { ...error, stack: 's' } }]));
  add('error.name a number', withEvents([{ ...errorEvent, error: { ...error, name: 1 } }]));
  const crashed = eventSamples[11]!;
  for (const alerts of [[], [{ channel: 'x' }], [{ channel: 'x', ok: 'yes' }], [{ channel: 'x', ok: true, extra: 1 }], 'x'] as Json[])
    add(`run_crashed alerts ${JSON.stringify(alerts)}`, withEvents([{ ...crashed, alerts }]));
  for (const event of ['x', null, 42, []] as Json[]) add(`an event ${JSON.stringify(event)}`, withEvents([event as JsonObject]));
  add('events not an array', { ...base, events: { 0: eventSamples[0]! } });
  const text = JSON.stringify(base);
  for (const record of ['input', 'plan', 'state']) {
    cases.push({ label: `${record} with a "__proto__" key`, text: text.replace(`"${record}":{`, `"${record}":{"__proto__":{"x":1},`) });
  }
  return cases;
}

describe('journals read without zod, as zod read them', () => {
  it('real journals and mutations of each field and event variant: the same document or the same error', { timeout: 120_000 }, async () => {
    const journals = await realJournals();
    expect(journals.length).toBe(5);
    const real = journals.map(({ file, text }) => ({ label: `real ${path.basename(file)}`, text }));
    const types = new Set(journals.flatMap(({ text }) => (JSON.parse(text) as { events: { type: string }[] }).events.map((e) => e.type)));
    expect([...types].sort()).toEqual(
      expect.arrayContaining(['rollback_started', 'run_finished', 'run_started', 'step_failed', 'step_succeeded']),
    );

    // Every real journal is accepted by the generated validator: `runs` does not load zod to read it.
    for (const { label, text } of real) expect(isRunDocument(JSON.parse(text)), label).toBe(true);

    const base = JSON.parse(journals[0]!.text) as JsonObject;
    const cases = [
      ...real,
      ...mutations(base),
      ...[2, '1', null, 0].map((v) => ({
        label: `schemaVersion ${JSON.stringify(v)}`,
        text: JSON.stringify({ ...base, schemaVersion: v }),
      })),
      { label: 'not JSON', text: '{"schemaVersion": 1,' },
      { label: 'null', text: 'null' },
    ];
    expect(runDocumentSchema.safeParse(JSON.parse(cases.find((c) => c.label === 'every event variant')!.text)).success).toBe(true);

    vi.resetModules();
    vi.doMock('../../src/generated/fast-validators.js', async (importOriginal) => ({
      ...(await importOriginal<typeof FastValidators>()),
      isRunDocument: () => false,
    }));
    const zodOnly = await import('../../src/stores/file-journal.js');
    vi.doUnmock('../../src/generated/fast-validators.js');
    vi.resetModules();
    expect(zodOnly.parseRunDocument).not.toBe(parseRunDocument);

    const outcome = (promise: Promise<unknown>) =>
      promise.then(
        (doc) => ({ ok: true as const, json: JSON.stringify(doc), doc }),
        (e: unknown) => {
          const { message, hint } = e as Error & { hint?: string };
          return { ok: false as const, error: { class: (e as Error).constructor.name, message, hint } };
        },
      );
    const leftToZodThoughValid: string[] = [];
    let accepted = 0;
    let refused = 0;
    for (const { label, text } of cases) {
      const file = `/runs/${label}.json`;
      const fast = await outcome(parseRunDocument(text, file));
      const zod = await outcome(zodOnly.parseRunDocument(text, file));
      expect(fast, label).toStrictEqual(zod);
      if (!fast.ok) {
        refused += 1;
        expect(fast.error.class, label).toBe('JournalError');
        continue;
      }
      const raw: unknown = JSON.parse(text);
      if (isRunDocument(raw) && !text.includes('__proto__')) accepted += 1;
      else leftToZodThoughValid.push(label);
    }
    console.log(`run documents: ${accepted} accepted without zod, ${refused} refused, ${leftToZodThoughValid.length} left to zod`);
    expect(leftToZodThoughValid).toEqual([
      'unknown top-level key',
      ...eventSamples.map((e) => `${e.type as string} + unknown key`),
      'error + unknown key',
      'run_crashed alerts [{"channel":"x","ok":true,"extra":1}]',
      'input with a "__proto__" key',
      'plan with a "__proto__" key',
      'state with a "__proto__" key',
    ]);
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(300);
  });
});
