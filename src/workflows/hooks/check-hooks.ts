import { UsageError } from '../../core/errors.js';
import type { PreflightCheck } from '../../core/run-summary.js';
import type { CommandRunner } from '../../engine/command-runner.js';
import { displayCommand, formatTimeout, HOOK_NAMES, type HookName, type HooksPlan } from './hook-plan.js';

/**
 * rename-first gives the restored copy the original name as soon as it exists: clients can read
 * its data before any hook could run, so a `beforeCutover` hook (masking, anonymising) cannot keep
 * its promise there. Refused before anything is looked at (exit 2).
 */
export function assertHooksFitStrategy(hooks: HooksPlan | undefined, strategy: 'swap' | 'rename-first'): void {
  if (hooks?.beforeCutover && strategy === 'rename-first') {
    throw new UsageError(
      'hooks.beforeCutover needs the swap strategy: with rename-first the restored copy takes the original name as soon as it is created, so clients could read its data before the hook ran.',
      { hint: 'Use --strategy swap (or restore.strategy "swap"), or move the command to hooks.afterRestore.' },
    );
  }
}

/**
 * Read-only preflight of the configured hooks: one check per hook saying what runs, against which
 * name and when; an argv command whose program is not an executable file (on PATH, or at the path
 * given) fails the preflight before anything is changed. A shell string is not looked into.
 */
export async function checkHooks(
  hooks: HooksPlan | undefined,
  runner: CommandRunner | undefined,
  where: Record<HookName, string>,
): Promise<PreflightCheck[]> {
  const checks: PreflightCheck[] = [];
  for (const name of HOOK_NAMES) {
    const hook = hooks?.[name];
    if (!hook) continue;
    const check = `hook ${name}`;
    const shown = displayCommand(hook.command);
    if (!runner) {
      checks.push({ name: check, ok: false, detail: `hooks.${name} is configured, but hooks cannot run here.` });
      continue;
    }
    const program = typeof hook.command === 'string' ? undefined : hook.command[0];
    if (program !== undefined && !(await runner.locate(program, hook.env))) {
      checks.push({
        name: check,
        ok: false,
        detail: `hooks.${name}: ${program} is not an executable file ${program.includes('/') ? 'at that path' : 'on PATH'}. Install it, give its full path, or fix hooks.${name}.command.`,
      });
      continue;
    }
    checks.push({ name: check, ok: true, detail: `${shown} (timeout ${formatTimeout(hook.timeoutSeconds)}) runs ${where[name]}` });
  }
  return checks;
}
