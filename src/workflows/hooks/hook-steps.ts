import type { Step } from '../../engine/step.js';
import type { ResourceKind } from '../kinds/resource-kind.js';
import type { RestoreContext } from '../restore/restore-context.js';
import type { HooksPlan } from './hook-plan.js';
import { hookStep } from './hook-step.js';

/** The hook steps a plan asks for (each an empty list when its hook is not configured). */
export function hookSteps<C, M>(
  kind: ResourceKind<C, M>,
  hooks: HooksPlan | undefined,
): { beforeCutover: Step<RestoreContext<C, M>>[]; afterRestore: Step<RestoreContext<C, M>>[] } {
  return {
    beforeCutover: hooks?.beforeCutover ? [hookStep(kind, 'beforeCutover', hooks.beforeCutover)] : [],
    afterRestore: hooks?.afterRestore ? [hookStep(kind, 'afterRestore', hooks.afterRestore)] : [],
  };
}
