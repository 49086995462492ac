/** The facilitator opens and closes the vote of the current step; the deciding is in server/voteSetup.ts. */
import type { PayloadOf, VoteView } from '../../../shared/protocol.js';
import { toVoteView } from '../../votes.js';
import { closeVote, openStepVote } from '../../voteSetup.js';
import type { HandlerContext } from '../context.js';

type Facilitator = HandlerContext<'facilitator'>;

export function openVote(ctx: Facilitator, changes: PayloadOf<'vote:open'>): VoteView {
  const { services, push, presence, data } = ctx;
  const vote = openStepVote(services, data.sessionId, changes, presence.presentByTable(data.sessionId, services.devices));
  void push.broadcastSession(data.sessionId);
  push.tally(vote.id);
  push.overview(data.sessionId);
  return toVoteView(vote);
}

export function endVote(ctx: Facilitator, { voteId }: PayloadOf<'vote:close'>): VoteView {
  const { services, push, presence, data } = ctx;
  const vote = closeVote(services, data.sessionId, voteId, 'facilitator', presence.presentByTable(data.sessionId, services.devices));
  push.tally(vote.id);
  void push.broadcastSession(data.sessionId);
  return toVoteView(vote);
}
