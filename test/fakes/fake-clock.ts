import type { Clock } from '../../src/time/clock.js';

interface Timer {
  due: number;
  seq: number;
  resolve: () => void;
}

/**
 * A virtual clock: nothing waits for real. `sleep` registers a timer; once every task has
 * gone idle (all pending promise callbacks have run), time jumps to the earliest timer and
 * wakes it. Concurrent sleeps therefore overlap, as they do in real time — two parallel 30 s
 * waits take 30 s, not 60.
 */
export class FakeClock implements Clock {
  private ms: number;
  private readonly timers: Timer[] = [];
  private seq = 0;
  private ticking = false;
  readonly sleeps: number[] = [];

  constructor(start: Date = new Date('2026-01-01T00:00:00.000Z')) {
    this.ms = start.getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  nowMs(): number {
    return this.ms;
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      const timer: Timer = { due: this.ms + ms, seq: (this.seq += 1), resolve };
      const onAbort = () => {
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
        reject(signal?.reason);
      };
      timer.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      this.tick();
    });
  }

  /** After the current callbacks settle (setImmediate), wake the earliest timer. */
  private tick(): void {
    if (this.ticking) return;
    this.ticking = true;
    setImmediate(() => {
      this.ticking = false;
      const timer = this.timers.shift();
      if (!timer) return;
      this.ms = Math.max(this.ms, timer.due);
      timer.resolve();
      if (this.timers.length > 0) this.tick();
    });
  }
}
