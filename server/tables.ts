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

export class Tables {
  constructor(private readonly db: Db) {}

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
    const rows = statement(this.db, 'SELECT number, ready, help FROM session_tables WHERE session_id = ?').all(sessionId) as {
      number: number;
      ready: number;
      help: number;
    }[];
    return new Map(rows.map((r) => [r.number, { ready: r.ready === 1, help: r.help === 1 }]));
  }

  setSignal(sessionId: string, table: number, signal: TableSignalKind, on: boolean): void {
    // `signal` is one of two column names, checked by the schema, never free text.
    const column = signal === 'ready' ? 'ready' : 'help';
    statement(this.db, `UPDATE session_tables SET ${column} = ? WHERE session_id = ? AND number = ?`).run(on ? 1 : 0, sessionId, table);
  }

  /** Seats per table on a shared tablet (doorgeefstand); tables without one are left out. */
  seats(sessionId: string): Map<number, number> {
    const rows = statement(this.db, 'SELECT number, seats FROM session_tables WHERE session_id = ? AND seats > 0').all(sessionId) as {
      number: number;
      seats: number;
    }[];
    return new Map(rows.map((r) => [r.number, r.seats]));
  }

  setSeats(sessionId: string, table: number, seats: number): void {
    statement(this.db, 'UPDATE session_tables SET seats = ? WHERE session_id = ? AND number = ?').run(seats, sessionId, table);
  }

  /** A new step starts: every table is working again. Help calls stay until someone answers them. */
  clearReady(sessionId: string): void {
    statement(this.db, 'UPDATE session_tables SET ready = 0 WHERE session_id = ?').run(sessionId);
  }
}
