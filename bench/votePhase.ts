/**
 * The voting part of a scenario, seen from the orchestrator: every voter in every generator
 * casts one ballot within the window, and the samples come back over IPC to be matched with the
 * projector's tallies.
 */
import { now } from './clock.js';
import type { BallotSample, VoteItemRef } from './ipc.js';
import type { Projector } from './projector.js';
import { summarise, type Summary } from './stats.js';
import type { Worker } from './workers.js';

export interface VotePhaseResult {
  ack: Summary;
  projector: Summary;
  sent: number;
  acked: number;
  /** Ballots whose tally reached the projector. */
  counted: number;
  /** Refusals and timeouts, by code. */
  errors: Record<string, number>;
  /** Whether the projector was connected when the vote ended, and how often it lost its connection so far. */
  projectorConnected: boolean;
  projectorDrops: number;
  /** `now()` at the start and end of sending, for the server's CPU over the window. */
  from: number;
  to: number;
}

/** The projector's arrival time of the first tally that counts at least `ballots` ballots. */
function arrivalOf(tallies: Projector['tallies'], voteId: string, ballots: number): number | null {
  for (const t of tallies) if (t.voteId === voteId && t.ballots >= ballots) return t.at;
  return null;
}

export async function runVotePhase(opts: {
  workers: Worker[];
  /** Voters per worker, in order. */
  counts: number[];
  projector: Projector;
  voteId: string;
  items: VoteItemRef[];
  budget: number;
  maxPerItem: number;
  windowMs: number;
}): Promise<VotePhaseResult> {
  const total = opts.counts.reduce((a, b) => a + b, 0);
  const startAt = now() + 1000;
  let firstIndex = 0;
  const results = await Promise.all(
    opts.workers.map((w, i) => {
      const args = {
        voteId: opts.voteId,
        items: opts.items,
        budget: opts.budget,
        maxPerItem: opts.maxPerItem,
        startAt,
        windowMs: opts.windowMs,
        total,
        firstIndex,
      };
      firstIndex += opts.counts[i]!;
      return w.request({ cmd: 'vote', args });
    }),
  );
  const samples: BallotSample[] = results.flatMap((r) => r.samples);
  const accepted = samples.filter((s) => s.error === null && s.ackAt !== null);
  // The last tally may still be on its way when the generators have their answers.
  await opts.projector.waitForBallots(opts.voteId, accepted.length, 5000);

  const errors: Record<string, number> = {};
  for (const s of samples) if (s.error) errors[s.error] = (errors[s.error] ?? 0) + 1;
  const projectorLatencies: number[] = [];
  // Tablets get no live tallies, so which tally first counts a ballot is told by the order of the
  // acks: the server counts and acknowledges ballots one at a time, so the k-th ack (over all
  // generators, on this machine's one clock) is the k-th ballot counted, and it is on the
  // projector once a tally there counts at least k. Ack delivery jitter can swap neighbours,
  // which moves a sample by at most one tally interval.
  const byAck = [...accepted].sort((a, b) => a.ackAt! - b.ackAt!);
  for (const [k, s] of byAck.entries()) {
    const at = arrivalOf(opts.projector.tallies, opts.voteId, k + 1);
    if (at === null) errors['tally never reached the projector'] = (errors['tally never reached the projector'] ?? 0) + 1;
    else projectorLatencies.push(at - s.sentAt);
  }
  const sentTimes = samples.map((s) => s.sentAt).filter((t) => t > 0);
  return {
    ack: summarise(accepted.map((s) => s.ackAt! - s.sentAt)),
    projector: summarise(projectorLatencies),
    sent: sentTimes.length,
    acked: accepted.length,
    counted: projectorLatencies.length,
    errors,
    projectorConnected: opts.projector.socket.connected,
    projectorDrops: opts.projector.drops(),
    from: Math.min(...sentTimes),
    to: Math.max(...sentTimes),
  };
}
