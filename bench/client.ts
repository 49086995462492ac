/**
 * The bench's clients of the app, as a tablet, phone, projector or facilitator is: REST with
 * fetch, socket.io-client for session control, y-websocket for a table's document. Unlike the
 * test helpers these do not depend on vitest, and they are used in several processes.
 */
import { io, type Socket } from 'socket.io-client';
import { WebSocket as WS } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  Events,
  PROTOCOL_VERSION,
  YJS_PATH,
  YJS_SUBPROTOCOL,
  type Ack,
  type ClientToServerEvents,
  type CreateSessionBody,
  type CreateSessionResponse,
  type DeviceState,
  type JoinResponse,
  type ServerToClientEvents,
  type SessionView,
} from '../shared/protocol.js';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

// y-websocket adds a process 'exit' listener per provider; a bench process holds dozens on purpose.
process.setMaxListeners(0);

export type Auth =
  | { role: 'facilitator'; sessionId: string; key: string }
  | { role: 'device'; sessionId: string; token: string }
  | { role: 'viewer'; sessionId: string }
  /** The bare baseline's projector: it has no sessions, only a screen that gets tallies. */
  | { role: 'screen' };

/** Three dots a voter, all of which may go to one point: the templates' dot vote. */
export const BENCH_VOTE = { budget: 3, maxPerItem: 3 } as const;

/** One round: the tables write points, then a dot vote (as the test agenda). */
export const BENCH_AGENDA = {
  rounds: [
    {
      steps: [
        { type: 'inbreng', durationSec: 3600 },
        { type: 'stemmen', durationSec: 600, vote: { method: 'dots', ...BENCH_VOTE } },
      ],
    },
  ],
} satisfies NonNullable<CreateSessionBody['agenda']>;

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${new URL(url).pathname}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

export function createSession(url: string, body: CreateSessionBody): Promise<CreateSessionResponse> {
  return postJson(`${url}/api/sessions`, { agenda: BENCH_AGENDA, ...body });
}

export function join(url: string, joinCode: string): Promise<JoinResponse> {
  return postJson(`${url}/api/join`, { code: joinCode });
}

/**
 * Connects over websocket only (as the test clients do; a phone starts with long polling and
 * upgrades, which only adds a round trip at connect). Tablets and phones do not reconnect, so a
 * connection the server dropped shows up as a failure instead of being hidden; the facilitator
 * and the projector do (`reconnect`), as the real screens do, so that the run can go on.
 */
export function socketTo(url: string, auth: Auth | null, reconnect = false): AppSocket {
  return io(url, {
    auth: auth ? { protocol: PROTOCOL_VERSION, ...auth } : {},
    transports: ['websocket'],
    forceNew: true,
    reconnection: reconnect,
    autoConnect: false,
  });
}

/**
 * Connects and resolves once the server has sent what a screen of this role needs first: the
 * session state (and a device its own state). A bare server sends nothing, so there `connect` is enough.
 */
export function connect(
  url: string,
  auth: Auth | null,
  opts: { reconnect?: boolean; timeoutMs?: number } = {},
): Promise<{ socket: AppSocket; state: SessionView | null; device: DeviceState | null }> {
  const socket = socketTo(url, auth, opts.reconnect);
  const timeoutMs = opts.timeoutMs ?? CONTROL_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    let state: SessionView | null = null;
    let device: DeviceState | null = null;
    const timer = setTimeout(() => fail(new Error('connect timed out')), timeoutMs);
    const done = () => {
      if (!socket.connected || (auth && 'sessionId' in auth && (!state || (auth.role === 'device' && !device)))) return;
      clearTimeout(timer);
      socket.off(Events.sessionState, onState);
      socket.off(Events.deviceState, onDevice);
      resolve({ socket, state, device });
    };
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.disconnect();
      reject(err);
    };
    const onState = (s: SessionView) => {
      state = s;
      done();
    };
    const onDevice = (d: DeviceState) => {
      device = d;
      done();
    };
    socket.on(Events.sessionState, onState);
    socket.on(Events.deviceState, onDevice);
    socket.once('connect', done);
    socket.once('connect_error', (err) => fail(new Error(`connect failed: ${err.message}`)));
    socket.connect();
  });
}

/**
 * How long the facilitator and the setup wait for the server. Long on purpose: a server that
 * fell behind (see the room's typing) answers late, and the run should measure that, not stop.
 */
export const CONTROL_TIMEOUT_MS = 120_000;

/** Sends an event and resolves with the acknowledgement's data; rejects on a refusal or a timeout. */
export async function emitOk<T>(socket: AppSocket, event: string, payload: unknown, timeoutMs = CONTROL_TIMEOUT_MS): Promise<T> {
  const loose = socket as unknown as { timeout(ms: number): { emitWithAck(ev: string, ...args: unknown[]): Promise<unknown> } };
  const res = (await loose.timeout(timeoutMs).emitWithAck(event, payload)) as Ack<T>;
  if (!res.ok) throw new Error(`${event}: ${res.error.code} ${res.error.message}`);
  return res.data;
}

/** Opens a table's document as a tablet (or host) does; resolves once it is in sync with the server. */
export function openTable(
  url: string,
  sessionId: string,
  table: number,
  credential: string,
  timeoutMs = CONTROL_TIMEOUT_MS,
): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}${YJS_PATH}`, `${sessionId}/${table}`, doc, {
    WebSocketPolyfill: WS as unknown as typeof globalThis.WebSocket,
    protocols: [YJS_SUBPROTOCOL, credential],
    // Tablets in one process would otherwise sync through a BroadcastChannel, past the server.
    disableBc: true,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      provider.destroy();
      doc.destroy();
      reject(new Error(`table ${table}: the document did not sync`));
    }, timeoutMs);
    const onSync = (synced: boolean) => {
      if (!synced) return;
      clearTimeout(timer);
      provider.off('sync', onSync);
      resolve({ doc, provider });
    };
    provider.on('sync', onSync);
  });
}

/** The current round and step ids, as a tablet stamps them on a new point. */
export function currentStep(state: SessionView): { roundId: string; stepId: string } {
  const stepId = state.run.stepId;
  const round = state.agenda.rounds.find((r) => r.steps.some((s) => s.id === stepId));
  if (!stepId || !round) throw new Error('the session is not in a step');
  return { roundId: round.id, stepId };
}

/** Runs `fn` over `items` with at most `limit` in flight; collects failures instead of stopping. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<{ results: R[]; errors: string[] }> {
  const results: R[] = [];
  const errors: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        results.push(await fn(item));
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return { results, errors };
}

/** Resolves with the next session state this socket receives that passes `check`. */
export function nextState(socket: AppSocket, check: (s: SessionView) => boolean, timeoutMs = CONTROL_TIMEOUT_MS): Promise<SessionView> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(Events.sessionState, onState);
      reject(new Error('the expected session state did not come'));
    }, timeoutMs);
    const onState = (s: SessionView) => {
      if (!check(s)) return;
      clearTimeout(timer);
      socket.off(Events.sessionState, onState);
      resolve(s);
    };
    socket.on(Events.sessionState, onState);
  });
}
