/**
 * The heaviest evening a projector has to carry, built through the real API, socket.io and Yjs
 * (as the facilitator's laptop, table hosts and tablets would): a 110-character title, a
 * 350-character question, 12 tables with 6 points of 200 characters each and a top 3 in two
 * rounds, a plenary list of 40 points, a vote on those 40 points, and a burgerberaad vote on 20
 * recommendations of 300 characters.
 */
import { expect } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import { WebSocket as WS } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { flatten, type StepType } from '../../shared/agenda';
import { addPoint, readTop, toggleTop, visiblePoints } from '../../shared/board';
import {
  Events,
  PROTOCOL_VERSION,
  YJS_PATH,
  YJS_SUBPROTOCOL,
  type Ack,
  type CreateSessionResponse,
  type SessionView,
  type VoteView,
} from '../../shared/protocol';
import { hostKey } from '../../server/tables';
import type { BallotChoices } from '../../shared/tally';

const WORDS = (
  'de gemeente moet vaker en eerder in gesprek met bewoners over plannen voor de wijk zodat iedereen ' +
  'kan meedenken en meepraten over wat er gebeurt in de buurt en waarom dat nodig is voor later'
).split(' ');

/** Plain Dutch words up to exactly `length` characters, starting with a label a test can find. */
export function text(label: string, length: number): string {
  let out = label;
  for (let i = 0; out.length < length; i++) out += ` ${WORDS[i % WORDS.length]}`;
  return `${out.slice(0, length - 1).trimEnd()}.`;
}

export const LONG_TITLE = text('Thematafel samenwerking tussen stadsdeel, bewoners en ondernemers in de wijk:', 110);
export const LONG_QUESTION = text('Wat is er volgens u nodig om de samenwerking tussen het stadsdeel en de bewoners te verbeteren,', 350);

type AppSocket = Socket;

export interface Facilitator {
  sessionId: string;
  key: string;
  /** What creating the session answered: the join code and the links. */
  created: CreateSessionResponse;
  socket: AppSocket;
  state(): SessionView;
  emit<T>(event: string, payload: unknown): Promise<T>;
  goto(type: StepType, nth?: number): Promise<void>;
  close(): void;
}

async function post<T>(baseURL: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(new URL(path, baseURL), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function connect(baseURL: string, auth: Record<string, unknown>): Promise<{ socket: AppSocket; state: () => SessionView | null }> {
  const socket = io(baseURL, { auth: { protocol: PROTOCOL_VERSION, ...auth }, transports: ['websocket'], forceNew: true });
  let state: SessionView | null = null;
  socket.on(Events.sessionState, (s: SessionView) => (state = s));
  await expect.poll(() => state !== null, { message: `${String(auth.role)} connects` }).toBe(true);
  return { socket, state: () => state };
}

export async function emitOk<T>(socket: AppSocket, event: string, payload: unknown): Promise<T> {
  const ack = (await socket.timeout(10_000).emitWithAck(event, payload)) as Ack<T>;
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

export async function createFacilitator(baseURL: string, body: Record<string, unknown>): Promise<Facilitator> {
  const created = await post<CreateSessionResponse>(baseURL, '/api/sessions', body);
  const { socket, state } = await connect(baseURL, { role: 'facilitator', sessionId: created.id, key: created.facilitatorKey });
  const fac: Facilitator = {
    sessionId: created.id,
    key: created.facilitatorKey,
    created,
    socket,
    state: () => state()!,
    emit: (event, payload) => emitOk(socket, event, payload),
    async goto(type, nth = 0) {
      const step = flatten(fac.state().agenda).filter((f) => f.step.type === type)[nth]!.step;
      await fac.emit(Events.stepGoto, { stepId: step.id });
      await expect.poll(() => fac.state().run.stepId).toBe(step.id);
    },
    close: () => socket.disconnect(),
  };
  return fac;
}

/** A table's board through the table host's credential, synced. */
async function tableBoard(baseURL: string, fac: Facilitator, table: number) {
  const doc = new Y.Doc();
  const url = `${baseURL.replace(/^http/, 'ws')}${YJS_PATH}`;
  const provider = new WebsocketProvider(url, `${fac.sessionId}/${table}`, doc, {
    WebSocketPolyfill: WS as unknown as typeof WebSocket,
    protocols: [YJS_SUBPROTOCOL, `host.${hostKey(fac.key, fac.sessionId, table)}`],
    disableBc: true,
  });
  await expect.poll(() => provider.synced, { message: `table ${table} syncs` }).toBe(true);
  return { doc, provider };
}

/** Every table writes `perTable` points in the current step, then picks its top 3 in the round's prioritising step. */
async function writeRound(baseURL: string, fac: Facilitator, round: number, perTable: number): Promise<void> {
  await fac.goto('inbreng', round);
  const at = flatten(fac.state().agenda).find((f) => f.step.id === fac.state().run.stepId)!;
  const themes = fac.state().themes.map((th) => th.id);
  const boards = await Promise.all(Array.from({ length: fac.state().tables }, (_, i) => tableBoard(baseURL, fac, i + 1)));
  boards.forEach(({ doc }, i) => {
    for (let n = 0; n < perTable; n++) {
      addPoint(doc, {
        id: `r${round}t${i + 1}p${n}`,
        theme: themes[n % themes.length]!,
        text: text(`Tafel ${i + 1}, ronde ${round + 1}, punt ${n + 1}:`, 200),
        round: at.round.id,
        step: at.step.id,
      });
    }
  });
  for (const { doc } of boards) await expect.poll(() => visiblePoints(doc).filter((p) => p.round === at.round.id).length).toBe(perTable);
  await fac.goto('prioriteren', round);
  boards.forEach(({ doc }, i) => {
    for (let n = 0; n < 3; n++) toggleTop(doc, at.round.id, `r${round}t${i + 1}p${n}`);
  });
  await expect.poll(() => fac.state().tops.filter((top) => top.round === at.round.id && top.chosen).length, { timeout: 20_000 }).toBe(boards.length);
  for (const { doc } of boards) expect(readTop(doc, at.round.id)).toHaveLength(3);
  for (const b of boards) {
    b.provider.destroy();
    b.doc.destroy();
  }
}

/** The thematafel of 12 tables, two rounds, and a plenary list of 40 points; left in the feedback step. */
export async function heavyThematafel(baseURL: string): Promise<Facilitator> {
  const fac = await createFacilitator(baseURL, { kind: 'thematafel', title: LONG_TITLE, question: LONG_QUESTION, tables: 12 });
  await fac.emit(Events.sessionStart, {});
  await writeRound(baseURL, fac, 0, 6);
  await writeRound(baseURL, fac, 1, 6);
  await fac.goto('terugkoppeling');
  // 40 of the 144 points to the plenary list: all six of round 2 at tables 1–6, and four at table 7.
  for (let table = 1; table <= 7; table++) {
    const count = table === 7 ? 4 : 6;
    await fac.emit(Events.plenaryHarvest, { from: 'table', table, pointIds: Array.from({ length: count }, (_, n) => `r1t${table}p${n}`) });
  }
  return fac;
}

/** A device at a table, to vote with. */
export async function voter(baseURL: string, joinCode: string, table: number) {
  const joined = await post<{ sessionId: string; deviceToken: string }>(baseURL, '/api/join', { code: joinCode });
  const { socket } = await connect(baseURL, { role: 'device', sessionId: joined.sessionId, token: joined.deviceToken });
  await emitOk(socket, Events.deviceJoinTable, { table });
  return socket;
}

/** One ballot from each device at once, the i-th with `choices(i)`. */
export async function castBallots(sockets: AppSocket[], vote: VoteView, choices: (i: number) => BallotChoices): Promise<void> {
  await Promise.all(
    sockets.map((socket, i) => emitOk(socket, Events.ballotSubmit, { voteId: vote.id, ballotId: `ballot-${vote.id}-${i}-xxxxxxxx`, choices: choices(i) })),
  );
}

/** Three dots from each device: all on the first item, the rest spread, so the result has a clear winner. */
export async function castDots(sockets: AppSocket[], vote: VoteView): Promise<void> {
  await castBallots(sockets, vote, (i) => {
    const dots: Record<string, number> = {};
    for (const n of [0, 1 + (i % 4), 5 + (i % 10)]) dots[vote.items[n % vote.items.length]!.id] = 1;
    return { method: 'dots', dots };
  });
}

export const RECOMMENDATIONS = Array.from({ length: 20 }, (_, i) => text(`Advies ${i + 1}: de gemeenteraad`, 300));

/** A burgerberaad in its vote step, with 20 long recommendations; the vote is not opened yet. */
export async function heavyBurgerberaad(baseURL: string): Promise<Facilitator> {
  const fac = await createFacilitator(baseURL, { kind: 'burgerberaad', title: LONG_TITLE, question: LONG_QUESTION, tables: 8 });
  await fac.emit(Events.sessionStart, {});
  await fac.goto('stemmen');
  return fac;
}
