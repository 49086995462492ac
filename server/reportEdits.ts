/**
 * Storage of the organiser's report edits and logo. Both are kept apart from the session row
 * because only the report reads them; saving the edits replaces the whole set.
 */
import { NO_EDITS, ReportEdits } from '../shared/reportEdits.js';
import type { Db } from './db.js';
import type { ReportLogo } from './domain/reportLogo.js';

export function readReportEdits(db: Db, sessionId: string): ReportEdits {
  const row = db.prepare('SELECT body FROM report_edits WHERE session_id = ?').get(sessionId) as { body: string } | undefined;
  if (!row) return NO_EDITS;
  // Parsed again on the way out, so an edit stored by an older version gets today's defaults.
  const parsed = ReportEdits.safeParse(JSON.parse(row.body));
  return parsed.success ? parsed.data : NO_EDITS;
}

export function writeReportEdits(db: Db, sessionId: string, edits: ReportEdits): ReportEdits {
  db.prepare('INSERT INTO report_edits (session_id, body) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET body = excluded.body').run(
    sessionId,
    JSON.stringify(edits),
  );
  return readReportEdits(db, sessionId);
}

export function readReportLogo(db: Db, sessionId: string): ReportLogo | undefined {
  const row = db.prepare('SELECT mime, width, height, data FROM report_logos WHERE session_id = ?').get(sessionId) as
    { mime: ReportLogo['mime']; width: number; height: number; data: Buffer } | undefined;
  return row && { mime: row.mime, width: row.width, height: row.height, data: row.data };
}

export function writeReportLogo(db: Db, sessionId: string, logo: ReportLogo): void {
  db.prepare(
    'INSERT INTO report_logos (session_id, mime, width, height, data) VALUES (?, ?, ?, ?, ?) ON ' +
      'CONFLICT (session_id) DO UPDATE SET mime = excluded.mime, width = excluded.width, height = ' +
      'excluded.height, data = excluded.data',
  ).run(sessionId, logo.mime, logo.width, logo.height, logo.data);
}

export function deleteReportLogo(db: Db, sessionId: string): void {
  db.prepare('DELETE FROM report_logos WHERE session_id = ?').run(sessionId);
}
