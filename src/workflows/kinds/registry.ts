import { InternalError } from '../../core/errors.js';
import { registerKind, type RegisteredKind } from '../restore/register-kind.js';
import { auroraClusterKind } from './aurora-cluster/cluster-kind.js';
import { instanceKind } from './instance/instance-kind.js';

/** Every kind of database trapheus restores; a new kind is one line here and one folder beside it. */
const KINDS: readonly RegisteredKind[] = [registerKind(instanceKind), registerKind(auroraClusterKind)];

/** The names a request may use for a kind. */
export type KindName = 'instance' | 'aurora-cluster';

/** The kind of that name. */
export function kindNamed(name: KindName): RegisteredKind {
  const kind = KINDS.find((k) => k.name === name);
  if (!kind) throw new InternalError(`No resource kind ${name}.`);
  return kind;
}

/** The kind whose restore (or clone) workflow has this journal name, if any. */
export function kindOfWorkflow(workflow: string): RegisteredKind | undefined {
  return KINDS.find((k) => k.workflow === workflow || k.cloneWorkflow === workflow);
}

/** The kind a journaled run (or a snapshot-only plan) of the first release means by its `cluster` flag. */
export function kindOfFlag(cluster: boolean): RegisteredKind {
  return kindNamed(cluster ? 'aurora-cluster' : 'instance');
}
