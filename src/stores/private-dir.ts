import { mkdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { PreconditionError, UsageError } from '../core/errors.js';

const HOW_TO_MOVE = 'Point --journal-dir (or journalDir in .trapheusrc.json, or TRAPHEUS_JOURNAL_DIR) at a directory of your own.';

/**
 * Makes sure `dir` is a directory that only the current user can write: a run journal there is
 * executed by `trapheus resume`, so anyone who can plant a file in it could make trapheus act on
 * a database. Missing levels are created one at a time with mode 0700 (never Node's recursive
 * mkdir, which spins forever under /proc). Returns whether the directory exists (it always does
 * after `create`). Throws `UsageError` when it is not a directory or cannot be created (exit 2),
 * `PreconditionError` when it belongs to someone else or group or others may write it (exit 3).
 */
export async function ensurePrivateDir(dir: string, options: { create: boolean; what: string }): Promise<boolean> {
  const target = path.resolve(dir);
  let found = await statOrMissing(target, options.what);
  if (!found) {
    if (!options.create) return false;
    await createLevels(target, options.what);
    found = await statOrMissing(target, options.what);
    if (!found) throw new UsageError(`Could not create the ${options.what} ${target}.`, { hint: HOW_TO_MOVE });
  }
  if (!found.isDirectory()) {
    throw new UsageError(`The ${options.what} ${target} is not a directory.`, { hint: HOW_TO_MOVE });
  }
  assertPrivate(found, target, options.what);
  return true;
}

/** Refuses a file (a run journal, a lock) that the current user does not own: trapheus acts only on what it wrote. */
export function assertOwnFile(info: Stats, file: string, what: string): void {
  const uid = currentUid();
  if (uid === undefined || info.uid === uid) return;
  throw new PreconditionError(`The ${what} ${file} belongs to uid ${info.uid}, not to you (uid ${uid}); trapheus does not act on it.`, {
    hint: `If you trust it, take it over (chown ${uid} ${file}); otherwise remove it.`,
  });
}

function assertPrivate(info: Stats, dir: string, what: string): void {
  const uid = currentUid();
  if (uid !== undefined && info.uid !== uid) {
    throw new PreconditionError(`The ${what} ${dir} belongs to uid ${info.uid}, not to you (uid ${uid}).`, {
      hint: `${HOW_TO_MOVE} If it is yours, take it over: chown ${uid} ${dir} && chmod 700 ${dir}`,
    });
  }
  const writers = [info.mode & 0o020 ? 'group' : '', info.mode & 0o002 ? 'others' : ''].filter(Boolean);
  if (writers.length > 0) {
    throw new PreconditionError(
      `The ${what} ${dir} is writable by ${writers.join(' and ')} (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}): anyone who can write there could make trapheus act on a database.`,
      { hint: `Make it private: chmod 700 ${dir}` },
    );
  }
}

async function statOrMissing(target: string, what: string): Promise<Stats | undefined> {
  try {
    return statSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new UsageError(`The ${what} ${target} is inside a file, not a directory.`, { hint: HOW_TO_MOVE });
    throw new UsageError(`Cannot read the ${what} ${target}: ${code ?? (error as Error).message}.`, { hint: HOW_TO_MOVE });
  }
}

/** Creates the missing levels below the nearest existing ancestor, each one 0700, each one checked. */
async function createLevels(target: string, what: string): Promise<void> {
  const missing: string[] = [];
  let level = target;
  for (;;) {
    const info = await statOrMissing(level, what);
    if (info) {
      if (!info.isDirectory())
        throw new UsageError(`Cannot create the ${what} ${target}: ${level} is not a directory.`, { hint: HOW_TO_MOVE });
      break;
    }
    missing.unshift(level);
    const parent = path.dirname(level);
    if (parent === level) break;
    level = parent;
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue; // another trapheus created it meanwhile: checked below
      throw new UsageError(`Cannot create the ${what} ${target}: ${code ?? (error as Error).message} at ${dir}.`, { hint: HOW_TO_MOVE });
    }
  }
}

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}
