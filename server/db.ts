/**
 * The embedded database: one SQLite file in DATA_DIR, in WAL mode with full sync, so that
 * whatever the server has acknowledged survives a crash or a power cut. Ballots, evaluation
 * answers and their receipts live in a second file, the ballot box, attached as `box`: it keeps
 * a rollback journal instead of a WAL, so that no earlier state of its pages outlives a commit
 * (see ballotBox.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { agendaTemplate } from '../shared/agenda.js';
import type { SessionKind, VoteItem } from '../shared/protocol.js';
import type { VoteRules } from '../shared/tally.js';
import { BallotBox, slotSizeFor } from './ballotBox.js';
import { answerReceiptBox, answerReceiptSlotSize, evaluationBox, evaluationSlotSize } from './evaluations.js';
import { newDeviceLabel, newId, newSecret } from './secrets.js';
import { ballotSlotSize, parseChoices, receiptBox, receiptSlotSize, voteBox, type Receipt, type VoteRow } from './votes.js';

export type Db = Database.Database;

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A prepared statement, made once per database and SQL text and then reused: preparing is most
 * of the cost of a small query, and the hot paths (a join, a ballot, a table change) run the same
 * few statements thousands of times an evening.
 */
export function statement(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map<string, Database.Statement>()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

/**
 * Versioned migrations; the array index + 1 is the schema version kept in `user_version`.
 * A migration is SQL, optionally followed by a function that fills in what SQL cannot.
 * Never edit a migration that has shipped: add a new one.
 */
type Migration = string | { sql: string; after: (db: Db) => void };

const MIGRATIONS: Migration[] = [
  `
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    question TEXT NOT NULL,
    table_count INTEGER NOT NULL,
    themes TEXT NOT NULL,
    join_code TEXT NOT NULL UNIQUE,
    facilitator_key_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE session_tables (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    number INTEGER NOT NULL,
    PRIMARY KEY (session_id, number)
  ) WITHOUT ROWID;

  -- A device is a random token, nothing more: no name, no address, no user agent.
  CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    token_hash TEXT NOT NULL UNIQUE,
    table_number INTEGER,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX devices_session ON devices(session_id, table_number);

  CREATE TABLE votes (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    method TEXT NOT NULL,
    budget INTEGER NOT NULL,
    max_per_item INTEGER NOT NULL,
    items TEXT NOT NULL,
    status TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    closed_at INTEGER,
    -- Devices that could vote, frozen when the vote closes so its turnout stays as it was.
    eligible INTEGER
  );
  CREATE INDEX votes_session ON votes(session_id, opened_at);

  -- Ballots hold choices and nothing that points to a device. WITHOUT ROWID and keyed by a
  -- random ballot id, so not even the storage order follows the order of voting.
  CREATE TABLE ballots (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    ballot_id TEXT NOT NULL,
    choices TEXT NOT NULL,
    PRIMARY KEY (vote_id, ballot_id)
  ) WITHOUT ROWID;

  -- One ballot per device, enforced without choices. The seal is a hash of the ballot id with
  -- the device's token, which the database never stores: it lets the device replace its own
  -- ballot, yet nobody holding only the database can tell which ballot is whose.
  CREATE TABLE ballot_receipts (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    device_id TEXT NOT NULL REFERENCES devices(id),
    seal TEXT NOT NULL,
    PRIMARY KEY (vote_id, device_id)
  ) WITHOUT ROWID;

  -- Facilitator actions, append-only, for the report's process appendix.
  CREATE TABLE event_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX event_log_session ON event_log(session_id, id);

  -- Yjs updates per document, in arrival order; compaction folds them into one row.
  CREATE TABLE yjs_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX yjs_updates_doc ON yjs_updates(doc, id);
  `,
  // 2: the agenda and its live state, table hosts and signals, device labels for moving them.
  {
    sql: `
  ALTER TABLE sessions ADD COLUMN agenda TEXT NOT NULL DEFAULT '{"rounds":[]}';
  ALTER TABLE sessions ADD COLUMN run_state TEXT NOT NULL DEFAULT '{"status":"lobby","stepId":null,"timer":null}';
  ALTER TABLE sessions ADD COLUMN projector TEXT NOT NULL DEFAULT '{"theme":"dark","spotlight":null}';

  ALTER TABLE session_tables ADD COLUMN host_key_hash TEXT;
  ALTER TABLE session_tables ADD COLUMN ready INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE session_tables ADD COLUMN help INTEGER NOT NULL DEFAULT 0;

  ALTER TABLE devices ADD COLUMN label TEXT;
  ALTER TABLE devices ADD COLUMN picked_round TEXT;
  CREATE UNIQUE INDEX devices_label ON devices(session_id, label);
  `,
    after: (db) => {
      // Sessions made before agendas existed get their kind's template; devices get a label.
      const sessions = db.prepare(`SELECT id, kind FROM sessions WHERE agenda = '{"rounds":[]}'`).all() as { id: string; kind: SessionKind }[];
      for (const s of sessions) db.prepare('UPDATE sessions SET agenda = ? WHERE id = ?').run(JSON.stringify(agendaTemplate(s.kind, newId)), s.id);
      const devices = db.prepare('SELECT id, session_id FROM devices WHERE label IS NULL').all() as { id: string; session_id: string }[];
      const taken = db.prepare('SELECT 1 FROM devices WHERE session_id = ? AND label = ?');
      for (const d of devices) {
        let label = newDeviceLabel();
        while (taken.get(d.session_id, label)) label = newDeviceLabel();
        db.prepare('UPDATE devices SET label = ? WHERE id = ?').run(label, d.id);
      }
    },
  },
  // 3: the anonymous evaluation, kept apart from devices exactly like ballots (see migration 1).
  `
  CREATE TABLE evaluation_responses (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    step_id TEXT NOT NULL,
    response_id TEXT NOT NULL,
    answers TEXT NOT NULL,
    PRIMARY KEY (session_id, step_id, response_id)
  ) WITHOUT ROWID;

  CREATE TABLE evaluation_receipts (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    step_id TEXT NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices(id),
    seal TEXT NOT NULL,
    PRIMARY KEY (session_id, step_id, device_id)
  ) WITHOUT ROWID;
  `,
  // 4: the session's context for the report, vote methods and sources, blind mode, shared
  // tablets (one ballot per seat), and table hosts' seats. Receipts gain the seat in their key.
  `
  ALTER TABLE sessions ADD COLUMN place TEXT NOT NULL DEFAULT '';
  ALTER TABLE sessions ADD COLUMN participation TEXT;
  ALTER TABLE sessions ADD COLUMN decides TEXT NOT NULL DEFAULT '';

  ALTER TABLE session_tables ADD COLUMN seats INTEGER NOT NULL DEFAULT 0;

  ALTER TABLE votes ADD COLUMN rules TEXT;
  ALTER TABLE votes ADD COLUMN source TEXT NOT NULL DEFAULT 'tables';
  ALTER TABLE votes ADD COLUMN blind INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE votes ADD COLUMN step_id TEXT;
  UPDATE votes SET rules = json_object('method', 'dots', 'budget', budget, 'maxPerItem', max_per_item);

  -- The table is the one the device sat at when it voted, so moving devices afterwards cannot
  -- change a table's count (and with it whether its results are shown). A seat belongs to a table.
  CREATE TABLE ballot_receipts_v4 (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    device_id TEXT NOT NULL REFERENCES devices(id),
    table_number INTEGER,
    seat INTEGER NOT NULL DEFAULT 0,
    seal TEXT NOT NULL,
    PRIMARY KEY (vote_id, device_id, seat)
  ) WITHOUT ROWID;
  INSERT INTO ballot_receipts_v4 (vote_id, device_id, table_number, seat, seal)
    SELECT r.vote_id, r.device_id, d.table_number, 0, r.seal FROM ballot_receipts r JOIN devices d ON d.id = r.device_id;
  DROP TABLE ballot_receipts;
  ALTER TABLE ballot_receipts_v4 RENAME TO ballot_receipts;
  CREATE UNIQUE INDEX ballot_receipts_seat ON ballot_receipts(vote_id, table_number, seat) WHERE seat > 0;
  `,
  // 5: tips and actions the organiser adds to the report, in their order.
  `
  CREATE TABLE report_notes (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (session_id, position)
  ) WITHOUT ROWID;
  `,
  // 6: ballots, evaluation answers and their receipts move to the ballot box (BOX_MIGRATIONS),
  // in random slots. Receipts lose their device id: it cannot become the token-keyed voter tag,
  // as the token was never stored, so a legacy receipt gets a random one (a seat keeps its
  // seat). Nothing is lost for a closed vote; a vote left open across the upgrade could take a
  // second ballot from a device that voted before it.
  {
    sql: '',
    after: (db) => {
      const box = new BallotBox(db);
      const votes = db.prepare('SELECT * FROM votes').all() as VoteRow[];
      const hasBox = db.prepare('SELECT 1 FROM box.boxes WHERE id = ?');
      for (const vote of votes) {
        if (hasBox.get(voteBox(vote.id))) continue;
        const rows = db.prepare('SELECT ballot_id AS id, choices FROM ballots WHERE vote_id = ?').all(vote.id) as { id: string; choices: string }[];
        const bodies = rows.map((row) => ({ id: row.id, body: JSON.stringify(parseChoices(row.choices)) }));
        // Legacy ballots were not normalised (they may name items with nothing): the slots fit
        // the largest of them as well as any new ballot of the vote.
        const legacy = bodies.reduce((max, b) => Math.max(max, slotSizeFor(b.id, b.body)), 0);
        const size = () =>
          Math.max(
            legacy,
            ballotSlotSize(JSON.parse(vote.rules ?? '{"method":"dots","budget":1,"maxPerItem":1}') as VoteRules, JSON.parse(vote.items) as VoteItem[]),
          );
        for (const { id, body } of bodies) box.add(voteBox(vote.id), id, body, size);
      }
      const receipts = db.prepare('SELECT vote_id, table_number, seat, seal FROM ballot_receipts').all() as {
        vote_id: string;
        table_number: number | null;
        seat: number;
        seal: string;
      }[];
      for (const r of receipts) {
        const voter = r.seat > 0 ? `seat:${r.table_number}:${r.seat}` : `legacy:${newSecret()}`;
        if (box.get(receiptBox(r.vote_id), voter) !== undefined) continue;
        const body: Receipt = { seal: r.seal, table: r.table_number, seat: r.seat };
        box.add(receiptBox(r.vote_id), voter, JSON.stringify(body), receiptSlotSize);
      }
      const answers = db.prepare('SELECT session_id AS s, step_id AS step, response_id AS id, answers FROM evaluation_responses').all() as {
        s: string;
        step: string;
        id: string;
        answers: string;
      }[];
      for (const a of answers) {
        const id = evaluationBox(a.s, a.step);
        if (box.get(id, a.id) === undefined) box.add(id, a.id, a.answers, evaluationSlotSize);
      }
      const answered = db.prepare('SELECT session_id AS s, step_id AS step, seal FROM evaluation_receipts').all() as {
        s: string;
        step: string;
        seal: string;
      }[];
      for (const r of answered) box.add(answerReceiptBox(r.s, r.step), `legacy:${newSecret()}`, r.seal, answerReceiptSlotSize);
      box.flush();
      db.exec(`
        DROP TABLE ballots;
        DROP TABLE ballot_receipts;
        DROP TABLE evaluation_responses;
        DROP TABLE evaluation_receipts;
      `);
    },
  },
  // 7: the organiser's edits to the report (one JSON document per session, read and written
  // whole through shared/reportEdits.ts) and the logo for its title page.
  `
  CREATE TABLE report_edits (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    body TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE report_logos (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    mime TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    data BLOB NOT NULL
  ) WITHOUT ROWID;
  `,
  // 8: a vote's result per table, written once when it closes, and only as counts over at least
  // MIN_VOTERS_SHOWN ballots per table (server/votes.ts, "Per table"); ballots never hold a table.
  `ALTER TABLE votes ADD COLUMN breakdown TEXT;`,
];

/** The ballot box's own schema versions, kept in its own `user_version`. */
const BOX_MIGRATIONS: string[] = [
  `
  -- A box (a vote's ballots or their receipts, an evaluation step's answers or theirs) and the
  -- size of its slots. A receipt is keyed by its voter: a hash of the device's token (which no
  -- file holds) with the vote or step id, or 'seat:<table>:<seat>' for a shared tablet; its body
  -- holds the seal that binds the ballot id to the token, and for a vote the table and seat.
  CREATE TABLE box.boxes (
    id TEXT PRIMARY KEY,
    slot_size INTEGER NOT NULL
  ) WITHOUT ROWID;

  -- Fixed-size slots with random ids; a record is written over an empty one picked at random.
  CREATE TABLE box.slots (
    slot INTEGER PRIMARY KEY,
    box TEXT NOT NULL,
    body BLOB NOT NULL
  );
  CREATE INDEX box.slots_box ON slots(box);

  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
export const DB_FILE = 'tafelronde.sqlite';
export const BOX_FILE = 'ballot-box.sqlite';

export interface OpenOptions {
  /**
   * Whether a commit waits until it is on disk (`synchronous = FULL`). Hosted mode's working copy
   * does not: Postgres is where its changes must be before anyone hears of them.
   */
  durable: boolean;
}

export function openDb(dataDir: string, opts: OpenOptions = { durable: true }): Db {
  const synchronous = opts.durable ? 'FULL' : 'OFF';
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, DB_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('secure_delete = ON');
  db.prepare('ATTACH DATABASE ? AS box').run(path.join(dataDir, BOX_FILE));
  // A rollback journal, emptied after every commit, and zeroed deleted content: between two
  // writes the box's file is all there is of it (see ballotBox.ts).
  db.pragma('box.journal_mode = TRUNCATE');
  db.pragma(`box.synchronous = ${synchronous}`);
  db.pragma('box.secure_delete = ON');
  migrateBox(db);
  const before = db.pragma('user_version', { simple: true }) as number;
  migrate(db);
  // Legacy ballots left the main file: clear the WAL that still held its old pages.
  if (before > 0 && before < 6) db.pragma('wal_checkpoint(TRUNCATE)');
  return db;
}

function migrateBox(db: Db): void {
  const current = db.pragma('box.user_version', { simple: true }) as number;
  if (current > BOX_MIGRATIONS.length) {
    throw new Error(`The ballot box has schema version ${current}; this Tafelronde knows up to ${BOX_MIGRATIONS.length}.`);
  }
  for (let v = current; v < BOX_MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(BOX_MIGRATIONS[v]!);
      db.pragma(`box.user_version = ${v + 1}`);
    })();
  }
}

/** Brings the main file to `target` (by default the newest version; tests build older ones). */
export function migrate(db: Db, target = MIGRATIONS.length): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`The database has schema version ${current}; this Tafelronde knows up to ${MIGRATIONS.length}.`);
  }
  for (let v = current; v < target; v++) {
    const migration = MIGRATIONS[v]!;
    db.transaction(() => {
      db.exec(typeof migration === 'string' ? migration : migration.sql);
      if (typeof migration !== 'string') migration.after(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
