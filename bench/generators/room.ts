/**
 * Load generator for the room scenario: the tablets of some tables. Each tablet joins, picks
 * its table and opens the table's document, like the tablet app; then they all type at once,
 * and later each casts a ballot (see voting.ts).
 *
 * A table's tablets all live in this process, so edit latency is measured here without any
 * clock or message passing between processes: the sender notes when it made each change and
 * the Yjs clock its first item got; a receiver sees in each remote transaction up to which
 * clock every sender's changes have been applied, and takes the time of all of them.
 */
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { addPoint, pointText, pointsMap } from '../../shared/board.js';
import { Events } from '../../shared/protocol.js';
import { now, sleep, sleepUntil } from '../clock.js';
import { connect, emitOk, join, openTable, pool } from '../client.js';
import type { EditResult, Ready, RoomSetup, RoomTyping } from '../ipc.js';
import { awaitStepSeen, awaitVoteSeen, castBallots, newVoter, type Voter } from './voting.js';
import { serve } from './worker.js';

interface Tablet {
  table: number;
  doc: Y.Doc;
  provider: WebsocketProvider;
  voter: Voter;
  /** The point this tablet is writing now. */
  ownPoint: string | null;
}

/** Changes made here, per Yjs client: the clock of each change's first item and when it was made. */
const sent = new Map<number, { clocks: number[]; times: number[] }>();
const latencies: number[] = [];
let measuring = false;
const drops = { socket: 0, yjs: 0 };
let tablets: Tablet[] = [];
let setup: RoomSetup;

/** After each remote transaction: every sender's changes below its new clock have now arrived here. */
function watchArrivals(doc: Y.Doc) {
  const seenUpTo = new Map<number, number>();
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (tr.local) return;
    const at = now();
    for (const [client, after] of tr.afterState) {
      const log = sent.get(client);
      if (!log || after <= (tr.beforeState.get(client) ?? 0)) continue;
      let i = seenUpTo.get(client) ?? 0;
      while (i < log.clocks.length && log.clocks[i]! < after) {
        if (measuring) latencies.push(at - log.times[i]!);
        i++;
      }
      seenUpTo.set(client, i);
    }
  });
}

async function setupTablet(table: number): Promise<Tablet> {
  const { sessionId, deviceToken } = await join(setup.url, setup.joinCode);
  const { socket } = await connect(setup.url, { role: 'device', sessionId, token: deviceToken });
  const voter = newVoter(socket, table);
  await emitOk(socket, Events.deviceJoinTable, { table });
  const { doc, provider } = await openTable(setup.url, sessionId, table, `device.${deviceToken}`);
  watchArrivals(doc);
  socket.on('disconnect', () => (drops.socket += measuring ? 1 : 0));
  provider.on('connection-close', () => (drops.yjs += measuring ? 1 : 0));
  return { table, doc, provider, voter, ownPoint: null };
}

async function setupRoom(args: RoomSetup): Promise<Ready> {
  setup = args;
  const started = now();
  const seats = args.tables.flatMap((t) => Array.from({ length: args.tabletsPerTable }, () => t));
  const { results, errors } = await pool(seats, 6, setupTablet);
  tablets = results;
  return { clients: results.length, failed: errors.length, errors: [...new Set(errors)].slice(0, 5), ms: now() - started };
}

const WORDS = ['meer', 'groen', 'in', 'de', 'wijk', 'buurthuis', 'open', 'jongeren', 'bus', 'veilig', 'fietspad', 'luisteren', 'samen', 'gemeente'];
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
/** How long after the typing ends edits may still arrive and be counted. */
const DRAIN_LIMIT_MS = 60_000;
/** Points grow to about a sentence before the tablet starts a new one. */
const POINT_LENGTH = 60;

/** One keystroke burst: 1–3 characters, mostly in the tablet's own point, sometimes in another's. */
function edit(tablet: Tablet) {
  const { doc } = tablet;
  const points = pointsMap(doc);
  const own = tablet.ownPoint ? points.get(tablet.ownPoint) : undefined;
  const clock = Y.getState(doc.store, doc.clientID);
  const at = now();
  if (!own || (pointText(own)?.length ?? 0) > POINT_LENGTH + Math.random() * 40) {
    const id = `b${randomBytes(8).toString('base64url')}`;
    addPoint(doc, { id, theme: pick(setup.themes), round: setup.roundId, step: setup.stepId, text: '' });
    tablet.ownPoint = id;
    // The tablet app shows others where someone writes: it sets this on focus.
    tablet.provider.awareness.setLocalStateField('editing', id);
  } else {
    const others = [...points.values()].filter((p) => p !== own && (pointText(p)?.length ?? 0) > 0);
    const target = Math.random() < 0.15 && others.length > 0 ? pick(others) : own;
    const text = pointText(target)!;
    const chunk = (text.length === 0 || Math.random() < 0.2 ? '' : ' ') + pick(WORDS).slice(0, 1 + Math.floor(Math.random() * 3));
    text.insert(target === own ? text.length : Math.floor(Math.random() * (text.length + 1)), chunk);
  }
  if (Y.getState(doc.store, doc.clientID) === clock) return;
  let log = sent.get(doc.clientID);
  if (!log) sent.set(doc.clientID, (log = { clocks: [], times: [] }));
  log.clocks.push(clock);
  log.times.push(at);
}

/** Every tablet types from the start time on, at about `editsPerSecond` with random gaps, until the end. */
async function type(args: RoomTyping): Promise<EditResult> {
  await sleepUntil(args.startAt);
  measuring = true;
  const end = args.startAt + args.durationMs;
  const meanGap = 1000 / args.editsPerSecond;
  let edits = 0;
  await Promise.all(
    tablets.map(
      (tablet) =>
        new Promise<void>((resolve) => {
          const next = () => {
            if (now() >= end) return resolve();
            edit(tablet);
            edits += 1;
            setTimeout(next, meanGap * (0.5 + Math.random()));
          };
          // Tablets start out of step, as people do.
          setTimeout(next, Math.random() * meanGap);
        }),
    ),
  );
  const perTable = new Map<number, number>();
  for (const t of tablets) perTable.set(t.table, (perTable.get(t.table) ?? 0) + 1);
  let expected = 0;
  for (const t of tablets) expected += (sent.get(t.doc.clientID)?.clocks.length ?? 0) * ((perTable.get(t.table) ?? 1) - 1);
  // A server that fell behind still delivers: wait for the backlog, so late edits count with their real latency.
  while (latencies.length < expected && now() < end + DRAIN_LIMIT_MS) await sleep(50);
  measuring = false;
  const samples = latencies.splice(0);
  sent.clear();
  return { samples, edits, expected, received: samples.length, socketDrops: drops.socket, yjsDrops: drops.yjs };
}

const voters = () => tablets.map((t) => t.voter);

serve(
  {
    setupRoom,
    type,
    awaitStep: async (args) => awaitStepSeen(voters(), args),
    awaitVote: async ({ openSentAt, timeoutMs }) => awaitVoteSeen(voters(), openSentAt, timeoutMs),
    vote: async (start) => castBallots(voters(), start),
  },
  () => {
    for (const t of tablets) {
      t.provider.destroy();
      t.voter.socket.disconnect();
    }
  },
);
