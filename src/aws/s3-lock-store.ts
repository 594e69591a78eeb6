import { randomUUID } from 'node:crypto';
import { JournalError, PreconditionError } from '../core/errors.js';
import { LockHeldError, type LockOwner, type LockStore } from '../engine/journal.js';
import type { Clock } from '../time/clock.js';
import type { S3StateObjects, StateObject } from './s3-state-objects.js';

/** A lock in S3: who holds it and until when. Renewed while its run lives; once expired, anyone may take it over. */
export interface Lease extends LockOwner {
  /** When the lease ends unless renewed (ISO). */
  expiresAt: string;
  /** The lease length its holder renews by, in seconds. */
  leaseSeconds: number;
  /** Unique to one acquisition: tells a holder its own lease from a taker's (and a lost answer from a lost race). */
  token: string;
}

/** Repeats a renewal; the real one is an unref'd interval, so a lease never keeps the process alive. */
export interface LeaseTimers {
  every(ms: number, tick: () => void): { stop(): void };
}

/** setInterval, unref'd. */
export const intervalTimers: LeaseTimers = {
  every(ms, tick) {
    const handle = setInterval(tick, ms);
    handle.unref();
    return { stop: () => clearInterval(handle) };
  },
};

/** What a process is told about leases: one it took over from a holder that stopped renewing, one it lost. */
export type LeaseNotice =
  | { type: 'taken_over'; key: string; previous: Lease | undefined; message: string }
  | { type: 'lost'; key: string; runId?: string | undefined; message: string }
  | { type: 'release_failed'; key: string; message: string };

export interface S3LockOptions {
  clock: Clock;
  /** Lease length; renewed every third of it. Default 60 s. */
  leaseMs?: number | undefined;
  /**
   * How far another host's clock may be ahead of ours: an expired lease is taken over only this
   * long after its expiry (hosts are expected to keep NTP time; default 5 s).
   */
  clockSkewMs?: number | undefined;
  timers?: LeaseTimers | undefined;
  notice?: ((notice: LeaseNotice) => void) | undefined;
}

/** A lease this process holds. */
interface HeldLease {
  key: string;
  name: string;
  lease: Lease;
  etag: string;
  /** Why it is no longer ours (taken over after it expired, or deleted); the run must stop. */
  lost?: string | undefined;
  timer?: { stop(): void } | undefined;
  /** The renewal in flight: renewals never overlap. */
  renewing?: Promise<void> | undefined;
}

const ATTEMPTS = 5;
export const DEFAULT_LEASE_MS = 60_000;

/**
 * Locks as leases in S3 (`<prefix>/locks/<key>.json`), the way Terraform's S3 backend keeps its
 * lock file: created with `If-None-Match: *` so only one host can create it, renewed and
 * released with `If-Match` on the ETag this process wrote, so a holder never overwrites or
 * deletes a lease someone else took over. A lease not renewed in time (its process died, its
 * host lost the network or slept) may be taken over — conditionally on the expired lease's ETag,
 * so two takers never both win — and the taker says so. A holder that finds its lease gone
 * stops its run at the next journal save (`assertHeld`).
 */
export class S3LockStore implements LockStore {
  private readonly held = new Map<string, HeldLease>();
  private readonly leaseMs: number;
  private readonly skewMs: number;
  private readonly timers: LeaseTimers;

  constructor(
    private readonly objects: S3StateObjects,
    private readonly options: S3LockOptions,
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.skewMs = options.clockSkewMs ?? 5_000;
    this.timers = options.timers ?? intervalTimers;
  }

  private name(key: string): string {
    // RDS identifiers are case-insensitive: so are the locks (as in the file store).
    return `locks/${key.toLowerCase().replace(/[^a-z0-9._-]/g, '_')}.json`;
  }

  private newLease(owner: LockOwner, token: string): Lease {
    const now = this.options.clock.now().getTime();
    return {
      pid: owner.pid,
      host: owner.host,
      runId: owner.runId,
      since: owner.since,
      expiresAt: new Date(now + this.leaseMs).toISOString(),
      leaseSeconds: Math.round(this.leaseMs / 1000),
      token,
    };
  }

  async acquire(key: string, owner: LockOwner): Promise<() => Promise<void>> {
    const name = this.name(key);
    const token = randomUUID();
    try {
      for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
        const lease = this.newLease(owner, token);
        const created = await this.objects.create(name, JSON.stringify(lease));
        if (created.ok) return this.hold(key, name, lease, created.etag);
        if (created.reason === 'conflict') continue; // a concurrent write to the key: look again
        const found = await this.objects.get(name);
        if (!found) continue; // released meanwhile
        const current = parseLease(found);
        // Our own create landed and its answer was lost (the SDK retried into our own object).
        if (current?.token === token) return this.hold(key, name, current, found.etag);
        if (!this.expired(current, found)) throw this.heldError(key, current, found);
        const taken = await this.objects.replace(name, JSON.stringify(lease), found.etag);
        if (!taken.ok) continue; // another taker won, or its holder renewed just now: look again
        const since = current
          ? `pid ${current.pid} on ${current.host}${current.runId ? `, run ${current.runId}` : ''}`
          : 'an unreadable lease';
        this.options.notice?.({
          type: 'taken_over',
          key,
          previous: current,
          message: `Took over the lock of ${key} from ${since}: its lease expired at ${expiryOf(current, found, this.leaseMs).toISOString()} without being renewed (that process is gone or cut off).`,
        });
        return this.hold(key, name, lease, taken.etag);
      }
    } catch (error) {
      if (error instanceof PreconditionError) throw error;
      // A create or takeover whose answer was lost (a network error after the SDK's retries) may
      // have landed: a lease with our token there is ours.
      const found = await this.objects.get(name).catch(() => undefined);
      const there = found && parseLease(found);
      if (found && there?.token === token) return this.hold(key, name, there, found.etag);
      throw new PreconditionError(`Could not take the lock ${this.objects.where(name)}: ${(error as Error).message}`, {
        cause: error,
        hint: 'Check the network and the credentials for the state bucket, then try again; nothing was changed.',
      });
    }
    throw new PreconditionError(`Could not take the lock ${this.objects.where(name)}: it keeps changing hands.`, {
      hint: 'Another trapheus is taking it at this moment; try again.',
    });
  }

  async holder(key: string): Promise<LockOwner | undefined> {
    const mine = this.held.get(key);
    if (mine && !mine.lost) return ownerOf(mine.lease);
    let found: StateObject | undefined;
    try {
      found = await this.objects.get(this.name(key));
    } catch (error) {
      if (error instanceof PreconditionError) throw error;
      throw new PreconditionError(`Could not read the lock ${this.objects.where(this.name(key))}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (!found) return undefined;
    const lease = parseLease(found);
    if (this.expired(lease, found)) return undefined;
    return lease ? ownerOf(lease) : { pid: 0, host: 'unknown', since: found.lastModified?.toISOString() ?? '' };
  }

  /**
   * Called before each journal save of `runId`: refuses (JournalError, the run stops touching
   * nothing more) if the lease of that run was lost, and renews it first if its renewal is due
   * (a paused process wakes up here, not only at its next timer tick).
   */
  async assertHeld(runId: string): Promise<void> {
    for (const held of this.held.values()) {
      if (held.lease.runId !== runId) continue;
      if (!held.lost && this.renewalDue(held)) await this.renew(held);
      if (!held.lost && this.options.clock.now().getTime() >= Date.parse(held.lease.expiresAt)) {
        held.lost = `its lease expired at ${held.lease.expiresAt} and could not be renewed`;
      }
      if (held.lost) {
        throw new JournalError(`The lock of ${held.key} is no longer held by this process (${held.lost}); run ${runId} stops here.`, {
          hint: `Another host may be running it now: see \`trapheus status ${runId}\` with the same --state; if none is, \`trapheus resume ${runId}\`.`,
        });
      }
    }
  }

  /** Renews every lease whose renewal is due (what the interval timer does), for tests that drive time themselves. */
  async renewDue(): Promise<void> {
    await Promise.all([...this.held.values()].filter((h) => !h.lost && this.renewalDue(h)).map((h) => this.renew(h)));
  }

  private renewalDue(held: HeldLease): boolean {
    return this.options.clock.now().getTime() >= Date.parse(held.lease.expiresAt) - (this.leaseMs * 2) / 3;
  }

  private heldError(key: string, lease: Lease | undefined, found: StateObject): LockHeldError {
    const who = lease
      ? `pid ${lease.pid} on ${lease.host}${lease.runId ? `, run ${lease.runId}` : ''}, since ${lease.since}`
      : 'an unreadable lease';
    const until = expiryOf(lease, found, this.leaseMs).toISOString();
    return new LockHeldError(
      `${key} is locked by another trapheus run (${who}; its lease runs until ${until}); skipped, nothing was changed.`,
      {
        hint: 'Wait for that run to finish. If its host is gone, its lease runs out unless renewed, and the next trapheus takes it over.',
      },
    );
  }

  private expired(lease: Lease | undefined, found: StateObject): boolean {
    return this.options.clock.now().getTime() > expiryOf(lease, found, this.leaseMs).getTime() + this.skewMs;
  }

  private hold(key: string, name: string, lease: Lease, etag: string): () => Promise<void> {
    const held: HeldLease = { key, name, lease, etag };
    this.held.set(key, held);
    held.timer = this.timers.every(Math.max(1, Math.floor(this.leaseMs / 3)), () => {
      void this.renew(held);
    });
    let released: Promise<void> | undefined;
    return () => (released ??= this.release(held));
  }

  /** Extends the lease, conditionally on the ETag this process last wrote. Never throws: a failed renewal is retried at the next tick. */
  private renew(held: HeldLease): Promise<void> {
    held.renewing ??= (async () => {
      try {
        const next: Lease = { ...held.lease, expiresAt: new Date(this.options.clock.now().getTime() + this.leaseMs).toISOString() };
        const written = await this.objects.replace(held.name, JSON.stringify(next), held.etag);
        if (written.ok) {
          held.lease = next;
          held.etag = written.etag;
          return;
        }
        if (written.reason === 'conflict') return; // retried at the next tick
        const found = await this.objects.get(held.name);
        const current = found ? parseLease(found) : undefined;
        if (found && current?.token === held.lease.token) {
          // Our write landed and its answer was lost: it is still ours.
          held.lease = current;
          held.etag = found.etag;
          return;
        }
        this.lose(held, current ? `taken over by pid ${current.pid} on ${current.host}` : 'its lease was deleted');
      } catch {
        // Network or S3 trouble: the next tick tries again; assertHeld refuses once the lease has run out.
      } finally {
        held.renewing = undefined;
      }
    })();
    return held.renewing;
  }

  private lose(held: HeldLease, why: string): void {
    held.lost = why;
    held.timer?.stop();
    this.options.notice?.({
      type: 'lost',
      key: held.key,
      runId: held.lease.runId,
      message: `Lost the lock of ${held.key} (${why}): this process stops its run at the next step.`,
    });
  }

  /** Deletes the lease if it is still ours (If-Match); a lease someone took over is left alone. Never throws: an unreleased lease expires. */
  private async release(held: HeldLease): Promise<void> {
    held.timer?.stop();
    await held.renewing;
    if (this.held.get(held.key) === held) this.held.delete(held.key);
    if (held.lost) return;
    held.lost = 'released';
    try {
      for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
        const removed = await this.objects.remove(held.name, held.etag);
        if (removed.ok) return;
        if (removed.reason === 'conflict') continue;
        const found = await this.objects.get(held.name);
        if (!found || parseLease(found)?.token !== held.lease.token) return; // someone else's now
        held.etag = found.etag; // our own renewal landed unseen
      }
    } catch (error) {
      this.options.notice?.({
        type: 'release_failed',
        key: held.key,
        message: `Could not release the lock ${this.objects.where(held.name)} (${(error as Error).message}); it expires at ${held.lease.expiresAt}.`,
      });
    }
  }
}

/** A lease as stored, or undefined if the object is not one (then its age decides when it expires). */
export function parseLease(found: StateObject): Lease | undefined {
  try {
    const raw = JSON.parse(found.text) as Partial<Lease> | null;
    if (
      typeof raw?.pid !== 'number' ||
      typeof raw.host !== 'string' ||
      typeof raw.expiresAt !== 'string' ||
      typeof raw.token !== 'string' ||
      Number.isNaN(Date.parse(raw.expiresAt))
    ) {
      return undefined;
    }
    return {
      pid: raw.pid,
      host: raw.host,
      runId: typeof raw.runId === 'string' ? raw.runId : undefined,
      since: String(raw.since ?? ''),
      expiresAt: raw.expiresAt,
      leaseSeconds: typeof raw.leaseSeconds === 'number' ? raw.leaseSeconds : 0,
      token: raw.token,
    };
  } catch {
    return undefined;
  }
}

/** When a lease ends: as it says, or for an object that is not a lease, one lease length after it was written. */
function expiryOf(lease: Lease | undefined, found: StateObject, leaseMs: number): Date {
  if (lease) return new Date(lease.expiresAt);
  return new Date((found.lastModified?.getTime() ?? 0) + leaseMs);
}

function ownerOf(lease: Lease): LockOwner & { expiresAt: string } {
  return { pid: lease.pid, host: lease.host, runId: lease.runId, since: lease.since, expiresAt: lease.expiresAt };
}
