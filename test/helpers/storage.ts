/**
 * Which database the test servers of this run store in. The `sqlite` test project runs every
 * integration test as a laptop does; the `postgres` project runs them again in hosted mode, each
 * server on its own database of one real cluster (test/helpers/postgresSuite.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { inject } from 'vitest';
import { BOX_FILE, DB_FILE, type Db } from '../../server/db.js';
import { copyToSqlite, WORKING_COPY_DIR } from '../../server/hosted/writeThrough.js';
import { createDatabase } from './postgres.js';

const admin = inject('postgresAdmin') as string | undefined;

/** True in the `postgres` project. */
export const onPostgres = admin !== undefined;

/**
 * Where a server keeps its SQLite files: DATA_DIR on a laptop, the working copy inside it in
 * hosted mode (what a node's own disk holds).
 */
export function sqliteDir(dataDir: string): string {
  return onPostgres ? path.join(dataDir, WORKING_COPY_DIR) : dataDir;
}

const databases = new Map<string, Promise<string>>();

/**
 * The environment that points a server at its storage: nothing on SQLite (DATA_DIR is enough),
 * DATABASE_URL on Postgres, the same database for the same data dir (so a restart finds it).
 */
export async function storageEnv(dataDir: string): Promise<Record<string, string>> {
  if (!admin) return {};
  let url = databases.get(dataDir);
  if (!url) {
    url = createDatabase(admin);
    databases.set(dataDir, url);
    // A failed attempt is not kept: the next server on this data dir tries again.
    url.catch(() => databases.delete(dataDir));
  }
  return { DATABASE_URL: await url };
}

/**
 * Runs `fn` on what storage holds for `dataDir` now, as a SQLite database: the files themselves
 * on SQLite; on Postgres a fresh copy of its database, made the way a starting node makes one.
 * Opened writable, as a restarting server opens them: a journal left by a crash is rolled back.
 */
export async function stored<T>(dataDir: string, fn: (db: Db) => T): Promise<T> {
  if (!admin) return openFiles(dataDir, fn);
  const { DATABASE_URL } = await storageEnv(dataDir);
  return inDatabase(DATABASE_URL!, fn);
}

/** Runs `fn` on a fresh SQLite copy of the Postgres database at `url` (removed again after). */
export async function inDatabase<T>(url: string, fn: (db: Db) => T): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-stored-'));
  try {
    const db = await copyToSqlite(url, dir);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function openFiles<T>(dataDir: string, fn: (db: Db) => T): T {
  const db = new Database(path.join(dataDir, DB_FILE), { fileMustExist: true });
  db.prepare('ATTACH DATABASE ? AS box').run(path.join(dataDir, BOX_FILE));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
