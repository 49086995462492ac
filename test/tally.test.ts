import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyBallot,
  BallotChoicesSchema,
  checkBallot,
  emptyCount,
  isAdopted,
  isDivided,
  normaliseBallot,
  rankResults,
  spreadOf,
  tally,
  VoteRulesSchema,
  type BallotChoices,
  type Stance,
  type VoteCount,
  type VoteRules,
} from '../shared/tally.js';
import { VoteSettings } from '../shared/protocol.js';
import { mergeVoteSettings, resolveVote } from '../shared/voteSettings.js';

/** Fixed seed, so a failure replays the same way everywhere. */
const runs = { numRuns: 300, seed: 20_240_611 };

const items = ['a', 'b', 'c', 'd'];
const itemSet = new Set(items);
const listed = (ids: readonly string[]) => ids.map((id) => ({ id }));
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const dots = (d: Record<string, number>): BallotChoices => ({ method: 'dots', dots: d });
const points = (p: Record<string, number>): BallotChoices => ({ method: 'points', points: p });
const ranking = (...r: string[]): BallotChoices => ({ method: 'ranking', ranking: r });
const stances = (s: Record<string, Stance>): BallotChoices => ({ method: 'recommendations', stances: s });
const grades = (g: Record<string, number>): BallotChoices => ({ method: 'graded', grades: g });

const dotRules = { method: 'dots', budget: 10, maxPerItem: 4 } as const satisfies VoteRules;
const pointRules = { method: 'points', budget: 100 } as const satisfies VoteRules;
const rankRules = { method: 'ranking' } as const satisfies VoteRules;
const recRules = (threshold: number) => ({ method: 'recommendations', threshold }) as const satisfies VoteRules;
const CONSENT = ['Helemaal voor', 'Kan ermee leven', 'Twijfel', 'Bezwaar'];
const gradedRules = (accept = 2, threshold = 80) => ({ method: 'graded', labels: CONSENT, accept, threshold }) as const satisfies VoteRules;

/** A count made directly, for checking results without going through ballots. */
function stanceCount(perItem: Record<string, [support: number, oppose: number, abstain: number]>): VoteCount {
  const counters = Object.entries(perItem).map(([id, [support, oppose, abstain]]) => [id, { support, oppose, abstain }] as const);
  return { method: 'recommendations', ballots: 0, items: Object.fromEntries(counters) };
}

describe('VoteRulesSchema', () => {
  it('accepts rules for every method', () => {
    for (const rules of [dotRules, pointRules, rankRules, recRules(70)]) {
      expect(VoteRulesSchema.parse(rules)).toEqual(rules);
    }
  });

  it('accepts the bounds themselves', () => {
    for (const rules of [
      { method: 'dots', budget: 1, maxPerItem: 1 },
      { method: 'dots', budget: 20, maxPerItem: 20 },
      { method: 'points', budget: 1 },
      { method: 'points', budget: 1000 },
      { method: 'recommendations', threshold: 1 },
      { method: 'recommendations', threshold: 100 },
    ]) {
      expect(VoteRulesSchema.safeParse(rules).success, JSON.stringify(rules)).toBe(true);
    }
  });

  it('refuses rules outside the bounds, with extra fields or of an unknown method', () => {
    for (const rules of [
      { method: 'dots', budget: 10, maxPerItem: 11 },
      { method: 'dots', budget: 21, maxPerItem: 1 },
      { method: 'dots', budget: 0, maxPerItem: 0 },
      { method: 'dots', budget: 5.5, maxPerItem: 1 },
      { method: 'dots', budget: 10 },
      { method: 'points', budget: 0 },
      { method: 'points', budget: 1001 },
      { method: 'recommendations', threshold: 0 },
      { method: 'recommendations', threshold: 101 },
      { method: 'recommendations', threshold: 70.5 },
      { method: 'ranking', budget: 3 },
      { method: 'approval' },
      {},
    ]) {
      expect(VoteRulesSchema.safeParse(rules).success, JSON.stringify(rules)).toBe(false);
    }
  });

  it('explains a per-item limit above the budget on that field', () => {
    const res = VoteRulesSchema.safeParse({ method: 'dots', budget: 3, maxPerItem: 4 });
    expect(res.success).toBe(false);
    if (!res.success) expect(res.error.issues[0]?.path).toEqual(['maxPerItem']);
  });
});

describe('BallotChoicesSchema', () => {
  it('accepts a ballot of every method, empty ones included', () => {
    for (const ballot of [
      dots({ a: 3, b: 0 }),
      dots({}),
      points({ a: 1000 }),
      ranking('b', 'a'),
      ranking(),
      stances({ a: 'support', b: 'oppose', c: 'abstain' }),
      stances({}),
    ]) {
      expect(BallotChoicesSchema.parse(ballot)).toEqual(ballot);
    }
  });

  it('refuses negative, fractional or too large numbers, long ids, long rankings and extra fields', () => {
    for (const ballot of [
      { method: 'dots', dots: { a: -1 } },
      { method: 'dots', dots: { a: 1.5 } },
      { method: 'dots', dots: { a: 21 } },
      { method: 'dots', dots: { ['x'.repeat(65)]: 1 } },
      { method: 'points', points: { a: 1001 } },
      { method: 'points', points: { a: '5' } },
      { method: 'ranking', ranking: Array.from({ length: 201 }, (_, i) => `i${i}`) },
      { method: 'ranking', ranking: ['x'.repeat(65)] },
      { method: 'recommendations', stances: { a: 'maybe' } },
      { method: 'recommendations', stances: {}, extra: 1 },
      { method: 'dots', points: { a: 1 } },
      { method: 'dots' },
    ]) {
      expect(BallotChoicesSchema.safeParse(ballot).success, JSON.stringify(ballot).slice(0, 80)).toBe(false);
    }
  });

  it('accepts a ranking of 200 items and ids of 64 characters', () => {
    expect(BallotChoicesSchema.safeParse(ranking(...Array.from({ length: 200 }, (_, i) => `i${i}`))).success).toBe(true);
    expect(BallotChoicesSchema.safeParse(dots({ ['x'.repeat(64)]: 1 })).success).toBe(true);
  });

  it('refuses a ballot that names more than 200 items', () => {
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`i${i}`, 0]));
    expect(BallotChoicesSchema.safeParse(dots(many)).success).toBe(false);
  });
});

describe('checkBallot', () => {
  it('accepts an empty ballot for every method (a voter may withdraw)', () => {
    expect(checkBallot(dotRules, itemSet, dots({}))).toEqual({ ok: true });
    expect(checkBallot(pointRules, itemSet, points({}))).toEqual({ ok: true });
    expect(checkBallot(rankRules, itemSet, ranking())).toEqual({ ok: true });
    expect(checkBallot(recRules(70), itemSet, stances({}))).toEqual({ ok: true });
  });

  it('refuses a ballot of another method, naming both', () => {
    const res = checkBallot(dotRules, itemSet, ranking('a'));
    expect(res).toMatchObject({ ok: false, code: 'wrong_method' });
    if (!res.ok) expect(res.message).toMatch(/ranking.*dots/);
    expect(checkBallot(pointRules, itemSet, dots({ a: 1 }))).toMatchObject({ code: 'wrong_method' });
    expect(checkBallot(recRules(50), itemSet, points({}))).toMatchObject({ code: 'wrong_method' });
    expect(checkBallot(rankRules, itemSet, stances({}))).toMatchObject({ code: 'wrong_method' });
  });

  describe('dots', () => {
    it('accepts exactly the budget, and the per-item limit on one item', () => {
      expect(checkBallot(dotRules, itemSet, dots({ a: 4, b: 4, c: 2 }))).toEqual({ ok: true });
    });

    it('refuses a ballot over the budget, naming the dots used and the budget', () => {
      const res = checkBallot(dotRules, itemSet, dots({ a: 4, b: 4, c: 4 }));
      expect(res).toEqual({ ok: false, code: 'over_budget', message: '12 dots used, the budget is 10' });
    });

    it('refuses more dots on one item than the limit, naming the limit', () => {
      const res = checkBallot(dotRules, itemSet, dots({ a: 5 }));
      expect(res).toMatchObject({ ok: false, code: 'over_item_limit' });
      if (!res.ok) expect(res.message).toContain('4');
    });

    it('refuses an unknown item, even with zero dots, naming it', () => {
      const res = checkBallot(dotRules, itemSet, dots({ zzz: 0 }));
      expect(res).toMatchObject({ ok: false, code: 'unknown_item' });
      if (!res.ok) expect(res.message).toContain('zzz');
    });
  });

  describe('points', () => {
    it('accepts the whole budget on one item, and less than the budget', () => {
      expect(checkBallot(pointRules, itemSet, points({ a: 100 }))).toEqual({ ok: true });
      expect(checkBallot(pointRules, itemSet, points({ a: 10, b: 20 }))).toEqual({ ok: true });
    });

    it('refuses a ballot over the budget, naming the points used and the budget', () => {
      const res = checkBallot(pointRules, itemSet, points({ a: 60, b: 41 }));
      expect(res).toEqual({ ok: false, code: 'over_budget', message: '101 points used, the budget is 100' });
    });

    it('refuses an unknown item, naming it', () => {
      const res = checkBallot(pointRules, itemSet, points({ a: 1, ghost: 1 }));
      expect(res).toMatchObject({ ok: false, code: 'unknown_item' });
      if (!res.ok) expect(res.message).toContain('ghost');
    });
  });

  describe('ranking', () => {
    it('accepts full and partial rankings', () => {
      expect(checkBallot(rankRules, itemSet, ranking('d', 'c', 'b', 'a'))).toEqual({ ok: true });
      expect(checkBallot(rankRules, itemSet, ranking('c'))).toEqual({ ok: true });
    });

    it('refuses an item ranked twice, naming it', () => {
      const res = checkBallot(rankRules, itemSet, ranking('a', 'b', 'a'));
      expect(res).toMatchObject({ ok: false, code: 'duplicate_item' });
      if (!res.ok) expect(res.message).toContain('"a"');
    });

    it('refuses an unknown item, naming it', () => {
      const res = checkBallot(rankRules, itemSet, ranking('a', 'nope'));
      expect(res).toMatchObject({ ok: false, code: 'unknown_item' });
      if (!res.ok) expect(res.message).toContain('nope');
    });
  });

  describe('recommendations', () => {
    it('accepts stances on some or all items', () => {
      expect(checkBallot(recRules(70), itemSet, stances({ a: 'support', d: 'abstain' }))).toEqual({ ok: true });
    });

    it('refuses an unknown item, naming it', () => {
      const res = checkBallot(recRules(70), itemSet, stances({ a: 'support', e: 'oppose' }));
      expect(res).toMatchObject({ ok: false, code: 'unknown_item' });
      if (!res.ok) expect(res.message).toContain('"e"');
    });
  });
});

describe('normaliseBallot', () => {
  it('sorts keys and drops zeros for dots and points, so equal ballots stringify equally', () => {
    expect(JSON.stringify(normaliseBallot(dots({ c: 1, a: 0, b: 2 })))).toBe(JSON.stringify(dots({ b: 2, c: 1 })));
    expect(JSON.stringify(normaliseBallot(points({ b: 5, a: 7, c: 0 })))).toBe(JSON.stringify(normaliseBallot(points({ a: 7, b: 5 }))));
  });

  it('keeps the ranking order and abstentions', () => {
    expect(normaliseBallot(ranking('c', 'a', 'b'))).toEqual(ranking('c', 'a', 'b'));
    expect(JSON.stringify(normaliseBallot(stances({ b: 'abstain', a: 'oppose' })))).toBe(JSON.stringify(stances({ a: 'oppose', b: 'abstain' })));
  });

  it('does not share arrays or records with its input', () => {
    const input = ranking('a', 'b');
    const out = normaliseBallot(input);
    if (out.method === 'ranking') out.ranking.push('c');
    expect(input).toEqual(ranking('a', 'b'));
  });
});

describe('running counts', () => {
  it('starts with every item at zero and no ballots', () => {
    expect(emptyCount(dotRules, items)).toEqual({
      method: 'dots',
      ballots: 0,
      items: { a: { total: 0, sq: 0 }, b: { total: 0, sq: 0 }, c: { total: 0, sq: 0 }, d: { total: 0, sq: 0 } },
    });
    expect(emptyCount(rankRules, ['a']).items).toEqual({ a: { score: 0, firsts: 0, ranked: 0, sq: 0 } });
    expect(emptyCount(gradedRules(), ['a']).items).toEqual({ a: { levels: [0, 0, 0, 0] } });
    expect(emptyCount(recRules(50), ['a']).items).toEqual({ a: { support: 0, oppose: 0, abstain: 0 } });
    expect(emptyCount(pointRules, []).items).toEqual({});
  });

  it('adds dots and points per item', () => {
    const d = tally(dotRules, items, [dots({ a: 2, b: 1 }), dots({ a: 4 }), dots({})]);
    expect(d).toEqual({
      method: 'dots',
      ballots: 2,
      items: { a: { total: 6, sq: 4 + 16 }, b: { total: 1, sq: 1 }, c: { total: 0, sq: 0 }, d: { total: 0, sq: 0 } },
    });
    const p = tally(pointRules, items, [points({ a: 60, b: 40 }), points({ b: 100 })]);
    expect(p.items).toEqual({ a: { total: 60, sq: 3600 }, b: { total: 140, sq: 1600 + 10000 }, c: { total: 0, sq: 0 }, d: { total: 0, sq: 0 } });
    expect(p.ballots).toBe(2);
  });

  it('replaces a changed ballot by taking the old one away', () => {
    const count = tally(dotRules, items, [dots({ a: 2 }), dots({ b: 3 })]);
    applyBallot(count, dots({ b: 3 }), -1);
    applyBallot(count, dots({ c: 1, d: 1 }), 1);
    expect(count).toEqual(tally(dotRules, items, [dots({ a: 2 }), dots({ c: 1, d: 1 })]));
  });

  it('no longer counts a voter who withdraws', () => {
    const count = tally(recRules(50), items, [stances({ a: 'support' }), stances({ a: 'oppose' })]);
    applyBallot(count, stances({ a: 'oppose' }), -1);
    applyBallot(count, stances({}), 1);
    expect(count.ballots).toBe(1);
    expect(count.items.a).toEqual({ support: 1, oppose: 0, abstain: 0 });
  });

  it('ignores items that are not part of the count, as after an item was removed', () => {
    const count = tally(dotRules, ['a'], [dots({ a: 1, b: 2 }), dots({ b: 3 })]);
    expect(count).toEqual({ method: 'dots', ballots: 1, items: { a: { total: 1, sq: 1 } } });
    const ranked = tally(rankRules, ['a', 'c'], [ranking('b', 'a', 'c')]);
    expect(ranked.items).toEqual({ a: { score: 2, firsts: 1, ranked: 1, sq: 4 }, c: { score: 1, firsts: 0, ranked: 1, sq: 1 } });
  });

  it('treats ids such as "__proto__" and "toString" as ordinary items', () => {
    const ids = ['__proto__', 'toString'];
    const count = tally(dotRules, ids, [
      dots(
        Object.fromEntries([
          ['__proto__', 2],
          ['toString', 1],
          ['constructor', 3],
        ]),
      ),
    ]);
    expect(Object.keys(count.items)).toEqual(ids);
    expect(JSON.parse(JSON.stringify(count))).toEqual({
      method: 'dots',
      ballots: 1,
      items: Object.fromEntries([
        ['__proto__', { total: 2, sq: 4 }],
        ['toString', { total: 1, sq: 1 }],
      ]),
    });
  });

  it('refuses to count a ballot of another method', () => {
    expect(() => applyBallot(emptyCount(dotRules, items), ranking('a'), 1)).toThrow(/ranking.*dots/);
  });

  it('is plain JSON', () => {
    const count = tally(recRules(70), items, [stances({ a: 'support', b: 'abstain' })]);
    expect(JSON.parse(JSON.stringify(count))).toEqual(count);
  });
});

describe('Modified Borda Count', () => {
  it('counts full rankings: k points for the first of k, down to 1 for the last', () => {
    const count = tally(rankRules, ['x', 'y', 'z'], [ranking('x', 'y', 'z'), ranking('y', 'z', 'x'), ranking('x', 'z', 'y')]);
    expect(count.items).toEqual({
      x: { score: 3 + 1 + 3, firsts: 2, ranked: 3, sq: 9 + 1 + 9 },
      y: { score: 2 + 3 + 1, firsts: 1, ranked: 3, sq: 4 + 9 + 1 },
      z: { score: 1 + 2 + 2, firsts: 0, ranked: 3, sq: 1 + 4 + 4 },
    });
    expect(count.ballots).toBe(3);
  });

  it('counts partial rankings by their own length, unranked items getting nothing', () => {
    const count = tally(rankRules, items, [ranking('a', 'b', 'c', 'd'), ranking('b', 'a'), ranking('c'), ranking()]);
    // a: 4 + 1, b: 3 + 2, c: 2 + 1 (ranked alone, so 1), d: 1
    expect(count.items).toEqual({
      a: { score: 5, firsts: 1, ranked: 2, sq: 16 + 1 },
      b: { score: 5, firsts: 1, ranked: 2, sq: 9 + 4 },
      c: { score: 3, firsts: 1, ranked: 2, sq: 4 + 1 },
      d: { score: 1, firsts: 0, ranked: 1, sq: 1 },
    });
    expect(count.ballots).toBe(3);
    // Spread over the 3 ballots on 0..4 points: √(3·Σx² − (Σx)²) / (3 × 4), e.g. a: √26 / 12 ≈ 0.42.
    const spread = (d: number) => Math.sqrt(d) / 12;
    expect(rankResults(rankRules, listed(items), count).map(({ spread: s, ...r }) => ({ ...r, spread: Number(s?.toFixed(12)) }))).toEqual([
      { id: 'a', rank: 1, tied: true, score: 5, firsts: 1, ranked: 2, spread: Number(spread(26).toFixed(12)), divided: true },
      { id: 'b', rank: 1, tied: true, score: 5, firsts: 1, ranked: 2, spread: Number(spread(14).toFixed(12)), divided: true },
      { id: 'c', rank: 3, tied: false, score: 3, firsts: 1, ranked: 2, spread: Number(spread(6).toFixed(12)), divided: false },
      { id: 'd', rank: 4, tied: false, score: 1, firsts: 0, ranked: 1, spread: Number(spread(2).toFixed(12)), divided: false },
    ]);
  });

  it('gives a longer ranking more weight than a shorter one', () => {
    const count = tally(rankRules, items, [ranking('a', 'b', 'c'), ranking('b')]);
    expect(count.items.a?.score).toBe(3);
    expect(count.items.b?.score).toBe(2 + 1);
  });
});

describe('recommendations', () => {
  it('counts stances per item and leaves out items not voted on', () => {
    const count = tally(recRules(70), items, [stances({ a: 'support', b: 'oppose' }), stances({ a: 'abstain' }), stances({ a: 'support', c: 'support' })]);
    expect(count).toEqual({
      method: 'recommendations',
      ballots: 3,
      items: {
        a: { support: 2, oppose: 0, abstain: 1 },
        b: { support: 0, oppose: 1, abstain: 0 },
        c: { support: 1, oppose: 0, abstain: 0 },
        d: { support: 0, oppose: 0, abstain: 0 },
      },
    });
  });

  it('adopts at exactly the threshold, without floating-point error', () => {
    const [row] = rankResults(recRules(70), listed(['a']), stanceCount({ a: [7, 3, 0] }));
    expect(row).toEqual({
      id: 'a',
      rank: 1,
      tied: false,
      score: 70,
      support: 7,
      oppose: 3,
      abstain: 0,
      cast: 10,
      supportPct: 70,
      adopted: true,
      spread: null,
      divided: false,
    });
  });

  it('reports whole percentages exactly', () => {
    const [row] = rankResults(recRules(57), listed(['a']), stanceCount({ a: [57, 43, 0] }));
    expect(row).toMatchObject({ supportPct: 57, score: 57, adopted: true });
  });

  it('does not adopt just below the threshold', () => {
    const rows = rankResults(recRules(70), listed(['a', 'b', 'c']), stanceCount({ a: [699, 301, 0], b: [700, 300, 0], c: [6, 4, 0] }));
    expect(rows.map((r) => [r.id, r.adopted])).toEqual([
      ['b', true],
      ['a', false],
      ['c', false],
    ]);
    expect(rows.find((r) => r.id === 'a')?.supportPct).toBeCloseTo(69.9, 10);
  });

  it('compares two thirds with 66 and 67 percent exactly', () => {
    expect(isAdopted(2, 1, 66)).toBe(true);
    expect(isAdopted(2, 1, 67)).toBe(false);
    expect(isAdopted(1, 0, 100)).toBe(true);
    expect(isAdopted(99, 1, 100)).toBe(false);
    expect(isAdopted(0, 0, 1)).toBe(false);
  });

  it('does not count abstentions as votes cast', () => {
    const [row] = rankResults(recRules(70), listed(['a']), stanceCount({ a: [7, 3, 90] }));
    expect(row).toMatchObject({ cast: 10, abstain: 90, supportPct: 70, adopted: true });
  });

  it('gives no percentage and no adoption when everyone abstained, and ranks such items last', () => {
    const rows = rankResults(recRules(1), listed(['a', 'b', 'c']), stanceCount({ a: [0, 0, 5], b: [0, 3, 0] }));
    expect(rows).toEqual([
      { id: 'b', rank: 1, tied: false, score: 0, support: 0, oppose: 3, abstain: 0, cast: 3, supportPct: 0, adopted: false, spread: null, divided: false },
      { id: 'a', rank: 2, tied: true, score: -1, support: 0, oppose: 0, abstain: 5, cast: 0, supportPct: null, adopted: false, spread: null, divided: false },
      { id: 'c', rank: 2, tied: true, score: -1, support: 0, oppose: 0, abstain: 0, cast: 0, supportPct: null, adopted: false, spread: null, divided: false },
    ]);
  });

  it('ties equal proportions of different sizes', () => {
    const rows = rankResults(recRules(50), listed(['a', 'b', 'c']), stanceCount({ a: [1, 2, 0], b: [3, 1, 0], c: [2, 4, 0] }));
    expect(rows.map((r) => [r.id, r.rank, r.tied])).toEqual([
      ['b', 1, false],
      ['a', 2, true],
      ['c', 2, true],
    ]);
  });
});

describe('rankResults', () => {
  it('shows ties as ties with shared competition ranks, keeping the given order among equals', () => {
    const count = tally(dotRules, items, [dots({ a: 3, b: 4, c: 3 }), dots({ b: 1 })]);
    expect(rankResults(dotRules, listed(items), count)).toEqual([
      { id: 'b', rank: 1, tied: false, score: 5, spread: null, divided: false },
      { id: 'a', rank: 2, tied: true, score: 3, spread: null, divided: false },
      { id: 'c', rank: 2, tied: true, score: 3, spread: null, divided: false },
      { id: 'd', rank: 4, tied: false, score: 0, spread: null, divided: false },
    ]);
    const reversed = rankResults(dotRules, listed([...items].reverse()), count);
    expect(reversed.map((r) => r.id)).toEqual(['b', 'c', 'a', 'd']);
  });

  it('ranks everyone first and tied when nobody voted', () => {
    const rows = rankResults(pointRules, listed(items), emptyCount(pointRules, items));
    expect(rows.every((r) => r.rank === 1 && r.tied && r.score === 0)).toBe(true);
  });

  it('does not call a single item tied', () => {
    expect(rankResults(pointRules, listed(['a']), emptyCount(pointRules, ['a']))).toEqual([
      { id: 'a', rank: 1, tied: false, score: 0, spread: null, divided: false },
    ]);
  });

  it('scores items missing from the count as unchosen and leaves out items not asked for', () => {
    const count = tally(pointRules, ['a', 'b'], [points({ b: 10 })]);
    expect(rankResults(pointRules, listed(['c', 'b']), count)).toEqual([
      { id: 'b', rank: 1, tied: false, score: 10, spread: 0, divided: false },
      { id: 'c', rank: 2, tied: false, score: 0, spread: 0, divided: false },
    ]);
  });

  it('refuses a count of another method', () => {
    expect(() => rankResults(dotRules, listed(items), emptyCount(pointRules, items))).toThrow(/points.*dots/);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests.

/** Includes ids that are also names on Object.prototype, to catch counts kept in plain objects. */
const ID_POOL = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'toString', 'constructor', '__proto__'];
const GHOST = 'ghost';
const idsArb = fc.uniqueArray(fc.constantFrom(...ID_POOL), { minLength: 1, maxLength: ID_POOL.length });
const stanceArb = fc.constantFrom<Stance>('support', 'oppose', 'abstain');

const dotRulesArb = fc
  .integer({ min: 1, max: 20 })
  .chain((budget) => fc.integer({ min: 1, max: budget }).map((maxPerItem) => ({ method: 'dots' as const, budget, maxPerItem })));
const pointRulesArb = fc.integer({ min: 1, max: 1000 }).map((budget) => ({ method: 'points' as const, budget }));
const recRulesArb = fc.integer({ min: 1, max: 100 }).map((threshold) => ({ method: 'recommendations' as const, threshold }));
const gradedRulesArb = fc.integer({ min: 2, max: 7 }).chain((levels) =>
  fc.record({
    method: fc.constant('graded' as const),
    labels: fc.constant(Array.from({ length: levels }, (_, i) => `L${i}`)),
    accept: fc.integer({ min: 1, max: levels - 1 }),
    threshold: fc.integer({ min: 1, max: 100 }),
  }),
);
const rulesArb: fc.Arbitrary<VoteRules> = fc.oneof(dotRulesArb, pointRulesArb, fc.constant(rankRules), recRulesArb, gradedRulesArb);

const record = <T>(entries: [string, T][]): Record<string, T> => Object.fromEntries(entries);

/** Any ballot of the rules' method within the schema's bounds: sometimes invalid, sometimes naming unknown items. */
function looseBallotArb(rules: VoteRules, ids: readonly string[]): fc.Arbitrary<BallotChoices> {
  const named = fc.constantFrom(...ids, GHOST);
  switch (rules.method) {
    case 'dots':
      return fc.array(fc.tuple(named, fc.integer({ min: 0, max: 20 })), { maxLength: 8 }).map((e) => dots(record(e)));
    case 'points':
      return fc.array(fc.tuple(named, fc.integer({ min: 0, max: 1000 })), { maxLength: 8 }).map((e) => points(record(e)));
    case 'ranking':
      return fc.array(named, { maxLength: 12 }).map((r) => ranking(...r));
    case 'recommendations':
      return fc.array(fc.tuple(named, stanceArb), { maxLength: 12 }).map((e) => stances(record(e)));
    case 'graded':
      return fc.array(fc.tuple(named, fc.integer({ min: 0, max: 6 })), { maxLength: 12 }).map((e) => grades(record(e)));
  }
}

/** Spends amounts in order until the budget runs out, so the ballot keeps the budget. */
function withinBudget(entries: [string, number][], budget: number): Record<string, number> {
  let left = budget;
  return record(
    entries.map(([id, n]): [string, number] => {
      const spent = Math.min(n, left);
      left -= spent;
      return [id, spent];
    }),
  );
}

/** A ballot checkBallot accepts: within budget and limits by construction, naming only items of the vote. */
function validBallotArb(rules: VoteRules, ids: readonly string[]): fc.Arbitrary<BallotChoices> {
  const amountsUpTo = (max: number) =>
    fc.shuffledSubarray([...ids]).chain((chosen) => fc.tuple(...chosen.map((id) => fc.integer({ min: 0, max }).map((n): [string, number] => [id, n]))));
  switch (rules.method) {
    case 'dots':
      return amountsUpTo(rules.maxPerItem).map((e) => dots(withinBudget(e, rules.budget)));
    case 'points':
      return amountsUpTo(rules.budget).map((e) => points(withinBudget(e, rules.budget)));
    case 'ranking':
      return fc.shuffledSubarray([...ids]).map((r) => ranking(...r));
    case 'recommendations':
      return fc
        .subarray([...ids])
        .chain((chosen) => fc.tuple(...chosen.map((id) => stanceArb.map((s): [string, Stance] => [id, s]))))
        .map((e) => stances(record(e)));
    case 'graded':
      return fc
        .subarray([...ids])
        .chain((chosen) => fc.tuple(...chosen.map((id) => fc.integer({ min: 0, max: rules.labels.length - 1 }).map((n): [string, number] => [id, n]))))
        .map((e) => grades(record(e)));
  }
}

/** Rules, their items, and ballots of the right method (some invalid). */
const electionArb = fc.tuple(rulesArb, idsArb).chain(([rules, ids]) =>
  fc.record({
    rules: fc.constant(rules),
    ids: fc.constant(ids),
    ballots: fc.array(fc.oneof(looseBallotArb(rules, ids), validBallotArb(rules, ids)), { maxLength: 25 }),
    extra: fc.oneof(looseBallotArb(rules, ids), validBallotArb(rules, ids)),
  }),
);

const validElectionArb = (rulesArb: fc.Arbitrary<VoteRules>, maxBallots = 30) =>
  fc.tuple(rulesArb, idsArb).chain(([rules, ids]) =>
    fc.record({
      rules: fc.constant(rules),
      ids: fc.constant(ids),
      ballots: fc.array(validBallotArb(rules, ids), { maxLength: maxBallots }),
    }),
  );

const sum = (ns: Iterable<number>) => [...ns].reduce((s, n) => s + n, 0);
const amountsOf = (b: BallotChoices) => (b.method === 'dots' ? b.dots : b.method === 'points' ? b.points : {});

describe('graded support', () => {
  const rules = gradedRules();

  it('accepts a scale of 2 to 7 labels with at least one level that does not count as support', () => {
    expect(VoteRulesSchema.safeParse(rules).success).toBe(true);
    expect(VoteRulesSchema.safeParse({ ...rules, accept: 4 }).success).toBe(false);
    expect(VoteRulesSchema.safeParse({ ...rules, labels: ['Alleen'], accept: 1 }).success).toBe(false);
    expect(VoteRulesSchema.safeParse({ ...rules, labels: Array.from({ length: 8 }, (_, i) => `L${i}`) }).success).toBe(false);
    expect(VoteRulesSchema.safeParse({ ...rules, labels: ['Voor', '  '] }).success).toBe(false);
  });

  it('refuses a level beyond the scale and an item outside the vote', () => {
    expect(checkBallot(rules, itemSet, grades({ a: 3 }))).toEqual({ ok: true });
    expect(checkBallot(rules, itemSet, grades({ a: 4 }))).toMatchObject({ ok: false, code: 'unknown_level' });
    expect(checkBallot(rules, itemSet, grades({ x: 0 }))).toMatchObject({ ok: false, code: 'unknown_item' });
    expect(BallotChoicesSchema.safeParse(grades({ a: -1 })).success).toBe(false);
    expect(BallotChoicesSchema.safeParse(grades({ a: 1.5 })).success).toBe(false);
  });

  it('counts ballots per level and adopts at the threshold of those who graded (hand-computed)', () => {
    // Item a: 5 × helemaal voor, 3 × kan ermee leven, 1 × twijfel, 1 × bezwaar: 8 of 10 support = 80 %: adopted at 80.
    // Item b: 2 × helemaal voor, 1 × kan ermee leven, 2 × bezwaar, 5 did not grade it: 3 of 5 = 60 %: not adopted.
    // Item c: nobody graded it.
    const ballots = [
      ...Array.from({ length: 5 }, (_, i) => grades(i < 2 ? { a: 0, b: 0 } : i < 3 ? { a: 0, b: 1 } : { a: 0 })),
      grades({ a: 1, b: 3 }),
      grades({ a: 1, b: 3 }),
      grades({ a: 1 }),
      grades({ a: 2 }),
      grades({ a: 3 }),
    ];
    const count = tally(rules, items, ballots);
    expect(count.items.a!.levels).toEqual([5, 3, 1, 1]);
    expect(count.items.b!.levels).toEqual([2, 1, 0, 2]);
    expect(count.ballots).toBe(10);
    const [first, second, ...rest] = rankResults(rules, listed(items), count);
    expect(first).toMatchObject({ id: 'a', graders: 10, accepted: 8, acceptPct: 80, adopted: true, rank: 1 });
    expect(second).toMatchObject({ id: 'b', graders: 5, accepted: 3, acceptPct: 60, adopted: false, rank: 2 });
    expect(rest.map((r) => [r.id, r.acceptPct, r.adopted, r.rank, r.tied])).toEqual([
      ['c', null, false, 3, true],
      ['d', null, false, 3, true],
    ]);
    // 81 % would not adopt a: 8 × 100 < 81 × 10.
    expect(rankResults(gradedRules(2, 81), listed(['a']), count)[0]!.adopted).toBe(false);
    // Only "helemaal voor" as support: a has 5 of 10.
    expect(rankResults(gradedRules(1, 50), listed(['a']), count)[0]).toMatchObject({ accepted: 5, acceptPct: 50, adopted: true });
  });

  it('at equal support puts the item with better grades first', () => {
    // Both 2 of 2 support; a has two "helemaal voor", b one of each.
    const count = tally(rules, items, [grades({ a: 0, b: 0 }), grades({ a: 0, b: 1 })]);
    expect(rankResults(rules, listed(['b', 'a']), count).map((r) => [r.id, r.rank, r.tied])).toEqual([
      ['a', 1, false],
      ['b', 2, false],
    ]);
  });

  it('changing a grade moves the ballot between levels', () => {
    const count = tally(rules, items, [grades({ a: 3 })]);
    applyBallot(count, grades({ a: 3 }), -1);
    applyBallot(count, grades({ a: 0 }), 1);
    expect(count.items.a!.levels).toEqual([1, 0, 0, 0]);
    expect(count.ballots).toBe(1);
  });
});

describe('graded settings, from the step and the facilitator', () => {
  const labels5 = ['Ja', 'Eerder ja', 'Neutraal', 'Eerder nee', 'Nee'];
  it('a shorter scale given when opening takes the step’s supporting levels down with it', () => {
    const merged = mergeVoteSettings({ method: 'graded', labels: labels5, accept: 3 }, { labels: ['Ja', 'Nee'] });
    expect(merged).toMatchObject({ labels: ['Ja', 'Nee'], accept: 1 });
    expect(VoteSettings.safeParse(merged).success).toBe(true);
    expect(resolveVote(merged, 'thematafel').rules).toEqual({ method: 'graded', labels: ['Ja', 'Nee'], accept: 1, threshold: 80 });
  });

  it('refuses as many supporting levels as the scale has, also against the default scale', () => {
    expect(VoteSettings.safeParse({ method: 'graded', accept: 4 }).success).toBe(false);
    expect(VoteSettings.safeParse({ method: 'graded', accept: 3 }).success).toBe(true);
    expect(VoteSettings.safeParse({ method: 'graded', labels: ['Ja', 'Nee'], accept: 2 }).success).toBe(false);
  });
});

describe('spread', () => {
  it('is 0 when everyone gives the same and 0.5 when the room splits between the two ends', () => {
    expect(spreadOf(4, 8, 16, 4)).toBe(0); // 2, 2, 2, 2 on 0..4
    expect(spreadOf(4, 8, 32, 4)).toBe(0.5); // 0, 0, 4, 4: σ = 2, half the range
    expect(spreadOf(0, 0, 0, 4)).toBeNull();
  });

  it('hand-computed: values 0, 1, 1, 3 on a scale of 0..3', () => {
    // mean 5/4, Σx² = 11, variance 11/4 − 25/16 = 19/16, σ = √19 / 4 ≈ 1.0897; / 3 ≈ 0.3632
    expect(spreadOf(4, 5, 11, 3)).toBeCloseTo(Math.sqrt(19) / 12, 12);
  });

  it('marks an item divided above 0.3, deciding on the line without rounding', () => {
    // Ten voters on 0..10 (budget 10): one gives 3, nine give 0: σ = 0.9, spread 0.09.
    expect(isDivided(10, 3, 9, 10)).toBe(false);
    // Exactly on the line: two voters give 0 and 6 on 0..10: σ = 3, spread 0.3, which is not above it.
    expect(spreadOf(2, 6, 36, 10)).toBeCloseTo(0.3, 12);
    expect(isDivided(2, 6, 36, 10)).toBe(false);
    expect(isDivided(2, 7, 49, 10)).toBe(true); // 0 and 7: spread 0.35
  });

  it('graded: the consent scale split between "helemaal voor" and "bezwaar" is fully divided', () => {
    const rules = gradedRules();
    const split = tally(rules, ['a', 'b'], [grades({ a: 0, b: 1 }), grades({ a: 3, b: 1 }), grades({ a: 0, b: 2 }), grades({ a: 3, b: 1 })]);
    const [b, a] = rankResults(rules, listed(['a', 'b']), split);
    expect(a).toMatchObject({ id: 'a', spread: 0.5, divided: true });
    // b: levels 1, 1, 2, 1 on 0..3: mean 1.25, variance 0.1875, σ ≈ 0.433, / 3 ≈ 0.144: not divided.
    expect(b!.id).toBe('b');
    expect(b!.spread).toBeCloseTo(Math.sqrt(0.1875) / 3, 12);
    expect(b!.divided).toBe(false);
  });

  it('points: a voter who gave an item nothing gave it 0, on a scale of 0 to the budget', () => {
    const rules = { method: 'points', budget: 10 } as const;
    // a: 10, 0, 10, 0 → σ = 5, half of 10: spread 0.5. b: 0, 10, 0, 10 the same. c: nothing: spread 0.
    const count = tally(rules, ['a', 'b', 'c'], [points({ a: 10 }), points({ b: 10 }), points({ a: 10 }), points({ b: 10 })]);
    const byId = new Map(rankResults(rules, listed(['a', 'b', 'c']), count).map((r) => [r.id, r]));
    expect(byId.get('a')).toMatchObject({ spread: 0.5, divided: true });
    expect(byId.get('c')).toMatchObject({ spread: 0, divided: false });
    // Counted over the voters given (a table's), not the whole count.
    expect(rankResults(rules, listed(['a']), count, { voters: 2 })[0]).toMatchObject({ spread: 0, divided: false });
  });

  it('ranking: Borda points per ballot on a scale of 0 to the number of items', () => {
    // 3 items. Ballots: a first of 3 (3 points), a last of 3 (1 point), a not ranked (0), a first of 1 (1 point).
    const count = tally(rankRules, ['a', 'b', 'c'], [ranking('a', 'b', 'c'), ranking('b', 'c', 'a'), ranking('b'), ranking('a')]);
    const a = rankResults(rankRules, listed(['a', 'b', 'c']), count).find((r) => r.id === 'a')!;
    // values 3, 1, 0, 1: Σ = 5, Σx² = 11, n = 4, range 3: same numbers as the hand-computed case above.
    expect(a.spread).toBeCloseTo(Math.sqrt(19) / 12, 12);
    expect(a.divided).toBe(true);
  });

  it('dots and recommendations have no spread', () => {
    const dotCount = tally(dotRules, items, [dots({ a: 4 }), dots({ b: 4 })]);
    expect(rankResults(dotRules, listed(items), dotCount)[0]).toMatchObject({ spread: null, divided: false });
    const recCount = tally(recRules(50), items, [stances({ a: 'support' }), stances({ a: 'oppose' })]);
    expect(rankResults(recRules(50), listed(items), recCount)[0]).toMatchObject({ spread: null, divided: false });
  });
});

describe('properties', () => {
  it('the generated valid ballots pass both the schema and checkBallot', () => {
    fc.assert(
      fc.property(validElectionArb(rulesArb), ({ rules, ids, ballots }) => {
        expect(VoteRulesSchema.safeParse(rules).success).toBe(true);
        for (const b of ballots) {
          expect(BallotChoicesSchema.safeParse(b).success).toBe(true);
          expect(checkBallot(rules, new Set(ids), b)).toEqual({ ok: true });
        }
      }),
      runs,
    );
  });

  it('dot totals add up to the dots on valid ballots and never exceed ballots × budget', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(dotRulesArb, idsArb)
          .chain(([rules, ids]) =>
            fc.tuple(fc.constant(rules), fc.constant(ids), fc.array(fc.oneof(looseBallotArb(rules, ids), validBallotArb(rules, ids)), { maxLength: 30 })),
          ),
        ([rules, ids, ballots]) => {
          const valid = ballots.filter((b) => checkBallot(rules, new Set(ids), b).ok);
          const count = tally(rules, ids, valid);
          const totals = sum(Object.values(count.items).map((c) => c.total));
          expect(totals).toBe(sum(valid.map((b) => sum(Object.values(amountsOf(b))))));
          expect(totals).toBeLessThanOrEqual(valid.length * rules.budget);
          expect(totals).toBeLessThanOrEqual(count.ballots * rules.budget);
          expect(count.ballots).toBeLessThanOrEqual(valid.length);
        },
      ),
      runs,
    );
  });

  it('applying and then taking away a ballot gives back the previous count', () => {
    fc.assert(
      fc.property(electionArb, ({ rules, ids, ballots, extra }) => {
        const count = tally(rules, ids, ballots);
        const before = copy(count);
        applyBallot(count, extra, 1);
        applyBallot(count, extra, -1);
        expect(count).toEqual(before);
        expect(JSON.stringify(count)).toBe(JSON.stringify(before));
      }),
      runs,
    );
  });

  it('taking away a counted ballot gives the count without it', () => {
    fc.assert(
      fc.property(
        electionArb.chain((e) => fc.record({ e: fc.constant(e), at: fc.nat({ max: e.ballots.length }) })),
        ({ e: { rules, ids, ballots, extra }, at }) => {
          const all = [...ballots.slice(0, at), extra, ...ballots.slice(at)];
          const count = tally(rules, ids, all);
          applyBallot(count, extra, -1);
          expect(count).toEqual(tally(rules, ids, ballots));
        },
      ),
      runs,
    );
  });

  it('a running count of voters changing their ballots equals a recount of their last ballots', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(rulesArb, idsArb)
          .chain(([rules, ids]) =>
            fc.tuple(fc.constant(rules), fc.constant(ids), fc.array(fc.tuple(fc.nat({ max: 5 }), validBallotArb(rules, ids)), { maxLength: 30 })),
          ),
        ([rules, ids, submissions]) => {
          const latest = new Map<number, BallotChoices>();
          const count = emptyCount(rules, ids);
          for (const [voter, ballot] of submissions) {
            const old = latest.get(voter);
            if (old) applyBallot(count, old, -1);
            applyBallot(count, ballot, 1);
            latest.set(voter, ballot);
          }
          expect(count).toEqual(tally(rules, ids, latest.values()));
        },
      ),
      runs,
    );
  });

  it('the tally does not depend on the order of the ballots', () => {
    fc.assert(
      fc.property(
        electionArb.chain((e) => fc.tuple(fc.constant(e), fc.shuffledSubarray(e.ballots, { minLength: e.ballots.length, maxLength: e.ballots.length }))),
        ([{ rules, ids, ballots }, shuffled]) => {
          expect(tally(rules, ids, shuffled)).toEqual(tally(rules, ids, ballots));
        },
      ),
      runs,
    );
  });

  it('Borda scores add up to k(k+1)/2 per ballot of k items; firsts to the non-empty ballots', () => {
    fc.assert(
      fc.property(validElectionArb(fc.constant(rankRules)), ({ rules, ids, ballots }) => {
        const count = tally(rules, ids, ballots);
        if (count.method !== 'ranking') throw new Error('expected a ranking count');
        const lengths = ballots.map((b) => (b.method === 'ranking' ? b.ranking.length : 0));
        const counters = Object.values(count.items);
        expect(sum(counters.map((c) => c.score))).toBe(sum(lengths.map((k) => (k * (k + 1)) / 2)));
        expect(sum(counters.map((c) => c.ranked))).toBe(sum(lengths));
        expect(sum(counters.map((c) => c.firsts))).toBe(lengths.filter((k) => k > 0).length);
        expect(count.ballots).toBe(lengths.filter((k) => k > 0).length);
      }),
      runs,
    );
  });

  it('every dots or points ballot checkBallot accepts keeps the budget and the per-item limit', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.oneof(dotRulesArb, pointRulesArb), idsArb)
          .chain(([rules, ids]) => fc.tuple(fc.constant(rules), fc.constant(ids), looseBallotArb(rules, ids))),
        ([rules, ids, ballot]) => {
          const res = checkBallot(rules, new Set(ids), ballot);
          const amounts = Object.entries(amountsOf(ballot));
          if (res.ok) {
            expect(sum(amounts.map(([, n]) => n))).toBeLessThanOrEqual(rules.budget);
            expect(amounts.every(([id]) => ids.includes(id))).toBe(true);
            if (rules.method === 'dots') expect(amounts.every(([, n]) => n <= rules.maxPerItem)).toBe(true);
          } else {
            expect(['over_budget', 'over_item_limit', 'unknown_item']).toContain(res.code);
          }
        },
      ),
      runs,
    );
  });

  it('every over-budget dots ballot within the per-item limit is refused as over budget', () => {
    const many = Array.from({ length: 21 }, (_, i) => `i${i}`);
    fc.assert(
      fc.property(
        dotRulesArb.chain((rules) => fc.tuple(fc.constant(rules), fc.array(fc.integer({ min: 0, max: rules.maxPerItem }), { minLength: 21, maxLength: 21 }))),
        ([rules, amounts]) => {
          // Raise items to the limit until the budget is passed; 21 items × at least 1 always passes 20.
          for (let i = 0; sum(amounts) <= rules.budget; i++) amounts[i] = rules.maxPerItem;
          const used = sum(amounts);
          const res = checkBallot(rules, new Set(many), dots(record(many.map((id, i) => [id, amounts[i]!]))));
          expect(res).toEqual({ ok: false, code: 'over_budget', message: `${used} dots used, the budget is ${rules.budget}` });
        },
      ),
      runs,
    );
  });

  it('every over-budget points ballot is refused as over budget', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(pointRulesArb, idsArb)
          .chain(([rules, ids]) =>
            fc.tuple(
              fc.constant(rules),
              fc.constant(ids),
              fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: ids.length, maxLength: ids.length }),
              fc.integer({ min: 1, max: 1000 }),
            ),
          ),
        ([rules, ids, amounts, over]) => {
          const short = rules.budget - sum(amounts);
          if (short >= 0) amounts[0]! += short + over;
          const res = checkBallot(rules, new Set(ids), points(record(ids.map((id, i) => [id, amounts[i]!]))));
          expect(res).toMatchObject({ ok: false, code: 'over_budget' });
          if (!res.ok) expect(res.message).toBe(`${sum(amounts)} points used, the budget is ${rules.budget}`);
        },
      ),
      runs,
    );
  });

  it('support, oppose and abstain on an item never exceed the ballots counted', () => {
    fc.assert(
      fc.property(validElectionArb(recRulesArb), ({ rules, ids, ballots }) => {
        const count = tally(rules, ids, ballots);
        if (count.method !== 'recommendations') throw new Error('expected a recommendations count');
        expect(count.ballots).toBeLessThanOrEqual(ballots.length);
        for (const c of Object.values(count.items)) {
          expect(c.support + c.oppose + c.abstain).toBeLessThanOrEqual(count.ballots);
          expect(Math.min(c.support, c.oppose, c.abstain)).toBeGreaterThanOrEqual(0);
        }
      }),
      runs,
    );
  });

  it('adoption agrees with a reference computation in exact rationals, especially at the edge', () => {
    const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
    const reduce = (n: bigint, d: bigint): [bigint, bigint] => [n / gcd(n, d), d / gcd(n, d)];
    const referenceAdopted = (support: number, oppose: number, threshold: number) => {
      const cast = support + oppose;
      if (cast === 0) return false;
      const [sn, sd] = reduce(BigInt(support), BigInt(cast));
      const [tn, td] = reduce(BigInt(threshold), 100n);
      return sn * td >= tn * sd;
    };
    const edgeArb = fc
      .tuple(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 2000 }), fc.integer({ min: -2, max: 2 }), fc.nat({ max: 50 }))
      .map(([threshold, cast, delta, abstain]) => {
        const atEdge = Math.ceil((threshold * cast) / 100) + delta;
        const support = Math.max(0, Math.min(cast, atEdge));
        return { threshold, support, oppose: cast - support, abstain };
      });
    fc.assert(
      fc.property(edgeArb, ({ threshold, support, oppose, abstain }) => {
        const expected = referenceAdopted(support, oppose, threshold);
        expect(isAdopted(support, oppose, threshold)).toBe(expected);
        const [row] = rankResults(recRules(threshold), listed(['x']), stanceCount({ x: [support, oppose, abstain] }));
        expect(row?.adopted).toBe(expected);
        expect(row?.supportPct === null).toBe(support + oppose === 0);
      }),
      runs,
    );
    fc.assert(
      fc.property(validElectionArb(recRulesArb, 40), ({ rules, ids, ballots }) => {
        if (rules.method !== 'recommendations') throw new Error('expected recommendation rules');
        const rows = rankResults(rules, listed(ids), tally(rules, ids, ballots));
        for (const r of rows) expect(r.adopted).toBe(referenceAdopted(r.support, r.oppose, rules.threshold));
      }),
      runs,
    );
  });

  it('ranks are competition ranks: 1 + the number of items scoring higher, tied when a score is shared', () => {
    fc.assert(
      fc.property(validElectionArb(rulesArb), ({ rules, ids, ballots }) => {
        const rows = rankResults(rules, listed(ids), tally(rules, ids, ballots));
        expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
        // Graded support breaks equal support by the mean grade (lower is better); the others by nothing.
        const mean = (r: (typeof rows)[number]) =>
          'levels' in r && Array.isArray(r.levels) && r.graders > 0 ? -sum(r.levels.map((n: number, l: number) => n * l)) / r.graders : 0;
        const key = (r: (typeof rows)[number]): [number, number] => [r.score, mean(r)];
        const cmp = (a: [number, number], b: [number, number]) => (Math.abs(a[0] - b[0]) > 1e-9 ? a[0] - b[0] : Math.abs(a[1] - b[1]) > 1e-9 ? a[1] - b[1] : 0);
        for (const [i, r] of rows.entries()) {
          expect(r.rank).toBe(1 + rows.filter((o) => cmp(key(o), key(r)) > 0).length);
          expect(r.tied).toBe(rows.some((o) => o !== r && cmp(key(o), key(r)) === 0));
          const next = rows[i + 1];
          if (next) {
            expect(cmp(key(next), key(r))).toBeLessThanOrEqual(0);
            if (cmp(key(next), key(r)) === 0) expect(ids.indexOf(next.id)).toBeGreaterThan(ids.indexOf(r.id));
          }
        }
      }),
      runs,
    );
  });

  it('a spread is between 0 and 0.5, and an item is divided exactly when its spread is above 0.3', () => {
    fc.assert(
      fc.property(validElectionArb(rulesArb), ({ rules, ids, ballots }) => {
        for (const r of rankResults(rules, listed(ids), tally(rules, ids, ballots))) {
          if (r.spread === null) {
            expect(r.divided).toBe(false);
            continue;
          }
          expect(r.spread).toBeGreaterThanOrEqual(0);
          expect(r.spread).toBeLessThanOrEqual(0.5);
          // Away from the line, rounding cannot matter; on it, isDivided decides in integers.
          if (Math.abs(r.spread - 0.3) > 1e-9) expect(r.divided).toBe(r.spread > 0.3);
        }
      }),
      runs,
    );
  });

  it('normalising keeps the count, is idempotent, and makes reordered ballots stringify equally', () => {
    fc.assert(
      fc.property(
        electionArb.chain((e) => {
          const entries = (b: BallotChoices): [string, unknown][] =>
            b.method === 'ranking' ? [] : Object.entries(b.method === 'recommendations' ? b.stances : b.method === 'graded' ? b.grades : amountsOf(b));
          const list = entries(e.extra);
          return fc.tuple(fc.constant(e), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }));
        }),
        ([{ rules, ids, extra }, reordered]) => {
          const normal = normaliseBallot(extra);
          expect(normaliseBallot(normal)).toEqual(normal);
          expect(tally(rules, ids, [normal])).toEqual(tally(rules, ids, [extra]));
          if (extra.method !== 'ranking') {
            const key = extra.method === 'dots' ? 'dots' : extra.method === 'points' ? 'points' : extra.method === 'graded' ? 'grades' : 'stances';
            const shuffled = { method: extra.method, [key]: Object.fromEntries(reordered) } as BallotChoices;
            expect(JSON.stringify(normaliseBallot(shuffled))).toBe(JSON.stringify(normal));
          }
        },
      ),
      runs,
    );
  });
});
