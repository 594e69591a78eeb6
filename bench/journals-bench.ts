// npm run bench:journals: what a large journal directory costs (issue 12, point 5). A benchmark,
// not a test: nothing here fails a build.
//
// A directory of N journals (default 5,000) is made from real run documents (restores of the
// fake RDS through the service, as `trapheus restore` journals them), copied under many run ids:
// D databases (default 50), one run every few hours over about two years, and a few unfinished
// runs (failed, interrupted, crashed: they wait for `resume`). Files are laid out as the
// FileJournal keeps them (finished runs in finished/), without N fsyncs. Then, in interleaved
// rounds (each round runs every case once, in a rotating order; figures are medians with their
// spread), on that directory and on an empty one:
//
//   trapheus runs              the built CLI (bin/trapheus.js), spawned: start-up + the listing
//   trapheus runs --all        every run read
//   crash check                detectCrashedRuns, in process: what every command does first
//   new run's check            lockForNewRun of one database, in process: what a restore does first
//
// "Beyond start-up" is a case's time on the N journals minus its time on the empty directory
// (the start-up helper makes start-up itself faster; this bench measures what the journals add).
// Target: `trapheus runs` ≤ 300 ms beyond start-up with 5,000 journals.
// Also measured once: the first command on a directory an older trapheus left (every journal at
// the top), which reads them all and moves the finished ones, and the command after it.
// --before BIN (bin/trapheus.js of an older build) also times that build's `runs` on the same
// journals (all at the top, as it keeps them), for a before/after.
// Options: --journals N, --databases D, --rounds R (default 10), --out FILE, --before BIN.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PreconditionError } from '../src/core/errors.js';
import type { RunDocument } from '../src/engine/run-document.js';
import { FileJournal, FINISHED_DIR } from '../src/stores/file-journal.js';
import { FileLockStore } from '../src/stores/file-lock-store.js';
import { systemClock } from '../src/time/system-clock.js';
import { detectCrashedRuns } from '../src/workflows/run/crashed-runs.js';
import { listRunsWithStanding } from '../src/workflows/run/list-runs.js';
import { lockForNewRun } from '../src/workflows/run/run-lock.js';
import { prepareRestore } from '../src/workflows/run/start-run.js';
import type { ServiceDeps } from '../src/workflows/service.js';
import { instanceWorld } from '../test/workflows/instance-world.js';
import { percentile, quartiles as stats } from './statistics.js';

// Compiled to dist-bench/bench/: the repository is two levels up.
const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin', 'trapheus.js');

const { values } = parseArgs({
  options: {
    journals: { type: 'string', default: '5000' },
    databases: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '10' },
    out: { type: 'string', default: 'bench/journals-results.json' },
    before: { type: 'string' },
  },
});
const journals = Math.max(1, Number(values.journals));
const databases = Math.max(1, Number(values.databases));
const rounds = Math.max(1, Number(values.rounds));
/** Unfinished runs among the journals: one in 500, at least 3 (a failed, an interrupted and a crashed run). */
const unfinishedCount = Math.max(3, Math.round(journals / 500));

/** A real finished restore's journal: the service over the fake RDS, journaled as trapheus does. */
async function realRunDocument(): Promise<RunDocument> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trapheus-journals-template-'));
  try {
    const world = instanceWorld();
    const journal = new FileJournal(dir);
    const deps = { ...world.deps, journal, locks: new FileLockStore(path.join(dir, 'locks')) };
    const prepared = await prepareRestore(deps, { identifier: 'db1', kind: 'instance', snapshot: 's1', freshSnapshot: false });
    if (!prepared.ok) throw new Error(`bench set-up: preflight failed: ${JSON.stringify(prepared.summary.preflight)}`);
    await prepared.start();
    const [doc] = await journal.list();
    if (!doc) throw new Error('bench set-up: the restore left no journal');
    return doc;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const stamp = (ms: number) => {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
};

/** The template under another run id, database and time; `ending` of an unfinished one. */
function copyOf(
  template: RunDocument,
  at: number,
  identifier: string,
  i: number,
  ending?: 'failed' | 'interrupted' | 'crashed',
): RunDocument {
  const shift = at - Date.parse(template.createdAt);
  const moved = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
  const runId = `${stamp(at)}-${identifier}-${(i % 65_536).toString(16).padStart(4, '0')}`;
  let events = template.events.map((e) => ({ ...e, at: moved(e.at) }));
  if (ending) {
    // Stopped half-way: the first half of its steps, then how it stopped.
    events = events.slice(0, Math.max(2, Math.floor(events.length / 2)));
    const last = events[events.length - 1]!.at;
    if (ending === 'failed') events.push({ type: 'run_finished', at: last, status: 'failed' });
    if (ending === 'interrupted') events.push({ type: 'run_interrupted', at: last });
    if (ending === 'crashed') events.push({ type: 'run_crashed', at: last, pid: 1, host: 'bench', alerts: [] });
  }
  const json = JSON.stringify({ ...template, runId, identifier, createdAt: moved(template.createdAt), events }).replaceAll(
    template.identifier,
    identifier,
  );
  return JSON.parse(json) as RunDocument;
}

/** N journals: `databases` databases, one run every few hours over about two years, a few unfinished. */
function journalSet(template: RunDocument): { doc: RunDocument; finished: boolean }[] {
  const end = Date.parse('2026-11-01T00:00:00Z');
  const stepMs = Math.round((2 * 365 * 86_400_000) / journals);
  const unfinishedEvery = Math.floor(journals / unfinishedCount);
  const endings = ['failed', 'interrupted', 'crashed'] as const;
  return Array.from({ length: journals }, (_, i) => {
    const identifier = `orders-db-${(i % databases).toString().padStart(3, '0')}`;
    const ending = i % unfinishedEvery === unfinishedEvery - 1 ? endings[Math.floor(i / unfinishedEvery) % endings.length] : undefined;
    return { doc: copyOf(template, end - i * stepMs, identifier, i, ending), finished: ending === undefined };
  });
}

/** Writes the set as the FileJournal keeps it (`legacy`: every journal at the top, as an older trapheus left them). */
async function writeSet(dir: string, set: { doc: RunDocument; finished: boolean }[], legacy: boolean): Promise<void> {
  await mkdir(path.join(dir, FINISHED_DIR), { recursive: true, mode: 0o700 });
  for (const { doc, finished } of set) {
    const where = finished && !legacy ? path.join(dir, FINISHED_DIR) : dir;
    await writeFile(path.join(where, `${doc.runId}.json`), `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  }
}

/** Wall-clock and CPU (user + system) milliseconds of one case. CPU time is what a busy machine does not inflate. */
interface Timing {
  ms: number;
  cpuMs: number;
}

/** Preloaded into the spawned CLI: writes its own CPU time (start-up included) to fd 3 as it exits. */
const CPU_REPORTER = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); writeSync(3, String((u.user + u.system) / 1000)); });",
)}`;

/** The built CLI, spawned: wall-clock ms from spawn to exit and the process's CPU ms, exit 0 checked. */
function timedCli(args: string[], env: NodeJS.ProcessEnv, entry = bin): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', CPU_REPORTER, entry, ...args], { env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let cpu = '';
    child.stdout!.resume();
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (cpu += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`trapheus ${args.join(' ')} exited ${code}:\n${stderr}`));
      else resolve({ ms, cpuMs: Number(cpu) });
    });
  });
}

/** The journal side of a process on `dir`, fresh (nothing cached between rounds). */
function journalDeps(dir: string): ServiceDeps {
  const deps: Pick<ServiceDeps, 'journal' | 'locks' | 'clock' | 'host' | 'pid'> = {
    journal: new FileJournal(dir),
    locks: new FileLockStore(path.join(dir, 'locks')),
    clock: systemClock,
    host: os.hostname(),
    pid: process.pid,
  };
  return deps as ServiceDeps; // the crash check and lockForNewRun use nothing else
}

async function timedInProcess(work: () => Promise<unknown>): Promise<Timing> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

interface Case {
  name: string;
  /** Runs the case on a directory. */
  run(dir: string): Promise<Timing>;
  /** Target beyond the empty directory, in ms. */
  targetMs?: number;
}

async function main(): Promise<void> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'trapheus-journals-home-'));
  const full = await mkdtemp(path.join(os.tmpdir(), 'trapheus-journals-full-'));
  const empty = await mkdtemp(path.join(os.tmpdir(), 'trapheus-journals-empty-'));
  const legacy = await mkdtemp(path.join(os.tmpdir(), 'trapheus-journals-legacy-'));
  const env = (dir: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: home,
    TRAPHEUS_JOURNAL_DIR: dir,
    CI: 'true',
    NO_COLOR: '1',
  });
  const loadBefore = os.loadavg();
  try {
    const template = await realRunDocument();
    const set = journalSet(template);
    await writeSet(full, set, false);
    const sizes = await Promise.all(
      (await readdir(path.join(full, FINISHED_DIR))).slice(0, 50).map(async (n) => (await stat(path.join(full, FINISHED_DIR, n))).size),
    );
    const meanBytes = Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length);
    // A database with many runs and one unfinished run (as a restore of it would find).
    const db = set.find((s) => !s.finished)!.doc.identifier;

    const cases: Case[] = [
      { name: 'trapheus runs', targetMs: 300, run: (dir) => timedCli(['runs'], env(dir)) },
      { name: 'trapheus runs --all', run: (dir) => timedCli(['runs', '--all'], env(dir)) },
      { name: 'runs listing (in process)', run: (dir) => timedInProcess(() => listRunsWithStanding(journalDeps(dir), 20)) },
      { name: 'runs --all listing (in process)', run: (dir) => timedInProcess(() => listRunsWithStanding(journalDeps(dir))) },
      { name: 'crash check (in process)', run: (dir) => timedInProcess(() => detectCrashedRuns(journalDeps(dir))) },
      {
        name: `new run's check of ${db} (in process)`,
        targetMs: 300,
        // On the N journals it is refused (this database has an unfinished run); on the empty directory it passes.
        run: (dir) =>
          timedInProcess(() =>
            lockForNewRun(journalDeps(dir), 'instance', db, `${stamp(Date.now())}-${db}-beef`).then(
              (release) => release(),
              (error: unknown) => {
                if (!(error instanceof PreconditionError)) throw error;
              },
            ),
          ),
      },
      {
        name: 'new run of a fresh database (in process)',
        run: (dir) =>
          timedInProcess(async () =>
            (await lockForNewRun(journalDeps(dir), 'instance', 'fresh-db', `${stamp(Date.now())}-fresh-db-beef`))(),
          ),
      },
    ];
    const times = new Map<string, { full: Timing[]; empty: Timing[] }>(cases.map((c) => [c.name, { full: [], empty: [] }]));
    // One warm-up round (file system cache), not counted.
    for (const c of cases) {
      await c.run(full);
      await c.run(empty);
    }
    for (let round = 0; round < rounds; round += 1) {
      const order = cases.map((_, i) => cases[(i + round) % cases.length]!);
      for (const c of order) {
        const t = times.get(c.name)!;
        // Alternate which directory goes first.
        if (round % 2 === 0) {
          t.full.push(await c.run(full));
          t.empty.push(await c.run(empty));
        } else {
          t.empty.push(await c.run(empty));
          t.full.push(await c.run(full));
        }
      }
      process.stderr.write(`round ${round + 1}/${rounds}\r`);
    }

    // --before BIN: an older build's `runs` on the same journals at the top (its layout), against an empty directory.
    let before: { empty: Timing[]; full: Timing[] } | undefined;
    if (values.before) {
      const oldDir = await mkdtemp(path.join(os.tmpdir(), 'trapheus-journals-before-'));
      await writeSet(oldDir, set, true);
      before = { empty: [], full: [] };
      await timedCli(['runs'], env(oldDir), values.before);
      for (let round = 0; round < rounds; round += 1) {
        before.full.push(await timedCli(['runs'], env(oldDir), values.before));
        before.empty.push(await timedCli(['runs'], env(empty), values.before));
      }
      await rm(oldDir, { recursive: true, force: true });
    }

    // Once: an older trapheus's directory (every journal at the top): the first command reads them all and moves the finished ones.
    await writeSet(legacy, set, true);
    const legacyFirst = await timedCli(['runs'], env(legacy));
    const legacySecond = await timedCli(['runs'], env(legacy));

    const rows = cases.map((c) => {
      const t = times.get(c.name)!;
      // Beyond the empty directory: per round (the two ran back to back), then the median.
      const beyond = t.full.map((x, i) => x.ms - t.empty[i]!.ms);
      const beyondCpu = t.full.map((x, i) => x.cpuMs - t.empty[i]!.cpuMs);
      return {
        name: c.name,
        wallMs: { empty: stats(t.empty.map((x) => x.ms)), full: stats(t.full.map((x) => x.ms)), beyond: stats(beyond) },
        cpuMs: { empty: stats(t.empty.map((x) => x.cpuMs)), full: stats(t.full.map((x) => x.cpuMs)), beyond: stats(beyondCpu) },
        targetMs: c.targetMs,
        // Met when the journals add at most the target, in CPU time (what the command does) and in wall-clock time.
        met: c.targetMs === undefined ? undefined : percentile(beyondCpu, 50) <= c.targetMs && percentile(beyond, 50) <= c.targetMs,
      };
    });
    const cpus = os.cpus();
    const results = {
      date: new Date().toISOString(),
      machine: {
        cpu: cpus[0]?.model ?? 'unknown',
        cores: cpus.length,
        platform: `${os.platform()} ${os.release()}`,
        node: process.version,
        loadAverage: { before: loadBefore.map((l) => Number(l.toFixed(2))), after: os.loadavg().map((l) => Number(l.toFixed(2))) },
      },
      parameters: { journals, databases, unfinished: unfinishedCount, rounds, meanJournalBytes: meanBytes },
      cases: rows,
      olderLayout: { firstCommand: legacyFirst, nextCommand: legacySecond },
      ...(before
        ? {
            before: {
              bin: values.before,
              wallMs: { empty: stats(before.empty.map((x) => x.ms)), full: stats(before.full.map((x) => x.ms)) },
              cpuMs: { empty: stats(before.empty.map((x) => x.cpuMs)), full: stats(before.full.map((x) => x.cpuMs)) },
            },
          }
        : {}),
    };
    await writeFile(path.resolve(root, values.out), `${JSON.stringify(results, null, 2)}\n`);

    const f = (n: number) => n.toFixed(0);
    const cell = (a: number, b: number, c: number) => `${f(a)} / ${f(b)} / ${f(c)}`.padStart(20);
    const lines = [
      `Journals: ${journals} (${databases} databases, ${unfinishedCount} unfinished, ~${(meanBytes / 1024).toFixed(1)} KiB each), ${rounds} interleaved rounds on ${results.machine.cpu} (${results.machine.cores} cores), Node ${process.version}; load ${loadBefore[0]?.toFixed(1)} → ${os.loadavg()[0]?.toFixed(1)}`,
      'Medians in ms: empty directory / N journals / beyond (per-round difference). CPU = user + system time of the process.',
      '',
      `${'case'.padEnd(44)} ${'wall-clock'.padStart(20)} ${'CPU'.padStart(20)}   target (beyond)`,
      ...rows.map(
        (r) =>
          `${r.name.padEnd(44)} ${cell(r.wallMs.empty.median, r.wallMs.full.median, r.wallMs.beyond.median)} ${cell(r.cpuMs.empty.median, r.cpuMs.full.median, r.cpuMs.beyond.median)}   ${
            r.targetMs === undefined ? '' : `≤ ${r.targetMs} ms: ${r.met ? 'met' : 'NOT met'}`
          }`,
      ),
      '',
      `Older layout (every journal at the top, as before this version): the first command ${f(legacyFirst.ms)} ms (CPU ${f(legacyFirst.cpuMs)}; it reads all and moves the finished), the next ${f(legacySecond.ms)} ms (CPU ${f(legacySecond.cpuMs)}).`,
      ...(results.before
        ? [
            `Before (${values.before}): trapheus runs ${cell(results.before.wallMs.empty.median, results.before.wallMs.full.median, results.before.wallMs.full.median - results.before.wallMs.empty.median)} wall, ${cell(results.before.cpuMs.empty.median, results.before.cpuMs.full.median, results.before.cpuMs.full.median - results.before.cpuMs.empty.median)} CPU.`,
          ]
        : []),
      `Written to ${values.out}.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const dir of [home, full, empty, legacy]) await rm(dir, { recursive: true, force: true });
  }
}

await main();
