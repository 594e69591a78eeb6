import { JournalError, PreconditionError } from '../../src/core/errors.js';
import { LockHeldError, type Journal, type LockOwner, type LockStore, type UnreadableRun } from '../../src/engine/journal.js';
import type { RunDocument } from '../../src/engine/run-document.js';

/** Thrown by a MemoryJournal set to crash: stands for the process dying at that write. */
export class SimulatedCrash extends JournalError {}

/**
 * An in-memory journal that stores deep copies (so a later mutation of the live document is
 * not "saved" by accident) and can simulate a crash: after `crashAfterWrites` successful
 * writes every further write throws, as if the process had died there. `unreadable` stands for
 * run files this version cannot read (truncated, newer schema…): `list` reports them.
 */
export class MemoryJournal implements Journal {
  readonly docs = new Map<string, RunDocument>();
  readonly unreadable: UnreadableRun[] = [];
  writes = 0;
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

  async list(onUnreadable?: (file: string, reason: string, about?: UnreadableRun) => void): Promise<RunDocument[]> {
    for (const u of this.unreadable) onUnreadable?.(u.file, u.reason, u);
    return [...this.docs.values()]
      .map((d) => structuredClone(d))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.runId.localeCompare(a.runId));
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
