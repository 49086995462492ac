import { describe, expect, it } from 'vitest';
import { checkDots, dotsUsed, normaliseDots, rankTotals, tallyDots } from '../shared/dots.js';
import { seededRandom } from './helpers/random.js';

const items = new Set(['a', 'b', 'c']);
const rules = { budget: 3, maxPerItem: 2 };

describe('checkDots', () => {
  it('accepts an empty ballot (a voter may withdraw)', () => {
    expect(checkDots({}, items, rules)).toEqual({ ok: true, used: 0 });
  });

  it('accepts a ballot that uses exactly the budget', () => {
    expect(checkDots({ a: 2, b: 1 }, items, rules)).toEqual({ ok: true, used: 3 });
  });

  it('accepts a ballot below the budget and counts the dots used', () => {
    expect(checkDots({ c: 1 }, items, rules)).toEqual({ ok: true, used: 1 });
  });

  it('accepts zero entries for known items', () => {
    expect(checkDots({ a: 0, b: 0, c: 0 }, items, rules)).toEqual({ ok: true, used: 0 });
  });

  it('refuses a ballot over the budget', () => {
    const res = checkDots({ a: 2, b: 1, c: 1 }, items, rules);
    expect(res).toMatchObject({ ok: false, code: 'over_budget' });
    if (!res.ok) expect(res.message).toContain('4');
  });

  it('refuses more dots on one item than the per-item limit', () => {
    const res = checkDots({ a: 3 }, items, rules);
    expect(res).toMatchObject({ ok: false, code: 'over_item_limit' });
  });

  it('allows the whole budget on one item when the limit equals the budget', () => {
    expect(checkDots({ b: 3 }, items, { budget: 3, maxPerItem: 3 })).toEqual({ ok: true, used: 3 });
  });

  it('refuses an item that is not part of the vote, naming it', () => {
    const res = checkDots({ a: 1, zzz: 1 }, items, rules);
    expect(res).toMatchObject({ ok: false, code: 'unknown_item' });
    if (!res.ok) expect(res.message).toContain('zzz');
  });

  it('refuses an unknown item even with zero dots on it', () => {
    expect(checkDots({ zzz: 0 }, items, rules)).toMatchObject({ ok: false, code: 'unknown_item' });
  });

  it('refuses any dot when there are no items', () => {
    expect(checkDots({ a: 1 }, new Set(), rules)).toMatchObject({ ok: false, code: 'unknown_item' });
    expect(checkDots({}, new Set(), rules)).toEqual({ ok: true, used: 0 });
  });

  it('does not treat prototype keys as items', () => {
    expect(checkDots({ toString: 1 }, items, rules)).toMatchObject({ ok: false, code: 'unknown_item' });
    expect(checkDots(JSON.parse('{"__proto__": 1}') as Record<string, number>, items, rules)).toMatchObject({
      ok: false,
      code: 'unknown_item',
    });
  });
});

describe('dotsUsed', () => {
  it('sums all dots', () => {
    expect(dotsUsed({})).toBe(0);
    expect(dotsUsed({ a: 1, b: 0, c: 4 })).toBe(5);
  });
});

describe('normaliseDots', () => {
  it('drops zero entries', () => {
    expect(normaliseDots({ a: 0, b: 2, c: 0 })).toEqual({ b: 2 });
    expect(normaliseDots({ a: 0 })).toEqual({});
  });

  it('gives equal ballots the same serialised form, whatever the key order', () => {
    const one = JSON.stringify(normaliseDots({ c: 1, a: 2, b: 0 }));
    const two = JSON.stringify(normaliseDots({ b: 0, a: 2, c: 1 }));
    expect(one).toBe(two);
    expect(one).toBe('{"a":2,"c":1}');
  });

  it('does not change its input', () => {
    const input = { b: 0, a: 1 };
    normaliseDots(input);
    expect(input).toEqual({ b: 0, a: 1 });
  });
});

describe('tallyDots', () => {
  it('sums dots per item over all ballots', () => {
    expect(tallyDots(['a', 'b', 'c'], [{ a: 2, b: 1 }, { a: 1 }, { c: 3 }])).toEqual({ a: 3, b: 1, c: 3 });
  });

  it('lists every item, with 0 where nobody chose it', () => {
    expect(tallyDots(['a', 'b', 'c'], [{ a: 1 }])).toEqual({ a: 1, b: 0, c: 0 });
    expect(tallyDots(['a', 'b'], [])).toEqual({ a: 0, b: 0 });
  });

  it('ignores ids that are not items', () => {
    expect(tallyDots(['a'], [{ a: 1, ghost: 5 }])).toEqual({ a: 1 });
  });

  it('ignores ids that are not items even when they are names on Object.prototype', () => {
    // `id in totals` also sees inherited names, so these would be "counted" into the totals.
    expect(tallyDots(['a'], [{ a: 1, toString: 2, constructor: 3 }])).toEqual({ a: 1 });
  });

  it('accepts any iterable of ballots', () => {
    function* ballots() {
      yield { a: 1 };
      yield { a: 2 };
    }
    expect(tallyDots(['a'], ballots())).toEqual({ a: 3 });
  });
});

describe('rankTotals', () => {
  it('ranks highest first with competition ranks ("1224") for ties', () => {
    const ranked = rankTotals(['a', 'b', 'c', 'd'], { a: 5, b: 3, c: 3, d: 1 });
    expect(ranked).toEqual([
      { id: 'a', total: 5, rank: 1, tied: false },
      { id: 'b', total: 3, rank: 2, tied: true },
      { id: 'c', total: 3, rank: 2, tied: true },
      { id: 'd', total: 1, rank: 4, tied: false },
    ]);
  });

  it('shares rank 1 between items tied at the top', () => {
    const ranked = rankTotals(['x', 'y', 'z'], { x: 2, y: 2, z: 0 });
    expect(ranked.map((r) => [r.id, r.rank, r.tied])).toEqual([
      ['x', 1, true],
      ['y', 1, true],
      ['z', 3, false],
    ]);
  });

  it('keeps the given order among equal totals (stable)', () => {
    const ids = ['e', 'd', 'c', 'b', 'a'];
    const ranked = rankTotals(ids, { a: 1, b: 1, c: 1, d: 1, e: 1 });
    expect(ranked.map((r) => r.id)).toEqual(ids);
    expect(ranked.every((r) => r.rank === 1 && r.tied)).toBe(true);
  });

  it('treats items missing from the totals as 0', () => {
    const ranked = rankTotals(['a', 'b', 'c'], { b: 1 });
    expect(ranked).toEqual([
      { id: 'b', total: 1, rank: 1, tied: false },
      { id: 'a', total: 0, rank: 2, tied: true },
      { id: 'c', total: 0, rank: 2, tied: true },
    ]);
  });

  it('returns an empty list for no items', () => {
    expect(rankTotals([], {})).toEqual([]);
  });

  it('ignores totals of ids that are not items', () => {
    expect(rankTotals(['a'], { a: 1, b: 9 })).toEqual([{ id: 'a', total: 1, rank: 1, tied: false }]);
  });
});


describe('properties (seeded random ballots)', () => {
  it('the tally sums to all dots of all valid ballots, and ranks are consistent', () => {
    for (const seed of [1, 2, 3, 42, 1234, 99999]) {
      const rnd = seededRandom(seed);
      const int = (max: number) => Math.floor(rnd() * (max + 1));
      const ids = Array.from({ length: 1 + int(12) }, (_, i) => `item-${i}`);
      const idSet = new Set(ids);
      const budget = 1 + int(9);
      const maxPerItem = 1 + int(budget - 1);
      const ballots: Record<string, number>[] = [];
      for (let b = 0; b < 50; b++) {
        // Spread up to `budget` dots at random, never more than maxPerItem on one item.
        const ballot: Record<string, number> = {};
        const dots = int(budget);
        for (let d = 0; d < dots; d++) {
          const id = ids[int(ids.length - 1)]!;
          if ((ballot[id] ?? 0) < maxPerItem) ballot[id] = (ballot[id] ?? 0) + 1;
        }
        const check = checkDots(ballot, idSet, { budget, maxPerItem });
        expect(check.ok, `seed ${seed} ballot ${JSON.stringify(ballot)}`).toBe(true);
        ballots.push(normaliseDots(ballot));
      }

      const totals = tallyDots(ids, ballots);
      expect(Object.keys(totals).sort()).toEqual([...ids].sort());
      const sumTally = Object.values(totals).reduce((s, n) => s + n, 0);
      const sumBallots = ballots.reduce((s, b) => s + dotsUsed(b), 0);
      expect(sumTally).toBe(sumBallots);

      const ranked = rankTotals(ids, totals);
      expect(ranked).toHaveLength(ids.length);
      for (let i = 1; i < ranked.length; i++) {
        const prev = ranked[i - 1]!;
        const cur = ranked[i]!;
        expect(cur.total).toBeLessThanOrEqual(prev.total);
        expect(cur.rank).toBe(cur.total === prev.total ? prev.rank : i + 1);
      }
      for (const r of ranked) expect(r.tied).toBe(ranked.filter((o) => o.total === r.total).length > 1);
    }
  });
});
