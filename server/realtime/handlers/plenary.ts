/** The facilitator brings the tables' points to the plenary board (see server/plenary.ts). */
import type { PayloadOf, PlenaryHarvestResult } from '../../../shared/protocol.js';
import type { HandlerContext } from '../context.js';

export function harvest(ctx: HandlerContext<'facilitator'>, p: PayloadOf<'plenary:harvest'>): PlenaryHarvestResult {
  const { services, data } = ctx;
  const session = services.sessions.require(data.sessionId);
  const result = p.from === 'table' ? services.plenary.harvestPicked(session, p.table, p.pointIds) : services.plenary.harvestTables(session, p.from);
  services.events.append(data.sessionId, 'plenary.harvested', { from: p.from, ...(p.from === 'table' ? { table: p.table } : {}), added: result.added });
  return result;
}
