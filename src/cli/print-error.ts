import { TrapheusError, UsageError } from '../core/errors.js';
import { errorJsonDocument } from './json-documents.js';
import { printJson, type Output } from './output.js';

/** What the command line said about how to report an error. */
export interface ErrorReporting {
  /** The command that failed, when the command line got that far. */
  command?: string | undefined;
  json: boolean;
  /** Stack traces and AWS request ids (`--debug`, or TRAPHEUS_DEBUG set and not empty). */
  debug: boolean;
}

/**
 * Prints a command's error: with `--json` as the one error document on stdout, otherwise as
 * `trapheus: <message>` and its hint on stderr; with `--debug` also every stack trace and AWS
 * request id along the error's causes (what AWS support asks for).
 */
export function printError(error: unknown, how: ErrorReporting, output: Output): void {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof TrapheusError ? error.hint : undefined;
  if (how.json) printJson(output, errorJsonDocument(how.command, { name, message, hint }));
  else {
    // commander already printed its own usage message.
    if (!(error instanceof UsageError && error.cause instanceof Error && error.cause.name === 'CommanderError')) {
      output.err(`trapheus: ${message}`);
    }
    if (hint) output.err(`  ${hint}`);
  }
  // An unexpected error (a bug, not one of trapheus's own) shows its stack without --debug only where it can be read.
  if (how.debug) for (const line of debugLines(error)) output.err(line);
}

/** The stack of an error and of each of its causes, with the AWS request ids the SDK attached. */
export function debugLines(error: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    const ids = requestIdsOf(current);
    lines.push(
      `${depth === 0 ? 'debug:' : 'caused by:'} ${current instanceof Error ? (current.stack ?? current.message) : JSON.stringify(current)}`,
    );
    if (ids) lines.push(`  AWS request id: ${ids}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines;
}

/** `$metadata.requestId` (and S3's extended id) of an AWS SDK error. */
function requestIdsOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata?: { requestId?: string; extendedRequestId?: string } }).$metadata;
  const ids = [metadata?.requestId, metadata?.extendedRequestId && `extended ${metadata.extendedRequestId}`].filter(Boolean);
  return ids.length > 0 ? ids.join(', ') : undefined;
}
