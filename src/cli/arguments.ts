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
