import type { CliContext } from '../../src/cli/cli-context.js';
import type { Output } from '../../src/cli/output.js';
import { main } from '../../src/main.js';
import type { ServiceDeps } from '../../src/workflows/service.js';

/** An output host that records everything, standing in for the terminal or a pipe. */
export function recorder(options: { interactive?: boolean; canPrompt?: boolean; answer?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const output: Output = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    interactive: options.interactive ?? false,
    canPrompt: options.canPrompt ?? false,
    color: false,
    ask: async (q) => {
      questions.push(q);
      return options.answer ?? '';
    },
  };
  return { output, out, err, questions };
}

/** The command line over a world's dependencies (fake RDS, in-memory journal and locks). */
export function cliOver(deps: ServiceDeps, rec = recorder(), signal = deps.signal) {
  const ctx: CliContext = {
    output: rec.output,
    env: {},
    signal,
    version: '9.9.9',
    deps: {
      service: async (input) => ({ ...deps, observer: input.observer }),
      journal: async () => deps,
    },
  };
  return { rec, run: (...argv: string[]) => main(argv, ctx) };
}
