/**
 * For the tests of the simulation itself: a simulated RDS behind a real RDSClient, the
 * production gateway over it, virtual time, and assertions on the errors the SDK raises.
 */
import { installRateBudget, RateBudget } from '../../src/aws/rate-budget.js';
import type { RDSClient } from '@aws-sdk/client-rds';
import { expect } from 'vitest';
import { SdkRdsGateway } from '../../src/aws/sdk-rds-gateway.js';
import type { WaitSettings } from '../../src/aws/wait-for.js';
import { simulatedRdsClient } from './install-simulated-rds.js';
import { SimulatedRds, type SimulatedRdsOptions } from './simulated-rds.js';
import { VirtualTime, type FakeTimers } from './virtual-time.js';

export interface SimKit {
  time: VirtualTime;
  sim: SimulatedRds;
  client: RDSClient;
  gateway: SdkRdsGateway;
  /** Settles a promise on virtual time. */
  run<T>(work: Promise<T>): Promise<T>;
  /** The error a promise rejects with (on virtual time); fails the test if it resolves. */
  failure(work: Promise<unknown>): Promise<unknown>;
  stop(): void;
}

/** The waits of the sim's tests: the config's defaults (5–30 s), 6 hours at most. */
export const KIT_WAITS: WaitSettings = { minDelaySeconds: 5, maxDelaySeconds: 30, maxWaitSeconds: 6 * 3600 };

export function simKit(timers: FakeTimers, options: SimulatedRdsOptions = {}, waits: WaitSettings = KIT_WAITS): SimKit {
  const time = new VirtualTime(timers);
  const sim = new SimulatedRds(options);
  const client = simulatedRdsClient(sim);
  installRateBudget(client, new RateBudget({ ratePerSecond: 10 }));
  const gateway = new SdkRdsGateway(client, waits);
  const run = <T>(work: Promise<T>) => time.run(work);
  const failure = async (work: Promise<unknown>) => {
    try {
      await time.run(work);
    } catch (error) {
      return error;
    }
    throw new Error('Expected the request to be refused, and it was accepted.');
  };
  return { time, sim, client, gateway, run, failure, stop: () => time.stop() };
}

/** The shape of an SDK service exception. */
interface SdkError {
  name: string;
  Code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Asserts that `error` is the SDK's exception for RDS's `code`: a modeled class is named after
 * the class (`DBInstanceNotFoundFault` for the wire code `DBInstanceNotFound`), an unmodeled one
 * after the code itself; `Code` keeps the wire code, `$fault` and the HTTP status follow it.
 */
export function expectRdsError(error: unknown, code: string, options: { name?: string; status?: number } = {}): void {
  expect(error).toBeInstanceOf(Error);
  const e = error as SdkError;
  expect(e.name).toBe(options.name ?? code);
  expect(e.Code).toBe(code);
  const status = options.status ?? 400;
  expect(e.$metadata?.httpStatusCode).toBe(status);
  expect(e.$fault).toBe(status >= 500 ? 'server' : 'client');
}
