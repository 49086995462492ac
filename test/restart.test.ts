import { runView } from '../server/views.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tableDocName } from '../server/yjs/docNames.js';
import { Events, type JoinPreview } from '../shared/protocol.js';
import { Report } from '../shared/report.js';
import {
  addPointTo,
  api,
  closeClients,
  connectClient,
  countTotals,
  createSession,
  emitAck,
  emitOk,
  facilitator,
  gotoStep,
  joinDevice,
  newBallotId,
  openVote,
  startedSession,
  submitBallot,
  tableHost,
  tableProvider,
  tallySums,
  viewer,
  waitForServerPoints,
} from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer | null = null;

afterEach(async () => {
  await closeClients();
  await server?.close();
  server = null;
});

/** Dots per item and ballots of a vote, as the (restarted) server counts them. */
function sums(srv: TestServer, voteId: string) {
  const { count, ballots } = srv.services.votes.count(srv.services.votes.get(voteId)!);
  return { totals: countTotals(count), ballots };
}

async function begin(): Promise<TestServer> {
  server = await startTestServer();
  return server;
}

describe('restart on the same data dir', () => {
  it('keeps the session: the facilitator reconnects with the same key and gets the state again', async () => {
    const srv = await begin();
    const s = await createSession(srv, { title: 'Avond in de bieb', tables: 3, themes: ['Lezen', 'Leren'] });
    const fac = await facilitator(srv, s);
    const stateBefore = fac.lastSessionState()!;
    const seen = fac.sessionStates.length;

    await srv.restart();

    // The socket that was open comes back by itself and is sent the full state again.
    await expect.poll(() => fac.sessionStates.length, { timeout: 10_000 }).toBeGreaterThan(seen);
    expect(fac.socket.connected).toBe(true);
    expect(fac.lastSessionState()).toEqual(stateBefore);
    await expect.poll(() => fac.lastOverview()?.length).toBe(3);

    // And a new connection with the same key works too.
    const again = await facilitator(srv, s);
    expect(again.lastSessionState()).toMatchObject({ id: s.id, title: 'Avond in de bieb', joinCode: s.joinCode, tables: 3 });
    expect(again.lastSessionState()!.themes.map((t) => t.label)).toEqual(['Lezen', 'Leren']);

    const preview = await api<JoinPreview>(srv, `/join/${s.joinCode}`);
    expect(preview.body).toEqual({ sessionId: s.id, title: 'Avond in de bieb', tables: 3 });
    const report = await api(srv, `/sessions/${s.id}/report.json`, { headers: { authorization: `Bearer ${s.facilitatorKey}` } });
    expect(report.status).toBe(200);
  });

  it('keeps devices: the token stays valid, with its table', async () => {
    const srv = await begin();
    const s = await createSession(srv, { tables: 3 });
    const device = await joinDevice(srv, s, 2);
    const unseated = await joinDevice(srv, s);
    const seen = device.deviceStates.length;

    await srv.restart();

    await expect.poll(() => device.deviceStates.length, { timeout: 10_000 }).toBeGreaterThan(seen);
    const seated = {
      table: 2,
      label: device.deviceStates[0]!.label,
      mustPickTable: false,
      signals: { ready: false, help: false },
      votedIn: [],
      seats: 0,
      seatsVoted: [],
      evaluatedIn: [],
    };
    expect(device.deviceStates.at(-1)).toEqual(seated);
    const fresh = await connectClient(srv, { role: 'device', sessionId: s.id, token: device.token });
    expect(fresh.deviceStates.at(-1)).toEqual(seated);
    const other = await connectClient(srv, { role: 'device', sessionId: s.id, token: unseated.token });
    // The label is kept too: the facilitator can still name the device.
    expect(other.deviceStates.at(-1)).toEqual({ ...seated, table: null, label: unseated.deviceStates[0]!.label });
    expect(await emitAck(other.socket, Events.deviceJoinTable, { table: 3 })).toMatchObject({ ok: true, data: { table: 3 } });
    // The table document still opens with the token.
    const board = await tableProvider(srv, s.id, 2, { device: device.token });
    expect(board.provider.synced).toBe(true);
    const fac = await facilitator(srv, s);
    await expect.poll(() => fac.lastOverview()?.map((r) => r.joined)).toEqual([0, 1, 1]);
  });

  it('keeps points, and an open board reconnects and goes on syncing', async () => {
    const srv = await begin();
    const { s } = await startedSession(srv, { tables: 2 });
    const d1 = await joinDevice(srv, s, 1);
    const d2 = await joinDevice(srv, s, 1);
    const b1 = await tableProvider(srv, s.id, 1, { device: d1.token });
    addPointTo(b1, 'Voor de herstart', 'communicatie');
    addPointTo(b1, 'Nog een', 'samenwerking');
    const before = await waitForServerPoints(srv, s.id, 1, 2);

    await srv.restart();

    expect(srv.services.store.isLoaded(tableDocName(s.id, 1))).toBe(false);
    expect(srv.services.pointsOf(s.id, 1)).toEqual(before);
    // The provider that was open reconnects by itself; a point added now reaches a new tablet.
    await expect.poll(() => b1.provider.synced, { timeout: 10_000 }).toBe(true);
    addPointTo(b1, 'Na de herstart');
    const b2 = await tableProvider(srv, s.id, 1, { device: d2.token });
    await expect.poll(() => b2.points().map((p) => p.text)).toEqual(['Voor de herstart', 'Nog een', 'Na de herstart']);
  });

  it('keeps votes with their ballots and tallies; an open vote accepts the same ballot again as unchanged', async () => {
    const srv = await begin();
    const { s, fac } = await startedSession(srv, { tables: 2 });
    const d1 = await joinDevice(srv, s, 1);
    const d2 = await joinDevice(srv, s, 2);
    const b1 = await tableProvider(srv, s.id, 1, { device: d1.token });
    const b2 = await tableProvider(srv, s.id, 2, { device: d2.token });
    const a = addPointTo(b1, 'Punt A');
    const b = addPointTo(b2, 'Punt B');
    await waitForServerPoints(srv, s.id, 1, 1);
    await waitForServerPoints(srv, s.id, 2, 1);
    await gotoStep(fac, 'stemmen');

    // A closed vote...
    const first = await openVote(fac, { budget: 2 });
    await submitBallot(d1, first.id, newBallotId(), { [a]: 2 });
    await submitBallot(d2, first.id, newBallotId(), { [a]: 1, [b]: 1 });
    await emitAck(fac.socket, Events.voteClose, { voteId: first.id });
    // ...and an open one.
    const second = await openVote(fac, { budget: 3, maxPerItem: 2 });
    const d1Ballot = newBallotId();
    expect(await submitBallot(d1, second.id, d1Ballot, { [b]: 2, [a]: 1 })).toMatchObject({ ok: true, data: { changed: true } });
    const tallyBefore = { voteId: second.id, totals: { [a]: 1, [b]: 2 }, ballots: 1, eligible: 2, hidden: false };
    await expect.poll(() => tallySums(fac.lastTally())).toEqual(tallyBefore);
    const rowsBefore = fac.lastTally()!.results;
    await closeClients();

    await srv.restart();

    const view = await viewer(srv, s.id);
    await expect.poll(() => tallySums(view.lastTally())).toEqual(tallyBefore);
    expect(view.lastTally()!.results).toEqual(rowsBefore);
    expect(view.lastSessionState()!.vote).toMatchObject({
      id: second.id,
      status: 'open',
      method: 'dots',
      source: 'tables',
      rules: { method: 'dots', budget: 3, maxPerItem: 2 },
      blind: false,
    });
    const votes = srv.services.votes.list(s.id);
    expect(votes.map((v) => [v.id, v.status])).toEqual([
      [first.id, 'closed'],
      [second.id, 'open'],
    ]);
    expect(sums(srv, votes[0]!.id)).toEqual({ totals: { [a]: 3, [b]: 1 }, ballots: 2 });

    // The same device resends the same ballot: acknowledged, unchanged, counted once.
    const r1 = await connectClient(srv, { role: 'device', sessionId: s.id, token: d1.token });
    expect(r1.deviceStates.at(-1)).toMatchObject({ table: 1, votedIn: expect.arrayContaining([first.id, second.id]) as string[] });
    expect(r1.deviceStates.at(-1)!.votedIn).toHaveLength(2);
    expect(await submitBallot(r1, second.id, d1Ballot, { [a]: 1, [b]: 2 })).toEqual({
      ok: true,
      data: { voteId: second.id, ballotId: d1Ballot, seat: null, changed: false },
    });
    expect(sums(srv, second.id)).toEqual({ totals: tallyBefore.totals, ballots: 1 });
    // A second ballot id from it is still refused; a change of its own ballot still counts.
    expect(await submitBallot(r1, second.id, newBallotId(), { [a]: 1 })).toMatchObject({ ok: false, error: { code: 'already_voted' } });
    expect(await submitBallot(r1, second.id, d1Ballot, { [a]: 2 })).toMatchObject({ ok: true, data: { changed: true } });
    const r2 = await connectClient(srv, { role: 'device', sessionId: s.id, token: d2.token });
    expect(await submitBallot(r2, second.id, newBallotId(), { [b]: 1 })).toMatchObject({ ok: true, data: { changed: true } });
    const tallyAfter = { voteId: second.id, totals: { [a]: 2, [b]: 1 }, ballots: 2, eligible: 2, hidden: false };
    await expect.poll(() => tallySums(view.lastTally())).toEqual(tallyAfter);
    // The closed vote stays closed.
    expect(await submitBallot(r2, first.id, newBallotId(), { [b]: 1 })).toMatchObject({ ok: false, error: { code: 'vote_closed' } });

    const res = await api(srv, `/sessions/${s.id}/report.json`, { headers: { authorization: `Bearer ${s.facilitatorKey}` } });
    const report = Report.parse(res.body);
    expect(report.votes.map((v) => [v.status, v.ballots, v.results.reduce((n, r) => n + (r.total ?? 0), 0)])).toEqual([
      ['closed', 2, 4],
      ['open', 2, 3],
    ]);
    // Ballots do not say where they were cast: after a restart during a vote, its result per
    // table is not known, and the report says so rather than showing part of it.
    expect(report.votes.map((v) => v.byTable)).toEqual([
      { status: 'withheld', reason: 'few' },
      { status: 'withheld', reason: 'incomplete' },
    ]);
  });

  it('keeps the agenda and where it is: the step, its timer, the projector, table signals, labels and host keys', async () => {
    const srv = await begin();
    const { s, fac } = await startedSession(srv, { tables: 2 });
    const device = await joinDevice(srv, s, 2);
    await emitOk(fac.socket, Events.timerPause, {});
    await emitOk(fac.socket, Events.projectorSet, { theme: 'light', spotlight: { kind: 'table', table: 2 } });
    await emitOk(device.socket, Events.tableSignal, { signal: 'help', on: true });
    const before = srv.services.sessions.get(s.id)!;
    expect(before.run).toMatchObject({ status: 'running', timer: { running: false } });
    await closeClients();

    await srv.restart();

    const again = await facilitator(srv, s);
    const state = again.lastSessionState()!;
    expect(state.agenda).toEqual(before.agenda);
    // A paused timer stays paused with the same time left, whatever time the restart took.
    expect(state.run).toEqual(runView(before.run));
    expect(state.projector).toMatchObject({ theme: 'light', spotlight: { kind: 'table', table: 2 } });
    await expect.poll(() => again.lastOverview()?.map((r) => r.help)).toEqual([false, true]);
    const back = await connectClient(srv, { role: 'device', sessionId: s.id, token: device.token });
    expect(back.deviceStates.at(-1)).toMatchObject({ table: 2, label: device.deviceStates[0]!.label, signals: { help: true } });
    const host = await tableHost(srv, s, 2);
    expect(host.lastSessionState()!.id).toBe(s.id);
    // Resumed after the restart, it counts on from the time that was left.
    const left = before.run.timer!.remainingMs;
    const t0 = Date.now();
    const resumed = await emitOk<{ timer: { endsAt: number } }>(again.socket, Events.timerResume, {});
    expect(resumed.timer.endsAt).toBeGreaterThanOrEqual(t0 + left);
    expect(resumed.timer.endsAt).toBeLessThanOrEqual(Date.now() + left);
  });

  it('survives two restarts in a row', async () => {
    const srv = await begin();
    const s = await createSession(srv);
    await srv.restart();
    await srv.restart();
    const fac = await facilitator(srv, s);
    expect(fac.lastSessionState()!.id).toBe(s.id);
  });
});

describe('shutdown', () => {
  it('leaves no timer behind that would use the closed database', async () => {
    const srv = await startTestServer();
    const s = await createSession(srv, { tables: 2 });
    await joinDevice(srv, s, 1); // still connected when the server closes: its disconnect runs during close()
    const { db } = srv.services;
    // Timers scheduled from here on wait for us, so we can run them right after close().
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      await srv.close();
      expect(db.open).toBe(false);
      expect(() => vi.runOnlyPendingTimers()).not.toThrow();
    } finally {
      vi.useRealTimers();
      await closeClients();
    }
  });
});
