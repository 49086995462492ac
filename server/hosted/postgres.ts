/**
 * The hosted mode's Postgres, through Kysely: a connection pool, the typed tables, and the
 * migrations that bring a database to them (Kysely's Migrator, one migration per shipped schema
 * change; never edit one that has shipped).
 *
 * Every pool connection gives up a transaction left idle for longer than a lease: a node that is
 * paused (SIGSTOP, a VM frozen) while it holds a row lock must not stall the node that takes
 * its sessions over (see ownership.ts).
 */
import { Kysely, Migrator, PostgresDialect, sql, type Generated, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';

/** Which node owns a session, under which epoch: the row every write is fenced by (ownership.ts). */
export interface SessionOwnersTable {
  session_id: string;
  epoch: number;
  node: string;
}

/**
 * The owner's lease: which backend holds the session's advisory lock, and when it last said it is
 * alive. Apart from `session_owners`, so that renewing never waits for, or blocks, a write.
 */
export interface SessionLeasesTable {
  session_id: string;
  node: string;
  pid: number;
  renewed_at: Date;
}

/*
 * The app's tables, column for column as SQLite has them at its newest migration (server/db.ts;
 * test/hosted.schema.test.ts holds the two together). Times are milliseconds since 1970, as in
 * SQLite, so bigint; pg hands bigints back as numbers here (see `connectPostgres`).
 */
export interface SessionsTable {
  id: string;
  kind: string;
  title: string;
  question: string;
  table_count: number;
  themes: string;
  join_code: string;
  facilitator_key_hash: string;
  created_at: number;
  agenda: Generated<string>;
  run_state: Generated<string>;
  projector: Generated<string>;
  place: Generated<string>;
  participation: string | null;
  decides: Generated<string>;
}

export interface SessionTablesTable {
  session_id: string;
  number: number;
  host_key_hash: string | null;
  ready: Generated<number>;
  help: Generated<number>;
  seats: Generated<number>;
}

export interface DevicesTable {
  id: string;
  session_id: string;
  token_hash: string;
  table_number: number | null;
  created_at: number;
  label: string | null;
  picked_round: string | null;
}

export interface VotesTable {
  id: string;
  session_id: string;
  method: string;
  budget: number;
  max_per_item: number;
  items: string;
  status: string;
  opened_at: number;
  closed_at: number | null;
  eligible: number | null;
  rules: string | null;
  source: Generated<string>;
  blind: Generated<number>;
  step_id: string | null;
  breakdown: string | null;
}

export interface EventLogTable {
  id: Generated<number>;
  session_id: string;
  at: number;
  type: string;
  data: string;
}

export interface YjsUpdatesTable {
  id: Generated<number>;
  doc: string;
  data: Uint8Array;
}

export interface ReportNotesTable {
  session_id: string;
  position: number;
  text: string;
}

export interface ReportEditsTable {
  session_id: string;
  body: string;
}

export interface ReportLogosTable {
  session_id: string;
  mime: string;
  width: number;
  height: number;
  data: Uint8Array;
}

/** The ballot box (server/ballotBox.ts): in SQLite a file of its own, here a schema of its own. */
export interface BoxesTable {
  id: string;
  slot_size: number;
}

export interface SlotsTable {
  slot: number;
  box: string;
  body: Uint8Array;
}

export interface HostedDatabase {
  session_owners: SessionOwnersTable;
  session_leases: SessionLeasesTable;
  sessions: SessionsTable;
  session_tables: SessionTablesTable;
  devices: DevicesTable;
  votes: VotesTable;
  event_log: EventLogTable;
  yjs_updates: YjsUpdatesTable;
  report_notes: ReportNotesTable;
  report_edits: ReportEditsTable;
  report_logos: ReportLogosTable;
  'box.boxes': BoxesTable;
  'box.slots': SlotsTable;
}

export type HostedDb = Kysely<HostedDatabase>;

const MIGRATIONS: Record<string, Migration> = {
  '0001_session_owners': {
    async up(db) {
      await db.schema
        .createTable('session_owners')
        .addColumn('session_id', 'text', (c) => c.primaryKey())
        .addColumn('epoch', 'integer', (c) => c.notNull())
        .addColumn('node', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('session_leases')
        .addColumn('session_id', 'text', (c) => c.primaryKey())
        .addColumn('node', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('renewed_at', 'timestamptz', (c) => c.notNull())
        .execute();
    },
  },
  '0002_app_tables': {
    async up(db) {
      for (const statement of APP_TABLES) await sql.raw(statement).execute(db);
    },
  },
};

/** The app's tables as SQLite has them after its migration 8, one statement each. */
const APP_TABLES = [
  `CREATE TABLE sessions (
    id text PRIMARY KEY,
    kind text NOT NULL,
    title text NOT NULL,
    question text NOT NULL,
    table_count integer NOT NULL,
    themes text NOT NULL,
    join_code text NOT NULL UNIQUE,
    facilitator_key_hash text NOT NULL,
    created_at bigint NOT NULL,
    agenda text NOT NULL DEFAULT '{"rounds":[]}',
    run_state text NOT NULL DEFAULT '{"status":"lobby","stepId":null,"timer":null}',
    projector text NOT NULL DEFAULT '{"theme":"dark","spotlight":null}',
    place text NOT NULL DEFAULT '',
    participation text,
    decides text NOT NULL DEFAULT ''
  )`,
  `CREATE TABLE session_tables (
    session_id text NOT NULL REFERENCES sessions(id),
    number integer NOT NULL,
    host_key_hash text,
    ready integer NOT NULL DEFAULT 0,
    help integer NOT NULL DEFAULT 0,
    seats integer NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, number)
  )`,
  // A device is a random token, nothing more: no name, no address, no user agent.
  `CREATE TABLE devices (
    id text PRIMARY KEY,
    session_id text NOT NULL REFERENCES sessions(id),
    token_hash text NOT NULL UNIQUE,
    table_number integer,
    created_at bigint NOT NULL,
    label text,
    picked_round text
  )`,
  `CREATE INDEX devices_session ON devices(session_id, table_number)`,
  `CREATE UNIQUE INDEX devices_label ON devices(session_id, label)`,
  `CREATE TABLE votes (
    id text PRIMARY KEY,
    session_id text NOT NULL REFERENCES sessions(id),
    method text NOT NULL,
    budget integer NOT NULL,
    max_per_item integer NOT NULL,
    items text NOT NULL,
    status text NOT NULL,
    opened_at bigint NOT NULL,
    closed_at bigint,
    eligible integer,
    rules text,
    source text NOT NULL DEFAULT 'tables',
    blind integer NOT NULL DEFAULT 0,
    step_id text,
    breakdown text
  )`,
  `CREATE INDEX votes_session ON votes(session_id, opened_at)`,
  `CREATE TABLE event_log (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    session_id text NOT NULL REFERENCES sessions(id),
    at bigint NOT NULL,
    type text NOT NULL,
    data text NOT NULL
  )`,
  `CREATE INDEX event_log_session ON event_log(session_id, id)`,
  `CREATE TABLE yjs_updates (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    doc text NOT NULL,
    data bytea NOT NULL
  )`,
  `CREATE INDEX yjs_updates_doc ON yjs_updates(doc, id)`,
  `CREATE TABLE report_notes (
    session_id text NOT NULL REFERENCES sessions(id),
    position integer NOT NULL,
    text text NOT NULL,
    PRIMARY KEY (session_id, position)
  )`,
  `CREATE TABLE report_edits (
    session_id text PRIMARY KEY REFERENCES sessions(id),
    body text NOT NULL
  )`,
  `CREATE TABLE report_logos (
    session_id text PRIMARY KEY REFERENCES sessions(id),
    mime text NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    data bytea NOT NULL
  )`,
  `CREATE SCHEMA box`,
  `CREATE TABLE box.boxes (
    id text PRIMARY KEY,
    slot_size integer NOT NULL
  )`,
  // Slot ids are random (up to 2^47), as in SQLite. Unlike SQLite's box file, Postgres keeps the
  // commit order of rows (xmin, their place in the heap, the WAL): see docs/deploy.md.
  `CREATE TABLE box.slots (
    slot bigint PRIMARY KEY,
    box text NOT NULL,
    body bytea NOT NULL
  )`,
  `CREATE INDEX slots_box ON box.slots(box)`,
];

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };

export interface PostgresOptions {
  /** postgres://user:password@host:5432/database */
  url: string;
  /** Connections in the pool. */
  poolSize?: number;
  /** How long a transaction may stay idle before Postgres ends its connection. */
  idleTransactionMs: number;
}

/** pg's own parsers, except that int8 becomes a number rather than a string. */
const INT8_OID = 20;
function numbersForBigints(oid: number, format: 'text' | 'binary' = 'text'): (value: string) => unknown {
  if (oid === INT8_OID && format === 'text') return Number;
  const parse: unknown = format === 'text' ? pg.types.getTypeParser(oid, 'text') : pg.types.getTypeParser(oid, 'binary');
  return parse as (value: string) => unknown;
}

/** Longer than any wait a statement has reason for (a takeover waits at most two leases). */
const STATEMENT_TIMEOUT_MS = 30_000;

export function connectPostgres(opts: PostgresOptions): HostedDb {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    // bigint columns hold milliseconds and random slot ids, all below 2^53: numbers, as SQLite's.
    types: { getTypeParser: numbersForBigints as typeof pg.types.getTypeParser },
    // A Postgres that stops answering fails a node's queries rather than holding them for ever.
    connectionTimeoutMillis: 5000,
    options: `-c idle_in_transaction_session_timeout=${Math.max(1, Math.round(opts.idleTransactionMs))} -c statement_timeout=${STATEMENT_TIMEOUT_MS}`,
  });
  // Postgres may end a connection at any time: idle in the pool, or checked out in a transaction
  // that a paused node left idle (idle_in_transaction_session_timeout). pg drops it, and the
  // transaction's next query fails; an 'error' event without a listener would end the process.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<HostedDatabase>({ dialect: new PostgresDialect({ pool }) });
}

/** Brings the database to the newest schema; safe to run from several nodes at once. */
export async function migratePostgres(db: HostedDb): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Postgres migration ${failed ?? ''} failed`, { cause: error });
  }
}
