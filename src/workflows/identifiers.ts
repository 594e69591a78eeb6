import { createHash } from 'node:crypto';
import { UsageError } from '../core/errors.js';

/** RDS's longest DB instance / cluster identifier. */
export const MAX_DB_IDENTIFIER_LENGTH = 63;
/** RDS's longest snapshot identifier. */
export const MAX_SNAPSHOT_IDENTIFIER_LENGTH = 255;

/**
 * Why `identifier` is not a valid RDS DB instance or cluster identifier, or `undefined` if it
 * is: 1–63 letters, digits or hyphens; starts with a letter; no two consecutive hyphens; does
 * not end with a hyphen.
 */
export function invalidIdentifierReason(identifier: string, max = MAX_DB_IDENTIFIER_LENGTH): string | undefined {
  if (identifier.length === 0) return 'it is empty';
  if (identifier.length > max) return `it is ${identifier.length} characters long (at most ${max})`;
  if (!/^[A-Za-z]/.test(identifier)) return 'it must start with a letter';
  if (/[^A-Za-z0-9-]/.test(identifier)) return 'it may contain only letters, digits and hyphens';
  if (identifier.includes('--')) return 'it must not contain two consecutive hyphens';
  if (identifier.endsWith('-')) return 'it must not end with a hyphen';
  return undefined;
}

/**
 * `<identifier><suffix>`, shortened with a hash of the identifier when it would not fit in
 * `max` characters, so that long names still get a valid, stable, collision-resistant name.
 */
export function derivedIdentifier(identifier: string, suffix: string, max = MAX_DB_IDENTIFIER_LENGTH): string {
  const plain = `${identifier}${suffix}`;
  if (plain.length <= max) return plain;
  const hash = createHash('sha256').update(identifier).digest('hex').slice(0, 6);
  const room = max - suffix.length - hash.length - 1;
  const stem = identifier.slice(0, room).replace(/-+$/, '');
  return `${stem}-${hash}${suffix}`;
}

/** A UTC timestamp usable inside identifiers: `20261124-114501`. */
export function identifierTimestamp(date: Date): string {
  const iso = date.toISOString(); // 2026-11-24T11:45:01.123Z
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

/** The bare snapshot identifier of an id or an ARN (`arn:aws:rds:…:snapshot:name`). */
export function snapshotNameOf(identifierOrArn: string): string {
  return identifierOrArn.startsWith('arn:') ? identifierOrArn.slice(identifierOrArn.lastIndexOf(':') + 1) : identifierOrArn;
}

/** Name of a snapshot trapheus takes of `identifier` at `now`. */
export function newSnapshotIdentifier(identifier: string, now: Date): string {
  return derivedIdentifier(`trapheus-${identifier}`, `-${identifierTimestamp(now)}`, MAX_SNAPSHOT_IDENTIFIER_LENGTH);
}

/** Throws `UsageError` (exit 2) if the identifier cannot be an RDS identifier at all. */
export function assertValidIdentifier(identifier: string): void {
  const reason = invalidIdentifierReason(identifier);
  if (reason) {
    throw new UsageError(`"${identifier}" is not a valid RDS identifier: ${reason}.`, {
      hint: 'Pass the DB instance or cluster identifier exactly as the RDS console shows it (--identifier).',
    });
  }
}
