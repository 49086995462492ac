/**
 * Builds and starts a whole Tafelronde server on one port: REST, the built client,
 * socket.io and the Yjs websocket. Tests start it on port 0 with a temporary data dir.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import helmet from 'helmet';
import type { Config } from './config.js';
import { createHttpApp } from './http.js';
import { createLogger, type Logger } from './log.js';
import { originCheck, type OriginCheck } from './origin.js';
import { connectRedis } from './hosted/redis.js';
import { attachRealtime } from './realtime/index.js';
import { createServices, type Services } from './services.js';
import { openStorage, type Storage } from './storage.js';
import { makeUrls } from './urls.js';
import { connectionRoutes, createWebServer, plainHttpApp } from './webServer.js';
import type { StoreOptions } from './yjs/docStore.js';
import { attachYjsServer, type YjsStats } from './yjs/yjsServer.js';

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  services: Services;
  /** What the server holds in memory now; read-only, for the soak bench. */
  stats(): ServerStats;
  close(): Promise<void>;
}

export interface ServerStats {
  /** Connected socket.io sockets. */
  sockets: number;
  /** Table and plenary documents in memory; `idle` ones have no connection and wait to be unloaded. */
  docs: { loaded: number; idle: number };
  yjs: YjsStats;
}

/** `ws://` and `wss://` for the host the page came from; nothing for a Host header that is no host. */
function websocketSources(host: string | undefined): string {
  return host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? `ws://${host} wss://${host}` : '';
}

/**
 * Security headers for every page and API answer, and the origin rule for the API: a POST from
 * a page on another site is refused before it reaches a route.
 */
function secured(inner: express.Express, originAllowed: OriginCheck): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // React and recharts set style attributes; no script can come in that way.
          styleSrc: ["'self'", "'unsafe-inline'"],
          // The favicon is a data: URL; downloads of the report go through blob: URLs.
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          // socket.io and Yjs websockets to this same host; older Safari does not count ws: as 'self'.
          connectSrc: ["'self'", (req) => websocketSources(req.headers.host)],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'self'"],
        },
      },
      // The laptop serves plain HTTP on the room's network: HSTS would lock its name to HTTPS,
      // and browsers ignore these two on an untrustworthy origin with an error in the console.
      strictTransportSecurity: false,
      crossOriginOpenerPolicy: false,
      originAgentCluster: false,
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  app.use('/api', (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || originAllowed(req.headers)) return next();
    res.status(403).json({ error: { code: 'forbidden', message: 'Requests from this page are not accepted' } });
  });
  app.use(inner);
  return app;
}

export interface StartOptions {
  log?: Logger;
  storeOptions?: StoreOptions;
  /**
   * Hosted mode: the node can no longer write to Postgres (another node took over). The server
   * has closed by the time this is called; server/main.ts ends the process.
   */
  onLost?: (err: Error) => void;
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.logLevel);
  let running: RunningServer | null = null;
  let lost: Error | null = null;
  const stop = (err: Error) => void running!.close().finally(() => opts.onLost?.(err));
  const storage = await openStorage(config, log, (err) => {
    log.error('This node stops serving: it can no longer store what it is told', err);
    lost = err;
    if (running) stop(err);
  });
  try {
    running = await serve(config, opts, log, storage);
  } catch (err) {
    // E.g. the port is taken: hosted mode's lease goes back at once, for a retry on another port.
    await storage.close().catch(() => undefined);
    throw err;
  }
  if (lost) stop(lost);
  return running;
}

async function serve(config: Config, opts: StartOptions, log: Logger, storage: Storage): Promise<RunningServer> {
  const { db } = storage;
  // Plain HTTP, or HTTPS with the laptop's own certificate authority (server/webServer.ts).
  const web = createWebServer(config, log);
  const httpServer = web.server;
  const port = () => (httpServer.address() as AddressInfo | null)?.port ?? config.port;
  const urls = makeUrls({ publicUrl: config.publicUrl, listenHost: config.host, port, scheme: web.scheme });
  const originAllowed = originCheck(config);
  const redis = config.redisUrl ? connectRedis(config.redisUrl, log) : undefined;
  const base = createServices({ config, db, log, urls, redis, storeOptions: opts.storeOptions, ...(storage.persisted && { persisted: storage.persisted }) });
  const yjs = attachYjsServer({
    server: httpServer,
    sessions: base.sessions,
    devices: base.devices,
    tables: base.tables,
    store: base.store,
    log,
    boardPhase: (sessionId) => base.run.boardPhase(sessionId),
    originAllowed,
    connectionsPerDevice: config.limits.connectionsPerDevice,
  });
  const services: Services = { ...base, yjs };
  const trust = connectionRoutes(web, urls);
  const appWithTrust = express().disable('x-powered-by').use(trust).use(createHttpApp(services));
  httpServer.on('request', secured(appWithTrust, originAllowed));
  web.plain?.on('request', secured(plainHttpApp(trust), originAllowed));
  const realtime = attachRealtime(httpServer, services);

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    yjs.close();
    await realtime.close().catch(() => undefined);
    redis?.destroy();
    throw err;
  }

  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      yjs.close();
      web.closeAllConnections();
      await realtime.close(); // also closes the HTTP server
      services.store.close();
      services.devices.flush();
      services.votes.flush();
      services.evaluations.flush();
      try {
        await storage.close();
      } finally {
        redis?.destroy();
      }
    })();
    return closing;
  };
  return {
    url: `${web.scheme}://${host}:${port()}`,
    port: port(),
    services,
    stats: () => ({ sockets: realtime.io.of('/').sockets.size, docs: services.store.stats(), yjs: yjs.stats() }),
    close,
  };
}
