import type { RunSummary } from '../../core/run-summary.js';
import type { RunDocument } from '../../engine/run-document.js';
import type { RunnerDeps } from '../../engine/run-workflow.js';
import type { BoundWorkflow } from '../bound-workflow.js';
import type { RunResult, ServiceDeps } from '../service.js';
import { bindWorkflow } from '../workflow-registry.js';
import { summarizeDoc } from './read-runs.js';
import { alertRunEnd } from './run-alerts.js';

/** How this session runs the journaled workflow: as it stands, or reverted on request (`trapheus abort`), after a look first. */
export type ExecuteOptions = Pick<RunnerDeps, 'revert' | 'confirm'>;

/** The runner's dependencies, from the service's. */
export function runnerDeps(deps: ServiceDeps, options: ExecuteOptions = {}): RunnerDeps {
  return {
    journal: deps.journal,
    clock: deps.clock,
    retry: {
      attempts: deps.config.retry.attempts,
      baseDelayMs: deps.config.retry.baseDelaySeconds * 1000,
      factor: 2,
      maxDelayMs: deps.config.retry.maxDelaySeconds * 1000,
    },
    signal: deps.signal,
    observer: deps.observer,
    pid: deps.pid,
    host: deps.host,
    ...options,
  };
}

/** Runs the journaled workflow, says where things stand, and alerts (unless `confirm` declined: then nothing happened). */
export async function execute(
  deps: ServiceDeps,
  doc: RunDocument,
  options: ExecuteOptions = {},
  bound: BoundWorkflow = bindWorkflow(doc),
): Promise<RunResult> {
  const outcome = await bound.run(
    { rds: deps.rds, exports: deps.exports, commands: deps.commands, now: () => deps.clock.now() },
    runnerDeps(deps, options),
  );
  if (outcome.declined) return { outcome, summary: summarizeDoc(doc, outcome, bound) };
  const situation = await bound.situation(deps.lookup ?? deps.rds, outcome);
  const summary: RunSummary = { ...summarizeDoc(doc, outcome, bound), situation };
  await alertRunEnd(deps, doc, summary, bound.resourceArn());
  return { outcome, summary };
}
