/**
 * Vote counting for every voting method: checking ballots, keeping running counts, ranking results.
 * Pure functions without I/O, so the server, the screens and the tests all count the same way.
 *
 * The method name is the discriminant of rules, ballots and counts alike.
 *
 * A count is a plain JSON object, sent to screens as is:
 *
 *   { method, ballots, items: Record<itemId, per-method counters> }
 *
 *   dots             items[id] = { total, sq }                 dots on the item (sq: sum of squares)
 *   points           items[id] = { total, sq }                 points on the item (sq: sum of squares)
 *   ranking          items[id] = { score, firsts, ranked, sq } Borda score, ranked first, ranked at all
 *   recommendations  items[id] = { support, oppose, abstain }  stances on the item
 *   graded           items[id] = { levels }                    ballots per level of the scale, best first
 *
 * `ballots` is the number of ballots that choose something for at least one item of the vote, so a
 * voter who withdraws (an empty ballot) is no longer counted. Every counter is a sum over ballots,
 * which is what lets `applyBallot` add a ballot and take it away again at the cost of its own size
 * when a voter changes their mind; `tally` recounts from scratch with the same function. Derived
 * figures (votes cast, support percentage, adoption, ranks, spread) are computed by `rankResults`,
 * so they can never drift from the counters. The sums of squares are integers too, so a spread
 * (see `spreadOf`) comes from exact counters however often ballots are changed.
 */
import { z } from 'zod';
import { LIMITS } from './limits.js';
import { ownRecord } from './ownRecord.js';

/** The voting methods, once: rules, ballots and counts are told apart by this name. */
export const VoteMethod = z.enum(['dots', 'ranking', 'points', 'recommendations', 'graded']);
export type VoteMethod = z.infer<typeof VoteMethod>;

const ItemKey = z.string().max(LIMITS.idLength);

/** Bounded, so one ballot cannot make a count arbitrarily large; read as own entries (see ownRecord.ts). */
const amounts = (max: number) => ownRecord(ItemKey, z.number().int().min(0).max(max), LIMITS.ballotItems);

export const StanceSchema = z.enum(['support', 'oppose', 'abstain']);
export type Stance = z.infer<typeof StanceSchema>;

/**
 * Graded support (a consent scale): each voter places each item on a scale of labelled levels,
 * best first. The first `accept` levels count as support; an item is adopted when at least
 * `threshold` percent of those who graded it chose one of them.
 */
export const GradedRulesSchema = z
  .object({
    method: z.literal('graded'),
    labels: z.array(z.string().trim().min(1).max(LIMITS.gradeLabelLength)).min(2).max(LIMITS.gradeLevels),
    accept: z
      .number()
      .int()
      .min(1)
      .max(LIMITS.gradeLevels - 1),
    threshold: z.number().int().min(1).max(100),
  })
  .strict()
  .refine((r) => r.accept < r.labels.length, { message: 'at least one level must not count as support', path: ['accept'] });
export type GradedRules = z.infer<typeof GradedRulesSchema>;

export const VoteRulesSchema = z.discriminatedUnion('method', [
  z
    .object({
      method: z.literal('dots'),
      budget: z.number().int().min(1).max(LIMITS.dotBudgetMax),
      maxPerItem: z.number().int().min(1).max(LIMITS.dotBudgetMax),
    })
    .strict()
    .refine((r) => r.maxPerItem <= r.budget, {
      message: 'maxPerItem cannot be larger than the budget',
      path: ['maxPerItem'],
    }),
  z.object({ method: z.literal('ranking') }).strict(),
  z
    .object({
      method: z.literal('points'),
      budget: z.number().int().min(1).max(LIMITS.pointsBudgetMax),
    })
    .strict(),
  z
    .object({
      method: z.literal('recommendations'),
      /** Whole percentage of the votes cast that must support an item for it to be adopted. */
      threshold: z.number().int().min(1).max(100),
    })
    .strict(),
  GradedRulesSchema,
]);
export type VoteRules = z.infer<typeof VoteRulesSchema>;

export const BallotChoicesSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('dots'), dots: amounts(LIMITS.dotBudgetMax) }).strict(),
  z.object({ method: z.literal('ranking'), ranking: z.array(ItemKey).max(LIMITS.ballotItems) }).strict(),
  z.object({ method: z.literal('points'), points: amounts(LIMITS.pointsBudgetMax) }).strict(),
  z
    .object({
      method: z.literal('recommendations'),
      stances: ownRecord(ItemKey, StanceSchema, LIMITS.ballotItems),
    })
    .strict(),
  z
    .object({
      method: z.literal('graded'),
      /** Item -> level, 0 being the best label; items left out were not graded. */
      grades: ownRecord(
        ItemKey,
        z
          .number()
          .int()
          .min(0)
          .max(LIMITS.gradeLevels - 1),
        LIMITS.ballotItems,
      ),
    })
    .strict(),
]);
export type BallotChoices = z.infer<typeof BallotChoicesSchema>;

/** Dots (or points) a ballot uses: what a tablet shows as spent. */
export function dotsUsed(amounts: Record<string, number>): number {
  return Object.values(amounts).reduce((sum, n) => sum + n, 0);
}

export type BallotCheck =
  | { ok: true }
  | {
      ok: false;
      code: 'wrong_method' | 'over_budget' | 'over_item_limit' | 'unknown_item' | 'duplicate_item' | 'unknown_level';
      message: string;
    };

const unknownItem = (id: string): BallotCheck => ({
  ok: false,
  code: 'unknown_item',
  message: `"${id}" is not an item of this vote`,
});

/**
 * Whether a ballot (already parsed by `BallotChoicesSchema`) keeps the rules of the vote.
 * An empty ballot is valid: a voter may withdraw.
 */
export function checkBallot(rules: VoteRules, itemIds: ReadonlySet<string>, ballot: BallotChoices): BallotCheck {
  if (ballot.method !== rules.method) {
    return { ok: false, code: 'wrong_method', message: `a ${ballot.method} ballot was sent to a ${rules.method} vote` };
  }
  if (rules.method === 'dots' && ballot.method === 'dots') {
    for (const [id, n] of Object.entries(ballot.dots)) {
      if (!itemIds.has(id)) return unknownItem(id);
      if (n > rules.maxPerItem) return { ok: false, code: 'over_item_limit', message: `at most ${rules.maxPerItem} dots on one item` };
    }
    const used = dotsUsed(ballot.dots);
    if (used > rules.budget) return { ok: false, code: 'over_budget', message: `${used} dots used, the budget is ${rules.budget}` };
    return { ok: true };
  }
  if (rules.method === 'points' && ballot.method === 'points') {
    let used = 0;
    for (const [id, n] of Object.entries(ballot.points)) {
      if (!itemIds.has(id)) return unknownItem(id);
      used += n;
    }
    if (used > rules.budget) {
      return { ok: false, code: 'over_budget', message: `${used} points used, the budget is ${rules.budget}` };
    }
    return { ok: true };
  }
  if (ballot.method === 'ranking') {
    const seen = new Set<string>();
    for (const id of ballot.ranking) {
      if (!itemIds.has(id)) return unknownItem(id);
      if (seen.has(id)) return { ok: false, code: 'duplicate_item', message: `"${id}" is ranked more than once` };
      seen.add(id);
    }
    return { ok: true };
  }
  if (ballot.method === 'recommendations') {
    for (const id of Object.keys(ballot.stances)) if (!itemIds.has(id)) return unknownItem(id);
  }
  if (rules.method === 'graded' && ballot.method === 'graded') {
    for (const [id, level] of Object.entries(ballot.grades)) {
      if (!itemIds.has(id)) return unknownItem(id);
      if (level >= rules.labels.length)
        return { ok: false, code: 'unknown_level', message: `the scale has ${rules.labels.length} levels (0-${rules.labels.length - 1})` };
    }
  }
  return { ok: true };
}

function sortedRecord<T>(record: Record<string, T>, keep: (value: T) => boolean): Record<string, T> {
  // fromEntries defines own properties, so an id such as "__proto__" stays an ordinary key.
  const kept = Object.entries(record).filter(([, value]) => keep(value));
  return Object.fromEntries(kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Canonical form, so equal ballots stringify equally: keys sorted, zero entries dropped for dots
 * and points (a zero means nothing), abstentions kept (they are a stance), ranking order kept.
 */
export function normaliseBallot(ballot: BallotChoices): BallotChoices {
  switch (ballot.method) {
    case 'dots':
      return { method: 'dots', dots: sortedRecord(ballot.dots, (n) => n > 0) };
    case 'points':
      return { method: 'points', points: sortedRecord(ballot.points, (n) => n > 0) };
    case 'ranking':
      return { method: 'ranking', ranking: [...ballot.ranking] };
    case 'recommendations':
      return { method: 'recommendations', stances: sortedRecord(ballot.stances, () => true) };
    case 'graded':
      return { method: 'graded', grades: sortedRecord(ballot.grades, () => true) };
  }
}

export interface AmountCounters {
  total: number;
  /** Sum over ballots of the amount squared, for the spread. */
  sq: number;
}
export interface RankingCounters {
  /** Modified Borda score, see `applyBallot`. */
  score: number;
  /** Ballots that ranked the item first. */
  firsts: number;
  /** Ballots that ranked the item at all. */
  ranked: number;
  /** Sum over ballots of the item's Borda points squared, for the spread. */
  sq: number;
}
export interface GradeCounters {
  /** Ballots that chose each level of the scale, best first. */
  levels: number[];
}
export interface StanceCounters {
  support: number;
  oppose: number;
  abstain: number;
}

export type VoteCount =
  | { method: 'dots'; ballots: number; items: Record<string, AmountCounters> }
  | { method: 'points'; ballots: number; items: Record<string, AmountCounters> }
  | { method: 'ranking'; ballots: number; items: Record<string, RankingCounters> }
  | { method: 'recommendations'; ballots: number; items: Record<string, StanceCounters> }
  | { method: 'graded'; ballots: number; items: Record<string, GradeCounters> };

export type CountFor<M extends VoteMethod> = Extract<VoteCount, { method: M }>;

function zeroCounters(rules: VoteRules): AmountCounters | RankingCounters | StanceCounters | GradeCounters {
  switch (rules.method) {
    case 'dots':
    case 'points':
      return { total: 0, sq: 0 };
    case 'ranking':
      return { score: 0, firsts: 0, ranked: 0, sq: 0 };
    case 'recommendations':
      return { support: 0, oppose: 0, abstain: 0 };
    case 'graded':
      return { levels: rules.labels.map(() => 0) };
  }
}

/** A count with every item at zero and no ballots. */
export function emptyCount<R extends VoteRules>(rules: R, itemIds: readonly string[]): CountFor<R['method']> {
  const items = Object.fromEntries(itemIds.map((id) => [id, zeroCounters(rules)]));
  return { method: rules.method, ballots: 0, items } as CountFor<R['method']>;
}

function counters<T>(items: Record<string, T>, id: string): T | undefined {
  return Object.hasOwn(items, id) ? items[id] : undefined;
}

/**
 * Adds a ballot to a running count (sign 1) or takes it away again (sign -1), in place. Taking
 * away is only meaningful for a ballot that was added before, as when a voter changes their ballot.
 * Choices for items outside the count are ignored, so a recount after an item was removed still works.
 *
 * Rankings use the Modified Borda Count: a voter who ranks k items gives k points to their first
 * choice, k-1 to the second, …, 1 to the last, and 0 to the items they left out. Unlike classic
 * Borda (n-1 … 0 over all n items) this needs no guess about where unranked items would have gone,
 * and ranking more items gives one's preferences more weight, which rewards considering them all.
 * Item ids outside the count and repeated ids are skipped before k is taken.
 */
export function applyBallot(count: VoteCount, ballot: BallotChoices, sign: 1 | -1): void {
  let touched = false;
  if (count.method === 'dots' && ballot.method === 'dots') {
    touched = addAmounts(count.items, ballot.dots, sign);
  } else if (count.method === 'points' && ballot.method === 'points') {
    touched = addAmounts(count.items, ballot.points, sign);
  } else if (count.method === 'ranking' && ballot.method === 'ranking') {
    const ranked = [...new Set(ballot.ranking)].filter((id) => Object.hasOwn(count.items, id));
    ranked.forEach((id, i) => {
      const c = count.items[id]!;
      const borda = ranked.length - i;
      c.score += sign * borda;
      c.sq += sign * borda * borda;
      c.ranked += sign;
      if (i === 0) c.firsts += sign;
    });
    touched = ranked.length > 0;
  } else if (count.method === 'recommendations' && ballot.method === 'recommendations') {
    for (const [id, stance] of Object.entries(ballot.stances)) {
      const c = counters(count.items, id);
      if (!c) continue;
      c[stance] += sign;
      touched = true;
    }
  } else if (count.method === 'graded' && ballot.method === 'graded') {
    for (const [id, level] of Object.entries(ballot.grades)) {
      const c = counters(count.items, id);
      // A level beyond the scale cannot pass checkBallot; skipped here so a count never grows a level.
      if (!c || level >= c.levels.length) continue;
      c.levels[level]! += sign;
      touched = true;
    }
  } else {
    throw new Error(`a ${ballot.method} ballot cannot be counted in a ${count.method} vote`);
  }
  if (touched) count.ballots += sign;
}

function addAmounts(items: Record<string, AmountCounters>, amounts: Record<string, number>, sign: 1 | -1): boolean {
  let touched = false;
  for (const [id, n] of Object.entries(amounts)) {
    const c = counters(items, id);
    if (!c || n === 0) continue;
    c.total += sign * n;
    c.sq += sign * n * n;
    touched = true;
  }
  return touched;
}

/** A fresh count of all ballots, for recounts; the same arithmetic as the running count. */
export function tally<R extends VoteRules>(rules: R, itemIds: readonly string[], ballots: Iterable<BallotChoices>): CountFor<R['method']> {
  const count = emptyCount(rules, itemIds);
  for (const ballot of ballots) applyBallot(count, ballot, 1);
  return count;
}

export interface RankedItem {
  id: string;
  /** Competition rank ("1224"): equal scores share a rank, so ties stay visible. */
  rank: number;
  /** Whether another item has the same score. */
  tied: boolean;
  /** What the order is based on: dots or points total, Borda score, or support percentage (-1 if nothing was cast). */
  score: number;
  /** How divided the room is on the item, 0 to 0.5 (see `spreadOf`); null for dots and recommendations, or without ballots. */
  spread: number | null;
  /** Spread above DIVIDED_SPREAD. */
  divided: boolean;
}
/** The sum of squares only serves the spread: it stays in the count. */
export interface RankedRankingItem extends RankedItem, Omit<RankingCounters, 'sq'> {}
export interface RankedRecommendation extends RankedItem, StanceCounters {
  /** support + oppose; abstentions are not votes cast. */
  cast: number;
  /** support / cast × 100, null when nothing was cast. */
  supportPct: number | null;
  adopted: boolean;
}
export interface RankedGradedItem extends RankedItem, GradeCounters {
  /** Ballots that graded the item. */
  graders: number;
  /** Of those, the ones that chose a level counting as support. */
  accepted: number;
  /** accepted / graders × 100, null when nobody graded the item. */
  acceptPct: number | null;
  adopted: boolean;
}
export type RankedResult<M extends VoteMethod> = M extends 'ranking'
  ? RankedRankingItem
  : M extends 'recommendations'
    ? RankedRecommendation
    : M extends 'graded'
      ? RankedGradedItem
      : RankedItem;

/** Whether support reaches the threshold percentage of the votes cast, in whole numbers so 70 % of 10 is exactly 7. */
export function isAdopted(support: number, oppose: number, threshold: number): boolean {
  const cast = support + oppose;
  return cast > 0 && support * 100 >= threshold * cast;
}

/**
 * An item's headline figure, the one a result is ordered by and a table per table shows: dots or
 * points, Borda score, or support %; null when nothing was cast on it.
 */
export function headline(row: RankedItem & { supportPct?: number | null; acceptPct?: number | null }, method: VoteMethod): number | null {
  if (method === 'recommendations') return row.supportPct ?? null;
  if (method === 'graded') return row.acceptPct ?? null;
  return row.score;
}

/** Above this spread an item is marked as dividing the room (MeetingSphere uses the same line). */
export const DIVIDED_SPREAD = 0.3;

/**
 * How divided the room is on an item: the standard deviation of the values the voters gave it,
 * divided by the range of the scale (the normalised standard deviation MeetingSphere uses, so
 * its 0.3 line means the same here). 0 means everyone gave the same; 0.5, the most there can
 * be, that the room split evenly between the two ends of the scale.
 * `n` values between 0 and `range` that sum to `sum`, their squares to `sumSq`.
 */
export function spreadOf(n: number, sum: number, sumSq: number, range: number): number | null {
  if (n <= 0 || range <= 0) return null;
  return Math.min(0.5, Math.sqrt(Math.max(0, deviationTerm(n, sum, sumSq))) / (n * range));
}

/** n² × variance, exact in integers: n·Σx² − (Σx)². */
const deviationTerm = (n: number, sum: number, sumSq: number) => n * sumSq - sum * sum;

/** spreadOf(…) > DIVIDED_SPREAD, decided in integers so an item on the line is never flagged by rounding. */
export function isDivided(n: number, sum: number, sumSq: number, range: number): boolean {
  // √D / (n·range) > 3/10  ⇔  100·D > 9·n²·range²
  return n > 0 && range > 0 && 100 * deviationTerm(n, sum, sumSq) > 9 * n * n * range * range;
}

const spreadFields = (n: number, sum: number, sumSq: number, range: number) => ({
  spread: spreadOf(n, sum, sumSq, range),
  divided: isDivided(n, sum, sumSq, range),
});
const noSpread = { spread: null, divided: false } as const;

export interface RankOptions {
  /**
   * Ballots that could have chosen these items, for the spread of points and rankings (a voter
   * who gave an item nothing gave it 0). By default the count's ballots; in a vote where each
   * table votes on its own points, the table's.
   */
  voters?: number;
}

/**
 * Items best first, with competition ranks; equal scores share a rank and keep the given order.
 * Items missing from the count score as if nobody chose them; items not listed are left out.
 */
export function rankResults<R extends VoteRules>(
  rules: R,
  items: readonly { id: string }[],
  count: VoteCount,
  options: RankOptions = {},
): RankedResult<R['method']>[] {
  if (count.method !== rules.method) {
    throw new Error(`a ${count.method} count cannot be ranked as a ${rules.method} vote`);
  }
  const voters = options.voters ?? count.ballots;
  let result: RankedItem[];
  switch (count.method) {
    case 'dots':
    case 'points': {
      const budget = rules.method === 'points' ? rules.budget : 0;
      const rows = items.map(({ id }) => {
        const { total, sq } = counters(count.items, id) ?? zeroAmounts;
        // Dots are too few per voter for a spread to say much; points have a scale (0 to the budget).
        return { id, score: total, ...(count.method === 'points' ? spreadFields(voters, total, sq, budget) : noSpread) };
      });
      result = competitionRanks(rows, (a, b) => b.score - a.score);
      break;
    }
    case 'ranking': {
      // A voter gives an item 0 (not ranked) up to one point per item (ranked first of all).
      const range = items.length;
      const rows = items.map(({ id }) => {
        const { score, firsts, ranked, sq } = counters(count.items, id) ?? zeroRanking;
        return { id, score, firsts, ranked, ...spreadFields(voters, score, sq, range) };
      });
      result = competitionRanks(rows, (a, b) => b.score - a.score);
      break;
    }
    case 'recommendations': {
      const threshold = rules.method === 'recommendations' ? rules.threshold : 100;
      const rows = items.map(({ id }) => {
        const { support, oppose, abstain } = counters(count.items, id) ?? zeroStances;
        const cast = support + oppose;
        // One rounding after an exact support × 100: 57 of 100 gives 57 (57 / 100 × 100 is 56.99999999999999).
        const supportPct = cast > 0 ? (support * 100) / cast : null;
        const adopted = isAdopted(support, oppose, threshold);
        return { id, score: supportPct ?? -1, support, oppose, abstain, cast, supportPct, adopted, ...noSpread };
      });
      result = competitionRanks(rows, compareSupport);
      break;
    }
    case 'graded': {
      if (rules.method !== 'graded') throw new Error('graded count without graded rules');
      const rows = items.map(({ id }) => gradedRow(rules, id, counters(count.items, id)?.levels));
      // The sum of levels only orders equal support; it is not part of the result.
      result = competitionRanks(rows, compareGraded).map(({ levelSum: _sum, ...row }) => row);
      break;
    }
  }
  return result as RankedResult<R['method']>[];
}

/** One item of a graded vote: support on the scale, adoption, and spread over the levels. */
function gradedRow(rules: GradedRules, id: string, counted: readonly number[] | undefined) {
  const levels = rules.labels.map((_, i) => counted?.[i] ?? 0);
  let graders = 0;
  let accepted = 0;
  let sum = 0;
  let sumSq = 0;
  levels.forEach((n, level) => {
    graders += n;
    if (level < rules.accept) accepted += n;
    sum += n * level;
    sumSq += n * level * level;
  });
  const acceptPct = graders > 0 ? (accepted * 100) / graders : null;
  const adopted = graders > 0 && accepted * 100 >= rules.threshold * graders;
  return { id, score: acceptPct ?? -1, levels, graders, accepted, acceptPct, adopted, levelSum: sum, ...spreadFields(graders, sum, sumSq, levels.length - 1) };
}

/**
 * Larger share of support first, items nobody graded last; at equal support, better grades on
 * average first. Compared by cross-multiplying, so order and ties never depend on rounding.
 */
function compareGraded(a: { accepted: number; graders: number; levelSum: number }, b: { accepted: number; graders: number; levelSum: number }): number {
  if (a.graders === 0 || b.graders === 0) return (a.graders === 0 ? 1 : 0) - (b.graders === 0 ? 1 : 0);
  return b.accepted * a.graders - a.accepted * b.graders || a.levelSum * b.graders - b.levelSum * a.graders;
}

const zeroAmounts: AmountCounters = { total: 0, sq: 0 };
const zeroRanking: RankingCounters = { score: 0, firsts: 0, ranked: 0, sq: 0 };
const zeroStances: StanceCounters = { support: 0, oppose: 0, abstain: 0 };

/**
 * Higher support proportion first, items with nothing cast last. Proportions are compared by
 * cross-multiplying, so order and ties never depend on floating-point rounding.
 */
function compareSupport(a: { support: number; cast: number }, b: { support: number; cast: number }): number {
  if (a.cast === 0 || b.cast === 0) return (a.cast === 0 ? 1 : 0) - (b.cast === 0 ? 1 : 0);
  return b.support * a.cast - a.support * b.cast;
}

/** Sorts best first (stable, so equals keep the given order) and gives competition ranks. */
function competitionRanks<T>(rows: readonly T[], compare: (a: T, b: T) => number): (T & { rank: number; tied: boolean })[] {
  const sorted = [...rows].sort(compare);
  let rank = 0;
  return sorted.map((row, i) => {
    const previous = sorted[i - 1];
    const next = sorted[i + 1];
    const sameAsPrevious = previous !== undefined && compare(previous, row) === 0;
    if (!sameAsPrevious) rank = i + 1;
    const tied = sameAsPrevious || (next !== undefined && compare(row, next) === 0);
    return { ...row, rank, tied };
  });
}
