/**
 * Session control over socket.io: who is connected in which role, the facilitator's actions,
 * ballots from tablets, and live state pushed to every screen. Every payload is parsed with
 * its schema from shared/protocol.ts and every action checks the sender's role here.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import {
  BallotSubmitPayload,
  DeviceJoinTablePayload,
  Events,
  HandshakeAuth,
  PROTOCOL_VERSION,
  VoteClosePayload,
  VoteOpenPayload,
  type Ack,
  type ClientToServerEvents,
  type DeviceState,
  type Role,
  type ServerToClientEvents,
  type SessionView,
  type TableOverview,
} from '../shared/protocol.js';
import type { Services } from './services.js';
import { AppError, parseOrThrow, toErrorInfo } from './errors.js';
import { toVoteView, type Vote } from './votes.js';
import { parseDocName } from './yjs/docNames.js';
import { MAX_MESSAGE_BYTES } from './yjs/yjsServer.js';

interface SocketData {
  role: Role;
  sessionId: string;
  deviceId: string | null;
  /** Kept only in memory of this connection: needed to seal ballots (see votes.ts). */
  token: string | null;
}

type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Live tallies go out at most this often per vote, however fast ballots arrive. */
const TALLY_INTERVAL_MS = 100;
const OVERVIEW_INTERVAL_MS = 250;

const room = {
  session: (id: string) => `s:${id}`,
  facilitators: (id: string) => `s:${id}:f`,
  table: (id: string, table: number) => `s:${id}:t:${table}`,
};

/**
 * Runs `fn` at most once per interval per key, always with the latest call's effect (trailing).
 * Once stopped it schedules nothing more: sockets still disconnect while the server shuts down,
 * and their handlers must not start timers that would run against a closed database.
 */
function throttle(intervalMs: number) {
  const pending = new Map<string, NodeJS.Timeout>();
  const last = new Map<string, number>();
  let stopped = false;
  return {
    run(key: string, fn: () => void) {
      if (stopped || pending.has(key)) return;
      const wait = Math.max(0, (last.get(key) ?? 0) + intervalMs - Date.now());
      const timer = setTimeout(() => {
        pending.delete(key);
        last.set(key, Date.now());
        fn();
      }, wait);
      timer.unref();
      pending.set(key, timer);
    },
    stop() {
      stopped = true;
      for (const t of pending.values()) clearTimeout(t);
      pending.clear();
    },
  };
}

export function attachRealtime(httpServer: HttpServer, services: Services): { io: IoServer; close(): Promise<void> } {
  const { sessions, devices, votes, events, store, log, yjs } = services;
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 },
  });
  const tallyThrottle = throttle(TALLY_INTERVAL_MS);
  const overviewThrottle = throttle(OVERVIEW_INTERVAL_MS);

  // --- state views --------------------------------------------------------------------------
  function sessionView(sessionId: string, host: string | undefined): SessionView {
    const s = sessions.require(sessionId);
    const vote = votes.current(sessionId);
    return {
      id: s.id,
      kind: s.kind,
      title: s.title,
      question: s.question,
      joinCode: s.joinCode,
      joinUrl: services.urls.join(s.joinCode, host),
      tables: s.tables,
      themes: s.themes,
      createdAt: s.createdAt,
      vote: vote ? toVoteView(vote) : null,
    };
  }

  async function broadcastSession(sessionId: string) {
    for (const socket of await io.in(room.session(sessionId)).fetchSockets()) {
      socket.emit(Events.sessionState, sessionView(sessionId, socket.handshake.headers.host));
    }
  }

  function tally(vote: Vote) {
    const count = votes.count(vote);
    return { voteId: vote.id, totals: count.totals, ballots: count.ballots, eligible: vote.eligibleAtClose ?? devices.countJoined(vote.sessionId) };
  }

  function scheduleTally(voteId: string) {
    tallyThrottle.run(voteId, () => {
      const vote = votes.get(voteId);
      if (vote) io.to(room.session(vote.sessionId)).emit(Events.voteTally, tally(vote));
    });
  }

  function overview(sessionId: string): TableOverview[] {
    const session = sessions.require(sessionId);
    const joined = devices.countByTable(sessionId);
    const rows: TableOverview[] = [];
    for (let table = 1; table <= session.tables; table++) {
      rows.push({
        table,
        connected: io.sockets.adapter.rooms.get(room.table(sessionId, table))?.size ?? 0,
        joined: joined.get(table) ?? 0,
        points: services.pointsOf(sessionId, table).filter((p) => p.text.trim() !== '').length,
      });
    }
    return rows;
  }

  function scheduleOverview(sessionId: string) {
    overviewThrottle.run(sessionId, () => {
      if (sessions.get(sessionId)) io.to(room.facilitators(sessionId)).emit(Events.tablesOverview, overview(sessionId));
    });
  }

  const stopWatchingDocs = store.onChange((name) => {
    const target = parseDocName(name);
    if (target) scheduleOverview(target.sessionId);
  });

  // --- handshake ----------------------------------------------------------------------------
  io.use((socket, next) => {
    const fail = (code: 'protocol_mismatch' | 'unauthorized' | 'bad_request' | 'session_not_found', message: string) => {
      const err = new Error(message) as Error & { data: unknown };
      err.data = { code, message };
      next(err);
    };
    const auth = HandshakeAuth.safeParse(socket.handshake.auth);
    const protocol = (socket.handshake.auth as { protocol?: unknown } | undefined)?.protocol;
    if (protocol !== PROTOCOL_VERSION) {
      return fail('protocol_mismatch', `This page speaks protocol ${String(protocol)}, the server ${PROTOCOL_VERSION}; reload the page`);
    }
    if (!auth.success) return fail('bad_request', 'Invalid handshake');
    const a = auth.data;
    if (!sessions.get(a.sessionId)) return fail('session_not_found', 'There is no session with this id');
    if (a.role === 'facilitator') {
      if (!sessions.isFacilitator(a.sessionId, a.key)) return fail('unauthorized', 'The facilitator key is not valid');
      socket.data = { role: 'facilitator', sessionId: a.sessionId, deviceId: null, token: null };
    } else if (a.role === 'device') {
      const device = devices.byToken(a.sessionId, a.token);
      if (!device) return fail('unauthorized', 'This device is not known in this session; join again');
      socket.data = { role: 'device', sessionId: a.sessionId, deviceId: device.id, token: a.token };
    } else {
      socket.data = { role: 'viewer', sessionId: a.sessionId, deviceId: null, token: null };
    }
    next();
  });

  // --- handlers -----------------------------------------------------------------------------
  /** Wraps a handler: checks the role, parses the payload, answers through the ack either way. */
  function on<E extends keyof ClientToServerEvents, S extends z.ZodType, R>(
    socket: IoSocket,
    event: E,
    roles: Role[],
    schema: S,
    fn: (payload: z.output<S>) => R,
  ) {
    // Payloads are untrusted: the handler receives `unknown` and parses it, whatever the event map says.
    (socket as unknown as { on(e: string, l: (payload: unknown, ack: unknown) => void): void }).on(event, (payload, ack) => {
      const reply = typeof ack === 'function' ? (ack as (r: Ack<R>) => void) : () => {};
      try {
        if (!roles.includes(socket.data.role)) {
          throw new AppError('forbidden', `Only ${roles.join(' or ')} may do this`);
        }
        reply({ ok: true, data: fn(parseOrThrow(schema, payload, `${event} payload`)) });
      } catch (err) {
        if (!(err instanceof AppError)) log.error(`${event} failed`, err);
        reply({ ok: false, error: toErrorInfo(err) });
      }
    });
  }

  function deviceState(sessionId: string, deviceId: string): DeviceState {
    const device = services.deviceById(deviceId);
    return { table: device?.table ?? null, votedIn: votes.votedIn(sessionId, deviceId) };
  }

  io.on('connection', (socket) => {
    const { sessionId, role } = socket.data;
    void socket.join(room.session(sessionId));
    // Every (re)connect gets the full state, so nothing depends on having seen earlier events.
    socket.emit(Events.sessionState, sessionView(sessionId, socket.handshake.headers.host));
    const current = votes.current(sessionId);
    if (current) socket.emit(Events.voteTally, tally(current));

    if (role === 'facilitator') {
      void socket.join(room.facilitators(sessionId));
      socket.emit(Events.tablesOverview, overview(sessionId));
    }
    if (role === 'device') {
      const device = services.deviceById(socket.data.deviceId!);
      if (device?.table) void socket.join(room.table(sessionId, device.table));
      socket.emit(Events.deviceState, deviceState(sessionId, socket.data.deviceId!));
      scheduleOverview(sessionId);
      socket.on('disconnect', () => scheduleOverview(sessionId));
    }

    on(socket, Events.deviceJoinTable, ['device'], DeviceJoinTablePayload, ({ table }) => {
      const session = sessions.require(sessionId);
      const before = services.deviceById(socket.data.deviceId!)!;
      const device = devices.setTable(before, table, session.tables);
      if (before.table !== null && before.table !== table) {
        void socket.leave(room.table(sessionId, before.table));
        yjs.disconnectDevice(device.id);
      }
      void socket.join(room.table(sessionId, table));
      scheduleOverview(sessionId);
      const current = votes.current(sessionId);
      if (current) scheduleTally(current.id);
      return deviceState(sessionId, device.id);
    });

    on(socket, Events.voteOpen, ['facilitator'], VoteOpenPayload, (p) => {
      const session = sessions.require(sessionId);
      const items = [];
      for (let table = 1; table <= session.tables; table++) {
        for (const point of services.pointsOf(sessionId, table)) {
          const text = point.text.trim();
          if (text) items.push({ id: point.id, table, theme: point.theme, text });
        }
      }
      const vote = votes.open(sessionId, { budget: p.budget, maxPerItem: p.maxPerItem ?? p.budget }, items);
      events.append(sessionId, 'vote.opened', { voteId: vote.id, method: vote.method, budget: vote.budget, items: items.length });
      void broadcastSession(sessionId);
      scheduleTally(vote.id);
      return toVoteView(vote);
    });

    on(socket, Events.voteClose, ['facilitator'], VoteClosePayload, ({ voteId }) => {
      const vote = votes.close(sessionId, voteId, devices.countJoined(sessionId));
      events.append(sessionId, 'vote.closed', { voteId, ballots: votes.count(vote).ballots });
      void broadcastSession(sessionId);
      scheduleTally(vote.id);
      return toVoteView(vote);
    });

    on(socket, Events.ballotSubmit, ['device'], BallotSubmitPayload, (p) => {
      const device = services.deviceById(socket.data.deviceId!)!;
      const { changed } = votes.submit(device, socket.data.token!, p);
      if (changed) scheduleTally(p.voteId);
      return { voteId: p.voteId, ballotId: p.ballotId, changed };
    });
  });

  return {
    io,
    async close() {
      stopWatchingDocs();
      tallyThrottle.stop();
      overviewThrottle.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}

