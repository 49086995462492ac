/** The facilitator (and a table's host) look after the tables: signals, moving a tablet, seats, host links. */
import type { HostLink, PayloadOf } from '../../../shared/protocol.js';
import { AppError } from '../../errors.js';
import { hostKey } from '../../tables.js';
import type { HandlerContext } from '../context.js';
import { seatDevice } from '../seating.js';

type Facilitator = HandlerContext<'facilitator'>;

/** Answers a table's call for help or "ready"; a host only for its own table. */
export function clearSignal(ctx: HandlerContext<'facilitator' | 'host'>, { table, signal }: PayloadOf<'table:clearSignal'>): null {
  const { services, push, data } = ctx;
  if (data.role === 'host' && data.table !== table) throw new AppError('forbidden', 'A table host may only answer its own table');
  if (table > services.sessions.require(data.sessionId).tables) throw new AppError('bad_request', 'There is no such table');
  services.tables.setSignal(data.sessionId, table, signal, false);
  services.events.append(data.sessionId, 'signal.cleared', { table, signal, by: data.role });
  void push.deviceStates(data.sessionId, table);
  push.overview(data.sessionId);
  return null;
}

/** Moves the tablet that shows this code to another table. */
export async function moveDevice(ctx: Facilitator, { label, table }: PayloadOf<'device:move'>): Promise<null> {
  const { services, data } = ctx;
  const device = services.devices.byLabel(data.sessionId, label);
  if (!device) throw new AppError('not_found', 'No device in this session shows this code');
  await seatDevice(ctx, device.id, table);
  services.events.append(data.sessionId, 'device.moved', { from: device.table, to: table });
  return null;
}

/** Seats at a table that shares one tablet (doorgeefstand). */
export function setSeats(ctx: Facilitator, { table, seats }: PayloadOf<'table:seats'>): null {
  const { services, push, data } = ctx;
  if (table > services.sessions.require(data.sessionId).tables) throw new AppError('bad_request', 'There is no such table');
  // Who may vote is fixed while a vote runs, or ballots could be cast twice over.
  if (services.votes.openVote(data.sessionId)) throw new AppError('vote_already_open', 'Set the seats before the vote opens, or after it closes');
  services.tables.setSeats(data.sessionId, table, seats);
  services.events.append(data.sessionId, 'table.seats', { table, seats });
  void push.deviceStates(data.sessionId, table);
  push.overview(data.sessionId);
  return null;
}

export function hostLinks(ctx: Facilitator): HostLink[] {
  const { services, data } = ctx;
  const session = services.sessions.require(data.sessionId);
  // Stores the hashes for sessions made before table hosts existed; the same keys otherwise.
  services.tables.setHostKeys(data.sessionId, session.tables, data.secret);
  // Opened on the hosts' tablets: the address the room can reach.
  const origin = services.urls.reachable(ctx.host);
  return Array.from({ length: session.tables }, (_, i) => ({
    table: i + 1,
    url: `${origin}/h/${data.sessionId}/${i + 1}#key=${hostKey(data.secret, data.sessionId, i + 1)}`,
  }));
}
