// npm run bench:startup: how fast the built CLI (bin/trapheus.js over dist/) starts, side by side
// with `node -e 0` on the same machine at the same moment. A benchmark, not a test: nothing
// here fails a build. Rounds are interleaved (each round runs every case once, in a rotating
// order) so that a busy moment of the machine weighs on every case alike; each case's figure is
// the median over the rounds, with its spread (p25–p75, min–max), and its ratio to `node -e 0`
// is the median of the per-round ratios. A second pass per round measures each process's CPU time
// (user + system), which a busy machine inflates far less than wall-clock time. Prints a table,
// writes bench/startup-results.json.
// Options: --rounds N (default 15), --journals N (default 5), --out FILE.
//
// Cases (targets of issue 12, point 4):
//   node -e 0                              the floor: Node itself
//   trapheus --version                     ≤ 1.3 × node -e 0
//   trapheus runs                          ≤ 1.6 × (a journal directory with a few finished restores)
//   trapheus restore --help                ≤ 1.5 ×
//   … runs / restore --help, no compile cache   the same with NODE_DISABLE_COMPILE_CACHE=1, as the
//                                          first start of a new build is (no target)
//   restore: first AWS call                ≤ 0.6 s from spawn to the first request of
//                                          `trapheus restore --identifier db1 --dry-run`, which a
//                                          loopback HTTP server (AWS_ENDPOINT_URL) records and
//                                          answers with DBInstanceNotFound.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { finishedRestores } from '../test/workflows/finished-journals.js';
import { quartiles as stats } from './statistics.js';

// Compiled to dist-bench/bench/: the repository is two levels up.
const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin', 'trapheus.js');

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    journals: { type: 'string', default: '5' },
    out: { type: 'string', default: 'bench/startup-results.json' },
  },
});
const rounds = Math.max(1, Number(values.rounds));
const journals = Math.max(0, Number(values.journals));

/** One case: how to start it, and what it is measured against. */
interface Case {
  name: string;
  /** The target ratio to `node -e 0`, or the target in milliseconds (absolute). */
  target?: { ratio: number } | { ms: number };
  run(): Promise<number>;
  /** The CPU pass (absent: the case is a moment within a process, not a process). */
  cpu?: () => Promise<number>;
}

/**
 * Loaded first (--import) in the CPU pass: at exit, the process's own CPU time (user + system,
 * since it started) on file descriptor 3. A busy machine stretches wall-clock time, much less
 * the CPU time a start-up needs. Not in the wall-clock pass, whose figures it would add to.
 */
const CPU_PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); writeSync(3, String((u.user + u.system) / 1000)); });",
)}`;

/** CPU milliseconds of one run of `args` (see CPU_PRELOAD). */
function cpuOf(args: string[], env: NodeJS.ProcessEnv, expectCodes: number[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', CPU_PRELOAD, ...args], { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let cpu = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (cpu += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (!expectCodes.includes(code ?? -1) || cpu === '') reject(new Error(`${args.join(' ')} (CPU pass) exited ${code}:\n${stderr}`));
      else resolve(Number(cpu));
    });
  });
}

/** Milliseconds from spawn to exit (or to `until`, if given), and the exit code checked. */
function timed(args: string[], env: NodeJS.ProcessEnv, expectCodes: number[], until?: Promise<number>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ended = performance.now();
      if (!expectCodes.includes(code ?? -1)) {
        reject(new Error(`${args.slice(1).join(' ')} exited ${code}, expected ${expectCodes.join(' or ')}:\n${stderr}`));
        return;
      }
      if (!until) resolve(ended - started);
      else
        until.then(
          (at) => resolve(at - started),
          (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
        );
    });
  });
}

/** A loopback "AWS" that notes when each process's first request arrives and answers DBInstanceNotFound (query protocol). */
async function fakeAws(): Promise<{ server: Server; url: string; nextFirstRequest(): Promise<number> }> {
  let waiting: ((at: number) => void) | undefined;
  const server = createServer((req, res) => {
    const at = performance.now();
    req.resume();
    req.on('end', () => {
      waiting?.(at);
      waiting = undefined;
      res.writeHead(404, { 'content-type': 'text/xml' });
      res.end(
        '<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type>' +
          '<Code>DBInstanceNotFound</Code><Message>DBInstance db1 not found.</Message></Error><RequestId>bench</RequestId></ErrorResponse>',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    nextFirstRequest: () => new Promise<number>((resolve) => (waiting = resolve)),
  };
}

/** A journal directory with `count` finished restores of db1 (real journals: the service over the fake RDS). */
async function journalDir(count: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trapheus-startup-'));
  await finishedRestores(dir, count);
  return dir;
}

async function main(): Promise<void> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'trapheus-startup-home-'));
  await mkdir(path.join(home, '.aws'), { recursive: true });
  const journal = await journalDir(journals);
  const aws = await fakeAws();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    TRAPHEUS_JOURNAL_DIR: journal,
    AWS_ENDPOINT_URL: aws.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    CI: 'true',
  };
  const noCache: NodeJS.ProcessEnv = { ...env, NODE_DISABLE_COMPILE_CACHE: '1' };
  const cases: Case[] = [
    ...(
      [
        ['node -e 0', ['-e', '0'], undefined],
        ['trapheus --version', [bin, '--version'], 1.3],
        ['trapheus runs', [bin, 'runs'], 1.6],
        ['trapheus restore --help', [bin, 'restore', '--help'], 1.5],
        // The first start of a build (or every start with the cache off): everything compiled afresh.
        ['trapheus runs, no compile cache', [bin, 'runs'], undefined, noCache],
        ['trapheus restore --help, no compile cache', [bin, 'restore', '--help'], undefined, noCache],
      ] as const
    ).map(([name, args, ratio, caseEnv]): Case => ({
      name,
      ...(ratio ? { target: { ratio } } : {}),
      run: () => timed([...args], caseEnv ?? env, [0]),
      cpu: () => cpuOf([...args], caseEnv ?? env, [0]),
    })),
    {
      name: 'restore: first AWS call',
      target: { ms: 600 },
      // DBInstanceNotFound: the preflight fails (exit 3) after its first call; the time is to that call.
      run: () => timed([bin, 'restore', '--identifier', 'db1', '--dry-run'], env, [3], aws.nextFirstRequest()),
    },
  ];
  const loadBefore = os.loadavg();
  const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const ratios = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const cpuTimes = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const cpuRatios = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  try {
    // One warm-up round (file system cache), not counted.
    for (const c of cases) await c.run();
    for (let round = 0; round < rounds; round += 1) {
      const order = cases.map((_, i) => cases[(i + round) % cases.length]!);
      const got = new Map<string, number>();
      for (const c of order) got.set(c.name, await c.run());
      const floor = got.get('node -e 0')!;
      for (const c of cases) {
        times.get(c.name)!.push(got.get(c.name)!);
        ratios.get(c.name)!.push(got.get(c.name)! / floor);
      }
      const cpu = new Map<string, number>();
      for (const c of order) if (c.cpu) cpu.set(c.name, await c.cpu());
      const cpuFloor = cpu.get('node -e 0')!;
      for (const [name, ms] of cpu) {
        cpuTimes.get(name)!.push(ms);
        cpuRatios.get(name)!.push(ms / cpuFloor);
      }
      process.stderr.write(`round ${round + 1}/${rounds}\r`);
    }
    process.stderr.write('\n');
  } finally {
    aws.server.close();
    await rm(journal, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  }
  const rows = cases.map((c) => {
    const ms = stats(times.get(c.name)!);
    const ratio = stats(ratios.get(c.name)!);
    const target = c.target;
    const met = !target ? undefined : 'ratio' in target ? ratio.median <= target.ratio : ms.median <= target.ms;
    const cpu = c.cpu ? { ms: stats(cpuTimes.get(c.name)!), ratio: stats(cpuRatios.get(c.name)!) } : undefined;
    return { name: c.name, ms, ratio, target, met, cpu };
  });
  const cpus = os.cpus();
  const results = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()}`,
      node: process.version,
      loadAverage: { before: loadBefore.map((l) => Number(l.toFixed(2))), after: os.loadavg().map((l) => Number(l.toFixed(2))) },
    },
    parameters: { rounds, journals },
    cases: rows,
  };
  await writeFile(path.resolve(root, values.out), `${JSON.stringify(results, null, 2)}\n`);

  const f = (n: number) => n.toFixed(0);
  const lines = [
    `Start-up, ${rounds} interleaved rounds on ${results.machine.cpu} (${results.machine.cores} cores), Node ${process.version}; load ${loadBefore[0]?.toFixed(1)} → ${os.loadavg()[0]?.toFixed(1)}`,
    '',
    `${''.padEnd(42)}${'wall clock'.padStart(51)}${'CPU time'.padStart(22)}`,
    `${'case'.padEnd(42)}${'median ms'.padStart(10)}${'p25–p75'.padStart(14)}${'min–max'.padStart(14)}${'× node -e 0'.padStart(13)}${'median ms'.padStart(11)}${'× node -e 0'.padStart(13)}  target (wall clock)`,
  ];
  for (const r of rows) {
    const target = !r.target ? '' : 'ratio' in r.target ? `≤ ${r.target.ratio}×` : `≤ ${r.target.ms} ms`;
    lines.push(
      `${r.name.padEnd(42)}${f(r.ms.median).padStart(10)}${`${f(r.ms.p25)}–${f(r.ms.p75)}`.padStart(14)}${`${f(r.ms.min)}–${f(r.ms.max)}`.padStart(14)}${r.ratio.median.toFixed(2).padStart(13)}${(r.cpu ? f(r.cpu.ms.median) : '–').padStart(11)}${(r.cpu ? r.cpu.ratio.median.toFixed(2) : '–').padStart(13)}  ${target}${r.met === undefined ? '' : r.met ? ' met' : ' NOT met'}`,
    );
  }
  lines.push('', `Wrote ${values.out}.`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
