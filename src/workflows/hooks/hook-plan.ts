import { z } from 'zod';
import type { Config } from '../../config/config-schema.js';
import type { HookSummary } from '../../core/run-summary.js';

/** The hooks a run may have, in the order they run. */
export const HOOK_NAMES = ['beforeCutover', 'afterRestore'] as const;
/** The name of a hook, as in the config (`hooks.<name>`). */
export type HookName = (typeof HOOK_NAMES)[number];

/** Journal keys of the hook steps (never rename one that has shipped). */
export const HOOK_STEP_IDS: Record<HookName, string> = { beforeCutover: 'hook-before-cutover', afterRestore: 'hook-after-restore' };

const hookSpecSchema = z.object({
  command: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  timeoutSeconds: z.number().positive(),
  env: z.record(z.string(), z.string()).default({}),
});
/** One hook as journaled in a run's plan: what runs is what the run was started with, also on resume. */
export type HookSpec = z.infer<typeof hookSpecSchema>;

/** The hooks of a run, taken from the config once, when the run is planned. */
export const hooksPlanSchema = z.object({ beforeCutover: hookSpecSchema.optional(), afterRestore: hookSpecSchema.optional() });
export type HooksPlan = z.infer<typeof hooksPlanSchema>;

/** What one hook did, journaled in the run's state: set before it starts (a crash mid-hook is seen), completed when it ends. */
export const hookRecordSchema = z.object({
  command: z.string(),
  /** Sessions that started it (a resumed run that found it unfinished starts it again). */
  attempts: z.number().int().positive(),
  /** Where it ran: the restored copy's identifier then. */
  identifier: z.string(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  exitCode: z.number().int().optional(),
  signal: z.string().optional(),
  timedOut: z.boolean().optional(),
  /** Stopped by Ctrl-C / SIGTERM: the run was interrupted, a resume runs it again. */
  interrupted: z.boolean().optional(),
  startError: z.string().optional(),
  /** The last 64 KiB of its stdout and stderr. */
  output: z.string().optional(),
  outputBytes: z.number().int().nonnegative().optional(),
  /** `output` lost its beginning to the 64 KiB bound. */
  truncated: z.boolean().optional(),
});
export type HookRecord = z.infer<typeof hookRecordSchema>;

/** The hook records of a run, by hook name. */
export const hookRecordsSchema = z.record(z.string(), hookRecordSchema);

/** The configured hooks, for a new run's plan; undefined when none is configured. */
export function planHooks(config: Config): HooksPlan | undefined {
  const { beforeCutover, afterRestore } = config.hooks;
  if (!beforeCutover && !afterRestore) return undefined;
  return { ...(beforeCutover ? { beforeCutover } : {}), ...(afterRestore ? { afterRestore } : {}) };
}

/** A command as a person would type it: a string as is, an argv array with shell quoting where needed. */
export function displayCommand(command: string | readonly string[]): string {
  if (typeof command === 'string') return command;
  return command.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** `600 s` → `10 min`. */
export function formatTimeout(seconds: number): string {
  return seconds % 60 === 0 && seconds >= 60 ? `${seconds / 60} min` : `${seconds} s`;
}

/** The hook records of a run as summaries show them, in the order hooks run. */
export function summarizeHooks(records: Record<string, HookRecord> | undefined): HookSummary[] {
  return HOOK_NAMES.flatMap((name) => {
    const record = records?.[name];
    return record ? [{ name, ...record }] : [];
  });
}
