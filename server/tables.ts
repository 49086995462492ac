/**
 * The tables of a session: their host (gespreksleider) links, and the signals a table sends
 * to the front ("wij zijn klaar", "hulp gevraagd").
 *
 * A host key is derived from the facilitator key (HMAC), so the facilitator's console can show
 * the host links again at any time while the database keeps only their hashes.
 */
import { createHmac } from 'node:crypto';
import type { TableSignalKind } from '../shared/protocol.js';
import type { Db } from './db.js';
import { statement } from './db.js';
import { hashSecret, secretMatches } from './secrets.js';

export function hostKey(facilitatorKey: string, sessionId: string, table: number): string {
  return createHmac('sha256', facilitatorKey).update(`host:${sessionId}:${table}`).digest('base64url').slice(0, 32);
}

export interface TableSignals {
  ready: boolean;
  help: boolean;
}

interface TableRow {
  number: number;
  ready: number;
  help: number;
  seats: number;
}

export class Tables {
  /**
   * Each session's table rows, kept until this class writes them (it is the only writer after a
   * session is made): every device's state reads the signals and seats, thousands of times in a
   * step change of a big room.
   */
  private readonly kept = new Map<string, TableRow[]>();

  constructor(private readonly db: Db) {}

  private rows(sessionId: string): TableRow[] {
    let rows = this.kept.get(sessionId);
    if (!rows) {
      rows = statement(this.db, 'SELECT number, ready, help, seats FROM session_tables WHERE session_id = ? ORDER BY number').all(sessionId) as TableRow[];
      this.kept.set(sessionId, rows);
    }
    return rows;
  }

  /** Stores the host key hashes of a new session's tables. */
  setHostKeys(sessionId: string, tables: number, facilitatorKey: string): void {
    const stmt = statement(this.db, 'UPDATE session_tables SET host_key_hash = ? WHERE session_id = ? AND number = ?');
    for (let n = 1; n <= tables; n++) stmt.run(hashSecret(hostKey(facilitatorKey, sessionId, n)), sessionId, n);
  }

  isHost(sessionId: string, table: number, key: string): boolean {
    const row = statement(this.db, 'SELECT host_key_hash FROM session_tables WHERE session_id = ? AND number = ?').get(sessionId, table) as
      { host_key_hash: string | null } | undefined;
    return Boolean(row?.host_key_hash) && secretMatches(key, row!.host_key_hash!);
  }

  signals(sessionId: string): Map<number, TableSignals> {
    return new Map(this.rows(sessionId).map((r) => [r.number, { ready: r.ready === 1, help: r.help === 1 }]));
  }

  setSignal(sessionId: string, table: number, signal: TableSignalKind, on: boolean): void {
    // `signal` is one of two column names, checked by the schema, never free text.
    const column = signal === 'ready' ? 'ready' : 'help';
    statement(this.db, `UPDATE session_tables SET ${column} = ? WHERE session_id = ? AND number = ?`).run(on ? 1 : 0, sessionId, table);
    this.kept.delete(sessionId);
  }

  /** Seats per table on a shared tablet (doorgeefstand); tables without one are left out. */
  seats(sessionId: string): Map<number, number> {
    return new Map(this.rows(sessionId).flatMap((r) => (r.seats > 0 ? [[r.number, r.seats] as const] : [])));
  }

  setSeats(sessionId: string, table: number, seats: number): void {
    statement(this.db, 'UPDATE session_tables SET seats = ? WHERE session_id = ? AND number = ?').run(seats, sessionId, table);
    this.kept.delete(sessionId);
  }

  /** A new step starts: every table is working again. Help calls stay until someone answers them. */
  clearReady(sessionId: string): void {
    statement(this.db, 'UPDATE session_tables SET ready = 0 WHERE session_id = ?').run(sessionId);
    this.kept.delete(sessionId);
  }
}
