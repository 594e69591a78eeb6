/** The most of a command's output (stdout and stderr together) that is kept: the last 64 KiB. */
export const COMMAND_OUTPUT_LIMIT = 64 * 1024;

/**
 * A command to run: an argv array is executed as is (no shell), a string through `/bin/sh -c`.
 * `env` is added to the environment trapheus runs with (it wins over it).
 */
export interface CommandSpec {
  command: string | readonly string[];
  env: Readonly<Record<string, string>>;
  /** After this long the command's whole process group is stopped (SIGTERM, then SIGKILL). */
  timeoutMs: number;
}

/** How a command ended. Exactly one of `exitCode`, `signal` or `startError` says why. */
export interface CommandResult {
  /** The exit code, when it exited on its own. */
  exitCode?: number | undefined;
  /** The signal that ended it (after a timeout: the one trapheus sent). */
  signal?: string | undefined;
  /** It could not be started at all (no such file, not executable…). */
  startError?: string | undefined;
  /** trapheus stopped it because it ran past its timeout. */
  timedOut: boolean;
  /** The last `COMMAND_OUTPUT_LIMIT` bytes of stdout and stderr, interleaved as they came (UTF-8). */
  output: string;
  /** How many bytes it wrote in all. */
  outputBytes: number;
  /** Whether `output` lost its beginning to the limit. */
  truncated: boolean;
}

/**
 * Runs a command in its own process group, with a timeout, keeping the tail of its output.
 * Resolves however the command ends (a failure is a result, not an exception); rejects only
 * with the abort reason when `signal` aborts (Ctrl-C) — after it has stopped the process group.
 */
export interface CommandRunner {
  run(spec: CommandSpec, options: { signal: AbortSignal; onLine?: ((line: string) => void) | undefined }): Promise<CommandResult>;
  /**
   * Where `file` (an argv array's first element) would be found — a path as is, a bare name on
   * PATH (with `env`'s PATH if it sets one) — or undefined if it is not an executable file there.
   */
  locate(file: string, env: Readonly<Record<string, string>>): Promise<string | undefined>;
}
