/**
 * What is on the wall now: one decision, used by the projector, the observers' view and the
 * console's "now on the screen". A spotlight the facilitator set wins; otherwise the step decides.
 */
import { flatten } from '../../shared/agenda';
import type { SessionView, TableBoard, Tally, VoteView } from '../../shared/protocol';
import { position } from '../lib/steps';

export type VotePhase = 'live' | 'blind' | 'result';

export type Stage =
  | { kind: 'lobby'; question: string }
  | { kind: 'question'; question: string }
  | { kind: 'table'; table: number }
  | { kind: 'plenary' }
  | { kind: 'converging' }
  | { kind: 'tops' }
  | { kind: 'vote'; vote: VoteView; phase: VotePhase }
  | { kind: 'ended' };

function votePhase(vote: VoteView, tally: Tally | null): VotePhase {
  if (vote.status === 'closed') return 'result';
  const current = tally?.voteId === vote.id ? tally : null;
  return vote.blind || current?.hidden ? 'blind' : 'live';
}

/** True when the vote was held in a step before the current one: the step that follows shows its result. */
function voteIsBehind(session: SessionView, vote: VoteView): boolean {
  const steps = flatten(session.agenda);
  const at = steps.findIndex((f) => f.step.id === session.run.stepId);
  const held = steps.findIndex((f) => f.step.id === vote.stepId);
  return held !== -1 && at > held;
}

export function stageOf(session: SessionView, tally: Tally | null, board: TableBoard | null): Stage {
  const pos = position(session);
  const spotlight = session.projector.spotlight;
  const vote = session.vote;
  const type = pos.status === 'running' ? pos.current?.step.type : undefined;

  if (spotlight?.kind === 'table' && board?.table === spotlight.table) return { kind: 'table', table: spotlight.table };
  if (spotlight?.kind === 'plenary') return { kind: 'plenary' };
  if (spotlight?.kind === 'converging') return { kind: 'converging' };
  if (vote && spotlight?.kind === 'result') return { kind: 'vote', vote, phase: votePhase(vote, tally) };
  if (pos.status === 'lobby') return { kind: 'lobby', question: pos.question };
  if (pos.status === 'ended') return { kind: 'ended' };
  if (vote && type === 'stemmen' && (vote.status === 'open' || vote.stepId === session.run.stepId)) {
    return { kind: 'vote', vote, phase: votePhase(vote, tally) };
  }
  if (type === 'terugkoppeling') {
    // The step after a vote ("Uitslag") shows its result first; feedback before it, the tables' tops.
    if (vote?.status === 'closed' && voteIsBehind(session, vote)) return { kind: 'vote', vote, phase: 'result' };
    return { kind: 'tops' };
  }
  return { kind: 'question', question: pos.question };
}
