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

/** The process's real terminal (or pipes). */
export function processOutput(env: NodeJS.ProcessEnv = process.env): Output {
  // Getters: process.stderr (and stdin) are set up on first use, which `runs` or `--help` need not pay for.
  const interactive = () => Boolean(process.stderr.isTTY) && env.CI !== 'true' && env.TERM !== 'dumb';
  return {
    out: (text) => void process.stdout.write(`${text}\n`),
    err: (text) => void process.stderr.write(`${text}\n`),
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
