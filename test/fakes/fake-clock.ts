import type { Clock } from '../../src/time/clock.js';

/** A virtual clock: `sleep` advances time at once and records the delay; nothing waits for real. */
export class FakeClock implements Clock {
  private ms: number;
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

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.ms += ms;
    await Promise.resolve();
    if (signal?.aborted) throw signal.reason;
  }
}
