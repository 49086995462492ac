import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BallotBox } from '../server/ballotBox.js';
import { receiptBox, voteBox } from '../server/votes.js';
import { Events, PROTOCOL_VERSION, type Ack, type DeviceState, type TableOverview, type VoteView } from '../shared/protocol.js';
import {
  addPointTo,
  api,
  closeClients,
  connectClient,
  countTotals,
  connectError,
  createSession,
  emitAck,
  emitOk,
  facilitator,
  gotoStep,
  joinDevice,
  newBallotId,
  openVote,
  startSession,
  submitBallot,
  tableProvider,
  tallySums,
  viewer,
  waitForServerPoints,
  type Client,
  type DeviceClient,
} from './helpers/clients.js';
import { countRows, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await closeClients();
  await server?.close();
});

/** Totals and ballot count as the server keeps them. */
function serverCount(voteId: string) {
  const vote = server.services.votes.get(voteId);
  if (!vote) throw new Error(`no vote ${voteId}`);
  const { count, ballots } = server.services.votes.count(vote);
  return { totals: countTotals(count), ballots, rows: new BallotBox(server.services.db).size(voteBox(voteId)) };
}

function expectRefused(res: Ack<unknown>, code: string) {
  expect(res.ok, JSON.stringify(res)).toBe(false);
  if (!res.ok) {
    expect(res.error.code).toBe(code);
    expect(res.error.message.length).toBeGreaterThan(0);
  }
}

/**
 * A session with two tables, three devices that picked a table and four points to vote on,
 * written in the inbreng step; the session is in its stemmen step, with no vote open yet.
 */
async function votingSession() {
  const s = await createSession(server, { tables: 2 });
  const fac = await facilitator(server, s);
  const [view, d1, d2, d3] = await Promise.all([
    viewer(server, s.id),
    joinDevice(server, s, 1),
    joinDevice(server, s, 1),
    joinDevice(server, s, 2),
    startSession(fac),
  ]);
  const [b1, b3] = await Promise.all([tableProvider(server, s.id, 1, { device: d1.token }), tableProvider(server, s.id, 2, { device: d3.token })]);
  const p = {
    a: addPointTo(b1, 'Korte lijnen met de gemeente', 'communicatie'),
    b: addPointTo(b1, 'Meer groen in de wijk', 'participatie'),
    c: addPointTo(b3, 'Spreekuur in het buurthuis', 'samenwerking'),
    d: addPointTo(b3, 'Jongeren betrekken', 'participatie'),
  };
  addPointTo(b3, '   ', 'communicatie'); // an empty point is not a vote item
  await waitForServerPoints(server, s.id, 1, 2);
  await waitForServerPoints(server, s.id, 2, 2);
  await gotoStep(fac, 'stemmen');
  return { s, fac, view, d1, d2, d3, b1, b3, p };
}

describe('handshake', () => {
  afterEach(closeClients);

  it('refuses a client that speaks another protocol version', async () => {
    const s = await createSession(server);
    const err = await connectError(server, { protocol: PROTOCOL_VERSION + 1, role: 'viewer', sessionId: s.id });
    expect(err.data?.code).toBe('protocol_mismatch');
    const missing = await connectError(server, { role: 'viewer', sessionId: s.id });
    expect(missing.data?.code).toBe('protocol_mismatch');
  });

  it('refuses a wrong facilitator key', async () => {
    const s = await createSession(server);
    const other = await createSession(server);
    for (const key of ['wrongwrongwrongwrong', other.facilitatorKey]) {
      const err = await connectError(server, { protocol: PROTOCOL_VERSION, role: 'facilitator', sessionId: s.id, key });
      expect(err.data?.code).toBe('unauthorized');
    }
  });

  it("refuses an unknown device token and another session's token", async () => {
    const s = await createSession(server);
    const other = await createSession(server);
    const foreign = await joinDevice(server, other);
    for (const token of ['nonexistenttoken0000', foreign.token]) {
      const err = await connectError(server, { protocol: PROTOCOL_VERSION, role: 'device', sessionId: s.id, token });
      expect(err.data?.code).toBe('unauthorized');
    }
  });

  it('refuses an unknown session and a malformed handshake', async () => {
    const err = await connectError(server, { protocol: PROTOCOL_VERSION, role: 'viewer', sessionId: 'NoSuchSession' });
    expect(err.data?.code).toBe('session_not_found');
    const s = await createSession(server);
    for (const auth of [
      { protocol: PROTOCOL_VERSION, role: 'admin', sessionId: s.id },
      { protocol: PROTOCOL_VERSION, role: 'facilitator', sessionId: s.id },
      { protocol: PROTOCOL_VERSION, role: 'viewer', sessionId: 'bad id!' },
    ]) {
      expect((await connectError(server, auth)).data?.code).toBe('bad_request');
    }
  });

  it('sends each role its full state on connect', async () => {
    const s = await createSession(server, { tables: 3 });
    const fac = await facilitator(server, s);
    expect(fac.lastSessionState()).toMatchObject({ id: s.id, joinCode: s.joinCode, tables: 3, vote: null });
    expect(fac.lastSessionState()!.joinUrl.endsWith(`/j/${s.joinCode}`)).toBe(true);
    expect(fac.lastOverview()).toEqual([1, 2, 3].map((table) => emptyRow(table)));
    const device = await joinDevice(server, s);
    expect(device.deviceStates.at(-1)).toEqual({
      table: null,
      label: expect.stringMatching(/^[A-Z0-9]{3}$/) as string,
      mustPickTable: false,
      signals: { ready: false, help: false },
      votedIn: [],
      seats: 0,
      seatsVoted: [],
      evaluatedIn: [],
    });
    expect(device.overviews).toEqual([]);
    const view = await viewer(server, s.id);
    expect(view.lastSessionState()!.id).toBe(s.id);
    expect(view.overviews).toEqual([]);
    expect(view.deviceStates).toEqual([]);
  });
});

describe('role matrix', () => {
  let ctx: Awaited<ReturnType<typeof votingSession>>;
  let roles: Record<'facilitator' | 'device' | 'viewer', Client>;
  let voteId: string;

  beforeAll(async () => {
    ctx = await votingSession();
    roles = { facilitator: ctx.fac, device: ctx.d1, viewer: ctx.view };
  });
  // These clients are shared by the tests of this block (which build on each other).
  afterAll(closeClients);

  const votesInSession = () => countRows(server, 'votes', 'WHERE session_id = ?', ctx.s.id);

  it('vote:open: facilitator only', async () => {
    for (const role of ['device', 'viewer'] as const) {
      expectRefused(await emitAck(roles[role].socket, Events.voteOpen, { budget: 3 }), 'forbidden');
    }
    expect(votesInSession()).toBe(0);
    const res = await emitAck<VoteView>(roles.facilitator.socket, Events.voteOpen, { budget: 3 });
    expect(res.ok).toBe(true);
    if (res.ok) voteId = res.data.id;
    expect(votesInSession()).toBe(1);
  });

  it('ballot:submit: device only', async () => {
    const payload = () => ({ voteId, ballotId: newBallotId(), choices: { method: 'dots', dots: { [ctx.p.a]: 1 } } });
    for (const role of ['facilitator', 'viewer'] as const) {
      expectRefused(await emitAck(roles[role].socket, Events.ballotSubmit, payload()), 'forbidden');
    }
    expect(serverCount(voteId).ballots).toBe(0);
    expect(new BallotBox(server.services.db).size(receiptBox(voteId))).toBe(0);
    const res = await emitAck(roles.device.socket, Events.ballotSubmit, payload());
    expect(res).toMatchObject({ ok: true, data: { voteId, changed: true } });
    expect(serverCount(voteId)).toMatchObject({ ballots: 1, rows: 1 });
  });

  it('vote:close: facilitator only', async () => {
    for (const role of ['device', 'viewer'] as const) {
      expectRefused(await emitAck(roles[role].socket, Events.voteClose, { voteId }), 'forbidden');
    }
    expect(server.services.votes.get(voteId)!.status).toBe('open');
    const res = await emitAck<VoteView>(roles.facilitator.socket, Events.voteClose, { voteId });
    expect(res).toMatchObject({ ok: true, data: { id: voteId, status: 'closed' } });
    expect(server.services.votes.get(voteId)!.status).toBe('closed');
  });

  it('device:joinTable: device only', async () => {
    const devicesBefore = server.services.db.prepare('SELECT id, table_number FROM devices ORDER BY id').all();
    for (const role of ['facilitator', 'viewer'] as const) {
      expectRefused(await emitAck(roles[role].socket, Events.deviceJoinTable, { table: 2 }), 'forbidden');
    }
    expect(server.services.db.prepare('SELECT id, table_number FROM devices ORDER BY id').all()).toEqual(devicesBefore);
    const res = await emitAck<DeviceState>(roles.device.socket, Events.deviceJoinTable, { table: 2 });
    expect(res).toMatchObject({ ok: true, data: { table: 2, votedIn: [voteId] } });
    expect(server.services.deviceById(ctx.d1.deviceId)!.table).toBe(2);
  });
});

describe('malformed payloads', () => {
  afterEach(closeClients);

  it('vote:open refuses bad payloads with issues and opens nothing', async () => {
    const { s, fac } = await votingSession();
    const bad: unknown[] = [
      { budget: 0 },
      { budget: 21 },
      { budget: '3' },
      { budget: 2.5 },
      { budget: 3, maxPerItem: 4 },
      { budget: 3, maxPerItem: 0 },
      { method: 'approval' },
      { method: 'points', budget: 1001 },
      { method: 'recommendations', threshold: 101 },
      { source: 'recommendations' },
      { source: 'everything' },
      { recommendations: [] },
      { recommendations: ['  '] },
      { blind: 'yes' },
      null,
      'open',
      [3],
    ];
    for (const payload of bad) {
      const res = await emitAck(fac.socket, Events.voteOpen, payload);
      expectRefused(res, 'bad_request');
      if (!res.ok) expect(res.error.issues?.length, JSON.stringify(payload)).toBeGreaterThan(0);
    }
    expect(countRows(server, 'votes', 'WHERE session_id = ?', s.id)).toBe(0);
    expect(fac.lastSessionState()!.vote).toBeNull();
  });

  it('vote:close refuses bad payloads and unknown votes, and the vote stays open', async () => {
    const { fac } = await votingSession();
    const vote = await openVote(fac);
    for (const payload of [{}, { voteId: '' }, { voteId: 7 }, { voteId: vote.id, now: 1 }, null]) {
      const res = await emitAck(fac.socket, Events.voteClose, payload);
      expectRefused(res, 'bad_request');
      if (!res.ok) expect(res.error.issues?.length).toBeGreaterThan(0);
    }
    expectRefused(await emitAck(fac.socket, Events.voteClose, { voteId: 'no-such-vote' }), 'not_found');
    expect(server.services.votes.get(vote.id)!.status).toBe('open');
  });

  it('ballot:submit refuses bad payloads and the tally does not change', async () => {
    const { fac, d1, p } = await votingSession();
    const vote = await openVote(fac);
    const before = serverCount(vote.id);
    const ballotId = newBallotId();
    const dots = (d: unknown) => ({ method: 'dots', dots: d });
    const bad: unknown[] = [
      { voteId: vote.id, choices: dots({ [p.a]: 1 }) },
      { voteId: vote.id, ballotId: 'short', choices: dots({ [p.a]: 1 }) },
      { voteId: vote.id, ballotId: 'has spaces in it, sadly', choices: dots({ [p.a]: 1 }) },
      { voteId: vote.id, ballotId, choices: dots({ [p.a]: -1 }) },
      { voteId: vote.id, ballotId, choices: dots({ [p.a]: 1.5 }) },
      { voteId: vote.id, ballotId, choices: dots({ [p.a]: 21 }) },
      { voteId: vote.id, ballotId, choices: dots({ [p.a]: '1' }) },
      { voteId: vote.id, ballotId, choices: dots([1]) },
      { voteId: vote.id, ballotId, choices: dots({ ['x'.repeat(65)]: 1 }) },
      { voteId: vote.id, ballotId, choices: dots({ [p.a]: 1 }), device: d1.deviceId },
      { ballotId, choices: dots({ [p.a]: 1 }) },
      // The payload of protocol 3: the choices beside the ids instead of in `choices`.
      { voteId: vote.id, ballotId, dots: { [p.a]: 1 } },
      { voteId: vote.id, ballotId, choices: { method: 'dots', ranking: [p.a] } },
      { voteId: vote.id, ballotId, choices: { method: 'secret', dots: { [p.a]: 1 } } },
      'ballot',
    ];
    for (const payload of bad) {
      const res = await emitAck(d1.socket, Events.ballotSubmit, payload);
      expectRefused(res, 'bad_request');
      if (!res.ok) expect(res.error.issues?.length, JSON.stringify(payload)).toBeGreaterThan(0);
    }
    expect(serverCount(vote.id)).toEqual(before);
    expect(new BallotBox(server.services.db).size(receiptBox(vote.id))).toBe(0);
  });

  it('device:joinTable refuses bad payloads and tables the session does not have', async () => {
    const { d3 } = await votingSession();
    for (const payload of [{ table: 0 }, { table: 61 }, { table: 1.5 }, { table: '1' }, {}, { table: 1, seat: 2 }, null]) {
      const res = await emitAck(d3.socket, Events.deviceJoinTable, payload);
      expectRefused(res, 'bad_request');
      if (!res.ok) expect(res.error.issues?.length, JSON.stringify(payload)).toBeGreaterThan(0);
    }
    // Table 3 is a valid number, but this session has two tables.
    expectRefused(await emitAck(d3.socket, Events.deviceJoinTable, { table: 3 }), 'bad_request');
    expect(server.services.deviceById(d3.deviceId)!.table).toBe(2);
  });
});

describe('dot vote', () => {
  afterEach(closeClients);

  it('runs a whole vote: open, ballots from several tables, live tally to the viewer', async () => {
    const { fac, view, d1, d2, d3, p } = await votingSession();
    const vote = await openVote(fac);
    expect(vote).toMatchObject({
      method: 'dots',
      source: 'tables',
      rules: { method: 'dots', budget: 3, maxPerItem: 3 },
      blind: false,
      status: 'open',
      stepId: fac.lastSessionState()!.run.stepId,
      closedAt: null,
    });
    expect(vote.items.map((i) => i.id).sort()).toEqual([p.a, p.b, p.c, p.d].sort());
    expect(vote.items.find((i) => i.id === p.c)).toEqual({ id: p.c, table: 2, theme: 'samenwerking', text: 'Spreekuur in het buurthuis' });

    // Every screen hears about the open vote, with an empty tally.
    await expect.poll(() => view.lastSessionState()?.vote?.id).toBe(vote.id);
    await expect.poll(() => fac.lastSessionState()?.vote?.status).toBe('open');
    await expect
      .poll(() => tallySums(view.lastTally()))
      .toEqual({
        voteId: vote.id,
        totals: { [p.a]: 0, [p.b]: 0, [p.c]: 0, [p.d]: 0 },
        ballots: 0,
        eligible: 3,
        hidden: false,
      });

    const r1 = await submitBallot(d1, vote.id, newBallotId(), { [p.a]: 2, [p.c]: 1 });
    const r2 = await submitBallot(d2, vote.id, newBallotId(), { [p.a]: 1, [p.b]: 0 });
    const r3 = await submitBallot(d3, vote.id, newBallotId(), { [p.d]: 3 });
    for (const r of [r1, r2, r3]) expect(r).toMatchObject({ ok: true, data: { voteId: vote.id, changed: true } });

    const expected = { voteId: vote.id, totals: { [p.a]: 3, [p.b]: 0, [p.c]: 1, [p.d]: 3 }, ballots: 3, eligible: 3, hidden: false };
    await expect.poll(() => tallySums(view.lastTally())).toEqual(expected);
    await expect.poll(() => tallySums(fac.lastTally())).toEqual(expected);
    // Tablets show no live result, so they are not sent one while the vote runs.
    expect(d3.tallies.filter((t) => t.voteId === vote.id)).toEqual([]);
    expect(serverCount(vote.id)).toMatchObject({ totals: expected.totals, ballots: 3, rows: 3 });
    // Best first; equal totals share a rank and are marked as tied.
    const rows = view.lastTally()!.results;
    expect(rows.map((r) => [r.score, r.rank, r.tied])).toEqual([
      [3, 1, true],
      [3, 1, true],
      [1, 3, false],
      [0, 4, false],
    ]);
    expect(
      rows
        .slice(0, 2)
        .map((r) => r.id)
        .sort(),
    ).toEqual([p.a, p.d].sort());
    expect(view.lastTally()).toMatchObject({ method: 'dots', tables: [] });

    // A screen that connects later gets the current tally straight away.
    const late = await viewer(server, d1.sessionId);
    await expect.poll(() => tallySums(late.lastTally())).toEqual(expected);
  });

  it('drops a connection that sends a message over 64 KB, and counts nothing', async () => {
    const { fac, d1, p } = await votingSession();
    const vote = await openVote(fac);
    const before = serverCount(vote.id);
    const dropped = new Promise<string>((resolve) => d1.socket.once('disconnect', (reason) => resolve(reason)));
    d1.socket.emit(
      Events.ballotSubmit,
      { voteId: vote.id, ballotId: newBallotId(), choices: { method: 'dots', dots: { [p.a]: 1, ['x'.repeat(70 * 1024)]: 0 } } },
      () => {
        throw new Error('no answer expected');
      },
    );
    expect(await dropped).toBe('transport close');
    expect(serverCount(vote.id)).toEqual(before);
  });

  it('refuses ballots over the budget, over the per-item limit or for unknown items, and counts nothing', async () => {
    const { fac, d1, d2, p } = await votingSession();
    const vote = await openVote(fac, { budget: 4, maxPerItem: 2 });
    expect(vote.rules).toEqual({ method: 'dots', budget: 4, maxPerItem: 2 });
    expect(await submitBallot(d2, vote.id, newBallotId(), { [p.b]: 1 })).toMatchObject({ ok: true });
    const before = serverCount(vote.id);

    expectRefused(await submitBallot(d1, vote.id, newBallotId(), { [p.a]: 2, [p.b]: 2, [p.c]: 1 }), 'over_budget');
    expectRefused(await submitBallot(d1, vote.id, newBallotId(), { [p.a]: 3 }), 'over_item_limit');
    expectRefused(await submitBallot(d1, vote.id, newBallotId(), { [p.a]: 1, 'not-a-point': 1 }), 'unknown_item');
    // The device's own earlier ballot may not be pushed over the rules either.
    const mine = newBallotId();
    expect(await submitBallot(d1, vote.id, mine, { [p.a]: 1 })).toMatchObject({ ok: true });
    const afterValid = serverCount(vote.id);
    expectRefused(await submitBallot(d1, vote.id, mine, { [p.a]: 2, [p.b]: 2, [p.c]: 2 }), 'over_budget');

    expect(before).toMatchObject({ ballots: 1 });
    expect(serverCount(vote.id)).toEqual(afterValid);
    expect(afterValid.totals).toEqual({ [p.a]: 1, [p.b]: 1, [p.c]: 0, [p.d]: 0 });
    expect(afterValid.ballots).toBe(2);
  });

  it('acknowledges a resent ballot with changed:false and counts it once', async () => {
    const { fac, view, d1, p } = await votingSession();
    const vote = await openVote(fac);
    const ballotId = newBallotId();
    expect(await submitBallot(d1, vote.id, ballotId, { [p.a]: 1, [p.b]: 2 })).toEqual({
      ok: true,
      data: { voteId: vote.id, ballotId, seat: null, changed: true },
    });
    // Same choices, other key order and an explicit zero: still the same ballot.
    expect(await submitBallot(d1, vote.id, ballotId, { [p.b]: 2, [p.c]: 0, [p.a]: 1 })).toEqual({
      ok: true,
      data: { voteId: vote.id, ballotId, seat: null, changed: false },
    });
    expect(serverCount(vote.id)).toMatchObject({ ballots: 1, rows: 1, totals: { [p.a]: 1, [p.b]: 2, [p.c]: 0, [p.d]: 0 } });
    await expect.poll(() => tallySums(view.lastTally())).toMatchObject({ ballots: 1, totals: { [p.a]: 1, [p.b]: 2 } });
  });

  it('replaces a ballot when the same ballot id comes with other dots', async () => {
    const { fac, view, d1, d2, p } = await votingSession();
    const vote = await openVote(fac);
    const ballotId = newBallotId();
    await submitBallot(d2, vote.id, newBallotId(), { [p.a]: 1 });
    await submitBallot(d1, vote.id, ballotId, { [p.a]: 3 });
    await expect.poll(() => tallySums(view.lastTally())?.totals[p.a]).toBe(4);

    expect(await submitBallot(d1, vote.id, ballotId, { [p.c]: 2, [p.d]: 1 })).toMatchObject({ ok: true, data: { changed: true } });
    const expected = { [p.a]: 1, [p.b]: 0, [p.c]: 2, [p.d]: 1 };
    await expect.poll(() => tallySums(view.lastTally())).toEqual({ voteId: vote.id, totals: expected, ballots: 2, eligible: 3, hidden: false });
    expect(serverCount(vote.id)).toMatchObject({ totals: expected, ballots: 2, rows: 2 });

    // Withdrawing everything keeps the ballot (turnout) but removes its dots.
    expect(await submitBallot(d1, vote.id, ballotId, {})).toMatchObject({ ok: true, data: { changed: true } });
    expect(serverCount(vote.id)).toMatchObject({ totals: { [p.a]: 1, [p.b]: 0, [p.c]: 0, [p.d]: 0 }, ballots: 2 });
  });

  it('refuses a second ballot id from a device that already voted (already_voted)', async () => {
    const { fac, d1, p } = await votingSession();
    const vote = await openVote(fac);
    await submitBallot(d1, vote.id, newBallotId(), { [p.a]: 1 });
    const before = serverCount(vote.id);
    expectRefused(await submitBallot(d1, vote.id, newBallotId(), { [p.b]: 3 }), 'already_voted');
    expect(serverCount(vote.id)).toEqual(before);
  });

  it("does not let a device take over another device's ballot id", async () => {
    const { fac, d1, d2, p } = await votingSession();
    const vote = await openVote(fac);
    const ballotId = newBallotId();
    await submitBallot(d1, vote.id, ballotId, { [p.a]: 1 });
    const before = serverCount(vote.id);
    const res = await submitBallot(d2, vote.id, ballotId, { [p.b]: 3 });
    expect(res.ok).toBe(false);
    expect(serverCount(vote.id)).toEqual(before);
    expect(new BallotBox(server.services.db).size(receiptBox(vote.id))).toBe(1);
  });

  it('refuses ballots after vote:close (vote_closed) and keeps the totals', async () => {
    const { fac, view, d1, d2, p } = await votingSession();
    const vote = await openVote(fac);
    const mine = newBallotId();
    await submitBallot(d1, vote.id, mine, { [p.a]: 2 });
    const closed = await emitAck<VoteView>(fac.socket, Events.voteClose, { voteId: vote.id });
    expect(closed).toMatchObject({ ok: true, data: { id: vote.id, status: 'closed' } });
    if (closed.ok) expect(closed.data.closedAt).toEqual(expect.any(Number));
    await expect.poll(() => view.lastSessionState()?.vote?.status).toBe('closed');
    const before = serverCount(vote.id);

    expectRefused(await submitBallot(d2, vote.id, newBallotId(), { [p.b]: 1 }), 'vote_closed');
    expectRefused(await submitBallot(d1, vote.id, mine, { [p.b]: 1 }), 'vote_closed');
    expect(serverCount(vote.id)).toEqual(before);
    expect(before).toMatchObject({ ballots: 1, totals: { [p.a]: 2 } });
    // Closing again is refused.
    expectRefused(await emitAck(fac.socket, Events.voteClose, { voteId: vote.id }), 'vote_not_open');
    await expect.poll(() => tallySums(view.lastTally())).toMatchObject({ voteId: vote.id, ballots: 1, totals: { [p.a]: 2 } });
  });

  it('refuses to open a second vote while one is open (vote_already_open)', async () => {
    const { s, fac } = await votingSession();
    const first = await openVote(fac);
    expectRefused(await emitAck(fac.socket, Events.voteOpen, { budget: 5 }), 'vote_already_open');
    expect(countRows(server, 'votes', 'WHERE session_id = ?', s.id)).toBe(1);
    expect(server.services.votes.current(s.id)!.id).toBe(first.id);
    // After closing, a new vote may be opened; it becomes the current one.
    await emitAck(fac.socket, Events.voteClose, { voteId: first.id });
    const second = await openVote(fac, { budget: 5 });
    expect(second.id).not.toBe(first.id);
    await expect.poll(() => fac.lastSessionState()?.vote?.id).toBe(second.id);
  });

  it('refuses to open a vote without points (no_points); empty points do not count', async () => {
    const s = await createSession(server, { tables: 2 });
    const fac = await facilitator(server, s);
    await startSession(fac);
    await gotoStep(fac, 'stemmen');
    expectRefused(await emitAck(fac.socket, Events.voteOpen, {}), 'no_points');
    await gotoStep(fac, 'inbreng');
    const d = await joinDevice(server, s, 1);
    const board = await tableProvider(server, s.id, 1, { device: d.token });
    addPointTo(board, '');
    addPointTo(board, '  \n ');
    await waitForStoredPoints(s.id, 1, 2);
    await gotoStep(fac, 'stemmen');
    expectRefused(await emitAck(fac.socket, Events.voteOpen, {}), 'no_points');
    expect(countRows(server, 'votes', 'WHERE session_id = ?', s.id)).toBe(0);
  });

  it('refuses a ballot from a device that has not picked a table (no_table)', async () => {
    const { s, fac, p } = await votingSession();
    const vote = await openVote(fac);
    const tableless = await joinDevice(server, s);
    expectRefused(await submitBallot(tableless, vote.id, newBallotId(), { [p.a]: 1 }), 'no_table');
    expect(serverCount(vote.id)).toMatchObject({ ballots: 0, rows: 0 });
  });

  it('keeps sessions apart: no ballots or closes across sessions', async () => {
    const one = await votingSession();
    const two = await votingSession();
    const vote = await openVote(one.fac);
    expectRefused(await submitBallot(two.d1, vote.id, newBallotId(), { [one.p.a]: 1 }), 'not_found');
    expectRefused(await emitAck(two.fac.socket, Events.voteClose, { voteId: vote.id }), 'not_found');
    expect(server.services.votes.get(vote.id)!.status).toBe('open');
    expect(serverCount(vote.id)).toMatchObject({ ballots: 0 });
    // The other session's screens never hear about this vote.
    expect(two.view.tallies.some((t) => t.voteId === vote.id)).toBe(false);
  });

  it('tells a reconnecting device that it voted, never what', async () => {
    const { s, fac, d1, p } = await votingSession();
    const vote = await openVote(fac);
    await submitBallot(d1, vote.id, newBallotId(), { [p.a]: 2 });
    const again = await connectClient(server, { role: 'device', sessionId: s.id, token: d1.token });
    expect(again.deviceStates.at(-1)).toEqual({ ...d1.deviceStates.at(-1), table: 1, votedIn: [vote.id] });
  });

  it('counts devices that join a table during the vote as eligible', async () => {
    const { s, fac, view } = await votingSession();
    await openVote(fac);
    await expect.poll(() => view.lastTally()?.eligible).toBe(3);
    await joinDevice(server, s); // no table yet: not eligible
    await joinDevice(server, s, 2);
    await expect.poll(() => view.lastTally()?.eligible).toBe(4);
  });

  it('keeps the turnout of a closed vote as it was at closing, in tallies and in the report', async () => {
    const { s, fac, view } = await votingSession();
    const vote = await openVote(fac);
    await emitOk(fac.socket, Events.voteClose, { voteId: vote.id });
    await expect.poll(() => view.lastTally()?.eligible).toBe(3);
    await joinDevice(server, s, 2); // joins after the vote closed
    const later = await connectClient(server, { role: 'viewer', sessionId: s.id });
    await expect.poll(() => later.lastTally()?.eligible).toBe(3);
    const report = await api<{ votes: { eligible: number }[] }>(server, `/sessions/${s.id}/report.json`, {
      headers: { authorization: `Bearer ${s.facilitatorKey}` },
    });
    expect(report.body.votes[0]!.eligible).toBe(3);
  });
});

describe('tables:overview', () => {
  afterEach(closeClients);

  it('tells the facilitator how many devices are connected and joined, and how many points each table has', async () => {
    const s = await createSession(server, { tables: 3 });
    const fac = await facilitator(server, s);
    await startSession(fac); // the inbreng step: tables may write points
    const row = (table: number) => fac.lastOverview()?.find((r) => r.table === table);
    expect(fac.lastOverview()).toEqual([1, 2, 3].map((table) => emptyRow(table)));

    const d1: DeviceClient = await joinDevice(server, s, 2);
    const dev = (d: DeviceClient, connected = true) => ({ label: d.deviceStates.at(-1)!.label, connected });
    await expect.poll(() => row(2)).toEqual(emptyRow(2, { connected: 1, joined: 1, devices: [dev(d1)] }));
    const d2 = await joinDevice(server, s, 2);
    const both = [dev(d1), dev(d2)].sort((a, b) => (a.label < b.label ? -1 : 1));
    await expect.poll(() => row(2)).toEqual(emptyRow(2, { connected: 2, joined: 2, devices: both }));

    const board = await tableProvider(server, s.id, 2, { device: d1.token });
    addPointTo(board, 'Eerste punt');
    addPointTo(board, ''); // not counted
    await expect.poll(() => row(2)?.points).toBe(1);
    addPointTo(board, 'Tweede punt');
    await expect.poll(() => row(2)?.points).toBe(2);

    // Moving changes both tables.
    await emitAck(d2.socket, Events.deviceJoinTable, { table: 3 });
    await expect
      .poll(() => [row(2), row(3)])
      .toEqual([emptyRow(2, { connected: 1, joined: 1, points: 2, devices: [dev(d1)] }), emptyRow(3, { connected: 1, joined: 1, devices: [dev(d2)] })]);

    // A device that goes away is no longer connected, but still joined.
    d2.close();
    await expect.poll(() => row(3)).toEqual(emptyRow(3, { connected: 0, joined: 1, devices: [dev(d2, false)] }));
    expect(row(1)).toEqual(emptyRow(1));
  });

  it('goes to facilitators only', async () => {
    const s = await createSession(server, { tables: 2 });
    const view = await viewer(server, s.id);
    const fac = await facilitator(server, s);
    const device = await joinDevice(server, s, 1);
    await expect.poll(() => fac.lastOverview()?.[0]?.joined).toBe(1);
    expect(view.overviews).toEqual([]);
    expect(device.overviews).toEqual([]);
  });
});

/** A tables:overview row; by default that of a table nobody joined. */
function emptyRow(table: number, over: Partial<TableOverview> = {}): TableOverview {
  return { table, connected: 0, joined: 0, points: 0, voted: 0, seats: 0, ready: false, help: false, devices: [], ...over };
}

async function waitForStoredPoints(sessionId: string, table: number, n: number) {
  await expect.poll(() => server.services.pointsOf(sessionId, table).length).toBe(n);
}
