/**
 * The push side: live state sent to the rooms of a session. Every screen gets state rather than
 * deltas, so nothing depends on having seen an earlier message; what is expensive to build goes
 * out through a throttle, at most a few times a second, with the latest state.
 */
import { findStep } from '../../shared/agenda.js';
import { Events, type SessionView } from '../../shared/protocol.js';
import type { Presence } from '../presence.js';
import type { Services } from '../services.js';
import { buildTally } from '../domain/voteResults.js';
import { eligibleVoters } from '../voteSetup.js';
import type { Vote } from '../votes.js';
import { deviceState, deviceStates, sessionView, tableBoard, tablesOverview, type ViewAudience } from '../views.js';
import { parseDocName } from '../yjs/docNames.js';
import type { IoServer } from './context.js';
import { room } from './rooms.js';
import { throttle } from './throttle.js';

/** Live tallies go out at most this often per vote, however fast ballots arrive. */
const TALLY_INTERVAL_MS = 100;
const OVERVIEW_INTERVAL_MS = 250;
/**
 * The overview lists every device: in a room of thousands of phones it changes all the time and
 * is large, so there it follows once a second, which a facilitator reading it cannot tell apart.
 */
const LARGE_OVERVIEW_INTERVAL_MS = 1000;
const LARGE_ROOM_DEVICES = 500;
/** Board-driven updates (tops, the spotlighted board) follow typing at this pace. */
const BOARD_INTERVAL_MS = 500;
/** Board changes arrive with every keystroke; what they imply is looked up a few times a second at most. */
const DOC_CHANGE_INTERVAL_MS = 50;

export class Push {
  private readonly tallies = throttle(TALLY_INTERVAL_MS);
  private readonly overviews = throttle(OVERVIEW_INTERVAL_MS);
  private readonly boards = throttle(BOARD_INTERVAL_MS);
  private readonly docChanges = throttle(DOC_CHANGE_INTERVAL_MS);
  private readonly stopWatchingDocs: () => void;

  constructor(
    private readonly io: IoServer,
    private readonly services: Services,
    private readonly presence: Presence,
  ) {
    this.stopWatchingDocs = services.store.onChange((name) => this.docChanged(name));
  }

  /** A device has a connection open now. */
  isConnected = (deviceId: string): boolean => (this.io.sockets.adapter.rooms.get(room.device(deviceId))?.size ?? 0) > 0;

  /**
   * Builds the session view once per audience and sends it to everyone. Only the join link
   * depends on how a screen reached us (its Host header), so the connections are grouped by
   * audience and host and each group gets one broadcast: socket.io encodes a broadcast once,
   * where an emit per socket encodes it for every one of 5,000 phones.
   */
  async broadcastSession(sessionId: string): Promise<void> {
    const views = new Map<ViewAudience, Omit<SessionView, 'joinUrl'>>();
    const viewFor = (audience: ViewAudience) => {
      let view = views.get(audience);
      if (!view) views.set(audience, (view = sessionView(this.services, sessionId, undefined, audience)));
      return view;
    };
    const groups = new Map<string, { audience: ViewAudience; host: string | undefined; ids: string[] }>();
    for (const socket of await this.io.in(room.session(sessionId)).fetchSockets()) {
      const audience: ViewAudience = socket.data.role === 'device' ? 'device' : 'screen';
      const host = socket.handshake.headers.host;
      const key = `${audience} ${host}`;
      const group = groups.get(key);
      if (group) group.ids.push(socket.id);
      else groups.set(key, { audience, host, ids: [socket.id] });
    }
    if (!this.services.sessions.get(sessionId)) return;
    for (const { audience, host, ids } of groups.values()) {
      const view = viewFor(audience);
      this.io.to(ids).emit(Events.sessionState, { ...view, joinUrl: this.services.urls.join(view.joinCode, host) });
    }
  }

  /** Sends a device's connections its state; each reads it with its own token (see views.ts). */
  async deviceState(deviceId: string): Promise<void> {
    for (const socket of await this.io.in(room.device(deviceId)).fetchSockets()) {
      if (socket.data.role === 'device') socket.emit(Events.deviceState, deviceState(this.services, deviceId, socket.data.secret));
    }
  }

  /** Sends every seated device (or those of one table) its own state again. */
  async deviceStates(sessionId: string, table?: number): Promise<void> {
    const target = table === undefined ? room.session(sessionId) : room.table(sessionId, table);
    const sockets = await this.io.in(target).fetchSockets();
    if (!this.services.sessions.get(sessionId)) return;
    const stateOf = deviceStates(this.services, sessionId);
    // One read of the session's devices for a room-wide push; a table's few, one by one.
    const devices = table === undefined ? this.services.devices.inSession(sessionId) : undefined;
    for (const socket of sockets) {
      const data = socket.data;
      if (data.role !== 'device') continue;
      const device = devices ? devices.get(data.deviceId) : this.services.devices.byId(data.deviceId);
      if (device) socket.emit(Events.deviceState, stateOf(device, data.secret));
    }
  }

  /** What a vote's tallies are built from: counted, and its voters read, once for every audience. */
  tallyInput(vote: Vote) {
    const { votes } = this.services;
    const { count, ballots } = votes.count(vote);
    const eligible =
      vote.eligibleAtClose ?? eligibleVoters(this.services, vote.sessionId, this.presence.presentByTable(vote.sessionId, this.services.devices), vote.id);
    return { vote, count, ballots, eligible, votersByTable: votes.votersByTable(vote.id), breakdown: votes.breakdown(vote) };
  }

  /**
   * The facilitator sees a blind vote's results while it runs; every other screen only its
   * turnout. Tablets show no live results, so while a vote runs its tallies go to the screens
   * only: with 5,000 phones, ten tallies a second to each would be most of the server's work.
   * The closing tally goes to everyone.
   */
  tally(voteId: string): void {
    this.tallies.run(voteId, () => {
      const vote = this.services.votes.get(voteId);
      if (!vote) return;
      const input = this.tallyInput(vote);
      this.io.to(room.facilitators(vote.sessionId)).emit(Events.voteTally, buildTally(input, 'facilitator'));
      const others = vote.status === 'open' ? room.screens(vote.sessionId) : room.session(vote.sessionId);
      this.io.to(others).except(room.facilitators(vote.sessionId)).emit(Events.voteTally, buildTally(input, 'room'));
    });
  }

  overview(sessionId: string): void {
    const large = this.services.devices.inSession(sessionId).size > LARGE_ROOM_DEVICES;
    this.overviews.run(sessionId, () => this.sendOverview(sessionId), large ? LARGE_OVERVIEW_INTERVAL_MS : OVERVIEW_INTERVAL_MS);
  }

  /** Evaluation results are for the facilitator only; they follow responses a few times a second. */
  evaluationSummary(sessionId: string, stepId: string): void {
    this.overviews.run(`evaluation:${sessionId}:${stepId}`, () => {
      if (this.services.sessions.get(sessionId)) {
        this.io.to(room.facilitators(sessionId)).emit(Events.evaluationSummary, this.services.evaluations.summary(sessionId, stepId));
      }
    });
  }

  /** The board in the projector's spotlight, to every screen of the session. */
  spotlightBoard(sessionId: string, table: number): void {
    this.io.to(room.session(sessionId)).emit(Events.tableBoard, tableBoard(this.services, sessionId, table));
  }

  stop(): void {
    this.stopWatchingDocs();
    for (const t of [this.tallies, this.overviews, this.boards, this.docChanges]) t.stop();
  }

  private sendOverview(sessionId: string): void {
    if (!this.services.sessions.get(sessionId)) return;
    const rows = tablesOverview(this.services, sessionId, this.isConnected);
    this.io.to(room.facilitators(sessionId)).emit(Events.tablesOverview, rows);
    // A host sees its own table's row. Only rooms with a host in them: socket.io's connection
    // state recovery keeps the packets it sends for its window, empty rooms' too.
    const rooms = this.io.sockets.adapter.rooms;
    for (const row of rows) {
      const hosts = room.hosts(sessionId, row.table);
      if ((rooms.get(hosts)?.size ?? 0) > 0) this.io.to(hosts).emit(Events.tablesOverview, [row]);
    }
  }

  private docChanged(name: string): void {
    const target = parseDocName(name);
    if (!target) return;
    if (target.table === null) return this.plenary(target.sessionId);
    this.overview(target.sessionId);
    const table = target.table;
    this.docChanges.run(`${target.sessionId}:${table}`, () => this.boardViews(target.sessionId, table));
  }

  /** After a board changed: the spotlighted board and the tops on the projector follow it. */
  private boardViews(sessionId: string, table: number): void {
    const { sessions } = this.services;
    const session = sessions.get(sessionId);
    if (!session) return;
    const spotlight = session.projector.spotlight;
    if (spotlight?.kind === 'table' && spotlight.table === table) {
      this.boards.run(`board:${sessionId}`, () => {
        // The spotlight may have moved meanwhile: send the board that is in it now.
        const now = sessions.get(sessionId)?.projector.spotlight;
        if (now?.kind === 'table') this.spotlightBoard(sessionId, now.table);
      });
    }
    // Tops only show while tables choose them and in feedback; one refresh covers every table.
    const step = findStep(session.agenda, session.run.stepId)?.step.type;
    if (step === 'prioriteren' || step === 'terugkoppeling') {
      this.boards.run(`tops:${sessionId}`, () => {
        if (sessions.get(sessionId)) void this.broadcastSession(sessionId);
      });
    }
  }

  /** The plenary board goes to every screen of the session: the projector shows it, tablets may. */
  private plenary(sessionId: string): void {
    this.boards.run(`plenary:${sessionId}`, () => {
      const session = this.services.sessions.get(sessionId);
      if (session) this.io.to(room.session(sessionId)).emit(Events.plenaryBoard, this.services.plenary.view(session));
    });
  }
}
