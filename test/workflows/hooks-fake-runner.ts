import type { CommandResult, CommandRunner, CommandSpec } from '../../src/engine/command-runner.js';

/** One call of the fake runner: what it was asked to run, and with which environment. */
export interface FakeCall {
  spec: CommandSpec;
  /** `TRAPHEUS_HOOK`, for short. */
  hook: string | undefined;
}

/**
 * A `CommandRunner` that runs nothing: each call is recorded, `onRun` may look at the world at
 * that moment (or throw, or never end), and the result is what `result` says (exit 0 by default).
 */
export class FakeRunner implements CommandRunner {
  readonly calls: FakeCall[] = [];
  /** Programs `locate` does not find. */
  readonly missing = new Set<string>();
  onRun: ((call: FakeCall) => Promise<Partial<CommandResult> | void> | Partial<CommandResult> | void) | undefined;

  async run(spec: CommandSpec, options: { signal: AbortSignal }): Promise<CommandResult> {
    if (options.signal.aborted) throw options.signal.reason as Error;
    const call = { spec, hook: spec.env.TRAPHEUS_HOOK };
    this.calls.push(call);
    const result = (await this.onRun?.(call)) ?? {};
    return { exitCode: 0, timedOut: false, output: `ran ${call.hook ?? '?'}\n`, outputBytes: 8, truncated: false, ...result };
  }

  locate(file: string): Promise<string | undefined> {
    return Promise.resolve(this.missing.has(file) ? undefined : `/usr/bin/${file}`);
  }
}
