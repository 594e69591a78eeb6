import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_OUTPUT_LIMIT } from '../../src/engine/command-runner.js';
import { ChildProcessRunner } from '../../src/processes/child-process-runner.js';
import type { Clock } from '../../src/time/clock.js';

/** A clock whose sleeps end only when the test says so: the timeout fires when the test decides, never by waiting. */
class ManualClock implements Clock {
  readonly pending: { ms: number; resolve: () => void }[] = [];
  now = (): Date => new Date();
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry = { ms, resolve };
      this.pending.push(entry);
      signal?.addEventListener('abort', () => {
        this.pending.splice(this.pending.indexOf(entry), 1);
        reject(signal.reason as Error);
      });
    });
  }
  /** Ends every pending sleep of `ms`. */
  fire(ms: number): void {
    for (const entry of this.pending.filter((p) => p.ms === ms)) {
      this.pending.splice(this.pending.indexOf(entry), 1);
      entry.resolve();
    }
  }
}

const TIMEOUT = 123_000;
const run = (
  runner: ChildProcessRunner,
  command: string | string[],
  env: Record<string, string> = {},
  signal = new AbortController().signal,
) => runner.run({ command, env, timeoutMs: TIMEOUT }, { signal });

/**
 * Whether a process is gone (or a zombie waiting to be reaped: it runs no more). A process that
 * closed its pipes may still be exiting for a moment: asked a few times, a killed one is seen gone.
 */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i += 1) {
    if (await goneNow(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

async function goneNow(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

describe('ChildProcessRunner (real processes)', () => {
  it('runs an argv command without a shell, with the given environment, and keeps its output and exit code', async () => {
    const runner = new ChildProcessRunner(new ManualClock());
    const result = await run(runner, ['/bin/sh', '-c', 'echo "db=$TRAPHEUS_DB_IDENTIFIER"; echo oops >&2; exit 4', 'x'], {
      TRAPHEUS_DB_IDENTIFIER: 'db1-restoring',
    });
    expect(result).toMatchObject({ exitCode: 4, timedOut: false, truncated: false });
    expect(result.output).toContain('db=db1-restoring\n');
    expect(result.output).toContain('oops\n');
    // An argv array is not re-parsed by a shell: "$HOME" reaches the program as written.
    const literal = await run(runner, ['/bin/echo', '$HOME']);
    expect(literal.output).toBe('$HOME\n');
  });

  it('runs a string through /bin/sh -c', async () => {
    const runner = new ChildProcessRunner(new ManualClock());
    const result = await run(runner, 'printf "%s" "$GREETING" | tr a-z A-Z', { GREETING: 'masked' });
    expect(result).toMatchObject({ exitCode: 0, output: 'MASKED' });
  });

  it('keeps only the last 64 KiB of a long output and says so', async () => {
    const runner = new ChildProcessRunner(new ManualClock());
    const result = await run(
      runner,
      'i=0; while [ $i -lt 4000 ]; do echo "line $i of a long masking log ................"; i=$((i+1)); done; echo LAST',
    );
    expect(result.exitCode).toBe(0);
    expect(result.truncated).toBe(true);
    expect(result.outputBytes).toBeGreaterThan(COMMAND_OUTPUT_LIMIT * 2);
    expect(Buffer.byteLength(result.output)).toBe(COMMAND_OUTPUT_LIMIT);
    expect(result.output.endsWith('LAST\n')).toBe(true);
    expect(result.output).not.toContain('line 0 of');
  });

  it('on timeout stops the whole process group (the script and what it started), SIGKILL after the grace period', async () => {
    const clock = new ManualClock();
    const runner = new ChildProcessRunner(clock, {
      killGraceMs: 5_000,
      scheduleKill: (ms, kill) => void clock.sleep(ms).then(kill),
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trapheus-hook-'));
    const script = path.join(dir, 'slow.sh');
    // A child that ignores SIGTERM, and one that does not.
    // It says so once it ignores it, so the timeout cannot come first.
    await writeFile(
      script,
      '#!/bin/sh\nsleep 1000 &\necho "child $!"\nsh -c \'trap "" TERM; echo "stubborn $$"; exec sleep 1000\' &\nwait\n',
    );
    await chmod(script, 0o755);
    const lines: string[] = [];
    let ready!: () => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const pending = runner.run(
      { command: [script], env: {}, timeoutMs: TIMEOUT },
      {
        signal: new AbortController().signal,
        onLine: (line) => {
          lines.push(line);
          if (line.startsWith('stubborn')) ready();
        },
      },
    );
    await started;
    const stubborn = Number(/stubborn (\d+)/.exec(lines.join('\n'))?.[1]);
    clock.fire(TIMEOUT); // the timeout: SIGTERM to the group
    // The script has exited when the runner starts draining its output (its 2 s drain timer).
    while (!clock.pending.some((p) => p.ms === 2_000)) await new Promise((resolve) => setImmediate(resolve));
    expect(await goneNow(stubborn)).toBe(false); // it ignores SIGTERM …
    clock.fire(5_000); // … so the grace period ends with SIGKILL to what is left
    const result = await pending;
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGTERM');
    expect(result.exitCode).toBeUndefined();
    const pids = [...result.output.matchAll(/(?:child|stubborn) (\d+)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(await gone(pid), `pid ${pid}`).toBe(true);
  });

  it('says a command that cannot be started could not be started', async () => {
    const runner = new ChildProcessRunner(new ManualClock());
    const result = await run(runner, ['/nonexistent/mask.sh']);
    expect(result.startError).toContain('ENOENT');
    expect(result.exitCode).toBeUndefined();
  });

  it('stops the process group and rejects with the reason when the run is aborted (Ctrl-C)', async () => {
    const runner = new ChildProcessRunner(new ManualClock());
    const controller = new AbortController();
    let pid = 0;
    const pending = runner.run(
      { command: 'sleep 1000 & echo "child $!"; wait', env: {}, timeoutMs: TIMEOUT },
      {
        signal: controller.signal,
        onLine: (line) => {
          pid = Number(/child (\d+)/.exec(line)?.[1] ?? 0);
          controller.abort(new Error('Interrupted by SIGINT.'));
        },
      },
    );
    await expect(pending).rejects.toThrow('Interrupted by SIGINT.');
    expect(pid).toBeGreaterThan(0);
    expect(await gone(pid)).toBe(true);
  });

  it('locates programs on PATH or at a path, and only executable files', async () => {
    const runner = new ChildProcessRunner(new ManualClock());
    expect(await runner.locate('sh', {})).toMatch(/\/sh$/);
    expect(await runner.locate('no-such-program-for-trapheus', {})).toBeUndefined();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trapheus-hook-'));
    const file = path.join(dir, 'mask.sh');
    await writeFile(file, 'echo hi\n');
    expect(await runner.locate(file, {})).toBeUndefined(); // not executable
    await chmod(file, 0o755);
    expect(await runner.locate(file, {})).toBe(file);
    expect(await runner.locate('mask.sh', { PATH: dir })).toBe(file);
    expect(await runner.locate(dir, {})).toBeUndefined(); // a directory
  });
});
