/**
 * Scenario "knee": how much headroom there is. The phones of a big room join once; then the
 * whole room votes again and again, each time within a shorter window, so at a higher ballot
 * rate, until vote → ack p95 passes the limit (250 ms). The same ladder runs against bare
 * socket.io. The knee is the rate at which p95 crosses the limit, interpolated between the last
 * rung under it and the first over it; the ratio of the app's knee to bare socket.io's says how
 * much of socket.io's capacity the app keeps.
 *
 * A rung is a burst of one ballot per phone, not a steady stream: a device votes once per vote,
 * and a room's vote is exactly such a burst. So the knee reads as "the whole room can vote
 * within voters / rate seconds and still see its ballots confirmed within 250 ms (p95)".
 */
import { BENCH_VOTE, CONTROL_TIMEOUT_MS, emitOk } from '../client.js';
import { now } from '../clock.js';
import { beginPhase, endPhase, type PhaseStats } from '../phase.js';
import { openProjector, type Projector } from '../projector.js';
import { startServer, whileRunning, type ServerOptions, type ServerUnderTest } from '../serverProcess.js';
import type { Summary } from '../stats.js';
import { runVotePhase } from '../votePhase.js';
import { forkWorkers, splitEvenly, type Worker } from '../workers.js';
import { Events } from '../../shared/protocol.js';
import { seedPoints } from './maxi.js';
import { openVote, startSession, toVoteStep } from './session.js';

export interface KneeOptions {
  voters: number;
  /** Ballot rates to try, in ballots a second, lowest first; the ladder stops at the first rung over the limit. */
  rates: number[];
  /** vote → ack p95 above this is past the knee. */
  limitMs: number;
  procs: number;
  server: ServerOptions;
}

export interface KneeRung {
  /** The rate asked for, and the rate at which ballots were actually sent (the generators may fall behind). */
  rate: number;
  sentRate: number;
  windowMs: number;
  ack: Summary;
  sent: number;
  acked: number;
  errors: Record<string, number>;
  /** Server CPU per acknowledged ballot in this rung, and its average load, from the burst's start until its last answer. */
  cpuPerBallotMs: number;
  cpuAvgPct: number;
  phase: PhaseStats;
}

export interface KneeLadder {
  rungs: KneeRung[];
  /** The interpolated rate at which p95 reaches the limit; null if no rung passed it (then the knee is above the last rate). */
  knee: number | null;
}

export interface KneeResult {
  options: KneeOptions;
  app: KneeLadder;
  bare: KneeLadder;
}

const TABLES = 60;

/** The rate at which the p95 curve crosses the limit, between the last rung under it and the first over it. */
export function kneeOf(rungs: KneeRung[], limitMs: number): number | null {
  const over = rungs.findIndex((r) => !(r.ack.p95 <= limitMs) || r.acked < r.sent);
  if (over === -1) return null;
  // The rates the generators reached, not those asked for: at the top rungs they fall behind.
  if (over === 0) return rungs[0]!.sentRate;
  const a = rungs[over - 1]!;
  const b = rungs[over]!;
  if (!(b.ack.p95 > a.ack.p95)) return b.sentRate;
  return a.sentRate + ((limitMs - a.ack.p95) * (b.sentRate - a.sentRate)) / (b.ack.p95 - a.ack.p95);
}

/** Runs the ladder: one burst per rate, each with a fresh vote id from `nextVote`, until a rung is over the limit. */
async function climb(
  server: ServerUnderTest,
  workers: Worker[],
  counts: number[],
  projector: Projector,
  opts: KneeOptions,
  nextVote: () => Promise<{ voteId: string; items: { id: string; table: number }[] }>,
  log: (line: string) => void,
): Promise<KneeLadder> {
  const total = counts.reduce((a, b) => a + b, 0);
  const rungs: KneeRung[] = [];
  for (const rate of opts.rates) {
    const { voteId, items } = await nextVote();
    const windowMs = (total / rate) * 1000;
    await beginPhase(server);
    // CPU from before the first ballot until every answer is in: a short burst is mostly the work after it.
    const cpuFrom = server.sampler.mark();
    const vote = await runVotePhase({ workers, counts, projector, voteId, items, ...BENCH_VOTE, windowMs });
    const cpu = server.sampler.usage(cpuFrom, server.sampler.mark());
    const phase = await endPhase(server, workers, vote.from, vote.to);
    const rung: KneeRung = {
      rate,
      sentRate: vote.sent / Math.max(0.001, (vote.to - vote.from) / 1000),
      windowMs,
      ack: vote.ack,
      sent: vote.sent,
      acked: vote.acked,
      errors: vote.errors,
      cpuPerBallotMs: cpu.cpuMs / Math.max(1, vote.acked),
      cpuAvgPct: cpu.cpuAvgPct,
      phase,
    };
    rungs.push(rung);
    log(
      `knee (${server.kind}): ${rate} ballots/s (sent at ${Math.round(rung.sentRate)}/s): ack p95 ${rung.ack.p95.toFixed(0)} ms, ${vote.acked}/${total} acked`,
    );
    if (!(rung.ack.p95 <= opts.limitMs) || vote.acked < total) break;
  }
  return { rungs, knee: kneeOf(rungs, opts.limitMs) };
}

async function appLadder(rootDir: string, opts: KneeOptions, log: (line: string) => void): Promise<KneeLadder> {
  const server = await startServer('app', rootDir, opts.server);
  const workers = forkWorkers(rootDir, 'maxi', opts.procs);
  try {
    return await whileRunning(server, async () => {
      const f = await startSession(server.url, 'Bench: knee', TABLES, log);
      await seedPoints(server.url, f, {
        voters: opts.voters,
        tables: TABLES,
        pointsPerTable: 2,
        voteWindowMs: 0,
        procs: opts.procs,
        joinConcurrency: 8,
        server: opts.server,
      });
      const projector = await openProjector(server.url, f.session.id, log);
      const counts = await joinAll(workers, { url: server.url, mode: 'app', joinCode: f.session.joinCode }, opts);
      await toVoteStep(server, f.fac);
      let open: string | null = null;
      const ladder = await climb(
        server,
        workers,
        counts,
        projector,
        opts,
        async () => {
          if (open) await emitOk(f.fac, Events.voteClose, { voteId: open });
          const { vote, openSentAt } = await openVote(server, f.fac);
          open = vote.id;
          await Promise.all(workers.map((w) => w.request({ cmd: 'awaitVote', args: { openSentAt, timeoutMs: CONTROL_TIMEOUT_MS } })));
          return { voteId: vote.id, items: vote.items.map((i) => ({ id: i.id, table: i.table ?? 0 })) };
        },
        log,
      );
      projector.close();
      f.fac.disconnect();
      return ladder;
    });
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await server.stop();
  }
}

async function bareLadder(rootDir: string, opts: KneeOptions, log: (line: string) => void): Promise<KneeLadder> {
  const server = await startServer('bare', rootDir);
  const workers = forkWorkers(rootDir, 'maxi', opts.procs);
  try {
    return await whileRunning(server, async () => {
      const projector = await openProjector(server.url, null, log);
      const counts = await joinAll(workers, { url: server.url, mode: 'bare', joinCode: '' }, opts);
      const items = Array.from({ length: 2 * TABLES }, (_, i) => ({ id: `item${i}`, table: (i % TABLES) + 1 }));
      let n = 0;
      const ladder = await climb(server, workers, counts, projector, opts, () => Promise.resolve({ voteId: `bare-${++n}`, items }), log);
      projector.close();
      return ladder;
    });
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await server.stop();
  }
}

/** Joins every phone (app) or connects every socket (bare); returns the voters per generator. */
async function joinAll(workers: Worker[], to: { url: string; mode: 'app' | 'bare'; joinCode: string }, opts: KneeOptions): Promise<number[]> {
  const counts = splitEvenly(opts.voters, opts.procs);
  let firstIndex = 0;
  const ready = await Promise.all(
    workers.map((w, i) => {
      const args = { ...to, voters: counts[i]!, firstIndex, tables: TABLES, joinConcurrency: to.mode === 'app' ? 8 : 50 };
      firstIndex += counts[i]!;
      return w.request({ cmd: 'setupVoters', args });
    }),
  );
  const failed = ready.reduce((a, r) => a + r.failed, 0);
  if (failed > 0) throw new Error(`${failed} voters could not join: ${ready.flatMap((r) => r.errors).join('; ')}`);
  return ready.map((r) => r.clients);
}

export async function runKnee(rootDir: string, opts: KneeOptions, log: (line: string) => void): Promise<KneeResult> {
  const started = now();
  log(`knee: ${opts.voters} voters, rates ${opts.rates.join(', ')} ballots/s, until vote → ack p95 > ${opts.limitMs} ms`);
  const app = await appLadder(rootDir, opts, log);
  const bare = await bareLadder(rootDir, opts, log);
  log(`knee: done in ${((now() - started) / 1000).toFixed(0)} s`);
  return { options: opts, app, bare };
}
