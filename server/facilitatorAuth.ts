/** The facilitator key check shared by every REST route that only the organiser may use. */
import type { Request } from 'express';
import { AppError } from './errors.js';
import type { Services } from './services.js';

/** The facilitator key comes in a header only, never in a path or query string, so it stays out of logs. */
export function requireFacilitator(services: Services, req: Request, sessionId: string): void {
  const m = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(req.get('authorization') ?? '');
  if (!m || !services.sessions.isFacilitator(sessionId, m[1]!)) {
    throw new AppError('unauthorized', 'Send the facilitator key as "Authorization: Bearer <key>"');
  }
}
