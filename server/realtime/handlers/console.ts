/** Every screen's clock sync, and a facilitator console taking control of the session. */
import { Events, type ClockSyncResult, type ConsoleControl } from '../../../shared/protocol.js';
import type { HandlerContext } from '../context.js';
import { room } from '../rooms.js';

export const clockSync = (): ClockSyncResult => ({ serverNow: Date.now() });

export function takeOver(ctx: HandlerContext<'facilitator'>): ConsoleControl {
  const state = ctx.consoles.takeOver(ctx.data.sessionId, ctx.socketId);
  ctx.io.to(room.facilitators(ctx.data.sessionId)).emit(Events.consoleControl, state);
  return state;
}
