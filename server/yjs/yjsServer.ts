/**
 * The Yjs websocket endpoint. It speaks y-websocket's wire protocol (sync, awareness, auth
 * messages from y-protocols), but decides access itself before the upgrade: a device may open
 * only its own table's document, a table host only the table it hosts, and a facilitator gets
 * a read-only view of tables that the server enforces by refusing any update it sends. The
 * session's plenary board is the other way round: only the facilitator opens it, to edit. What an update
 * may change is checked too (see updateGuard.ts): new points only while the step collects
 * them, hiding points only by the host.
 *
 * This file only wires the parts together and handles the upgrade:
 * - access.ts: who may open which document (credentials, `authorise`);
 * - connection.ts: one connection's life and its messages (`serveConnection`, `handleMessage`);
 * - rooms.ts: the open documents with their presence and connections, relaying once stored;
 * - guardedUpdate.ts: applying a writer's update under the board's rules, refusing writes;
 * - deviceSockets.ts: each device's open connections;
 * - wire.ts: message types and sending.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { YJS_PATH, YJS_SUBPROTOCOL } from '../../shared/protocol.js';
import type { Devices } from '../devices.js';
import type { Logger } from '../log.js';
import type { OriginCheck } from '../origin.js';
import type { Sessions } from '../sessions.js';
import type { Tables } from '../tables.js';
import type { BoardPhase } from '../domain/boardRules.js';
import { authorise } from './access.js';
import { serveConnection, type ConnectionDeps } from './connection.js';
import { DeviceSockets } from './deviceSockets.js';
import type { DocStore } from './docStore.js';
import { DocRooms } from './rooms.js';

export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface YjsServer {
  /** Closes every connection of this device, e.g. when it moves to another table. */
  disconnectDevice(deviceId: string): void;
  /** What the endpoint holds now; read-only, for the soak bench. */
  stats(): YjsStats;
  close(): void;
}

export interface YjsStats {
  /** Documents with at least one connection. */
  rooms: number;
  connections: number;
  /** Devices the per-device connection count keeps an entry for. */
  devices: number;
}

export interface YjsServerOptions {
  server: Server;
  sessions: Sessions;
  devices: Devices;
  tables: Tables;
  store: DocStore;
  log: Logger;
  /** Where the session is, for what its boards accept (see domain/boardRules.ts). */
  boardPhase(sessionId: string): BoardPhase;
  /** Whether the page the handshake comes from may connect (see server/origin.ts). */
  originAllowed: OriginCheck;
  /** Open connections one device may have; more are refused with 429. */
  connectionsPerDevice: number;
}

/** What the upgrade handler works with: the options, and the parts `attachYjsServer` made. */
export interface Endpoint {
  opts: YjsServerOptions;
  wss: WebSocketServer;
  connections: ConnectionDeps;
}

function refuse(socket: Duplex, status: number, reason: string) {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Refuses a Yjs handshake with an HTTP status, or upgrades it and serves the connection. */
export function handleUpgrade(endpoint: Endpoint, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const { opts, wss, connections } = endpoint;
  const [path = ''] = (req.url ?? '').split('?');
  if (!path.startsWith(`${YJS_PATH}/`)) return; // socket.io handles its own path
  if (!opts.originAllowed(req.headers)) {
    refuse(socket, 403, 'Forbidden');
    return;
  }
  let access: ReturnType<typeof authorise>;
  try {
    access = authorise(req, opts);
  } catch (err) {
    opts.log.error('yjs upgrade failed', err);
    refuse(socket, 500, 'Internal Server Error');
    return;
  }
  if ('status' in access) {
    refuse(socket, access.status, access.reason);
    return;
  }
  if (access.deviceId && connections.deviceSockets.count(access.deviceId) >= opts.connectionsPerDevice) {
    // y-websocket retries with backoff, so a tablet gets in once a stale connection has gone.
    refuse(socket, 429, 'Too Many Requests');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, access, connections));
}

export function attachYjsServer(opts: YjsServerOptions): YjsServer {
  const { server, store, log } = opts;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(YJS_SUBPROTOCOL) ? YJS_SUBPROTOCOL : false),
  });
  const rooms = new DocRooms(store);
  const deviceSockets = new DeviceSockets();
  const connections: ConnectionDeps = {
    store,
    log,
    rooms,
    deviceSockets,
    boardPhase: (sessionId) => opts.boardPhase(sessionId),
  };
  const endpoint: Endpoint = { opts, wss, connections };
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => handleUpgrade(endpoint, req, socket, head);

  server.on('upgrade', onUpgrade);

  return {
    disconnectDevice(deviceId) {
      deviceSockets.disconnect(deviceId);
    },
    stats() {
      return { ...rooms.stats(), devices: deviceSockets.devices };
    },
    close() {
      server.off('upgrade', onUpgrade);
      rooms.terminateAll();
      wss.close();
    },
  };
}
