/**
 * The hosted mode's Postgres, through Kysely: a connection pool, the typed tables, and the
 * migrations that bring a database to them (Kysely's Migrator, one migration per shipped schema
 * change; never edit one that has shipped).
 *
 * Every pool connection gives up a transaction left idle for longer than a lease: a node that is
 * paused (SIGSTOP, a VM frozen) while it holds a row lock must not stall the node that takes
 * its sessions over (see ownership.ts).
 */
import { Kysely, Migrator, PostgresDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';

/** Which node owns a session, since when, and under which epoch (see ownership.ts). */
export interface SessionOwnersTable {
  session_id: string;
  epoch: number;
  node: string;
  renewed_at: Date;
}

export interface HostedDatabase {
  session_owners: SessionOwnersTable;
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
        .addColumn('renewed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };

export interface PostgresOptions {
  /** postgres://user:password@host:5432/database */
  url: string;
  /** Connections in the pool. */
  poolSize?: number;
  /** How long a transaction may stay idle before Postgres ends its connection. */
  idleTransactionMs: number;
}

export function connectPostgres(opts: PostgresOptions): HostedDb {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    options: `-c idle_in_transaction_session_timeout=${Math.max(1, Math.round(opts.idleTransactionMs))}`,
  });
  // A connection that Postgres ends while idle in the pool is dropped by pg; without a listener
  // its error would end the process.
  pool.on('error', () => undefined);
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
