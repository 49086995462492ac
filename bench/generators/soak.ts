/**
 * Load generator for the soak scenario: the tablets of some tables through a whole evening.
 * Each seat at a table holds one tablet at a time. A tablet joins with the code, connects as a
 * device, picks its table and opens the table's document, as in the room scenario; then, until
 * the evening ends, it types in its table's bursts while the step collects points, casts a
 * ballot when its screen shows an open vote, and now and then sleeps, reloads or leaves:
 *
 * - sleep: its connections close; minutes later it comes back with the same device token (no
 *   new join: the server still knows its table), and opens a new copy of the document;
 * - reload: the same, at once;
 * - leave: its connections close for good; a while later a new tablet joins with the code and
 *   takes the seat, so the room keeps its size while device ids churn.
 *
 * Connections close as a browser's do when the screen locks or the page goes away: the
 * socket.io transport just closes (no goodbye packet, so the server keeps the socket's state for
 * recovery, as for a real tablet), and the Yjs websocket closes.
 */
import { randomBytes } from 'node:crypto';
import * as authProtocol from 'y-protocols/auth';
import { messageAuth, type WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { POINT_STEPS } from '../../shared/agenda.js';
import { addPoint, pointText, pointsMap } from '../../shared/board.js';
import { Events, LIMITS, type Ack, type BallotReceipt, type DeviceState, type SessionView, type VoteView } from '../../shared/protocol.js';
import { now, sleep } from '../clock.js';
import { BENCH_VOTE, connect, emitOk, join, openTable, pool, type AppSocket } from '../client.js';
import type { Ready, SoakCounts, SoakRun, SoakSetup } from '../ipc.js';
import { serve } from './worker.js';

/** A device: what a sleep or a reload keeps (its token, the votes it took part in), and a leave does not. */
interface Device {
  table: number;
  sessionId: string;
  token: string;
  votedIn: Set<string>;
}

/** One awake spell of a device: its socket, its copy of the table document, what its screen shows. */
interface Conn {
  device: Device;
  socket: AppSocket;
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The round and step a new point is stamped with, while the step collects points; null otherwise. */
  writing: { roundId: string; stepId: string } | null;
  /** The vote the screen shows. */
  vote: VoteView | null;
  ownPoint: string | null;
  typeTimer: NodeJS.Timeout | null;
  ballotTimer: NodeJS.Timeout | null;
  closed: boolean;
}

interface Seat {
  table: number;
  device: Device | null;
  conn: Conn | null;
}

type Next = 'sleep' | 'reload' | 'leave' | 'dropped' | 'end';

/** A tablet that cannot connect tries again after this long, as the app does. */
const RETRY_MS = 2000;
/** Connecting (socket, table, document) may take this long; a slow server is measured, a stuck one is an error. */
const OPEN_TIMEOUT_MS = 30_000;
const ACK_TIMEOUT_MS = 30_000;
/** Points grow to about a sentence before the tablet starts a new one. */
const POINT_LENGTH = 60;
/** Below the server's limits (LIMITS.pointsPerTable, pointTextLength), which would cut the board. */
const MAX_POINTS = LIMITS.pointsPerTable - 50;
const TEXT_ROOM = LIMITS.pointTextLength - 100;
const WORDS = ['meer', 'groen', 'in', 'de', 'wijk', 'buurthuis', 'open', 'jongeren', 'bus', 'veilig', 'fietspad', 'luisteren', 'samen', 'gemeente'];

let setup: SoakSetup;
let seats: Seat[] = [];
/** Whether someone at the table is writing now. */
const active = new Map<number, boolean>();
const counts: SoakCounts = {
  connectedAtEnd: 0,
  sleeps: 0,
  wakes: 0,
  reloads: 0,
  leaves: 0,
  newJoins: 0,
  devices: 0,
  edits: 0,
  refusedWrites: {},
  ballots: [],
  socketDrops: 0,
  yjsDrops: 0,
  errors: {},
};

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const between = ([lo, hi]: [number, number]) => lo + Math.random() * (hi - lo);
const tally = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);
const errorOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
/** Sleeps `ms`, but not past the end of the evening. */
const rest = (ms: number, endAt: number) => sleep(Math.max(0, Math.min(now() + ms, endAt) - now()));

async function newDevice(table: number): Promise<Device> {
  const { sessionId, deviceToken } = await join(setup.url, setup.joinCode);
  counts.devices += 1;
  return { table, sessionId, token: deviceToken, votedIn: new Set() };
}

/** What a new session state means for the tablet: whether it may write, and whether it has a vote to cast. */
function show(conn: Conn, state: SessionView): void {
  const round = state.agenda.rounds.find((r) => r.steps.some((s) => s.id === state.run.stepId));
  const step = round?.steps.find((s) => s.id === state.run.stepId);
  conn.writing = round && step && POINT_STEPS.has(step.type) ? { roundId: round.id, stepId: step.id } : null;
  conn.vote = state.vote;
  const vote = state.vote;
  if (vote?.status !== 'open' || conn.device.votedIn.has(vote.id) || conn.ballotTimer) return;
  conn.ballotTimer = setTimeout(() => {
    conn.ballotTimer = null;
    if (!conn.closed && conn.vote?.id === vote.id && conn.vote.status === 'open' && !conn.device.votedIn.has(vote.id)) castBallot(conn, conn.vote);
  }, between(setup.ballotAfterMs));
}

/** One ballot: up to three dots on the table's own points (a per-table vote), or a blank one if there are none. */
function castBallot(conn: Conn, vote: VoteView): void {
  const own = vote.items.filter((i) => i.table === conn.device.table);
  const dots: Record<string, number> = {};
  for (let d = 0; d < BENCH_VOTE.budget && own.length > 0; d++) {
    const id = pick(own).id;
    dots[id] = (dots[id] ?? 0) + 1;
  }
  const ballot = { voteId: vote.id, sentAt: now(), ackMs: null as number | null };
  counts.ballots.push(ballot);
  conn.device.votedIn.add(vote.id);
  const loose = conn.socket as unknown as {
    timeout(ms: number): { emit(ev: string, p: unknown, cb: (err: Error | null, res: Ack<BallotReceipt>) => void): void };
  };
  const payload = { voteId: vote.id, ballotId: randomBytes(18).toString('base64url'), choices: { method: 'dots', dots } };
  loose.timeout(ACK_TIMEOUT_MS).emit(Events.ballotSubmit, payload, (err, res) => {
    if (err) return tally(counts.errors, conn.closed ? 'ballot: the tablet closed before its ack' : 'ballot: no ack');
    ballot.ackMs = now() - ballot.sentAt;
    if (!res.ok) tally(counts.errors, `ballot refused: ${res.error.code}`);
  });
}

/** One keystroke burst: 1–3 characters, mostly at the end of the tablet's own point, sometimes in another's; or a new point. */
function edit(conn: Conn, writing: { roundId: string; stepId: string }): boolean {
  const points = pointsMap(conn.doc);
  const own = conn.ownPoint ? points.get(conn.ownPoint) : undefined;
  const ownLength = own ? (pointText(own)?.length ?? 0) : Infinity;
  if (ownLength > POINT_LENGTH + Math.random() * 40 && points.size < MAX_POINTS) {
    const id = `b${randomBytes(8).toString('base64url')}`;
    addPoint(conn.doc, { id, theme: pick(setup.themes), round: writing.roundId, step: writing.stepId, text: '' });
    conn.ownPoint = id;
    // The tablet app shows others where someone writes: it sets this on focus.
    conn.provider.awareness.setLocalStateField('editing', id);
    return true;
  }
  const roomy = (p: Y.Map<unknown>) => (pointText(p)?.length ?? TEXT_ROOM) < TEXT_ROOM;
  const others = [...points.values()].filter((p) => p !== own && (pointText(p)?.length ?? 0) > 0 && roomy(p));
  const target = (Math.random() < 0.15 || !own || !roomy(own)) && others.length > 0 ? pick(others) : own && roomy(own) ? own : null;
  const text = target ? pointText(target) : null;
  if (!target || !text) return false;
  const chunk = (text.length === 0 || Math.random() < 0.2 ? '' : ' ') + pick(WORDS).slice(0, 1 + Math.floor(Math.random() * 3));
  text.insert(target === own ? text.length : Math.floor(Math.random() * (text.length + 1)), chunk);
  return true;
}

/** While awake, the tablet gets a chance to type about `editsPerSecond` times a second; it takes it while its table writes. */
function startTyping(conn: Conn): void {
  const meanGap = 1000 / setup.editsPerSecond;
  const tick = () => {
    if (conn.closed) return;
    if (conn.writing && active.get(conn.device.table) && Math.random() < setup.typingShare && edit(conn, conn.writing)) counts.edits += 1;
    conn.typeTimer = setTimeout(tick, meanGap * (0.5 + Math.random()));
  };
  conn.typeTimer = setTimeout(tick, Math.random() * meanGap);
}

/** Connects a device as the tablet app does on start: socket with its token, its table (unless the server has it), the document. */
async function open(device: Device): Promise<Conn> {
  const auth = { role: 'device' as const, sessionId: device.sessionId, token: device.token };
  const { socket, state, device: known } = await connect(setup.url, auth, { timeoutMs: OPEN_TIMEOUT_MS });
  try {
    if (known?.table !== device.table) await emitOk<DeviceState>(socket, Events.deviceJoinTable, { table: device.table }, OPEN_TIMEOUT_MS);
    for (const id of known?.votedIn ?? []) device.votedIn.add(id);
    const { doc, provider } = await openTable(setup.url, device.sessionId, device.table, `device.${device.token}`, OPEN_TIMEOUT_MS);
    const conn: Conn = { device, socket, doc, provider, writing: null, vote: null, ownPoint: null, typeTimer: null, ballotTimer: null, closed: false };
    // Refusals come as y-protocols' permission-denied message; y-websocket would print each one.
    provider.messageHandlers[messageAuth] = (_encoder, decoder) =>
      authProtocol.readAuthMessage(decoder, doc, (_doc, reason: string) => tally(counts.refusedWrites, reason));
    provider.on('connection-close', () => {
      if (!conn.closed) counts.yjsDrops += 1;
    });
    socket.on(Events.sessionState, (s: SessionView) => show(conn, s));
    socket.on(Events.deviceState, (d: DeviceState) => {
      for (const id of d.votedIn) device.votedIn.add(id);
    });
    if (state) show(conn, state);
    startTyping(conn);
    return conn;
  } catch (err) {
    socket.io.engine.close();
    throw err;
  }
}

function shut(conn: Conn): void {
  conn.closed = true;
  if (conn.typeTimer) clearTimeout(conn.typeTimer);
  if (conn.ballotTimer) clearTimeout(conn.ballotTimer);
  conn.provider.destroy();
  conn.doc.destroy();
  conn.socket.io.engine.close();
}

/** Resolves with what ends this awake spell: the next sleep, reload or leave (Poisson), a connection the server dropped, or the evening's end. */
function awake(conn: Conn, endAt: number): Promise<Next> {
  const rates = { sleep: 1 / setup.sleepEveryMs, reload: 1 / setup.reloadEveryMs, leave: 1 / setup.leaveEveryMs };
  const total = rates.sleep + rates.reload + rates.leave;
  const at = Math.min(now() - Math.log(1 - Math.random()) / total, endAt);
  return new Promise((resolve) => {
    if (!conn.socket.connected) return resolve('dropped');
    const onDrop = () => {
      clearTimeout(timer);
      resolve('dropped');
    };
    const timer = setTimeout(
      () => {
        conn.socket.off('disconnect', onDrop);
        if (at >= endAt) return resolve('end');
        const r = Math.random() * total;
        resolve(r < rates.sleep ? 'sleep' : r < rates.sleep + rates.reload ? 'reload' : 'leave');
      },
      Math.max(0, at - now()),
    );
    conn.socket.once('disconnect', onDrop);
  });
}

/** One seat through the evening: the tablet on it sleeps, reloads or leaves, and is replaced when it left. */
async function live(seat: Seat, endAt: number): Promise<void> {
  while (now() < endAt) {
    try {
      if (!seat.device) {
        seat.device = await newDevice(seat.table);
        counts.newJoins += 1;
      }
      seat.conn ??= await open(seat.device);
    } catch (err) {
      tally(counts.errors, errorOf(err));
      await rest(RETRY_MS, endAt);
      continue;
    }
    const next = await awake(seat.conn, endAt);
    shut(seat.conn);
    seat.conn = null;
    if (next === 'end') {
      counts.connectedAtEnd += 1;
      return;
    }
    if (next === 'dropped') counts.socketDrops += 1;
    if (next === 'sleep') counts.sleeps += 1;
    if (next === 'reload') counts.reloads += 1;
    if (next === 'leave') {
      counts.leaves += 1;
      seat.device = null;
    }
    if (next === 'sleep' || next === 'leave') await rest(between(next === 'sleep' ? setup.sleepForMs : setup.replaceAfterMs), endAt);
    if (next === 'sleep' && now() < endAt) counts.wakes += 1;
  }
}

/** A table writes for a while, then talks (or listens) for a while, until the evening ends. */
async function tableMood(table: number, endAt: number): Promise<void> {
  const mean = ([lo, hi]: [number, number]) => (lo + hi) / 2;
  // Tables start out of step, in proportion to how long they write and stay quiet.
  let on = Math.random() < mean(setup.activeMs) / (mean(setup.activeMs) + mean(setup.quietMs));
  while (now() < endAt) {
    active.set(table, on);
    await rest(between(on ? setup.activeMs : setup.quietMs), endAt);
    on = !on;
  }
  active.set(table, false);
}

async function soakSetup(args: SoakSetup): Promise<Ready> {
  setup = args;
  const started = now();
  seats = args.tables.flatMap((table) => Array.from({ length: args.tabletsPerTable }, () => ({ table, device: null, conn: null })));
  const { results, errors } = await pool(seats, 6, async (seat: Seat) => {
    seat.device = await newDevice(seat.table);
    seat.conn = await open(seat.device);
    return seat;
  });
  return { clients: results.length, failed: errors.length, errors: [...new Set(errors)].slice(0, 5), ms: now() - started };
}

async function soakRun({ endAt }: SoakRun): Promise<SoakCounts> {
  await Promise.all([...setup.tables.map((t) => tableMood(t, endAt)), ...seats.map((seat) => live(seat, endAt))]);
  return counts;
}

serve({ soakSetup, soakRun }, () => {
  for (const seat of seats) if (seat.conn) shut(seat.conn);
});
