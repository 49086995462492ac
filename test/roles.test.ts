/**
 * Who may do what. A role matrix over every client -> server event, generated from one table
 * (MATRIX below) so that a new event without a row fails here; the handshakes a stranger
 * tries; and the table host's rights on the table document.
 */
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { sessionView } from '../server/views.js';
import { addCluster, pointsMap, readClusters, renameCluster } from '../shared/board.js';
import { tableDocName } from '../server/yjs/docNames.js';
import { Events, PROTOCOL_VERSION, YJS_SUBPROTOCOL, type Ack, type ClientToServerEvents, type ErrorCode, type HostLink } from '../shared/protocol.js';
import { Report } from '../shared/report.js';
import {
  addPointTo,
  api,
  connectError,
  countTotals,
  createSession,
  emitAck,
  emitOk,
  facilitator,
  gotoStep,
  hostKeyOf,
  joinDevice,
  newBallotId,
  openVote,
  startSession,
  TEST_AGENDA,
  stepIdOf,
  tableHost,
  tableProvider,
  viewer,
  waitForServerPoints,
  yjsUpgradeStatus,
  type Client,
  type DeviceClient,
  type TableBoard,
  WAIT,
} from './helpers/clients.js';
import { useTestServer } from './helpers/setup.js';

const server = useTestServer();

type RoleName = 'facilitator' | 'host' | 'participant' | 'observer';
const ROLES: RoleName[] = ['facilitator', 'host', 'participant', 'observer'];

/**
 * The state a matrix row starts from:
 * - lobby: created, not started;
 * - stemmen: started, a point written at table 1 in the inbreng step, table 1 asked for help,
 *   now in the stemmen step without a vote;
 * - voting: as stemmen, with the vote open;
 * - evaluatie: as voting, then on to the evaluation step (which closes the vote).
 */
type Phase = 'lobby' | 'stemmen' | 'voting' | 'evaluatie';

/** TEST_AGENDA (inbreng, stemmen) and a closing round with an evaluation. */
const MATRIX_AGENDA = {
  rounds: [...TEST_AGENDA.rounds, { steps: [{ type: 'evaluatie' as const, durationSec: 300 }] }],
};

interface World {
  s: Awaited<ReturnType<typeof createSession>>;
  clients: Record<RoleName, Client>;
  fac: Client;
  /** The participant: a tablet at table 1. */
  d1: DeviceClient;
  /** Another tablet, at table 2 (the one device:move moves). */
  d2: DeviceClient;
  board1: TableBoard | null;
  point: string | null;
  voteId: string | null;
}

async function world(phase: Phase): Promise<World> {
  const s = await createSession(server, { tables: 2, agenda: MATRIX_AGENDA });
  const [fac, host, d1, d2, observer] = await Promise.all([
    facilitator(server, s),
    tableHost(server, s, 1),
    joinDevice(server, s, 1),
    joinDevice(server, s, 2),
    viewer(server, s.id),
  ]);
  const w: World = { s, fac, d1, d2, board1: null, point: null, voteId: null, clients: { facilitator: fac, host, participant: d1, observer } };
  if (phase === 'lobby') return w;
  await startSession(fac);
  w.board1 = await tableProvider(server, s.id, 1, { device: d1.token });
  w.point = addPointTo(w.board1, 'Een punt van tafel 1');
  await waitForServerPoints(server, s.id, 1, 1);
  await emitOk(d1.socket, Events.tableSignal, { signal: 'help', on: true });
  await gotoStep(fac, 'stemmen');
  if (phase === 'stemmen') return w;
  w.voteId = (await openVote(fac)).id;
  if (phase === 'evaluatie') await gotoStep(fac, 'evaluatie');
  return w;
}

/** Everything the server keeps about a session: its rows, the event log and its view. */
function snapshot(sessionId: string) {
  const { db } = server.services;
  const all = (sql: string) => db.prepare(sql).all(sessionId);
  return {
    session: db.prepare('SELECT agenda, run_state, projector FROM sessions WHERE id = ?').get(sessionId),
    tables: all('SELECT number, host_key_hash, ready, help, seats FROM session_tables WHERE session_id = ? ORDER BY number'),
    devices: all('SELECT id, table_number, label, picked_round FROM devices WHERE session_id = ? ORDER BY id'),
    votes: all('SELECT * FROM votes WHERE session_id = ? ORDER BY id'),
    ballots: all("SELECT s.slot, s.body FROM box.slots s JOIN votes v ON s.box = 'vote:' || v.id WHERE v.session_id = ? ORDER BY s.slot"),
    receipts: all("SELECT s.slot, s.body FROM box.slots s JOIN votes v ON s.box = 'receipts:vote:' || v.id WHERE v.session_id = ? ORDER BY s.slot"),
    evaluations: all("SELECT slot, body FROM box.slots WHERE box LIKE 'evaluation:' || ? || ':%' ORDER BY slot"),
    evaluationReceipts: all("SELECT slot, body FROM box.slots WHERE box LIKE 'receipts:evaluation:' || ? || ':%' ORDER BY slot"),
    events: all('SELECT at, type, data FROM event_log WHERE session_id = ? ORDER BY id'),
    view: sessionView(server.services, sessionId, undefined),
  };
}

function expectRefused(res: Ack<unknown>, code: ErrorCode, what: string) {
  expect(res.ok, `${what}: ${JSON.stringify(res)}`).toBe(false);
  if (!res.ok) expect(res.error.code, what).toBe(code);
}

interface Row {
  /** Who may send it. Everyone else must get `forbidden` and change nothing. */
  allowed: RoleName[];
  phase: Phase;
  /** A payload that is valid (and succeeds) for an allowed role in this phase. */
  payload: (w: World) => unknown;
  /** Extra checks after the allowed roles succeeded. */
  after?: (w: World, data: unknown[]) => void | Promise<void>;
}

const agendaPlusOneStep = (w: World) => {
  const agenda = structuredClone(w.fac.lastSessionState()!.agenda);
  agenda.rounds.at(-1)!.steps.push({ id: 'evaluatie1', type: 'pauze', durationSec: 120 });
  return { agenda };
};

/**
 * The matrix. Its type makes TypeScript insist on a row for every event in
 * ClientToServerEvents; the first test below checks the same at run time against `Events`.
 * Strangers (bad keys or tokens) never get this far: see "handshakes".
 */
const MATRIX: { [E in keyof ClientToServerEvents]: Row } = {
  [Events.clockSync]: { allowed: ROLES, phase: 'voting', payload: () => ({}) },
  [Events.deviceJoinTable]: {
    allowed: ['participant'],
    phase: 'voting',
    payload: () => ({ table: 2 }),
    after: (w) => expect(server.services.deviceById(w.d1.deviceId)!.table).toBe(2),
  },
  [Events.tableSignal]: {
    allowed: ['participant'],
    phase: 'voting',
    payload: () => ({ signal: 'ready', on: true }),
    after: (w) => expect(server.services.tables.signals(w.s.id).get(1)).toEqual({ ready: true, help: true }),
  },
  [Events.tableClearSignal]: {
    allowed: ['facilitator', 'host'],
    phase: 'voting',
    payload: () => ({ table: 1, signal: 'help' }),
    after: (w) => expect(server.services.tables.signals(w.s.id).get(1)).toEqual({ ready: false, help: false }),
  },
  [Events.voteOpen]: {
    allowed: ['facilitator'],
    phase: 'stemmen',
    payload: () => ({}),
    after: (w) => expect(server.services.votes.openVote(w.s.id)).toBeDefined(),
  },
  [Events.voteClose]: {
    allowed: ['facilitator'],
    phase: 'voting',
    payload: (w) => ({ voteId: w.voteId }),
    after: (w) => expect(server.services.votes.get(w.voteId!)!.status).toBe('closed'),
  },
  [Events.ballotSubmit]: {
    allowed: ['participant'],
    phase: 'voting',
    payload: (w) => ({ voteId: w.voteId, ballotId: newBallotId(), choices: { method: 'dots', dots: { [w.point!]: 2 } } }),
    after: (w) => {
      const { count, ballots } = server.services.votes.count(server.services.votes.get(w.voteId!)!);
      expect({ totals: countTotals(count), ballots }).toEqual({ totals: { [w.point!]: 2 }, ballots: 1 });
    },
  },
  [Events.evaluationSubmit]: {
    allowed: ['participant'],
    phase: 'evaluatie',
    payload: (w) => ({ stepId: stepIdOf(w.fac, 'evaluatie'), responseId: newBallotId(), scores: { satisfied: 4, clear: 5 } }),
    after: (w) => expect(server.services.evaluations.summary(w.s.id, stepIdOf(w.fac, 'evaluatie')).responses).toBe(1),
  },
  [Events.sessionStart]: {
    allowed: ['facilitator'],
    phase: 'lobby',
    payload: () => ({}),
    after: (w) => expect(server.services.sessions.get(w.s.id)!.run.status).toBe('running'),
  },
  [Events.stepNext]: {
    allowed: ['facilitator'],
    phase: 'voting',
    payload: () => ({}),
    after: (w) => {
      expect(server.services.sessions.get(w.s.id)!.run.stepId).toBe(stepIdOf(w.fac, 'evaluatie'));
      // Leaving the voting step closed its vote.
      expect(server.services.votes.get(w.voteId!)!.status).toBe('closed');
    },
  },
  [Events.stepBack]: {
    allowed: ['facilitator'],
    phase: 'voting',
    payload: () => ({}),
    after: (w) => expect(server.services.sessions.get(w.s.id)!.run.stepId).toBe(stepIdOf(w.fac, 'inbreng')),
  },
  [Events.stepUndo]: {
    allowed: ['facilitator'],
    phase: 'voting',
    payload: () => ({}),
    // The world entered the voting step by a move: undo goes back to the step before it.
    after: (w) => expect(server.services.sessions.get(w.s.id)!.run.stepId).not.toBe(stepIdOf(w.fac, 'stemmen')),
  },
  [Events.stepGoto]: {
    allowed: ['facilitator'],
    phase: 'voting',
    payload: (w) => ({ stepId: stepIdOf(w.fac, 'inbreng') }),
    after: (w) => expect(server.services.sessions.get(w.s.id)!.run.stepId).toBe(stepIdOf(w.fac, 'inbreng')),
  },
  [Events.timerPause]: {
    allowed: ['facilitator'],
    phase: 'voting',
    payload: () => ({}),
    after: (w) => expect(server.services.sessions.get(w.s.id)!.run.timer!.running).toBe(false),
  },
  [Events.timerResume]: {
    allowed: ['facilitator'],
    phase: 'voting',
    payload: () => ({}),
    after: (w) => expect(server.services.sessions.get(w.s.id)!.run.timer!.running).toBe(true),
  },
  [Events.timerExtend]: {
    allowed: ['facilitator'],
    phase: 'voting',
    payload: () => ({ seconds: 60 }),
    after: (w) => expect(server.services.sessions.get(w.s.id)!.run.timer!.durationMs).toBe(360_000),
  },
  [Events.agendaUpdate]: {
    allowed: ['facilitator'],
    phase: 'voting',
    payload: agendaPlusOneStep,
    after: (w) =>
      expect(server.services.sessions.get(w.s.id)!.agenda.rounds.flatMap((r) => r.steps.map((s) => s.id === 'evaluatie1'))).toEqual([
        false,
        false,
        false,
        true,
      ]),
  },
  [Events.projectorSet]: {
    allowed: ['facilitator'],
    phase: 'voting',
    payload: () => ({ theme: 'light', spotlight: { kind: 'table', table: 2 } }),
    after: (w) => expect(server.services.sessions.get(w.s.id)!.projector).toMatchObject({ theme: 'light', spotlight: { kind: 'table', table: 2 } }),
  },
  [Events.deviceMove]: {
    allowed: ['facilitator'],
    phase: 'voting',
    payload: (w) => ({ label: w.d2.deviceStates[0]!.label, table: 1 }),
    after: (w) => expect(server.services.deviceById(w.d2.deviceId)!.table).toBe(1),
  },
  [Events.consoleTakeover]: {
    allowed: ['facilitator'],
    phase: 'voting',
    payload: () => ({}),
    after: (_w, [control]) => expect(control).toMatchObject({ controller: expect.any(String) as string }),
  },
  [Events.hostLinks]: {
    allowed: ['facilitator'],
    phase: 'voting',
    payload: () => ({}),
    after: (w, [links]) => {
      expect((links as HostLink[]).map((l) => l.table)).toEqual([1, 2]);
      for (const link of links as HostLink[]) {
        const url = new URL(link.url);
        expect(url.pathname).toBe(`/h/${w.s.id}/${link.table}`);
        expect(url.hash).toBe(`#key=${hostKeyOf(w.s, link.table)}`);
        expect(url.search).toBe('');
      }
    },
  },
  [Events.tableSeats]: {
    allowed: ['facilitator'],
    phase: 'stemmen',
    payload: () => ({ table: 1, seats: 4 }),
    after: (w) => expect(server.services.tables.seats(w.s.id)).toEqual(new Map([[1, 4]])),
  },
  [Events.plenaryHarvest]: {
    allowed: ['facilitator'],
    phase: 'voting',
    payload: (w) => ({ from: 'table', table: 1, pointIds: [w.point] }),
    after: (w) => {
      const board = server.services.plenary.view(server.services.sessions.require(w.s.id));
      expect(board.points.map((p) => [p.text, p.tables])).toEqual([['Een punt van tafel 1', [1]]]);
    },
  },
};

/** Events the server sends; every other name in `Events` must have a row in MATRIX. */
const SERVER_TO_CLIENT: string[] = [
  Events.sessionState,
  Events.deviceState,
  Events.voteTally,
  Events.tablesOverview,
  Events.tableBoard,
  Events.evaluationSummary,
  Events.plenaryBoard,
  Events.consoleControl,
  Events.consoleActed,
];

describe('role matrix', () => {
  it('has a row for every client -> server event', () => {
    const clientEvents = Object.values(Events).filter((e) => !SERVER_TO_CLIENT.includes(e));
    expect(Object.keys(MATRIX).sort(), 'a new client -> server event needs a MATRIX row; a new server -> client event belongs in SERVER_TO_CLIENT').toEqual(
      clientEvents.sort(),
    );
    expect(clientEvents.length).toBeGreaterThanOrEqual(21);
  });

  for (const [event, row] of Object.entries(MATRIX) as [keyof ClientToServerEvents, Row][]) {
    const denied = ROLES.filter((r) => !row.allowed.includes(r));
    it(`${event}: ${row.allowed.join(', ')}${denied.length ? `; forbidden to ${denied.join(', ')}` : ''}`, async () => {
      const w = await world(row.phase);
      for (const role of denied) {
        const before = snapshot(w.s.id);
        expectRefused(await emitAck(w.clients[role].socket, event, row.payload(w)), 'forbidden', `${event} by ${role}`);
        expect(snapshot(w.s.id), `${event} by ${role} changed something`).toEqual(before);
      }
      const data: unknown[] = [];
      for (const role of row.allowed) {
        const res = await emitAck(w.clients[role].socket, event, row.payload(w));
        expect(res, `${event} by ${role}`).toMatchObject({ ok: true });
        if (res.ok) data.push(res.data);
      }
      await row.after?.(w, data);
    });
  }

  it('clock:sync answers every role with the server time', async () => {
    const w = await world('lobby');
    for (const role of ROLES) {
      const before = Date.now();
      const { serverNow } = await emitOk<{ serverNow: number }>(w.clients[role].socket, Events.clockSync, {});
      expect(serverNow).toBeGreaterThanOrEqual(before);
      expect(serverNow).toBeLessThanOrEqual(Date.now());
    }
  });

  it('a forbidden role is told so before its payload is even looked at', async () => {
    const w = await world('voting');
    const before = snapshot(w.s.id);
    for (const [event, payload] of [
      [Events.stepGoto, { stepId: '!!' }],
      [Events.voteOpen, 'open'],
      [Events.deviceMove, null],
    ] as const) {
      for (const role of ['host', 'participant', 'observer'] as const) {
        expectRefused(await emitAck(w.clients[role].socket, event, payload), 'forbidden', `${event} by ${role}`);
      }
    }
    expect(snapshot(w.s.id)).toEqual(before);
  });
});

describe('handshakes a stranger tries', () => {
  it('are refused with unauthorized: wrong facilitator key, wrong host key, unknown device token', async () => {
    const s = await createSession(server, { tables: 2 });
    const other = await createSession(server, { tables: 2 });
    const foreign = await joinDevice(server, other, 1);
    const base = { protocol: PROTOCOL_VERSION, sessionId: s.id };
    const attempts: [string, Record<string, unknown>][] = [
      ['a wrong facilitator key', { ...base, role: 'facilitator', key: 'wrongwrongwrongwrong' }],
      ["another session's facilitator key", { ...base, role: 'facilitator', key: other.facilitatorKey }],
      ['a host key that is not one', { ...base, role: 'host', table: 1, key: 'wrongwrongwrongwrong' }],
      ['the facilitator key as a host key', { ...base, role: 'host', table: 1, key: s.facilitatorKey }],
      ['the host key of table 1 for table 2', { ...base, role: 'host', table: 2, key: hostKeyOf(s, 1) }],
      ["another session's host key", { ...base, role: 'host', table: 1, key: hostKeyOf(other, 1) }],
      ['a host key for a table the session does not have', { ...base, role: 'host', table: 3, key: hostKeyOf(s, 3) }],
      ['an unknown device token', { ...base, role: 'device', token: 'nonexistenttoken0000' }],
      ["another session's device token", { ...base, role: 'device', token: foreign.token }],
    ];
    for (const [what, auth] of attempts) {
      const err = await connectError(server, auth);
      expect(err.data?.code, what).toBe('unauthorized');
    }
  });

  it('the right host key connects as the host of its own table only', async () => {
    const s = await createSession(server, { tables: 2 });
    const host = await tableHost(server, s, 2);
    expect(host.lastSessionState()!.id).toBe(s.id);
    // A host hears its own table's row of the overview, and never a tablet's state.
    await expect.poll(() => host.lastOverview()?.map((r) => r.table)).toEqual([2]);
    expect(host.overviews.every((rows) => rows.every((r) => r.table === 2))).toBe(true);
    expect(host.deviceStates).toEqual([]);
  });
});

describe('table hosts and signals', () => {
  it('a host may clear only its own table’s signal', async () => {
    const s = await createSession(server, { tables: 2 });
    const fac = await facilitator(server, s);
    await startSession(fac);
    const host1 = await tableHost(server, s, 1);
    const d1 = await joinDevice(server, s, 1);
    const d2 = await joinDevice(server, s, 2);
    await emitOk(d1.socket, Events.tableSignal, { signal: 'help', on: true });
    await emitOk(d2.socket, Events.tableSignal, { signal: 'help', on: true });
    const before = snapshot(s.id);

    expectRefused(await emitAck(host1.socket, Events.tableClearSignal, { table: 2, signal: 'help' }), 'forbidden', 'other table');
    expect(snapshot(s.id)).toEqual(before);
    expect(server.services.tables.signals(s.id).get(2)!.help).toBe(true);

    expect(await emitAck(host1.socket, Events.tableClearSignal, { table: 1, signal: 'help' })).toEqual({ ok: true, data: null });
    expect(server.services.tables.signals(s.id).get(1)!.help).toBe(false);
    // The table's tablets hear that their call was answered.
    await expect.poll(() => d1.deviceStates.at(-1)?.signals).toEqual({ ready: false, help: false });
    expect(d2.deviceStates.at(-1)!.signals.help).toBe(true);
    // The event log says who answered, without naming a device.
    expect(server.services.events.list(s.id).at(-1)).toMatchObject({ type: 'signal.cleared', data: { table: 1, signal: 'help', by: 'host' } });
  });
});

describe('the table document and the host', () => {
  const denials = (warn: { mock: { calls: unknown[][] } }): string[] => warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('Permission denied'));

  /** A started session (inbreng) with one point at table 1, a device board and a host board there. */
  async function hostedTable() {
    const s = await createSession(server, { tables: 2 });
    const fac = await facilitator(server, s);
    await startSession(fac);
    const d = await joinDevice(server, s, 1);
    const device = await tableProvider(server, s.id, 1, { device: d.token });
    const host = await tableProvider(server, s.id, 1, { host: hostKeyOf(s, 1) });
    const id = addPointTo(device, 'Een punt om te verbergen');
    const other = addPointTo(device, 'Een punt dat blijft');
    await waitForServerPoints(server, s.id, 1, 2);
    await expect.poll(() => host.points().length).toBe(2);
    return { s, fac, d, device, host, id, other };
  }

  const serverPoint = (sessionId: string, id: string) => server.services.pointsOf(sessionId, 1).find((p) => p.id === id)!;

  it('a host may hide a point and show it again; every tablet follows', async () => {
    const { s, device, host, id } = await hostedTable();
    pointsMap(host.doc).get(id)!.set('hidden', true);
    await expect.poll(() => serverPoint(s.id, id).hidden).toBe(true);
    await expect.poll(() => device.points().find((p) => p.id === id)!.hidden).toBe(true);
    pointsMap(host.doc).get(id)!.set('hidden', false);
    await expect.poll(() => serverPoint(s.id, id).hidden).toBe(false);
    await expect.poll(() => device.points().find((p) => p.id === id)!.hidden).toBe(false);
  });

  it("a device's attempt to hide a point is refused and the server keeps it visible", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { s, device, host, id, other } = await hostedTable();
      pointsMap(device.doc).get(id)!.set('hidden', true);
      await vi.waitFor(() => expect(denials(warn).some((m) => m.includes('host_only'))).toBe(true), WAIT);
      expect(serverPoint(s.id, id).hidden).toBe(false);
      // The host's view shows it too: the refused change was never relayed.
      pointsMap(host.doc).get(other)!.set('theme', 'participatie'); // an edit after it, to have something to wait for
      await expect.poll(() => serverPoint(s.id, other).theme).toBe('participatie');
      expect(host.points().find((p) => p.id === id)!.hidden).toBe(false);
    } finally {
      warn.mockRestore();
    }
  });

  it('sub-themes: a table makes them while collecting; only the host renames them', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { s, fac, device, host } = await hostedTable();
      const clusterLabel = () => server.services.store.read(tableDocName(s.id, 1), (d) => readClusters(d)[0]?.label);
      addCluster(device.doc, { id: 'c1', theme: 'samenwerking', round: null, label: 'Buurtcontact' });
      await expect.poll(clusterLabel).toBe('Buurtcontact');

      // A device renaming it is undone by the server; the host's rename stands.
      renameCluster(device.doc, 'c1', 'Iets anders');
      await vi.waitFor(() => expect(denials(warn).some((m) => m.includes('host_only'))).toBe(true), WAIT);
      await expect.poll(() => readClusters(device.doc)[0]?.label).toBe('Buurtcontact');
      expect(clusterLabel()).toBe('Buurtcontact');
      renameCluster(host.doc, 'c1', 'Contact in de buurt');
      await expect.poll(clusterLabel).toBe('Contact in de buurt');
      await expect.poll(() => readClusters(device.doc)[0]?.label).toBe('Contact in de buurt');

      // Outside a collecting step a new sub-theme is refused like a new point.
      await gotoStep(fac, 'stemmen');
      addCluster(device.doc, { id: 'c2', theme: 'participatie', round: null, label: 'Te laat' });
      await vi.waitFor(() => expect(denials(warn).some((m) => m.includes('step_locked'))).toBe(true), WAIT);
      await expect.poll(() => readClusters(device.doc).map((c) => c.id)).toEqual(['c1']);
    } finally {
      warn.mockRestore();
    }
  });

  it('a host key opens its own table only (401 for another table), and a facilitator key is no host key', async () => {
    const s = await createSession(server, { tables: 2 });
    expect(await yjsUpgradeStatus(server, `${s.id}/1`, [YJS_SUBPROTOCOL, `host.${hostKeyOf(s, 1)}`])).toBe(101);
    expect(await yjsUpgradeStatus(server, `${s.id}/2`, [YJS_SUBPROTOCOL, `host.${hostKeyOf(s, 1)}`])).toBe(401);
    expect(await yjsUpgradeStatus(server, `${s.id}/2`, [YJS_SUBPROTOCOL, `host.${hostKeyOf(s, 2)}`])).toBe(101);
    expect(await yjsUpgradeStatus(server, `${s.id}/1`, [YJS_SUBPROTOCOL, `host.${s.facilitatorKey}`])).toBe(401);
    expect(await yjsUpgradeStatus(server, `${s.id}/1`, [YJS_SUBPROTOCOL, 'host.wrongwrongwrongwrong'])).toBe(401);
    expect(await yjsUpgradeStatus(server, `${s.id}/1`, [`host.${hostKeyOf(s, 1)}`])).toBe(401);
  });

  it('a hidden point stays out of the vote, the overview and the projector board', async () => {
    const { s, fac, host, id, other } = await hostedTable();
    pointsMap(host.doc).get(id)!.set('hidden', true);
    await expect.poll(() => serverPoint(s.id, id).hidden).toBe(true);
    await expect.poll(() => fac.lastOverview()?.[0]?.points).toBe(1);
    const view = await viewer(server, s.id);
    await emitOk(fac.socket, Events.projectorSet, { spotlight: { kind: 'table', table: 1 } });
    await expect.poll(() => view.boardViews.at(-1)?.points.map((p) => p.id)).toEqual([other]);
    await gotoStep(fac, 'stemmen');
    const vote = await openVote(fac);
    expect(vote.items.map((i) => i.id)).toEqual([other]);
  });

  it('a hidden point stays out of the report', async () => {
    const { s, host, id, other } = await hostedTable();
    pointsMap(host.doc).get(id)!.set('hidden', true);
    await expect.poll(() => serverPoint(s.id, id).hidden).toBe(true);
    const res = await api(server, `/sessions/${s.id}/report.json`, { headers: { authorization: `Bearer ${s.facilitatorKey}` } });
    const report = Report.parse(res.body);
    expect(report.rounds.flatMap((r) => r.themes.flatMap((t) => t.points.map((p) => p.id)))).toEqual([other]);
    expect(report.totals.points).toBe(1);
    expect(report.tables[0]!.points).toBe(1);
  });

  // BUG (server/yjs/updateGuard.ts): a point that is created or replaced is not checked for `hidden`.
  it('a device cannot show a hidden point again by replacing it with a copy', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { s, device, host, id } = await hostedTable();
      pointsMap(host.doc).get(id)!.set('hidden', true);
      await expect.poll(() => device.points().find((p) => p.id === id)?.hidden).toBe(true);
      const old = pointsMap(device.doc).get(id)!;
      device.doc.transact(() => {
        const copy = new Y.Map<unknown>();
        for (const key of ['theme', 'createdAt', 'round', 'step']) copy.set(key, old.get(key));
        copy.set('text', new Y.Text('Een punt om te verbergen'));
        pointsMap(device.doc).set(id, copy);
      });
      await vi.waitFor(() => expect(denials(warn).length + (serverPoint(s.id, id).hidden ? 0 : 1)).toBeGreaterThan(0), WAIT);
      expect(serverPoint(s.id, id).hidden).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });

  // BUG (server/yjs/updateGuard.ts, onlyText): a string item is taken for typing wherever it lands.
  it('a device cannot show a hidden point again with a hand-made update (a string under "hidden")', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { s, device, host, id } = await hostedTable();
      pointsMap(host.doc).get(id)!.set('hidden', true);
      await expect.poll(() => device.points().find((p) => p.id === id)?.hidden).toBe(true);
      // What Y.Map#set does, but with string content (as Y.Text uses) instead of ContentAny.
      const point = pointsMap(device.doc).get(id)!;
      device.doc.transact((tr) => {
        const left = (point as unknown as { _map: Map<string, Y.Item> })._map.get('hidden')!;
        const clock = Y.getState(device.doc.store, device.doc.clientID);
        const item = new Y.Item(Y.createID(device.doc.clientID, clock), left, left.lastId, null, null, point as never, 'hidden', new Y.ContentString('n'));
        item.integrate(tr, 0);
      });
      expect(point.get('hidden')).toBe('n'); // not true: the point shows again on this tablet
      await vi.waitFor(() => expect(denials(warn).length + (serverPoint(s.id, id).hidden ? 0 : 1)).toBeGreaterThan(0), WAIT);
      expect(serverPoint(s.id, id).hidden).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });
});
