/**
 * Votes in the report. `reportVote` is the one place where a stored vote and its count become
 * a ReportVote, for every method; the renderers read only ReportVote.
 */
import { findStep, type Agenda } from '../../shared/agenda.js';
import { MIN_VOTERS_SHOWN } from '../../shared/protocol.js';
import type { ReportRecommendation, ReportVote, ReportVoteResult } from '../../shared/report.js';
import { rankResults, type RankedGradedItem, type RankedRankingItem, type RankedRecommendation, type VoteCount, type VoteRules } from '../../shared/tally.js';
import { scoresByTable, type TableBreakdown } from './voteResults.js';
import { VOTE_DEFAULTS } from '../../shared/voteSettings.js';

/** What the report reads of a stored vote. */
export interface StoredVote {
  id: string;
  method: ReportVote['method'];
  source?: ReportVote['source'];
  /** The method's rules; dot votes stored before rules existed carry budget and maxPerItem instead. */
  rules?: { method?: string; budget?: number; maxPerItem?: number; threshold?: number; labels?: string[]; accept?: number };
  budget?: number;
  maxPerItem?: number;
  stepId?: string | null;
  status: ReportVote['status'];
  items: { id: string; table: number | null; theme: string | null; text: string }[];
  openedAt: number;
  closedAt: number | null;
  /** Who could vote, frozen when the vote closed; null while open. */
  eligibleAtClose: number | null;
}

/**
 * A vote's count as the vote store gives it: the method's counters with the number of ballots
 * received (blank ones included), or, for dot votes as stored before votes had methods, totals.
 */
export type StoredCount = { count: VoteCount; ballots: number } | { totals: Record<string, number>; ballots: number };

export interface VoteContext {
  /** The vote's step when the vote does not say (the log of its opening does). */
  stepId: string | null;
  agenda: Agenda;
  /** Devices seated now: who could vote in a vote that is still open. */
  joinedNow: number;
  /** Ballots per table, for votes in which each table voted on its own points. */
  votersByTable: ReadonlyMap<number, number>;
  /** The result per table as the vote store allows it (server/votes.ts); none when not given. */
  breakdown?: TableBreakdown;
}

/** An item's headline figure: what the result table ranks it by, or null when nothing was cast. */
function byTableOf(rules: VoteRules, items: StoredVote['items'], breakdown: TableBreakdown | undefined): ReportVote['byTable'] {
  if (!breakdown || breakdown.status === 'none') return { status: 'none' };
  if (breakdown.status === 'withheld') return breakdown;
  return {
    status: 'shown',
    tables: scoresByTable(rules, items, breakdown),
  };
}

/** Share of those who could vote that did, as a whole percentage. */
export function turnoutPct(ballots: number, eligible: number): number | null {
  return eligible > 0 ? Math.round((ballots * 100) / eligible) : null;
}

function rulesOf(vote: StoredVote): VoteRules {
  const r = { budget: vote.budget, maxPerItem: vote.maxPerItem, ...vote.rules };
  switch (vote.method) {
    case 'dots':
      return { method: 'dots', budget: r.budget ?? 0, maxPerItem: r.maxPerItem ?? r.budget ?? 0 };
    case 'points':
      return { method: 'points', budget: r.budget ?? 0 };
    case 'ranking':
      return { method: 'ranking' };
    case 'recommendations':
      return { method: 'recommendations', threshold: r.threshold ?? 50 };
    case 'graded': {
      const labels = r.labels ?? [...VOTE_DEFAULTS.gradedLabels];
      return { method: 'graded', labels, accept: r.accept ?? VOTE_DEFAULTS.gradedAccept, threshold: r.threshold ?? VOTE_DEFAULTS.gradedThreshold };
    }
  }
}

function asCount(method: ReportVote['method'], stored: StoredCount): VoteCount {
  if ('count' in stored) return stored.count;
  // Counts stored this way predate the spread: their sums of squares are unknown, and unused (dots).
  const items = Object.fromEntries(Object.entries(stored.totals).map(([id, total]) => [id, { total, sq: 0 }]));
  return method === 'points' ? { method, ballots: stored.ballots, items } : { method: 'dots', ballots: stored.ballots, items };
}

export function reportVote(vote: StoredVote, stored: StoredCount, ctx: VoteContext): ReportVote {
  const rules = rulesOf(vote);
  const tally = asCount(vote.method, stored);
  const ballots = stored.ballots;
  const eligible = vote.eligibleAtClose ?? ctx.joinedNow;
  const stepId = vote.stepId ?? ctx.stepId;
  const at = findStep(ctx.agenda, stepId);
  const items = new Map(vote.items.map((i) => [i.id, i]));
  const source = vote.source ?? (vote.method === 'recommendations' ? 'recommendations' : 'tables');
  // Each table voted on its own points: rank them per table, and say nothing where too few voted.
  const tables =
    source === 'table'
      ? [...new Set(vote.items.map((i) => i.table).filter((t) => t !== null))]
          .sort((a, b) => a - b)
          .map((table) => {
            const ballots = ctx.votersByTable.get(table) ?? 0;
            return { table, ballots, withheld: ballots < MIN_VOTERS_SHOWN };
          })
      : [];
  const ranked =
    source === 'table'
      ? tables
          .filter((t) => !t.withheld)
          .flatMap((t) =>
            rankResults(
              rules,
              vote.items.filter((i) => i.table === t.table),
              tally,
              { voters: t.ballots },
            ),
          )
      : rankResults(rules, vote.items, tally);
  const results = ranked.map((r): ReportVoteResult => {
    const item = items.get(r.id)!;
    const base = {
      ...{ itemId: r.id, table: item.table, theme: item.theme, text: item.text, rank: r.rank, tied: r.tied },
      // Only where the method has a spread (ranking, points, graded) and somebody voted.
      ...(r.spread !== null && { spread: r.spread, divided: r.divided }),
    };
    switch (vote.method) {
      case 'dots':
        return { ...base, score: r.score, total: r.score };
      case 'points':
        return { ...base, score: r.score, points: r.score };
      case 'ranking': {
        const k = r as RankedRankingItem;
        return { ...base, score: k.score, borda: k.score, firsts: k.firsts };
      }
      case 'recommendations': {
        const k = r as RankedRecommendation;
        return {
          ...base,
          score: k.supportPct ?? 0,
          support: k.support,
          oppose: k.oppose,
          abstain: k.abstain,
          cast: k.cast,
          supportPct: k.supportPct,
          adopted: k.adopted,
        };
      }
      case 'graded': {
        const k = r as RankedGradedItem;
        return { ...base, score: k.acceptPct ?? 0, levels: k.levels, graders: k.graders, accepted: k.accepted, acceptPct: k.acceptPct, adopted: k.adopted };
      }
    }
  });
  const { method: _method, ...ruleValues } = rules;
  return {
    id: vote.id,
    stepId,
    stepTitle: at?.step.title ?? null,
    round: at ? at.roundIndex + 1 : null,
    roundTitle: at?.round.title ?? null,
    method: vote.method,
    source,
    rules: ruleValues,
    status: vote.status,
    openedAt: new Date(vote.openedAt).toISOString(),
    closedAt: vote.closedAt === null ? null : new Date(vote.closedAt).toISOString(),
    ballots,
    eligible,
    turnout: turnoutPct(ballots, eligible),
    tables,
    results,
    byTable: byTableOf(rules, vote.items, ctx.breakdown),
  };
}

/** Every item of every recommendations vote, with its support and whether it was adopted. */
export function recommendationsOf(votes: readonly ReportVote[]): ReportRecommendation[] {
  return votes
    .filter((v) => v.method === 'recommendations')
    .flatMap((v) =>
      v.results.map((r) => ({
        voteId: v.id,
        itemId: r.itemId,
        text: r.text,
        table: r.table,
        support: r.support ?? 0,
        oppose: r.oppose ?? 0,
        abstain: r.abstain ?? 0,
        cast: r.cast ?? (r.support ?? 0) + (r.oppose ?? 0),
        supportPct: r.supportPct ?? null,
        threshold: v.rules.threshold ?? null,
        adopted: r.adopted ?? false,
      })),
    );
}
