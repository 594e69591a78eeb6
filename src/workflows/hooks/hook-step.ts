import { InternalError, StepError } from '../../core/errors.js';
import { isSameResource } from '../../core/resource-identity.js';
import type { CommandResult } from '../../engine/command-runner.js';
import type { Step } from '../../engine/step.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import type { DescribedResource } from '../resources/resource-ops.js';
import { original, primaryOps, restoreName, type RestoreContext } from '../restore/restore-context.js';
import { restoredIdentityOf } from '../restore/restore-plan.js';
import { displayCommand, formatTimeout, HOOK_STEP_IDS, type HookName, type HookRecord } from './hook-plan.js';

/** Where each hook finds the restored copy: before the cut-over under the name it was restored as; after it, under the final name. */
export function hookTargetName(ctx: RestoreContext<unknown, unknown>, name: HookName): string {
  return name === 'beforeCutover' || ctx.command === 'clone' ? restoreName(ctx) : ctx.plan.identifier;
}

/**
 * The environment of a hook: everything about the restored copy a script needs to connect to it
 * (documented in the README, "Hooks"). A variable with no value (no managed secret) is not set.
 */
export function hookEnv(
  ctx: RestoreContext<unknown, unknown>,
  name: HookName,
  copy: DescribedResource<unknown>,
  engine: { engine: string; engineVersion: string },
): Record<string, string> {
  const values: Record<string, string | number | undefined> = {
    TRAPHEUS_HOOK: name,
    TRAPHEUS_COMMAND: ctx.command ?? 'restore',
    TRAPHEUS_RUN_ID: ctx.runId,
    TRAPHEUS_REGION: ctx.region,
    TRAPHEUS_IDENTIFIER: ctx.plan.identifier,
    TRAPHEUS_SNAPSHOT: ctx.plan.snapshotIdentifier,
    TRAPHEUS_DB_KIND: ctx.kind.noun,
    TRAPHEUS_DB_IDENTIFIER: copy.identifier,
    TRAPHEUS_DB_ENDPOINT: copy.endpoint?.address,
    TRAPHEUS_DB_PORT: copy.endpoint?.port,
    TRAPHEUS_DB_ENGINE: engine.engine,
    TRAPHEUS_DB_ENGINE_VERSION: engine.engineVersion,
    TRAPHEUS_MASTER_SECRET_ARN: copy.masterUserSecret?.secretArn,
  };
  return Object.fromEntries(Object.entries(values).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])));
}

/** The end of a hook in a sentence, and whether it succeeded. */
function describeEnd(result: CommandResult, timeoutSeconds: number): { ok: boolean; how: string } {
  if (result.startError !== undefined) return { ok: false, how: `could not be started (${result.startError})` };
  if (result.timedOut) return { ok: false, how: `ran past its timeout of ${formatTimeout(timeoutSeconds)} and was stopped` };
  if (result.signal !== undefined) return { ok: false, how: `was killed by ${result.signal}` };
  if (result.exitCode === 0) return { ok: true, how: 'exited 0' };
  return { ok: false, how: `exited ${result.exitCode ?? '?'}` };
}

/** The last lines of a hook's output, short enough for an error message and an alert. */
function lastLines(output: string, lines = 10, chars = 1500): string {
  const tail = output.trimEnd().split('\n').slice(-lines).join('\n');
  return tail.length > chars ? `…${tail.slice(-chars)}` : tail;
}

/**
 * Runs a configured hook against the restored copy, as a journaled step. Check, then act: a
 * hook whose success is journaled is not run again; one that an earlier session started without
 * journaling its end (the process died mid-hook) runs again, with a warning saying so — hooks
 * must be idempotent. A hook that fails (non-zero exit, killed, timed out, cannot start) fails
 * the step, and the run reverts like after any failure before its point of no return. The copy
 * is told apart from the original by identity: a hook never runs against the original.
 */
export function hookStep<C, M>(
  kind: ResourceKind<C, M>,
  name: HookName,
  spec: { command: string | string[]; timeoutSeconds: number },
): Step<RestoreContext<C, M>> {
  const shown = displayCommand(spec.command);
  return {
    id: HOOK_STEP_IDS[name],
    title: `Run the ${name} hook (${shown}, timeout ${formatTimeout(spec.timeoutSeconds)})`,
    async run(ctx, io) {
      const hook = ctx.plan.hooks?.[name];
      if (!hook) throw new InternalError(`The ${name} hook is not in the run's plan.`);
      const records = (ctx.state.hooks ??= {});
      const previous = records[name];
      if (previous?.endedAt && previous.exitCode === 0) return;
      if (previous && !previous.endedAt) {
        await io.notice(
          'warning',
          `The ${name} hook was started at ${previous.startedAt} by a session that died before its end was journaled; it runs again (hooks must be idempotent).`,
        );
      } else if (previous?.interrupted) {
        await io.notice('info', `The ${name} hook was interrupted at ${previous.endedAt ?? '?'}; it runs again.`);
      }
      const runner = ctx.commands;
      if (!runner) throw new InternalError('No command runner: hooks cannot run here.');

      const target = hookTargetName(ctx, name);
      const copy = await primaryOps(ctx).describe(target);
      if (!copy) throw new StepError(`The restored ${kind.noun} ${target} is not there: the ${name} hook has nothing to run against.`);
      if (isSameResource(copy, original(ctx)) || !isSameResource(copy, restoredIdentityOf(ctx.state))) {
        throw new StepError(`${target} is not the restored copy: the ${name} hook is not run against it.`);
      }
      const env = { ...hook.env, ...hookEnv(ctx, name, copy, kind.describeConfig(copy.config)) };

      const record: HookRecord = {
        command: shown,
        attempts: (previous?.attempts ?? 0) + 1,
        identifier: copy.identifier,
        startedAt: ctx.now().toISOString(),
      };
      records[name] = record;
      // Journaled before it starts: a crash mid-hook is seen by the resume, which says so.
      await io.checkpoint();
      io.status(`running ${shown}`);
      let result: CommandResult;
      try {
        result = await runner.run(
          { command: hook.command, env, timeoutMs: hook.timeoutSeconds * 1000 },
          { signal: io.signal, onLine: (line) => io.status(line.slice(0, 120)) },
        );
      } catch (error) {
        // Interrupted (Ctrl-C): the process group was stopped; the runner journals the interruption.
        records[name] = { ...record, endedAt: ctx.now().toISOString(), interrupted: true };
        throw error;
      }
      const { ok, how } = describeEnd(result, hook.timeoutSeconds);
      records[name] = {
        ...record,
        endedAt: ctx.now().toISOString(),
        ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
        ...(result.signal !== undefined ? { signal: result.signal } : {}),
        ...(result.timedOut ? { timedOut: true } : {}),
        ...(result.startError !== undefined ? { startError: result.startError } : {}),
        output: result.output,
        outputBytes: result.outputBytes,
        ...(result.truncated ? { truncated: true } : {}),
      };
      await io.checkpoint();
      const seconds = Math.round((Date.parse(records[name].endedAt ?? record.startedAt) - Date.parse(record.startedAt)) / 1000);
      const kept = `${result.outputBytes} bytes of output${result.truncated ? ', the last 64 KiB kept' : ''} in the journal`;
      if (ok) {
        await io.notice('info', `The ${name} hook (${shown}) ${how} after ${seconds} s against ${copy.identifier}; ${kept}.`);
        return;
      }
      const tail = lastLines(result.output);
      throw new StepError(`The ${name} hook (${shown}) ${how} against ${copy.identifier}.${tail ? ` Its last output:\n${tail}` : ''}`, {
        hint: `Its output (${kept}) is in \`trapheus status ${ctx.runId} --json\`.`,
      });
    },
  };
}
