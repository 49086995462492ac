/** The facilitator runs the agenda: start, move between steps, the timer, and editing the programme. */
import type { AgendaView, PayloadOf, RunView } from '../../../shared/protocol.js';
import { AppError } from '../../errors.js';
import type { RunAction } from '../../run.js';
import { closeVote } from '../../voteSetup.js';
import { runView } from '../../views.js';
import type { HandlerContext } from '../context.js';

type Facilitator = HandlerContext<'facilitator'>;

/** Applies a run action and tells every screen; a step change closes the vote it leaves open. */
function act(ctx: Facilitator, action: RunAction): RunView {
  const { services, push, presence, data } = ctx;
  const { run, closedVote } = services.run.apply(data.sessionId, action);
  if (closedVote) {
    closeVote(services, data.sessionId, closedVote, 'step changed', presence.presentByTable(data.sessionId, services.devices));
    push.tally(closedVote);
  }
  void push.broadcastSession(data.sessionId);
  // Entering a step (even the same one again) starts "ready" over and may start a rotation round.
  if (action.type !== 'pause' && action.type !== 'resume' && action.type !== 'extend') {
    void push.deviceStates(data.sessionId);
    push.overview(data.sessionId);
  }
  return runView(run);
}

/** A move sent from a step the session has left is refused, so a double click moves once. */
function fromCurrent(ctx: Facilitator, from: string | null | undefined): void {
  if (from === undefined) return;
  const now = ctx.services.sessions.require(ctx.data.sessionId).run.stepId;
  if (from !== now) throw new AppError('stale_step', 'The session has moved on since this was sent; nothing changed');
}

export const startSession = (ctx: Facilitator): RunView => act(ctx, { type: 'start' });

export function nextStep(ctx: Facilitator, { from }: PayloadOf<'step:next'>): RunView {
  fromCurrent(ctx, from);
  return act(ctx, { type: 'next' });
}

export function previousStep(ctx: Facilitator, { from }: PayloadOf<'step:back'>): RunView {
  fromCurrent(ctx, from);
  return act(ctx, { type: 'back' });
}

export function undoStep(ctx: Facilitator, { from }: PayloadOf<'step:undo'>): RunView {
  fromCurrent(ctx, from);
  return act(ctx, { type: 'undo' });
}

export function gotoStep(ctx: Facilitator, { stepId, from }: PayloadOf<'step:goto'>): RunView {
  fromCurrent(ctx, from);
  return act(ctx, { type: 'goto', stepId });
}

export const pauseTimer = (ctx: Facilitator): RunView => act(ctx, { type: 'pause' });
export const resumeTimer = (ctx: Facilitator): RunView => act(ctx, { type: 'resume' });
export const extendTimer = (ctx: Facilitator, { seconds }: PayloadOf<'timer:extend'>): RunView => act(ctx, { type: 'extend', seconds });

export function updateAgenda(ctx: Facilitator, { agenda }: PayloadOf<'agenda:update'>): AgendaView {
  const saved = ctx.services.run.editAgenda(ctx.data.sessionId, agenda);
  void ctx.push.broadcastSession(ctx.data.sessionId);
  // The current round's rotation may have changed.
  void ctx.push.deviceStates(ctx.data.sessionId);
  return saved;
}
