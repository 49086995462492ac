/**
 * Devices: a tablet that joined a session holds a random token and nothing else identifies it.
 * The database keeps only the token's hash.
 */
import type { Db } from './db.js';
import { statement } from './db.js';
import { AppError } from './errors.js';
import { hashSecret, newDeviceLabel, newId, newSecret } from './secrets.js';

export interface Device {
  id: string;
  sessionId: string;
  table: number | null;
  /** Short code on the tablet's screen; lets the facilitator move it without knowing whose it is. */
  label: string;
  /** Round in which the device last picked (or kept) its table. */
  pickedRound: string | null;
}

interface DeviceRow {
  id: string;
  session_id: string;
  table_number: number | null;
  label: string;
  picked_round: string | null;
}

const toDevice = (r: DeviceRow): Device => ({
  id: r.id,
  sessionId: r.session_id,
  table: r.table_number,
  label: r.label,
  pickedRound: r.picked_round,
});
const COLUMNS = 'id, session_id, table_number, label, picked_round';

export class Devices {
  constructor(private readonly db: Db) {}

  create(sessionId: string, now = Date.now()): { device: Device; token: string } {
    const token = newSecret();
    const id = newId();
    const taken = statement(this.db, 'SELECT 1 FROM devices WHERE session_id = ? AND label = ?');
    let label = newDeviceLabel();
    while (taken.get(sessionId, label)) label = newDeviceLabel();
    statement(this.db, 'INSERT INTO devices (id, session_id, token_hash, table_number, created_at, label) VALUES (?, ?, ?, NULL, ?, ?)').run(
      id,
      sessionId,
      hashSecret(token),
      now,
      label,
    );
    return { device: { id, sessionId, table: null, label, pickedRound: null }, token };
  }

  byToken(sessionId: string, token: string): Device | undefined {
    const row = statement(this.db, `SELECT ${COLUMNS} FROM devices WHERE token_hash = ? AND session_id = ?`).get(hashSecret(token), sessionId) as
      DeviceRow | undefined;
    return row && toDevice(row);
  }

  byId(id: string): Device | undefined {
    const row = statement(this.db, `SELECT ${COLUMNS} FROM devices WHERE id = ?`).get(id) as DeviceRow | undefined;
    return row && toDevice(row);
  }

  /** Every device of a session, by id. */
  inSession(sessionId: string): Map<string, Device> {
    const rows = statement(this.db, `SELECT ${COLUMNS} FROM devices WHERE session_id = ?`).all(sessionId) as DeviceRow[];
    return new Map(rows.map((r) => [r.id, toDevice(r)]));
  }

  /** A device a connection proved at its handshake: gone only if its session was removed meanwhile. */
  require(id: string): Device {
    const device = this.byId(id);
    if (!device) throw new AppError('unauthorized', 'This device is not known any more; join again');
    return device;
  }

  byLabel(sessionId: string, label: string): Device | undefined {
    const row = statement(this.db, `SELECT ${COLUMNS} FROM devices WHERE session_id = ? AND label = ?`).get(sessionId, label) as DeviceRow | undefined;
    return row && toDevice(row);
  }

  /** Seats the device at a table; `round` is the round in which it chose (null before the start). */
  setTable(device: Device, table: number, tableCount: number, round: string | null): Device {
    if (table < 1 || table > tableCount) throw new AppError('bad_request', `This session has tables 1 to ${tableCount}`);
    statement(this.db, 'UPDATE devices SET table_number = ?, picked_round = ? WHERE id = ?').run(table, round, device.id);
    return { ...device, table, pickedRound: round };
  }

  /** Labels of the devices seated at each table. */
  labelsByTable(sessionId: string): Map<number, { id: string; label: string }[]> {
    const rows = statement(this.db, 'SELECT id, label, table_number AS t FROM devices WHERE session_id = ? AND table_number IS NOT NULL ORDER BY label').all(
      sessionId,
    ) as { id: string; label: string; t: number }[];
    const out = new Map<number, { id: string; label: string }[]>();
    for (const r of rows) {
      const seated = out.get(r.t);
      if (seated) seated.push({ id: r.id, label: r.label });
      else out.set(r.t, [{ id: r.id, label: r.label }]);
    }
    return out;
  }

  /** Devices that picked a table, per table number. */
  countByTable(sessionId: string): Map<number, number> {
    const rows = statement(
      this.db,
      'SELECT table_number AS t, COUNT(*) AS n FROM devices WHERE session_id = ? AND table_number IS NOT NULL GROUP BY table_number',
    ).all(sessionId) as { t: number; n: number }[];
    return new Map(rows.map((r) => [r.t, r.n]));
  }

  /** Every device that picked a table, with its table. */
  seated(sessionId: string): { id: string; table: number }[] {
    return statement(this.db, 'SELECT id, table_number AS "table" FROM devices WHERE session_id = ? AND table_number IS NOT NULL').all(sessionId) as {
      id: string;
      table: number;
    }[];
  }

  countJoined(sessionId: string): number {
    const row = statement(this.db, 'SELECT COUNT(*) AS n FROM devices WHERE session_id = ? AND table_number IS NOT NULL').get(sessionId) as { n: number };
    return row.n;
  }
}
