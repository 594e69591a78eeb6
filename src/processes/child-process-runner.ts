import { spawn, type ChildProcess } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import { COMMAND_OUTPUT_LIMIT, type CommandResult, type CommandRunner, type CommandSpec } from '../engine/command-runner.js';
import type { Clock } from '../time/clock.js';

/** How the runner waits: the timeout, the grace between SIGTERM and SIGKILL, and the drain after the command exits. */
export interface ChildProcessRunnerOptions {
  /** Between SIGTERM and SIGKILL of a process group that ran past its timeout (or was interrupted). */
  killGraceMs?: number;
  /** After the command exits, how long its output may still arrive (a background child may hold the pipes). */
  drainMs?: number;
  /** The environment commands start from (default: trapheus's own). */
  baseEnv?: NodeJS.ProcessEnv;
  /** The most output kept (default `COMMAND_OUTPUT_LIMIT`). */
  outputLimit?: number;
  /**
   * Runs `kill` after `ms` (the SIGKILL after the grace period). Default: a timer that does not
   * keep trapheus running once its work is done (a killed hook's leftovers must not delay exit).
   */
  scheduleKill?: (ms: number, kill: () => void) => void;
}

/** The last `limit` bytes of a stream of chunks, and how many bytes there were in all. */
class OutputTail {
  private chunks: Buffer[] = [];
  private kept = 0;
  total = 0;
  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.kept += chunk.length;
    this.total += chunk.length;
    while (this.chunks.length > 1 && this.kept - (this.chunks[0]?.length ?? 0) >= this.limit) {
      this.kept -= this.chunks.shift()?.length ?? 0;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}

/**
 * The `CommandRunner` of Node's child_process. Each command gets its own process group
 * (`detached`), so a timeout or Ctrl-C stops everything it started — a shell's children too —
 * with SIGTERM, then SIGKILL after a grace period. The timeout and the drain go through the
 * injected clock, so they are tested without waiting; the SIGKILL timer never keeps trapheus alive.
 */
export class ChildProcessRunner implements CommandRunner {
  private readonly killGraceMs: number;
  private readonly drainMs: number;
  private readonly baseEnv: NodeJS.ProcessEnv;
  private readonly outputLimit: number;
  private readonly scheduleKill: (ms: number, kill: () => void) => void;

  constructor(
    private readonly clock: Clock,
    options: ChildProcessRunnerOptions = {},
  ) {
    this.killGraceMs = options.killGraceMs ?? 10_000;
    this.drainMs = options.drainMs ?? 2_000;
    this.baseEnv = options.baseEnv ?? process.env;
    this.outputLimit = options.outputLimit ?? COMMAND_OUTPUT_LIMIT;
    this.scheduleKill = options.scheduleKill ?? ((ms, kill) => void setTimeout(kill, ms).unref());
  }

  async locate(file: string, env: Readonly<Record<string, string>>): Promise<string | undefined> {
    const executable = async (candidate: string): Promise<boolean> => {
      try {
        await access(candidate, constants.X_OK);
        return (await stat(candidate)).isFile();
      } catch {
        return false;
      }
    };
    if (file.includes('/')) return (await executable(file)) ? path.resolve(file) : undefined;
    const searchPath = env.PATH ?? this.baseEnv.PATH ?? '';
    for (const dir of searchPath.split(path.delimiter)) {
      const candidate = path.join(dir || '.', file);
      if (await executable(candidate)) return candidate;
    }
    return undefined;
  }

  run(spec: CommandSpec, options: { signal: AbortSignal; onLine?: ((line: string) => void) | undefined }): Promise<CommandResult> {
    const { signal, onLine } = options;
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    const [file, ...args] = typeof spec.command === 'string' ? ['/bin/sh', '-c', spec.command] : [...spec.command];
    const tail = new OutputTail(this.outputLimit);
    const result = (fields: Partial<CommandResult>): CommandResult => ({
      timedOut: false,
      ...fields,
      output: tail.text(),
      outputBytes: tail.total,
      truncated: tail.total > this.outputLimit,
    });
    if (!file) return Promise.resolve(result({ startError: 'the command is empty' }));

    return new Promise<CommandResult>((resolve, reject) => {
      // Cancels this run's timers once it has ended.
      const timers = new AbortController();
      const later = (ms: number, action: () => void): void => {
        this.clock.sleep(ms, timers.signal).then(action, () => undefined);
      };
      let child: ChildProcess;
      try {
        child = spawn(file, args, { env: { ...this.baseEnv, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      } catch (error) {
        resolve(result({ startError: (error as Error).message }));
        return;
      }
      let settled = false;
      let timedOut = false;
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      const killGroup = (sig: NodeJS.Signals): void => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, sig);
        } catch {
          // The group is gone already.
        }
      };
      const terminate = (): void => {
        killGroup('SIGTERM');
        // Not cancelled when the run ends: a process that ignores SIGTERM may outlive its leader.
        this.scheduleKill(this.killGraceMs, () => killGroup('SIGKILL'));
      };
      const onAbort = (): void => terminate();
      const finish = (): void => {
        if (settled) return;
        settled = true;
        timers.abort();
        signal.removeEventListener('abort', onAbort);
        child.stdout?.destroy();
        child.stderr?.destroy();
        if (signal.aborted) {
          reject(signal.reason as Error);
          return;
        }
        resolve(
          result({
            timedOut,
            ...(exit?.code !== null && exit?.code !== undefined ? { exitCode: exit.code } : {}),
            ...(exit?.signal ? { signal: exit.signal } : {}),
          }),
        );
      };
      const collect = (chunk: Buffer): void => {
        tail.push(chunk);
        if (onLine) for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) onLine(line.trim());
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      child.on('error', (error) => {
        // Spawning failed (ENOENT, EACCES…): no process was started.
        if (child.pid !== undefined || settled) return;
        settled = true;
        timers.abort();
        signal.removeEventListener('abort', onAbort);
        resolve(result({ startError: error.message }));
      });
      child.on('exit', (code, sig) => {
        exit = { code, signal: sig };
        // Output may still be in the pipes; a background child it left may hold them open for ever.
        later(this.drainMs, finish);
      });
      child.on('close', () => {
        exit ??= { code: child.exitCode, signal: child.signalCode };
        finish();
      });
      signal.addEventListener('abort', onAbort, { once: true });
      later(spec.timeoutMs, () => {
        timedOut = true;
        terminate();
      });
    });
  }
}
