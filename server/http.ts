/** The HTTP side: REST under /api and the built client for every other GET. */
import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { CreateSessionBody, JoinBody, type CreateSessionResponse, type JoinPreview, type JoinResponse } from '../shared/protocol.js';
import { editAgenda, LOBBY } from './domain/run.js';
import { joinLimit } from './rateLimit.js';
import { newId } from './secrets.js';
import { AppError, parseOrThrow, toErrorInfo } from './errors.js';
import { reportRoutes } from './reportRoutes.js';
import type { Services } from './services.js';

export const JSON_BODY_LIMIT = '64kb';

export function createHttpApp(services: Services): express.Express {
  const { sessions, devices, events, urls } = services;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Behind nginx every request comes from nginx: the join limit counts the address it names.
  app.set('trust proxy', services.config.trustProxy);

  const api = express.Router();
  if (services.persisted) api.use(answerWhenPersisted(services.persisted));
  // The report's routes parse their own bodies (an image, or edits longer than other bodies).
  api.use(reportRoutes(services));
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
    // Behind a TLS proxy named in TRUST_PROXY, req.protocol is what the browser used (X-Forwarded-Proto).
    const origin = urls.origin(req.get('host'), req.protocol === 'https' ? 'https' : 'http');
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
  const joinGuard = joinLimit(services.config.limits, services.redis);
  const limitJoins = async (req: Request, res: Response, next: NextFunction) => {
    const go = await joinGuard.begin(req.ip ?? '');
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

  api.post('/join', limitJoins, async (req, res) => {
    const { code } = parseOrThrow(JoinBody, req.body ?? {}, 'join request');
    const session = sessions.byJoinCode(code);
    if (!session) throw new AppError('not_found', 'No session has this code');
    const { token } = devices.create(session.id);
    // The token is only handed out once the device is on disk.
    await devices.stored();
    const response: JoinResponse = { sessionId: session.id, deviceToken: token };
    res.status(201).json(response);
  });

  api.use((_req, _res) => {
    throw new AppError('not_found', 'No such API endpoint');
  });

  api.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: unknown };
    let error = err;
    if (e?.type === 'entity.parse.failed') error = new AppError('bad_request', 'The body is not valid JSON');
    else if (e?.type === 'entity.too.large') {
      // The rest of the body is not read, so the connection cannot carry another request.
      res.set('Connection', 'close');
      const limit = (err as { limit?: unknown }).limit;
      error = new AppError('too_large', `The body is larger than ${typeof limit === 'number' ? `${Math.floor(limit / 1024)} KB` : JSON_BODY_LIMIT}`);
    } else if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') {
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

/**
 * Hosted mode: a JSON answer goes out once what the request wrote is committed in Postgres, so
 * no client hears "created" or "saved" of something a node's crash could take back.
 */
function answerWhenPersisted(persisted: () => Promise<void>) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      persisted().then(
        () => json(body),
        (err: AppError) => {
          res.status(err.status);
          json({ error: toErrorInfo(err) });
        },
      );
      return res;
    };
    next();
  };
}
