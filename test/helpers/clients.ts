/**
 * Real clients of the test server: fetch for REST, socket.io-client for session control and
 * y-websocket providers for the table boards. Everything a helper opens is remembered and shut
 * by `closeClients()`, which each test file runs after every test.
 */
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { expect, vi } from 'vitest';
import { WebSocket as WS } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { findStep, type StepType } from '../../shared/agenda.js';
import { addPoint, readPoints, type PointData } from '../../shared/board.js';
import {
  Events,
  PROTOCOL_VERSION,
  SESSION_QUERY,
  YJS_PATH,
  YJS_SUBPROTOCOL,
  type Ack,
  type BallotReceipt,
  type ClientToServerEvents,
  type CreateSessionBody,
  type CreateSessionResponse,
  type DeviceState,
  type JoinResponse,
  type ResultRow,
  type RunView,
  type ServerToClientEvents,
  type SessionView,
  type Tally,
  type TableBoard as TableBoardView,
  type TableOverview,
  type VoteView,
} from '../../shared/protocol.js';
import type { VoteCount } from '../../shared/tally.js';
import { hostKey } from '../../server/tables.js';
import type { TestServer } from './server.js';

/**
 * expect.poll checks every 10 ms (not 50): these tests wait on the network hundreds of times,
 * and the default interval alone would add seconds to the suite. Applies to each test file
 * that uses these helpers.
 */
vi.setConfig({ expect: { poll: { interval: 10, timeout: 5000 } } });

/**
 * Options for vi.waitFor: its default gives up after 1 s, which a 2-core CI machine under load
 * can exceed. A longer limit only delays the report of a real failure.
 */
export const WAIT = { timeout: 5000, interval: 10 } as const;

/** Any running server the helpers can reach; only its URL is needed. */
export type Target = Pick<TestServer, 'url'>;

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const open = new Set<() => void>();

/** Closes every socket, provider and raw websocket that the helpers opened. */
export function closeClients(): Promise<void> {
  const fns = [...open];
  open.clear();
  for (const fn of fns) {
    try {
      fn();
    } catch {
      // already closed
    }
  }
  return Promise.resolve();
}

function track(fn: () => void): () => void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    open.delete(once);
    fn();
  };
  open.add(once);
  return once;
}

// ---------------------------------------------------------------------------------------------
// Recording what the server sends

/** One thing the server sent to a helper-made client: an API response, a pushed event or an acknowledgement. */
export interface WireMessage {
  via: 'api' | 'event' | 'ack';
  /** "POST /join", the event's name, or the name of the event acknowledged. */
  name: string;
  /** The role of the socket that received it (events and acknowledgements). */
  role?: Auth['role'];
  /** The body as received: the response text, or the event's arguments as JSON. */
  text: string;
}

let wireSink: ((m: WireMessage) => void) | null = null;

/**
 * Hands everything the server sends to helper-made clients from now on to `sink` (null stops):
 * every API response, every event on every socket and every acknowledgement. For scans such as
 * the ballot-secrecy test, which must see all of it.
 */
export function recordWire(sink: ((m: WireMessage) => void) | null): void {
  wireSink = sink;
}

// ---------------------------------------------------------------------------------------------
// REST

export async function api<T = unknown>(
  server: Target,
  path: string,
  init: { method?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T; headers: Headers; text: string }> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.rawBody !== undefined) {
    body = init.rawBody;
    headers['content-type'] ??= 'application/json';
  } else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const method = init.method ?? (body === undefined ? 'GET' : 'POST');
  const res = await fetch(`${server.url}/api${path}`, { method, headers, body });
  const text = await res.text();
  wireSink?.({ via: 'api', name: `${method} ${path}`, text });
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
  return { status: res.status, body: parsed as T, headers: res.headers, text };
}

/**
 * The agenda test sessions get unless they bring their own: one round in which the tables
 * write points, then a dot vote. A session starts in the lobby; see `startSession`.
 */
export const TEST_AGENDA = {
  rounds: [
    {
      steps: [
        { type: 'inbreng', durationSec: 600 },
        { type: 'stemmen', durationSec: 300, vote: { method: 'dots', budget: 3, maxPerItem: 3 } },
      ],
    },
  ],
} satisfies NonNullable<CreateSessionBody['agenda']>;

/**
 * POST /api/sessions. Without an `agenda` key in the body the session gets TEST_AGENDA; pass
 * `agenda: undefined` to get the template of the session's kind.
 */
export async function createSession(server: Target, body: CreateSessionBody | Record<string, never> = {}): Promise<CreateSessionResponse> {
  const withAgenda = 'agenda' in body ? body : { ...body, agenda: TEST_AGENDA };
  const res = await api<CreateSessionResponse>(server, '/sessions', { body: withAgenda });
  if (res.status !== 201) throw new Error(`creating a session failed: ${res.status} ${res.text}`);
  return res.body;
}

// ---------------------------------------------------------------------------------------------
// socket.io

export type Auth =
  | { role: 'facilitator'; sessionId: string; key: string }
  | { role: 'device'; sessionId: string; token: string }
  | { role: 'host'; sessionId: string; table: number; key: string }
  | { role: 'viewer'; sessionId: string };

export interface Client {
  socket: AppSocket;
  /** Everything received so far, oldest first. */
  sessionStates: SessionView[];
  tallies: Tally[];
  overviews: TableOverview[][];
  deviceStates: DeviceState[];
  /** `table:board` pushes: the spotlighted table's visible points. */
  boardViews: TableBoardView[];
  lastTally(): Tally | undefined;
  lastOverview(): TableOverview[] | undefined;
  lastSessionState(): SessionView | undefined;
  close(): void;
}

/** The role each helper-made socket connected with, for recorded acknowledgements. */
const roles = new WeakMap<AppSocket, Auth['role']>();

function rawSocket(url: string, auth: Record<string, unknown>): AppSocket {
  return io(url, {
    auth,
    // As the app's client does, for a load balancer (test/hosted.routing.test.ts).
    ...(typeof auth.sessionId === 'string' && { query: { [SESSION_QUERY]: auth.sessionId } }),
    transports: ['websocket'],
    autoConnect: false,
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
  });
}

/** Connects and resolves once the server has sent its first full state for this role. */
export async function connectClient(server: Target, auth: Auth): Promise<Client> {
  const socket = rawSocket(server.url, { protocol: PROTOCOL_VERSION, ...auth });
  roles.set(socket, auth.role);
  const client: Client = {
    socket,
    sessionStates: [],
    tallies: [],
    overviews: [],
    deviceStates: [],
    boardViews: [],
    lastTally: () => client.tallies.at(-1),
    lastOverview: () => client.overviews.at(-1),
    lastSessionState: () => client.sessionStates.at(-1),
    close: track(() => socket.disconnect()),
  };
  socket.onAny((event: string, ...args: unknown[]) => wireSink?.({ via: 'event', name: event, role: auth.role, text: JSON.stringify(args) }));
  socket.on(Events.sessionState, (s) => client.sessionStates.push(s));
  socket.on(Events.voteTally, (t) => client.tallies.push(t));
  socket.on(Events.tablesOverview, (o) => client.overviews.push(o));
  socket.on(Events.deviceState, (d) => client.deviceStates.push(d));
  socket.on(Events.tableBoard, (b) => client.boardViews.push(b));
  const failed = new Promise<never>((_, reject) => {
    socket.once('connect_error', (err) => reject(new Error(`connect failed: ${err.message}`)));
  });
  socket.connect();
  await Promise.race([
    failed,
    vi.waitFor(
      () => {
        if (client.sessionStates.length === 0) throw new Error('no session:state yet');
        if (auth.role === 'device' && client.deviceStates.length === 0) throw new Error('no device:state yet');
        if (auth.role === 'facilitator' && client.overviews.length === 0) throw new Error('no tables:overview yet');
      },
      { timeout: 5000, interval: 5 },
    ),
  ]);
  socket.off('connect_error');
  return client;
}

/** Tries a handshake that should be refused; resolves with the connect_error. */
export function connectError(server: Target, auth: Record<string, unknown>): Promise<Error & { data?: { code?: string; message?: string } }> {
  const socket = rawSocket(server.url, auth);
  const close = track(() => socket.disconnect());
  return new Promise((resolve, reject) => {
    socket.once('connect_error', (err) => {
      close();
      resolve(err);
    });
    socket.once('connect', () => {
      close();
      reject(new Error('the handshake was accepted'));
    });
    socket.connect();
  });
}

export const facilitator = (server: Target, s: { id: string; facilitatorKey: string }) =>
  connectClient(server, { role: 'facilitator', sessionId: s.id, key: s.facilitatorKey });

export const viewer = (server: Target, sessionId: string) => connectClient(server, { role: 'viewer', sessionId });

/** The host key of a table, as the facilitator's host links carry it. */
export const hostKeyOf = (s: { id: string; facilitatorKey: string }, table: number): string => hostKey(s.facilitatorKey, s.id, table);

/** Connects as the host (gespreksleider) of a table. */
export const tableHost = (server: Target, s: { id: string; facilitatorKey: string }, table: number) =>
  connectClient(server, { role: 'host', sessionId: s.id, table, key: hostKeyOf(s, table) });

/** Sends an event and resolves with the server's acknowledgement. The payload is not type-checked on purpose. */
export async function emitAck<T = unknown>(socket: AppSocket, event: string, payload: unknown): Promise<Ack<T>> {
  const loose = socket as unknown as { timeout(ms: number): { emitWithAck(ev: string, ...args: unknown[]): Promise<unknown> } };
  const res = (await loose.timeout(5000).emitWithAck(event, payload)) as Ack<T>;
  wireSink?.({ via: 'ack', name: event, role: roles.get(socket), text: JSON.stringify(res) });
  return res;
}

/** Like emitAck, but throws unless the server answered ok, and returns the data. */
export async function emitOk<T = unknown>(socket: AppSocket, event: string, payload: unknown): Promise<T> {
  const res = await emitAck<T>(socket, event, payload);
  if (!res.ok) throw new Error(`${event} failed: ${res.error.code} ${res.error.message}`);
  return res.data;
}

// ---------------------------------------------------------------------------------------------
// Running the agenda

/** Every step of the session's agenda, in order, with its round. */
export function stepsOf(state: SessionView): { id: string; type: StepType; roundId: string; roundIndex: number }[] {
  return state.agenda.rounds.flatMap((round, roundIndex) => round.steps.map((s) => ({ id: s.id, type: s.type, roundId: round.id, roundIndex })));
}

/** Id of the `nth` step (from 0) of a type in the facilitator's view of the agenda. */
export function stepIdOf(fac: Client, type: StepType, nth = 0): string {
  const state = fac.lastSessionState();
  if (!state) throw new Error('the facilitator has no session state');
  const step = stepsOf(state).filter((s) => s.type === type)[nth];
  if (!step) throw new Error(`the agenda has no ${type} step #${nth}`);
  return step.id;
}

/** Waits until this client has been sent a session:state that passes `check`. */
export async function waitForState(client: Client, check: (s: SessionView) => boolean, what = 'session state'): Promise<SessionView> {
  await vi.waitFor(
    () => {
      const state = client.lastSessionState();
      if (!state || !check(state)) throw new Error(`no ${what} yet`);
    },
    { timeout: 5000, interval: 5 },
  );
  return client.lastSessionState()!;
}

/** session:start by the facilitator; resolves once its screen shows the first step running. */
export async function startSession(fac: Client): Promise<RunView> {
  const run = await emitOk<RunView>(fac.socket, Events.sessionStart, {});
  await waitForState(fac, (s) => s.run.status === run.status && s.run.stepId === run.stepId, 'running session');
  return run;
}

/** step:goto the `nth` step of a type; resolves once the facilitator's screen shows it. */
export async function gotoStep(fac: Client, type: StepType, nth = 0): Promise<RunView> {
  const stepId = stepIdOf(fac, type, nth);
  const run = await emitOk<RunView>(fac.socket, Events.stepGoto, { stepId });
  await waitForState(fac, (s) => s.run.stepId === stepId && s.run.timer?.endsAt === run.timer?.endsAt, `step ${type}`);
  return run;
}

/** A new session with a facilitator connected and the agenda started (TEST_AGENDA: in its inbreng step). */
export async function startedSession(server: Target, body: CreateSessionBody | Record<string, never> = {}) {
  const s = await createSession(server, body);
  const fac = await facilitator(server, s);
  await startSession(fac);
  return { s, fac };
}

export interface DeviceClient extends Client {
  sessionId: string;
  token: string;
  /** The server's id for this device (read from the database, never sent to the device). */
  deviceId: string;
}

/** POST /api/join, connect as the device and, if a table is given, pick it. */
export async function joinDevice(server: TestServer, session: { joinCode: string }, table?: number): Promise<DeviceClient> {
  const res = await api<JoinResponse>(server, '/join', { body: { code: session.joinCode } });
  if (res.status !== 201) throw new Error(`join failed: ${res.status} ${res.text}`);
  const { sessionId, deviceToken } = res.body;
  const client = await connectClient(server, { role: 'device', sessionId, token: deviceToken });
  const device = server.services.devices.byToken(sessionId, deviceToken);
  if (!device) throw new Error('the joined device is not in the database');
  const dc: DeviceClient = Object.assign(client, { sessionId, token: deviceToken, deviceId: device.id });
  if (table !== undefined) await emitOk<DeviceState>(client.socket, Events.deviceJoinTable, { table });
  return dc;
}

/** A tablet that joined by code and sat down at a table. */
export interface Tablet {
  client: Client;
  token: string;
  table: number;
}

/** Joins by code over REST, connects as the device and sits down at `table`, as a tablet does. */
export async function joinTablet(server: Target, s: { joinCode: string }, table: number): Promise<Tablet> {
  const res = await api<JoinResponse>(server, '/join', { body: { code: s.joinCode } });
  if (res.status !== 201) throw new Error(`join failed: ${res.status} ${res.text}`);
  const client = await connectClient(server, { role: 'device', sessionId: res.body.sessionId, token: res.body.deviceToken });
  await emitOk(client.socket, Events.deviceJoinTable, { table });
  return { client, token: res.body.deviceToken, table };
}

/** The round and step the facilitator's screen shows now, for points made in it. */
export function madeNow(fac: Client): { round: string; step: string } {
  const state = fac.lastSessionState()!;
  const round = state.agenda.rounds.find((r) => r.steps.some((st) => st.id === state.run.stepId))!;
  return { round: round.id, step: state.run.stepId! };
}

/** Waits until every client is connected again and was sent a fresh state (`seen`: its states before). */
export async function allBack(clients: Client[], seen: number[], timeout = 30_000): Promise<void> {
  await vi.waitFor(
    () => {
      clients.forEach((c, i) => {
        if (!c.socket.connected) throw new Error(`client ${i} is not connected`);
        if (c.sessionStates.length <= seen[i]!) throw new Error(`client ${i} got no new state`);
      });
    },
    { timeout, interval: 20 },
  );
}

/**
 * A two-table session in its vote step, for the crash and failover tests: `tablets` tablets
 * seated alternately at tables 1 and 2, a board per table written by its first tablet and one the
 * facilitator watches, two points, the vote open, a viewer, and a ballot ready per tablet.
 */
export async function votingRoom(server: Target, tablets: number) {
  const s = await createSession(server, { tables: 2 });
  const fac = await facilitator(server, s);
  await startSession(fac);
  const seated = await Promise.all(Array.from({ length: tablets }, (_, i) => joinTablet(server, s, (i % 2) + 1)));
  const boards = await Promise.all([1, 2].map((table) => tableProvider(server, s.id, table, { device: seated[table - 1]!.token })));
  const watch = await Promise.all([1, 2].map((table) => tableProvider(server, s.id, table, { facilitator: s.facilitatorKey })));
  const made = madeNow(fac);
  const items = [addPointTo(boards[0]!, 'Meer groen', 'communicatie', made), addPointTo(boards[1]!, 'Minder verkeer', 'samenwerking', made)];
  await vi.waitFor(() => expect(watch[0]!.points().length + watch[1]!.points().length).toBe(2), { timeout: 30_000, interval: 20 });
  await gotoStep(fac, 'stemmen');
  const vote = await openVote(fac);
  const view = await viewer(server, s.id);
  const ballots = seated.map((_, i) => ({ ballotId: newBallotId(), dots: { [items[i % 2]!]: 2, [items[(i + 1) % 2]!]: 1 } }));
  return { s, fac, tablets: seated, boards, watch, made, items, vote, view, ballots };
}

export async function openVote(fac: Client, payload: Record<string, unknown> = {}): Promise<VoteView> {
  return emitOk<VoteView>(fac.socket, Events.voteOpen, payload);
}

/** A dot ballot; `seat` only on a shared tablet (doorgeefstand). */
export function submitBallot(device: Client, voteId: string, ballotId: string, dots: Record<string, number>, seat?: number): Promise<Ack<BallotReceipt>> {
  return submitChoices(device, voteId, ballotId, { dots }, seat);
}

/** A ballot's choices written as the one field that holds them, e.g. `{ ranking: [a, b] }`; tests may give more or none. */
export interface BallotChoiceFields {
  dots?: Record<string, number>;
  ranking?: string[];
  points?: Record<string, number>;
  stances?: Record<string, 'support' | 'oppose' | 'abstain'>;
  grades?: Record<string, number>;
}

/** `{ ranking }` → `{ method: 'ranking', ranking }`; anything but exactly one field is sent as it is, to be refused. */
export function choicesOf(fields: BallotChoiceFields): unknown {
  const given = Object.entries(fields as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (given.length !== 1) return { ...fields };
  const [field, value] = given[0]!;
  const method = field === 'stances' ? 'recommendations' : field === 'grades' ? 'graded' : field;
  return { method, [field]: value };
}

/** A ballot of any method, e.g. `{ ranking: [a, b] }` or `{ stances: { r1: 'support' } }`. */
export function submitChoices(device: Client, voteId: string, ballotId: string, choices: BallotChoiceFields, seat?: number): Promise<Ack<BallotReceipt>> {
  return emitAck<BallotReceipt>(device.socket, Events.ballotSubmit, { voteId, ballotId, choices: choicesOf(choices), ...(seat === undefined ? {} : { seat }) });
}

/** table:seats by the facilitator: a shared tablet for `seats` people at the table (0 turns it off). */
export async function setSeats(fac: Client, table: number, seats: number): Promise<void> {
  await emitOk<null>(fac.socket, Events.tableSeats, { table, seats });
}

/** Score per item id (dots or points total, Borda score, support %) from result rows. */
export function scoresOf(results: readonly ResultRow[] | undefined): Record<string, number> | undefined {
  return results && Object.fromEntries(results.map((r) => [r.id, r.score]));
}

export interface TallySums {
  voteId: string;
  ballots: number;
  eligible: number;
  hidden: boolean;
  totals: Record<string, number>;
}

/**
 * A tally as the dot-vote tests compare it: its sums per item (the rows' scores) instead of the
 * ranked rows. `undefined` while no tally arrived.
 */
export function tallySums(t: Tally | undefined): TallySums | undefined {
  return t && { voteId: t.voteId, ballots: t.ballots, eligible: t.eligible, hidden: t.hidden, totals: scoresOf(t.results)! };
}

/** Dots or points per item as the server counts them (`votes.count`), zero for items nobody chose. */
export function countTotals(count: VoteCount): Record<string, number> {
  if (count.method !== 'dots' && count.method !== 'points') throw new Error(`a ${count.method} count has no totals`);
  return Object.fromEntries(Object.entries(count.items).map(([id, c]) => [id, c.total]));
}

export const newBallotId = (): string => randomBytes(18).toString('base64url');

// ---------------------------------------------------------------------------------------------
// Yjs

export type Credential = { device: string } | { facilitator: string } | { host: string };

export const credentialProtocol = (cred: Credential): string =>
  'device' in cred ? `device.${cred.device}` : 'host' in cred ? `host.${cred.host}` : `facilitator.${cred.facilitator}`;

export const yjsUrl = (server: Target): string => `${server.url.replace(/^http/, 'ws')}${YJS_PATH}`;

export interface TableBoard {
  doc: Y.Doc;
  provider: WebsocketProvider;
  server: Target;
  sessionId: string;
  /** Closes events seen on this provider's connections, in order. */
  closes: { code: number; reason: string }[];
  points(): PointData[];
  destroy(): void;
}

/** A Y.Doc bound to a table's document through a real WebsocketProvider; resolves once synced. */
export async function tableProvider(
  server: Target,
  sessionId: string,
  table: number | 'plenary',
  cred: Credential,
  opts: { waitForSync?: boolean } = {},
): Promise<TableBoard> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(yjsUrl(server), `${sessionId}/${table}`, doc, {
    WebSocketPolyfill: WS as unknown as typeof globalThis.WebSocket,
    protocols: [YJS_SUBPROTOCOL, credentialProtocol(cred)],
    connect: true,
    // Otherwise providers in this one process would sync through a BroadcastChannel, past the server.
    disableBc: true,
    maxBackoffTime: 200,
  });
  const board: TableBoard = {
    doc,
    provider,
    server,
    sessionId,
    closes: [],
    points: () => readPoints(doc),
    destroy: track(() => {
      provider.destroy();
      doc.destroy();
    }),
  };
  provider.on('connection-close', (event) => {
    if (event) board.closes.push({ code: event.code, reason: event.reason });
  });
  if (opts.waitForSync ?? true) {
    await vi.waitFor(
      () => {
        if (!provider.synced) throw new Error(`provider for ${sessionId}/${table} did not sync`);
      },
      { timeout: 5000, interval: 5 },
    );
  }
  return board;
}

let pointCounter = 0;

/**
 * The round and step the session is in now, read from the in-process server's storage; both
 * null when the target is a server in another process.
 */
export function currentStepOf(server: Target, sessionId: string): { round: string | null; step: string | null } {
  const services = 'services' in server ? (server as TestServer).services : null;
  const session = services?.sessions.get(sessionId);
  const at = session ? findStep(session.agenda, session.run.stepId) : undefined;
  return { round: at?.round.id ?? null, step: at?.step.id ?? null };
}

/**
 * Adds a point to a board, as a tablet does, and returns its id. Round and step are those the
 * session is in now, unless given.
 */
export function addPointTo(board: TableBoard, text: string, theme = 'communicatie', made: { round?: string | null; step?: string | null } = {}): string {
  pointCounter += 1;
  const id = `p${pointCounter}-${randomBytes(6).toString('base64url')}`;
  const now = currentStepOf(board.server, board.sessionId);
  addPoint(board.doc, {
    id,
    theme,
    text,
    round: made.round !== undefined ? made.round : now.round,
    step: made.step !== undefined ? made.step : now.step,
    createdAt: Date.now() + pointCounter,
  });
  return id;
}

/** Waits until the server's copy of a table has `n` non-empty points. */
export async function waitForServerPoints(server: TestServer, sessionId: string, table: number, n: number): Promise<PointData[]> {
  let points: PointData[] = [];
  await vi.waitFor(
    () => {
      points = server.services.pointsOf(sessionId, table).filter((p) => p.text.trim() !== '');
      if (points.length !== n) throw new Error(`table ${table} has ${points.length} points on the server, expected ${n}`);
    },
    { timeout: 5000, interval: 5 },
  );
  return points;
}

/**
 * Status code of a raw websocket upgrade to the Yjs endpoint: 101 when it was accepted,
 * otherwise the HTTP status the server refused it with.
 */
export function yjsUpgradeStatus(server: Target, room: string, protocols: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WS(`${yjsUrl(server)}/${room}`, protocols);
    const close = track(() => ws.terminate());
    ws.on('unexpected-response', (_req, res) => {
      close();
      resolve(res.statusCode ?? 0);
    });
    ws.on('open', () => {
      close();
      resolve(101);
    });
    ws.on('error', (err) => {
      close();
      reject(err);
    });
  });
}
