import { z } from 'zod';

const at = z.string().datetime();
const errorInfo = z.object({ name: z.string(), message: z.string() });

/** One entry of a run's event log; the log is append-only and is the truth a resume starts from. */
export const runEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run_started'), at, pid: z.number(), host: z.string() }),
  z.object({ type: z.literal('run_resumed'), at, pid: z.number(), host: z.string() }),
  z.object({ type: z.literal('step_started'), at, stepId: z.string(), attempt: z.number().int().positive() }),
  z.object({ type: z.literal('step_succeeded'), at, stepId: z.string() }),
  z.object({
    type: z.literal('step_failed'),
    at,
    stepId: z.string(),
    attempt: z.number().int().positive(),
    error: errorInfo,
    willRetry: z.boolean(),
  }),
  z.object({ type: z.literal('rollback_started'), at, stepId: z.string(), error: errorInfo }),
  z.object({ type: z.literal('compensation_started'), at, stepId: z.string(), attempt: z.number().int().positive() }),
  z.object({ type: z.literal('compensation_succeeded'), at, stepId: z.string() }),
  z.object({
    type: z.literal('compensation_failed'),
    at,
    stepId: z.string(),
    attempt: z.number().int().positive(),
    error: errorInfo,
    willRetry: z.boolean(),
  }),
  z.object({
    type: z.literal('notice'),
    at,
    level: z.enum(['info', 'warning']),
    message: z.string(),
    stepId: z.string().optional(),
  }),
  z.object({ type: z.literal('run_interrupted'), at }),
  /** Written by a later trapheus that found the run's process gone (kill -9, OOM, reboot); `alerts`: how the one alert fared. */
  z.object({
    type: z.literal('run_crashed'),
    at,
    pid: z.number(),
    host: z.string(),
    alerts: z.array(z.object({ channel: z.string(), ok: z.boolean() })),
  }),
  z.object({ type: z.literal('run_finished'), at, status: z.enum(['succeeded', 'rolled_back', 'failed']) }),
]);

/** A journaled run event. */
export type RunEvent = z.infer<typeof runEventSchema>;

/** The final state of a run as the user sees it. */
export type RunStatus = 'succeeded' | 'rolled_back' | 'failed' | 'interrupted' | 'running';

/** A run event before its timestamp is stamped by the runner. */
export type UnstampedRunEvent = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'at'> : never) : never;
