/**
 * Scenario "room": a facilitator, a projector and tables of tablets that co-edit their table's
 * board for a while and then all vote. Tables are dealt to the generator processes whole, so
 * each process measures edit latency between the tablets of its own tables.
 */
import { now } from '../clock.js';
import { currentStep } from '../client.js';
import type { EditResult } from '../ipc.js';
import { beginPhase, endPhase, type PhaseStats } from '../phase.js';
import { openProjector } from '../projector.js';
import { startServer, whileRunning, type ServerOptions } from '../serverProcess.js';
import { summarise, type Summary } from '../stats.js';
import { forkWorkers } from '../workers.js';
import { startSession, voteRound, type VoteRoundResult } from './session.js';

export interface RoomOptions {
  tables: number;
  tabletsPerTable: number;
  typeSeconds: number;
  editsPerSecond: number;
  voteWindowMs: number;
  procs: number;
  server: ServerOptions;
}

export interface RoomResult extends VoteRoundResult {
  options: RoomOptions;
  setup: { tablets: number; failed: number; errors: string[]; ms: number };
  edits: { latency: Summary; edits: number; expected: number; received: number; socketDrops: number; yjsDrops: number };
  phases: { setup: PhaseStats; typing: PhaseStats; vote: PhaseStats };
  peakRssMb: number;
}

export async function runRoom(rootDir: string, opts: RoomOptions, log: (line: string) => void): Promise<RoomResult> {
  const server = await startServer('app', rootDir, opts.server);
  const workers = forkWorkers(rootDir, 'room', Math.min(opts.procs, opts.tables));
  try {
    return await whileRunning(server, async () => {
      const { session, fac, state } = await startSession(server.url, 'Bench: room', opts.tables, log);
      const projector = await openProjector(server.url, session.id, log);
      const { roundId, stepId } = currentStep(state);

      log(`room: ${opts.tables} tables × ${opts.tabletsPerTable} tablets joining...`);
      await beginPhase(server);
      const setupFrom = now();
      const ready = await Promise.all(
        workers.map((w, i) => {
          const tables = Array.from({ length: opts.tables }, (_, t) => t + 1).filter((t) => t % workers.length === i);
          return w.request({
            cmd: 'setupRoom',
            args: {
              url: server.url,
              joinCode: session.joinCode,
              sessionId: session.id,
              tables,
              tabletsPerTable: opts.tabletsPerTable,
              themes: state.themes.map((t) => t.id),
              roundId,
              stepId,
            },
          });
        }),
      );
      const setupTo = now();
      const setupPhase = await endPhase(server, workers, setupFrom, setupTo);
      const setup = {
        tablets: ready.reduce((a, r) => a + r.clients, 0),
        failed: ready.reduce((a, r) => a + r.failed, 0),
        errors: ready.flatMap((r) => r.errors),
        ms: setupTo - setupFrom,
      };
      if (setup.failed > 0) log(`room: ${setup.failed} tablets failed to set up: ${setup.errors.join('; ')}`);

      log(`room: typing for ${opts.typeSeconds} s...`);
      await beginPhase(server);
      const typeFrom = now() + 1000;
      const typed: EditResult[] = await Promise.all(
        workers.map((w) => w.request({ cmd: 'type', args: { startAt: typeFrom, durationMs: opts.typeSeconds * 1000, editsPerSecond: opts.editsPerSecond } })),
      );
      const typing = await endPhase(server, workers, typeFrom, typeFrom + opts.typeSeconds * 1000);

      log('room: voting...');
      const { phase: votePhase, ...round } = await voteRound({
        server,
        workers,
        fac: fac,
        projector,
        counts: ready.map((r) => r.clients),
        windowMs: opts.voteWindowMs,
      });
      projector.close();
      fac.disconnect();

      return {
        options: opts,
        setup,
        edits: {
          latency: summarise(typed.flatMap((t) => t.samples)),
          edits: typed.reduce((a, t) => a + t.edits, 0),
          expected: typed.reduce((a, t) => a + t.expected, 0),
          received: typed.reduce((a, t) => a + t.received, 0),
          socketDrops: typed.reduce((a, t) => a + t.socketDrops, 0),
          yjsDrops: typed.reduce((a, t) => a + t.yjsDrops, 0),
        },
        ...round,
        phases: { setup: setupPhase, typing, vote: votePhase },
        peakRssMb: (await server.stop()).peakRssMb,
      };
    });
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await server.stop();
  }
}
