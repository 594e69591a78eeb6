/**
 * What StartExportTask accepts, checked before a task is started: moto accepts every request,
 * real RDS does not. Pure functions over the snapshot's engine and the export's settings; the
 * checks that need AWS (a running task, the key policy) are in `check-export-source.ts`.
 */

/** How an engine names what `--tables` (`ExportOnly`) may select. */
export type ExportFamily = 'mysql' | 'postgres';

/**
 * The engines whose snapshots RDS exports, and the `ExportOnly` syntax of each.
 *
 * - RDS User Guide, "Supported Regions and DB engines for exporting snapshots to S3 in Amazon
 *   RDS" (Concepts.RDS_Fea_Regions_DB-eng.Feature.ExportSnapshotToS3): "Exporting snapshots to
 *   S3 is not available for the following engines: RDS for Db2, RDS for Oracle, RDS for SQL
 *   Server"; RDS for MariaDB, MySQL and PostgreSQL: "All available versions" of every major
 *   version listed (no minor-version limit).
 * - API reference, StartExportTask: "You can't export snapshot data from RDS Custom DB
 *   instances" (engines `custom-oracle-*`, `custom-sqlserver-*`).
 * - Aurora User Guide, "Supported Regions and Aurora DB engines for exporting snapshot data to
 *   Amazon S3": "All currently available Aurora MySQL [and Aurora PostgreSQL] engine versions
 *   support exporting DB cluster snapshot data". `aurora` is the engine name of Aurora MySQL
 *   version 1 (MySQL 5.6-compatible).
 *
 * Not checked here (not in a snapshot's description): the region (not every region offers
 * export), and Aurora Serverless v1 clusters, whose snapshots cannot be exported.
 */
const EXPORTABLE: Record<string, ExportFamily> = {
  mysql: 'mysql',
  mariadb: 'mysql',
  aurora: 'mysql',
  'aurora-mysql': 'mysql',
  postgres: 'postgres',
  'aurora-postgresql': 'postgres',
};

/** The export family of an engine name (`postgres`, `aurora-mysql`, …), or undefined if RDS does not export it. */
export function exportFamily(engine: string): ExportFamily | undefined {
  return EXPORTABLE[engine.toLowerCase()];
}

/** What a snapshot must tell for the export checks. `SnapshotInfo` is one. */
export interface ExportSource {
  identifier: string;
  arn: string;
  engine: string;
  storageType?: string | undefined;
}

/** Why RDS would refuse to export this snapshot at all (engine, storage), or nothing. */
export function sourceProblems(source: ExportSource): string[] {
  const problems: string[] = [];
  if (!exportFamily(source.engine)) {
    problems.push(
      `Snapshot ${source.identifier} is of engine ${source.engine}; RDS exports only MySQL, MariaDB, PostgreSQL, ` +
        'Aurora MySQL and Aurora PostgreSQL snapshots (not Oracle, SQL Server, Db2 or RDS Custom).',
    );
  }
  // RDS User Guide, "Exporting DB snapshot data to Amazon S3", Limitations: "Exporting snapshots
  // from databases that use magnetic storage isn't supported." Magnetic is storage type `standard`.
  if (source.storageType?.toLowerCase() === 'standard') {
    problems.push(`Snapshot ${source.identifier} is of a database on magnetic storage (standard); RDS does not export those.`);
  }
  return problems;
}

/** Same source: Limitations: "Exports to S3 don't support S3 prefixes containing a colon (:)." */
export function prefixProblems(prefix: string | undefined): string[] {
  return prefix?.includes(':') ? [`The S3 prefix "${prefix}" contains a colon; RDS exports do not support one.`] : [];
}

/**
 * `ExportOnly` (API reference, StartExportTask): `database`; `database.table` "valid only for
 * RDS for MySQL, RDS for MariaDB, and Aurora MySQL"; `database.schema` and
 * `database.schema.table` "valid only for RDS for PostgreSQL and Aurora PostgreSQL".
 */
const MAX_PARTS: Record<ExportFamily, number> = { mysql: 2, postgres: 3 };
const SYNTAX: Record<ExportFamily, string> = {
  mysql: '`database` or `database.table`',
  postgres: '`database`, `database.schema` or `database.schema.table`',
};

/**
 * RDS User Guide, Limitations: "If a database, schema, or table has characters in its name
 * other than the following, partial export isn't supported": Latin letters, digits, `$`, `_`.
 */
const NAME = /^[A-Za-z0-9$_]+$/;

/** Limitations: "For partial exports, the ExportOnly list has a maximum size of 200 KB" (counted here as its JSON in UTF-8). */
const MAX_EXPORT_ONLY_BYTES = 200 * 1024;

/** Why RDS would refuse these `--tables` names for a snapshot of this engine, or nothing. */
export function tablesProblems(tables: readonly string[] | undefined, engine: string): string[] {
  const family = exportFamily(engine);
  if (!tables?.length || !family) return [];
  const problems: string[] = [];
  for (const name of tables) {
    const parts = name.split('.');
    if (parts.length > MAX_PARTS[family]) {
      problems.push(`--tables "${name}": a ${engine} snapshot takes ${SYNTAX[family]}.`);
    } else if (!parts.every((part) => NAME.test(part))) {
      problems.push(
        `--tables "${name}": partial export takes only names of Latin letters, digits, $ and _ (${SYNTAX[family]}); export the whole snapshot instead.`,
      );
    }
  }
  if (Buffer.byteLength(JSON.stringify(tables), 'utf8') > MAX_EXPORT_ONLY_BYTES) {
    problems.push('--tables: the list is longer than the 200 KB RDS accepts for a partial export.');
  }
  return problems;
}

/**
 * Export task statuses that hold the snapshot: "You can't run multiple export tasks for the same
 * DB snapshot simultaneously" (RDS User Guide, Limitations; Aurora User Guide, the same for DB
 * cluster snapshots). AWS answers upper case, moto lower case.
 */
const RUNNING = new Set(['starting', 'in_progress']);

/** Whether an export task status word means the task is still running. */
export const isRunningExport = (status: string): boolean => RUNNING.has(status.toLowerCase().replace(/[-\s]/g, '_'));
