/**
 * The report's REST routes, all for the facilitator key only: the report files, the tips and
 * actions, the organiser's edits and the title-page logo. Mounted before the API's JSON-only
 * body rule, because the logo comes as an image and the edits of a large evening can be longer
 * than other bodies.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import { ReportNotesBody, SessionId } from '../shared/protocol.js';
import { REPORT_FORMATS, ReportLanguage, ReportVersion, type ReportFormat } from '../shared/report.js';
import { ReportEdits } from '../shared/reportEdits.js';
import { renderReportFile } from './domain/reportFiles.js';
import { REPORT_HTML_CSP } from './domain/reportHtml.js';
import { checkLogo, LOGO_LIMITS } from './domain/reportLogo.js';
import { AppError, parseOrThrow } from './errors.js';
import { requireFacilitator } from './facilitatorAuth.js';
import { sessionReport } from './report.js';
import { deleteReportLogo, readReportEdits, readReportLogo, writeReportEdits, writeReportLogo } from './reportEdits.js';
import { writeReportNotes } from './reportNotes.js';
import type { Services } from './services.js';

/** Reordering 2,000 points names each of them once: well within this. */
export const EDITS_BODY_LIMIT = '512kb';

/** Quoted-string file name for Content-Disposition, ASCII only, from the session title. */
export function fileName(title: string, ext: string, version: ReportVersion = 'full'): string {
  const base = title
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/[^A-Za-z0-9 _-]+/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 60);
  return `verslag-${base || 'tafelronde'}${version === 'public' ? '-openbaar' : ''}.${ext}`;
}

/** The session in the path, which must exist, and the caller must hold its facilitator key. */
function facilitatorSession(services: Services, req: Request): string {
  const sessionId = parseOrThrow(SessionId, req.params.id, 'session id');
  if (!services.sessions.get(sessionId)) throw new AppError('session_not_found', 'There is no session with this id');
  requireFacilitator(services, req, sessionId);
  return sessionId;
}

function requireJson(req: Request): void {
  if (!req.is('application/json')) throw new AppError('unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json"');
}

export function reportRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db } = services;

  router.get('/sessions/:id/report/edits', (req, res) => {
    const sessionId = facilitatorSession(services, req);
    res.set('Cache-Control', 'no-store').json(editsResponse(services, sessionId));
  });

  router.put('/sessions/:id/report/edits', express.json({ limit: EDITS_BODY_LIMIT }), (req, res) => {
    requireJson(req);
    const sessionId = facilitatorSession(services, req);
    const edits = parseOrThrow(ReportEdits, req.body ?? {}, 'report edits');
    writeReportEdits(db, sessionId, edits);
    res.set('Cache-Control', 'no-store').json(editsResponse(services, sessionId));
  });

  router.get('/sessions/:id/report/logo', (req, res) => {
    const sessionId = facilitatorSession(services, req);
    const logo = readReportLogo(db, sessionId);
    if (!logo) throw new AppError('not_found', 'This report has no logo');
    res.set('Cache-Control', 'no-store').set('X-Content-Type-Options', 'nosniff').type(logo.mime).send(logo.data);
  });

  const rawLogo = express.raw({ type: () => true, limit: LOGO_LIMITS.bytes });
  // A logo over the limit is a logo problem, said as one (not "the body is too large").
  // The rest of such a body is not read, so the connection cannot carry another request.
  const readLogo: RequestHandler = (req, res, next) =>
    rawLogo(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type !== 'entity.too.large') return next(err);
      res.set('Connection', 'close');
      next(new AppError('bad_image', `A logo may be at most ${LOGO_LIMITS.bytes / 1024} KB`));
    });

  router.put('/sessions/:id/report/logo', readLogo, (req, res) => {
    if (!req.is('image/png') && !req.is('image/jpeg')) {
      throw new AppError('bad_image', 'Send the logo as a PNG or JPEG image, with "Content-Type: image/png" or "image/jpeg"');
    }
    const sessionId = facilitatorSession(services, req);
    const check = checkLogo(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    if (!check.ok) throw new AppError('bad_image', check.reason);
    writeReportLogo(db, sessionId, check.logo);
    res.set('Cache-Control', 'no-store').json(editsResponse(services, sessionId));
  });

  router.delete('/sessions/:id/report/logo', (req, res) => {
    const sessionId = facilitatorSession(services, req);
    deleteReportLogo(db, sessionId);
    res.set('Cache-Control', 'no-store').json(editsResponse(services, sessionId));
  });

  router.put('/sessions/:id/notes', express.json(), (req, res) => {
    requireJson(req);
    const sessionId = facilitatorSession(services, req);
    const { notes } = parseOrThrow(ReportNotesBody, req.body ?? {}, 'notes');
    res.set('Cache-Control', 'no-store').json({ notes: writeReportNotes(db, sessionId, notes) });
  });

  router.get('/sessions/:id/:file', async (req: Request, res: Response, next) => {
    const file = /^report\.([a-z]+)$/.exec(String(req.params.file));
    const format = REPORT_FORMATS.find((f) => f === file?.[1]);
    if (!format) return next();
    const sessionId = facilitatorSession(services, req);
    const lang = parseOrThrow(ReportLanguage.default('nl'), req.query.lang, 'lang');
    const version = parseOrThrow(ReportVersion.default('full'), req.query.version, 'version');
    const report = sessionReport(services, sessionId);
    const { body, type } = await renderReportFile(report, format, { lang, version, logo: readReportLogo(db, sessionId) });
    res.set('Cache-Control', 'no-store').set('X-Content-Type-Options', 'nosniff');
    // A page of its own, with a policy of its own: nothing in it may run or load.
    if (format === 'html') res.set('Content-Security-Policy', REPORT_HTML_CSP);
    // The type after attachment(), which would set its own from the file name.
    res
      .attachment(fileName(report.session.title, format satisfies ReportFormat, version))
      .type(type)
      .send(body);
  });

  return router;
}

/** The saved edits, and what the logo is (not its bytes). */
function editsResponse(services: Services, sessionId: string) {
  const logo = readReportLogo(services.db, sessionId);
  return {
    edits: readReportEdits(services.db, sessionId),
    logo: logo ? { mime: logo.mime, width: logo.width, height: logo.height, bytes: logo.data.length } : null,
  };
}
