/**
 * Hosted mode's storage (DATABASE_URL): Postgres holds the data, and the node works on its own
 * SQLite copy of it, so every storage module keeps the synchronous reads and writes it has on a
 * laptop and both databases run the same code.
 *
 * - Temporary triggers note every change to the copy, in the same SQLite transaction, in a table
 *   that lives in memory only (`temp_store = MEMORY`): nothing of it reaches the node's disk.
 * - The changes go to Postgres in batches, each one transaction fenced by the owner's epoch
 *   (Ownership.fenced), so a node that lost its lease cannot write.
 * - `persisted()` resolves once everything changed so far is committed there. Acknowledgements,
 *   REST answers and Yjs relays wait for it (an output gate): nothing a client has been told is
 *   stored can be lost with the node.
 *
 * For now one node holds the whole database: it takes one lease (WHOLE_DATABASE) at start-up and
 * loads every table into a fresh working copy. Another node started meanwhile is a standby: it
 * does not listen until the first one is gone (at once when its connection drops, after a lease
 * when it is paused), then takes over. Owning sessions one by one, and loading each when it is
 * taken, is the next step (docs/deploy.md, "Still to build").
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type RawBuilder, type Transaction } from 'kysely';
import { openDb, type Db } from '../db.js';
import type { Logger } from '../log.js';
import { Ownership, StaleOwnerError, type Lease } from './ownership.js';
import { connectPostgres, migratePostgres, type HostedDatabase, type HostedDb } from './postgres.js';

/** The lease a node holds while it serves the whole database; no session has this id. */
export const WHOLE_DATABASE = '*';

/** The working copy's folder inside DATA_DIR; emptied whenever a node starts. */
export const WORKING_COPY_DIR = 'working-copy';

/** How long an unrenewed lease holds before another node may take over (a paused node). */
const LEASE_MS = 5000;

/** How often a standby node tries to take the database over. */
const STANDBY_POLL_MS = 250;

/** After Postgres could not take a batch: wait this long before sending it again. */
const RETRY_MS = 500;

/**
 * Every table of the SQLite schema, parents before children: upserts go in this order, deletes
 * in the reverse. `shuffle`: a batch's rows go in random order, so that the order in which
 * Postgres stores them (xmin is shared, but the heap and the WAL keep order) says nothing about
 * the order in which ballots came in.
 */
const TABLES: readonly { schema: 'main' | 'box'; name: string; shuffle?: true }[] = [
  { schema: 'main', name: 'sessions' },
  { schema: 'main', name: 'session_tables' },
  { schema: 'main', name: 'devices' },
  { schema: 'main', name: 'votes' },
  { schema: 'main', name: 'event_log' },
  { schema: 'main', name: 'yjs_updates' },
  { schema: 'main', name: 'report_notes' },
  { schema: 'main', name: 'report_edits' },
  { schema: 'main', name: 'report_logos' },
  { schema: 'box', name: 'boxes', shuffle: true },
  { schema: 'box', name: 'slots', shuffle: true },
];

interface Column {
  name: string;
  blob: boolean;
}

interface TableInfo {
  /** As Postgres names it: `sessions`, `box.slots`. */
  qualified: string;
  sqlite: string;
  columns: Column[];
  /** Indexes into `columns`, in key order. */
  key: number[];
  shuffle: boolean;
}

/** One noted change: a row's new values (all columns), or the key of a row that went. */
interface Change {
  table: number;
  upsert: boolean;
  values: unknown[];
}

export interface HostedStorageOptions {
  url: string;
  dataDir: string;
  log: Logger;
  /** This node's name, written next to its epoch, e.g. host:port. */
  node: string;
  /** The node can no longer write (another node took over, or Postgres refused a batch for good). */
  onLost(err: Error): void;
}

export class WriteThrough {
  private changed = 0;
  private sent = 0;
  private unsent: Change[] = [];
  private waiters: { upTo: number; resolve: () => void; reject: (err: Error) => void }[] = [];
  private scheduled = false;
  private flushing = false;
  private retry: NodeJS.Timeout | null = null;
  private failure: Error | null = null;
  /** Closing: the working copy is about to close, and nothing more is sent. */
  private closed = false;
  private readonly stmt;

  private constructor(
    readonly db: Db,
    private readonly pg: HostedDb,
    private readonly ownership: Ownership,
    private readonly lease: Lease,
    private readonly tables: TableInfo[],
    private readonly opts: HostedStorageOptions,
  ) {
    this.capture();
    this.stmt = {
      pending: db.prepare('SELECT seq, tbl, upsert, data FROM temp.tafelronde_changes ORDER BY seq'),
      clear: db.prepare('DELETE FROM temp.tafelronde_changes WHERE seq <= ?'),
    };
  }

  /**
   * Connects, brings Postgres to the newest schema, takes the whole database (standing by while
   * another node serves it) and loads it into a fresh working copy in DATA_DIR.
   */
  static async open(opts: HostedStorageOptions): Promise<WriteThrough> {
    const pg = connectPostgres({ url: opts.url, idleTransactionMs: LEASE_MS });
    let ownership: Ownership | null = null;
    let db: Db | null = null;
    try {
      await migratePostgres(pg);
      let self: WriteThrough | null = null;
      ownership = await Ownership.start({
        db: pg,
        url: opts.url,
        node: opts.node,
        leaseMs: LEASE_MS,
        log: opts.log,
        onLost: () => self?.fail(new Error('Another node took this database over; this node stops writing')),
      });
      const lease = await standBy(ownership, opts.log);
      const dir = path.join(opts.dataDir, WORKING_COPY_DIR);
      // Whatever a node left here last time may be behind Postgres: the copy is made anew.
      fs.rmSync(dir, { recursive: true, force: true });
      db = openDb(dir, { durable: false });
      const tables = describe(db);
      await load(pg, db, tables);
      self = new WriteThrough(db, pg, ownership, lease, tables, opts);
      // Lost while loading (onLost had nobody to tell): this node must not serve the copy.
      if (!ownership.alive || ownership.leaseOf(WHOLE_DATABASE) !== lease) throw new Error('This node lost the database while loading it');
      opts.log.info(`Serving the Postgres database as ${opts.node} (epoch ${lease.epoch})`);
      return self;
    } catch (err) {
      db?.close();
      await ownership?.close().catch(() => undefined);
      await pg.destroy().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Resolves once every change made so far is committed in Postgres; rejects if this node can no
   * longer write. Calls resolve in the order they were made.
   */
  persisted(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('The server is closing'));
    if (this.waiters.length === 0 && this.sent >= this.changed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ upTo: this.changed, resolve, reject });
      this.schedule();
    });
  }

  /** Sends what is left, gives the lease up and closes the working copy. */
  async close(): Promise<void> {
    try {
      if (!this.failure) await this.persisted();
    } finally {
      // The server has stopped taking requests; a timer that still writes is not answered.
      this.closed = true;
      if (this.retry) clearTimeout(this.retry);
      const closing = new Error('The server is closing');
      for (const w of this.waiters.splice(0)) w.reject(closing);
      await this.ownership.close().catch(() => undefined);
      await this.pg.destroy().catch(() => undefined);
      this.db.close();
    }
  }

  /** Temporary triggers on every table note each change; a function tells this object. */
  private capture(): void {
    const { db } = this;
    db.pragma('temp_store = MEMORY');
    db.exec('CREATE TEMP TABLE tafelronde_changes (seq INTEGER PRIMARY KEY, tbl INTEGER NOT NULL, upsert INTEGER NOT NULL, data TEXT NOT NULL)');
    db.function('tafelronde_changed', { deterministic: false }, () => {
      this.changed += 1;
      this.schedule();
      return null;
    });
    this.tables.forEach((t, i) => {
      const row = (ref: string, columns: Column[]) =>
        `json_array(${columns.map((c) => (c.blob ? `CASE WHEN ${ref}."${c.name}" IS NULL THEN NULL ELSE hex(${ref}."${c.name}") END` : `${ref}."${c.name}"`)).join(', ')})`;
      const note = (upsert: 0 | 1, ref: string, columns: Column[]) =>
        `INSERT INTO temp.tafelronde_changes (tbl, upsert, data) VALUES (${i}, ${upsert}, ${row(ref, columns)});`;
      const keyColumns = t.key.map((k) => t.columns[k]!);
      const name = `tafelronde_${t.sqlite.replace('.', '_')}`;
      db.exec(`
        CREATE TEMP TRIGGER ${name}_insert AFTER INSERT ON ${t.sqlite} BEGIN
          ${note(1, 'NEW', t.columns)} SELECT tafelronde_changed();
        END;
        CREATE TEMP TRIGGER ${name}_update AFTER UPDATE ON ${t.sqlite} BEGIN
          ${note(0, 'OLD', keyColumns)} ${note(1, 'NEW', t.columns)} SELECT tafelronde_changed();
        END;
        CREATE TEMP TRIGGER ${name}_delete AFTER DELETE ON ${t.sqlite} BEGIN
          ${note(0, 'OLD', keyColumns)} SELECT tafelronde_changed();
        END;
      `);
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing || this.retry || this.failure || this.closed) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    if (this.closed) return;
    this.flushing = true;
    const upTo = this.changed;
    try {
      this.takeNotes();
      if (this.unsent.length > 0) {
        const batch = this.unsent;
        await this.ownership.fenced(this.lease, (trx) => this.apply(trx, batch));
        this.unsent = [];
      }
      this.sent = upTo;
      while (this.waiters.length > 0 && this.waiters[0]!.upTo <= this.sent) this.waiters.shift()!.resolve();
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      // A newer owner, or a batch Postgres refused for what it holds (a bug): sending it again
      // cannot help, and every answer after it would wait for ever.
      if (err instanceof StaleOwnerError || !this.ownership.alive || !transient(err)) {
        this.fail(error);
      } else {
        // Postgres is away or restarting: the changes stay, acknowledgements wait, and it is tried again.
        this.opts.log.error(`Postgres did not take ${this.unsent.length} changes; trying again`, error);
        this.retry = setTimeout(() => {
          this.retry = null;
          this.schedule();
        }, RETRY_MS);
      }
    } finally {
      this.flushing = false;
    }
    if (this.changed > this.sent || this.waiters.length > 0) this.schedule();
  }

  /** Moves the notes the triggers made into `unsent`, in one SQLite transaction. */
  private takeNotes(): void {
    this.db.transaction(() => {
      const rows = this.stmt.pending.all() as { seq: number; tbl: number; upsert: number; data: string }[];
      if (rows.length === 0) return;
      const notes = rows.map((r) => ({ table: r.tbl, upsert: r.upsert === 1, values: JSON.parse(r.data) as unknown[] }));
      this.stmt.clear.run(rows.at(-1)!.seq);
      this.unsent.push(...notes);
    })();
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.waiters.splice(0)) w.reject(err);
    this.opts.log.error('This node can no longer write to Postgres', err);
    this.opts.onLost(err);
  }

  /** One batch: each row's last state, deletes children first, then upserts parents first. */
  private async apply(trx: Transaction<HostedDatabase>, batch: Change[]): Promise<void> {
    const last = this.tables.map(() => new Map<string, Change>());
    for (const change of batch) {
      const t = this.tables[change.table]!;
      const keyValues = change.upsert ? t.key.map((k) => change.values[k]) : change.values;
      const key = JSON.stringify(keyValues);
      const byKey = last[change.table]!;
      // Deleted and set again: the later change counts, at the later place.
      byKey.delete(key);
      byKey.set(key, change);
    }
    for (let i = this.tables.length - 1; i >= 0; i--) {
      const keys = [...last[i]!.values()].filter((c) => !c.upsert).map((c) => c.values);
      for (const chunk of chunks(keys, this.tables[i]!.key.length)) await deleteRows(this.tables[i]!, chunk).execute(trx);
    }
    for (let i = 0; i < this.tables.length; i++) {
      const t = this.tables[i]!;
      const rows = [...last[i]!.values()].filter((c) => c.upsert).map((c) => c.values.map((v, j) => toPostgres(t.columns[j]!, v)));
      if (t.shuffle) shuffle(rows);
      for (const chunk of chunks(rows, t.columns.length)) await upsertRows(t, chunk).execute(trx);
    }
  }
}

/** The whole database's lease: at once, or when the node that holds it goes away. */
async function standBy(ownership: Ownership, log: Logger): Promise<Lease> {
  let lease = await ownership.acquire(WHOLE_DATABASE);
  if (!lease) log.info('Another node serves this database: this node stands by, and takes over when that node goes');
  while (!lease) {
    await sleep(STANDBY_POLL_MS);
    if (!ownership.alive) throw new Error('The connection to Postgres was lost while standing by');
    lease = await ownership.acquire(WHOLE_DATABASE);
  }
  return lease;
}

/**
 * A SQLite copy of what a Postgres database holds, made in `dir` as a starting node makes its
 * working copy: the tests read what Postgres holds through it.
 */
export async function copyToSqlite(url: string, dir: string): Promise<Db> {
  const pg = connectPostgres({ url, idleTransactionMs: LEASE_MS, poolSize: 1 });
  try {
    const db = openDb(dir, { durable: false });
    try {
      await load(pg, db, describe(db));
    } catch (err) {
      db.close();
      throw err;
    }
    return db;
  } finally {
    await pg.destroy();
  }
}

/** The node's name in leases: host, port and process. */
export function nodeName(port: number): string {
  return `${os.hostname()}:${port}:${process.pid}`;
}

/** Reads columns and keys from SQLite, and refuses a table the list above does not know. */
function describe(db: Db): TableInfo[] {
  const known = new Set(TABLES.map((t) => `${t.schema}.${t.name}`));
  for (const schema of ['main', 'box'] as const) {
    const names = db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
    for (const { name } of names) {
      if (!known.has(`${schema}.${name}`)) throw new Error(`Table ${schema}.${name} is not written through to Postgres (server/hosted/writeThrough.ts)`);
    }
  }
  return TABLES.map((t) => {
    const info = db.prepare(`SELECT name, type, pk FROM pragma_table_info(?, ?)`).all(t.name, t.schema) as { name: string; type: string; pk: number }[];
    const columns = info.map((c) => ({ name: c.name, blob: c.type.toUpperCase() === 'BLOB' }));
    const key = info
      .map((c, i) => ({ pk: c.pk, i }))
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.i);
    return { qualified: t.schema === 'main' ? t.name : `${t.schema}.${t.name}`, sqlite: `${t.schema}.${t.name}`, columns, key, shuffle: t.shuffle === true };
  });
}

/** Copies every table from Postgres into the empty working copy, with its ids. */
async function load(pg: HostedDb, db: Db, tables: TableInfo[]): Promise<void> {
  const all: unknown[][][] = [];
  // One snapshot: a copy taken while a node writes still has every vote with its ballots.
  await pg
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      for (const t of tables) {
        const names = sql.join(t.columns.map((c) => sql.ref(c.name)));
        const order = sql.join(t.key.map((k) => sql.ref(t.columns[k]!.name)));
        const { rows } = await sql<Record<string, unknown>>`SELECT ${names} FROM ${sql.table(t.qualified)} ORDER BY ${order}`.execute(trx);
        all.push(rows.map((r) => t.columns.map((c) => r[c.name])));
      }
    });
  db.transaction(() => {
    tables.forEach((t, i) => {
      const insert = db.prepare(`INSERT INTO ${t.sqlite} (${t.columns.map((c) => `"${c.name}"`).join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`);
      for (const row of all[i]!) insert.run(...row);
    });
  })();
}

function toPostgres(column: Column, value: unknown): unknown {
  return column.blob && typeof value === 'string' ? Buffer.from(value, 'hex') : value;
}

/** Postgres takes at most 65,535 parameters per statement. */
function chunks<T>(rows: T[], perRow: number): T[][] {
  const size = Math.max(1, Math.floor(60_000 / Math.max(1, perRow)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

function upsertRows(t: TableInfo, rows: unknown[][]): RawBuilder<unknown> {
  const names = sql.join(t.columns.map((c) => sql.ref(c.name)));
  const values = sql.join(rows.map((r) => sql`(${sql.join(r)})`));
  const key = sql.join(t.key.map((k) => sql.ref(t.columns[k]!.name)));
  const rest = t.columns.filter((_, i) => !t.key.includes(i));
  const onConflict =
    rest.length === 0 ? sql`DO NOTHING` : sql`DO UPDATE SET ${sql.join(rest.map((c) => sql`${sql.ref(c.name)} = EXCLUDED.${sql.ref(c.name)}`))}`;
  return sql`INSERT INTO ${sql.table(t.qualified)} (${names}) VALUES ${values} ON CONFLICT (${key}) ${onConflict}`;
}

function deleteRows(t: TableInfo, keys: unknown[][]): RawBuilder<unknown> {
  const names = sql.join(t.key.map((k) => sql.ref(t.columns[k]!.name)));
  const values = sql.join(keys.map((k) => sql`(${sql.join(k)})`));
  return sql`DELETE FROM ${sql.table(t.qualified)} WHERE (${names}) IN (${values})`;
}

/**
 * Whether Postgres may take the same batch later: no answer at all (a network error has no
 * SQLSTATE), a lost connection (08), a serialization failure or deadlock (40), too few resources
 * (53), an administrator's shutdown or restart (57), a system error (58).
 */
function transient(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || /^(08|40|53|57|58)/.test(code);
}

/** Fisher–Yates with a cryptographic source. */
function shuffle<T>(rows: T[]): void {
  for (let i = rows.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
}
