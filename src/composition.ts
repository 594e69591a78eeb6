import os from 'node:os';
import { RDSClient } from '@aws-sdk/client-rds';
import { SdkRdsGateway } from './aws/sdk-rds-gateway.js';
import type { LoadedConfig } from './config/load-config.js';
import type { CompositionInput } from './cli/cli-context.js';
import { ChildProcessRunner } from './processes/child-process-runner.js';
import { systemClock } from './time/system-clock.js';
import type { ServiceDeps } from './workflows/service.js';
import { resolveAwsTarget } from './composition/aws-target.js';
import { buildAlerts, buildJournalDeps } from './composition/journal-deps.js';
import { LazyExportGateway } from './composition/lazy-exports.js';
import { sdkDebugLogger } from './aws/sdk-debug-logger.js';
import { sdkClientOptions } from './composition/sdk-options.js';
import { callerAccount } from './composition/who-am-i.js';

// The composition root of the commands that call AWS. Only the RDS client is imported here; S3
// and KMS (exports), SES (e-mail alerts) and STS (the account a preflight names) are imported
// with import() where first used. The journal side (runs, status, the crash check) is
// src/composition/journal-deps.ts and loads no SDK at all.
export { buildJournalDeps, buildRunStore } from './composition/journal-deps.js';
export { HTTP_TIMEOUTS, sdkClientOptions } from './composition/sdk-options.js';

/**
 * The one place that builds SDK clients, the journal, the clock and the service dependencies.
 * The profile and region are checked before anything is built (resolveAwsTarget): an unknown
 * profile or no region is a usage error, not an SDK error at the first call. The SDK's own retry
 * strategy handles throttling and network errors; the engine retries only domain states. No
 * endpoint is forced, so AWS_ENDPOINT_URL works as for the AWS CLI. Every RDS call carries the
 * run's abort signal, so Ctrl-C stops a call in flight.
 */
export async function buildServiceDeps(input: CompositionInput): Promise<ServiceDeps & { loaded: LoadedConfig }> {
  const { loaded, journal, locks } = await buildJournalDeps(input);
  const { config } = loaded;
  const target = await resolveAwsTarget(loaded, input.env);
  const { region } = target;
  // --debug: every AWS call with its request id, from the SDK's own logger middleware.
  const clientConfig = { ...sdkClientOptions(target), ...(input.debug ? { logger: sdkDebugLogger(input.debug) } : {}) };
  const client = new RDSClient(clientConfig);
  const waits = {
    minDelaySeconds: config.wait.minDelaySeconds,
    maxDelaySeconds: config.wait.maxDelaySeconds,
    maxWaitSeconds: config.wait.maxWaitMinutes * 60,
  };
  const rds = new SdkRdsGateway(client, waits, input.signal, config.rds.maxRequestsPerSecond);
  return {
    loaded,
    rds,
    // No abort signal: after Ctrl-C the situation report still looks (the hard exit deadline bounds it).
    lookup: new SdkRdsGateway(client, waits),
    journal,
    locks,
    clock: systemClock,
    config,
    region,
    whoAmI: callerAccount(target, input.signal),
    signal: input.signal,
    observer: input.observer,
    host: os.hostname(),
    pid: process.pid,
    exports: new LazyExportGateway(async () => {
      const [{ S3Client }, { KMSClient }, { SdkExportGateway }] = await Promise.all([
        import('@aws-sdk/client-s3'),
        import('@aws-sdk/client-kms'),
        import('./aws/sdk-export-gateway.js'),
      ]);
      return new SdkExportGateway(new S3Client(clientConfig), new KMSClient(clientConfig), client, input.signal);
    }),
    stateBucket: async () => {
      const [{ S3Client }, { SdkStateBucket }] = await Promise.all([import('@aws-sdk/client-s3'), import('./aws/s3-state-bucket.js')]);
      return new SdkStateBucket(new S3Client(clientConfig));
    },
    commands: new ChildProcessRunner(systemClock),
    alerts: buildAlerts(config, region),
  };
}
