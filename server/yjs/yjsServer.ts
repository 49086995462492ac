/**
 * The Yjs websocket endpoint. It speaks y-websocket's wire protocol (sync, awareness, auth
 * messages from y-protocols), but decides access itself before the upgrade: a device may open
 * only its own table's document, a table host only the table it hosts, and a facilitator gets
 * a read-only view of tables that the server enforces by refusing any update it sends. The
 * session's plenary board is the other way round: only the facilitator opens it, to edit. What an update
 * may change is checked too (see updateGuard.ts): new points only while the step collects
 * them, hiding points only by the host.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket, WebSocketServer } from 'ws';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { BOARD_REFUSAL as REFUSAL, LIMITS, YJS_PATH, YJS_SUBPROTOCOL } from '../../shared/protocol.js';
import type { Devices } from '../devices.js';
import type { Logger } from '../log.js';
import type { OriginCheck } from '../origin.js';
import type { Sessions } from '../sessions.js';
import type { Tables } from '../tables.js';
import type { DocStore } from './docStore.js';
import { parseDocName } from './docNames.js';
import { refuseUpdate, type BoardPhase } from '../domain/boardRules.js';
import { shapeAwareness } from './awarenessGuard.js';
import { applyAndUndo, describeUpdate, enforceLimits } from './updateGuard.js';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const MESSAGE_QUERY_AWARENESS = 3;

export const MAX_MESSAGE_BYTES = 64 * 1024;
const PING_INTERVAL_MS = 30_000;

interface Access {
  docName: string;
  sessionId: string;
  role: 'device' | 'host' | 'facilitator';
  readOnly: boolean;
  deviceId: string | null;
  /** The session's plenary board rather than a table's. */
  plenary: boolean;
}

interface Room {
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  conns: Map<WebSocket, Set<number>>;
  stop: () => void;
}

export interface YjsServer {
  /** Closes every connection of this device, e.g. when it moves to another table. */
  disconnectDevice(deviceId: string): void;
  close(): void;
}

/** Reads credentials from the sub-protocol list, e.g. `tafelronde.yjs.v1, device.<token>`. */
function credentials(req: IncomingMessage): { kind: Access['role']; secret: string } | null {
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(YJS_SUBPROTOCOL)) return null;
  for (const p of offered) {
    const m = /^(device|host|facilitator)\.([A-Za-z0-9_-]{16,128})$/.exec(p);
    if (m) return { kind: m[1] as Access['role'], secret: m[2]! };
  }
  return null;
}

function refuse(socket: Duplex, status: number, reason: string) {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

const isEmptyUpdate = (update: Uint8Array) => {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.length === 0 && ds.clients.size === 0;
};

export function attachYjsServer(opts: {
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
}): YjsServer {
  const { server, sessions, devices, tables, store, log } = opts;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(YJS_SUBPROTOCOL) ? YJS_SUBPROTOCOL : false),
  });
  const rooms = new Map<string, Room>();
  const deviceSockets = new Map<string, Set<WebSocket>>();

  function authorise(req: IncomingMessage): Access | { status: number; reason: string } {
    const url = new URL(req.url ?? '/', 'http://x');
    const docName = decodeURIComponent(url.pathname.slice(YJS_PATH.length + 1));
    const target = parseDocName(docName);
    if (!target) return { status: 404, reason: 'Not Found' };
    const cred = credentials(req);
    if (!cred) return { status: 401, reason: 'Unauthorized' };
    const session = sessions.get(target.sessionId);
    if (!session || (target.table !== null && target.table > session.tables)) return { status: 404, reason: 'Not Found' };
    const base = { docName, sessionId: session.id, role: cred.kind, deviceId: null, plenary: target.table === null };
    if (target.table === null) {
      // The plenary board is the facilitator's to edit; the room sees it on the projector.
      if (cred.kind !== 'facilitator') return { status: 403, reason: 'Forbidden' };
      return sessions.isFacilitator(session.id, cred.secret) ? { ...base, readOnly: false } : { status: 401, reason: 'Unauthorized' };
    }
    if (cred.kind === 'facilitator') {
      return sessions.isFacilitator(session.id, cred.secret) ? { ...base, readOnly: true } : { status: 401, reason: 'Unauthorized' };
    }
    if (cred.kind === 'host') {
      // A host key belongs to one table: for any other table it is simply not valid.
      return tables.isHost(session.id, target.table, cred.secret) ? { ...base, readOnly: false } : { status: 401, reason: 'Unauthorized' };
    }
    const device = devices.byToken(session.id, cred.secret);
    if (!device) return { status: 401, reason: 'Unauthorized' };
    if (device.table !== target.table) return { status: 403, reason: 'Forbidden' };
    return { ...base, readOnly: false, deviceId: device.id };
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const path = (req.url ?? '').split('?')[0]!;
    if (!path.startsWith(`${YJS_PATH}/`)) return; // socket.io handles its own path
    if (!opts.originAllowed(req.headers)) {
      refuse(socket, 403, 'Forbidden');
      return;
    }
    let access: ReturnType<typeof authorise>;
    try {
      access = authorise(req);
    } catch (err) {
      log.error('yjs upgrade failed', err);
      refuse(socket, 500, 'Internal Server Error');
      return;
    }
    if ('status' in access) {
      refuse(socket, access.status, access.reason);
      return;
    }
    if (access.deviceId && (deviceSockets.get(access.deviceId)?.size ?? 0) >= opts.connectionsPerDevice) {
      // y-websocket retries with backoff, so a tablet gets in once a stale connection has gone.
      refuse(socket, 429, 'Too Many Requests');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, access));
  }

  function room(docName: string): Room {
    let r = rooms.get(docName);
    if (r) return r;
    const doc = store.acquire(docName);
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState(null);
    const conns = new Map<WebSocket, Set<number>>();
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_SYNC);
      syncProtocol.writeUpdate(enc, update);
      const msg = encoding.toUint8Array(enc);
      // Stored before relayed: the other tablets see only what a crash cannot take back.
      store.whenStored(() => {
        for (const ws of conns.keys()) if (ws !== origin) send(ws, msg);
      });
    };
    const onAwareness = (
      { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
      origin: unknown,
    ) => {
      const changed = added.concat(updated, removed);
      if (origin instanceof WebSocket) {
        const owned = conns.get(origin);
        if (owned) {
          for (const id of added) owned.add(id);
          for (const id of removed) owned.delete(id);
        }
      }
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
      const msg = encoding.toUint8Array(enc);
      for (const ws of conns.keys()) send(ws, msg);
    };
    doc.on('update', onUpdate);
    awareness.on('update', onAwareness);
    r = {
      doc,
      awareness,
      conns,
      stop: () => {
        doc.off('update', onUpdate);
        awareness.off('update', onAwareness);
        awareness.destroy();
        store.release(docName);
      },
    };
    rooms.set(docName, r);
    return r;
  }

  function send(ws: WebSocket, msg: Uint8Array) {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(msg, (err) => {
      if (err) ws.terminate();
    });
  }

  function onConnection(ws: WebSocket, access: Access) {
    const r = room(access.docName);
    r.conns.set(ws, new Set());
    if (access.deviceId) {
      const set = deviceSockets.get(access.deviceId) ?? new Set();
      set.add(ws);
      deviceSockets.set(access.deviceId, set);
    }
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
        handleMessage(ws, r, access, new Uint8Array(data));
      } catch (err) {
        log.debug(`yjs: dropped a malformed message (${(err as Error).message})`);
        ws.close(1003, 'malformed message');
      }
    });
    ws.on('close', () => {
      clearInterval(ping);
      const owned = r.conns.get(ws);
      r.conns.delete(ws);
      if (owned && owned.size > 0) awarenessProtocol.removeAwarenessStates(r.awareness, [...owned], null);
      if (access.deviceId) deviceSockets.get(access.deviceId)?.delete(ws);
      if (r.conns.size === 0) {
        rooms.delete(access.docName);
        r.stop();
      }
    });

    // Start the sync: our state vector, then everyone's presence.
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(enc, r.doc);
    send(ws, encoding.toUint8Array(enc));
    const states = r.awareness.getStates();
    if (states.size > 0) {
      const aw = encoding.createEncoder();
      encoding.writeVarUint(aw, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(r.awareness, [...states.keys()]));
      send(ws, encoding.toUint8Array(aw));
    }
  }

  function handleMessage(ws: WebSocket, r: Room, access: Access, message: Uint8Array) {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC: {
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MESSAGE_SYNC);
        const syncType = decoding.readVarUint(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          syncProtocol.readSyncStep1(decoder, enc, r.doc);
        } else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          const update = decoding.readVarUint8Array(decoder);
          if (access.readOnly) {
            // Nothing a viewer sends is applied: it never writes, so its sequence has no gaps to mind.
            if (!isEmptyUpdate(update)) denyWrite(ws, REFUSAL.read_only);
          } else {
            applyGuarded(r.doc, update, ws, access);
          }
        } else {
          throw new Error(`unknown sync message ${syncType}`);
        }
        if (encoding.length(enc) > 1) {
          // A sync reply carries the document's state: like a relay, it waits for that to be stored.
          const reply = encoding.toUint8Array(enc);
          store.whenStored(() => send(ws, reply));
        }
        break;
      }
      case MESSAGE_AWARENESS: {
        const update = decoding.readVarUint8Array(decoder);
        // A read-only viewer shows no presence to the table.
        if (!access.readOnly) awarenessProtocol.applyAwarenessUpdate(r.awareness, shapeAwareness(update), ws);
        break;
      }
      case MESSAGE_QUERY_AWARENESS: {
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MESSAGE_AWARENESS);
        encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(r.awareness, [...r.awareness.getStates().keys()]));
        send(ws, encoding.toUint8Array(enc));
        break;
      }
      case MESSAGE_AUTH:
        break;
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  /**
   * Applies a writer's update if the board's rules allow all of it now (domain/boardRules.ts);
   * otherwise applies and undoes it whole, stores only the outcome, and tells the writer why.
   * The sender receives the undo like any other change.
   */
  function applyGuarded(doc: Y.Doc, update: Uint8Array, ws: WebSocket, access: Access) {
    const changes = describeUpdate(doc, update, access.plenary);
    const refusal = refuseUpdate(changes, opts.boardPhase(access.sessionId), access.role, access.plenary);
    if (refusal !== null) {
      applyAndUndo(doc, update, ws);
      // The stored log would still hold the refused update: fold it into the document's state.
      store.compact(access.docName);
      denyWrite(ws, REFUSAL[refusal]);
      return;
    }
    let changed: Y.AbstractType<unknown>[] = [];
    const capture = (tr: Y.Transaction) => {
      if (tr.origin === ws) changed = [...tr.changed.keys()] as Y.AbstractType<unknown>[];
    };
    doc.on('afterTransaction', capture);
    try {
      Y.applyUpdate(doc, update, ws);
    } finally {
      doc.off('afterTransaction', capture);
    }
    const added = changes.flatMap((c) => (c.kind === 'point.add' ? [c.id] : []));
    const cut = enforceLimits(doc, changed, added, { textLength: LIMITS.pointTextLength, points: LIMITS.pointsPerTable });
    if (cut.pointsRemoved) denyWrite(ws, REFUSAL.points_limit);
    else if (cut.textCut) denyWrite(ws, REFUSAL.text_limit);
  }

  /** Tells the client its change was refused (y-protocols' permission-denied auth message). */
  function denyWrite(ws: WebSocket, reason: string) {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_AUTH);
    authProtocol.writePermissionDenied(enc, reason);
    send(ws, encoding.toUint8Array(enc));
  }

  server.on('upgrade', onUpgrade);

  return {
    disconnectDevice(deviceId) {
      // 44xx tells y-websocket the refusal is permanent, so the old table's provider stops retrying.
      for (const ws of deviceSockets.get(deviceId) ?? []) ws.close(4403, 'moved to another table');
      deviceSockets.delete(deviceId);
    },
    close() {
      server.off('upgrade', onUpgrade);
      for (const r of rooms.values()) for (const ws of r.conns.keys()) ws.terminate();
      wss.close();
    },
  };
}
