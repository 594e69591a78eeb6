import { z } from 'zod';
import { configSchema } from './config-schema.js';

/** The JSON Schema of `.trapheusrc.json`, generated from the zod schema so the two never drift. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input' }),
    title: 'trapheus configuration (.trapheusrc.json)',
  };
}
