/**
 * Session control over socket.io. `attachRealtime` wires the parts together:
 * - gate.ts: the handshake, and every event's rate limit, role, control and payload check;
 * - connection.ts: the rooms a connection joins and the state it gets at once;
 * - handlers.ts with handlers/: what each event does, typed by the contract in shared/protocol.ts;
 * - push.ts: live state sent to the rooms, throttled where it is expensive.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { Consoles } from '../consoles.js';
import { originCheck } from '../origin.js';
import { Presence } from '../presence.js';
import type { Services } from '../services.js';
import { MAX_MESSAGE_BYTES } from '../yjs/yjsServer.js';
import type { IoServer, Realtime } from './context.js';
import { onConnection } from './connection.js';
import { authenticate } from './gate.js';
import { Push } from './push.js';
import { room } from './rooms.js';

export function attachRealtime(httpServer: HttpServer, services: Services): { io: IoServer; close(): Promise<void> } {
  const originAllowed = originCheck(services.config);
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    // A recovered connection still passes the handshake: its credentials and the per-device
    // connection limit are checked again, and socket.data is set afresh.
    // Recovery keeps every packet sent, as live objects, this long (and up to a minute more): with
    // thousands of phones that was most of the server's memory. Every (re)connect gets the full
    // state anyway, so a longer gap loses nothing but the same socket id.
    connectionStateRecovery: { maxDisconnectionDuration: 30_000, skipMiddlewares: false },
    // Runs for every engine.io handshake, polling or websocket, before any session exists.
    allowRequest: (req, callback) => {
      const ok = originAllowed(req.headers);
      callback(ok ? null : 'This page may not connect here', ok);
    },
  });
  const presence = new Presence((deviceId) => (io.sockets.adapter.rooms.get(room.device(deviceId))?.size ?? 0) > 0);
  const realtime: Realtime = { services, io, push: new Push(io, services, presence), consoles: new Consoles(), presence };

  io.use((socket, next) => authenticate(io, services, socket, next));
  io.on('connection', (socket) => onConnection(realtime, socket));

  return {
    io,
    async close() {
      realtime.push.stop();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
    },
  };
}
