/**
 * Ballot secrecy: after sessions with votes, nothing the server stores, sends or reports ties a
 * ballot's choices to the device that cast it. The first session runs two dot votes; the second
 * votes with every method and source, with a shared tablet whose seats each vote, and ends with
 * a blind vote still open. Everything the server sent to any client of either is recorded.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BallotBox } from '../server/ballotBox.js';
import { receiptBox, voteBox } from '../server/votes.js';
import { BREAKDOWN_ITEMS, Events, type Tally } from '../shared/protocol.js';
import { Report } from '../shared/report.js';
import {
  addPointTo,
  api,
  closeClients,
  createSession,
  emitAck,
  facilitator,
  gotoStep,
  joinDevice,
  newBallotId,
  openVote,
  recordWire,
  setSeats,
  startSession,
  submitBallot,
  submitChoices,
  tableHost,
  tableProvider,
  viewer,
  waitForServerPoints,
  type BallotChoiceFields,
  type Client,
  type DeviceClient,
  type WireMessage,
  WAIT,
} from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { sqliteDir } from './helpers/storage.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let server: TestServer;
/** The first session's devices, view, and votes (two dot votes). */
let devices: DeviceClient[];
let view: Client;
let sessionId: string;
let facilitatorKey: string;
const voteIds: string[] = [];
/** The second session: every method, a shared tablet, a blind vote left open. */
const every = { sessionId: '', facilitatorKey: '', voteIds: [] as string[], devices: [] as DeviceClient[], shared: null as DeviceClient | null };
/** Ballot ids of both sessions (a changed ballot keeps its id, so each is one row). */
const ballotIds: string[] = [];
/** Everything the server sent to any client of the helpers while the sessions ran. */
const wire: WireMessage[] = [];

const allDevices = () => [...devices, ...every.devices];
/** Every string a device could be recognised by: its id, its token and the token's hash. */
const deviceMarks = () => allDevices().flatMap((d) => [d.deviceId, d.token, sha256(d.token)]);
/** The short code a device shows (e.g. "K7Q"), matched as a word only: it could occur inside a random id. */
const labelPatterns = () => allDevices().map((d) => new RegExp(`(?<![A-Za-z0-9_-])${d.deviceStates[0]!.label}(?![A-Za-z0-9_-])`));
/** The stored choices of every ballot, as the ballots table holds them. */
const storedChoices = () => [...voteIds, ...every.voteIds].flatMap((v) => new BallotBox(server.services.db).entries(voteBox(v)).map(([, b]) => b));
/** Keys a ballot's choices travel under on the way in; nothing the server sends out should carry them. */
const CHOICE_KEYS = ['"dots":{', '"ranking":[', '"points":{', '"stances":{'];
/** The counters a result row may carry: sums and what is derived from them. */
const RESULT_KEYS = [
  ...['id', 'rank', 'tied', 'score', 'firsts', 'ranked', 'support', 'oppose', 'abstain', 'cast', 'supportPct', 'adopted'],
  ...['levels', 'graders', 'accepted', 'acceptPct', 'spread', 'divided'],
];

type Row = Record<string, unknown>;
const asText = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('latin1') : v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : String(v));
const rowText = (row: Row) => Object.values(row).map(asText).join('\u0000');

/** Every receipt of both sessions' votes, as its slot holds it. */
function allReceipts(): { vote_id: string; voter: string; seal: string; table: number | null; seat: number }[] {
  return [...voteIds, ...every.voteIds].flatMap((v) =>
    new BallotBox(server.services.db)
      .entries(receiptBox(v))
      .map(([voter, body]) => ({ vote_id: v, voter, ...(JSON.parse(body) as { seal: string; table: number | null; seat: number }) })),
  );
}

/** Every table of the main file and of the ballot box, schema-qualified. */
function allTables(): string[] {
  return ['main', 'box'].flatMap((schema) => {
    const rows = server.services.db
      .prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all() as { name: string }[];
    return rows.map((r) => `${schema}.${r.name}`);
  });
}

/** Column names of `schema.table`. */
const columns = (qualified: string) => {
  const [schema, table] = qualified.split('.');
  return (server.services.db.prepare(`PRAGMA ${schema}.table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
};

beforeAll(async () => {
  server = await startTestServer();
  recordWire((m) => wire.push(m));
  await dotSession();
  await everyMethodSession();
  recordWire(null);
}, 30_000);

/** Two tables, four devices: a closed dot vote in which one device changed its mind, and an open one. */
async function dotSession() {
  const s = await createSession(server, { tables: 2 });
  sessionId = s.id;
  facilitatorKey = s.facilitatorKey;
  const fac = await facilitator(server, s);
  await startSession(fac);
  view = await viewer(server, s.id);
  devices = [await joinDevice(server, s, 1), await joinDevice(server, s, 1), await joinDevice(server, s, 2), await joinDevice(server, s, 2)];
  const b1 = await tableProvider(server, s.id, 1, { device: devices[0]!.token });
  const b2 = await tableProvider(server, s.id, 2, { device: devices[2]!.token });
  const items = [addPointTo(b1, 'Punt een'), addPointTo(b1, 'Punt twee'), addPointTo(b2, 'Punt drie')];
  await waitForServerPoints(server, s.id, 1, 2);
  await waitForServerPoints(server, s.id, 2, 1);
  await gotoStep(fac, 'stemmen');

  // A closed vote in which one device changed its mind, and an open vote.
  const first = await openVote(fac, { budget: 3 });
  voteIds.push(first.id);
  const ballots = devices.map(() => newBallotId());
  ballotIds.push(...ballots);
  for (const [i, d] of devices.entries()) {
    expect(await submitBallot(d, first.id, ballots[i]!, { [items[i % 3]!]: 1 + (i % 3) })).toMatchObject({ ok: true });
  }
  expect(await submitBallot(devices[0]!, first.id, ballots[0]!, { [items[2]!]: 3 })).toMatchObject({ ok: true, data: { changed: true } });
  await emitAck(fac.socket, Events.voteClose, { voteId: first.id });
  const second = await openVote(fac, { budget: 2 });
  voteIds.push(second.id);
  for (const d of devices.slice(0, 3)) {
    const id = newBallotId();
    ballotIds.push(id);
    expect(await submitBallot(d, second.id, id, { [items[0]!]: 1, [items[1]!]: 1 })).toMatchObject({ ok: true });
  }
  await vi.waitFor(() => expect(view.lastTally()).toMatchObject({ voteId: second.id, ballots: 3 }), WAIT);
}

/**
 * Three tables: three tablets at table 1, one at table 2, and table 3 shares one tablet between
 * three seats. Ranking per table, points over all tables, dots on the plenary board, and a blind
 * recommendations vote (left open, one voter changes their stances). A table host and a
 * projector watch throughout; the reports are fetched at the end.
 */
async function everyMethodSession() {
  const s = await createSession(server, { tables: 3 });
  every.sessionId = s.id;
  every.facilitatorKey = s.facilitatorKey;
  const fac = await facilitator(server, s);
  await startSession(fac);
  const projector = await viewer(server, s.id);
  await tableHost(server, s, 1);
  const t1 = [await joinDevice(server, s, 1), await joinDevice(server, s, 1), await joinDevice(server, s, 1)];
  const t2 = await joinDevice(server, s, 2);
  const shared = await joinDevice(server, s, 3);
  every.devices.push(...t1, t2, shared);
  every.shared = shared;
  const [b1, b2, b3] = [
    await tableProvider(server, s.id, 1, { device: t1[0]!.token }),
    await tableProvider(server, s.id, 2, { device: t2.token }),
    await tableProvider(server, s.id, 3, { device: shared.token }),
  ];
  const x1 = addPointTo(b1, 'Meer bankjes');
  const x2 = addPointTo(b1, 'Betere verlichting');
  const y1 = addPointTo(b2, 'Een buurtapp');
  const z1 = addPointTo(b3, 'Vaker overleg');
  await waitForServerPoints(server, s.id, 1, 2);
  await waitForServerPoints(server, s.id, 2, 1);
  await waitForServerPoints(server, s.id, 3, 1);
  await gotoStep(fac, 'stemmen');
  await setSeats(fac, 3, 3);

  const cast = async (d: DeviceClient, voteId: string, choices: BallotChoiceFields, seat?: number) => {
    const id = newBallotId();
    ballotIds.push(id);
    expect(await submitChoices(d, voteId, id, choices, seat)).toMatchObject({ ok: true, data: { changed: true, seat: seat ?? null } });
    return id;
  };
  /** Every voter of the room: the three tablets of table 1, the one of table 2, and the three seats of table 3. */
  const everyone = async (voteId: string, choose: (i: number, table: number) => BallotChoiceFields) => {
    for (const [i, d] of t1.entries()) await cast(d, voteId, choose(i, 1));
    await cast(t2, voteId, choose(3, 2));
    for (const seat of [1, 2, 3]) await cast(shared, voteId, choose(3 + seat, 3), seat);
  };
  const close = async (voteId: string) => {
    await emitAck(fac.socket, Events.voteClose, { voteId });
    every.voteIds.push(voteId);
  };

  const ranking = await openVote(fac, { method: 'ranking', source: 'table' });
  await everyone(ranking.id, (i, table) => ({ ranking: table === 1 ? (i % 2 ? [x1, x2] : [x2]) : table === 2 ? [y1] : [z1] }));
  await close(ranking.id);

  const points = await openVote(fac, { method: 'points', budget: 10 });
  await everyone(points.id, (i) => ({ points: { [[x1, x2, y1, z1][i % 4]!]: 10 - i, [z1]: i % 2 } }));
  await close(points.id);

  await emitAck(fac.socket, Events.plenaryHarvest, { from: 'table', table: 1, pointIds: [x1, x2] });
  await emitAck(fac.socket, Events.plenaryHarvest, { from: 'table', table: 3, pointIds: [z1] });
  const plenary = await openVote(fac, { method: 'dots', source: 'plenary', budget: 2, maxPerItem: 2 });
  await everyone(plenary.id, (i) => ({ dots: { [plenary.items[i % plenary.items.length]!.id]: 1 + (i % 2) } }));
  await close(plenary.id);

  const recs = await openVote(fac, { method: 'recommendations', recommendations: ['Advies een', 'Advies twee'], blind: true });
  every.voteIds.push(recs.id);
  const stance = (i: number) => (['support', 'oppose', 'abstain'] as const)[i % 3]!;
  await everyone(recs.id, (i) => ({ stances: { r1: stance(i), r2: stance(i + 1) } }));
  // The first tablet of table 1 changes its stances: the same ballot id, other choices.
  const changedId = ballotIds.at(-7)!;
  const changed = await submitChoices(t1[0]!, recs.id, changedId, { stances: { r1: 'oppose', r2: 'oppose' } });
  expect(changed).toMatchObject({ ok: true, data: { changed: true } });
  await vi.waitFor(() => {
    expect(fac.lastTally()).toMatchObject({ voteId: recs.id, ballots: 7, hidden: false });
    expect(projector.lastTally()).toMatchObject({ voteId: recs.id, ballots: 7, hidden: true, results: [] });
  }, WAIT);

  const auth = { authorization: `Bearer ${s.facilitatorKey}` };
  for (const file of ['report.json', 'report.md', 'report.md?lang=en']) {
    expect((await api(server, `/sessions/${s.id}/${file}`, { headers: auth })).status, file).toBe(200);
  }
}

afterAll(async () => {
  await closeClients();
  await server?.close();
});

describe('ballot secrecy in the database', () => {
  it('ballots lie in the ballot box, in equal-sized slots that hold only a ballot id and choices', () => {
    expect(columns('box.slots')).toEqual(['slot', 'box', 'body']);
    expect(allTables()).not.toContain('main.ballots');
    let stored = 0;
    const methods = new Set<string>();
    for (const voteId of [...voteIds, ...every.voteIds]) {
      const sizes = server.services.db.prepare('SELECT DISTINCT length(body) AS n FROM box.slots WHERE box = ?').all(voteBox(voteId));
      expect(sizes, 'one slot size per vote').toHaveLength(1);
      for (const [ballotId, body] of new BallotBox(server.services.db).entries(voteBox(voteId))) {
        stored += 1;
        expect(ballotIds).toContain(ballotId);
        for (const m of deviceMarks()) expect(body).not.toContain(m);
        const choices = JSON.parse(body) as Record<string, unknown>;
        methods.add(String(choices.method));
        // Only the method and its one choice field: no seat, no table, no device.
        expect(Object.keys(choices).sort()).toEqual(['method', choices.method === 'recommendations' ? 'stances' : String(choices.method)].sort());
        expect(body).not.toMatch(/seat|device|table/i);
      }
    }
    expect(stored).toBe(ballotIds.length);
    expect([...methods].sort()).toEqual(['dots', 'points', 'ranking', 'recommendations']);
  });

  it('the receipts that enforce one ballot per device hold no device id, no choices and no ballot id', () => {
    const rows = allReceipts();
    expect(rows).toHaveLength(ballotIds.length);
    for (const row of rows) {
      const text = rowText(row);
      for (const id of ballotIds) expect(text).not.toContain(id);
      for (const m of deviceMarks()) expect(text).not.toContain(m);
      expect(Object.keys(row).sort()).toEqual(['seal', 'seat', 'table', 'vote_id', 'voter']);
    }
    // The shared tablet's seats voted; their receipts name the seat of the table, not the tablet.
    const seated = rows.filter((r) => Number(r.seat) > 0);
    expect(seated).toHaveLength(3 * every.voteIds.length);
    for (const row of seated) expect(row.voter).toBe(`seat:3:${String(row.seat)}`);
  });

  it('no row holds both a device mark and ballot choices or a ballot id', () => {
    const choiceStrings = [...voteIds, ...every.voteIds].flatMap((v) => new BallotBox(server.services.db).entries(voteBox(v)).map(([, b]) => b));
    expect(choiceStrings).toHaveLength(ballotIds.length);
    let rowsChecked = 0;
    for (const table of allTables()) {
      for (const row of server.services.db.prepare(`SELECT * FROM ${table}`).all() as Row[]) {
        rowsChecked += 1;
        const text = rowText(row);
        const hasBallot = ballotIds.some((id) => text.includes(id)) || choiceStrings.some((c) => text.includes(c));
        const hasDevice = deviceMarks().some((m) => text.includes(m));
        expect(hasBallot && hasDevice, `${table}: ${text.slice(0, 200)}`).toBe(false);
      }
    }
    expect(rowsChecked).toBeGreaterThan(20);
  });

  it('no device token is stored anywhere, not even in the data dir files', () => {
    for (const table of allTables()) {
      for (const row of server.services.db.prepare(`SELECT * FROM ${table}`).all() as Row[]) {
        const text = rowText(row);
        for (const d of allDevices()) expect(text, table).not.toContain(d.token);
      }
    }
    const dir = sqliteDir(server.dataDir);
    for (const file of fs.readdirSync(dir)) {
      const bytes = fs.readFileSync(path.join(dir, file)).toString('latin1');
      for (const d of allDevices()) expect(bytes.includes(d.token), file).toBe(false);
    }
  });

  it('a receipt cannot be matched to a device or a ballot from the database alone', () => {
    const receipts = allReceipts();
    const deviceRows = server.services.db.prepare('SELECT id, token_hash FROM devices').all() as { id: string; token_hash: string }[];
    const ballots = [...voteIds, ...every.voteIds].flatMap((v) => new BallotBox(server.services.db).entries(voteBox(v)).map(([id]) => ({ v, id })));
    const seals = new Set(receipts.map((r) => r.seal));
    const voters = new Set(receipts.map((r) => r.voter));
    // Whoever holds the database has the ids and token hashes, but those recreate neither a seal nor a voter.
    for (const d of deviceRows) {
      for (const secret of [d.id, d.token_hash]) {
        for (const b of ballots) expect(seals.has(sha256(`${b.v}\n${b.id}\n${secret}`))).toBe(false);
        for (const v of [...voteIds, ...every.voteIds]) expect(voters.has(sha256(`voter\n${v}\n${secret}`))).toBe(false);
      }
    }
  });

  it('the event log never names a device or a ballot', () => {
    const rows = server.services.db.prepare('SELECT * FROM event_log').all() as Row[];
    expect(rows.map((r) => r.type)).toEqual(expect.arrayContaining(['session.created', 'vote.opened', 'vote.closed', 'table.seats']));
    for (const row of rows) {
      const text = rowText(row);
      for (const m of [...deviceMarks(), ...ballotIds]) expect(text).not.toContain(m);
    }
  });
});

describe('ballot secrecy in what the server sends', () => {
  it('the JSON and Markdown reports name no device or ballot', async () => {
    const auth = { authorization: `Bearer ${facilitatorKey}` };
    const json = await api(server, `/sessions/${sessionId}/report.json`, { headers: auth });
    const report = Report.parse(json.body);
    expect(report.votes.map((v) => v.id)).toEqual(voteIds);
    expect(report.votes.map((v) => v.ballots)).toEqual([devices.length, 3]);
    const md = await api(server, `/sessions/${sessionId}/report.md`, { headers: auth });
    const mdEn = await api(server, `/sessions/${sessionId}/report.md?lang=en`, { headers: auth });
    for (const text of [json.text, md.text, mdEn.text]) {
      for (const m of [...deviceMarks(), ...ballotIds]) expect(text).not.toContain(m);
    }
    // Per vote only sums are reported: no object carries choices of one ballot.
    for (const vote of report.votes) {
      for (const r of vote.results) expect(Object.keys(r).sort()).toEqual(['itemId', 'rank', 'score', 'table', 'text', 'theme', 'tied', 'total']);
    }
  });

  it('nothing the server sent puts a device id, token or label next to a ballot or its choices', () => {
    // The scan saw every kind of message, from both sessions, with every method.
    expect(new Set(wire.map((m) => m.via))).toEqual(new Set(['api', 'event', 'ack']));
    expect(wire.filter((m) => m.via === 'ack' && m.name === Events.ballotSubmit).length).toBeGreaterThanOrEqual(ballotIds.length);
    expect(new Set(wire.filter((m) => m.via === 'event').map((m) => m.name))).toEqual(
      new Set([Events.sessionState, Events.deviceState, Events.voteTally, Events.tablesOverview, Events.plenaryBoard, Events.consoleControl]),
    );
    const marks = deviceMarks();
    const labels = labelPatterns();
    const choices = storedChoices();
    for (const m of wire) {
      const namesDevice = marks.some((x) => m.text.includes(x)) || labels.some((re) => re.test(m.text));
      const carriesChoices =
        ballotIds.some((id) => m.text.includes(id)) || choices.some((c) => m.text.includes(c)) || CHOICE_KEYS.some((k) => m.text.includes(k));
      expect(namesDevice && carriesChoices, `${m.via} ${m.name} to ${m.role ?? 'api'}: ${m.text.slice(0, 300)}`).toBe(false);
    }
  });

  it('device ids and token hashes are never sent; a token only in its join response, a label only where devices are listed', () => {
    const listsDevices = new Set<string>([
      `event ${Events.deviceState}`,
      `event ${Events.tablesOverview}`,
      `ack ${Events.deviceJoinTable}`,
      `ack ${Events.tableSignal}`,
    ]);
    const labels = labelPatterns();
    for (const m of wire) {
      const where = `${m.via} ${m.name}`;
      for (const d of allDevices()) {
        expect(m.text, where).not.toContain(d.deviceId);
        expect(m.text, where).not.toContain(sha256(d.token));
        if (m.text.includes(d.token)) expect(where).toBe('api POST /join');
      }
      if (labels.some((re) => re.test(m.text))) expect(listsDevices, `${where}: ${m.text.slice(0, 300)}`).toContain(where);
    }
  });

  it("the every-method session's JSON and Markdown reports name no device, seat owner or ballot", () => {
    const reports = wire.filter((m) => m.via === 'api' && m.name.startsWith(`GET /sessions/${every.sessionId}/report`));
    expect(reports.map((r) => r.name.split('/').at(-1))).toEqual(['report.json', 'report.md', 'report.md?lang=en']);
    const choices = storedChoices();
    for (const r of reports) {
      // The JSON report is about these votes: each of them is in it.
      if (r.name.endsWith('report.json')) for (const id of every.voteIds) expect(r.text).toContain(id);
      for (const m of [...deviceMarks(), ...ballotIds, ...choices]) expect(r.text, r.name).not.toContain(m);
      for (const re of labelPatterns()) expect(r.text, r.name).not.toMatch(re);
    }
  });

  it('tallies pushed to the screens carry only sums', () => {
    expect(view.tallies.length).toBeGreaterThan(0);
    const pushed = wire.filter((m) => m.via === 'event' && m.name === Events.voteTally);
    const tallies = pushed.map((m) => (JSON.parse(m.text) as [Tally])[0]);
    expect(new Set(tallies.map((t) => t.method))).toEqual(new Set(['dots', 'ranking', 'points', 'recommendations']));
    // The blind vote is still open: only the facilitator saw its results.
    const blind = every.voteIds.at(-1)!;
    const blindTallies = pushed.map((m) => ({ role: m.role, tally: (JSON.parse(m.text) as [Tally])[0] })).filter((t) => t.tally.voteId === blind);
    // Tablets get no tallies while a vote runs (the blind vote is still open here).
    expect(new Set(blindTallies.map((t) => t.role))).toEqual(new Set(['facilitator', 'host', 'viewer']));
    for (const { role, tally } of blindTallies) {
      if (role === 'facilitator') expect(tally.hidden).toBe(false);
      else expect(tally, role).toMatchObject({ hidden: true, results: [], tables: [] });
    }
    for (const tally of [...view.tallies, ...tallies]) {
      expect(Object.keys(tally).sort()).toEqual(['ballots', 'byTable', 'eligible', 'hidden', 'method', 'results', 'tables', 'voteId']);
      // The result per table: sums over at least three ballots at every table, or nothing.
      if (tally.byTable.status === 'shown') for (const t of tally.byTable.tables) expect(t.ballots).toBeGreaterThanOrEqual(3);
      // Per table: figures of the whole result's first items, nothing else.
      if (tally.byTable.status === 'shown') {
        for (const t of tally.byTable.tables)
          for (const id of Object.keys(t.scores)) expect(tally.results.slice(0, BREAKDOWN_ITEMS).map((r) => r.id)).toContain(id);
      }
      for (const row of [...tally.results, ...tally.tables.flatMap((t) => t.results)]) {
        for (const key of Object.keys(row)) expect(RESULT_KEYS, `a result row carries ${key}`).toContain(key);
      }
      for (const t of tally.tables) {
        expect(Object.keys(t).sort()).toEqual(['ballots', 'results', 'table', 'withheld']);
        // A table where one or two voted shows no results: they would tell what those few chose.
        if (t.ballots < 3) expect(t).toMatchObject({ withheld: true, results: [] });
      }
      const text = JSON.stringify(tally);
      for (const m of [...deviceMarks(), ...ballotIds]) expect(text).not.toContain(m);
    }
    for (const state of view.sessionStates) {
      const text = JSON.stringify(state);
      for (const m of [...deviceMarks(), ...ballotIds]) expect(text).not.toContain(m);
    }
  });

  it('a device is told only that it voted, never what', () => {
    for (const d of allDevices()) {
      for (const state of d.deviceStates) {
        expect(Object.keys(state).sort()).toEqual(['evaluatedIn', 'label', 'mustPickTable', 'seats', 'seatsVoted', 'signals', 'table', 'votedIn']);
        expect(Object.keys(state.signals).sort()).toEqual(['help', 'ready']);
        for (const id of state.votedIn) expect([...voteIds, ...every.voteIds]).toContain(id);
        for (const seat of state.seatsVoted) expect(seat).toEqual(expect.any(Number));
        const text = JSON.stringify(state);
        for (const m of ballotIds) expect(text).not.toContain(m);
      }
    }
  });
});
