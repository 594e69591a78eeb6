import { fstatSync, writeSync } from 'node:fs';
import { InterruptedError } from '../core/errors.js';

/** Where every message goes: one injected host, so tests can record exactly what a user sees. */
export interface Output {
  /** Results: the summary, tables, the one `--json` document. */
  out(text: string): void;
  /** Progress, notices, errors. */
  err(text: string): void;
  /** Whether stderr is a terminal (spinners) — false in CI and cron. */
  interactive: boolean;
  /** Whether standard input is a terminal (a person can answer a prompt). */
  canPrompt: boolean;
  color: boolean;
  /** Asks a question on the terminal and resolves with the answer. */
  ask(question: string): Promise<string>;
  /** The stream ora draws its spinners on. */
  spinnerStream?: NodeJS.WritableStream | undefined;
}

/** Whether a prompt has read the terminal (readline puts it in raw mode while it asks). */
let prompted = false;

/** True once `ask` has been used: only then may standard input have been left in raw mode. */
export const hasPrompted = (): boolean => prompted;

/** Whether Node's stream for a standard output has been set up (by trapheus, ora or Node itself). */
const streamInUse = { stdout: false, stderr: false };

/**
 * Guards process.stdout and process.stderr when they are first used: a reader that went away
 * (`trapheus runs | head`) is not an error of trapheus — further output is dropped and the
 * command goes on to its end, a run is never cut short by a closed pipe. Node sets the streams
 * up lazily, on first use; from then on `processOutput` writes through them too, in order.
 */
export function guardStandardOutputs(): void {
  for (const name of ['stdout', 'stderr'] as const) {
    const guard = (stream: NodeJS.WriteStream) => {
      streamInUse[name] = true;
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      });
    };
    const original = Object.getOwnPropertyDescriptor(process, name);
    const getter = original?.get?.bind(process);
    if (!original || !getter || !original.configurable) {
      guard(process[name]);
      continue;
    }
    Object.defineProperty(process, name, {
      ...original,
      get() {
        // Node's own getter from now on: it hands out the same stream every time.
        Object.defineProperty(process, name, original);
        const stream = getter() as NodeJS.WriteStream;
        guard(stream);
        return stream;
      },
    });
  }
}

/** A closed pipe: the reader went away (see guardStandardOutputs); the rest of the output is dropped. */
const closed = { stdout: false, stderr: false };

/**
 * Writes a line to standard output or error. Until Node's stream for it exists, straight to the
 * file descriptor, synchronously, as Node's own stream writes to files, terminals and (on
 * Linux) pipes: setting up the stream costs `runs` or `--help` more than all they print. A
 * descriptor that would block (a non-blocking pipe) hands the rest to the stream; a closed one
 * drops it. On Windows, always the stream.
 */
function writeLine(name: 'stdout' | 'stderr', text: string): void {
  if (closed[name]) return;
  if (streamInUse[name] || process.platform === 'win32') {
    process[name].write(text);
    return;
  }
  let bytes = Buffer.from(text);
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(name === 'stdout' ? 1 : 2, bytes));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        process[name].write(bytes);
        return;
      }
      if (code === 'EPIPE') {
        closed[name] = true;
        return;
      }
      throw error;
    }
  }
}

/**
 * False when file descriptor `fd` is certainly not a terminal (a pipe, a file, or closed), told
 * without setting up Node's stream (a terminal is a character device; so is /dev/null, for
 * which the caller then asks the stream as before).
 */
export function mayBeTerminal(fd: 1 | 2): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return false;
  }
}

/** The process's real terminal (or pipes). */
export function processOutput(env: NodeJS.ProcessEnv = process.env): Output {
  // Getters: process.stderr (and stdin) are set up on first use, which `runs` or `--help` need not pay for.
  const interactive = () => Boolean(process.stderr.isTTY) && env.CI !== 'true' && env.TERM !== 'dumb';
  return {
    out: (text) => writeLine('stdout', `${text}\n`),
    err: (text) => writeLine('stderr', `${text}\n`),
    get interactive() {
      return interactive();
    },
    get canPrompt() {
      return Boolean(process.stdin.isTTY) && Boolean(process.stderr.isTTY);
    },
    get color() {
      return interactive() && !noColor(env);
    },
    get spinnerStream() {
      return process.stderr;
    },
    ask: async (question) => {
      prompted = true;
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      // readline reads the terminal raw, where Ctrl-C reaches it, not the process: make it a real interrupt.
      const interrupted = new Promise<never>((_resolve, reject) =>
        rl.once('SIGINT', () => reject(new InterruptedError('Interrupted at the prompt; nothing was changed.'))),
      );
      try {
        return await Promise.race([rl.question(question), interrupted]);
      } finally {
        rl.close();
      }
    },
  };
}

/** NO_COLOR counts when it is present and not empty (https://no-color.org). */
export function noColor(env: NodeJS.ProcessEnv): boolean {
  return (env.NO_COLOR ?? '') !== '';
}

/** What every `--json` document starts with (the full shapes are in json-documents.ts). */
export interface JsonDocumentHead {
  schemaVersion: number;
  command: string | null;
  status: string;
}

/** Writes the one JSON document of `--json`. */
export function printJson(output: Output, document: JsonDocumentHead): void {
  output.out(JSON.stringify(document, null, 2));
}
