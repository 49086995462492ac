/** The facilitator's part in a scenario: create and start the session, later open the vote. */
import { now } from '../clock.js';
import { connect, createSession, emitOk, nextState, type AppSocket } from '../client.js';
import { Events, type CreateSessionResponse, type SessionView, type VoteView } from '../../shared/protocol.js';

export interface Facilitated {
  session: CreateSessionResponse;
  fac: AppSocket;
  /** The state once the first step (inbreng) runs. */
  state: SessionView;
}

export async function startSession(url: string, title: string, tables: number, log: (line: string) => void): Promise<Facilitated> {
  const session = await createSession(url, { title, tables });
  const { socket: fac } = await connect(url, { role: 'facilitator', sessionId: session.id, key: session.facilitatorKey }, { reconnect: true });
  fac.on('disconnect', (reason) => {
    if (reason !== 'io client disconnect') log(`the facilitator lost its connection (${reason}); it reconnects`);
  });
  const [state] = await Promise.all([nextState(fac, (s) => s.run.status === 'running'), emitOk(fac, Events.sessionStart, {})]);
  return { session, fac, state };
}

/** Goes to the vote step and opens the vote; `openSentAt` is when `vote:open` left. */
export async function openVote(fac: AppSocket): Promise<{ vote: VoteView; openSentAt: number }> {
  const inVoteStep = (s: SessionView) => s.agenda.rounds.some((r) => r.steps.some((st) => st.id === s.run.stepId && st.type === 'stemmen'));
  await Promise.all([nextState(fac, inVoteStep), emitOk(fac, Events.stepNext, {})]);
  const openSentAt = now();
  const vote = await emitOk<VoteView>(fac, Events.voteOpen, {});
  return { vote, openSentAt };
}
