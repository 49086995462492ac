/**
 * The server the app listens with: plain HTTP (the zero-setup default), or HTTPS with the
 * laptop's own certificate authority (HTTPS=true).
 *
 * In the secure mode one port speaks both: a connection that starts with a TLS handshake goes
 * to the HTTPS server; one that starts with plain HTTP goes to a small server that only hands
 * out the CA certificate and its trust page and sends everything else on to https://. So the
 * address people type or scan keeps working, and a tablet can fetch the certificate before it
 * trusts it. The redirect is temporary (302): a browser must not remember it, or switching back
 * to plain HTTP would lock tablets out.
 */
import express from 'express';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import path from 'node:path';
import { TRUST_PATHS, type ConnectionMode } from '../shared/connectionMode.js';
import { certificateHosts, loadOrIssueCertificates, type Certificates } from './certificates.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { renderTrustPage } from './trustPage.js';
import { lanAddresses, type Urls } from './urls.js';

/** The first byte of a TLS ClientHello record. */
const TLS_HANDSHAKE = 0x16;

export interface WebServer {
  /** Where the app's pages, API, socket.io and Yjs are attached; HTTPS in the secure mode. */
  server: http.Server;
  scheme: 'http' | 'https';
  certificates: Certificates | null;
  /** The plain-HTTP side of the secure mode, to give its handler; null in the plain mode. */
  plain: http.Server | null;
  closeAllConnections(): void;
}

export function createWebServer(config: Config, log: Logger): WebServer {
  if (!config.https) {
    const server = http.createServer();
    return { server, scheme: 'http', certificates: null, plain: null, closeAllConnections: () => server.closeAllConnections() };
  }
  const hosts = certificateHosts({ lan: lanAddresses(), publicUrl: config.publicUrl, listenHost: config.host });
  const certificates = loadOrIssueCertificates(path.join(config.dataDir, 'tls'), hosts);
  if (certificates.made.ca) log.info('Made a new local certificate authority in DATA_DIR/tls; tablets must trust it once (see /certificaat).');
  else if (certificates.made.server) log.info("Issued a new server certificate for this laptop's addresses (the tablets' trust stays).");
  // https.Server is http.Server's kin: same 'request' and 'upgrade' events, which is all that is attached to it.
  const server = https.createServer({ key: certificates.key, cert: certificates.cert }) as unknown as http.Server;
  const plain = http.createServer();
  const plainSockets = splitByFirstByte(server, plain);
  return {
    server,
    scheme: 'https',
    certificates,
    plain,
    closeAllConnections() {
      server.closeAllConnections();
      // The plain server never listens itself, so Node does not track its connections for it.
      for (const socket of plainSockets) socket.destroy();
    },
  };
}

/**
 * Takes over the HTTPS server's connection handling: reads the first byte of each connection
 * and hands the connection, byte put back, to TLS or to the plain server.
 */
function splitByFirstByte(tlsServer: http.Server, plain: http.Server): Set<net.Socket> {
  const plainSockets = new Set<net.Socket>();
  const toTls = tlsServer.listeners('connection') as ((socket: net.Socket) => void)[];
  tlsServer.removeAllListeners('connection');
  tlsServer.on('connection', function route(socket: net.Socket) {
    const dropEarly = () => socket.destroy();
    const onReadable = () => {
      const head = socket.read(1) as Buffer | null;
      if (head === null) return;
      socket.off('readable', onReadable);
      socket.off('error', dropEarly);
      socket.unshift(head);
      if (head[0] === TLS_HANDSHAKE) for (const listener of toTls) listener.call(tlsServer, socket);
      else if (head[0]! > 0x20 && head[0]! < 0x7f) {
        plainSockets.add(socket);
        socket.once('close', () => plainSockets.delete(socket));
        plain.emit('connection', socket);
      } else socket.destroy();
    };
    socket.on('error', dropEarly);
    socket.on('readable', onReadable);
  });
  return plainSockets;
}

/**
 * `GET /api/connection` (what the facilitator's screen says about the mode) and, in the secure
 * mode, the CA certificate and its trust page. Mounted before the app's own routes.
 */
export function connectionRoutes(web: Pick<WebServer, 'scheme' | 'certificates'>, urls: Urls): express.Router {
  const router = express.Router();
  const trustPageUrl = (host: string | undefined) => {
    const url = new URL(TRUST_PATHS.page, urls.reachable(host));
    url.protocol = 'http:';
    return url.href;
  };
  router.get('/api/connection', (req, res) => {
    const certs = web.certificates;
    const body: ConnectionMode = {
      mode: web.scheme,
      appUrl: urls.reachable(req.get('host')),
      trustPage: certs ? trustPageUrl(req.get('host')) : null,
      caFingerprint: certs?.caFingerprint ?? null,
    };
    res.set('Cache-Control', 'no-store').json(body);
  });
  const certs = web.certificates;
  if (certs) {
    router.get(TRUST_PATHS.caCert, (_req, res) => {
      res.set('Cache-Control', 'no-cache').type('application/x-x509-ca-cert').attachment('tafelronde-ca.crt').send(certs.caCert);
    });
    router.get(TRUST_PATHS.page, async (req, res) => {
      const html = await renderTrustPage({ pageUrl: trustPageUrl(req.get('host')), appUrl: urls.reachable(req.get('host')), fingerprint: certs.caFingerprint });
      res.set('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(html);
    });
  }
  return router;
}

/** The plain-HTTP side of the secure mode: the trust routes, and a temporary redirect for the rest. */
export function plainHttpApp(trust: express.Router): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    // Only the certificate and its page are served over plain HTTP; nothing of the app itself.
    if (req.path === TRUST_PATHS.caCert || req.path === TRUST_PATHS.page) return next();
    const host = req.get('host');
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !host || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) {
      res.status(400).type('text/plain').send('Use https:// for this address.\n');
      return;
    }
    res.redirect(302, `https://${host}${req.originalUrl}`);
  });
  app.use(trust);
  return app;
}
