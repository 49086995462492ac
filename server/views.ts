/**
 * What each screen is sent: the session as everyone sees it, a device's own state, and the
 * facilitator's overview of the tables. Built from storage on demand, so a reconnecting screen
 * always gets the truth; what is read from the boards is kept until that board changes.
 */
import type * as Y from 'yjs';
import { findStep } from '../shared/agenda.js';
import { topLists, topOf, visiblePoints, type VisiblePoint } from '../shared/board.js';
import type { RunState } from './domain/run.js';
import type { DeviceState, RunView, SessionView, TableBoard, TableOverview, TableTop } from '../shared/protocol.js';
import type { Device } from './devices.js';
import type { Services } from './services.js';
import type { Session } from './sessions.js';
import { toVoteView } from './votes.js';
import { parseDocName, tableDocName } from './yjs/docNames.js';

/**
 * Each table's top points for feedback, for every round up to the current one in which the
 * table wrote anything: its own top 3 if it chose one, otherwise all its points of that round.
 */
export function tableTops(services: Services, session: Session): TableTop[] {
  const rounds = session.agenda.rounds;
  const at = findStep(session.agenda, session.run.stepId);
  const lastRound = session.run.status === 'ended' ? rounds.length - 1 : (at?.roundIndex ?? -1);
  // Every phone that connects gets the session view: reading every table's document for each
  // of 5,000 joins was most of a join's cost. The tops are kept until a table's document changes.
  const key = `${lastRound}|${session.tables}|${rounds.map((r) => r.id).join(',')}`;
  const cache = keptUntilBoardChanges(topsCaches, services, (sessionId) => sessionId);
  const kept = cache.get(session.id);
  if (kept?.key === key) return kept.tops;
  const tops = readTops(services, session, lastRound);
  cache.set(session.id, { key, tops });
  return tops;
}

/**
 * A map per Services whose entries are dropped when a table's document changes: the views below
 * keep what they read from boards, and the store tells them when it no longer holds.
 */
function keptUntilBoardChanges<T>(
  kept: WeakMap<Services, Map<string, T>>,
  services: Services,
  keyOf: (sessionId: string, docName: string) => string,
): Map<string, T> {
  let cache = kept.get(services);
  if (!cache) {
    const made = new Map<string, T>();
    services.store.onChange((name) => {
      const target = parseDocName(name);
      if (target && target.table !== null) made.delete(keyOf(target.sessionId, name));
    });
    kept.set(services, (cache = made));
  }
  return cache;
}

const topsCaches = new WeakMap<Services, Map<string, { key: string; tops: TableTop[] }>>();

function readTops(services: Services, session: Session, lastRound: number): TableTop[] {
  const rounds = session.agenda.rounds;
  // Every round counts: the feedback shows each round's tops, round by round, table by table.
  const byRound: TableTop[][] = rounds.map(() => []);
  for (let table = 1; table <= session.tables; table++) {
    const points = tablePoints(services, session.id, table);
    const lists = tableTopLists(services, session.id, table);
    const visible = new Set(points.map((p) => p.id));
    for (let r = 0; r <= lastRound; r++) {
      const round = rounds[r]!;
      const inRound = points.filter((p) => p.round === round.id);
      if (inRound.length === 0) continue;
      const top = topOf(lists.get(round.id) ?? [], visible);
      const chosen = top.length > 0;
      const shown = chosen ? top.map((id) => inRound.find((p) => p.id === id)!).filter(Boolean) : inRound;
      byRound[r]!.push({ table, round: round.id, chosen, points: shown.map((p) => ({ id: p.id, theme: p.theme, text: p.text })) });
    }
  }
  return byRound.flat();
}

const pointsCaches = new WeakMap<Services, Map<string, readonly VisiblePoint[]>>();
const topListsCaches = new WeakMap<Services, Map<string, ReadonlyMap<string, unknown[]>>>();

/**
 * A table's visible points, kept until its document changes: the facilitator's overview counts
 * every table's points a few times a second, and reading a document nobody has open builds it
 * from its stored updates each time.
 */
export function tablePoints(services: Services, sessionId: string, table: number): readonly VisiblePoint[] {
  return keptFromBoard(pointsCaches, services, sessionId, table, (doc) => Object.freeze(visiblePoints(doc)));
}

/**
 * A table's stored top lists per round, kept like its points: when one table types, the tops
 * (in the session view every connecting screen gets) read that table again, not every table.
 */
function tableTopLists(services: Services, sessionId: string, table: number): ReadonlyMap<string, unknown[]> {
  return keptFromBoard(topListsCaches, services, sessionId, table, topLists);
}

/** What `read` makes of a table's board, read once and kept until that board changes. */
function keptFromBoard<T>(kept: WeakMap<Services, Map<string, T>>, services: Services, sessionId: string, table: number, read: (doc: Y.Doc) => T): T {
  const cache = keptUntilBoardChanges(kept, services, (_, docName) => docName);
  const name = tableDocName(sessionId, table);
  let value = cache.get(name);
  if (value === undefined) {
    value = services.store.read(name, read);
    cache.set(name, value);
  }
  return value;
}

/** The run as screens see it: the undo point without its stored timer. */
export function runView(run: RunState): RunView {
  const undo = run.undo ? { status: run.undo.status, stepId: run.undo.stepId, movedAt: run.undo.movedAt } : null;
  return { status: run.status, stepId: run.stepId, timer: run.timer, undo };
}

/**
 * Who a session view is for. Tablets and phones show the tables' tops only in a feedback step
 * (TableFeedback); elsewhere their view leaves them out. In a room of 5,000 phones the tops were
 * half of the view that every step change and `vote:open` sends to each phone.
 */
export type ViewAudience = 'device' | 'screen';

export function sessionView(services: Services, sessionId: string, host: string | undefined, audience: ViewAudience = 'screen'): SessionView {
  const s = services.sessions.require(sessionId);
  const showsTops = audience === 'screen' || findStep(s.agenda, s.run.stepId)?.step.type === 'terugkoppeling';
  const vote = services.votes.current(sessionId);
  return {
    id: s.id,
    kind: s.kind,
    title: s.title,
    question: s.question,
    place: s.place,
    participation: s.participation,
    decides: s.decides,
    joinCode: s.joinCode,
    joinUrl: services.urls.join(s.joinCode, host),
    tables: s.tables,
    themes: s.themes,
    createdAt: s.createdAt,
    vote: vote ? toVoteView(vote) : null,
    agenda: s.agenda,
    run: runView(s.run),
    projector: s.projector,
    tops: showsTops ? tableTops(services, s) : [],
  };
}

/** `token` is the device's own, from its connection: receipts know a device only by it. */
export function deviceState(services: Services, deviceId: string, token: string): DeviceState {
  const device = services.devices.require(deviceId);
  return deviceStates(services, device.sessionId)(device, token);
}

/**
 * Builds the states of a session's devices: what they share (the step, the tables' signals and
 * seats, the open vote, the evaluations) is read once, so a step change that tells 5,000 phones
 * their state reads it once rather than 5,000 times.
 */
export function deviceStates(services: Services, sessionId: string): (device: Device, token: string) => DeviceState {
  const session = services.sessions.require(sessionId);
  const at = findStep(session.agenda, session.run.stepId);
  const signals = services.tables.signals(sessionId);
  const seatsByTable = services.tables.seats(sessionId);
  const open = services.votes.openVote(sessionId);
  const seatsVoted = new Map<number, number[]>();
  const answeredIn = services.evaluations.answeredBy(sessionId);
  return (device, token) => {
    const table = device.table;
    const seats = table === null ? 0 : (seatsByTable.get(table) ?? 0);
    let voted: number[] = [];
    if (open && seats > 0 && table !== null) {
      voted = seatsVoted.get(table) ?? services.votes.seatsVoted(open.id, table);
      seatsVoted.set(table, voted);
    }
    const signal = table === null ? undefined : signals.get(table);
    return {
      table,
      label: device.label,
      mustPickTable: table !== null && at !== undefined && at.round.rotate && device.pickedRound !== at.round.id,
      signals: { ready: signal?.ready ?? false, help: signal?.help ?? false },
      votedIn: services.votes.votedIn(sessionId, token, seats > 0 ? table : null),
      seats,
      seatsVoted: voted,
      evaluatedIn: answeredIn(token),
    };
  };
}

export function tablesOverview(services: Services, sessionId: string, isConnected: (deviceId: string) => boolean): TableOverview[] {
  const session = services.sessions.require(sessionId);
  const labels = services.devices.labelsByTable(sessionId);
  const signals = services.tables.signals(sessionId);
  const vote = services.votes.current(sessionId);
  const voted = vote ? services.votes.votersByTable(vote.id) : new Map<number, number>();
  const seats = services.tables.seats(sessionId);
  const rows: TableOverview[] = [];
  for (let table = 1; table <= session.tables; table++) {
    const devices = (labels.get(table) ?? []).map((d) => ({ label: d.label, connected: isConnected(d.id) }));
    rows.push({
      table,
      connected: devices.filter((d) => d.connected).length,
      joined: devices.length,
      points: tablePoints(services, sessionId, table).length,
      voted: voted.get(table) ?? 0,
      seats: seats.get(table) ?? 0,
      ready: signals.get(table)?.ready ?? false,
      help: signals.get(table)?.help ?? false,
      devices,
    });
  }
  return rows;
}

export function tableBoard(services: Services, sessionId: string, table: number): TableBoard {
  const session = services.sessions.require(sessionId);
  const at = findStep(session.agenda, session.run.stepId);
  const points = tablePoints(services, sessionId, table);
  // The board of the current round when it has points, else everything the table wrote.
  const inRound = at ? points.filter((p) => p.round === at.round.id) : [];
  const shown = inRound.length > 0 ? inRound : points;
  return { table, points: shown.map((p) => ({ id: p.id, theme: p.theme, text: p.text })) };
}
