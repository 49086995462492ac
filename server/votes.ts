/**
 * Votes and ballots. A ballot goes into the vote's box in the ballot box (ballotBox.ts), in a
 * random slot and without anything that points to the device that cast it; one ballot per
 * device (or per seat, on a shared tablet) is enforced through a receipt that holds no choices
 * and no device id (see the box's schema in db.ts). Counting is shared/tally.ts.
 */
import { MIN_VOTERS_SHOWN, type BallotSubmitPayload, type VoteItem, type VoteSource, type VoteView } from '../shared/protocol.js';
import { applyBallot, checkBallot, emptyCount, normaliseBallot, tally, type BallotChoices, type VoteCount, type VoteRules } from '../shared/tally.js';
import { BallotBox, slotSizeFor } from './ballotBox.js';
import type { TableBreakdown } from './domain/voteResults.js';
import type { Db } from './db.js';
import { statement } from './db.js';
import { deepFreeze } from './frozen.js';
import type { Device } from './devices.js';
import { AppError } from './errors.js';
import { newId, seal, voterTag } from './secrets.js';

export interface Vote extends VoteView {
  sessionId: string;
  /** Turnout denominator frozen at closing; null while the vote is open. */
  eligibleAtClose: number | null;
  /** The stored TableBreakdown, written at closing; null while open. */
  breakdownJson: string | null;
}

export interface VoteRow {
  id: string;
  session_id: string;
  method: VoteRules['method'];
  budget: number;
  max_per_item: number;
  rules: string | null;
  source: VoteSource;
  blind: number;
  step_id: string | null;
  items: string;
  status: 'open' | 'closed';
  opened_at: number;
  closed_at: number | null;
  eligible: number | null;
  breakdown: string | null;
}

/** Per-table counts of an open vote, in memory only; `complete` while they hold every ballot. */
interface TableCounts {
  counts: Map<number, RunningCount>;
  complete: boolean;
}

const hasBreakdown = (source: VoteSource) => source !== 'table';

const toVote = (r: VoteRow): Vote => {
  const rules = r.rules ? (JSON.parse(r.rules) as VoteRules) : { method: 'dots' as const, budget: r.budget, maxPerItem: r.max_per_item };
  return {
    id: r.id,
    sessionId: r.session_id,
    method: rules.method,
    source: r.source,
    rules,
    blind: r.blind === 1,
    status: r.status,
    stepId: r.step_id,
    items: JSON.parse(r.items) as VoteItem[],
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    eligibleAtClose: r.eligible,
    breakdownJson: r.breakdown,
  };
};

export function toVoteView(vote: Vote): VoteView {
  const { sessionId: _sessionId, eligibleAtClose: _eligible, breakdownJson: _breakdown, ...view } = vote;
  return view;
}

/** The ballot box's box for a vote's ballots. */
export const voteBox = (voteId: string): string => `vote:${voteId}`;
/** The box for a vote's receipts: one per device or seat that voted, in random slots too. */
export const receiptBox = (voteId: string): string => `receipts:vote:${voteId}`;

/** The voter of a receipt: the device, by its token, or a seat of a shared tablet, in clear. */
const seatVoter = (table: number, seat: number): string => `seat:${table}:${seat}`;

/** What a receipt holds besides its voter: no choices, no ballot id, no device id. */
export interface Receipt {
  /** Binds the ballot id to the device token, so only that device can replace its ballot. */
  seal: string;
  /** Where it was cast, so moving devices later cannot change a table's count. */
  table: number | null;
  /** On a shared tablet, the seat; else 0. */
  seat: number;
}

export const receiptSlotSize = (): number => slotSizeFor('x'.repeat(64), JSON.stringify({ seal: 'x'.repeat(64), table: 999, seat: 99 } satisfies Receipt));

/** Ids are at most 64 characters long (see BallotSubmitPayload). */
const LONGEST_BALLOT_ID = 'x'.repeat(64);

/**
 * The most bytes a ballot of this vote can take: every item chosen, each with the largest
 * value the rules allow. Every slot of the vote's box has this size.
 */
export function ballotSlotSize(rules: VoteRules, items: readonly VoteItem[]): number {
  const ids = items.map((i) => i.id);
  const each = <T>(keys: string[], value: T) => Object.fromEntries(keys.map((id) => [id, value]));
  // A stored dots or points ballot names at most `budget` items, each with at least one
  // (normaliseBallot drops the zeros): its slot holds the longest `budget` ids at the highest
  // amount, not every item. With 120 points that is about a tenth of a page instead of most
  // of one, and a vote for 5,000 phones writes 10,000 such slots as it opens.
  const longest = (n: number) => [...ids].sort((a, b) => b.length - a.length).slice(0, n);
  const largest: BallotChoices =
    rules.method === 'dots'
      ? { method: 'dots', dots: each(longest(rules.budget), rules.maxPerItem) }
      : rules.method === 'points'
        ? { method: 'points', points: each(longest(rules.budget), rules.budget) }
        : rules.method === 'ranking'
          ? { method: 'ranking', ranking: ids }
          : rules.method === 'graded'
            ? { method: 'graded', grades: each(ids, rules.labels.length - 1) }
            : { method: 'recommendations', stances: each(ids, 'abstain') };
  return slotSizeFor(LONGEST_BALLOT_ID, JSON.stringify(largest));
}

/** Ballots stored before vote methods existed hold a bare dots record. */
export function parseChoices(json: string): BallotChoices {
  const parsed = JSON.parse(json) as Record<string, unknown>;
  return typeof parsed.method === 'string' ? (parsed as unknown as BallotChoices) : { method: 'dots', dots: parsed as Record<string, number> };
}

/** A ballot's choices, for this vote's method only. */
function choicesOf(vote: Vote, p: BallotSubmitPayload): BallotChoices {
  if (p.choices.method !== vote.method) throw new AppError('wrong_method', `This vote uses ${vote.method}; the ballot was for ${p.choices.method}`);
  return p.choices;
}

export interface RunningCount {
  count: VoteCount;
  /** Ballots received, blank ones included: a blank ballot's voter took part. */
  ballots: number;
}

export interface OpenVote {
  rules: VoteRules;
  source: VoteSource;
  blind: boolean;
  stepId: string | null;
}

export class Votes {
  /** Running counts per vote, so a ballot costs O(its own size) rather than a recount. */
  private readonly counts = new Map<string, RunningCount>();
  private readonly bySession = new Map<string, readonly Vote[]>();
  private readonly byId = new Map<string, Vote>();
  /** Receipts per table, per vote, kept like the counts. */
  private readonly perTable = new Map<string, Map<number, number>>();
  /** Open votes' counts per table (see TableBreakdown), never written until the vote closes. */
  private readonly byTable = new Map<string, TableCounts>();

  private readonly box: BallotBox;

  constructor(private readonly db: Db) {
    this.box = new BallotBox(db);
  }

  /**
   * Opens a vote. `expected` voters get their slots made now, in the batch that commits next,
   * so that the boxes need not grow (and reshuffle) while the room votes.
   */
  open(sessionId: string, opts: OpenVote, items: VoteItem[], expected = 0, now = Date.now()): Vote {
    const voteId = this.db.transaction(() => {
      if (this.openVote(sessionId)) throw new AppError('vote_already_open', 'A vote is already open; close it first');
      if (items.length === 0) throw new AppError('no_points', 'There is nothing to vote on yet');
      const id = newId();
      const { rules } = opts;
      statement(
        this.db,
        `INSERT INTO votes (id, session_id, method, budget, max_per_item, rules, source, blind, step_id, items, status, opened_at, closed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, NULL)`,
      ).run(
        id,
        sessionId,
        rules.method,
        'budget' in rules ? rules.budget : 0,
        rules.method === 'dots' ? rules.maxPerItem : 0,
        JSON.stringify(rules),
        opts.source,
        opts.blind ? 1 : 0,
        opts.stepId,
        JSON.stringify(items),
        now,
      );
      return id;
    })();
    this.forget(sessionId);
    const vote = this.get(voteId)!;
    this.box.reserve(voteBox(vote.id), ballotSlotSize(vote.rules, vote.items), 2 * expected);
    this.box.reserve(receiptBox(vote.id), receiptSlotSize(), 2 * expected);
    return vote;
  }

  /** Closes the vote; `eligible` is who could vote, kept for the turnout. */
  close(sessionId: string, voteId: string, eligible: number, now = Date.now()): Vote {
    const vote = this.get(voteId);
    if (!vote || vote.sessionId !== sessionId) throw new AppError('not_found', 'There is no such vote in this session');
    if (vote.status !== 'open') throw new AppError('vote_not_open', 'This vote is already closed');
    const breakdown = JSON.stringify(this.breakdownOf(vote));
    statement(this.db, "UPDATE votes SET status = 'closed', closed_at = ?, eligible = ?, breakdown = ? WHERE id = ?").run(now, eligible, breakdown, voteId);
    this.byTable.delete(voteId);
    this.forget(sessionId);
    this.box.close(voteBox(voteId));
    this.box.close(receiptBox(voteId));
    return this.get(voteId)!;
  }

  get(id: string): Vote | undefined {
    const kept = this.byId.get(id);
    if (kept) return kept;
    const row = statement(this.db, 'SELECT session_id FROM votes WHERE id = ?').get(id) as { session_id: string } | undefined;
    return row && this.list(row.session_id).find((v) => v.id === id);
  }

  openVote(sessionId: string): Vote | undefined {
    return this.list(sessionId).find((v) => v.status === 'open');
  }

  /** The open vote, or else the most recent one. */
  current(sessionId: string): Vote | undefined {
    return this.openVote(sessionId) ?? this.list(sessionId).at(-1);
  }

  /**
   * A session's votes in the order they opened. Kept in memory until the session's votes change
   * (only open and close write them): every screen's state and every device's asks for them,
   * and reading and parsing the rows each time was a large share of a vote:open to 5,000 phones.
   */
  list(sessionId: string): readonly Vote[] {
    let votes = this.bySession.get(sessionId);
    if (!votes) {
      const rows = statement(this.db, 'SELECT * FROM votes WHERE session_id = ? ORDER BY opened_at, id').all(sessionId) as VoteRow[];
      votes = rows.map((r) => deepFreeze(toVote(r)));
      this.bySession.set(sessionId, votes);
      for (const v of votes) this.byId.set(v.id, v);
    }
    return votes;
  }

  /** After a write to a session's votes: read them again when next asked. */
  private forget(sessionId: string): void {
    for (const v of this.bySession.get(sessionId) ?? []) this.byId.delete(v.id);
    this.bySession.delete(sessionId);
  }

  /** The receipts of a vote, read from their box. */
  private receipts(voteId: string): Receipt[] {
    return this.box.bodies(receiptBox(voteId)).map((b) => JSON.parse(b) as Receipt);
  }

  /**
   * Ballots per table in this vote (a shared tablet's seats each count), where they were cast:
   * counts only, from the receipts; read once, then kept up to date like the running counts.
   */
  votersByTable(voteId: string): Map<number, number> {
    return new Map(this.tableCounts(voteId));
  }

  /** The kept per-table counts of a vote, read from its receipts the first time. */
  private tableCounts(voteId: string): Map<number, number> {
    let out = this.perTable.get(voteId);
    if (!out) {
      out = new Map<number, number>();
      for (const r of this.receipts(voteId)) if (r.table !== null) out.set(r.table, (out.get(r.table) ?? 0) + 1);
      this.perTable.set(voteId, out);
    }
    return out;
  }

  /**
   * Vote ids of this session in which the device (known by its token) has a ballot, or, for a
   * shared tablet, in which seats of its table voted.
   */
  votedIn(sessionId: string, token: string, table: number | null): string[] {
    return this.list(sessionId)
      .filter(
        (v) =>
          this.box.get(receiptBox(v.id), voterTag(v.id, token)) !== undefined ||
          (table !== null && this.receipts(v.id).some((r) => r.table === table && r.seat > 0)),
      )
      .map((v) => v.id);
  }

  /** The seats of a table (sharing a tablet) that voted in a vote. */
  seatsVoted(voteId: string, table: number): number[] {
    return this.receipts(voteId)
      .filter((r) => r.table === table && r.seat > 0)
      .map((r) => r.seat)
      .sort((a, b) => a - b);
  }

  /**
   * Records or replaces a ballot. Resending the same ballot is acknowledged again and counted
   * once; a different ballot id for a device (or seat) that already voted is refused. `seats` is
   * the number of seats at the device's table when it is a shared tablet, else 0.
   *
   * The ballot counts at once; it is on disk, and may be acknowledged, once `stored()` says so.
   * The ballot box commits the receipts of a batch before their ballots: a copy of the files
   * taken during a commit sees receipts or ballots in flight, never the pairs (ballotBox.ts).
   * Should the server stop between the two commits, the tablet sends the same ballot again,
   * its receipt matches, and the ballot is added then.
   */
  submit(device: Device, token: string, payload: BallotSubmitPayload, seats: number): { changed: boolean; seat: number | null } {
    const vote = this.get(payload.voteId);
    if (!vote || vote.sessionId !== device.sessionId) throw new AppError('not_found', 'There is no such vote in this session');
    if (vote.status !== 'open') throw new AppError('vote_closed', 'This vote is closed; your ballot was not counted');
    if (device.table === null) throw new AppError('no_table', 'Pick your table before you vote');
    const seat = seats > 0 ? (payload.seat ?? 0) : 0;
    if (seats > 0 && (seat < 1 || seat > seats)) {
      throw new AppError('bad_request', `This table shares one tablet with ${seats} seats; a ballot names its seat (1-${seats})`);
    }
    if (seats === 0 && payload.seat !== undefined) throw new AppError('bad_request', 'This table does not share a tablet; leave out the seat');

    const choices = normaliseBallot(choicesOf(vote, payload));
    // A table votes only on its own points when each table has its own vote.
    const itemIds = new Set(vote.items.filter((i) => vote.source !== 'table' || i.table === device.table).map((i) => i.id));
    const check = checkBallot(vote.rules, itemIds, choices);
    if (!check.ok) throw new AppError(check.code, check.message);

    const running = this.count(vote);
    const ballots = voteBox(vote.id);
    const receipts = receiptBox(vote.id);
    const mySeal = seal(vote.id, payload.ballotId, token);
    // A seat is the table's, whichever of its tablets took the ballot.
    const voter = seat > 0 ? seatVoter(device.table, seat) : voterTag(vote.id, token);
    const next = JSON.stringify(choices);
    const result = { changed: true, seat: seat || null };

    const stored = this.box.get(receipts, voter);
    if (stored !== undefined) {
      const receipt = JSON.parse(stored) as Receipt;
      if (receipt.seal !== mySeal) {
        throw seat > 0
          ? new AppError('seat_taken', `Seat ${seat} has already voted in this vote`)
          : new AppError('already_voted', 'This device has already voted in this vote');
      }
      const old = this.box.get(ballots, payload.ballotId);
      if (old === next) return { ...result, changed: false };
      if (old === undefined) this.box.add(ballots, payload.ballotId, next, () => ballotSlotSize(vote.rules, vote.items));
      else this.box.replace(ballots, payload.ballotId, next);
      const replaced = old === undefined ? null : parseChoices(old);
      if (replaced) applyBallot(running.count, replaced, -1);
      else running.ballots += 1;
      applyBallot(running.count, choices, 1);
      this.countAtTable(vote, receipt.table, choices, replaced);
      return result;
    }

    if (this.box.get(ballots, payload.ballotId) !== undefined) {
      throw new AppError('bad_request', 'This ballot id is already in use; the tablet should make a new one');
    }
    const body: Receipt = { seal: mySeal, table: device.table, seat };
    const perTable = this.tableCounts(vote.id);
    this.box.add(receipts, voter, JSON.stringify(body), receiptSlotSize);
    perTable.set(device.table, (perTable.get(device.table) ?? 0) + 1);
    this.box.add(ballots, payload.ballotId, next, () => ballotSlotSize(vote.rules, vote.items));
    applyBallot(running.count, choices, 1);
    running.ballots += 1;
    this.countAtTable(vote, device.table, choices, null);
    return result;
  }

  /**
   * The vote's result per table: from memory while it is open, as stored once it closed. The
   * rule (every voting table at least MIN_VOTERS_SHOWN) is applied here, so nothing else needs to.
   */
  breakdown(vote: Vote): TableBreakdown {
    if (vote.status === 'closed') return vote.breakdownJson ? (JSON.parse(vote.breakdownJson) as TableBreakdown) : { status: 'none' };
    return this.breakdownOf(vote);
  }

  private breakdownOf(vote: Vote): TableBreakdown {
    if (!hasBreakdown(vote.source)) return { status: 'none' };
    this.count(vote);
    const kept = this.byTable.get(vote.id);
    if (!kept?.complete) return { status: 'withheld', reason: 'incomplete' };
    // Ballots that chose something: a voter who withdrew (an empty ballot) chose nothing to hide
    // behind, so a table of three where two withdrew is a table of one.
    const tables = [...kept.counts]
      .filter(([, c]) => c.count.ballots > 0)
      .sort(([a], [b]) => a - b)
      .map(([table, c]) => ({ table, ballots: c.count.ballots, count: c.count }));
    if (tables.length === 0) return { status: 'none' };
    if (tables.some((t) => t.ballots < MIN_VOTERS_SHOWN)) return { status: 'withheld', reason: 'few' };
    return { status: 'shown', tables };
  }

  /** Adds a ballot to its table's count (and takes the one it replaces away), for open votes. */
  private countAtTable(vote: Vote, table: number | null, next: BallotChoices, old: BallotChoices | null): void {
    const kept = this.byTable.get(vote.id);
    if (!kept || table === null || !hasBreakdown(vote.source)) return;
    let running = kept.counts.get(table);
    if (!running) {
      running = {
        count: emptyCount(
          vote.rules,
          vote.items.map((i) => i.id),
        ),
        ballots: 0,
      };
      kept.counts.set(table, running);
    }
    if (old) applyBallot(running.count, old, -1);
    else running.ballots += 1;
    applyBallot(running.count, next, 1);
  }

  /** Resolves once every ballot taken so far is committed; rejects if the commit failed. */
  stored(): Promise<void> {
    return this.box.stored().catch((err: unknown) => {
      // The box read itself again from the file; the counts follow. Which table the ballots
      // of the failed batch came from is no longer known.
      this.counts.clear();
      this.perTable.clear();
      for (const kept of this.byTable.values()) kept.complete = false;
      throw err;
    });
  }

  /** Commits what waits now (on shutdown). */
  flush(): void {
    this.box.flush();
  }

  /** Counters and number of ballots; read from the database once, then kept up to date. */
  count(vote: Vote): RunningCount {
    let running = this.counts.get(vote.id);
    if (!running) {
      const bodies = this.box.bodies(voteBox(vote.id));
      const ids = vote.items.map((i) => i.id);
      running = { count: bodies.length > 0 ? tally(vote.rules, ids, bodies.map(parseChoices)) : emptyCount(vote.rules, ids), ballots: bodies.length };
      this.counts.set(vote.id, running);
      // Per table only from the first ballot on: ballots already in the box cannot be placed.
      if (vote.status === 'open' && !this.byTable.has(vote.id)) this.byTable.set(vote.id, { counts: new Map(), complete: bodies.length === 0 });
    }
    return running;
  }
}
