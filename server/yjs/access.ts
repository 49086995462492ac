/**
 * Who may open which Yjs document, decided from the handshake before the upgrade: a device may
 * open only its own table's document, a table host only the table it hosts, and a facilitator
 * gets a read-only view of tables. The session's plenary board is the other way round: only the
 * facilitator opens it, to edit.
 */
import type { IncomingMessage } from 'node:http';
import { YJS_PATH, YJS_SUBPROTOCOL } from '../../shared/protocol.js';
import type { Devices } from '../devices.js';
import type { Sessions } from '../sessions.js';
import type { Tables } from '../tables.js';
import { parseDocName } from './docNames.js';

/** What an authorised connection may do, fixed for its whole life. */
export interface Access {
  docName: string;
  sessionId: string;
  role: 'device' | 'host' | 'facilitator';
  readOnly: boolean;
  deviceId: string | null;
  /** The session's plenary board rather than a table's. */
  plenary: boolean;
}

/** The HTTP answer to a handshake that may not open the document. */
export interface Refusal {
  status: number;
  reason: string;
}

/** The lookups `authorise` asks; everything else it reads from the request. */
export interface AccessLookups {
  sessions: Pick<Sessions, 'get' | 'isFacilitator'>;
  devices: Pick<Devices, 'byToken'>;
  tables: Pick<Tables, 'isHost'>;
}

/** Reads credentials from the sub-protocol list, e.g. `tafelronde.yjs.v1, device.<token>`. */
export function credentials(req: IncomingMessage): { kind: Access['role']; secret: string } | null {
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(YJS_SUBPROTOCOL)) return null;
  for (const p of offered) {
    const [, kind, secret] = /^(device|host|facilitator)\.([A-Za-z0-9_-]{16,128})$/.exec(p) ?? [];
    if (kind && secret) return { kind: kind as Access['role'], secret };
  }
  return null;
}

/** The access a handshake to `/yjs/<document>` gets, or why it gets none. */
export function authorise(req: IncomingMessage, { sessions, devices, tables }: AccessLookups): Access | Refusal {
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
