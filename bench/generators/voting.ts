/**
 * Casting ballots, shared by the room tablets and the maxi phones (and the bare baseline).
 *
 * Vote → ack is measured on the voter's socket. For vote → projector, each voter notes the
 * `ballots` count of the first tally its own socket receives after its ack: the server counts a
 * ballot before it acknowledges it and sends the ack before any later tally on that socket, so
 * that tally is the first one that counts the ballot. The orchestrator then finds when the
 * projector received a tally with at least that count.
 */
import { randomBytes } from 'node:crypto';
import { now, sleep } from '../clock.js';
import type { AppSocket } from '../client.js';
import type { AwaitStep, BallotSample, VoteResult, VoteSeen, VoteStart } from '../ipc.js';
import { Events, type Ack, type BallotReceipt, type SessionView } from '../../shared/protocol.js';

export interface Voter {
  socket: AppSocket;
  table: number;
  /** When this voter's screen first had an open vote. */
  voteSeenAt: number | null;
  /** When this voter's screen first showed each step. */
  stepsSeenAt: Map<string, number>;
}

const ACK_TIMEOUT_MS = 30_000;
/** After the last ballot was sent, how long to wait for stragglers' acks and tallies. */
const SETTLE_MS = 30_000;

export function newVoter(socket: AppSocket, table: number): Voter {
  const voter: Voter = { socket, table, voteSeenAt: null, stepsSeenAt: new Map() };
  socket.on(Events.sessionState, (s: SessionView) => {
    if (voter.voteSeenAt === null && s.vote?.status === 'open') voter.voteSeenAt = now();
    if (s.run.stepId !== null && !voter.stepsSeenAt.has(s.run.stepId)) voter.stepsSeenAt.set(s.run.stepId, now());
  });
  return voter;
}

export async function awaitVoteSeen(voters: Voter[], openSentAt: number, timeoutMs: number): Promise<VoteSeen> {
  const deadline = now() + timeoutMs;
  while (voters.some((v) => v.voteSeenAt === null) && now() < deadline) await sleep(20);
  return { seen: voters.map((v) => (v.voteSeenAt === null ? null : v.voteSeenAt - openSentAt)) };
}

export async function awaitStepSeen(voters: Voter[], { stepId, sentAt, timeoutMs }: AwaitStep): Promise<VoteSeen> {
  const deadline = now() + timeoutMs;
  while (voters.some((v) => !v.stepsSeenAt.has(stepId)) && now() < deadline) await sleep(20);
  return { seen: voters.map((v) => (v.stepsSeenAt.has(stepId) ? v.stepsSeenAt.get(stepId)! - sentAt : null)) };
}

/** Spreads a voter's dots over random items, preferring its own table's points as people do. */
function chooseDots(items: VoteStart['items'], table: number, budget: number, maxPerItem: number): Record<string, number> {
  const own = items.filter((i) => i.table === table);
  const pool = own.length >= 3 ? own : items;
  const dots: Record<string, number> = {};
  for (let d = 0; d < budget && pool.length > 0; d++) {
    const item = pool[Math.floor(Math.random() * pool.length)]!;
    if ((dots[item.id] ?? 0) < maxPerItem) dots[item.id] = (dots[item.id] ?? 0) + 1;
  }
  return dots;
}

export function castBallots(voters: Voter[], start: VoteStart): Promise<VoteResult> {
  const samples: BallotSample[] = voters.map(() => ({ sentAt: 0, ackAt: null, error: null }));
  const spacing = start.windowMs / start.total;
  let lastSendAt = start.startAt + start.windowMs;

  return new Promise((resolve) => {
    let open = voters.length;
    let finished = false;
    const unlisten: (() => void)[] = [];
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      for (const off of unlisten) off();
      resolve({ samples });
    };
    const settled = () => {
      open -= 1;
      if (open === 0) finish();
    };
    // Some ballots may never be answered (a dropped socket): give up on them after a while.
    const watchdog = setInterval(() => {
      if (now() > lastSendAt + SETTLE_MS) {
        for (const s of samples) if (s.error === null && s.ackAt === null) s.error = 'no ack';
        finish();
      }
    }, 500);

    voters.forEach((voter, i) => {
      const sample = samples[i]!;
      // The bench does not reconnect (see client.ts); a socket the server dropped is a result of its own.
      const onDisconnect = (reason: string) => {
        if (sample.error !== null || sample.ackAt !== null) return;
        sample.error = `disconnected (${reason}) ${sample.ackAt === null ? 'before its ack' : 'after its ack'}`;
        settled();
      };
      voter.socket.on('disconnect', onDisconnect);
      unlisten.push(() => voter.socket.off('disconnect', onDisconnect));
      const at = start.startAt + (start.firstIndex + i + Math.random()) * spacing;
      setTimeout(
        () => {
          if (sample.error !== null) return;
          if (!voter.socket.connected) {
            sample.error = 'not connected at its turn';
            settled();
            return;
          }
          const payload = {
            voteId: start.voteId,
            ballotId: randomBytes(18).toString('base64url'),
            choices: { method: 'dots', dots: chooseDots(start.items, voter.table, start.budget, start.maxPerItem) },
          };
          sample.sentAt = now();
          lastSendAt = Math.max(lastSendAt, sample.sentAt);
          const loose = voter.socket as unknown as {
            timeout(ms: number): { emit(ev: string, p: unknown, cb: (err: Error | null, res: Ack<BallotReceipt>) => void): void };
          };
          loose.timeout(ACK_TIMEOUT_MS).emit(Events.ballotSubmit, payload, (err, res) => {
            if (sample.error !== null) return; // already settled: its socket was dropped
            sample.ackAt = now();
            if (err) sample.error = 'ack timeout';
            else if (!res.ok) sample.error = res.error.code;
            settled();
          });
        },
        Math.max(0, at - now()),
      );
    });
  });
}
