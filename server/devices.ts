/**
 * Devices: a tablet that joined a session holds a random token and nothing else identifies it.
 * The database keeps only the token's hash.
 */
import type { Db } from './db.js';
import { AppError } from './errors.js';
import { hashSecret, newId, newSecret } from './secrets.js';

export interface Device {
  id: string;
  sessionId: string;
  table: number | null;
}

interface DeviceRow {
  id: string;
  session_id: string;
  table_number: number | null;
}

const toDevice = (r: DeviceRow): Device => ({ id: r.id, sessionId: r.session_id, table: r.table_number });

export class Devices {
  constructor(private readonly db: Db) {}

  create(sessionId: string, now = Date.now()): { device: Device; token: string } {
    const token = newSecret();
    const id = newId();
    this.db
      .prepare('INSERT INTO devices (id, session_id, token_hash, table_number, created_at) VALUES (?, ?, ?, NULL, ?)')
      .run(id, sessionId, hashSecret(token), now);
    return { device: { id, sessionId, table: null }, token };
  }

  byToken(sessionId: string, token: string): Device | undefined {
    const row = this.db
      .prepare('SELECT id, session_id, table_number FROM devices WHERE token_hash = ? AND session_id = ?')
      .get(hashSecret(token), sessionId) as DeviceRow | undefined;
    return row && toDevice(row);
  }

  byId(id: string): Device | undefined {
    const row = this.db.prepare('SELECT id, session_id, table_number FROM devices WHERE id = ?').get(id) as DeviceRow | undefined;
    return row && toDevice(row);
  }

  setTable(device: Device, table: number, tableCount: number): Device {
    if (table < 1 || table > tableCount) throw new AppError('bad_request', `This session has tables 1 to ${tableCount}`);
    this.db.prepare('UPDATE devices SET table_number = ? WHERE id = ?').run(table, device.id);
    return { ...device, table };
  }

  /** Devices that picked a table, per table number. */
  countByTable(sessionId: string): Map<number, number> {
    const rows = this.db
      .prepare(
        'SELECT table_number AS t, COUNT(*) AS n FROM devices WHERE session_id = ? AND table_number IS NOT NULL GROUP BY table_number',
      )
      .all(sessionId) as { t: number; n: number }[];
    return new Map(rows.map((r) => [r.t, r.n]));
  }

  countJoined(sessionId: string): number {
    const row = this.db
      .prepare('SELECT COUNT(*) AS n FROM devices WHERE session_id = ? AND table_number IS NOT NULL')
      .get(sessionId) as { n: number };
    return row.n;
  }
}
