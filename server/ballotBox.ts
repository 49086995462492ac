/**
 * The ballot box: where anonymous records (ballots, evaluation answers, and the receipts that
 * allow one per device) are kept so that no copy of the database files says in which order they
 * came in, and so which device or seat cast which one. The threat model and the guarantee are in docs/architecture.md ("Ballot secrecy at
 * rest"); in short:
 *
 * - A box is a set of fixed-size slots, made empty ahead of time. A record goes into a slot
 *   picked at random among the free ones, written over in place (same size, so SQLite keeps
 *   the cell where it was). Where a record sits therefore says nothing about when it came.
 * - When a box runs short of free slots it doubles, and every record moves to a random slot of
 *   the grown box, so the newer slots do not hold only the newer records.
 * - The box lives in its own file (attached as `box`, see db.ts) with a rollback journal that
 *   is truncated after every commit and `secure_delete`: between writes there is no journal, no
 *   WAL and no freed space holding an earlier state of a page.
 *
 * A receipt lives in a box of its own, keyed by its voter (see `voterTag` in secrets.ts: no
 * device id), and is written in a transaction before its ballot's: a copy taken during a write
 * sees at most one of the two in flight (votes.ts).
 */
import { randomInt } from 'node:crypto';
import { GroupCommit } from './groupCommit.js';
import type { Db } from './db.js';

/** A new box starts with this many slots; it doubles when three quarters are taken. */
const FIRST_SLOTS = 32;

/** A record where it lies. */
interface Stored {
  slot: number;
  body: string;
}

interface BoxState {
  slotSize: number;
  free: number[];
  records: Map<string, Stored>;
}

/** Uniformly random slot ids; SQLite's rowid, chosen by us so that it follows nothing. */
const randomSlotId = (): number => randomInt(1, 2 ** 47);

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** A record as its slot holds it: `[key, body]` as JSON, then zeros up to the slot's size. */
function encode(slotSize: number, key: string, body: string): Buffer {
  const json = Buffer.from(JSON.stringify([key, body]), 'utf8');
  if (json.length > slotSize) throw new Error(`A record of ${json.length} bytes does not fit a slot of ${slotSize}`);
  const slot = Buffer.alloc(slotSize);
  json.copy(slot);
  return slot;
}

function decode(slot: Buffer): [key: string, body: string] | null {
  const end = slot.indexOf(0);
  if (end === 0) return null;
  return JSON.parse(slot.subarray(0, end === -1 ? slot.length : end).toString('utf8')) as [string, string];
}

/** The size of a slot that holds a record with this key and at most this body. */
export function slotSizeFor(largestKey: string, largestBody: string): number {
  return Buffer.byteLength(JSON.stringify([largestKey, largestBody]), 'utf8');
}

/** Receipts are committed before the records they allow (see votes.ts). */
type Stage = 'receipts' | 'records';
const stageOf = (box: string): Stage => (box.startsWith('receipts:') ? 'receipts' : 'records');

interface Pending {
  /** New empty slots, inserted before anything is written over them. */
  inserts: { slot: number; box: string; size: number }[];
  /** The latest bytes for each slot to write over. */
  writes: Map<number, Buffer>;
}

/**
 * Box commits that follow each other closely are at least this far apart. A box commit costs
 * about 1.1 ms of CPU whatever it holds (two transactions, each with a journal and two fsyncs).
 */
const GROUP_COMMIT_MS = 25;

export class BallotBox {
  /** What each box holds, read once from the file; dropped when a commit fails. */
  private readonly cache = new Map<string, BoxState>();
  /**
   * Every box id and every slot id in the file, read once and added to as boxes and slots are
   * made (slots given up stay in: a stale id only makes a random draw skip it). Looking each new
   * slot up in the file was most of what opening a vote for 5,000 phones cost.
   */
  private known: { boxes: Set<string>; slots: Set<number> } | null = null;
  private pending: Record<Stage, Pending> = { receipts: emptyPending(), records: emptyPending() };
  /** A failed commit leaves the cache unlike the file: it is read again. */
  private readonly commits = new GroupCommit({
    spacingMs: GROUP_COMMIT_MS,
    isEmpty: () => this.isEmpty(),
    commit: () => this.commit(),
    failed: () => this.forgetAll(),
  });

  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      // An empty slot is made of zeros by SQLite: no buffer per slot made here and copied in.
      insert: db.prepare('INSERT INTO box.slots (slot, box, body) VALUES (?, ?, zeroblob(?))'),
      write: db.prepare('UPDATE box.slots SET body = ? WHERE slot = ?'),
      drop: db.prepare('DELETE FROM box.slots WHERE slot = ?'),
      slotIds: db.prepare('SELECT slot FROM box.slots'),
      boxIds: db.prepare('SELECT id FROM box.boxes'),
      box: db.prepare('SELECT slot_size AS size FROM box.boxes WHERE id = ?'),
      slots: db.prepare('SELECT slot, body FROM box.slots WHERE box = ?'),
      create: db.prepare('INSERT INTO box.boxes (id, slot_size) VALUES (?, ?)'),
    };
  }

  /**
   * Calls `done` once everything added or replaced so far is committed: at once when nothing
   * waits. Writes close together are committed together (group commit: two fsync'd commits per
   * batch, not per ballot), receipts first, then the records.
   */
  whenStored(done: (err?: Error) => void): void {
    this.commits.whenStored(done);
  }

  /** A promise for `whenStored`. */
  stored(): Promise<void> {
    return this.commits.stored();
  }

  /** Commits what waits now (on shutdown, and before a box gives up its empty slots). */
  flush(): void {
    this.commits.flush();
  }

  /**
   * The receipts' slots in one transaction, then the records' slots in another, each in random
   * order, so that not even a copy of the journal taken during the commit says in which order
   * they came.
   */
  private commit(): void {
    const { receipts, records } = this.pending;
    this.pending = { receipts: emptyPending(), records: emptyPending() };
    for (const stage of [receipts, records]) {
      if (stage.inserts.length === 0 && stage.writes.size === 0) continue;
      this.db.transaction(() => {
        for (const i of shuffle(stage.inserts)) this.stmt.insert.run(i.slot, i.box, i.size);
        for (const [slot, bytes] of shuffle([...stage.writes])) this.stmt.write.run(bytes, slot);
      })();
    }
  }

  /** The bodies of the box's records, in the order of their random slots. */
  bodies(box: string): string[] {
    const state = this.state(box);
    if (!state) return [];
    return [...state.records.values()].sort((a, b) => a.slot - b.slot).map((r) => r.body);
  }

  /** Keys and bodies of the box's records, sorted by key. */
  entries(box: string): [key: string, body: string][] {
    const state = this.state(box);
    if (!state) return [];
    return [...state.records.entries()].map(([key, r]): [string, string] => [key, r.body]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  size(box: string): number {
    return this.state(box)?.records.size ?? 0;
  }

  get(box: string, key: string): string | undefined {
    return this.state(box)?.records.get(key)?.body;
  }

  /** Boxes whose id starts with `prefix` and that hold at least one record. */
  boxesWith(prefix: string): string[] {
    // A box's row is written when the box is made (see create), so the file knows every box.
    return [...this.knownIds().boxes].filter((id) => id.startsWith(prefix) && this.size(id) > 0).sort();
  }

  /**
   * Puts a new record into a random free slot; `slotSize` is asked for when the box is new.
   * Takes effect at once for readers of this box; it is on disk once `whenStored` says so.
   */
  add(box: string, key: string, body: string, slotSize: () => number): void {
    const state = this.state(box) ?? this.create(box, slotSize());
    if (state.records.has(key)) throw new Error(`The box ${box} already holds ${key}`);
    const bytes = encode(state.slotSize, key, body);
    const capacity = state.free.length + state.records.size;
    if (state.free.length <= capacity / 4) this.grow(box, state);
    const pick = randomInt(state.free.length);
    const slot = state.free[pick]!;
    state.free[pick] = state.free.at(-1)!;
    state.free.pop();
    state.records.set(key, { slot, body });
    this.write(box, slot, bytes);
  }

  /**
   * Makes a box that holds no records yet ready for `slots` of them (a vote being opened), so it
   * need not grow while they come in. Empty slots added once records are there would hold only
   * later ones, so then it leaves the box to grow (and reshuffle) by itself.
   */
  reserve(box: string, slotSize: number, slots: number): void {
    const state = this.state(box) ?? this.create(box, slotSize);
    const capacity = state.free.length + state.records.size;
    if (state.records.size === 0 && slots > capacity) this.addSlots(box, state, slots - capacity);
  }

  /** Replaces a record's body in its own slot. */
  replace(box: string, key: string, body: string): void {
    const state = this.state(box);
    const record = state?.records.get(key);
    if (!state || !record) throw new Error(`The box ${box} holds no ${key}`);
    const bytes = encode(state.slotSize, key, body);
    record.body = body;
    this.write(box, record.slot, bytes);
  }

  /** A box that takes no more records gives up its empty slots (zeroed by secure_delete). */
  close(box: string): void {
    this.flush();
    const state = this.state(box);
    if (!state || state.free.length === 0) return;
    const free = state.free;
    state.free = [];
    try {
      this.db.transaction(() => {
        for (const slot of free) this.stmt.drop.run(slot);
      })();
    } catch (err) {
      this.forgetAll();
      throw err;
    }
  }

  private isEmpty(): boolean {
    const { receipts, records } = this.pending;
    return receipts.inserts.length + receipts.writes.size + records.inserts.length + records.writes.size === 0;
  }

  private knownIds(): { boxes: Set<string>; slots: Set<number> } {
    this.known ??= {
      boxes: new Set((this.stmt.boxIds.all() as { id: string }[]).map((r) => r.id)),
      slots: new Set((this.stmt.slotIds.all() as { slot: number }[]).map((r) => r.slot)),
    };
    return this.known;
  }

  /** After a failed commit, what is kept may not match the file: read it again. */
  private forgetAll(): void {
    this.cache.clear();
    this.known = null;
  }

  private state(box: string): BoxState | undefined {
    const cached = this.cache.get(box);
    if (cached) return cached;
    const row = this.stmt.box.get(box) as { size: number } | undefined;
    if (!row) return undefined;
    const state: BoxState = { slotSize: row.size, free: [], records: new Map() };
    for (const s of this.stmt.slots.all(box) as { slot: number; body: Buffer }[]) {
      const record = decode(s.body);
      if (record) state.records.set(record[0], { slot: s.slot, body: record[1] });
      else state.free.push(s.slot);
    }
    this.cache.set(box, state);
    return state;
  }

  private create(box: string, slotSize: number): BoxState {
    // The box's row holds nothing that changes with its records: it is written at once.
    this.stmt.create.run(box, slotSize);
    this.knownIds().boxes.add(box);
    const state: BoxState = { slotSize, free: [], records: new Map() };
    this.cache.set(box, state);
    return state;
  }

  /**
   * Doubles the box and moves every record to a random slot of the grown box, so that the
   * slots added now do not hold only records that come later.
   */
  private grow(box: string, state: BoxState): void {
    const capacity = state.free.length + state.records.size;
    const added = this.newSlots(box, state, Math.max(FIRST_SLOTS, capacity));
    const records = [...state.records.entries()];
    const before = records.map(([, r]) => r.slot);
    const slots = shuffle([...state.free, ...added, ...before]);
    records.forEach(([key, record], i) => {
      record.slot = slots[i]!;
      this.write(box, record.slot, encode(state.slotSize, key, record.body));
    });
    const now = new Set(slots.slice(0, records.length));
    for (const old of before) if (!now.has(old)) this.write(box, old, Buffer.alloc(state.slotSize));
    state.free = slots.slice(records.length);
  }

  /** Empty slots added to the box's free ones. */
  private addSlots(box: string, state: BoxState, n: number): void {
    state.free.push(...this.newSlots(box, state, n));
  }

  /** `n` new slot ids for the box, queued to be inserted empty. */
  private newSlots(box: string, state: BoxState, n: number): number[] {
    const taken = this.knownIds().slots;
    const added: number[] = [];
    while (added.length < n) {
      const slot = randomSlotId();
      if (taken.has(slot)) continue;
      taken.add(slot);
      added.push(slot);
    }
    const stage = this.pending[stageOf(box)];
    for (const slot of added) stage.inserts.push({ slot, box, size: state.slotSize });
    this.schedule();
    return added;
  }

  private schedule(): void {
    this.commits.schedule();
  }

  private write(box: string, slot: number, bytes: Buffer): void {
    this.pending[stageOf(box)].writes.set(slot, bytes);
    this.schedule();
  }
}

function emptyPending(): Pending {
  return { inserts: [], writes: new Map() };
}
