/**
 * One virtual time line for everything a simulated run touches: the simulated RDS (which reads
 * `Date.now`), the production waiter (`createWaiter` sleeps with the global `setTimeout` and
 * reads `Date.now` for its deadline), the SDK's retry backoff (global `setTimeout`), and the
 * engine's `Clock` (`VirtualTime.clock`). Fake timers replace `setTimeout`, `clearTimeout` and
 * `Date`; `run` settles a promise by firing the next timer whenever everything else is idle, so
 * a 20-minute restore runs in milliseconds and nothing waits in real time.
 *
 * The fake-timer library is pluggable and vitest is not required: `vitestTimers(vi)` in tests,
 * `sinonTimers()` (the @sinonjs/fake-timers that vitest's own fake timers are built on) anywhere.
 */
import { withGlobal } from '@sinonjs/fake-timers';
import type { Clock } from '../../src/time/clock.js';

/** What the driver needs of a fake-timer library. */
export interface FakeTimers {
  /** Fakes setTimeout, clearTimeout and Date, starting at `nowMs`. */
  install(nowMs: number): void;
  /** Fires the earliest pending timer, moving the clock to it; false when none is pending. */
  next(): boolean;
  uninstall(): void;
}

/** The part of vitest's `vi` used (passed in, so that this module does not import vitest). */
export interface ViTimers {
  useFakeTimers(config?: { toFake?: ('setTimeout' | 'clearTimeout' | 'Date')[]; now?: number | Date }): unknown;
  advanceTimersToNextTimer(steps?: number): unknown;
  getTimerCount(): number;
  useRealTimers(): unknown;
}

const FAKED = ['setTimeout', 'clearTimeout', 'Date'] as const;

/** Fake timers through vitest: `new VirtualTime(vitestTimers(vi))`. */
export function vitestTimers(vi: ViTimers): FakeTimers {
  return {
    install: (now) => void vi.useFakeTimers({ toFake: [...FAKED], now }),
    next: () => {
      if (vi.getTimerCount() === 0) return false;
      vi.advanceTimersToNextTimer();
      return true;
    },
    uninstall: () => void vi.useRealTimers(),
  };
}

/** Fake timers through @sinonjs/fake-timers directly: for the bench and other non-vitest code. */
export function sinonTimers(): FakeTimers {
  let clock: ReturnType<ReturnType<typeof withGlobal>['install']> | undefined;
  return {
    install: (now) => {
      clock = withGlobal(globalThis).install({ now, toFake: [...FAKED] });
    },
    next: () => {
      if (!clock || clock.countTimers() === 0) return false;
      clock.next();
      return true;
    },
    uninstall: () => {
      clock?.uninstall();
      clock = undefined;
    },
  };
}

/** Limits of one `run`. */
export interface RunLimits {
  /** Fail if virtual time moves further than this (ms); default 7 days. */
  maxVirtualMs?: number;
  /** Fail if the work stays pending with no timer left for this long in real time (ms); default 2000. */
  stuckAfterRealMs?: number;
}

const idle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A virtual time line; see the module comment. Start one per test, `stop()` it after. */
export class VirtualTime {
  /** The engine's Clock on this time line: `sleep` is a (fake) setTimeout, honouring the abort signal. */
  readonly clock: Clock = {
    now: () => new Date(Date.now()),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };

  private running = false;
  private readonly restoreSetTimeout: () => void;

  constructor(
    private readonly timers: FakeTimers,
    start: Date = new Date('2026-01-01T00:00:00.000Z'),
  ) {
    timers.install(start.getTime());
    // Node runs a delay below 1 ms (0.9999, 0, NaN) after 1 ms; the fake timers run it at once,
    // without moving the clock. The SDK's adaptive rate limiter sleeps fractions of a
    // millisecond until its token bucket refills — by the clock — so it would spin forever.
    const fake = globalThis.setTimeout;
    const schedule = fake as unknown as (handler: () => void, delay: number, ...args: unknown[]) => unknown;
    const clamped = (handler: () => void, delay?: number, ...args: unknown[]) =>
      schedule(handler, typeof delay === 'number' && delay >= 1 ? delay : 1, ...args);
    globalThis.setTimeout = clamped as unknown as typeof setTimeout;
    this.restoreSetTimeout = () => {
      if (globalThis.setTimeout === (clamped as unknown as typeof setTimeout)) globalThis.setTimeout = fake;
    };
  }

  /** Virtual now, in ms. */
  now(): number {
    return Date.now();
  }

  /**
   * Settles `work`: lets every pending callback run (real `setImmediate` turns: promise chains,
   * streams), and when the work still waits, fires the next timer (jumping virtual time to it).
   * Concurrent waits overlap as they would in real time. One `run` at a time.
   */
  async run<T>(work: Promise<T> | (() => Promise<T>), limits: RunLimits = {}): Promise<T> {
    if (this.running) throw new Error('VirtualTime.run is already driving the clock.');
    this.running = true;
    const promise = typeof work === 'function' ? work() : work;
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    const startedAt = this.now();
    const maxVirtualMs = limits.maxVirtualMs ?? 7 * 24 * 3600 * 1000;
    const stuckAfter = limits.stuckAfterRealMs ?? 2000;
    let idleSince: number | undefined;
    let spins = 0;
    try {
      while (!settled) {
        for (let i = 0; i < 5 && !settled; i += 1) await idle();
        if (settled) break;
        const before = this.now();
        if (this.timers.next()) {
          idleSince = undefined;
          spins = this.now() === before ? spins + 1 : 0;
          if (spins > 100_000) throw new Error('VirtualTime.run: timers keep firing without time moving on (a zero-delay loop).');
          if (this.now() - startedAt > maxVirtualMs)
            throw new Error(`VirtualTime.run: still pending after ${maxVirtualMs / 3600000} h of virtual time.`);
          continue;
        }
        // No timer: the work waits on something real (I/O) or on nothing at all.
        idleSince ??= performance.now();
        if (performance.now() - idleSince > stuckAfter)
          throw new Error('VirtualTime.run: the work is pending with no timer scheduled (stuck).');
      }
    } finally {
      this.running = false;
    }
    return promise;
  }

  /** Moves virtual time forward by `ms`, firing the timers due on the way. */
  async advance(ms: number): Promise<void> {
    await this.run(new Promise<void>((resolve) => setTimeout(resolve, ms)));
  }

  /** Restores the real timers. */
  stop(): void {
    this.restoreSetTimeout();
    this.timers.uninstall();
  }
}
