/**
 * A tablet's session and device state as the server last sent them, kept on the tablet, for
 * a reload while the laptop is out of reach: the app then opens on its table's board (from
 * IndexedDB) instead of "loading". The server's state always wins as soon as it arrives.
 */
import { useEffect, useState } from 'react';
import { PROTOCOL_VERSION, type DeviceState, type SessionView } from '../../shared/protocol';
import { lastKnownTablet } from '../lib/storage';
import type { SessionConnection } from '../lib/useSessionSocket';

export interface TabletState {
  session: SessionView | null;
  device: DeviceState | null;
  /** True while what is shown comes from the tablet's own copy, not from the server. */
  fromCopy: boolean;
}

export function useLastKnown(sessionId: string, conn: Pick<SessionConnection, 'session' | 'device'>): TabletState {
  const [copy] = useState(() => lastKnownTablet.get(sessionId, PROTOCOL_VERSION));
  const { session, device } = conn;

  useEffect(() => {
    if (session && device) lastKnownTablet.set(sessionId, { protocol: PROTOCOL_VERSION, session, device });
  }, [sessionId, session, device]);

  if (session && device) return { session, device, fromCopy: false };
  if (!copy) return { session, device, fromCopy: false };
  return { session: session ?? copy.session, device: device ?? copy.device, fromCopy: true };
}
