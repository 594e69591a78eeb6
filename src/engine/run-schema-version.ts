/** The only journal schema version this build reads and writes (run-document.ts holds the schema; this module loads no zod). */
export const RUN_SCHEMA_VERSION = 1;
