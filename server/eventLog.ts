/**
 * The append-only log of facilitator actions, with server time, for the report's process
 * appendix. Entries describe what the facilitator did; they never name a device.
 */
import type { Db } from './db.js';

export type EventType =
  | 'session.created'
  | 'agenda.edited'
  | 'step.entered'
  | 'timer.pause'
  | 'timer.resume'
  | 'timer.extend'
  | 'vote.opened'
  | 'vote.closed'
  | 'projector.changed'
  | 'device.moved'
  | 'signal.cleared'
  | 'plenary.harvested'
  | 'table.seats';

export interface LoggedEvent {
  at: number;
  type: EventType;
  data: Record<string, unknown>;
}

export class EventLog {
  constructor(private readonly db: Db) {}

  append(sessionId: string, type: EventType, data: Record<string, unknown> = {}, at = Date.now()): void {
    this.db
      .prepare('INSERT INTO event_log (session_id, at, type, data) VALUES (?, ?, ?, ?)')
      .run(sessionId, at, type, JSON.stringify(data));
  }

  list(sessionId: string): LoggedEvent[] {
    const rows = this.db
      .prepare('SELECT at, type, data FROM event_log WHERE session_id = ? ORDER BY id')
      .all(sessionId) as { at: number; type: EventType; data: string }[];
    return rows.map((r) => ({ at: r.at, type: r.type, data: JSON.parse(r.data) as Record<string, unknown> }));
  }
}
