/** The HTTP side: REST under /api and the built client for every other GET. */
import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { CreateSessionBody, JoinBody, ReportNotesBody, SessionId, type CreateSessionResponse, type JoinPreview, type JoinResponse } from '../shared/protocol.js';
import { ReportLanguage } from '../shared/report.js';
import { renderCsv } from './domain/reportCsv.js';
import { renderDocx } from './domain/reportDocx.js';
import { renderHtml, REPORT_HTML_CSP } from './domain/reportHtml.js';
import { renderMarkdown } from './domain/reportMarkdown.js';
import { editAgenda, LOBBY } from './domain/run.js';
import { joinLimit } from './rateLimit.js';
import { newId } from './secrets.js';
import { AppError, parseOrThrow, toErrorInfo } from './errors.js';
import { sessionReport } from './report.js';
import { writeReportNotes } from './reportNotes.js';
import type { Services } from './services.js';

export const JSON_BODY_LIMIT = '64kb';

/** The facilitator key comes in a header only, never in a path or query string, so it stays out of logs. */
function requireFacilitator(services: Services, req: Request, sessionId: string): void {
  const m = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(req.get('authorization') ?? '');
  if (!m || !services.sessions.isFacilitator(sessionId, m[1]!)) {
    throw new AppError('unauthorized', 'Send the facilitator key as "Authorization: Bearer <key>"');
  }
}

/** Quoted-string file name for Content-Disposition, ASCII only, from the session title. */
function fileName(title: string, ext: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/[^A-Za-z0-9 _-]+/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 60);
  return `verslag-${base || 'tafelronde'}.${ext}`;
}

export function createHttpApp(services: Services): express.Express {
  const { sessions, devices, events, urls } = services;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const api = express.Router();
  // Bodies must be JSON: a form or text/plain post from another site cannot create anything.
  api.use((req, _res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && !req.is('application/json')) {
      throw new AppError('unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json"');
    }
    next();
  });
  api.use(express.json({ limit: JSON_BODY_LIMIT }));

  api.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  api.post('/sessions', (req, res) => {
    const { agenda, ...body } = parseOrThrow(CreateSessionBody, req.body ?? {}, 'session');
    const { session, facilitatorKey } = sessions.create({
      ...body,
      ...(agenda && { agenda: editAgenda(LOBBY, { rounds: [] }, agenda, newId) }),
    });
    services.tables.setHostKeys(session.id, session.tables, facilitatorKey);
    events.append(session.id, 'session.created', { kind: session.kind, tables: session.tables, themes: session.themes.length });
    const origin = urls.origin(req.get('host'));
    const response: CreateSessionResponse = {
      id: session.id,
      joinCode: session.joinCode,
      facilitatorKey,
      urls: {
        // The key rides in the fragment, which browsers never send to a server.
        facilitator: `${origin}/f/${session.id}#key=${facilitatorKey}`,
        projector: `${origin}/p/${session.id}`,
        observer: `${urls.reachable(req.get('host'))}/o/${session.id}`,
        join: urls.join(session.joinCode, req.get('host')),
      },
    };
    res.status(201).json(response);
  });

  // Join codes are short: guesses are limited per address (429 with Retry-After).
  const joinGuard = joinLimit(services.config.limits);
  const limitJoins = (req: Request, res: Response, next: NextFunction) => {
    const go = joinGuard.begin(req.socket.remoteAddress ?? '');
    if ('retryAfterMs' in go) {
      res.set('Retry-After', String(Math.max(1, Math.ceil(go.retryAfterMs / 1000))));
      throw new AppError('rate_limited', 'Too many join attempts from this address; wait a minute');
    }
    res.once('finish', () => go.settle(res.statusCode));
    next();
  };

  api.get('/join/:code', limitJoins, (req, res) => {
    const { code } = parseOrThrow(JoinBody, { code: req.params.code }, 'join code');
    const session = sessions.byJoinCode(code);
    if (!session) throw new AppError('not_found', 'No session has this code');
    const preview: JoinPreview = { sessionId: session.id, title: session.title, tables: session.tables };
    res.json(preview);
  });

  api.post('/join', limitJoins, (req, res) => {
    const { code } = parseOrThrow(JoinBody, req.body ?? {}, 'join request');
    const session = sessions.byJoinCode(code);
    if (!session) throw new AppError('not_found', 'No session has this code');
    const { token } = devices.create(session.id);
    const response: JoinResponse = { sessionId: session.id, deviceToken: token };
    res.status(201).json(response);
  });

  api.get('/sessions/:id/:file', async (req, res) => {
    const file = /^report\.(json|md|html|docx|csv)$/.exec(String(req.params.file));
    if (!file) throw new AppError('not_found', 'No such resource');
    const sessionId = parseOrThrow(SessionId, req.params.id, 'session id');
    if (!sessions.get(sessionId)) throw new AppError('session_not_found', 'There is no session with this id');
    requireFacilitator(services, req, sessionId);
    const lang = parseOrThrow(ReportLanguage.default('nl'), req.query.lang, 'lang');
    const report = sessionReport(services, sessionId);
    const name = (ext: string) => fileName(report.session.title, ext);
    res.set('Cache-Control', 'no-store').set('X-Content-Type-Options', 'nosniff');
    switch (file[1]) {
      case 'json':
        res.attachment(name('json')).json(report);
        break;
      case 'md':
        res.attachment(name('md')).type('text/markdown; charset=utf-8').send(renderMarkdown(report, lang));
        break;
      case 'html':
        // A page of its own, with a policy of its own: nothing in it may run or load.
        res.set('Content-Security-Policy', REPORT_HTML_CSP).type('text/html; charset=utf-8').attachment(name('html')).send(renderHtml(report, lang));
        break;
      case 'docx': {
        const docx = await renderDocx(report, lang);
        res.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document').attachment(name('docx')).send(docx);
        break;
      }
      case 'csv':
        // The type after attachment(), which would set a plain text/csv from the file name.
        res.attachment(name('csv')).type('text/csv; charset=utf-8; header=present').send(Buffer.from(renderCsv(report, lang), 'utf8'));
        break;
    }
  });

  api.put('/sessions/:id/notes', (req, res) => {
    const sessionId = parseOrThrow(SessionId, req.params.id, 'session id');
    if (!sessions.get(sessionId)) throw new AppError('session_not_found', 'There is no session with this id');
    requireFacilitator(services, req, sessionId);
    const { notes } = parseOrThrow(ReportNotesBody, req.body ?? {}, 'notes');
    res.set('Cache-Control', 'no-store').json({ notes: writeReportNotes(services.db, sessionId, notes) });
  });

  api.use((_req, _res) => {
    throw new AppError('not_found', 'No such API endpoint');
  });

  api.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: unknown };
    let error = err;
    if (e?.type === 'entity.parse.failed') error = new AppError('bad_request', 'The body is not valid JSON');
    else if (e?.type === 'entity.too.large') error = new AppError('too_large', `The body is larger than ${JSON_BODY_LIMIT}`);
    else if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') {
      error = new AppError('bad_request', 'Send the body as UTF-8 JSON');
    } else if (!(err instanceof AppError) && typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      // What Express and body-parser refuse on their own, e.g. a path that is not valid percent-encoding.
      error = new AppError('bad_request', 'The request could not be read');
    }
    if (!(error instanceof AppError)) services.log.error('request failed', err);
    const status = error instanceof AppError ? error.status : 500;
    res.status(status).json({ error: toErrorInfo(error) });
  });

  app.use('/api', api);

  const clientDir = services.config.clientDir;
  if (clientDir && fs.existsSync(path.join(clientDir, 'index.html'))) {
    app.use('/assets', express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
    app.use(express.static(clientDir, { index: false }));
    // Every other GET is a page of the single-page client.
    app.use((req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      res.set('Cache-Control', 'no-cache').sendFile(path.join(clientDir, 'index.html'));
    });
  }
  return app;
}
