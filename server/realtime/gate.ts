/**
 * The gate every connection and every event passes: the handshake (protocol version, who it
 * is, what it proved), then per event a rate limit, a known event name with one payload, the
 * sender's role, control of the session for a facilitator, the payload parsed by its schema,
 * and an answer through the acknowledgement either way.
 */
import type { ExtendedError } from 'socket.io';
import { CLIENT_EVENTS, Events, HandshakeAuth, PROTOCOL_VERSION, type Ack, type ClientEvent, type ErrorCode } from '../../shared/protocol.js';
import { AppError, parseOrThrow, toErrorInfo } from '../errors.js';
import { TokenBucket } from '../rateLimit.js';
import type { Services } from '../services.js';
import type { HandlerContext, IoServer, IoSocket, Realtime, SocketData } from './context.js';
import { HANDLERS } from './handlers.js';
import { room } from './rooms.js';

type Next = (err?: ExtendedError) => void;

function refusal(code: ErrorCode, message: string): ExtendedError {
  return Object.assign(new Error(message), { data: { code, message } });
}

/** The handshake: sets the connection's data, or refuses it with a code the client can act on. */
export function authenticate(io: IoServer, services: Services, socket: IoSocket, next: Next): void {
  const { sessions, devices, tables } = services;
  const { limits } = services.config;
  const protocol = (socket.handshake.auth as { protocol?: unknown } | undefined)?.protocol;
  if (protocol !== PROTOCOL_VERSION) {
    return next(refusal('protocol_mismatch', `This page speaks protocol ${String(protocol)}, the server ${PROTOCOL_VERSION}; reload the page`));
  }
  const auth = HandshakeAuth.safeParse(socket.handshake.auth);
  if (!auth.success) return next(refusal('bad_request', 'Invalid handshake'));
  const a = auth.data;
  const session = sessions.get(a.sessionId);
  if (!session) return next(refusal('session_not_found', 'There is no session with this id'));
  let data: SocketData;
  switch (a.role) {
    case 'facilitator':
      if (!sessions.isFacilitator(a.sessionId, a.key)) return next(refusal('unauthorized', 'The facilitator key is not valid'));
      data = { role: 'facilitator', sessionId: a.sessionId, secret: a.key };
      break;
    case 'host':
      if (a.table > session.tables || !tables.isHost(a.sessionId, a.table, a.key)) return next(refusal('unauthorized', 'The table host key is not valid'));
      data = { role: 'host', sessionId: a.sessionId, table: a.table };
      break;
    case 'device': {
      const device = devices.byToken(a.sessionId, a.token);
      if (!device) return next(refusal('unauthorized', 'This device is not known in this session; join again'));
      // A recovering socket is already back in its old rooms: it does not count against itself.
      const open = io.sockets.adapter.rooms.get(room.device(device.id));
      if ((open?.size ?? 0) - (open?.has(socket.id) ? 1 : 0) >= limits.connectionsPerDevice) {
        return next(refusal('too_many_connections', `This device already has ${limits.connectionsPerDevice} connections open; close one`));
      }
      data = { role: 'device', sessionId: a.sessionId, deviceId: device.id, secret: a.token };
      break;
    }
    case 'viewer':
      data = { role: 'viewer', sessionId: a.sessionId };
      break;
  }
  socket.data = data;
  next();
}

/** Every incoming event: a token bucket per connection, and an answer even for unknown events. */
export function guardEvents(services: Services, socket: IoSocket): void {
  const { limits } = services.config;
  const bucket = new TokenBucket({ capacity: limits.eventBurst, perSecond: limits.eventsPerSecond });
  socket.use(([event, ...args], next) => {
    const ack: unknown = args.at(-1);
    const refuse = (error: { code: ErrorCode; message: string }) => {
      if (typeof ack === 'function') (ack as (r: Ack<never>) => void)({ ok: false, error });
    };
    if (!bucket.take()) return refuse({ code: 'rate_limited', message: `More than ${limits.eventsPerSecond} events a second; slow down` });
    // A hand-made frame may carry no event name at all, or a number: never look those up.
    if (typeof event !== 'string' || !Object.hasOwn(CLIENT_EVENTS, event)) return refuse({ code: 'not_found', message: 'No such event' });
    // Only the events of its role are listened for on a connection (see listen): refuse the rest here.
    const roles: readonly string[] = CLIENT_EVENTS[event as ClientEvent].roles;
    if (!roles.includes(socket.data.role)) return refuse({ code: 'forbidden', message: `Only ${roles.join(' or ')} may do this` });
    // Exactly one payload, then the acknowledgement: otherwise a handler would take the wrong argument for either.
    if (args.length - (typeof ack === 'function' ? 1 : 0) !== 1) {
      return refuse({ code: 'bad_request', message: 'An event carries one payload and an acknowledgement callback' });
    }
    next();
  });
}

/**
 * Listens for every event of the contract the connection's role may send and runs its handler
 * from the handler table. A handler that returns a promise is answered when it settles (a ballot: once
 * it is committed).
 */
export function listen(realtime: Realtime, socket: IoSocket): void {
  const ctx: HandlerContext = { ...realtime, data: socket.data, socketId: socket.id, host: socket.handshake.headers.host };
  // A phone's connection listens for the few events a device sends, not all of them: with
  // thousands of phones, a listener per event per connection was memory for nothing.
  const events = (Object.keys(CLIENT_EVENTS) as ClientEvent[]).filter((e) => (CLIENT_EVENTS[e].roles as readonly string[]).includes(socket.data.role));
  for (const event of events) {
    // Payloads are untrusted: the listener takes `unknown` and parses it, whatever the event map says.
    (socket as unknown as { on(e: string, l: (payload: unknown, ack: unknown) => void): void }).on(event, (payload, ack) => {
      const reply = typeof ack === 'function' ? (ack as (r: Ack<unknown>) => void) : () => {};
      const failed = (err: unknown) => {
        if (!(err instanceof AppError)) realtime.services.log.error(`${event} failed`, err);
        reply({ ok: false, error: toErrorInfo(err) });
      };
      // Hosted mode: nobody hears "done" before it is in Postgres.
      const { persisted } = realtime.services;
      const succeeded = persisted ? (data: unknown) => persisted().then(() => reply({ ok: true, data }), failed) : (data: unknown) => reply({ ok: true, data });
      try {
        const answer = dispatch(ctx, socket, event, payload);
        if (answer instanceof Promise) answer.then(succeeded, failed);
        else void succeeded(answer);
      } catch (err) {
        failed(err);
      }
    });
  }
}

function dispatch(ctx: HandlerContext, socket: IoSocket, event: ClientEvent, payload: unknown): unknown {
  const spec = CLIENT_EVENTS[event];
  const { role, sessionId } = ctx.data;
  if (!(spec.roles as readonly string[]).includes(role)) throw new AppError('forbidden', `Only ${spec.roles.join(' or ')} may do this`);
  const controls = role === 'facilitator' && spec.control;
  if (controls && !ctx.consoles.mayAct(sessionId, ctx.socketId)) {
    throw new AppError('not_in_control', 'Another console has control of this session; take over to act from here');
  }
  const parsed = parseOrThrow(spec.schema, payload, `${event} payload`);
  // The role is one the contract allows for this event, so the handler's narrower context holds.
  const answer = (HANDLERS[event] as (c: HandlerContext, p: unknown) => unknown)(ctx, parsed);
  // The other consoles hear of it, so none of them changes silently.
  if (controls) socket.to(room.facilitators(sessionId)).emit(Events.consoleActed, { event });
  return answer;
}
