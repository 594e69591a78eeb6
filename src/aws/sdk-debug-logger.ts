/** What the AWS SDK's logger middleware hands a client's logger after each call (src: @aws-sdk/core loggerMiddleware). */
interface CallRecord {
  clientName?: string;
  commandName?: string;
  error?: { name?: string };
  metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string; attempts?: number };
}

const isCall = (value: unknown): value is CallRecord => typeof value === 'object' && value !== null && 'commandName' in value;

/**
 * An SDK client logger for `--debug`: one line per AWS call — client, operation, HTTP status or
 * error, the request id AWS support asks for, and the attempts the SDK's retries took. Inputs and
 * outputs are not printed (they can be large, and hold what the SDK would redact anyway).
 */
export function sdkDebugLogger(write: (line: string) => void) {
  const line = (outcome: 'ok' | 'error') => (record: unknown) => {
    if (!isCall(record)) return;
    const m = record.metadata ?? {};
    const client = (record.clientName ?? '').replace(/Client$/, '');
    const operation = (record.commandName ?? '?').replace(/Command$/, '');
    const result =
      outcome === 'ok'
        ? String(m.httpStatusCode ?? 'ok')
        : `${record.error?.name ?? 'error'}${m.httpStatusCode ? ` (${m.httpStatusCode})` : ''}`;
    const ids = [m.requestId && `request id ${m.requestId}`, m.extendedRequestId && `extended ${m.extendedRequestId}`]
      .filter(Boolean)
      .join(', ');
    write(
      `debug: aws ${client} ${operation} → ${result}${ids ? `, ${ids}` : ''}${(m.attempts ?? 1) > 1 ? `, ${m.attempts} attempts` : ''}`,
    );
  };
  return { debug: () => undefined, info: line('ok'), warn: () => undefined, error: line('error') };
}
