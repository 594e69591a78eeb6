import type { ExportGateway, ExportTaskInfo } from '../../aws/export-gateway.js';
import { StepError } from '../../core/errors.js';
import type { Clock } from '../../time/clock.js';

const DONE = 'complete';
const FAILED = new Set(['failed', 'canceled', 'canceling']);

/** Export task statuses are upper case in AWS (`COMPLETE`) and lower case in some emulators. */
export const exportStatusIs = (task: ExportTaskInfo, status: string): boolean => task.status.toLowerCase() === status;

/**
 * Follows an export task to its end, reporting status and percent; a failed or canceled task
 * is an error carrying its failure cause.
 */
export async function followExport(
  exports: ExportGateway,
  taskId: string,
  options: {
    clock: Clock;
    delayMs: number;
    maxWaitMs: number;
    signal?: AbortSignal | undefined;
    onProgress?: (task: ExportTaskInfo) => void;
  },
): Promise<ExportTaskInfo> {
  const deadline = options.clock.now().getTime() + options.maxWaitMs;
  for (;;) {
    const [task] = await exports.describeExportTasks(taskId);
    if (!task) throw new StepError(`Export task ${taskId} was not found.`);
    options.onProgress?.(task);
    if (exportStatusIs(task, DONE)) return task;
    if (FAILED.has(task.status.toLowerCase())) {
      throw new StepError(`Export task ${taskId} ${task.status.toLowerCase()}${task.failureCause ? `: ${task.failureCause}` : ''}.`);
    }
    if (options.clock.now().getTime() + options.delayMs > deadline)
      throw new StepError(`Export task ${taskId} is still ${task.status} after the maximum wait.`);
    await options.clock.sleep(options.delayMs, options.signal);
  }
}
