import { CONFIG_KEYS, inKeyOrder, isConfigInput } from '../generated/fast-validators.js';
import type { Config } from './config-schema.js';
import { emailAlertsComplete, isOwnHookVariable, isSafeWebhookUrl, waitDelaysOrdered } from './config-rules.js';

/**
 * The configuration `configSchema.parse(raw)` returns, computed without zod, or undefined when
 * this fast path cannot vouch for it: then zod decides (and explains). It accepts only what the
 * validator generated from the zod schema accepts (defaults filled in as zod fills them) and every
 * rule of config-rules.ts (the zod schema's refinements) accepts; `raw` is left unchanged. A
 * "__proto__" key of a record (JSON.parse makes it an own key; zod's copy of the record does not
 * keep it) is left to zod too.
 */
export function configWithoutZod(raw: Record<string, unknown>): Config | undefined {
  const candidate = structuredClone(raw);
  if (!isConfigInput(candidate)) return undefined;
  const config = candidate as unknown as Config;
  if (!waitDelaysOrdered(config.wait) || !emailAlertsComplete(config.alerts.email)) return undefined;
  if (!config.alerts.slack.webhookUrls.every((url) => isUrlAsIs(url) && isSafeWebhookUrl(url))) return undefined;
  for (const hook of [config.hooks.beforeCutover, config.hooks.afterRestore]) {
    if (hook && (!Object.keys(hook.env).every(isOwnHookVariable) || Object.hasOwn(hook.env, '__proto__'))) return undefined;
  }
  return inKeyOrder(config, CONFIG_KEYS);
}

/**
 * A URL zod's z.url() accepts and returns unchanged: one that parses and that z.url() does not
 * rewrite (it trims white space and deletes tabs and line breaks before parsing). Any other
 * string is left to zod, which may still accept it, rewritten.
 */
function isUrlAsIs(value: string): boolean {
  return value.trim() === value && !/[\t\n\r]/.test(value) && URL.canParse(value);
}
