// The rules of `.trapheusrc.json` that JSON Schema cannot carry (cross-field checks, checks of a
// value's meaning) and the region pattern that journal-deps also applies. Each predicate exists once, here, with no zod import: the zod schema
// (config-schema.ts) refines with it, and the fast path of loadConfig (config-fast-path.ts),
// which validates with the JSON Schema compiled at build time, applies it after that validator.

/** What an AWS region looks like (`eu-west-1`, `us-gov-west-1`, `cn-north-1`…); anything else is a typo. */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Hosts a webhook may be posted to over plain http: this machine only (tests, a local relay). */
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Webhooks carry secrets: https only, plain http only to this machine (a string that is no URL is neither). */
export function isSafeWebhookUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.includes(url.hostname));
}
export const SAFE_WEBHOOK_URL_MESSAGE = 'must be an https:// URL (http:// only to localhost, 127.0.0.1 or [::1])';

/** A hook's own environment may not set the variables trapheus sets. */
export function isOwnHookVariable(name: string): boolean {
  return !name.startsWith('TRAPHEUS_');
}
export const OWN_HOOK_VARIABLE_MESSAGE = 'TRAPHEUS_* variables are set by trapheus';

/** The longest delay between two status checks is not shorter than the first. */
export function waitDelaysOrdered(wait: { minDelaySeconds: number; maxDelaySeconds: number }): boolean {
  return wait.maxDelaySeconds >= wait.minDelaySeconds;
}
export const WAIT_DELAYS_MESSAGE = 'wait.maxDelaySeconds must be at least wait.minDelaySeconds';

/** E-mail alerts are configured completely (a sender and at least one recipient) or not at all. */
export function emailAlertsComplete(email: { from?: string | undefined; to: readonly string[] }): boolean {
  return Boolean(email.from) === email.to.length > 0;
}
export const EMAIL_ALERTS_MESSAGE = 'alerts.email needs both "from" and at least one "to" address';
