/**
 * The major version of an RDS engine version, as RDS groups parameter and option groups
 * (families) and major-version upgrades: PostgreSQL 10 and later by the first number
 * (`16.3` → `16`), Oracle by the first (`19.0.0.0.ru-2024-01.rur-2024-01.r1` → `19`), MySQL,
 * MariaDB, SQL Server and Aurora MySQL by the first two (`8.0.35` → `8.0`,
 * `8.0.mysql_aurora.3.05.2` → `8.0`, `15.00.4345.5.v1` → `15.00`). Source: RDS user guide,
 * "Upgrading a DB instance engine version" (major and minor version upgrades per engine).
 */
export function majorVersion(engine: string, version: string): string {
  const parts = version.split('.');
  const byFirst = engine.includes('postgres') || engine.startsWith('oracle') || engine.startsWith('db2');
  if (byFirst && !(engine.includes('postgres') && Number(parts[0]) < 10)) return parts[0] ?? version;
  return parts.slice(0, 2).join('.');
}
