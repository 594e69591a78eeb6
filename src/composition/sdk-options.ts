/**
 * Connection and request timeouts of every SDK call: a connection that never opens, or an
 * answer that never comes, becomes a `TimeoutError` — retried by the SDK, and polled through by
 * a wait — instead of hanging the run for ever.
 */
export const HTTP_TIMEOUTS = { connectionTimeoutMs: 5_000, requestTimeoutMs: 60_000 };

/**
 * What every SDK client is built with: region and profile, the SDK's adaptive retries, and the
 * timeouts. A plain object: this module loads no SDK, so the journal-only path can use it.
 */
export function sdkClientOptions(config: { region?: string | undefined; profile?: string | undefined }, timeouts = HTTP_TIMEOUTS) {
  return {
    ...(config.region ? { region: config.region } : {}),
    ...(config.profile ? { profile: config.profile } : {}),
    retryMode: 'adaptive',
    maxAttempts: 4,
    requestHandler: {
      connectionTimeout: timeouts.connectionTimeoutMs,
      // requestTimeout alone only logs a warning unless told to throw; socketTimeout ends a silent socket.
      requestTimeout: timeouts.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.requestTimeoutMs,
    },
  };
}
