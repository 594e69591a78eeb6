import { spawn } from 'node:child_process';
import path from 'node:path';
import { motoEndpoint } from './moto.js';

const root = path.resolve(import.meta.dirname, '../..');
const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

export interface TerminalOptions {
  /** Types `answer` (and Enter) once, when the screen first matches `when`. */
  typed?: { when: RegExp; answer: string } | undefined;
  /** Terminal rows (160 columns); default 50. */
  rows?: number;
  /** Colours on (no NO_COLOR); default off. */
  colour?: boolean;
  /** A hung trapheus is killed after this long, so the assertions show the screen; default 20 s. */
  timeoutMs?: number;
}

/**
 * Runs the built trapheus with `args` in a real pseudo-terminal (util-linux `script`) against
 * moto, and resolves with everything the terminal was sent and trapheus's exit code.
 */
export function screenOf(args: string[], journalDir: string, options: TerminalOptions = {}) {
  const { typed, rows = 50, colour = false, timeoutMs = 20_000 } = options;
  const trapheus = [process.execPath, path.join(root, 'bin/trapheus.js'), ...args].map(quote).join(' ');
  const child = spawn('script', ['-qfec', `stty cols 160 rows ${rows}; ${trapheus}; echo "TRAPHEUS_EXIT=$?"`, '/dev/null'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: journalDir,
      TERM: 'xterm',
      AWS_ENDPOINT_URL: motoEndpoint(),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_EC2_METADATA_DISABLED: 'true',
      TRAPHEUS_JOURNAL_DIR: journalDir,
      ...(colour ? {} : { NO_COLOR: '1' }),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let typedYet = false;
  child.stdout.on('data', (d: Buffer) => {
    screen += d.toString();
    if (typed && !typedYet && typed.when.test(screen)) {
      typedYet = true;
      child.stdin.write(`${typed.answer}\r`);
    }
  });
  setTimeout(() => child.kill('SIGKILL'), timeoutMs).unref();
  return new Promise<{ screen: string; exit: number | undefined }>((resolve) =>
    child.on('close', () => {
      child.stdin.end();
      const exit = /TRAPHEUS_EXIT=(\d+)/.exec(screen)?.[1];
      resolve({ screen, exit: exit === undefined ? undefined : Number(exit) });
    }),
  );
}
