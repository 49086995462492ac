/** Dot ballots as shared/tally.ts judges them: budget, per-item limit, only the vote's items. */
import { describe, expect, it } from 'vitest';
import { checkBallot, dotsUsed } from '../shared/tally.js';

const items = new Set(['a', 'b', 'c']);
const rules = { budget: 3, maxPerItem: 2 };
const checkDots = (dots: Record<string, number>, itemIds: ReadonlySet<string>, r: { budget: number; maxPerItem: number }) =>
  checkBallot({ method: 'dots', ...r }, itemIds, { method: 'dots', dots });

describe('a dot ballot', () => {
  it('accepts an empty ballot (a voter may withdraw)', () => {
    expect(checkDots({}, items, rules)).toEqual({ ok: true });
  });

  it('accepts a ballot that uses exactly the budget', () => {
    expect(checkDots({ a: 2, b: 1 }, items, rules)).toEqual({ ok: true });
  });

  it('accepts a ballot below the budget and counts the dots used', () => {
    expect(checkDots({ c: 1 }, items, rules)).toEqual({ ok: true });
  });

  it('accepts zero entries for known items', () => {
    expect(checkDots({ a: 0, b: 0, c: 0 }, items, rules)).toEqual({ ok: true });
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
    expect(checkDots({ b: 3 }, items, { budget: 3, maxPerItem: 3 })).toEqual({ ok: true });
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
    expect(checkDots({}, new Set(), rules)).toEqual({ ok: true });
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
