/**
 * Opening and closing a vote: what it is about and who can vote, read from the boards, the
 * plenary and the seats.
 */
import { findStep } from '../shared/agenda.js';
import { VoteSettings, type VoteItem } from '../shared/protocol.js';
import { mergeVoteSettings, resolveVote, type ResolvedVote } from '../shared/voteSettings.js';
import { onVoteOpened } from './domain/projector.js';
import { AppError, parseOrThrow } from './errors.js';
import type { Services } from './services.js';
import type { Vote } from './votes.js';
import type { Session } from './sessions.js';
import { tablePoints } from './views.js';

/**
 * - tables: every table's points, from all rounds, in one vote for the whole room;
 * - table: each table's points of the current round, which only that table votes on;
 * - plenary: the plenary board's points;
 * - recommendations: the typed list, in its order.
 */
export function voteItems(services: Services, session: Session, vote: ResolvedVote): VoteItem[] {
  switch (vote.source) {
    case 'tables':
    case 'table': {
      const round = findStep(session.agenda, session.run.stepId)?.round.id;
      const items: VoteItem[] = [];
      for (let table = 1; table <= session.tables; table++) {
        for (const point of tablePoints(services, session.id, table)) {
          if (vote.source === 'table' && point.round !== round) continue;
          items.push({ id: point.id, table, theme: point.theme, text: point.text.trim() });
        }
      }
      return items;
    }
    case 'plenary':
      return services.plenary.view(session).points.map((p) => ({
        id: p.id,
        table: p.tables.length === 1 ? p.tables[0]! : null,
        tables: p.tables,
        theme: p.theme,
        text: p.text,
      }));
    case 'recommendations':
      return vote.recommendations.map((text, i) => ({ id: `r${i + 1}`, table: null, theme: null, text }));
  }
}

/**
 * Who can vote now: per table its seats on a shared tablet (doorgeefstand), otherwise the
 * devices present there (`present`, from Presence: connected, or away for less than
 * PRESENT_MINUTES), and never fewer than the ballots already cast there, so a voter who left
 * after voting still counts.
 */
export function eligibleVoters(services: Services, sessionId: string, present: ReadonlyMap<number, number>, voteId?: string): number {
  const seats = services.tables.seats(sessionId);
  const voted = voteId ? services.votes.votersByTable(voteId) : new Map<number, number>();
  let n = 0;
  for (const table of new Set([...seats.keys(), ...present.keys(), ...voted.keys()])) {
    n += seats.get(table) ?? Math.max(present.get(table) ?? 0, voted.get(table) ?? 0);
  }
  return n;
}

/**
 * Opens the vote of the current step: only in a voting step, with the step's settings and the
 * facilitator's changes making valid settings as a whole. Counts who may vote as it opens and
 * puts the vote on the projector; the caller pushes the news.
 */
export function openStepVote(services: Services, sessionId: string, changes: Partial<VoteSettings>, present: ReadonlyMap<number, number>): Vote {
  const { sessions, votes, events } = services;
  const session = sessions.require(sessionId);
  const at = findStep(session.agenda, session.run.stepId);
  if (at?.step.type !== 'stemmen') throw new AppError('wrong_step', 'A vote can only be opened in a voting step');
  const merged = parseOrThrow(VoteSettings, { method: 'dots', ...mergeVoteSettings(at.step.vote, changes) }, 'vote settings');
  const resolved = resolveVote(merged, session.kind);
  if (resolved.source === 'recommendations' && resolved.recommendations.length === 0) {
    throw new AppError('bad_request', 'A vote on recommendations needs the list of recommendations');
  }
  const items = voteItems(services, session, resolved);
  const vote = votes.open(sessionId, { ...resolved, stepId: at.step.id }, items, eligibleVoters(services, sessionId, present));
  sessions.setProjector(sessionId, onVoteOpened(session.projector, Date.now()));
  events.append(sessionId, 'vote.opened', {
    voteId: vote.id,
    method: vote.method,
    source: vote.source,
    rules: vote.rules,
    blind: vote.blind,
    items: items.length,
    stepId: at.step.id,
  });
  return vote;
}

/** Closes a vote, fixing who could vote as it closes; logged with why it closed. */
export function closeVote(
  services: Services,
  sessionId: string,
  voteId: string,
  reason: 'facilitator' | 'step changed',
  present: ReadonlyMap<number, number>,
): Vote {
  const vote = services.votes.close(sessionId, voteId, eligibleVoters(services, sessionId, present, voteId));
  services.events.append(sessionId, 'vote.closed', { voteId, ballots: services.votes.count(vote).ballots, reason });
  return vote;
}
