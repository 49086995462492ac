/**
 * One schema, two databases: the Postgres migrations (server/hosted/postgres.ts) make the same
 * tables, columns, kinds of column, nullability, defaults, keys (primary, unique, foreign) and
 * indexes as SQLite's newest migration (server/db.ts), so a storage module can speak to either. A new SQLite migration
 * without its Postgres twin fails here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../server/db.js';
import { connectPostgres, migratePostgres, type HostedDb } from '../server/hosted/postgres.js';
import { postgresAvailable, startPostgres, type PostgresCluster } from './helpers/postgres.js';

interface Index {
  unique: boolean;
  columns: string[];
}

/** A table's primary key, unique constraints and foreign keys, each as text to compare. */
type Keys = string[];

interface Column {
  name: string;
  kind: 'text' | 'integer' | 'bytes';
  notNull: boolean;
  default: string | null;
}

/** Tables of the hosted mode only: Postgres keeps ownership and Kysely's migration state. */
const HOSTED_ONLY = new Set(['session_owners', 'session_leases', 'kysely_migration', 'kysely_migration_lock']);

/** A column's kind, failing on a type this test does not know (a new one needs a look). */
function kindOf(type: string, kinds: Record<string, Column['kind']>): Column['kind'] {
  const kind = kinds[type];
  if (!kind) throw new Error(`a column of type ${type}: compare it by hand, then teach this test`);
  return kind;
}

function sqliteSchema(db: Db) {
  const tables = new Map<string, Column[]>();
  const indexes = new Map<string, Index>();
  const keys = new Map<string, Keys>();
  for (const schema of ['main', 'box']) {
    const names = db
      .prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .pluck()
      .all() as string[];
    for (const table of names) {
      const info = db.prepare(`PRAGMA ${schema}.table_info(${table})`).all() as {
        name: string;
        type: string;
        notnull: number;
        pk: number;
        dflt_value: string | null;
      }[];
      tables.set(
        schema === 'main' ? table : `${schema}.${table}`,
        info.map((c) => ({
          name: c.name,
          kind: kindOf(c.type, { TEXT: 'text', INTEGER: 'integer', BLOB: 'bytes' }),
          notNull: c.notnull === 1 || c.pk > 0,
          default: c.dflt_value,
        })),
      );
      const name = schema === 'main' ? table : `${schema}.${table}`;
      const tableKeys: Keys = [
        `primary ${info
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name)
          .join(',')}`,
      ];
      const list = db.prepare(`PRAGMA ${schema}.index_list(${table})`).all() as { name: string; origin: string; unique: number }[];
      for (const index of list) {
        if (index.origin === 'pk') continue;
        const columns = (db.prepare(`PRAGMA ${schema}.index_info(${index.name})`).all() as { seqno: number; name: string }[])
          .sort((a, b) => a.seqno - b.seqno)
          .map((c) => c.name);
        if (index.origin === 'u') tableKeys.push(`unique ${columns.join(',')}`);
        else indexes.set(index.name, { unique: index.unique === 1, columns });
      }
      const foreign = db.prepare(`PRAGMA ${schema}.foreign_key_list(${table})`).all() as { table: string; from: string; to: string }[];
      for (const fk of foreign) tableKeys.push(`foreign ${fk.from} -> ${fk.table}.${fk.to}`);
      keys.set(name, tableKeys.sort());
    }
  }
  return { tables, indexes, keys };
}

async function postgresSchema(db: HostedDb) {
  const { rows } = await sql<{ schema: string; table: string; name: string; type: string; nullable: string; default: string | null }>`
    SELECT table_schema AS schema, table_name AS table, column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS default
    FROM information_schema.columns WHERE table_schema IN ('public', 'box') ORDER BY table_schema, table_name, ordinal_position`.execute(db);
  const tables = new Map<string, Column[]>();
  for (const r of rows) {
    const table = r.schema === 'public' ? r.table : `${r.schema}.${r.table}`;
    if (HOSTED_ONLY.has(table)) continue;
    if (!tables.has(table)) tables.set(table, []);
    tables.get(table)!.push({
      name: r.name,
      kind: kindOf(r.type, { text: 'text', integer: 'integer', bigint: 'integer', bytea: 'bytes' }),
      notNull: r.nullable === 'NO',
      // '0', ''''::text' and the like, as SQLite writes them.
      default: r.default?.replace(/::text$/, '') ?? null,
    });
  }
  // Indexes made by name; the ones behind PRIMARY KEY and UNIQUE columns are SQLite's automatic ones.
  const index = await sql<{ name: string; unique: boolean; columns: string[] }>`
    SELECT i.relname AS name, x.indisunique AS unique, array_agg(a.attname::text ORDER BY k.ord) AS columns
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    WHERE n.nspname IN ('public', 'box') AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
      AND t.relname NOT IN ('session_owners', 'session_leases', 'kysely_migration', 'kysely_migration_lock')
    GROUP BY i.relname, x.indisunique`.execute(db);
  const constraints = await sql<{ table: string; type: 'p' | 'u' | 'f'; columns: string[]; refTable: string; refColumns: string[] | null }>`
    SELECT c.conrelid::regclass::text AS table, c.contype AS type,
      array_agg(a.attname::text ORDER BY k.ord) AS columns,
      c.confrelid::regclass::text AS "refTable",
      (SELECT array_agg(r.attname::text ORDER BY rk.ord) FROM unnest(c.confkey) WITH ORDINALITY AS rk(attnum, ord)
        JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = rk.attnum) AS "refColumns"
    FROM pg_constraint c
    JOIN pg_namespace n ON n.oid = c.connamespace
    CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
    WHERE n.nspname IN ('public', 'box') AND c.contype IN ('p', 'u', 'f')
    GROUP BY c.oid, c.conrelid, c.contype, c.confrelid, c.confkey`.execute(db);
  const keys = new Map<string, Keys>();
  for (const c of constraints.rows) {
    if (HOSTED_ONLY.has(c.table)) continue;
    const key =
      c.type === 'p'
        ? `primary ${c.columns.join(',')}`
        : c.type === 'u'
          ? `unique ${c.columns.join(',')}`
          : `foreign ${c.columns.join(',')} -> ${c.refTable}.${(c.refColumns ?? []).join(',')}`;
    keys.set(c.table, [...(keys.get(c.table) ?? []), key].sort());
  }
  return {
    tables: new Map([...tables].sort(([a], [b]) => (a < b ? -1 : 1))),
    indexes: new Map(index.rows.map((r) => [r.name, { unique: r.unique, columns: r.columns }])),
    keys,
  };
}

describe.skipIf(!postgresAvailable)('the app schema on SQLite and on Postgres', () => {
  let cluster: PostgresCluster;
  let pgDb: HostedDb;
  let sqlite: Db;
  let dataDir: string;

  beforeAll(async () => {
    cluster = await startPostgres();
    pgDb = connectPostgres({ url: await cluster.createDatabase(), idleTransactionMs: 5000 });
    await migratePostgres(pgDb);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-schema-'));
    sqlite = openDb(dataDir);
  });

  afterAll(async () => {
    sqlite?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    await pgDb?.destroy();
    cluster?.stop();
  });

  it('has the same tables and columns, of the same kinds, nullability and defaults', async () => {
    const lite = sqliteSchema(sqlite);
    const pg = await postgresSchema(pgDb);
    expect(lite.tables.size).toBe(11);
    expect([...pg.tables.keys()].sort()).toEqual([...lite.tables.keys()].sort());
    for (const [table, columns] of lite.tables) expect(pg.tables.get(table), table).toEqual(columns);
  });

  it('has the same primary keys, unique constraints and foreign keys', async () => {
    const lite = sqliteSchema(sqlite).keys;
    expect(lite.get('devices')).toEqual(['foreign session_id -> sessions.id', 'primary id', 'unique token_hash']);
    expect(Object.fromEntries((await postgresSchema(pgDb)).keys)).toEqual(Object.fromEntries(lite));
  });

  it('has the same indexes, on the same columns, unique or not', async () => {
    const lite = sqliteSchema(sqlite).indexes;
    expect(lite.get('devices_label')).toEqual({ unique: true, columns: ['session_id', 'label'] });
    expect((await postgresSchema(pgDb)).indexes).toEqual(lite);
  });

  it('gives times and ids back as numbers, as SQLite does', async () => {
    const createdAt = Date.now();
    await pgDb
      .insertInto('sessions')
      .values({
        id: 's1',
        kind: 'thematafel',
        title: 'T',
        question: 'V',
        table_count: 2,
        themes: '[]',
        join_code: 'ABC123',
        facilitator_key_hash: 'h',
        created_at: createdAt,
        participation: null,
      })
      .execute();
    const event = await pgDb
      .insertInto('event_log')
      .values({ session_id: 's1', at: createdAt, type: 'session.created', data: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(event.id).toBe(1);
    const row = await pgDb.selectFrom('sessions').selectAll().where('id', '=', 's1').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ created_at: createdAt, agenda: '{"rounds":[]}', decides: '', table_count: 2 });
  });
});
