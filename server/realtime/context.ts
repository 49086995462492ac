/**
 * What a connection is (its role and what it proved at the handshake) and what a handler gets:
 * the services, the push side, and that connection's data, narrowed to the roles that may send
 * the event, so a device handler has a device id without asking whether it has one.
 */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, Role, ServerToClientEvents } from '../../shared/protocol.js';
import type { Consoles } from '../consoles.js';
import type { Presence } from '../presence.js';
import type { Services } from '../services.js';
import type { Push } from './push.js';

/**
 * The device token and the facilitator key are kept only in memory, on the connection: a
 * ballot's seal needs the token (see votes.ts), host links are derived from the key (tables.ts).
 */
export type SocketData =
  | { role: 'facilitator'; sessionId: string; secret: string }
  | { role: 'host'; sessionId: string; table: number }
  | { role: 'device'; sessionId: string; deviceId: string; secret: string }
  | { role: 'viewer'; sessionId: string };

export type DataOf<R extends Role> = Extract<SocketData, { role: R }>;

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** What lives as long as the realtime side: shared by every connection. */
export interface Realtime {
  services: Services;
  io: IoServer;
  push: Push;
  consoles: Consoles;
  presence: Presence;
}

export interface HandlerContext<R extends Role = Role> extends Realtime {
  data: DataOf<R>;
  socketId: string;
  /** The Host header the connection came in with: links are made for the address it used. */
  host: string | undefined;
}
