/**
 * The baseline run: the same voters, window and tally pattern as a scenario's vote, against the
 * bare socket.io server (bareServer.ts), so the app's numbers can be read as a ratio to what
 * socket.io alone costs on this machine at this moment.
 */
import { BENCH_VOTE } from '../client.js';
import { now } from '../clock.js';
import { openProjector } from '../projector.js';
import { startServer, whileRunning } from '../serverProcess.js';
import type { PhaseUsage } from '../procSampler.js';
import { beginPhase, endPhase, type PhaseStats } from '../phase.js';
import { runVotePhase, type VotePhaseResult } from '../votePhase.js';
import { forkWorkers, splitEvenly } from '../workers.js';

export interface BareResult {
  voters: number;
  setupMs: number;
  failed: number;
  vote: VotePhaseResult;
  /** setup: the voters' sockets connecting (the bare server has no join or table to pick). */
  phases: { setup: PhaseUsage; vote: PhaseStats };
  peakRssMb: number;
}

export async function runBare(rootDir: string, opts: { voters: number; windowMs: number; procs: number }, log: (line: string) => void): Promise<BareResult> {
  const server = await startServer('bare', rootDir);
  const workers = forkWorkers(rootDir, 'maxi', opts.procs);
  try {
    return await whileRunning(server, async () => {
      const projector = await openProjector(server.url, null, log);
      const counts = splitEvenly(opts.voters, opts.procs);
      const started = now();
      let firstIndex = 0;
      const ready = await Promise.all(
        workers.map((w, i) => {
          const args = { url: server.url, mode: 'bare' as const, joinCode: '', voters: counts[i]!, firstIndex, tables: 60, joinConcurrency: 50 };
          firstIndex += counts[i]!;
          return w.request({ cmd: 'setupVoters', args });
        }),
      );
      const setupMs = now() - started;
      const setupUsage = server.sampler.usage(started, now());
      const items = Array.from({ length: 120 }, (_, i) => ({ id: `item${i}`, table: (i % 60) + 1 }));
      await beginPhase(server);
      const vote = await runVotePhase({
        workers,
        counts: ready.map((r) => r.clients),
        projector,
        voteId: 'bare',
        items,
        ...BENCH_VOTE,
        windowMs: opts.windowMs,
      });
      const votePhase = await endPhase(server, workers, vote.from, vote.to);
      projector.close();
      return {
        voters: opts.voters,
        setupMs,
        failed: ready.reduce((a, r) => a + r.failed, 0),
        vote,
        phases: { setup: setupUsage, vote: votePhase },
        peakRssMb: (await server.stop()).peakRssMb,
      };
    });
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await server.stop();
  }
}
