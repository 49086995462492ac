/**
 * Ballot secrecy: after a session with votes, nothing the server stores or reports ties a
 * ballot's choices to the device that cast it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Events } from '../shared/protocol.js';
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
  startSession,
  submitBallot,
  tableProvider,
  viewer,
  waitForServerPoints,
  type Client,
  type DeviceClient,
  WAIT,
} from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let server: TestServer;
let devices: DeviceClient[];
let view: Client;
let sessionId: string;
let facilitatorKey: string;
const ballotIds: string[] = [];
const voteIds: string[] = [];

/** Every string a device could be recognised by: its id, its token and the token's hash. */
const deviceMarks = () => devices.flatMap((d) => [d.deviceId, d.token, sha256(d.token)]);

type Row = Record<string, unknown>;
const asText = (v: unknown): string =>
  Buffer.isBuffer(v) ? v.toString('latin1') : v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : String(v);
const rowText = (row: Row) => Object.values(row).map(asText).join('\u0000');

function allTables(): string[] {
  const rows = server.services.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  return rows.map((r) => r.name);
}

const columns = (table: string) =>
  (server.services.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

beforeAll(async () => {
  server = await startTestServer();
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
});

afterAll(async () => {
  await closeClients();
  await server?.close();
});

describe('ballot secrecy in the database', () => {
  it('the ballots table has no device column and holds only vote, ballot id and choices', () => {
    expect(columns('ballots')).toEqual(['vote_id', 'ballot_id', 'choices']);
    const sql = server.services.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'ballots'").get() as { sql: string };
    // No rowid, so not even the storage order follows the order of voting.
    expect(sql.sql).toMatch(/WITHOUT ROWID/i);
  });

  it('the receipts that enforce one ballot per device hold neither choices nor ballot ids', () => {
    expect(columns('ballot_receipts')).toEqual(['vote_id', 'device_id', 'seat', 'seal']);
    const rows = server.services.db.prepare('SELECT * FROM ballot_receipts').all() as Row[];
    expect(rows).toHaveLength(devices.length + 3);
    for (const row of rows) {
      const text = rowText(row);
      for (const id of ballotIds) expect(text).not.toContain(id);
      expect(text).not.toContain('{');
    }
  });

  it('no row holds both a device mark and ballot choices or a ballot id', () => {
    const ballotRows = server.services.db.prepare('SELECT * FROM ballots').all() as Row[];
    expect(ballotRows).toHaveLength(devices.length + 3);
    const choiceStrings = [...new Set(ballotRows.map((r) => String(r.choices)))];
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
        for (const d of devices) expect(text, table).not.toContain(d.token);
      }
    }
    for (const file of fs.readdirSync(server.dataDir)) {
      const bytes = fs.readFileSync(path.join(server.dataDir, file)).toString('latin1');
      for (const d of devices) expect(bytes.includes(d.token), file).toBe(false);
    }
  });

  it('a seal cannot be matched to a device from the database alone', () => {
    const receipts = server.services.db.prepare('SELECT vote_id, device_id, seal FROM ballot_receipts').all() as {
      vote_id: string;
      device_id: string;
      seal: string;
    }[];
    const deviceRows = server.services.db.prepare('SELECT id, token_hash FROM devices').all() as { id: string; token_hash: string }[];
    const ballots = server.services.db.prepare('SELECT vote_id, ballot_id FROM ballots').all() as { vote_id: string; ballot_id: string }[];
    const seals = new Set(receipts.map((r) => r.seal));
    // Whoever holds the database has the ids and token hashes, but those do not recreate a seal.
    for (const b of ballots) {
      for (const d of deviceRows) {
        for (const secret of [d.id, d.token_hash]) {
          expect(seals.has(sha256(`${b.vote_id}\n${b.ballot_id}\n${secret}`))).toBe(false);
        }
      }
    }
  });

  it('the event log never names a device or a ballot', () => {
    const rows = server.services.db.prepare('SELECT * FROM event_log').all() as Row[];
    expect(rows.map((r) => r.type)).toEqual(expect.arrayContaining(['session.created', 'vote.opened', 'vote.closed']));
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
      for (const r of vote.results) expect(Object.keys(r).sort()).toEqual(['itemId', 'rank', 'table', 'text', 'theme', 'tied', 'total']);
    }
  });

  it('tallies pushed to the screens carry only sums', () => {
    expect(view.tallies.length).toBeGreaterThan(0);
    for (const tally of view.tallies) {
      expect(Object.keys(tally).sort()).toEqual(['ballots', 'eligible', 'totals', 'voteId']);
      const text = JSON.stringify(tally);
      for (const m of [...deviceMarks(), ...ballotIds]) expect(text).not.toContain(m);
    }
    for (const state of view.sessionStates) {
      const text = JSON.stringify(state);
      for (const m of [...deviceMarks(), ...ballotIds]) expect(text).not.toContain(m);
    }
  });

  it('a device is told only that it voted, never what', () => {
    for (const d of devices) {
      for (const state of d.deviceStates) {
        expect(Object.keys(state).sort()).toEqual(['evaluatedIn', 'label', 'mustPickTable', 'signals', 'table', 'votedIn']);
        expect(Object.keys(state.signals).sort()).toEqual(['help', 'ready']);
        for (const id of state.votedIn) expect(voteIds).toContain(id);
        const text = JSON.stringify(state);
        for (const m of ballotIds) expect(text).not.toContain(m);
      }
    }
  });
});
