/**
 * One poller per process: the waits of every run (a fleet's restores share one gateway) ask
 * "describe X" on their own schedules; the batcher collects the identifiers asked within a
 * short window and answers all of them from one DescribeDBInstances (or DescribeDBClusters)
 * with a `db-instance-id` (`db-cluster-id`) Filter listing them.
 *
 * - At most `maxPerCall` identifiers per call (100: one page of the answer, MaxRecords' maximum
 *   — API reference, DescribeDBInstances "MaxRecords: Default 100, Constraints: Minimum 20,
 *   maximum 100"; the Filter's number of values has no documented maximum, and the fetch
 *   follows `Marker` anyway). More identifiers wait for the next call.
 * - Two calls are at least `minIntervalMs` apart (the waits' shortest delay), and after a call
 *   that answered several waits at least `crowdedIntervalMs` (the waits' longest delay): however
 *   many runs wait, the Describe calls per minute stay those of one wait at its longest delay,
 *   independent of the number of runs. A lone wait, whose polls are at least `minIntervalMs`
 *   apart, is never held back beyond `windowMs`; in a crowd a wait may see its resource's new
 *   state up to `crowdedIntervalMs` later. The cut-over's checks have a batcher of their own
 *   with no crowded interval (sdk-rds-gateway.ts `cutover`): shared calls, never a later look.
 * - An identifier absent from the answer is not found (`undefined`) for whoever asked for it;
 *   identifiers compare without case, as RDS compares them. A failed call fails each of its
 *   askers (a wait treats a throttled or network-failed Describe as "no answer" and polls on).
 */
export interface BatcherOptions {
  /** How long the first request of a batch waits for company (default 50 ms). */
  windowMs?: number;
  /** The least time between two calls (default 0). */
  minIntervalMs?: number;
  /** The least time between two calls after one that answered several identifiers (default: minIntervalMs). */
  crowdedIntervalMs?: number;
  /** Identifiers per call (default 100). */
  maxPerCall?: number;
  /** Injectable time: `now` in ms and a timer; by default the system's. */
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => void;
}

interface Waiter<T> {
  resolve: (value: T | undefined) => void;
  reject: (error: unknown) => void;
}

export class DescribeBatcher<T> {
  private readonly pending = new Map<string, Waiter<T>[]>();
  private scheduled = false;
  private lastCallAt = Number.NEGATIVE_INFINITY;
  private lastCallSize = 0;
  private readonly crowdedIntervalMs: number;
  private readonly windowMs: number;
  private readonly minIntervalMs: number;
  private readonly maxPerCall: number;
  private readonly now: () => number;
  private readonly setTimer: (run: () => void, ms: number) => void;

  /**
   * `fetch`: one call describing those of `identifiers` that exist (the gateway's
   * describeInstances / describeClusters); `idOf`: the identifier of an answer's entry.
   */
  constructor(
    private readonly fetch: (identifiers: string[]) => Promise<T[]>,
    private readonly idOf: (entry: T) => string,
    options: BatcherOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 50;
    this.minIntervalMs = options.minIntervalMs ?? 0;
    this.crowdedIntervalMs = options.crowdedIntervalMs ?? this.minIntervalMs;
    this.maxPerCall = Math.max(1, options.maxPerCall ?? 100);
    this.now = options.now ?? (() => Date.now());
    this.setTimer = options.setTimer ?? ((run, ms) => void setTimeout(run, ms));
  }

  /** The resource as the next batched call sees it, or `undefined` when it does not exist. */
  describe(identifier: string): Promise<T | undefined> {
    const key = identifier.toLowerCase();
    return new Promise<T | undefined>((resolve, reject) => {
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.pending.size === 0) return;
    this.scheduled = true;
    const interval = this.lastCallSize > 1 ? this.crowdedIntervalMs : this.minIntervalMs;
    const delay = Math.max(this.windowMs, this.lastCallAt + interval - this.now());
    this.setTimer(() => void this.flush(), delay);
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const keys = [...this.pending.keys()].slice(0, this.maxPerCall);
    const batch = keys.map((key) => [key, this.pending.get(key) ?? []] as const);
    for (const key of keys) this.pending.delete(key);
    this.lastCallAt = this.now();
    this.lastCallSize = keys.length;
    // Whatever was asked meanwhile (or did not fit) goes in the next call.
    this.schedule();
    try {
      const found = new Map((await this.fetch(keys)).map((entry) => [this.idOf(entry).toLowerCase(), entry]));
      for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key));
    } catch (error) {
      for (const [, waiters] of batch) for (const w of waiters) w.reject(error);
    }
  }
}
