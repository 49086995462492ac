/**
 * Tips and actions for the report: short texts the organiser types on the report page. Kept
 * apart from the session row because only the report reads them; saving replaces the list.
 */
import type { Db } from './db.js';

export function readReportNotes(db: Db, sessionId: string): string[] {
  const rows = db.prepare('SELECT text FROM report_notes WHERE session_id = ? ORDER BY position').all(sessionId) as { text: string }[];
  return rows.map((r) => r.text);
}

export function writeReportNotes(db: Db, sessionId: string, notes: readonly string[]): string[] {
  db.transaction(() => {
    db.prepare('DELETE FROM report_notes WHERE session_id = ?').run(sessionId);
    const insert = db.prepare('INSERT INTO report_notes (session_id, position, text) VALUES (?, ?, ?)');
    notes.forEach((text, position) => insert.run(sessionId, position, text));
  })();
  return readReportNotes(db, sessionId);
}
