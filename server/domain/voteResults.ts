/**
 * What a screen is told about a vote's results. Pure: from the running count, who may see what.
 *
 * - Blind votes: while open, only the facilitator sees results; everyone else sees turnout.
 * - Votes in which each table votes on its own points are reported per table, and a table's
 *   results are withheld (for everyone) while fewer than MIN_VOTERS_SHOWN voted there: with one
 *   or two voters, the result would tell what they chose.
 */
import { BREAKDOWN_ITEMS, MIN_VOTERS_SHOWN, type ResultRow, type Tally, type TallyByTable, type VoteView } from '../../shared/protocol.js';
import { headline, rankResults, type VoteCount, type VoteRules } from '../../shared/tally.js';

/**
 * A vote's result per table, for votes on points from several tables (not 'table' votes, which
 * are per table already). Given only when every table where somebody voted has at least
 * MIN_VOTERS_SHOWN ballots: with fewer, one table's result (or the whole minus the others) would
 * tell what one or two people chose. 'incomplete' when the server restarted during the vote, so
 * the ballots before it cannot be placed at a table (ballots do not say where they were cast).
 */
export type TableBreakdown =
  | { status: 'shown'; tables: { table: number; ballots: number; count: VoteCount }[] }
  | { status: 'withheld'; reason: 'few' | 'incomplete' }
  | { status: 'none' };

export interface TallyInput {
  vote: Pick<VoteView, 'id' | 'method' | 'rules' | 'source' | 'items' | 'blind' | 'status'>;
  count: VoteCount;
  ballots: number;
  eligible: number;
  /** Ballots per table, from the receipts. */
  votersByTable: ReadonlyMap<number, number>;
  /** The result per table as the vote store allows it (server/votes.ts). */
  breakdown?: TableBreakdown;
}

/**
 * Each table's headline figure for the given items, from a shown breakdown: ranked like the
 * whole, so the tally and the report cannot disagree.
 */
export function scoresByTable(
  rules: VoteRules,
  items: readonly { id: string }[],
  breakdown: Extract<TableBreakdown, { status: 'shown' }>,
): { table: number; ballots: number; scores: Record<string, number | null> }[] {
  return breakdown.tables.map((t) => ({
    table: t.table,
    ballots: t.ballots,
    scores: Object.fromEntries(rankResults(rules, items, t.count, { voters: t.ballots }).map((r) => [r.id, headline(r, rules.method)])),
  }));
}

/** The per-table result for the facilitator, for the whole result's first items; nobody else gets it. */
function byTable(input: TallyInput, audience: 'facilitator' | 'room', results: readonly ResultRow[]): TallyByTable {
  const b = input.breakdown;
  if (!b || audience !== 'facilitator' || b.status === 'none') return { status: 'none' };
  if (b.status === 'withheld') return b;
  return { status: 'shown', tables: scoresByTable(input.vote.rules, results.slice(0, BREAKDOWN_ITEMS), b) };
}

export function buildTally(input: TallyInput, audience: 'facilitator' | 'room'): Tally {
  const { vote, count } = input;
  const hidden = vote.blind && vote.status === 'open' && audience === 'room';
  const rank = (items: readonly { id: string }[], voters?: number): ResultRow[] => (hidden ? [] : rankResults(vote.rules, items, count, { voters }));
  const base = { voteId: vote.id, method: vote.method, ballots: input.ballots, eligible: input.eligible, hidden };
  if (vote.source !== 'table') {
    const results = rank(vote.items);
    return { ...base, results, tables: [], byTable: byTable(input, audience, results) };
  }
  const tableNumbers = [...new Set(vote.items.map((i) => i.table).filter((t): t is number => t !== null))].sort((a, b) => a - b);
  return {
    ...base,
    results: [],
    byTable: { status: 'none' },
    tables: tableNumbers.map((table) => {
      const ballots = input.votersByTable.get(table) ?? 0;
      const withheld = ballots < MIN_VOTERS_SHOWN;
      return {
        table,
        ballots,
        withheld,
        results: withheld
          ? []
          : rank(
              vote.items.filter((i) => i.table === table),
              ballots,
            ),
      };
    }),
  };
}
