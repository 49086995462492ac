/**
 * Scenario "maxi": a plenary vote of a large burgerberaad. Thousands of phones join with the
 * code, pick a table (no table document), and all vote within a few seconds while the projector
 * shows the tally. The server's CPU and memory are sampled throughout.
 */
import { now } from '../clock.js';
import { currentStep, emitOk, openTable, pool } from '../client.js';
import { addPoint } from '../../shared/board.js';
import { Events, type HostLink } from '../../shared/protocol.js';
import { beginPhase, endPhase, type PhaseStats } from '../phase.js';
import { openProjector } from '../projector.js';
import type { ProcSampler } from '../procSampler.js';
import { startServer, whileRunning, type ServerOptions, type ServerUnderTest } from '../serverProcess.js';
import { forkWorkers, splitEvenly } from '../workers.js';
import { startSession, voteRound, type VoteRoundResult, type Facilitated } from './session.js';

export interface MaxiOptions {
  voters: number;
  tables: number;
  pointsPerTable: number;
  voteWindowMs: number;
  procs: number;
  /** Joins in flight at once per generator process. */
  joinConcurrency: number;
  server: ServerOptions;
}

export interface MaxiResult extends VoteRoundResult {
  options: MaxiOptions;
  join: { phones: number; failed: number; errors: string[]; ms: number; perSecond: number };
  phases: { join: PhaseStats; vote: PhaseStats };
  peakRssMb: number;
  /** CPU of the processes in front of the server (see Front), over the join and the vote. */
  front?: { join: Record<string, number>; vote: Record<string, number> };
}

/**
 * What stands between the clients and the server (the hosted scenario: nginx, and Redis for the
 * join limits): the URL the clients use, and the processes whose CPU counts as well, by name.
 */
export interface Front {
  url: string;
  processes: Record<string, ProcSampler[]>;
  stop(): Promise<void>;
}

/** CPU ms of each named set of processes over [from, to]. */
function frontCpu(front: Front, from: number, to: number): Record<string, number> {
  return Object.fromEntries(Object.entries(front.processes).map(([name, samplers]) => [name, samplers.reduce((sum, s) => sum + s.usage(from, to).cpuMs, 0)]));
}

/**
 * Puts points on the tables' boards to vote on, as the table hosts (through their host links)
 * would have: the facilitator's own connection to a board is read-only.
 */
export async function seedPoints(url: string, f: Facilitated, opts: MaxiOptions) {
  const links = await emitOk<HostLink[]>(f.fac, Events.hostLinks, {});
  const { roundId, stepId } = currentStep(f.state);
  const themes = f.state.themes.map((t) => t.id);
  const { errors } = await pool(links, 10, async (link) => {
    const key = new URL(link.url).hash.replace(/^#key=/, '');
    const { doc, provider } = await openTable(url, f.session.id, link.table, `host.${key}`);
    for (let p = 0; p < opts.pointsPerTable; p++) {
      addPoint(doc, {
        id: `t${link.table}p${p}`,
        theme: themes[p % themes.length]!,
        round: roundId,
        step: stepId,
        text: `Voorstel ${p + 1} van tafel ${link.table}`,
      });
    }
    // The provider sends each change at once; leave it a moment to get there before closing.
    await new Promise((resolve) => setTimeout(resolve, 200));
    provider.destroy();
    doc.destroy();
  });
  if (errors.length > 0) throw new Error(`seeding points failed: ${errors[0]}`);
}

/** `front`: put something in front of the server (nginx), which every client then goes through. */
export async function runMaxi(
  rootDir: string,
  opts: MaxiOptions,
  log: (line: string) => void,
  front?: (server: ServerUnderTest) => Promise<Front>,
): Promise<MaxiResult> {
  const server = await startServer('app', rootDir, opts.server);
  const workers = forkWorkers(rootDir, 'maxi', opts.procs);
  let proxy: Front | null = null;
  try {
    return await whileRunning(server, async () => {
      proxy = front ? await front(server) : null;
      const url = proxy?.url ?? server.url;
      const f = await startSession(url, 'Bench: maxi', opts.tables, log);
      await seedPoints(url, f, opts);
      const projector = await openProjector(url, f.session.id, log);

      log(`maxi: ${opts.voters} phones joining...`);
      const counts = splitEvenly(opts.voters, opts.procs);
      await beginPhase(server);
      const joinFrom = now();
      let firstIndex = 0;
      const ready = await Promise.all(
        workers.map((w, i) => {
          const args = {
            url,
            mode: 'app' as const,
            joinCode: f.session.joinCode,
            voters: counts[i]!,
            firstIndex,
            tables: opts.tables,
            joinConcurrency: opts.joinConcurrency,
          };
          firstIndex += counts[i]!;
          return w.request({ cmd: 'setupVoters', args });
        }),
      );
      const joinTo = now();
      const joinPhase = await endPhase(server, workers, joinFrom, joinTo);
      const phones = ready.reduce((a, r) => a + r.clients, 0);
      const failed = ready.reduce((a, r) => a + r.failed, 0);
      const errors = ready.flatMap((r) => r.errors);
      if (failed > 0) log(`maxi: ${failed} phones failed to join: ${errors.join('; ')}`);

      log(`maxi: ${phones} phones voting within ${opts.voteWindowMs / 1000} s...`);
      const { phase: votePhase, ...round } = await voteRound({
        server,
        workers,
        fac: f.fac,
        projector,
        counts: ready.map((r) => r.clients),
        windowMs: opts.voteWindowMs,
      });
      projector.close();
      f.fac.disconnect();

      return {
        options: opts,
        join: { phones, failed, errors, ms: joinTo - joinFrom, perSecond: phones / ((joinTo - joinFrom) / 1000) },
        ...round,
        phases: { join: joinPhase, vote: votePhase },
        ...(proxy && { front: { join: frontCpu(proxy, joinFrom, joinTo), vote: frontCpu(proxy, round.vote.from, round.vote.to) } }),
        peakRssMb: (await server.stop()).peakRssMb,
      };
    });
  } finally {
    try {
      await Promise.all(workers.map((w) => w.stop()));
      await server.stop();
    } finally {
      await (proxy as Front | null)?.stop();
    }
  }
}
