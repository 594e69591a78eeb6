import { sdkClientOptions } from './sdk-options.js';

/** Short: the account only names where a preflight looked, it is never worth a long wait. */
const STS_TIMEOUTS = { connectionTimeoutMs: 3_000, requestTimeoutMs: 10_000 };

/**
 * The account the credentials belong to (STS GetCallerIdentity, which needs no IAM permission:
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html), asked once
 * and only when wanted; the STS client is imported then. Never fails: `{}` when it cannot tell.
 */
export function callerAccount(
  target: { region: string; profile?: string | undefined },
  signal?: AbortSignal,
): () => Promise<{ account?: string | undefined }> {
  let asking: Promise<{ account?: string | undefined }> | undefined;
  return () =>
    (asking ??= (async () => {
      try {
        const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
        const client = new STSClient({ ...sdkClientOptions(target, STS_TIMEOUTS), maxAttempts: 2 });
        const out = await client.send(new GetCallerIdentityCommand({}), signal ? { abortSignal: signal } : {});
        return out.Account ? { account: out.Account } : {};
      } catch {
        return {};
      }
    })());
}
