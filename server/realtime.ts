/**
 * Session control over socket.io: who is connected in which role, the facilitator's actions,
 * what tablets and hosts may do, and live state pushed to every screen. Every payload is parsed
 * with its schema from shared/protocol.ts and every action checks the sender's role here.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import { findStep } from '../shared/agenda.js';
import {
  AgendaUpdatePayload,
  BallotSubmitPayload,
  DeviceJoinTablePayload,
  EvaluationSubmitPayload,
  DeviceMovePayload,
  EmptyPayload,
  Events,
  HandshakeAuth,
  PlenaryHarvestPayload,
  PROTOCOL_VERSION,
  ProjectorSetPayload,
  StepGotoPayload,
  StepMovePayload,
  TableSeatsPayload,
  TableClearSignalPayload,
  TableSignalPayload,
  TimerExtendPayload,
  VoteClosePayload,
  VoteOpenPayload,
  VoteSettings,
  type Ack,
  type ClientToServerEvents,
  type ErrorCode,
  type Role,
  type ServerToClientEvents,
} from '../shared/protocol.js';
import { AppError, parseOrThrow, toErrorInfo } from './errors.js';
import { originCheck } from './origin.js';
import { TokenBucket } from './rateLimit.js';
import type { RunAction } from './run.js';
import type { Services } from './services.js';
import { hostKey } from './tables.js';
import { deviceState, runView, sessionView, tableBoard, tablesOverview } from './views.js';
import { buildTally } from './domain/voteResults.js';
import { toVoteView, type Vote } from './votes.js';
import { eligibleVoters, voteItems } from './voteSetup.js';
import { mergeVoteSettings, resolveVote } from '../shared/voteSettings.js';
import { parseDocName } from './yjs/docNames.js';
import { MAX_MESSAGE_BYTES } from './yjs/yjsServer.js';
import { applyCommand, onVoteOpened } from './domain/projector.js';
import { Consoles } from './consoles.js';
import { Presence } from './presence.js';

interface SocketData {
  role: Role;
  sessionId: string;
  deviceId: string | null;
  /** The table a host hosts. */
  table: number | null;
  /**
   * The device token or facilitator key of this connection, kept only in memory: a ballot's
   * seal needs the token (see votes.ts), host links are derived from the key (see tables.ts).
   */
  secret: string | null;
}

type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Live tallies go out at most this often per vote, however fast ballots arrive. */
const TALLY_INTERVAL_MS = 100;
const OVERVIEW_INTERVAL_MS = 250;
/** Board-driven updates (tops, the spotlighted board) follow typing at this pace. */
const BOARD_INTERVAL_MS = 500;
const DOC_CHANGE_INTERVAL_MS = 50;

/** Facilitator events that change nothing in the session: any console may send them. */
const PASSIVE_EVENTS: ReadonlySet<string> = new Set([Events.clockSync, Events.hostLinks, Events.consoleTakeover]);

const room = {
  session: (id: string) => `s:${id}`,
  facilitators: (id: string) => `s:${id}:f`,
  /** The devices seated at a table. */
  table: (id: string, table: number) => `s:${id}:t:${table}`,
  hosts: (id: string, table: number) => `s:${id}:h:${table}`,
  /** Projectors, observers and table hosts: the screens that show a vote's results live. */
  screens: (id: string) => `s:${id}:screens`,
  device: (deviceId: string) => `d:${deviceId}`,
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
  const { sessions, devices, votes, events, tables, store, log, yjs } = services;
  const { limits } = services.config;
  const originAllowed = originCheck(services.config);
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    // A recovered connection still passes the handshake below: its credentials and the
    // per-device connection limit are checked again, and socket.data is set afresh.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
    // Runs for every engine.io handshake, polling or websocket, before any session exists.
    allowRequest: (req, callback) => {
      const ok = originAllowed(req.headers);
      callback(ok ? null : 'This page may not connect here', ok);
    },
  });
  const tallyThrottle = throttle(TALLY_INTERVAL_MS);
  const overviewThrottle = throttle(OVERVIEW_INTERVAL_MS);
  const boardThrottle = throttle(BOARD_INTERVAL_MS);
  const consoles = new Consoles();
  /** Board changes arrive with every keystroke; what they imply is looked up a few times a second at most. */
  const docChangeThrottle = throttle(DOC_CHANGE_INTERVAL_MS);

  // --- pushing state ------------------------------------------------------------------------
  const isConnected = (deviceId: string) => (io.sockets.adapter.rooms.get(room.device(deviceId))?.size ?? 0) > 0;
  const presence = new Presence(isConnected);
  const present = (deviceId: string) => presence.isPresent(deviceId);

  /** Builds the session view once and sends it to everyone; only the join link depends on how each screen reached us. */
  async function broadcastSession(sessionId: string) {
    const view = sessionView(services, sessionId, undefined);
    for (const socket of await io.in(room.session(sessionId)).fetchSockets()) {
      socket.emit(Events.sessionState, { ...view, joinUrl: services.urls.join(view.joinCode, socket.handshake.headers.host) });
    }
  }

  /** Sends a device's connections its state; each reads it with its own token (see views.ts). */
  async function pushDeviceState(deviceId: string) {
    for (const socket of await io.in(room.device(deviceId)).fetchSockets()) {
      socket.emit(Events.deviceState, deviceState(services, deviceId, socket.data.secret!));
    }
  }

  /** Sends every seated device (or those of one table) its own state again. */
  async function pushDeviceStates(sessionId: string, table?: number) {
    const target = table === undefined ? room.session(sessionId) : room.table(sessionId, table);
    for (const socket of await io.in(target).fetchSockets()) {
      if (socket.data.role === 'device' && socket.data.deviceId) socket.emit(Events.deviceState, deviceState(services, socket.data.deviceId, socket.data.secret!));
    }
  }

  /** What a vote's tallies are built from: counted, and its voters read, once for every audience. */
  function tallyInput(vote: Vote) {
    const { count, ballots } = votes.count(vote);
    const eligible = vote.eligibleAtClose ?? eligibleVoters(services, vote.sessionId, present, vote.id);
    return { vote, count, ballots, eligible, votersByTable: votes.votersByTable(vote.id) };
  }

  /**
   * The facilitator sees a blind vote's results while it runs; every other screen only its
   * turnout. Tablets show no live results, so while a vote runs its tallies go to the screens
   * only: with 5,000 phones, ten tallies a second to each would be most of the server's work.
   * The closing tally goes to everyone.
   */
  function scheduleTally(voteId: string) {
    tallyThrottle.run(voteId, () => {
      const vote = votes.get(voteId);
      if (!vote) return;
      const input = tallyInput(vote);
      io.to(room.facilitators(vote.sessionId)).emit(Events.voteTally, buildTally(input, 'facilitator'));
      const others = vote.status === 'open' ? room.screens(vote.sessionId) : room.session(vote.sessionId);
      io.to(others).except(room.facilitators(vote.sessionId)).emit(Events.voteTally, buildTally(input, 'room'));
    });
  }

  function scheduleOverview(sessionId: string) {
    overviewThrottle.run(sessionId, () => {
      if (!sessions.get(sessionId)) return;
      const rows = tablesOverview(services, sessionId, isConnected);
      io.to(room.facilitators(sessionId)).emit(Events.tablesOverview, rows);
      // A host sees its own table's row.
      for (const row of rows) io.to(room.hosts(sessionId, row.table)).emit(Events.tablesOverview, [row]);
    });
  }

  /** After a board changed: the spotlighted board and the tops on the projector follow it. */
  function scheduleBoardViews(sessionId: string, table: number) {
    const session = sessions.get(sessionId);
    if (!session) return;
    const spotlight = session.projector.spotlight;
    if (spotlight?.kind === 'table' && spotlight.table === table) {
      boardThrottle.run(`board:${sessionId}`, () => {
        // The spotlight may have moved meanwhile: send the board that is in it now.
        const now = sessions.get(sessionId)?.projector.spotlight;
        if (now?.kind === 'table') io.to(room.session(sessionId)).emit(Events.tableBoard, tableBoard(services, sessionId, now.table));
      });
    }
    // Tops only show while tables choose them and in feedback; one refresh covers every table.
    const step = findStep(session.agenda, session.run.stepId)?.step.type;
    if (step === 'prioriteren' || step === 'terugkoppeling') {
      boardThrottle.run(`tops:${sessionId}`, () => {
        if (sessions.get(sessionId)) void broadcastSession(sessionId);
      });
    }
  }

  /** Evaluation results are for the facilitator only; they follow responses a few times a second. */
  function scheduleEvaluationSummary(sessionId: string, stepId: string) {
    overviewThrottle.run(`evaluation:${sessionId}:${stepId}`, () => {
      if (sessions.get(sessionId)) io.to(room.facilitators(sessionId)).emit(Events.evaluationSummary, services.evaluations.summary(sessionId, stepId));
    });
  }

  /** The plenary board goes to every screen of the session: the projector shows it, tablets may. */
  function schedulePlenary(sessionId: string) {
    boardThrottle.run(`plenary:${sessionId}`, () => {
      const session = sessions.get(sessionId);
      if (session) io.to(room.session(sessionId)).emit(Events.plenaryBoard, services.plenary.view(session));
    });
  }

  const stopWatchingDocs = store.onChange((name) => {
    const target = parseDocName(name);
    if (!target) return;
    if (target.table === null) return schedulePlenary(target.sessionId);
    scheduleOverview(target.sessionId);
    const table = target.table;
    docChangeThrottle.run(`${target.sessionId}:${table}`, () => scheduleBoardViews(target.sessionId, table));
  });

  function closeVote(sessionId: string, voteId: string, reason: 'facilitator' | 'step changed'): Vote {
    const vote = votes.close(sessionId, voteId, eligibleVoters(services, sessionId, present, voteId));
    events.append(sessionId, 'vote.closed', { voteId, ballots: votes.count(vote).ballots, reason });
    scheduleTally(vote.id);
    return vote;
  }

  // --- handshake ----------------------------------------------------------------------------
  io.use((socket, next) => {
    const fail = (code: ErrorCode, message: string) => {
      const err = new Error(message) as Error & { data: unknown };
      err.data = { code, message };
      next(err);
    };
    const protocol = (socket.handshake.auth as { protocol?: unknown } | undefined)?.protocol;
    if (protocol !== PROTOCOL_VERSION) {
      return fail('protocol_mismatch', `This page speaks protocol ${String(protocol)}, the server ${PROTOCOL_VERSION}; reload the page`);
    }
    const auth = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!auth.success) return fail('bad_request', 'Invalid handshake');
    const a = auth.data;
    const session = sessions.get(a.sessionId);
    if (!session) return fail('session_not_found', 'There is no session with this id');
    const data: SocketData = { role: a.role, sessionId: a.sessionId, deviceId: null, table: null, secret: null };
    if (a.role === 'facilitator') {
      if (!sessions.isFacilitator(a.sessionId, a.key)) return fail('unauthorized', 'The facilitator key is not valid');
      data.secret = a.key;
    } else if (a.role === 'host') {
      if (a.table > session.tables || !tables.isHost(a.sessionId, a.table, a.key)) return fail('unauthorized', 'The table host key is not valid');
      data.table = a.table;
    } else if (a.role === 'device') {
      const device = devices.byToken(a.sessionId, a.token);
      if (!device) return fail('unauthorized', 'This device is not known in this session; join again');
      // A recovering socket is already back in its old rooms: it does not count against itself.
      const open = io.sockets.adapter.rooms.get(room.device(device.id));
      if ((open?.size ?? 0) - (open?.has(socket.id) ? 1 : 0) >= limits.connectionsPerDevice) {
        return fail('too_many_connections', `This device already has ${limits.connectionsPerDevice} connections open; close one`);
      }
      data.deviceId = device.id;
      data.secret = a.token;
    }
    socket.data = data;
    next();
  });

  // --- handlers -----------------------------------------------------------------------------
  /**
   * Registers a handler: checks the role, parses the payload, answers through the ack either way.
   * A handler that returns a promise is answered when it settles (a ballot: once committed).
   */
  function on<S extends z.ZodType, R>(
    socket: IoSocket,
    event: keyof ClientToServerEvents,
    roles: Role[],
    schema: S,
    fn: (payload: z.output<S>) => R | Promise<R>,
  ) {
    // Payloads are untrusted: the handler receives `unknown` and parses it, whatever the event map says.
    (socket as unknown as { on(e: string, l: (payload: unknown, ack: unknown) => void): void }).on(event, (payload, ack) => {
      const reply = typeof ack === 'function' ? (ack as (r: Ack<R>) => void) : () => {};
      try {
        if (!roles.includes(socket.data.role)) throw new AppError('forbidden', `Only ${roles.join(' or ')} may do this`);
        const controls = socket.data.role === 'facilitator' && !PASSIVE_EVENTS.has(event);
        if (controls && !consoles.mayAct(socket.data.sessionId, socket.id)) {
          throw new AppError('not_in_control', 'Another console has control of this session; take over to act from here');
        }
        const data = fn(parseOrThrow(schema, payload, `${event} payload`));
        // The other consoles hear of it, so none of them changes silently.
        if (controls) socket.to(room.facilitators(socket.data.sessionId)).emit(Events.consoleActed, { event });
        if (data instanceof Promise) data.then((d) => reply({ ok: true, data: d }), failed);
        else reply({ ok: true, data });
      } catch (err) {
        failed(err);
      }
      function failed(err: unknown) {
        if (!(err instanceof AppError)) log.error(`${event} failed`, err);
        reply({ ok: false, error: toErrorInfo(err) });
      }
    });
  }

  io.on('connection', (socket) => {
    const { sessionId, role } = socket.data;
    // A recovered socket comes back in the rooms it had; which it belongs in now is decided below.
    for (const r of socket.rooms) if (r !== socket.id) void socket.leave(r);
    void socket.join(room.session(sessionId));
    if (role === 'viewer' || role === 'host') void socket.join(room.screens(sessionId));

    // Every incoming event: a token bucket per connection, and an answer even for unknown events.
    const bucket = new TokenBucket({ capacity: limits.eventBurst, perSecond: limits.eventsPerSecond });
    socket.use(([event, ...args], next) => {
      const ack = args.at(-1);
      const refuse = (error: { code: ErrorCode; message: string }) => {
        if (typeof ack === 'function') (ack as (r: Ack<never>) => void)({ ok: false, error });
      };
      if (!bucket.take()) return refuse({ code: 'rate_limited', message: `More than ${limits.eventsPerSecond} events a second; slow down` });
      // A hand-made frame may carry no event name at all, or a number: never look those up.
      if (typeof event !== 'string' || socket.listeners(event as keyof ClientToServerEvents).length === 0) {
        return refuse({ code: 'not_found', message: 'No such event' });
      }
      // Exactly one payload, then the acknowledgement: otherwise a handler would take the wrong argument for either.
      if (args.length - (typeof ack === 'function' ? 1 : 0) !== 1) {
        return refuse({ code: 'bad_request', message: 'An event carries one payload and an acknowledgement callback' });
      }
      next();
    });
    // Every (re)connect gets the full state, so nothing depends on having seen earlier events.
    socket.emit(Events.sessionState, sessionView(services, sessionId, socket.handshake.headers.host));
    const current = votes.current(sessionId);
    if (current) socket.emit(Events.voteTally, buildTally(tallyInput(current), role === 'facilitator' ? 'facilitator' : 'room'));
    const spotlight = sessions.require(sessionId).projector.spotlight;
    if (spotlight?.kind === 'table') socket.emit(Events.tableBoard, tableBoard(services, sessionId, spotlight.table));
    socket.emit(Events.plenaryBoard, services.plenary.view(sessions.require(sessionId)));

    if (role === 'facilitator') {
      void socket.join(room.facilitators(sessionId));
      io.to(room.facilitators(sessionId)).emit(Events.consoleControl, consoles.connected(sessionId, socket.id));
      socket.on('disconnect', () => io.to(room.facilitators(sessionId)).emit(Events.consoleControl, consoles.disconnected(sessionId, socket.id)));
      socket.emit(Events.tablesOverview, tablesOverview(services, sessionId, isConnected));
      for (const summary of services.evaluations.summaries(sessionId)) socket.emit(Events.evaluationSummary, summary);
    }
    if (role === 'host') {
      void socket.join(room.hosts(sessionId, socket.data.table!));
      scheduleOverview(sessionId);
    }
    if (role === 'device') {
      const deviceId = socket.data.deviceId!;
      const device = devices.byId(deviceId)!;
      void socket.join(room.device(deviceId));
      if (device.table !== null) void socket.join(room.table(sessionId, device.table));
      socket.emit(Events.deviceState, deviceState(services, deviceId, socket.data.secret!));
      scheduleOverview(sessionId);
      socket.on('disconnect', () => {
        if (!isConnected(deviceId)) presence.wentAway(deviceId);
        scheduleOverview(sessionId);
      });
    }

    const everyone: Role[] = ['facilitator', 'host', 'device', 'viewer'];
    on(socket, Events.clockSync, everyone, EmptyPayload, () => ({ serverNow: Date.now() }));

    // --- tablets ----------------------------------------------------------------------------
    on(socket, Events.deviceJoinTable, ['device'], DeviceJoinTablePayload, ({ table }) => {
      seat(socket.data.deviceId!, table);
      return deviceState(services, socket.data.deviceId!, socket.data.secret!);
    });

    on(socket, Events.tableSignal, ['device'], TableSignalPayload, ({ signal, on: value }) => {
      const device = devices.byId(socket.data.deviceId!)!;
      if (device.table === null) throw new AppError('no_table', 'Pick your table first');
      tables.setSignal(sessionId, device.table, signal, value);
      void pushDeviceStates(sessionId, device.table);
      scheduleOverview(sessionId);
      return deviceState(services, device.id, socket.data.secret!);
    });

    on(socket, Events.ballotSubmit, ['device'], BallotSubmitPayload, (p) => {
      const device = devices.byId(socket.data.deviceId!)!;
      const seats = device.table === null ? 0 : (tables.seats(sessionId).get(device.table) ?? 0);
      const { changed, seat } = votes.submit(device, socket.data.secret!, p, seats);
      // Acknowledged, counted on screens and told to the table once it is on disk.
      return votes.stored().then(() => {
        if (changed) {
          scheduleTally(p.voteId);
          scheduleOverview(sessionId);
          // The table's tablets learn which seats are done, so any of them offers the next one.
          if (seat !== null && device.table !== null) void pushDeviceStates(sessionId, device.table);
        }
        return { voteId: p.voteId, ballotId: p.ballotId, seat, changed };
      });
    });

    on(socket, Events.evaluationSubmit, ['device'], EvaluationSubmitPayload, (p) => {
      const session = sessions.require(sessionId);
      const at = findStep(session.agenda, session.run.stepId);
      if (session.run.status !== 'running' || at?.step.type !== 'evaluatie' || at.step.id !== p.stepId) {
        throw new AppError('wrong_step', 'The evaluation is only open during its step');
      }
      const device = devices.byId(socket.data.deviceId!)!;
      const { changed } = services.evaluations.submit(device, socket.data.secret!, p);
      return services.evaluations.stored().then(() => {
        if (changed) scheduleEvaluationSummary(sessionId, p.stepId);
        return { stepId: p.stepId, changed };
      });
    });

    // --- facilitator and table hosts --------------------------------------------------------------
    on(socket, Events.tableClearSignal, ['facilitator', 'host'], TableClearSignalPayload, ({ table, signal }) => {
      if (role === 'host' && socket.data.table !== table) throw new AppError('forbidden', 'A table host may only answer its own table');
      if (table > sessions.require(sessionId).tables) throw new AppError('bad_request', 'There is no such table');
      tables.setSignal(sessionId, table, signal, false);
      events.append(sessionId, 'signal.cleared', { table, signal, by: role });
      void pushDeviceStates(sessionId, table);
      scheduleOverview(sessionId);
      return null;
    });

    // --- facilitator --------------------------------------------------------------------------
    const control = (action: RunAction) => {
      const { run, closedVote } = services.run.apply(sessionId, action);
      if (closedVote) closeVote(sessionId, closedVote, 'step changed');
      void broadcastSession(sessionId);
      // Entering a step (even the same one again) starts "ready" over and may start a rotation round.
      if (action.type !== 'pause' && action.type !== 'resume' && action.type !== 'extend') {
        void pushDeviceStates(sessionId);
        scheduleOverview(sessionId);
      }
      return runView(run);
    };
    on(socket, Events.sessionStart, ['facilitator'], EmptyPayload, () => control({ type: 'start' }));
    /** A move sent from a step the session has left is refused, so a double click moves once. */
    const fromCurrent = (from: string | null | undefined) => {
      if (from === undefined) return;
      const now = sessions.require(sessionId).run.stepId;
      if (from !== now) throw new AppError('stale_step', 'The session has moved on since this was sent; nothing changed');
    };
    on(socket, Events.stepNext, ['facilitator'], StepMovePayload, ({ from }) => {
      fromCurrent(from);
      return control({ type: 'next' });
    });
    on(socket, Events.stepBack, ['facilitator'], StepMovePayload, ({ from }) => {
      fromCurrent(from);
      return control({ type: 'back' });
    });
    on(socket, Events.stepUndo, ['facilitator'], StepMovePayload, ({ from }) => {
      fromCurrent(from);
      return control({ type: 'undo' });
    });
    on(socket, Events.stepGoto, ['facilitator'], StepGotoPayload, ({ stepId, from }) => {
      fromCurrent(from);
      return control({ type: 'goto', stepId });
    });
    on(socket, Events.timerPause, ['facilitator'], EmptyPayload, () => control({ type: 'pause' }));
    on(socket, Events.timerResume, ['facilitator'], EmptyPayload, () => control({ type: 'resume' }));
    on(socket, Events.timerExtend, ['facilitator'], TimerExtendPayload, ({ seconds }) => control({ type: 'extend', seconds }));

    on(socket, Events.agendaUpdate, ['facilitator'], AgendaUpdatePayload, ({ agenda }) => {
      const saved = services.run.editAgenda(sessionId, agenda);
      void broadcastSession(sessionId);
      void pushDeviceStates(sessionId); // the current round's rotation may have changed
      return saved;
    });

    on(socket, Events.projectorSet, ['facilitator'], ProjectorSetPayload, (p) => {
      const session = sessions.require(sessionId);
      if (p.spotlight?.kind === 'table' && p.spotlight.table > session.tables) throw new AppError('bad_request', 'There is no such table');
      const projector = applyCommand(session.projector, p, Date.now());
      sessions.setProjector(sessionId, projector);
      // Page turns are not worth a line in the session's log; what the wall shows is.
      if (p.page === undefined && p.autoPage === undefined) events.append(sessionId, 'projector.changed', projector);
      void broadcastSession(sessionId);
      if (projector.spotlight?.kind === 'table') io.to(room.session(sessionId)).emit(Events.tableBoard, tableBoard(services, sessionId, projector.spotlight.table));
      return projector;
    });

    on(socket, Events.deviceMove, ['facilitator'], DeviceMovePayload, ({ label, table }) => {
      const device = devices.byLabel(sessionId, label);
      if (!device) throw new AppError('not_found', 'No device in this session shows this code');
      const from = device.table;
      seat(device.id, table);
      events.append(sessionId, 'device.moved', { from, to: table });
      return null;
    });

    on(socket, Events.consoleTakeover, ['facilitator'], EmptyPayload, () => {
      const state = consoles.takeOver(sessionId, socket.id);
      io.to(room.facilitators(sessionId)).emit(Events.consoleControl, state);
      return state;
    });

    on(socket, Events.hostLinks, ['facilitator'], EmptyPayload, () => {
      const session = sessions.require(sessionId);
      // Stores the hashes for sessions made before table hosts existed; the same keys otherwise.
      tables.setHostKeys(sessionId, session.tables, socket.data.secret!);
      // Opened on the hosts' tablets: the address the room can reach.
      const origin = services.urls.reachable(socket.handshake.headers.host);
      return Array.from({ length: session.tables }, (_, i) => ({
        table: i + 1,
        url: `${origin}/h/${sessionId}/${i + 1}#key=${hostKey(socket.data.secret!, sessionId, i + 1)}`,
      }));
    });

    on(socket, Events.tableSeats, ['facilitator'], TableSeatsPayload, ({ table, seats }) => {
      if (table > sessions.require(sessionId).tables) throw new AppError('bad_request', 'There is no such table');
      // Who may vote is fixed while a vote runs, or ballots could be cast twice over.
      if (votes.openVote(sessionId)) throw new AppError('vote_already_open', 'Set the seats before the vote opens, or after it closes');
      tables.setSeats(sessionId, table, seats);
      events.append(sessionId, 'table.seats', { table, seats });
      void pushDeviceStates(sessionId, table);
      scheduleOverview(sessionId);
      const current = votes.openVote(sessionId);
      if (current) scheduleTally(current.id);
      return null;
    });

    on(socket, Events.plenaryHarvest, ['facilitator'], PlenaryHarvestPayload, (p) => {
      const session = sessions.require(sessionId);
      const result = p.from === 'table' ? services.plenary.harvestPicked(session, p.table, p.pointIds) : services.plenary.harvestTables(session, p.from);
      events.append(sessionId, 'plenary.harvested', { from: p.from, ...(p.from === 'table' ? { table: p.table } : {}), added: result.added });
      return result;
    });

    on(socket, Events.voteOpen, ['facilitator'], VoteOpenPayload, (p) => {
      const session = sessions.require(sessionId);
      const at = findStep(session.agenda, session.run.stepId);
      if (at?.step.type !== 'stemmen') throw new AppError('wrong_step', 'A vote can only be opened in a voting step');
      // The step's settings with the facilitator's changes must make valid settings as a whole.
      const merged = parseOrThrow(VoteSettings, { method: 'dots', ...mergeVoteSettings(at.step.vote, p) }, 'vote settings');
      const resolved = resolveVote(merged, session.kind);
      if (resolved.source === 'recommendations' && resolved.recommendations.length === 0) {
        throw new AppError('bad_request', 'A vote on recommendations needs the list of recommendations');
      }
      const items = voteItems(services, session, resolved);
      const vote = votes.open(sessionId, { ...resolved, stepId: at.step.id }, items, eligibleVoters(services, sessionId, present));
      sessions.setProjector(sessionId, onVoteOpened(session.projector, Date.now()));
      events.append(sessionId, 'vote.opened', {
        voteId: vote.id,
        method: vote.method,
        source: vote.source,
        rules: vote.rules,
        blind: vote.blind,
        items: items.length,
        stepId: at.step.id,
      });
      void broadcastSession(sessionId);
      scheduleTally(vote.id);
      scheduleOverview(sessionId);
      return toVoteView(vote);
    });

    on(socket, Events.voteClose, ['facilitator'], VoteClosePayload, ({ voteId }) => {
      const vote = closeVote(sessionId, voteId, 'facilitator');
      void broadcastSession(sessionId);
      return toVoteView(vote);
    });
  });

  /**
   * Seats a device at a table (its own choice, or the facilitator's). Its sockets follow it to
   * the new table's room; its Yjs connection to the old table is closed.
   */
  function seat(deviceId: string, table: number) {
    const before = devices.byId(deviceId)!;
    const session = sessions.require(before.sessionId);
    const round = findStep(session.agenda, session.run.stepId)?.round.id ?? null;
    devices.setTable(before, table, session.tables, round);
    if (before.table !== null && before.table !== table) {
      io.in(room.device(deviceId)).socketsLeave(room.table(session.id, before.table));
      yjs.disconnectDevice(deviceId);
    }
    io.in(room.device(deviceId)).socketsJoin(room.table(session.id, table));
    void pushDeviceState(deviceId);
    scheduleOverview(session.id);
    const current = votes.current(session.id);
    if (current?.status === 'open') scheduleTally(current.id);
  }

  return {
    io,
    async close() {
      stopWatchingDocs();
      tallyThrottle.stop();
      overviewThrottle.stop();
      boardThrottle.stop();
      docChangeThrottle.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
