/**
 * Vote methods end to end (issue 5), through the real server and real socket.io clients: dots,
 * ranking, points and recommendations; what a step votes on (all tables, each table its own
 * points, the plenary board, a typed list); blind votes; per-table results withheld below three
 * voters; a shared tablet whose seats each vote (doorgeefstand); throttled tallies. Every refusal
 * is checked to leave the count, the ballots and the receipts exactly as they were.
 */
import { describe, expect, it } from 'vitest';
import { BallotBox, slotSizeFor } from '../server/ballotBox.js';
import { seal, voterTag } from '../server/secrets.js';
import { sessionReport } from '../server/report.js';
import { ballotSlotSize, receiptBox, receiptSlotSize, voteBox, type Receipt } from '../server/votes.js';
import { Events, MIN_VOTERS_SHOWN, type Ack, type CreateSessionBody, type ErrorCode, type ResultRow, type Tally, type VoteView } from '../shared/protocol.js';
import { checkBallot, normaliseBallot, tally as recount, type BallotChoices, type VoteRules } from '../shared/tally.js';
import {
  addPointTo,
  createSession,
  emitAck,
  emitOk,
  facilitator,
  gotoStep,
  joinDevice,
  newBallotId,
  openVote,
  scoresOf,
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
} from './helpers/clients.js';
import { countRows } from './helpers/server.js';
import { useTestServer } from './helpers/setup.js';

const server = useTestServer();

// ---------------------------------------------------------------------------------------------
// A room to vote in.

interface RoomOptions {
  /** Devices seated per table, from table 1; the session has this many tables. */
  seated?: number[];
  /** Point texts per table, written in the (first) inbreng step. */
  points?: string[][];
  body?: CreateSessionBody;
}

/**
 * A started session with a facilitator, a projector (viewer), devices at their tables and
 * points on the boards, moved on to the (first) stemmen step with no vote open.
 * `p[t][i]` is the id of the i-th point of table t+1, `d[t][i]` the i-th device there.
 */
async function room({
  seated = [1, 1],
  points = [
    ['Punt A', 'Punt B'],
    ['Punt C', 'Punt D'],
  ],
  body = {},
}: RoomOptions = {}) {
  const s = await createSession(server, { tables: seated.length, ...body });
  const fac = await facilitator(server, s);
  await startSession(fac);
  // The template starts with an instructie step; points are written in the (first) inbreng step.
  const first = fac.lastSessionState()!.agenda.rounds[0]!.steps[0]!;
  if (first.type !== 'inbreng' && points.some((texts) => texts.length > 0)) await gotoStep(fac, 'inbreng');
  const view = await viewer(server, s.id);
  const d: DeviceClient[][] = [];
  for (const [t, n] of seated.entries()) d.push(await Promise.all(Array.from({ length: n }, () => joinDevice(server, s, t + 1))));
  const p: string[][] = [];
  for (const [t, texts] of points.entries()) {
    if (texts.length === 0) {
      p.push([]);
      continue;
    }
    const board = await tableProvider(server, s.id, t + 1, { device: d[t]![0]!.token });
    p.push(texts.map((text) => addPointTo(board, text)));
    await waitForServerPoints(server, s.id, t + 1, texts.length);
  }
  await gotoStep(fac, 'stemmen');
  return { s, fac, view, d, p };
}

// ---------------------------------------------------------------------------------------------
// What the server holds, and refusals that must leave it alone.

/** The running count, the ballot rows and the receipts of a vote, as the server holds them now. */
function stored(voteId: string) {
  const { votes, db } = server.services;
  const vote = votes.get(voteId)!;
  const { count, ballots } = votes.count(vote);
  const rows = new BallotBox(db).entries(voteBox(voteId)).map(([ballot_id, choices]) => ({ ballot_id, choices }));
  // The running count never drifts from a recount of the stored ballots.
  const fresh = recount(
    vote.rules,
    vote.items.map((i) => i.id),
    rows.map((r) => JSON.parse(r.choices) as BallotChoices),
  );
  expect(count, 'running count = recount').toEqual(fresh);
  return {
    count: structuredClone(count),
    ballots,
    rows,
    receipts: new BallotBox(db).entries(receiptBox(voteId)).map(([voter, body]) => ({ voter, ...(JSON.parse(body) as Receipt) })),
  };
}

function expectRefused(res: Ack<unknown>, code: ErrorCode) {
  expect(res.ok, JSON.stringify(res)).toBe(false);
  if (!res.ok) {
    expect(res.error.code, res.error.message).toBe(code);
    expect(res.error.message.length).toBeGreaterThan(0);
  }
}

/** Sends what should be refused and checks that nothing of the vote changed. */
async function refusedUnchanged(voteId: string, code: ErrorCode, send: () => Promise<Ack<unknown>>) {
  const before = stored(voteId);
  expectRefused(await send(), code);
  expect(stored(voteId)).toEqual(before);
}

async function ok(res: Promise<Ack<unknown>>, changed = true) {
  const r = await res;
  expect(r, JSON.stringify(r)).toMatchObject({ ok: true, data: { changed } });
}

const close = (fac: Client, voteId: string) => emitOk<VoteView>(fac.socket, Events.voteClose, { voteId });

/** Waits for a tally of this vote that passes `check`, and returns it. */
async function tallyOf(client: Client, voteId: string, check: (t: Tally) => boolean = () => true): Promise<Tally> {
  await expect
    .poll(() => {
      const t = client.lastTally();
      return t?.voteId === voteId && check(t);
    })
    .toBe(true);
  return client.lastTally()!;
}

/** Result rows as [id, score, rank, tied], best first. */
const ranked = (rows: readonly ResultRow[]) => rows.map((r) => [r.id, r.score, r.rank, r.tied]);

// ---------------------------------------------------------------------------------------------

describe('ballot slots', () => {
  // Ids of every length up to the limit, as recommendations and imported points may have.
  const items = Array.from({ length: 120 }, (_, i) => ({ id: `p${'x'.repeat(i % 64)}`.slice(0, 64) + String(i), table: 1, theme: null, text: 't' }));
  const ids = items.map((i) => i.id);
  let seed = 7;
  const random = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
  /** A valid ballot, as stored: normalised and checked. */
  function validBallot(rules: VoteRules): BallotChoices {
    const spread = (budget: number, max: number) => {
      const out: Record<string, number> = {};
      let left = budget;
      while (left > 0) {
        const id = ids[random(ids.length)]!;
        const add = Math.min(left, max - (out[id] ?? 0), 1 + random(max));
        if (add <= 0) continue;
        out[id] = (out[id] ?? 0) + add;
        left -= add;
      }
      return out;
    };
    const ballot: BallotChoices =
      rules.method === 'dots'
        ? { method: 'dots', dots: spread(rules.budget, rules.maxPerItem) }
        : rules.method === 'points'
          ? { method: 'points', points: spread(rules.budget, rules.budget) }
          : rules.method === 'ranking'
            ? { method: 'ranking', ranking: [...ids].sort(() => random(3) - 1) }
            : rules.method === 'graded'
              ? { method: 'graded', grades: Object.fromEntries(ids.map((id) => [id, random(rules.labels.length)])) }
              : { method: 'recommendations', stances: Object.fromEntries(ids.map((id) => [id, (['support', 'oppose', 'abstain'] as const)[random(3)]!])) };
    const normalised = normaliseBallot(ballot);
    expect(checkBallot(rules, new Set(ids), normalised)).toEqual({ ok: true });
    return normalised;
  }

  it('fit the largest ballot each method allows, sized by the budget rather than the number of items', () => {
    const longestId = 'x'.repeat(64);
    const cases: VoteRules[] = [
      { method: 'dots', budget: 3, maxPerItem: 3 },
      { method: 'dots', budget: 20, maxPerItem: 1 },
      { method: 'dots', budget: 20, maxPerItem: 20 },
      { method: 'points', budget: 10 },
      { method: 'points', budget: 1000 },
      { method: 'ranking' },
      { method: 'recommendations', threshold: 70 },
      { method: 'graded', labels: ['Helemaal voor', 'Kan ermee leven', 'Twijfel', 'Bezwaar'], accept: 2, threshold: 80 },
      { method: 'graded', labels: ['1', '2', '3', '4', '5', '6', '7'], accept: 3, threshold: 50 },
    ];
    for (const rules of cases) {
      const size = ballotSlotSize(rules, items);
      for (let i = 0; i < 300; i++) {
        const ballot = validBallot(rules);
        expect(slotSizeFor(longestId, JSON.stringify(ballot)), `${JSON.stringify(rules)}: ${JSON.stringify(ballot)}`).toBeLessThanOrEqual(size);
      }
    }
    // Three dots over 120 points: a slot for three ids, not for all of them.
    expect(ballotSlotSize({ method: 'dots', budget: 3, maxPerItem: 3 }, items)).toBeLessThan(400);
    expect(ballotSlotSize({ method: 'ranking' }, items)).toBeGreaterThan(4000);
  });
});

describe('each method through the real server', () => {
  it('dots: a budget of N with at most K on one item; over the budget or the item limit is refused and nothing is counted', async () => {
    const { fac, view, d, p } = await room({ seated: [2, 1] });
    const [a, b] = p[0]!;
    const [c] = p[1]!;
    const vote = await openVote(fac, { method: 'dots', budget: 4, maxPerItem: 2 });
    expect(vote).toMatchObject({ method: 'dots', source: 'tables', rules: { method: 'dots', budget: 4, maxPerItem: 2 }, blind: false });

    await ok(submitBallot(d[0]![0]!, vote.id, newBallotId(), { [a!]: 2, [b!]: 2 }));
    await refusedUnchanged(vote.id, 'over_budget', () => submitBallot(d[0]![1]!, vote.id, newBallotId(), { [a!]: 2, [b!]: 2, [c!]: 1 }));
    await refusedUnchanged(vote.id, 'over_item_limit', () => submitBallot(d[0]![1]!, vote.id, newBallotId(), { [c!]: 3 }));
    await refusedUnchanged(vote.id, 'unknown_item', () => submitBallot(d[0]![1]!, vote.id, newBallotId(), { nope: 1 }));
    // A key JavaScript treats specially is an unknown item like any other, never a blank ballot.
    await refusedUnchanged(vote.id, 'unknown_item', () =>
      submitBallot(d[0]![1]!, vote.id, newBallotId(), JSON.parse('{"__proto__": 1}') as Record<string, number>),
    );
    await refusedUnchanged(vote.id, 'unknown_item', () =>
      submitBallot(d[0]![1]!, vote.id, newBallotId(), JSON.parse('{"constructor": 1}') as Record<string, number>),
    );
    await ok(submitBallot(d[1]![0]!, vote.id, newBallotId(), { [c!]: 2, [a!]: 1 }));

    expect(stored(vote.id)).toMatchObject({ ballots: 2, rows: { length: 2 }, receipts: { length: 2 } });
    const t = await tallyOf(view, vote.id, (x) => x.ballots === 2);
    expect(t).toMatchObject({ method: 'dots', ballots: 2, eligible: 3, hidden: false, tables: [] });
    expect(ranked(t.results)).toEqual([
      [a, 3, 1, false],
      [b, 2, 2, true],
      [c, 2, 2, true],
      [p[1]![1], 0, 4, false],
    ]);
  });

  it('ranking: Borda scores from partial rankings, ties share a rank; a repeated item is refused (duplicate_item)', async () => {
    const { fac, view, d, p } = await room({ seated: [2, 1] });
    const [a, b] = p[0]!;
    const [c, dd] = p[1]!;
    const vote = await openVote(fac, { method: 'ranking' });
    expect(vote.rules).toEqual({ method: 'ranking' });

    // Ranking k items gives k points to the first, k-1 to the next, ... and 0 to the rest.
    await ok(submitChoices(d[0]![0]!, vote.id, newBallotId(), { ranking: [a!, b!, c!] })); // a 3, b 2, c 1
    await ok(submitChoices(d[0]![1]!, vote.id, newBallotId(), { ranking: [b!] })); // b 1
    const third = newBallotId();
    await refusedUnchanged(vote.id, 'duplicate_item', () => submitChoices(d[1]![0]!, vote.id, third, { ranking: [c!, a!, c!] }));
    await refusedUnchanged(vote.id, 'unknown_item', () => submitChoices(d[1]![0]!, vote.id, third, { ranking: [c!, 'nope'] }));
    await ok(submitChoices(d[1]![0]!, vote.id, third, { ranking: [c!, a!] })); // c 2, a 1

    const t = await tallyOf(view, vote.id, (x) => x.ballots === 3);
    expect(t.method).toBe('ranking');
    expect(ranked(t.results)).toEqual([
      [a, 4, 1, false],
      [b, 3, 2, true],
      [c, 3, 2, true],
      [dd, 0, 4, false],
    ]);
    expect(t.results.map((r) => [r.id, r.firsts, r.ranked])).toEqual([
      [a, 1, 2],
      [b, 1, 2],
      [c, 1, 2],
      [dd, 0, 0],
    ]);
  });

  it('points: an allocation up to the budget; one over it is refused (over_budget) and nothing is counted', async () => {
    const { fac, view, d, p } = await room({ seated: [1, 1] });
    const [a, b] = p[0]!;
    const [c] = p[1]!;
    const vote = await openVote(fac, { method: 'points', budget: 10 });
    expect(vote.rules).toEqual({ method: 'points', budget: 10 });

    await ok(submitChoices(d[0]![0]!, vote.id, newBallotId(), { points: { [a!]: 6, [b!]: 4 } }));
    const mine = newBallotId();
    await refusedUnchanged(vote.id, 'over_budget', () => submitChoices(d[1]![0]!, vote.id, mine, { points: { [c!]: 6, [a!]: 5 } }));
    await refusedUnchanged(vote.id, 'unknown_item', () => submitChoices(d[1]![0]!, vote.id, mine, { points: { zz: 1 } }));
    await ok(submitChoices(d[1]![0]!, vote.id, mine, { points: { [c!]: 10 } }));
    // Changing one's allocation over the budget is refused too, and the old one stays.
    await refusedUnchanged(vote.id, 'over_budget', () => submitChoices(d[1]![0]!, vote.id, mine, { points: { [c!]: 11 } }));

    const t = await tallyOf(view, vote.id, (x) => x.ballots === 2);
    expect(scoresOf(t.results)).toEqual({ [a!]: 6, [b!]: 4, [c!]: 10, [p[1]![1]!]: 0 });
    expect(ranked(t.results).slice(0, 2)).toEqual([
      [c, 10, 1, false],
      [a, 6, 2, false],
    ]);
  });

  it('recommendations: 7 support, 3 oppose, 2 abstain is 70 % and adopted; 9 of 13 (69 %) is not; equal support ties', async () => {
    // Twenty people share one tablet: each seat casts its own ballot.
    const { fac, view, d } = await room({ seated: [1], points: [[]] });
    await setSeats(fac, 1, 20);
    const vote = await openVote(fac, { method: 'recommendations', recommendations: ['Zeventig', 'Net niet', 'Ook zeventig'] });
    expect(vote).toMatchObject({ method: 'recommendations', source: 'recommendations', rules: { method: 'recommendations', threshold: 70 } });
    const tablet = d[0]![0]!;
    for (let seat = 1; seat <= 20; seat++) {
      const stances: NonNullable<BallotChoiceFields['stances']> = {};
      if (seat <= 12) stances.r1 = seat <= 7 ? 'support' : seat <= 10 ? 'oppose' : 'abstain';
      if (seat <= 13) stances.r2 = seat <= 9 ? 'support' : 'oppose';
      stances.r3 = seat <= 14 ? 'support' : 'oppose';
      await ok(submitChoices(tablet, vote.id, newBallotId(), { stances }, seat));
    }
    const t = await tallyOf(view, vote.id, (x) => x.ballots === 20);
    expect(t).toMatchObject({ method: 'recommendations', ballots: 20, eligible: 20 });
    const r2Pct = (9 * 100) / 13; // 69.2 %
    expect(t.results).toEqual([
      { id: 'r1', rank: 1, tied: true, score: 70, support: 7, oppose: 3, abstain: 2, cast: 10, supportPct: 70, adopted: true, spread: null, divided: false },
      { id: 'r3', rank: 1, tied: true, score: 70, support: 14, oppose: 6, abstain: 0, cast: 20, supportPct: 70, adopted: true, spread: null, divided: false },
      {
        id: 'r2',
        rank: 3,
        tied: false,
        score: r2Pct,
        support: 9,
        oppose: 4,
        abstain: 0,
        cast: 13,
        supportPct: r2Pct,
        adopted: false,
        spread: null,
        divided: false,
      },
    ]);
  });

  it('graded: the consent scale by default, adoption at 80 % of those who graded; a level beyond the scale is refused', async () => {
    const { fac, view, d } = await room({ seated: [1], points: [[]] });
    await setSeats(fac, 1, 10);
    const vote = await openVote(fac, { method: 'graded', recommendations: ['Breed gedragen', 'Verdeeld', 'Niemand koos'] });
    expect(vote).toMatchObject({
      method: 'graded',
      source: 'recommendations',
      rules: { method: 'graded', labels: ['Helemaal voor', 'Kan ermee leven', 'Twijfel', 'Bezwaar'], accept: 2, threshold: 80 },
    });
    const tablet = d[0]![0]!;
    await refusedUnchanged(vote.id, 'unknown_level', () => submitChoices(tablet, vote.id, newBallotId(), { grades: { r1: 4 } }, 1));
    // r1: 6 × helemaal voor, 2 × kan ermee leven, 2 × twijfel: 8 of 10 = 80 %, adopted.
    // r2: 5 × helemaal voor, 5 × bezwaar: 50 %, not adopted, and fully divided.
    for (let seat = 1; seat <= 10; seat++) {
      const r1 = seat <= 6 ? 0 : seat <= 8 ? 1 : 2;
      await ok(submitChoices(tablet, vote.id, newBallotId(), { grades: { r1, r2: seat <= 5 ? 0 : 3 } }, seat));
    }
    const t = await tallyOf(view, vote.id, (x) => x.ballots === 10);
    expect(t.results.map((r) => [r.id, r.rank, r.levels, r.graders, r.accepted, r.acceptPct, r.adopted, r.divided])).toEqual([
      ['r1', 1, [6, 2, 2, 0], 10, 8, 80, true, false],
      ['r2', 2, [5, 0, 0, 5], 10, 5, 50, false, true],
      ['r3', 3, [0, 0, 0, 0], 0, 0, null, false, false],
    ]);
    expect(t.results[1]!.spread).toBe(0.5);
  });

  it('graded: labels, supporting levels and threshold from the facilitator; more supporting levels than the scale allows is refused', async () => {
    const { fac } = await room({ seated: [1], points: [[]] });
    const refused = await emitAck(fac.socket, Events.voteOpen, {
      method: 'graded',
      labels: ['Ja', 'Nee'],
      accept: 2,
      recommendations: ['Een'],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const vote = await openVote(fac, { method: 'graded', labels: ['Ja', 'Misschien', 'Nee'], accept: 1, threshold: 60, recommendations: ['Een'] });
    expect(vote.rules).toEqual({ method: 'graded', labels: ['Ja', 'Misschien', 'Nee'], accept: 1, threshold: 60 });
  });

  it('points and ranking carry a spread per item; points split between all and nothing is divided', async () => {
    const { fac, view, d, p } = await room({ seated: [2, 2] });
    const [a, b] = p[0]!;
    const vote = await openVote(fac, { method: 'points', budget: 10 });
    // a: 10, 10, 0, 0 → spread 0.5 (the most there is); b: 0, 0, 10, 10 the same; the others nothing.
    await ok(submitChoices(d[0]![0]!, vote.id, newBallotId(), { points: { [a!]: 10 } }));
    await ok(submitChoices(d[0]![1]!, vote.id, newBallotId(), { points: { [a!]: 10 } }));
    await ok(submitChoices(d[1]![0]!, vote.id, newBallotId(), { points: { [b!]: 10 } }));
    await ok(submitChoices(d[1]![1]!, vote.id, newBallotId(), { points: { [b!]: 10 } }));
    const t = await tallyOf(view, vote.id, (x) => x.ballots === 4);
    const byId = new Map(t.results.map((r) => [r.id, r]));
    expect(byId.get(a!)).toMatchObject({ spread: 0.5, divided: true });
    expect(byId.get(p[1]![0]!)).toMatchObject({ spread: 0, divided: false });
  });
});

describe('the result per table', () => {
  it('goes to the facilitator only, once every table where somebody voted has three ballots; it is stored with the closed vote', async () => {
    const { s, fac, view, d, p } = await room({ seated: [3, 4] });
    const [a, b] = p[0]!;
    const [c] = p[1]!;
    const vote = await openVote(fac, { method: 'points', budget: 10 });
    // Table 1: everyone gives a all. Table 2: everyone gives c all.
    for (const dev of d[0]!.slice(0, 2)) await ok(submitChoices(dev, vote.id, newBallotId(), { points: { [a!]: 10 } }));
    for (const dev of d[1]!) await ok(submitChoices(dev, vote.id, newBallotId(), { points: { [c!]: 10 } }));
    // Two ballots at table 1: its result would tell what they chose, and the whole minus table 2 too.
    expect((await tallyOf(fac, vote.id, (x) => x.ballots === 6)).byTable).toEqual({ status: 'withheld', reason: 'few' });
    // One table with a changed ballot: it is moved at its own table.
    const third = newBallotId();
    await ok(submitChoices(d[0]![2]!, vote.id, third, { points: { [b!]: 10 } }));
    await ok(submitChoices(d[0]![2]!, vote.id, third, { points: { [a!]: 5, [b!]: 5 } }));
    const t = await tallyOf(fac, vote.id, (x) => x.ballots === 7 && x.byTable.status === 'shown');
    const scores = (table: number) => {
      const shown = t.byTable.status === 'shown' ? t.byTable.tables.find((x) => x.table === table) : undefined;
      return shown && [shown.ballots, shown.scores];
    };
    expect(scores(1)).toEqual([3, { [a!]: 25, [b!]: 5, [c!]: 0, [p[1]![1]!]: 0 }]);
    expect(scores(2)).toEqual([4, { [a!]: 0, [b!]: 0, [c!]: 40, [p[1]![1]!]: 0 }]);
    // Screens never get it.
    expect((await tallyOf(view, vote.id, (x) => x.ballots === 7)).byTable).toEqual({ status: 'none' });

    await close(fac, vote.id);
    const row = server.services.db.prepare('SELECT breakdown FROM votes WHERE id = ?').get(vote.id) as { breakdown: string };
    expect(JSON.parse(row.breakdown)).toMatchObject({
      status: 'shown',
      tables: [
        { table: 1, ballots: 3 },
        { table: 2, ballots: 4 },
      ],
    });
    const report = sessionReport(server.services, s.id);
    expect(report.votes.at(-1)!.byTable).toEqual({
      status: 'shown',
      tables: [
        { table: 1, ballots: 3, scores: { [a!]: 25, [b!]: 5, [c!]: 0, [p[1]![1]!]: 0 } },
        { table: 2, ballots: 4, scores: { [a!]: 0, [b!]: 0, [c!]: 40, [p[1]![1]!]: 0 } },
      ],
    });
  });

  it('counts only ballots that chose something: a table of three where one withdrew is withheld', async () => {
    const { fac, d, p } = await room({ seated: [3, 3] });
    const vote = await openVote(fac, { method: 'points', budget: 10 });
    const ids = d.map((devs) => devs.map(() => newBallotId()));
    for (const [t, devs] of d.entries())
      for (const [i, dev] of devs.entries()) await ok(submitChoices(dev, vote.id, ids[t]![i]!, { points: { [p[t]![0]!]: 10 } }));
    await tallyOf(fac, vote.id, (x) => x.byTable.status === 'shown');
    await ok(submitChoices(d[0]![2]!, vote.id, ids[0]![2]!, { points: {} }));
    expect((await tallyOf(fac, vote.id, (x) => x.byTable.status !== 'shown')).byTable).toEqual({ status: 'withheld', reason: 'few' });
  });

  it('is never given for a vote in which each table votes on its own points', async () => {
    const { fac, d, p } = await room({ seated: [3, 3] });
    const vote = await openVote(fac, { method: 'dots', source: 'table', budget: 1, maxPerItem: 1 });
    for (const [t, devs] of d.entries()) for (const dev of devs) await ok(submitBallot(dev, vote.id, newBallotId(), { [p[t]![0]!]: 1 }));
    expect((await tallyOf(fac, vote.id, (x) => x.ballots === 6)).byTable).toEqual({ status: 'none' });
  });
});

describe('ballots', () => {
  it('a ballot for another method is refused (wrong_method); none or two choice fields is a bad request; nothing changes', async () => {
    const { fac, d, p } = await room();
    const [a] = p[0]!;
    const vote = await openVote(fac, { method: 'ranking' });
    const device = d[0]![0]!;
    const mine = newBallotId();
    await refusedUnchanged(vote.id, 'wrong_method', () => submitBallot(device, vote.id, mine, { [a!]: 1 }));
    await refusedUnchanged(vote.id, 'wrong_method', () => submitChoices(device, vote.id, mine, { points: { [a!]: 1 } }));
    await refusedUnchanged(vote.id, 'wrong_method', () => submitChoices(device, vote.id, mine, { stances: { [a!]: 'support' } }));
    await refusedUnchanged(vote.id, 'bad_request', () => submitChoices(device, vote.id, mine, {}));
    await refusedUnchanged(vote.id, 'bad_request', () => submitChoices(device, vote.id, mine, { ranking: [a!], dots: { [a!]: 1 } }));
    expect(stored(vote.id)).toMatchObject({ ballots: 0, rows: [], receipts: [] });
    // With a ballot in, a change to another method is refused as well and the ballot stays.
    await ok(submitChoices(device, vote.id, mine, { ranking: [a!] }));
    await refusedUnchanged(vote.id, 'wrong_method', () => submitBallot(device, vote.id, mine, { [a!]: 1 }));
  });

  it('the same ballot twice is counted once (changed:false); the same ballot id with other choices replaces it', async () => {
    const { fac, view, d, p } = await room();
    const [a, b] = p[0]!;
    const [c] = p[1]!;
    const vote = await openVote(fac, { method: 'ranking' });
    const device = d[0]![0]!;
    const ballotId = newBallotId();
    expect(await submitChoices(device, vote.id, ballotId, { ranking: [a!, b!] })).toEqual({
      ok: true,
      data: { voteId: vote.id, ballotId, seat: null, changed: true },
    });
    const once = stored(vote.id);
    expect(await submitChoices(device, vote.id, ballotId, { ranking: [a!, b!] })).toEqual({
      ok: true,
      data: { voteId: vote.id, ballotId, seat: null, changed: false },
    });
    expect(stored(vote.id)).toEqual(once);
    expect(once).toMatchObject({ ballots: 1, rows: { length: 1 }, receipts: { length: 1 } });

    // Another order is another ballot: it replaces the first, still one ballot.
    await ok(submitChoices(device, vote.id, ballotId, { ranking: [c!, b!, a!] }));
    expect(stored(vote.id)).toMatchObject({ ballots: 1, rows: [{ ballot_id: ballotId }], receipts: { length: 1 } });
    const t = await tallyOf(view, vote.id, (x) => x.results[0]?.id === c);
    expect(scoresOf(t.results)).toEqual({ [a!]: 1, [b!]: 2, [c!]: 3, [p[1]![1]!]: 0 });
    // A second ballot id from the same device is not a second vote.
    await refusedUnchanged(vote.id, 'already_voted', () => submitChoices(device, vote.id, newBallotId(), { ranking: [a!] }));
  });

  it('a receipt whose ballot was never written (the server stopped between the two) is completed by the same ballot sent again', async () => {
    const { fac, d, p } = await room();
    const [a] = p[0]!;
    const vote = await openVote(fac, { method: 'dots', budget: 3, maxPerItem: 3 });
    const device = d[0]![0]!;
    const ballotId = newBallotId();
    // What the first of the two writes leaves behind: the receipt, and no ballot.
    const receipt: Receipt = { seal: seal(vote.id, ballotId, device.token), table: 1, seat: 0 };
    // Written through the server's own box (its cache holds the vote's boxes since they were opened).
    const box = (server.services.votes as unknown as { box: BallotBox }).box;
    box.add(receiptBox(vote.id), voterTag(vote.id, device.token), JSON.stringify(receipt), receiptSlotSize);
    box.flush();
    expect(stored(vote.id)).toMatchObject({ ballots: 0, rows: [], receipts: { length: 1 } });
    // Another ballot id from that device is still a second vote; the one it kept completes it.
    await refusedUnchanged(vote.id, 'already_voted', () => submitBallot(device, vote.id, newBallotId(), { [a!]: 1 }));
    await ok(submitBallot(device, vote.id, ballotId, { [a!]: 2 }));
    expect(stored(vote.id)).toMatchObject({ ballots: 1, rows: [{ ballot_id: ballotId }], receipts: { length: 1 } });
  });

  it('ballots after the vote closed are refused (vote_closed), new or changed', async () => {
    const { fac, view, d, p } = await room();
    const [a, b] = p[0]!;
    const vote = await openVote(fac, { method: 'points', budget: 5 });
    const mine = newBallotId();
    await ok(submitChoices(d[0]![0]!, vote.id, mine, { points: { [a!]: 5 } }));
    await close(fac, vote.id);
    await refusedUnchanged(vote.id, 'vote_closed', () => submitChoices(d[0]![0]!, vote.id, mine, { points: { [b!]: 5 } }));
    await refusedUnchanged(vote.id, 'vote_closed', () => submitChoices(d[1]![0]!, vote.id, newBallotId(), { points: { [b!]: 1 } }));
    const t = await tallyOf(view, vote.id, (x) => x.ballots === 1);
    expect(t).toMatchObject({ ballots: 1, eligible: 2 });
    expect(scoresOf(t.results)?.[a!]).toBe(5);
  });
});

describe('what a step votes on', () => {
  /** Two rounds of inbreng and stemmen; table 1 writes in both rounds, table 2 in the second. */
  const TWO_ROUNDS = {
    rounds: [
      {
        id: 'r1',
        steps: [
          { id: 'in1', type: 'inbreng' as const, durationSec: 600 },
          { id: 'st1', type: 'stemmen' as const, durationSec: 300 },
        ],
      },
      {
        id: 'r2',
        steps: [
          { id: 'in2', type: 'inbreng' as const, durationSec: 600 },
          { id: 'st2', type: 'stemmen' as const, durationSec: 300 },
        ],
      },
    ],
  };

  it("'tables' votes on every table's points of all rounds; 'table' has each table vote on its own points of this round", async () => {
    // Table 1: three tablets (results shown), table 2: one (results withheld).
    const { s, fac, view, d, p } = await room({ seated: [3, 1], points: [['Uit ronde 1'], []], body: { agenda: TWO_ROUNDS } });
    const old = p[0]![0]!;
    await gotoStep(fac, 'inbreng', 1);
    const b1 = await tableProvider(server, s.id, 1, { device: d[0]![0]!.token });
    const b2 = await tableProvider(server, s.id, 2, { device: d[1]![0]!.token });
    const x = addPointTo(b1, 'Tafel 1, ronde 2');
    const y = addPointTo(b1, 'Nog een van tafel 1');
    const z = addPointTo(b2, 'Tafel 2, ronde 2');
    await waitForServerPoints(server, s.id, 1, 3);
    await waitForServerPoints(server, s.id, 2, 1);
    await gotoStep(fac, 'stemmen', 1);

    const all = await openVote(fac, { source: 'tables' });
    expect(all.items.map((i) => [i.id, i.table])).toEqual([
      [old, 1],
      [x, 1],
      [y, 1],
      [z, 2],
    ]);
    await close(fac, all.id);

    const own = await openVote(fac, { source: 'table', method: 'dots', budget: 2 });
    expect(own.source).toBe('table');
    expect(own.items.map((i) => [i.id, i.table])).toEqual([
      [x, 1],
      [y, 1],
      [z, 2],
    ]);
    const [t1a, t1b, t1c] = d[0]!;
    const t2 = d[1]![0]!;
    // Another table's point, or one from an earlier round, is not on this table's ballot.
    await refusedUnchanged(own.id, 'unknown_item', () => submitBallot(t1a!, own.id, newBallotId(), { [z]: 1 }));
    await refusedUnchanged(own.id, 'unknown_item', () => submitBallot(t1a!, own.id, newBallotId(), { [old]: 1 }));
    await refusedUnchanged(own.id, 'unknown_item', () => submitBallot(t2, own.id, newBallotId(), { [x]: 1 }));
    await ok(submitBallot(t2, own.id, newBallotId(), { [z]: 2 }));
    await ok(submitBallot(t1a!, own.id, newBallotId(), { [x]: 2 }));
    await ok(submitBallot(t1b!, own.id, newBallotId(), { [x]: 1, [y]: 1 }));

    // Below three ballots at a table its results are withheld, for everyone.
    const withheld = (t: Tally) => t.tables.map((row) => [row.table, row.ballots, row.withheld, row.results.length]);
    for (const screen of [view, fac]) {
      const t = await tallyOf(screen, own.id, (x) => x.ballots === 3);
      expect(t.results).toEqual([]);
      expect(withheld(t)).toEqual([
        [1, 2, true, 0],
        [2, 1, true, 0],
      ]);
    }
    expect(MIN_VOTERS_SHOWN).toBe(3);
    // The third ballot at table 1 shows table 1's results; table 2 stays withheld.
    await ok(submitBallot(t1c!, own.id, newBallotId(), { [y]: 2 }));
    for (const screen of [view, fac]) {
      const t = await tallyOf(screen, own.id, (x) => x.ballots === 4);
      expect(withheld(t)).toEqual([
        [1, 3, false, 2],
        [2, 1, true, 0],
      ]);
      expect(ranked(t.tables[0]!.results)).toEqual([
        [x, 3, 1, true],
        [y, 3, 1, true],
      ]);
    }
  });

  it("'plenary' votes on the plenary board's points after a harvest, with the tables they came from (the thematafel template)", async () => {
    const { s, fac, d, p } = await room({ seated: [1, 1], body: { agenda: undefined } });
    await emitOk(fac.socket, Events.plenaryHarvest, { from: 'table', table: 1, pointIds: [p[0]![0]] });
    await emitOk(fac.socket, Events.plenaryHarvest, { from: 'table', table: 2, pointIds: p[1] });
    const board = server.services.plenary.view(server.services.sessions.require(s.id));
    expect(board.points).toHaveLength(3);

    // The template's plenary vote: three dots over the plenary board, not blind.
    const vote = await openVote(fac);
    expect(vote).toMatchObject({ method: 'dots', source: 'plenary', rules: { budget: 3, maxPerItem: 3 }, blind: false });
    expect(vote.items).toEqual(board.points.map((pt) => ({ id: pt.id, table: pt.tables[0], tables: pt.tables, theme: pt.theme, text: pt.text })));
    expect(vote.items.map((i) => [i.text, i.tables])).toEqual(
      expect.arrayContaining([
        ['Punt A', [1]],
        ['Punt C', [2]],
        ['Punt D', [2]],
      ]),
    );
    // A table's own point id is not a plenary item.
    await refusedUnchanged(vote.id, 'unknown_item', () => submitBallot(d[0]![0]!, vote.id, newBallotId(), { [p[0]![0]!]: 1 }));
    await ok(submitBallot(d[0]![0]!, vote.id, newBallotId(), { [vote.items[2]!.id]: 3 }));
  });

  it("'recommendations' votes on a typed list, from vote:open or from the step; without a list it is refused", async () => {
    const { s, fac, d } = await room({ seated: [1], points: [[]] });
    await refusedNoVote(s.id, () => emitAck(fac.socket, Events.voteOpen, { method: 'recommendations', source: 'recommendations' }));
    await refusedNoVote(s.id, () => emitAck(fac.socket, Events.voteOpen, { source: 'recommendations' }));
    // A recommendations vote without a list falls back to the tables' points: there are none here.
    await refusedNoVote(s.id, () => emitAck(fac.socket, Events.voteOpen, { method: 'recommendations' }), 'no_points');

    const typed = await openVote(fac, { method: 'recommendations', recommendations: ['Meer groen', '  Een buurtpunt  '], threshold: 60 });
    expect(typed).toMatchObject({ source: 'recommendations', rules: { method: 'recommendations', threshold: 60 } });
    expect(typed.items).toEqual([
      { id: 'r1', table: null, theme: null, text: 'Meer groen' },
      { id: 'r2', table: null, theme: null, text: 'Een buurtpunt' },
    ]);
    await refusedUnchanged(typed.id, 'unknown_item', () => submitChoices(d[0]![0]!, typed.id, newBallotId(), { stances: { r3: 'support' } }));
    await ok(submitChoices(d[0]![0]!, typed.id, newBallotId(), { stances: { r1: 'support', r2: 'abstain' } }));
    await close(fac, typed.id);

    // From the step's settings.
    const withList = await createSession(server, {
      tables: 1,
      agenda: {
        rounds: [
          {
            steps: [{ type: 'stemmen', durationSec: 300, vote: { method: 'recommendations', recommendations: ['Uit de agenda'], threshold: 80 } }],
          },
        ],
      },
    });
    const fac2 = await facilitator(server, withList);
    await startSession(fac2);
    const fromStep = await openVote(fac2);
    expect(fromStep).toMatchObject({ source: 'recommendations', rules: { threshold: 80 }, items: [{ id: 'r1', text: 'Uit de agenda' }] });
  });
});

/** A vote:open that must be refused and open nothing. */
async function refusedNoVote(sessionId: string, send: () => Promise<Ack<unknown>>, code: ErrorCode = 'bad_request') {
  const before = countRows(server, 'votes', 'WHERE session_id = ?', sessionId);
  expectRefused(await send(), code);
  expect(countRows(server, 'votes', 'WHERE session_id = ?', sessionId)).toBe(before);
}

describe('blind votes', () => {
  it('while open, screens get hidden:true and no results, the facilitator gets them; after closing everyone does', async () => {
    const { s, fac, view, d, p } = await room();
    const [a] = p[0]!;
    const host = await tableHost(server, s, 1);
    const vote = await openVote(fac, { blind: true });
    expect(vote.blind).toBe(true);
    await ok(submitBallot(d[0]![0]!, vote.id, newBallotId(), { [a!]: 3 }));
    await ok(submitBallot(d[1]![0]!, vote.id, newBallotId(), { [a!]: 1 }));

    const facTally = await tallyOf(fac, vote.id, (t) => t.ballots === 2);
    expect(facTally).toMatchObject({ hidden: false, eligible: 2 });
    expect(scoresOf(facTally.results)?.[a!]).toBe(4);
    // Turnout, but nothing about what was chosen; also for a screen that connects now.
    const late = await viewer(server, s.id);
    for (const screen of [view, host, late]) {
      const t = await tallyOf(screen, vote.id, (x) => x.ballots === 2);
      expect(t).toMatchObject({ hidden: true, results: [], tables: [], ballots: 2, eligible: 2 });
    }
    // Tablets show no live result, so they get no tally at all until the vote closes.
    expect(d[0]![0]!.tallies.filter((x) => x.voteId === vote.id)).toEqual([]);
    for (const screen of [view, host, late]) {
      for (const t of screen.tallies.filter((x) => x.voteId === vote.id)) expect(t).toMatchObject({ hidden: true, results: [] });
    }

    await close(fac, vote.id);
    for (const screen of [view, host, d[1]![0]!, late, fac]) {
      const t = await tallyOf(screen, vote.id, (x) => !x.hidden);
      expect(scoresOf(t.results)?.[a!]).toBe(4);
    }
  });

  it('a burgerberaad votes blind unless the vote says otherwise; a thematafel does not', async () => {
    const { fac } = await room({ body: { kind: 'burgerberaad' } });
    const blind = await openVote(fac);
    expect(blind.blind).toBe(true);
    await close(fac, blind.id);
    expect((await openVote(fac, { blind: false })).blind).toBe(false);

    const thematafel = await room();
    expect((await openVote(thematafel.fac)).blind).toBe(false);
  });
});

describe('a shared tablet (doorgeefstand)', () => {
  it('votes once per seat, names its seat, and counts the seats as eligible', async () => {
    const { s, fac, d, p } = await room({ seated: [1, 1] });
    const [a, b] = p[0]!;
    const tablet = d[0]![0]!;
    const other = d[1]![0]!;
    await setSeats(fac, 1, 3);
    await expect.poll(() => tablet.deviceStates.at(-1)?.seats).toBe(3);
    await expect.poll(() => fac.lastOverview()?.find((r) => r.table === 1)?.seats).toBe(3);
    expect(other.deviceStates.at(-1)?.seats).toBe(0);

    const vote = await openVote(fac);
    // Three seats at table 1 and one device at table 2.
    await expect.poll(() => fac.lastTally()?.voteId === vote.id && fac.lastTally()?.eligible).toBe(4);

    await refusedUnchanged(vote.id, 'bad_request', () => submitBallot(tablet, vote.id, newBallotId(), { [a!]: 1 }));
    const seatIds = [newBallotId(), newBallotId(), newBallotId()];
    for (const [i, id] of seatIds.entries()) {
      expect(await submitBallot(tablet, vote.id, id, { [i === 1 ? b! : a!]: 1 + i }, i + 1)).toEqual({
        ok: true,
        data: { voteId: vote.id, ballotId: id, seat: i + 1, changed: true },
      });
    }
    await refusedUnchanged(vote.id, 'bad_request', () => submitBallot(tablet, vote.id, newBallotId(), { [a!]: 1 }, 4));
    await refusedUnchanged(vote.id, 'seat_taken', () => submitBallot(tablet, vote.id, newBallotId(), { [b!]: 1 }, 2));
    // The seat's own ballot again is a resend; with other dots, a change.
    await ok(submitBallot(tablet, vote.id, seatIds[1]!, { [b!]: 2 }, 2), false);
    await ok(submitBallot(tablet, vote.id, seatIds[1]!, { [a!]: 2 }, 2));
    // A table with a device per person names no seat.
    await refusedUnchanged(vote.id, 'bad_request', () => submitBallot(other, vote.id, newBallotId(), { [a!]: 1 }, 1));
    await ok(submitBallot(other, vote.id, newBallotId(), { [b!]: 1 }));

    expect(stored(vote.id)).toMatchObject({ ballots: 4, rows: { length: 4 } });
    expect(
      stored(vote.id)
        .receipts.map((r) => r.seat)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
    const t = await tallyOf(fac, vote.id, (x) => x.ballots === 4);
    expect(t.eligible).toBe(4);
    expect(scoresOf(t.results)).toMatchObject({ [a!]: 1 + 2 + 3, [b!]: 1 });
    await expect.poll(() => tablet.deviceStates.at(-1)?.seatsVoted).toEqual([1, 2, 3]);
    expect(tablet.deviceStates.at(-1)?.votedIn).toEqual([vote.id]);
    await expect
      .poll(() => fac.lastOverview()?.map((r) => [r.table, r.voted, r.seats]))
      .toEqual([
        [1, 3, 3],
        [2, 1, 0],
      ]);
    // Only the facilitator sets seats, within the session's tables.
    expectRefused(await emitAck(tablet.socket, Events.tableSeats, { table: 1, seats: 5 }), 'forbidden');
    expectRefused(await emitAck(fac.socket, Events.tableSeats, { table: 3, seats: 2 }), 'bad_request');
    expectRefused(await emitAck(fac.socket, Events.tableSeats, { table: 1, seats: 21 }), 'bad_request');
    expect(server.services.tables.seats(s.id)).toEqual(new Map([[1, 3]]));
  });

  it('a seat is the table’s: a second tablet at that table cannot vote for it again', async () => {
    const { fac, d, p } = await room({ seated: [2, 1] });
    const [first, second] = d[0]!;
    await setSeats(fac, 1, 2);
    const vote = await openVote(fac);
    await ok(submitBallot(first!, vote.id, newBallotId(), { [p[0]![0]!]: 1 }, 1));
    await refusedUnchanged(vote.id, 'seat_taken', () => submitBallot(second!, vote.id, newBallotId(), { [p[0]![1]!]: 1 }, 1));
    await ok(submitBallot(second!, vote.id, newBallotId(), { [p[0]![1]!]: 1 }, 2));
    await expect.poll(() => first!.deviceStates.at(-1)?.seatsVoted).toEqual([1, 2]);
    expect(stored(vote.id).ballots).toBe(2);
  });

  it('seats cannot change while a vote is open', async () => {
    const { s, fac } = await room({ seated: [1, 1] });
    await setSeats(fac, 1, 2);
    const vote = await openVote(fac);
    expectRefused(await emitAck(fac.socket, Events.tableSeats, { table: 1, seats: 0 }), 'vote_already_open');
    expect(server.services.tables.seats(s.id)).toEqual(new Map([[1, 2]]));
    await emitOk(fac.socket, Events.voteClose, { voteId: vote.id });
    await setSeats(fac, 1, 0);
    expect(server.services.tables.seats(s.id)).toEqual(new Map());
  });
});

describe('ballots stay where they were cast', () => {
  it('moving devices after they voted does not change a table’s count, nor uncover a lone voter', async () => {
    const { fac, d, p } = await room({
      seated: [3, 1],
      points: [['A'], ['B']],
      body: {
        agenda: {
          rounds: [
            {
              steps: [
                { type: 'inbreng', durationSec: 60 },
                { type: 'stemmen', durationSec: 60, vote: { method: 'dots', source: 'table', budget: 3 } },
              ],
            },
          ],
        },
      },
    });
    const vote = await openVote(fac);
    for (const device of d[0]!) await ok(submitBallot(device, vote.id, newBallotId(), { [p[0]![0]!]: 1 }));
    await ok(submitBallot(d[1]![0]!, vote.id, newBallotId(), { [p[1]![0]!]: 3 }));
    const before = await tallyOf(fac, vote.id, (x) => x.ballots === 4);
    expect(before.tables.map((x) => [x.table, x.ballots, x.withheld])).toEqual([
      [1, 3, false],
      [2, 1, true],
    ]);
    for (const device of d[0]!.slice(0, 2)) await emitOk(fac.socket, Events.deviceMove, { label: device.deviceStates.at(-1)!.label, table: 2 });
    await expect.poll(() => server.services.deviceById(d[0]![0]!.deviceId)!.table).toBe(2);
    const votes = server.services.votes;
    expect(votes.votersByTable(vote.id)).toEqual(
      new Map([
        [1, 3],
        [2, 1],
      ]),
    );
    await expect
      .poll(() => fac.lastOverview()?.map((r) => [r.table, r.voted]))
      .toEqual([
        [1, 3],
        [2, 1],
      ]);
  });
});

describe('opening with changes', () => {
  it('changes without a method keep the step’s method and its limits', async () => {
    const { fac } = await room({
      body: {
        agenda: {
          rounds: [
            {
              steps: [
                { type: 'inbreng', durationSec: 60 },
                { type: 'stemmen', durationSec: 60, vote: { method: 'points', budget: 100 } },
              ],
            },
          ],
        },
      },
    });
    expect((await openVote(fac, { budget: 50 })).rules).toEqual({ method: 'points', budget: 50 });
  });
});

describe('live tallies', () => {
  it('a burst of ballots reaches a screen as at most about ten tallies a second', async () => {
    const { fac, view, d, p } = await room({ seated: [1, 1, 1], points: [['A'], ['B'], ['C']] });
    for (const table of [1, 2, 3]) await setSeats(fac, table, 20);
    const vote = await openVote(fac, { method: 'dots', budget: 2 });
    await tallyOf(view, vote.id);
    const seen = view.tallies.length;
    const items = p.flat();

    const started = Date.now();
    const sends: Promise<Ack<unknown>>[] = [];
    for (const [t, tablets] of d.entries()) {
      for (let seat = 1; seat <= 20; seat++) {
        sends.push(submitBallot(tablets[0]!, vote.id, newBallotId(), { [items[(t + seat) % 3]!]: 1 + (seat % 2) }, seat));
      }
    }
    for (const r of await Promise.all(sends)) expect(r).toMatchObject({ ok: true });
    await tallyOf(view, vote.id, (t) => t.ballots === 60);
    const duration = Date.now() - started;

    const burst = view.tallies.slice(seen).filter((t) => t.voteId === vote.id);
    expect(burst.length).toBeGreaterThanOrEqual(1);
    expect(burst.length, `${burst.length} tallies in ${duration} ms`).toBeLessThanOrEqual(Math.ceil(duration / 100) + 2);
    // The last one has everything: throttling drops no ballot.
    expect(stored(vote.id).ballots).toBe(60);
    expect(burst.at(-1)!.ballots).toBe(60);
  });
});
