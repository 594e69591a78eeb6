import type { RDSClient } from '@aws-sdk/client-rds';

/**
 * RDS throttles API requests per account and region with a token bucket: "By default, you can
 * make up to 300 requests in a burst and a sustained 12 requests per second" (RDS user guide,
 * "Request throttling for the Amazon RDS API",
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-api-throttling.html). Describe calls
 * count like any other. trapheus keeps its own process below that, so that other tools of the
 * account (the console, monitoring, infrastructure as code) keep their share.
 */
export const RDS_ACCOUNT_LIMIT = { sustainedPerSecond: 12, burst: 300 } as const;

/** trapheus's default: 10 requests/s, no burst on top. */
export const DEFAULT_MAX_REQUESTS_PER_SECOND = 10;

/**
 * The default burst: one request. Requests are then spaced 1/rate apart, so no second (a half-open
 * window) ever sees more than the rate: the budget is a ceiling, not an average (issue 14: the peak
 * request rate never above the budget).
 */
export const DEFAULT_BURST = 1;

export interface RateBudgetOptions {
  /** Requests per second, sustained. */
  ratePerSecond: number;
  /** Requests that may go at once after a quiet spell; default `DEFAULT_BURST`. */
  burst?: number | undefined;
  /** Milliseconds now; default `Date.now`. */
  now?: (() => number) | undefined;
  /** Waits `ms`; default a `setTimeout`. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/**
 * A token bucket over every RDS request of the process: at most `burst` + `ratePerSecond` × t
 * requests start in any t seconds. Each request reserves its slot when it asks (the bucket may
 * go below zero) and waits for it on its own, so requests go out in the order they asked and a
 * caller that stops waiting (aborted, or a test world torn down) holds nobody else up.
 */
export class RateBudget {
  private rate: number;
  private burst: number;
  private tokens: number;
  private last: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Requests that had to wait for their slot, and how long in all (ms). */
  readonly stats = { requests: 0, delayed: 0, delayedMs: 0 };

  constructor(options: RateBudgetOptions) {
    this.rate = positive(options.ratePerSecond);
    this.burst = Math.max(1, options.burst ?? DEFAULT_BURST);
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.tokens = this.burst;
    this.last = this.now();
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  /** A new rate (and the burst that goes with it, unless given); what is already reserved stays. */
  setRate(ratePerSecond: number, burst?: number): void {
    this.refill();
    this.rate = positive(ratePerSecond);
    this.burst = Math.max(1, burst ?? DEFAULT_BURST);
    this.tokens = Math.min(this.tokens, this.burst);
  }

  /** The wait (ms) before one more request may go, reserving its slot. */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    this.stats.requests += 1;
    if (this.tokens >= 0) return 0;
    const ms = Math.ceil((-this.tokens / this.rate) * 1000);
    this.stats.delayed += 1;
    this.stats.delayedMs += ms;
    return ms;
  }

  /** Resolves when one more request may go. */
  async take(): Promise<void> {
    const ms = this.reserve();
    if (ms > 0) await this.sleep(ms);
  }

  private refill(): void {
    const now = this.now();
    if (now < this.last) {
      // The clock went back (another time line: fake timers of a new test world): start afresh.
      this.tokens = this.burst;
      this.last = now;
      return;
    }
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }
}

function positive(rate: number): number {
  if (!Number.isFinite(rate) || rate <= 0) throw new RangeError(`A request rate must be a positive number, not ${rate}.`);
  return rate;
}

let processBudget: RateBudget | undefined;

/**
 * The one budget of this process, shared by every RDS client (and every run of a fleet): made at
 * the first call, at `ratePerSecond` (default `DEFAULT_MAX_REQUESTS_PER_SECOND`); a later call
 * with a rate sets it.
 */
export function processRateBudget(ratePerSecond?: number): RateBudget {
  if (!processBudget) processBudget = new RateBudget({ ratePerSecond: ratePerSecond ?? DEFAULT_MAX_REQUESTS_PER_SECOND });
  else if (ratePerSecond !== undefined && ratePerSecond !== processBudget.ratePerSecond) processBudget.setRate(ratePerSecond);
  return processBudget;
}

const MIDDLEWARE = 'trapheusRateBudget';

/**
 * Makes every request of `client` wait for its slot in `budget`, once per client (a client that
 * has a budget keeps it). In the `finalizeRequest` step after the SDK's retry middleware, so each
 * attempt — a retry too — takes a token, as each counts against RDS's limit.
 */
export function installRateBudget(client: RDSClient, budget: RateBudget): void {
  if (client.middlewareStack.identify().some((entry) => entry.startsWith(`${MIDDLEWARE} `))) return;
  client.middlewareStack.add(
    (next) => async (args) => {
      await budget.take();
      return next(args);
    },
    { step: 'finalizeRequest', name: MIDDLEWARE, priority: 'low', tags: ['RATE_BUDGET'] },
  );
}
