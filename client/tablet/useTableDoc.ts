/** The table's shared board: a Y.Doc kept in sync with the server through y-websocket. */
import { useEffect, useState } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { YJS_PATH, YJS_SUBPROTOCOL } from '../../shared/protocol';

export interface TableDoc {
  doc: Y.Doc;
  synced: boolean;
  online: boolean;
}

/** `credential` is `device.<token>` for a tablet or `host.<key>` for the table host. */
export function useTableDoc(sessionId: string, table: number, credential: string): TableDoc | null {
  const [state, setState] = useState<TableDoc | null>(null);
  useEffect(() => {
    const doc = new Y.Doc();
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const provider = new WebsocketProvider(`${scheme}://${window.location.host}${YJS_PATH}`, `${sessionId}/${table}`, doc, {
      // Credentials go in a sub-protocol, so they never appear in a URL or an access log.
      protocols: [YJS_SUBPROTOCOL, credential],
      maxBackoffTime: 5000,
    });
    let synced = false;
    let online = false;
    const publish = () => setState({ doc, synced, online });
    provider.on('sync', (isSynced: boolean) => {
      synced = synced || isSynced;
      publish();
    });
    provider.on('status', ({ status }: { status: string }) => {
      online = status === 'connected';
      publish();
    });
    publish();
    return () => {
      provider.destroy();
      doc.destroy();
    };
  }, [sessionId, table, credential]);
  return state;
}
