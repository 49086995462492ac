/**
 * One Yjs connection's life, from the upgrade to its close: it joins its document's room, is
 * kept alive with pings, and has its messages handled in the order they come.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { BOARD_REFUSAL as REFUSAL } from '../../shared/protocol.js';
import type { Logger } from '../log.js';
import type { Access } from './access.js';
import { shapeAwareness } from './awarenessGuard.js';
import type { DeviceSockets } from './deviceSockets.js';
import type { DocStore } from './docStore.js';
import { applyGuarded, denyWrite, isEmptyUpdate, type GuardDeps } from './guardedUpdate.js';
import type { DocRooms, Room } from './rooms.js';
import { awarenessMessage, MESSAGE_AUTH, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, send } from './wire.js';

const PING_INTERVAL_MS = 30_000;

/** What handling a message asks of the rest of the server. */
export interface MessageDeps extends GuardDeps {
  store: Pick<DocStore, 'compact' | 'whenStored'>;
}

export interface ConnectionDeps extends MessageDeps {
  rooms: DocRooms;
  deviceSockets: DeviceSockets;
  log: Logger;
}

/** Serves an upgraded connection that `authorise` let in, until it closes. */
export function serveConnection(ws: WebSocket, access: Access, deps: ConnectionDeps): void {
  const { rooms, deviceSockets, log } = deps;
  const room = rooms.join(access.docName, ws);
  if (access.deviceId) deviceSockets.add(access.deviceId, ws);
  ws.binaryType = 'arraybuffer';
  // ws reports a bad frame (e.g. over maxPayload) as an error and closes the socket itself;
  // without a listener the error would take the whole server down.
  ws.on('error', (err) => log.debug(`yjs: connection error (${err.message})`));

  let alive = true;
  ws.on('pong', () => (alive = true));
  const ping = setInterval(() => {
    if (!alive) return ws.terminate();
    alive = false;
    ws.ping();
  }, PING_INTERVAL_MS);

  ws.on('message', (data: ArrayBuffer) => {
    try {
      handleMessage(ws, room, access, new Uint8Array(data), deps);
    } catch (err) {
      log.debug(`yjs: dropped a malformed message (${(err as Error).message})`);
      ws.close(1003, 'malformed message');
    }
  });
  ws.on('close', () => {
    clearInterval(ping);
    rooms.leave(room, ws);
    if (access.deviceId) deviceSockets.remove(access.deviceId, ws);
  });

  startSync(ws, room);
}

/** Starts the sync: our state vector, then everyone's presence. */
export function startSync(ws: WebSocket, room: Room): void {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(enc, room.doc);
  send(ws, encoding.toUint8Array(enc));
  const states = room.awareness.getStates();
  if (states.size > 0) send(ws, awarenessMessage(room.awareness, [...states.keys()]));
}

/** Handles one message of y-websocket's protocol; throws on a malformed one (the caller closes). */
export function handleMessage(ws: WebSocket, room: Room, access: Access, message: Uint8Array, deps: MessageDeps): void {
  const decoder = decoding.createDecoder(message);
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MESSAGE_SYNC: {
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_SYNC);
      const syncType = decoding.readVarUint(decoder);
      if (syncType === syncProtocol.messageYjsSyncStep1) {
        syncProtocol.readSyncStep1(decoder, enc, room.doc);
      } else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
        const update = decoding.readVarUint8Array(decoder);
        if (access.readOnly) {
          // Nothing a viewer sends is applied: it never writes, so its sequence has no gaps to mind.
          if (!isEmptyUpdate(update)) denyWrite(ws, REFUSAL.read_only);
        } else {
          applyGuarded(room.doc, update, ws, access, deps);
        }
      } else {
        throw new Error(`unknown sync message ${syncType}`);
      }
      if (encoding.length(enc) > 1) {
        // A sync reply carries the document's state: like a relay, it waits for that to be stored.
        const reply = encoding.toUint8Array(enc);
        deps.store.whenStored(() => send(ws, reply));
      }
      break;
    }
    case MESSAGE_AWARENESS: {
      const update = decoding.readVarUint8Array(decoder);
      // A read-only viewer shows no presence to the table.
      if (!access.readOnly) awarenessProtocol.applyAwarenessUpdate(room.awareness, shapeAwareness(update), ws);
      break;
    }
    case MESSAGE_QUERY_AWARENESS:
      send(ws, awarenessMessage(room.awareness, [...room.awareness.getStates().keys()]));
      break;
    case MESSAGE_AUTH:
      break;
    default:
      throw new Error(`unknown message type ${type}`);
  }
}
