import type { ConfigFlags } from '../config/load-config.js';
import type { RunObserver } from '../engine/run-workflow.js';
import type { JournalDeps } from '../workflows/run/crashed-runs.js';
import type { ServiceDeps } from '../workflows/service.js';
import type { GlobalOptions } from './cli-types.js';
import type { Output } from './output.js';

/** What a command needs to be wired: its flags, the environment, the abort signal and the reporter. */
export interface CompositionInput {
  flags: ConfigFlags;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  observer?: RunObserver | undefined;
  /** `--debug`: where to write one line per AWS call (operation, status, request id). */
  debug?: ((line: string) => void) | undefined;
}

/** Builds the service dependencies; tests inject fakes here instead of the AWS SDK. */
export interface DepsFactory {
  service(input: CompositionInput): Promise<ServiceDeps>;
  /** The journal side alone (no AWS call): runs, status, and the crash check of every command. */
  journal(input: Pick<CompositionInput, 'flags' | 'env'>): Promise<JournalDeps>;
}

/** Everything a command reads from the outside world. */
export interface CliContext {
  output: Output;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  version: string;
  deps: DepsFactory;
}

/** The config flags every command passes to the composition root (here, not in command-support.ts: the crash check every command makes loads no terminal library). */
export function flagsOf(globals: GlobalOptions): ConfigFlags {
  return {
    config: globals.config,
    region: globals.region,
    profile: globals.profile,
    journalDir: globals.journalDir,
    state: globals.state,
    logFile: globals.logFile,
  };
}
