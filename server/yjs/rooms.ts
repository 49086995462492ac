/**
 * The open Yjs documents: each with its presence (awareness) and its connections. A room is
 * opened from the DocStore by its first connection and closed when its last one leaves; while
 * open, it relays every change of the document and of presence to its connections.
 */
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import type { DocStore } from './docStore.js';
import { awarenessMessage, MESSAGE_SYNC, send } from './wire.js';

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/** One open document. */
export class Room {
  readonly awareness: awarenessProtocol.Awareness;
  /** Each connection with the awareness clients it brought, removed when it leaves. */
  readonly conns = new Map<WebSocket, Set<number>>();

  constructor(
    readonly docName: string,
    readonly doc: Y.Doc,
    private readonly store: DocStore,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    doc.on('update', this.relayUpdate);
    this.awareness.on('update', this.relayAwareness);
  }

  /** Sends a change of the document to every connection but the one it came from. */
  private readonly relayUpdate = (update: Uint8Array, origin: unknown): void => {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeUpdate(enc, update);
    const msg = encoding.toUint8Array(enc);
    // Stored before relayed: the other tablets see only what a crash cannot take back.
    this.store.whenStored(() => {
      for (const ws of this.conns.keys()) if (ws !== origin) send(ws, msg);
    });
  };

  /** Notes which connection brought which awareness clients, and sends the change to all. */
  private readonly relayAwareness = ({ added, updated, removed }: AwarenessChange, origin: unknown): void => {
    const changed = added.concat(updated, removed);
    if (origin instanceof WebSocket) {
      const owned = this.conns.get(origin);
      if (owned) {
        for (const id of added) owned.add(id);
        for (const id of removed) owned.delete(id);
      }
    }
    const msg = awarenessMessage(this.awareness, changed);
    for (const ws of this.conns.keys()) send(ws, msg);
  };

  /** Stops relaying and gives the document back to the store. */
  stop(): void {
    this.doc.off('update', this.relayUpdate);
    this.awareness.off('update', this.relayAwareness);
    this.awareness.destroy();
    this.store.release(this.docName);
  }
}

/** The open rooms, by document name. */
export class DocRooms {
  private readonly rooms = new Map<string, Room>();

  constructor(private readonly store: DocStore) {}

  /** Adds a connection to its document's room, opening the room if it is the first. */
  join(docName: string, ws: WebSocket): Room {
    let room = this.rooms.get(docName);
    if (!room) {
      room = new Room(docName, this.store.acquire(docName), this.store);
      this.rooms.set(docName, room);
    }
    room.conns.set(ws, new Set());
    return room;
  }

  /** Takes a closed connection and its presence out of the room; the last one closes the room. */
  leave(room: Room, ws: WebSocket): void {
    const owned = room.conns.get(ws);
    room.conns.delete(ws);
    if (owned && owned.size > 0) awarenessProtocol.removeAwarenessStates(room.awareness, [...owned], null);
    if (room.conns.size === 0) {
      this.rooms.delete(room.docName);
      room.stop();
    }
  }

  /** Open rooms and their connections; read-only, for the soak bench. */
  stats(): { rooms: number; connections: number } {
    let connections = 0;
    for (const room of this.rooms.values()) connections += room.conns.size;
    return { rooms: this.rooms.size, connections };
  }

  /** Drops every connection of every room (their close events then close the rooms). */
  terminateAll(): void {
    for (const room of this.rooms.values()) for (const ws of room.conns.keys()) ws.terminate();
  }
}
