/**
 * Starts the real Tafelronde server (REST, socket.io and the Yjs websocket on one port) on a
 * free port with a fresh temporary data dir, the way server/main.ts does, minus the client build.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { Logger } from '../../server/log.js';
import type { Services } from '../../server/services.js';
import type { StoreOptions } from '../../server/yjs/docStore.js';
import { storageEnv } from './storage.js';

export interface TestServer {
  /** e.g. http://127.0.0.1:41234; stays the same across `restart()` (the port is reused). */
  readonly url: string;
  readonly port: number;
  /** The services of the server that runs now (new objects after `restart()`). */
  readonly services: Services;
  readonly dataDir: string;
  /** Closes the server and removes its data dir. */
  close(): Promise<void>;
  /** Closes the server and starts a new one on the same data dir (and, if it can, the same port). */
  restart(): Promise<void>;
}

export interface Options {
  storeOptions?: StoreOptions;
  /** Extra environment for loadConfig, e.g. PUBLIC_URL. */
  env?: Record<string, string>;
  /**
   * Keep the rate and connection limits of a real server. By default tests get limits they
   * never reach: one test process joins and emits far faster than any room would.
   */
  realLimits?: boolean;
  /** Where the server logs to; by default nowhere (LOG_LEVEL silent). */
  log?: Logger;
}

/** Limits no test reaches unless it means to; `env` or `realLimits` bring the real ones back. */
const GENEROUS_LIMITS = {
  JOIN_FAILURES_PER_MINUTE: '1000000',
  JOINS_PER_MINUTE: '1000000',
  EVENTS_PER_SECOND: '1000000',
  EVENT_BURST: '1000000',
  CONNECTIONS_PER_DEVICE: '1000',
};

async function boot(dataDir: string, port: number, opts: Options): Promise<RunningServer> {
  const config = loadConfig(
    {
      ...(opts.realLimits ? {} : GENEROUS_LIMITS),
      ...(await storageEnv(dataDir)),
      ...opts.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    },
    // No built client: these tests talk to the API, socket.io and Yjs only.
    { clientDir: null },
  );
  return startServer(config, { ...(opts.storeOptions && { storeOptions: opts.storeOptions }), ...(opts.log && { log: opts.log }) });
}

export async function startTestServer(opts: Options = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-test-'));
  let running: RunningServer | null = await boot(dataDir, 0, opts);
  const port = running.port;
  let closed = false;

  const current = (): RunningServer => {
    if (!running) throw new Error('the test server is not running');
    return running;
  };

  return {
    get url() {
      return current().url;
    },
    get port() {
      return current().port;
    },
    get services() {
      return current().services;
    },
    dataDir,
    async restart() {
      const old = current();
      running = null;
      await old.close();
      try {
        running = await boot(dataDir, port, opts);
      } catch (err) {
        // Someone took the port in between; any port will do for tests that reconnect by hand.
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
        running = await boot(dataDir, 0, opts);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      const r = running;
      running = null;
      if (r) await r.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Rows in a table of the server's database. */
export function countRows(server: TestServer, table: string, where = '', ...params: unknown[]): number {
  const row = server.services.db.prepare(`SELECT COUNT(*) AS n FROM ${table} ${where}`).get(...params) as { n: number };
  return row.n;
}
