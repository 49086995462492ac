/**
 * Table documents in memory, backed by SQLite. Updates are written before they are relayed:
 * those that arrive in one turn of the event loop are committed together (group commit, one
 * fsync per batch rather than per keystroke), and only then does `whenStored` let the relay
 * go out. Rows are folded into one snapshot every so often, and a document that nobody has
 * open is dropped from memory after a grace period.
 */
import * as Y from 'yjs';
import type { Db } from '../db.js';
import { CommitPacer } from '../groupCommit.js';
import type { Logger } from '../log.js';

/** Transaction origin of updates that come from the database, so they are not stored again. */
const FROM_DB = Symbol('from-db');

export interface StoreOptions {
  /** Fold a document's rows into one after this many stored updates. */
  compactEvery: number;
  /** How long a document stays in memory after its last connection closed. */
  idleUnloadMs: number;
}

export const DEFAULT_STORE_OPTIONS: StoreOptions = { compactEvery: 500, idleUnloadMs: 30_000 };

interface Loaded {
  doc: Y.Doc;
  users: number;
  storedSinceCompact: number;
  unloadTimer: NodeJS.Timeout | null;
}

/**
 * Commits that follow each other closely are at least this far apart, so a room typing at once
 * makes fewer fsyncs, each of which holds the server's one thread.
 */
const FLUSH_SPACING_MS = 5;

export class DocStore {
  private readonly docs = new Map<string, Loaded>();
  private readonly listeners = new Set<(name: string) => void>();
  /** Updates not yet committed, in arrival order, and what waits for them to be. */
  private pending: { name: string; update: Uint8Array; entry: Loaded }[] = [];
  private afterStore: (() => void)[] = [];
  private readonly pacer = new CommitPacer(FLUSH_SPACING_MS, () => this.flush());
  private readonly stmt;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly options: StoreOptions = DEFAULT_STORE_OPTIONS,
    /** Hosted mode: relays wait until their updates are in Postgres too (server/storage.ts). */
    private readonly persisted?: () => Promise<void>,
  ) {
    this.stmt = {
      insert: db.prepare('INSERT INTO yjs_updates (doc, data) VALUES (?, ?)'),
      load: db.prepare('SELECT data FROM yjs_updates WHERE doc = ? ORDER BY id'),
      count: db.prepare('SELECT COUNT(*) AS n FROM yjs_updates WHERE doc = ?'),
      clear: db.prepare('DELETE FROM yjs_updates WHERE doc = ?'),
    };
  }

  /** Takes a document for a connection; pair with `release`. */
  acquire(name: string): Y.Doc {
    const entry = this.docs.get(name) ?? this.load(name);
    entry.users += 1;
    if (entry.unloadTimer) {
      clearTimeout(entry.unloadTimer);
      entry.unloadTimer = null;
    }
    return entry.doc;
  }

  release(name: string): void {
    const entry = this.docs.get(name);
    if (!entry) return;
    entry.users = Math.max(0, entry.users - 1);
    if (entry.users === 0 && !entry.unloadTimer) {
      entry.unloadTimer = setTimeout(() => this.unload(name), this.options.idleUnloadMs);
      entry.unloadTimer.unref();
    }
  }

  /** Reads a document without keeping it in memory if it was not loaded already. */
  read<T>(name: string, fn: (doc: Y.Doc) => T): T {
    const loaded = this.docs.get(name);
    if (loaded) return fn(loaded.doc);
    const doc = this.fromDb(name);
    try {
      return fn(doc);
    } finally {
      doc.destroy();
    }
  }

  /** Changes a document on the server's behalf; open connections receive it like any update. */
  change<T>(name: string, fn: (doc: Y.Doc) => T): T {
    const doc = this.acquire(name);
    try {
      let result!: T;
      doc.transact(() => {
        result = fn(doc);
      });
      return result;
    } finally {
      this.release(name);
    }
  }

  isLoaded(name: string): boolean {
    return this.docs.has(name);
  }

  /** Documents in memory, and how many of them nobody has open (they wait out `idleUnloadMs`); read-only, for the soak bench. */
  stats(): { loaded: number; idle: number } {
    let idle = 0;
    for (const entry of this.docs.values()) if (entry.users === 0) idle += 1;
    return { loaded: this.docs.size, idle };
  }

  /**
   * Runs `fn` once every update received so far is committed: at once when nothing is waiting.
   * The Yjs endpoint relays through this, so nothing is relayed that a crash could lose.
   */
  whenStored(fn: () => void): void {
    if (this.pending.length === 0) this.relay([fn]);
    else this.afterStore.push(fn);
  }

  /** Lets relays go, in order; in hosted mode once Postgres has their updates, never if it cannot. */
  private relay(fns: (() => void)[]): void {
    if (!this.persisted) {
      for (const fn of fns) fn();
      return;
    }
    this.persisted().then(
      () => {
        for (const fn of fns) fn();
      },
      // The node can no longer write; its connections are closed and clients go to the new owner.
      () => undefined,
    );
  }

  /** Commits the waiting updates in one transaction, then lets their relays go. */
  flush(): void {
    this.pacer.began();
    if (this.pending.length === 0) return;
    const batch = this.pending;
    const waiting = this.afterStore;
    this.pending = [];
    this.afterStore = [];
    this.db.transaction(() => {
      for (const { name, update } of batch) this.stmt.insert.run(name, Buffer.from(update));
    })();
    const touched = new Map<string, Loaded>();
    for (const { name, entry } of batch) {
      entry.storedSinceCompact += 1;
      touched.set(name, entry);
    }
    for (const [name, entry] of touched) {
      if (entry.storedSinceCompact >= this.options.compactEvery && this.docs.get(name) === entry) this.compact(name);
    }
    this.relay(waiting);
  }

  /** Called with the document's name after each change, for live counts. */
  onChange(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Folds the document's stored updates into one row holding its full state. Its updates still
   * waiting are in that state, so they are not written on their own (a refused update that was
   * undone never reaches the disk); those of other documents are committed after it.
   */
  compact(name: string): void {
    const entry = this.docs.get(name);
    const doc = entry?.doc ?? this.fromDb(name);
    const state = Y.encodeStateAsUpdate(doc);
    this.pending = this.pending.filter((p) => p.name !== name);
    this.db.transaction(() => {
      this.stmt.clear.run(name);
      this.stmt.insert.run(name, Buffer.from(state));
    })();
    if (entry) entry.storedSinceCompact = 0;
    else doc.destroy();
    this.log.debug(`compacted document ${name}`);
    if (this.pending.length > 0) this.flush();
    else {
      const waiting = this.afterStore;
      this.afterStore = [];
      this.relay(waiting);
    }
  }

  storedRows(name: string): number {
    return (this.stmt.count.get(name) as { n: number }).n;
  }

  close(): void {
    this.flush();
    for (const name of [...this.docs.keys()]) this.unload(name);
  }

  private fromDb(name: string): Y.Doc {
    // The name as guid: without one, Yjs draws a random guid for every document it reads.
    const doc = new Y.Doc({ gc: true, guid: name });
    const rows = this.stmt.load.all(name) as { data: Buffer }[];
    if (rows.length > 0) {
      doc.transact(() => {
        for (const row of rows) Y.applyUpdate(doc, new Uint8Array(row.data), FROM_DB);
      }, FROM_DB);
    }
    return doc;
  }

  private load(name: string): Loaded {
    const doc = this.fromDb(name);
    const entry: Loaded = { doc, users: 0, storedSinceCompact: this.storedRows(name), unloadTimer: null };
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === FROM_DB) return;
      this.pending.push({ name, update, entry });
      this.pacer.schedule();
      for (const listener of this.listeners) listener(name);
    });
    this.docs.set(name, entry);
    if (entry.storedSinceCompact >= this.options.compactEvery) this.compact(name);
    return entry;
  }

  private unload(name: string): void {
    const entry = this.docs.get(name);
    if (!entry) return;
    // Its last updates are committed before the document leaves memory.
    if (this.pending.some((p) => p.entry === entry)) this.flush();
    if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
    this.docs.delete(name);
    entry.doc.destroy();
  }
}
