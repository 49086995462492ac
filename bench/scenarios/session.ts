/** The facilitator's part in a scenario: create and start the session, later open the vote. */
import { now, sleep } from '../clock.js';
import { BENCH_VOTE, CONTROL_TIMEOUT_MS, connect, createSession, emitOk, nextState, type AppSocket } from '../client.js';
import { beginPhase, endPhase, type PhaseStats } from '../phase.js';
import type { PhaseUsage } from '../procSampler.js';
import type { Projector } from '../projector.js';
import type { ServerUnderTest } from '../serverProcess.js';
import { summarise, type Summary } from '../stats.js';
import { runVotePhase, type VotePhaseResult } from '../votePhase.js';
import type { Worker } from '../workers.js';
import { Events, type CreateSessionBody, type CreateSessionResponse, type SessionView, type VoteView } from '../../shared/protocol.js';

export interface Facilitated {
  session: CreateSessionResponse;
  fac: AppSocket;
  /** The state once the first step (inbreng) runs. */
  state: SessionView;
}

/** `agenda`: the session's own agenda instead of the bench's one round of writing and a vote. */
export async function startSession(
  url: string,
  title: string,
  tables: number,
  log: (line: string) => void,
  agenda?: CreateSessionBody['agenda'],
): Promise<Facilitated> {
  const session = await createSession(url, { title, tables, ...(agenda && { agenda }) });
  const { socket: fac } = await connect(url, { role: 'facilitator', sessionId: session.id, key: session.facilitatorKey }, { reconnect: true });
  fac.on('disconnect', (reason) => {
    if (reason !== 'io client disconnect') log(`the facilitator lost its connection (${reason}); it reconnects`);
  });
  const [state] = await Promise.all([nextState(fac, (s) => s.run.status === 'running'), emitOk(fac, Events.sessionStart, {})]);
  return { session, fac, state };
}

/** Goes to the vote step; `sentAt` is when `step:next` left. */
export async function toVoteStep(server: ServerUnderTest, fac: AppSocket): Promise<{ stepId: string; sentAt: number }> {
  const inVoteStep = (s: SessionView) => s.agenda.rounds.some((r) => r.steps.some((st) => st.id === s.run.stepId && st.type === 'stemmen'));
  const sentAt = server.sampler.mark();
  const [state] = await Promise.all([nextState(fac, inVoteStep), emitOk(fac, Events.stepNext, {})]);
  return { stepId: state.run.stepId!, sentAt };
}

/** Opens the vote of the current step; `openSentAt` is when `vote:open` left. */
export async function openVote(server: ServerUnderTest, fac: AppSocket): Promise<{ vote: VoteView; openSentAt: number }> {
  const openSentAt = server.sampler.mark();
  const vote = await emitOk<VoteView>(fac, Events.voteOpen, {});
  return { vote, openSentAt };
}

/** Waits (at most 5 s) until the server's CPU has been below 10% for a quarter of a second. */
async function settle(server: ServerUnderTest): Promise<void> {
  const until = now() + 5000;
  while (now() < until) {
    const from = server.sampler.mark();
    await sleep(250);
    if (server.sampler.usage(from, now()).cpuAvgPct < 10) return;
  }
}

/** What a scenario's vote measured; its phase goes with the scenario's other phases. */
export interface VoteRoundResult {
  voteItems: number;
  /** The step change to the vote step, until every screen showed it, and the server's CPU meanwhile. */
  stepSeen: Summary;
  step: PhaseUsage;
  voteSeen: Summary;
  /** The server's CPU from vote:open until every voter showed the vote. */
  open: PhaseUsage;
  vote: VotePhaseResult;
}

/**
 * The vote of a scenario: the facilitator opens it, every screen waits to see it open, then all
 * voters of every generator cast their ballots within the window, measured as one phase.
 */
export async function voteRound(opts: {
  server: ServerUnderTest;
  workers: Worker[];
  fac: AppSocket;
  projector: Projector;
  /** Voters per worker, in order. */
  counts: number[];
  windowMs: number;
}): Promise<VoteRoundResult & { phase: PhaseStats }> {
  const { server, workers } = opts;
  // The step change and the vote:open are measured apart: each tells every screen something new.
  const { stepId, sentAt } = await toVoteStep(server, opts.fac);
  const stepSeen = await Promise.all(workers.map((w) => w.request({ cmd: 'awaitStep', args: { stepId, sentAt, timeoutMs: CONTROL_TIMEOUT_MS } })));
  const step = server.sampler.usage(sentAt, now());
  // Let the server finish what the step change set off (throttled overviews) before vote:open is sent.
  await settle(server);
  const { vote, openSentAt } = await openVote(server, opts.fac);
  const seen = await Promise.all(workers.map((w) => w.request({ cmd: 'awaitVote', args: { openSentAt, timeoutMs: CONTROL_TIMEOUT_MS } })));
  // The server's work from vote:open until every voter shows the vote: the fan-out.
  const open = server.sampler.usage(openSentAt, now());
  await beginPhase(server);
  const result = await runVotePhase({
    workers,
    counts: opts.counts,
    projector: opts.projector,
    voteId: vote.id,
    items: vote.items.map((i) => ({ id: i.id, table: i.table ?? 0 })),
    ...BENCH_VOTE,
    windowMs: opts.windowMs,
  });
  const phase = await endPhase(server, workers, result.from, result.to);
  return {
    voteItems: vote.items.length,
    stepSeen: summarise(stepSeen.flatMap((s) => s.seen).filter((x): x is number => x !== null)),
    step,
    voteSeen: summarise(seen.flatMap((s) => s.seen).filter((x): x is number => x !== null)),
    open,
    vote: result,
    phase,
  };
}
