import { JournalError, PreconditionError } from '../../src/core/errors.js';
import {
  LockHeldError,
  matchesQuery,
  newestFirst,
  selectRuns,
  type Journal,
  type LockOwner,
  type LockStore,
  type OnUnreadable,
  type RunQuery,
  type StoredRun,
  type UnreadableRun,
} from '../../src/engine/journal.js';
import type { RunDocument } from '../../src/engine/run-document.js';
import { deriveProgress, isUnfinished } from '../../src/engine/run-progress.js';

/** Thrown by a MemoryJournal set to crash: stands for the process dying at that write. */
export class SimulatedCrash extends JournalError {}

/**
 * An in-memory journal that stores deep copies (so a later mutation of the live document is
 * not "saved" by accident) and can simulate a crash: after `crashAfterWrites` successful
 * writes every further write throws, as if the process had died there. `unreadable` stands for
 * run files this version cannot read (truncated, newer schema…): `list` reports them. Queries
 * select as the file journal does (a finished run is kept apart); `reads` counts documents read.
 */
export class MemoryJournal implements Journal {
  readonly docs = new Map<string, RunDocument>();
  readonly unreadable: UnreadableRun[] = [];
  writes = 0;
  reads = 0;
  crashAfterWrites: number | undefined;

  async save(doc: RunDocument): Promise<void> {
    if (this.crashAfterWrites !== undefined && this.writes >= this.crashAfterWrites) {
      throw new SimulatedCrash(`simulated crash before write ${this.writes + 1}`);
    }
    this.writes += 1;
    this.docs.set(doc.runId, structuredClone(doc));
  }

  async load(runId: string): Promise<RunDocument> {
    const doc = this.docs.get(runId);
    const broken = this.unreadable.find((u) => u.runId === runId);
    if (broken) throw new PreconditionError(broken.reason);
    if (!doc) throw new PreconditionError(`No run "${runId}".`);
    return structuredClone(doc);
  }

  async list(query?: RunQuery, onUnreadable?: OnUnreadable): Promise<RunDocument[]> {
    const docs: RunDocument[] = [];
    for (const { runId } of await this.runIds(query)) {
      this.reads += 1;
      const broken = this.unreadable.find((u) => (u.runId ?? u.file) === runId);
      if (broken) onUnreadable?.(broken.file, broken.reason, broken);
      const doc = this.docs.get(runId);
      if (!broken && doc && matchesQuery(doc, query)) docs.push(structuredClone(doc));
    }
    return docs.sort(newestFirst);
  }

  async runIds(query?: RunQuery): Promise<StoredRun[]> {
    const stored = new Map<string, StoredRun>();
    for (const doc of this.docs.values()) {
      stored.set(doc.runId, { runId: doc.runId, finished: !isUnfinished(deriveProgress(doc.events).status) });
    }
    for (const u of this.unreadable) stored.set(u.runId ?? u.file, { runId: u.runId ?? u.file, finished: false });
    return selectRuns([...stored.values()], query);
  }

  async remove(runId: string): Promise<void> {
    this.docs.delete(runId);
  }
}

/** Locks in memory; `held` shows who holds what. */
export class MemoryLockStore implements LockStore {
  readonly held = new Map<string, LockOwner>();

  async acquire(key: string, owner: LockOwner): Promise<() => Promise<void>> {
    const holder = this.held.get(key);
    if (holder) throw new LockHeldError(`${key} is locked by run ${holder.runId ?? '?'}.`);
    this.held.set(key, owner);
    return async () => {
      if (this.held.get(key) === owner) this.held.delete(key);
    };
  }

  async holder(key: string): Promise<LockOwner | undefined> {
    return this.held.get(key);
  }
}
