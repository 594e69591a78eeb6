import { runSnapshotOnly } from '../../workflows/run/start-run.js';
import type { CliContext } from '../cli-context.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { kindOfFlag, reportRun, serviceFor } from './command-support.js';

/** `trapheus snapshot-only`: a new tagged snapshot, then retention of trapheus's own. */
export async function snapshotCommand(
  opts: { identifier: string; cluster?: boolean; export?: boolean; shareWith?: string },
  globals: GlobalOptions,
  ctx: CliContext,
): Promise<CliResult> {
  const deps = await serviceFor(globals, ctx);
  return reportRun(
    'snapshot-only',
    await runSnapshotOnly(deps, {
      identifier: opts.identifier,
      kind: kindOfFlag(opts.cluster),
      export: opts.export ? {} : undefined,
      shareWith: opts.shareWith?.split(','),
    }),
    globals,
    ctx,
  );
}
