import type { ExportGateway } from '../aws/export-gateway.js';
import type { RdsGateway } from '../aws/rds-gateway.js';
import { JournalError } from '../core/errors.js';
import type { ConfigDifference, HookSummary, SourceSummary } from '../core/run-summary.js';
import type { CommandRunner } from '../engine/command-runner.js';
import type { RunDocument } from '../engine/run-document.js';
import type { RunnerDeps, RunOutcome } from '../engine/run-workflow.js';
import type { Step } from '../engine/step.js';
import type { ExportState } from './export/export-plan.js';
import type { Downtime } from './restore/restore-plan.js';

/** The gateways a bound workflow's steps act through. */
export interface StepGateways {
  rds: RdsGateway;
  exports?: ExportGateway | undefined;
  now: () => Date;
  /** Runs hooks (absent: a run with hooks fails at its first hook step). */
  commands?: CommandRunner | undefined;
}

/**
 * A workflow rebuilt from its journal — the same steps, over the journaled plan and the
 * journaled state, both validated when the run was loaded — with typed readers of that state.
 */
export interface BoundWorkflow {
  /** The steps (for plans and summaries: id, title, downtime marker). */
  readonly steps: readonly Pick<Step<never>, 'id' | 'title' | 'causesDowntime'>[];
  /** Runs (or resumes) the workflow over the run document. */
  run(gateways: StepGateways, runner: RunnerDeps): Promise<RunOutcome>;
  snapshotIdentifier: string | undefined;
  /** Restores: where the data comes from. */
  source?: SourceSummary | undefined;
  configDifferences(): ConfigDifference[];
  exportState(): ExportState | undefined;
  downtime(): Downtime | undefined;
  /** The restored copy's own managed master secret, once it has one (restores only). */
  masterUserSecretArn?(): string | undefined;
  /** The ARN of the database the run acts on, once captured (alerts name its account). */
  resourceArn(): string | undefined;
  /** `clone`: the new database. */
  target?: string | undefined;
  /** What each hook did, in the order they ran (restores and clones). */
  hooks?(): HookSummary[];
  /** Sentences saying where the database stands after `outcome` (may describe resources: read-only). */
  situation(rds: RdsGateway, outcome: RunOutcome): Promise<string[]>;
}

/**
 * Validates a journaled plan or state with the workflow's own schema: a journal that does not
 * fit is refused rather than guessed at.
 */
export function parseJournaled<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  value: unknown,
  doc: RunDocument,
  what: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new JournalError(`The ${what} in run ${doc.runId} is not a valid ${doc.workflow} ${what}.`, {
      hint: 'Use the trapheus version that started this run, or inspect the journal file.',
    });
  }
  return parsed.data;
}
