/**
 * Votes and ballots. A ballot is stored without anything that points to the device that cast
 * it; one-ballot-per-device is enforced through a separate receipt (see the migration in db.ts).
 */
import { checkDots, normaliseDots, tallyDots, type DotRules } from '../shared/dots.js';
import type { BallotSubmitPayload, VoteItem, VoteView } from '../shared/protocol.js';
import type { Db } from './db.js';
import type { Device } from './devices.js';
import { AppError } from './errors.js';
import { newId, seal } from './secrets.js';

export interface Vote extends VoteView {
  sessionId: string;
  /** Turnout denominator frozen at closing; null while the vote is open. */
  eligibleAtClose: number | null;
}

interface VoteRow {
  id: string;
  session_id: string;
  method: 'dots';
  budget: number;
  max_per_item: number;
  items: string;
  status: 'open' | 'closed';
  opened_at: number;
  closed_at: number | null;
  eligible: number | null;
}

const toVote = (r: VoteRow): Vote => ({
  id: r.id,
  sessionId: r.session_id,
  method: r.method,
  status: r.status,
  budget: r.budget,
  maxPerItem: r.max_per_item,
  items: JSON.parse(r.items) as VoteItem[],
  openedAt: r.opened_at,
  closedAt: r.closed_at,
  eligibleAtClose: r.eligible,
});

export function toVoteView(vote: Vote): VoteView {
  const { sessionId: _sessionId, eligibleAtClose: _eligible, ...view } = vote;
  return view;
}

export interface VoteCount {
  totals: Record<string, number>;
  ballots: number;
}


export class Votes {
  /** Running counts per vote, so a ballot costs O(its own size) rather than a recount. */
  private readonly counts = new Map<string, VoteCount>();

  constructor(private readonly db: Db) {}

  open(sessionId: string, rules: DotRules, items: VoteItem[], now = Date.now()): Vote {
    return this.db.transaction(() => {
      if (this.openVote(sessionId)) throw new AppError('vote_already_open', 'A vote is already open; close it first');
      if (items.length === 0) throw new AppError('no_points', 'There are no points to vote on yet');
      const id = newId();
      this.db
        .prepare(
          `INSERT INTO votes (id, session_id, method, budget, max_per_item, items, status, opened_at, closed_at)
           VALUES (?, ?, 'dots', ?, ?, ?, 'open', ?, NULL)`,
        )
        .run(id, sessionId, rules.budget, rules.maxPerItem, JSON.stringify(items), now);
      return this.get(id)!;
    })();
  }

  /** Closes the vote; `eligible` is the number of devices that could vote, kept for the turnout. */
  close(sessionId: string, voteId: string, eligible: number, now = Date.now()): Vote {
    const vote = this.get(voteId);
    if (!vote || vote.sessionId !== sessionId) throw new AppError('not_found', 'There is no such vote in this session');
    if (vote.status !== 'open') throw new AppError('vote_not_open', 'This vote is already closed');
    this.db.prepare("UPDATE votes SET status = 'closed', closed_at = ?, eligible = ? WHERE id = ?").run(now, eligible, voteId);
    return this.get(voteId)!;
  }

  get(id: string): Vote | undefined {
    const row = this.db.prepare('SELECT * FROM votes WHERE id = ?').get(id) as VoteRow | undefined;
    return row && toVote(row);
  }

  openVote(sessionId: string): Vote | undefined {
    const row = this.db.prepare("SELECT * FROM votes WHERE session_id = ? AND status = 'open'").get(sessionId) as
      | VoteRow
      | undefined;
    return row && toVote(row);
  }

  /** The open vote, or else the most recent one. */
  current(sessionId: string): Vote | undefined {
    return this.openVote(sessionId) ?? this.list(sessionId).at(-1);
  }

  list(sessionId: string): Vote[] {
    const rows = this.db.prepare('SELECT * FROM votes WHERE session_id = ? ORDER BY opened_at, id').all(sessionId) as VoteRow[];
    return rows.map(toVote);
  }

  /** Devices per table with a ballot in this vote: counts only, from the receipts. */
  votersByTable(voteId: string): Map<number, number> {
    const rows = this.db
      .prepare(
        `SELECT d.table_number AS t, COUNT(*) AS n FROM ballot_receipts r JOIN devices d ON d.id = r.device_id
         WHERE r.vote_id = ? AND d.table_number IS NOT NULL GROUP BY d.table_number`,
      )
      .all(voteId) as { t: number; n: number }[];
    return new Map(rows.map((r) => [r.t, r.n]));
  }

  /** Vote ids of this session in which the device has a ballot. */
  votedIn(sessionId: string, deviceId: string): string[] {
    const rows = this.db
      .prepare(
        'SELECT r.vote_id AS id FROM ballot_receipts r JOIN votes v ON v.id = r.vote_id WHERE v.session_id = ? AND r.device_id = ?',
      )
      .all(sessionId, deviceId) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * Records or replaces the device's ballot. Resending the same ballot is acknowledged again
   * and counted once; a different ballot id from a device that already voted is refused.
   */
  submit(device: Device, token: string, payload: BallotSubmitPayload): { changed: boolean } {
    return this.db.transaction(() => {
      const vote = this.get(payload.voteId);
      if (!vote || vote.sessionId !== device.sessionId) throw new AppError('not_found', 'There is no such vote in this session');
      if (vote.status !== 'open') throw new AppError('vote_closed', 'This vote is closed; your ballot was not counted');
      if (device.table === null) throw new AppError('no_table', 'Pick your table before you vote');
      const check = checkDots(payload.dots, new Set(vote.items.map((i) => i.id)), vote);
      if (!check.ok) throw new AppError(check.code, check.message);

      const choices = normaliseDots(payload.dots);
      const count = this.count(vote);
      const mySeal = seal(vote.id, payload.ballotId, token);
      const receipt = this.db
        .prepare('SELECT seal FROM ballot_receipts WHERE vote_id = ? AND device_id = ?')
        .get(vote.id, device.id) as { seal: string } | undefined;

      if (receipt) {
        if (receipt.seal !== mySeal) throw new AppError('already_voted', 'This device has already voted in this vote');
        const old = this.db
          .prepare('SELECT choices FROM ballots WHERE vote_id = ? AND ballot_id = ?')
          .get(vote.id, payload.ballotId) as { choices: string } | undefined;
        const next = JSON.stringify(choices);
        if (old?.choices === next) return { changed: false };
        this.db.prepare('UPDATE ballots SET choices = ? WHERE vote_id = ? AND ballot_id = ?').run(next, vote.id, payload.ballotId);
        if (old) addTo(count.totals, JSON.parse(old.choices) as Record<string, number>, -1);
        addTo(count.totals, choices, 1);
        return { changed: true };
      }

      const taken = this.db.prepare('SELECT 1 FROM ballots WHERE vote_id = ? AND ballot_id = ?').get(vote.id, payload.ballotId);
      if (taken) throw new AppError('bad_request', 'This ballot id is already in use; the tablet should make a new one');
      this.db.prepare('INSERT INTO ballot_receipts (vote_id, device_id, seal) VALUES (?, ?, ?)').run(vote.id, device.id, mySeal);
      this.db
        .prepare('INSERT INTO ballots (vote_id, ballot_id, choices) VALUES (?, ?, ?)')
        .run(vote.id, payload.ballotId, JSON.stringify(choices));
      addTo(count.totals, choices, 1);
      count.ballots += 1;
      return { changed: true };
    })();
  }

  /** Totals and number of ballots; read from the database once, then kept up to date. */
  count(vote: Vote): VoteCount {
    let count = this.counts.get(vote.id);
    if (!count) {
      const rows = this.db.prepare('SELECT choices FROM ballots WHERE vote_id = ?').all(vote.id) as { choices: string }[];
      const ballots = rows.map((r) => JSON.parse(r.choices) as Record<string, number>);
      count = { totals: tallyDots(vote.items.map((i) => i.id), ballots), ballots: ballots.length };
      this.counts.set(vote.id, count);
    }
    return count;
  }
}

function addTo(totals: Record<string, number>, dots: Record<string, number>, sign: 1 | -1) {
  for (const [id, n] of Object.entries(dots)) totals[id] = (totals[id] ?? 0) + sign * n;
}
