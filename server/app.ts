/**
 * Builds and starts a whole Tafelronde server on one port: REST, the built client,
 * socket.io and the Yjs websocket. Tests start it on port 0 with a temporary data dir.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { openDb } from './db.js';
import { createHttpApp } from './http.js';
import { createLogger, type Logger } from './log.js';
import { attachRealtime } from './realtime.js';
import { createServices, type Services } from './services.js';
import { makeUrls } from './urls.js';
import type { StoreOptions } from './yjs/docStore.js';
import { attachYjsServer } from './yjs/yjsServer.js';

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  services: Services;
  close(): Promise<void>;
}

export async function startServer(config: Config, opts: { log?: Logger; storeOptions?: StoreOptions } = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.logLevel);
  const db = openDb(config.dataDir);
  const httpServer = http.createServer();
  const port = () => (httpServer.address() as AddressInfo | null)?.port ?? config.port;
  const urls = makeUrls({ publicUrl: config.publicUrl, listenHost: config.host, port });
  const base = createServices({ config, db, log, urls, storeOptions: opts.storeOptions });
  const yjs = attachYjsServer({
    server: httpServer,
    sessions: base.sessions,
    devices: base.devices,
    tables: base.tables,
    store: base.store,
    log,
    mayAddPoints: (sessionId, steps) => base.run.mayAddPoints(sessionId, steps),
  });
  const services: Services = { ...base, yjs };
  httpServer.on('request', createHttpApp(services));
  const realtime = attachRealtime(httpServer, services);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });

  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port()}`,
    port: port(),
    services,
    close() {
      closing ??= (async () => {
        yjs.close();
        httpServer.closeAllConnections();
        await realtime.close(); // also closes the HTTP server
        services.store.close();
        db.close();
      })();
      return closing;
    },
  };
}
