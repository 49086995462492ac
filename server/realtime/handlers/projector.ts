/** The facilitator sets what the projector shows: the commands are decided in server/domain/projector.ts. */
import type { PayloadOf, ProjectorSettings } from '../../../shared/protocol.js';
import { applyCommand } from '../../domain/projector.js';
import { AppError } from '../../errors.js';
import type { HandlerContext } from '../context.js';

export function setProjector(ctx: HandlerContext<'facilitator'>, p: PayloadOf<'projector:set'>): ProjectorSettings {
  const { services, push, data } = ctx;
  const session = services.sessions.require(data.sessionId);
  if (p.spotlight?.kind === 'table' && p.spotlight.table > session.tables) throw new AppError('bad_request', 'There is no such table');
  const projector = applyCommand(session.projector, p, Date.now());
  services.sessions.setProjector(data.sessionId, projector);
  // Page turns are not worth a line in the session's log; what the wall shows is.
  if (p.page === undefined && p.autoPage === undefined) services.events.append(data.sessionId, 'projector.changed', projector);
  void push.broadcastSession(data.sessionId);
  if (projector.spotlight?.kind === 'table') push.spotlightBoard(data.sessionId, projector.spotlight.table);
  return projector;
}
