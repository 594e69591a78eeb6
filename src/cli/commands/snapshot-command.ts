import { runSnapshotOnly } from '../../workflows/run/start-run.js';
import type { ServiceDeps } from '../../workflows/service.js';
import { parseShareWith } from '../../workflows/snapshot/share-snapshot-step.js';
import type { CliContext } from '../cli-context.js';
import type { CliResult, GlobalOptions } from '../cli-types.js';
import { kindOfFlag, reportRun, serviceFor } from './command-support.js';
import { fleetCommand, fleetIdentifiers, isFleet, singleIdentifier, type FleetFlags } from './fleet-support.js';

/** `trapheus snapshot-only` options; `--identifier a,b,c`, `--identifiers-file` or `--tag`: a fleet. */
export type SnapshotOptions = FleetFlags & { cluster?: boolean; export?: boolean; shareWith?: string };

/** `trapheus snapshot-only`: a new tagged snapshot, then retention of trapheus's own. */
export async function snapshotCommand(opts: SnapshotOptions, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  if (isFleet(opts)) return snapshotFleet(opts, globals, ctx);
  const identifier = singleIdentifier(opts);
  const deps = await serviceFor(globals, ctx);
  return reportRun(
    'snapshot-only',
    await runSnapshotOnly(deps, {
      identifier,
      kind: kindOfFlag(opts.cluster),
      export: opts.export ? {} : undefined,
      shareWith: opts.shareWith?.split(','),
    }),
    globals,
    ctx,
  );
}

/** One snapshot-only run per database of the fleet (README: Fleets). */
async function snapshotFleet(opts: SnapshotOptions, globals: GlobalOptions, ctx: CliContext): Promise<CliResult> {
  const kind = kindOfFlag(opts.cluster);
  let deps: ServiceDeps | undefined;
  const service = async () => (deps ??= await serviceFor(globals, ctx));
  const ids = await fleetIdentifiers(opts, kind, service);
  const shareWith = opts.shareWith?.split(',');
  parseShareWith(shareWith); // bad usage (exit 2) before any run
  return fleetCommand(
    'snapshot-only',
    opts,
    ids,
    await service(),
    async (runDeps, identifier) =>
      (await runSnapshotOnly(runDeps, { identifier, kind, export: opts.export ? {} : undefined, shareWith })).summary,
    globals,
    ctx,
  );
}
