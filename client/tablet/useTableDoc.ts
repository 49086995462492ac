/**
 * The table's shared board: a Y.Doc kept in sync with the server through y-websocket, and kept
 * on the tablet itself (IndexedDB) so that it survives a lost connection or a reload. What is
 * written offline is sent, and merged, as soon as the tablet is back.
 */
import * as authProtocol from 'y-protocols/auth';
import type { Awareness } from 'y-protocols/awareness';
import { useEffect, useState } from 'react';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { pointsMap, topMap } from '../../shared/board';
import { BOARD_REFUSAL, YJS_PATH, YJS_SUBPROTOCOL, type BoardRefusalCode } from '../../shared/protocol';

export interface TableDoc {
  doc: Y.Doc;
  awareness: Awareness;
  undo: Y.UndoManager;
  /** The board can be shown: loaded from this tablet or from the server. */
  ready: boolean;
  online: boolean;
  /** The server's latest refusal or correction of something written here, if any. */
  refusal: { code: BoardRefusalCode; at: number } | null;
}

const MESSAGE_AUTH = 2;
const CODES = Object.keys(BOARD_REFUSAL) as BoardRefusalCode[];

/**
 * `credential` is `device.<token>` for a tablet, `host.<key>` for the table host, or
 * `facilitator.<key>` (read-only for a table, writable for the plenary board). `keepLocal`
 * keeps a copy in IndexedDB, for the screens that must work on through a lost connection.
 */
export function useTableDoc(sessionId: string, table: number | 'plenary', credential: string, keepLocal = true): TableDoc | null {
  const [state, setState] = useState<TableDoc | null>(null);
  useEffect(() => {
    const doc = new Y.Doc();
    const local = keepLocal ? new IndexeddbPersistence(`tafelronde:${sessionId}:${table}`, doc) : null;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const provider = new WebsocketProvider(`${scheme}://${window.location.host}${YJS_PATH}`, `${sessionId}/${table}`, doc, {
      // Credentials go in a sub-protocol, so they never appear in a URL or an access log.
      protocols: [YJS_SUBPROTOCOL, credential],
      maxBackoffTime: 5000,
    });
    // Undo and redo only this tablet's own changes (remote ones come with the provider as origin).
    const undo = new Y.UndoManager([pointsMap(doc), topMap(doc)], { captureTimeout: 600 });
    let current: TableDoc = { doc, awareness: provider.awareness, undo, ready: false, online: false, refusal: null };
    const publish = (patch: Partial<TableDoc>) => {
      current = { ...current, ...patch };
      setState(current);
    };
    // The server explains a refusal in y-protocols' auth message: "<code>: <English text>".
    provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => {
        const code = CODES.find((c) => reason.startsWith(`${c}:`));
        if (code) publish({ refusal: { code, at: Date.now() } });
      });
    };
    void local?.whenSynced.then(() => publish({ ready: true }));
    provider.on('sync', (isSynced: boolean) => {
      if (isSynced) publish({ ready: true });
    });
    // y-websocket notices a silent connection only after 30 s; the browser knows at once when
    // its own network is gone, so both count.
    let connected = false;
    const updateOnline = () => publish({ online: connected && navigator.onLine });
    provider.on('status', ({ status }: { status: string }) => {
      connected = status === 'connected';
      updateOnline();
    });
    window.addEventListener('online', updateOnline);
    window.addEventListener('offline', updateOnline);
    publish({});
    return () => {
      window.removeEventListener('online', updateOnline);
      window.removeEventListener('offline', updateOnline);
      undo.destroy();
      provider.destroy();
      void local?.destroy();
      doc.destroy();
    };
  }, [sessionId, table, credential, keepLocal]);
  return state;
}
