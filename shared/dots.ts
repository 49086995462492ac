/**
 * Dot voting: each voter spreads a budget of dots over the items, at most `maxPerItem` on one.
 * Pure functions, used by the server to judge ballots and by tablets to show what is left.
 */

export interface DotRules {
  budget: number;
  maxPerItem: number;
}

export type DotCheck =
  | { ok: true; used: number }
  | { ok: false; code: 'over_budget' | 'over_item_limit' | 'unknown_item'; message: string };

export function dotsUsed(dots: Record<string, number>): number {
  return Object.values(dots).reduce((sum, n) => sum + n, 0);
}

/** Whether a ballot keeps the rules; an empty ballot is valid (a voter may withdraw). */
export function checkDots(dots: Record<string, number>, itemIds: ReadonlySet<string>, rules: DotRules): DotCheck {
  for (const [id, n] of Object.entries(dots)) {
    if (!itemIds.has(id)) return { ok: false, code: 'unknown_item', message: `"${id}" is not an item of this vote` };
    if (n > rules.maxPerItem) {
      return { ok: false, code: 'over_item_limit', message: `at most ${rules.maxPerItem} dots on one item` };
    }
  }
  const used = dotsUsed(dots);
  if (used > rules.budget) {
    return { ok: false, code: 'over_budget', message: `${used} dots used, the budget is ${rules.budget}` };
  }
  return { ok: true, used };
}

/** Drops zero entries, so equal ballots have equal stored forms. */
export function normaliseDots(dots: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of Object.keys(dots).sort()) if (dots[id]! > 0) out[id] = dots[id]!;
  return out;
}

/** Sum of dots per item; every item appears, with 0 where nobody chose it. */
export function tallyDots(itemIds: readonly string[], ballots: Iterable<Record<string, number>>): Record<string, number> {
  const totals: Record<string, number> = Object.fromEntries(itemIds.map((id) => [id, 0]));
  for (const ballot of ballots) {
    for (const [id, n] of Object.entries(ballot)) if (Object.hasOwn(totals, id)) totals[id]! += n;
  }
  return totals;
}

export interface Ranked {
  id: string;
  total: number;
  /** Competition rank ("1224"): items with equal totals share a rank, so ties stay visible. */
  rank: number;
  tied: boolean;
}

/** Items by total, highest first; equal totals share a rank and keep the given order. */
export function rankTotals(itemIds: readonly string[], totals: Record<string, number>): Ranked[] {
  const sorted = itemIds
    .map((id, index) => ({ id, index, total: totals[id] ?? 0 }))
    .sort((a, b) => b.total - a.total || a.index - b.index);
  const counts = new Map<number, number>();
  for (const s of sorted) counts.set(s.total, (counts.get(s.total) ?? 0) + 1);
  let rank = 0;
  let previous: number | undefined;
  return sorted.map((s, i) => {
    if (s.total !== previous) rank = i + 1;
    previous = s.total;
    return { id: s.id, total: s.total, rank, tied: (counts.get(s.total) ?? 0) > 1 };
  });
}
