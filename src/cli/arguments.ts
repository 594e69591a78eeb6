import { InvalidArgumentError } from 'commander';

/**
 * An RDS identifier (DB instance, cluster or snapshot id, or a snapshot ARN) as given on the
 * command line: refused when empty, and lower-cased — RDS stores and compares identifiers in
 * lower case, so `UP1` and `up1` are one database, one lock and one run history.
 */
export function rdsIdentifierArg(flag: string): (value: string) => string {
  return (value) => {
    const trimmed = value.trim();
    if (trimmed === '') throw new InvalidArgumentError(`${flag} must not be empty.`);
    return trimmed.toLowerCase();
  };
}

/**
 * `--identifier a,b,c`: one identifier, or a comma-separated list of them (a fleet), each
 * trimmed and lower-cased as by `rdsIdentifierArg`; an empty entry is refused. One identifier
 * comes back exactly as `rdsIdentifierArg` gives it.
 */
export function rdsIdentifierListArg(flag: string): (value: string) => string {
  const one = rdsIdentifierArg(flag);
  return (value) => {
    const parts = value.split(',');
    if (parts.length > 1 && parts.some((p) => p.trim() === ''))
      throw new InvalidArgumentError(`${flag} has an empty entry in "${value}"; separate identifiers with single commas.`);
    return parts.map(one).join(',');
  };
}

/** A whole number of at least 1 (`--concurrency`). */
export function positiveIntegerArg(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value.trim());
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a whole number of at least 1 (got "${value}").`);
    return n;
  };
}
