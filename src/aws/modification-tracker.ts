import type { WaitCheck } from './wait-for.js';

/**
 * Settings whose described form may differ from the requested one (a KMS key id vs its ARN, a
 * role's path, a new secret) or that the request may leave out (storage values the engine does not take):
 * not used to tell whether a modification shows.
 */
const NOT_COMPARED = new Set([
  'monitoringRoleArn',
  'performanceInsightsKmsKeyId',
  'allocatedStorage',
  'storageType',
  'iops',
  'storageThroughput',
  // A managed master secret is always a new secret (its ARN never matches the captured one).
  'masterUserSecret',
  // Roles are associated by their own calls (AddRoleToDBInstance), not by the modification.
  'associatedRoles',
]);

function shows(wanted: unknown, actual: unknown): boolean {
  if (Array.isArray(wanted) && Array.isArray(actual)) {
    const norm = (list: unknown[]) => JSON.stringify(list.map((v) => JSON.stringify(v)).sort());
    return norm(wanted) === norm(actual);
  }
  return JSON.stringify(wanted) === JSON.stringify(actual);
}

/**
 * ModifyDBInstance and ModifyDBCluster are asynchronous: for a few seconds the resource still
 * reads `available`, with nothing in PendingModifiedValues (API reference: ModifyDBInstance;
 * some settings — monitoring, Performance Insights, security groups — never appear there). A
 * settled wait that trusted that would end before the change began. This remembers what was
 * asked of each resource, and a settled wait ends only when the described settings show it,
 * or the resource has been seen busy since, or the grace period has passed.
 */
export class ModificationTracker {
  private readonly asked = new Map<string, { changes: Record<string, unknown>; since: number; sawBusy: boolean }>();

  /**
   * `graceMs`: how long a resource may look untouched after a modification before that is
   * believed (an emulator that ignores a setting, a value described in another form).
   */
  constructor(
    private readonly graceMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** A modification was requested of `key`. */
  record(key: string, changes: object): void {
    const compared = Object.entries(changes).filter(([name, value]) => value !== undefined && !NOT_COMPARED.has(name));
    if (compared.length === 0) return;
    this.asked.set(key, { changes: Object.fromEntries(compared), since: this.now(), sawBusy: false });
  }

  /** Refines one observation of a settled wait on `key`. */
  check<T extends { config: object }>(key: string, observed: WaitCheck<T>): WaitCheck<T> {
    const asked = this.asked.get(key);
    if (!asked) return observed;
    if (observed.state === 'retry') {
      if (observed.status !== 'not found') asked.sawBusy = true;
      return observed;
    }
    if (observed.state === 'failure') return observed;
    const config = observed.value.config as Record<string, unknown>;
    const visible = Object.entries(asked.changes).every(([name, value]) => shows(value, config[name]));
    if (visible || asked.sawBusy || this.now() - asked.since >= this.graceMs) {
      this.asked.delete(key);
      return observed;
    }
    return { state: 'retry', status: `${observed.status}, the modification not started yet` };
  }
}
