/**
 * Where the server's data lives: SQLite in DATA_DIR on a laptop, or Postgres in hosted mode
 * (DATABASE_URL), worked on through a SQLite copy (server/hosted/writeThrough.ts). Either way the
 * storage modules get one synchronous SQLite connection.
 */
import type { Config } from './config.js';
import { openDb, type Db } from './db.js';
import { notStored } from './errors.js';
import { nodeName, WriteThrough } from './hosted/writeThrough.js';
import type { Logger } from './log.js';

export interface Storage {
  db: Db;
  /**
   * Hosted mode only: resolves once everything written so far is committed in Postgres, and
   * rejects with `not_stored` when this node can no longer store. Answers to clients wait for it.
   * On SQLite a write is committed when it returns (group commits wait on
   * their own), so there is nothing to wait for.
   */
  persisted?: () => Promise<void>;
  close(): Promise<void>;
}

export async function openStorage(config: Config, log: Logger, onLost: (err: Error) => void): Promise<Storage> {
  if (!config.databaseUrl) {
    const db = openDb(config.dataDir);
    return {
      db,
      close: () => {
        db.close();
        return Promise.resolve();
      },
    };
  }
  const hosted = await WriteThrough.open({ url: config.databaseUrl, dataDir: config.dataDir, log, node: nodeName(config.port), onLost });
  return { db: hosted.db, persisted: () => hosted.persisted().catch(() => Promise.reject(notStored())), close: () => hosted.close() };
}
