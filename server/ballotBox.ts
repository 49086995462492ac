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
import type { Db } from './db.js';

/** A new box starts with this many slots; it doubles when three quarters are taken. */
const FIRST_SLOTS = 32;

interface Record {
  slot: number;
  body: string;
}

interface BoxState {
  slotSize: number;
  free: number[];
  records: Map<string, Record>;
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

export class BallotBox {
  /** What each box holds, read once from the file; dropped when a transaction fails. */
  private readonly cache = new Map<string, BoxState>();

  constructor(private readonly db: Db) {}

  /**
   * Runs `fn` in one transaction on the box file. If it fails, what is cached is forgotten and
   * read again from the file, which the rollback left as it was.
   */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (err) {
      this.cache.clear();
      throw err;
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
    const rows = this.db.prepare('SELECT id FROM box.boxes WHERE substr(id, 1, ?) = ? ORDER BY id').all(prefix.length, prefix) as { id: string }[];
    return rows.map((r) => r.id).filter((id) => this.size(id) > 0);
  }

  /** Puts a new record into a random free slot; `slotSize` is asked for when the box is new. */
  add(box: string, key: string, body: string, slotSize: () => number): void {
    const state = this.state(box) ?? this.create(box, slotSize());
    if (state.records.has(key)) throw new Error(`The box ${box} already holds ${key}`);
    const capacity = state.free.length + state.records.size;
    if (state.free.length <= capacity / 4) this.grow(box, state);
    const pick = randomInt(state.free.length);
    const slot = state.free[pick]!;
    state.free[pick] = state.free.at(-1)!;
    state.free.pop();
    this.write(slot, encode(state.slotSize, key, body));
    state.records.set(key, { slot, body });
  }

  /** Replaces a record's body in its own slot. */
  replace(box: string, key: string, body: string): void {
    const state = this.state(box);
    const record = state?.records.get(key);
    if (!state || !record) throw new Error(`The box ${box} holds no ${key}`);
    this.write(record.slot, encode(state.slotSize, key, body));
    record.body = body;
  }

  /** A box that takes no more records gives up its empty slots (zeroed by secure_delete). */
  close(box: string): void {
    const state = this.state(box);
    if (!state || state.free.length === 0) return;
    const drop = this.db.prepare('DELETE FROM box.slots WHERE slot = ?');
    for (const slot of state.free) drop.run(slot);
    state.free = [];
  }

  private state(box: string): BoxState | undefined {
    const cached = this.cache.get(box);
    if (cached) return cached;
    const row = this.db.prepare('SELECT slot_size AS size FROM box.boxes WHERE id = ?').get(box) as { size: number } | undefined;
    if (!row) return undefined;
    const state: BoxState = { slotSize: row.size, free: [], records: new Map() };
    for (const s of this.db.prepare('SELECT slot, body FROM box.slots WHERE box = ?').all(box) as { slot: number; body: Buffer }[]) {
      const record = decode(s.body);
      if (record) state.records.set(record[0], { slot: s.slot, body: record[1] });
      else state.free.push(s.slot);
    }
    this.cache.set(box, state);
    return state;
  }

  private create(box: string, slotSize: number): BoxState {
    this.db.prepare('INSERT INTO box.boxes (id, slot_size) VALUES (?, ?)').run(box, slotSize);
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
    const empty = Buffer.alloc(state.slotSize);
    const insert = this.db.prepare('INSERT OR IGNORE INTO box.slots (slot, box, body) VALUES (?, ?, ?)');
    const added: number[] = [];
    while (added.length < Math.max(FIRST_SLOTS, capacity)) {
      const slot = randomSlotId();
      if (insert.run(slot, box, empty).changes === 1) added.push(slot);
    }
    const records = [...state.records.entries()];
    const before = records.map(([, r]) => r.slot);
    const slots = shuffle([...state.free, ...added, ...before]);
    records.forEach(([key, record], i) => {
      record.slot = slots[i]!;
      this.write(record.slot, encode(state.slotSize, key, record.body));
    });
    const taken = new Set(slots.slice(0, records.length));
    for (const old of before) if (!taken.has(old)) this.write(old, empty);
    state.free = slots.slice(records.length);
  }

  private write(slot: number, bytes: Buffer): void {
    this.db.prepare('UPDATE box.slots SET body = ? WHERE slot = ?').run(bytes, slot);
  }
}
