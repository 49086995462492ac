/**
 * Scenario "soak": a three-hour evening compressed into a run of some minutes, against one app
 * server, to see whether what the server holds stays flat: memory, open documents, sockets,
 * Yjs connections, and its event-loop delay. Tablets type in bursts, sleep, reload, leave and
 * are replaced (generators/soak.ts); the facilitator moves through the agenda and holds a vote
 * every few minutes. The server is sampled all along, and once more after everyone has left,
 * to see whether the documents and sockets of the tablets that left were let go.
 */
import { DEFAULT_STORE_OPTIONS } from '../../server/yjs/docStore.js';
import { LIMITS, Events, type CreateSessionBody, type SessionView, type VoteView } from '../../shared/protocol.js';
import { now, sleep, sleepUntil } from '../clock.js';
import { BENCH_VOTE, emitOk, type AppSocket } from '../client.js';
import type { SoakCounts, SoakSetup } from '../ipc.js';
import type { LoopDelay } from '../loopDelay.js';
import { readMemoryMb } from '../procSampler.js';
import { openProjector, type Projector } from '../projector.js';
import { startServer, whileRunning, type ServerOptions, type ServerUnderTest } from '../serverProcess.js';
import { summarise, type Summary } from '../stats.js';
import { trend, type Trend } from '../trend.js';
import { forkWorkers, worstLoop } from '../workers.js';
import { startSession } from './session.js';

export interface SoakOptions {
  minutes: number;
  tables: number;
  tabletsPerTable: number;
  sampleEveryMs: number;
  procs: number;
  server: ServerOptions;
}

/** The evening's pace in real time: the tablets' part as the generators get it, and the facilitator's cycle. */
export interface SoakPace {
  votes: number;
  /** One cycle: the tables write for `writingMs`, then the vote step, until the next cycle. */
  cycleMs: number;
  writingMs: number;
  tablets: Omit<SoakSetup, 'url' | 'joinCode' | 'sessionId' | 'tables' | 'tabletsPerTable' | 'themes'>;
}

export interface SoakSample {
  /** Minutes since the evening started. */
  minute: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  /** Documents in memory, those among them nobody has open (waiting to be unloaded), and those with connections. */
  docs: number;
  idleDocs: number;
  rooms: number;
  yjsConnections: number;
  /** Devices the Yjs endpoint keeps a connection count for. */
  yjsDevices: number;
  sockets: number;
  /** Event-loop delay since the previous sample. */
  loopP99: number;
  loopMax: number;
  /** Server CPU since the previous sample, in % of one core. */
  cpuPct: number;
  /** A full garbage collection ran just before (only for the samples before and after the evening). */
  collected: boolean;
}

export interface SoakVote {
  index: number;
  minute: number;
  items: number;
  /** Screens connected as it opened (socket.io sockets less the facilitator's and the projector's). */
  screens: number;
  /** Ballots in the projector's last tally of the vote, and those the tablets got an ack for. */
  ballots: number;
  acked: number;
  ack: Summary;
}

export interface SoakResult {
  options: SoakOptions;
  pace: SoakPace;
  setup: { tablets: number; failed: number; errors: string[]; ms: number };
  samples: SoakSample[];
  warmupMinutes: number;
  trends: Trend[];
  votes: SoakVote[];
  counts: Omit<SoakCounts, 'ballots'> & { ballotsSent: number; ballotsAcked: number; ack: Summary };
  /** What went wrong on the facilitator's side (a step or vote it could not move or open). */
  facilitatorErrors: string[];
  /** Everyone connected, just before the evening started, after a full garbage collection. */
  beforeEvening: SoakSample;
  /**
   * After every tablet, the projector and the facilitator closed, each after a full garbage
   * collection: soon after, once the documents may have been unloaded, and once socket.io's
   * recovery buffer has let go of what was sent. `freed`: no document, socket or connection left.
   */
  afterClose: { idleUnloadMs: number; recoveryMs: number; samples: { afterMs: number; sample: SoakSample }[]; freed: boolean };
  generators: { cpuPct: number; loop: LoopDelay };
  peakRssMb: number;
}

/** The evening the run stands for, in minutes. */
const EVENING_MINUTES = 180;
/** Share of the run that is warm-up, left out of the verdicts. */
const WARMUP = 0.2;
/**
 * With connection-state recovery (server/realtime/index.ts: 2 minutes), socket.io keeps every
 * packet it sends for that long, and drops the expired ones once a minute: after this, what it
 * sent during the evening is gone from the heap.
 */
const RECOVERY_MS = 2 * 60_000 + 60_000 + 10_000;

/** The evening's rates in real time: churn scales with the compression, typing keeps the room scenario's speed. */
export function soakPace(minutes: number): SoakPace {
  const evening = (m: number) => (m * minutes * 60_000) / EVENING_MINUTES;
  // Bursts shorter than a run of 30 minutes would give them, so a short run still has several.
  const burst = Math.min(1, Math.max(0.25, minutes / 30));
  const votes = Math.max(3, Math.round(minutes / 3));
  const cycleMs = (minutes * 60_000) / votes;
  const votingMs = 0.3 * cycleMs;
  return {
    votes,
    cycleMs,
    writingMs: cycleMs - votingMs,
    tablets: {
      editsPerSecond: 3,
      typingShare: 0.5,
      activeMs: [20_000 * burst, 60_000 * burst],
      quietMs: [20_000 * burst, 90_000 * burst],
      // Per tablet: asleep about once an hour for 2 to 10 minutes, a reload every 200 minutes, gone for good every 10 hours.
      sleepEveryMs: evening(60),
      reloadEveryMs: evening(200),
      leaveEveryMs: evening(600),
      sleepForMs: [evening(2), evening(10)],
      replaceAfterMs: [evening(1), evening(5)],
      ballotAfterMs: [0.05 * votingMs, 0.6 * votingMs],
    },
  };
}

/** A round per vote (up to LIMITS.rounds): the tables write, then each table votes on its own points of the round. */
function soakAgenda(pace: SoakPace): NonNullable<CreateSessionBody['agenda']> {
  const seconds = (ms: number) => Math.max(1, Math.round(ms / 1000));
  return {
    rounds: Array.from({ length: Math.min(LIMITS.rounds, pace.votes) }, (_, i) => ({
      title: `Ronde ${i + 1}`,
      steps: [
        { type: 'inbreng' as const, durationSec: seconds(pace.writingMs) },
        {
          type: 'stemmen' as const,
          durationSec: seconds(pace.cycleMs - pace.writingMs),
          vote: { method: 'dots' as const, source: 'table' as const, ...BENCH_VOTE },
        },
      ],
    })),
  };
}

async function sampleServer(server: ServerUnderTest, startedAt: number, previousAt: number, collect = false): Promise<SoakSample> {
  const s = await server.stats('read', collect);
  const at = now();
  return {
    minute: (at - startedAt) / 60_000,
    rssMb: readMemoryMb(server.pid)?.rss ?? Number.NaN,
    heapUsedMb: s.heapUsedMb,
    heapTotalMb: s.heapTotalMb,
    externalMb: s.externalMb,
    docs: s.docs.loaded,
    idleDocs: s.docs.idle,
    rooms: s.yjs.rooms,
    yjsConnections: s.yjs.connections,
    yjsDevices: s.yjs.devices,
    sockets: s.sockets,
    loopP99: s.loop.p99,
    loopMax: s.loop.max,
    cpuPct: server.sampler.usage(previousAt, at).cpuAvgPct,
    collected: s.collected,
  };
}

/** After everyone closed: samples (each after a full garbage collection) at these delays. */
async function afterClose(server: ServerUnderTest, startedAt: number, closedAt: number, log: (line: string) => void): Promise<SoakResult['afterClose']> {
  const idleUnloadMs = DEFAULT_STORE_OPTIONS.idleUnloadMs;
  const delays = [3000, idleUnloadMs + 5000, RECOVERY_MS];
  const samples: { afterMs: number; sample: SoakSample }[] = [];
  log(`soak: sampling ${delays.map((d) => `${d / 1000} s`).join(', ')} after everyone left...`);
  let previousAt = closedAt;
  for (const afterMs of delays) {
    await sleepUntil(closedAt + afterMs);
    samples.push({ afterMs, sample: await sampleServer(server, startedAt, previousAt, true) });
    previousAt = now();
  }
  const unloaded = samples[1]!.sample;
  return {
    idleUnloadMs,
    recoveryMs: RECOVERY_MS,
    samples,
    freed: unloaded.docs === 0 && unloaded.sockets === 0 && unloaded.yjsConnections === 0 && unloaded.rooms === 0,
  };
}

/** Samples the server every `everyMs` from `startedAt` until `endAt` (one last sample at the end). */
async function sampleUntil(server: ServerUnderTest, startedAt: number, endAt: number, everyMs: number): Promise<SoakSample[]> {
  const samples: SoakSample[] = [];
  let previousAt = startedAt;
  for (let next = startedAt; ; next = Math.min(next + everyMs, endAt)) {
    await sleepUntil(next);
    const at = now();
    samples.push(await sampleServer(server, startedAt, previousAt));
    previousAt = at;
    if (next >= endAt) return samples;
  }
}

/**
 * The facilitator's evening: in every cycle the tables write, then the session moves to the
 * round's vote step, the vote opens, and closes near the end of the cycle; then on to the next
 * round, or back to the first one when the agenda has no more.
 */
async function facilitate(opts: {
  server: ServerUnderTest;
  fac: AppSocket;
  projector: Projector;
  state: SessionView;
  pace: SoakPace;
  startedAt: number;
  log: (line: string) => void;
}): Promise<{ votes: Omit<SoakVote, 'acked' | 'ack'>[]; opened: string[]; errors: string[] }> {
  const { server, fac, pace, startedAt } = opts;
  const firstStep = opts.state.agenda.rounds[0]!.steps[0]!.id;
  const rounds = opts.state.agenda.rounds.length;
  const votes: Omit<SoakVote, 'acked' | 'ack'>[] = [];
  const opened: string[] = [];
  const errors: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      errors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      opts.log(`soak: the facilitator could not ${what}: ${errors.at(-1)}`);
    }
  };
  for (let i = 0; i < pace.votes; i++) {
    const cycleAt = startedAt + i * pace.cycleMs;
    await sleepUntil(cycleAt + pace.writingMs);
    await attempt('move to the vote step', () => emitOk(fac, Events.stepNext, {}));
    const screens = (await server.stats('peek')).sockets - 2;
    let vote: VoteView | null = null;
    await attempt('open the vote', async () => (vote = await emitOk<VoteView>(fac, Events.voteOpen, {})));
    const minute = (now() - startedAt) / 60_000;
    opts.log(`soak: vote ${i + 1} of ${pace.votes} open at minute ${minute.toFixed(1)}, ${screens} screens connected`);
    await sleepUntil(cycleAt + 0.97 * pace.cycleMs);
    const open = vote as VoteView | null;
    if (open) {
      await attempt('close the vote', () => emitOk(fac, Events.voteClose, { voteId: open.id }));
      opened.push(open.id);
      // The last tally may still be on its way.
      await sleep(300);
      const ballots = Math.max(0, ...opts.projector.tallies.filter((t) => t.voteId === open.id).map((t) => t.ballots));
      votes.push({ index: i + 1, minute, items: open.items.length, screens, ballots });
    }
    if (i === pace.votes - 1) break;
    if ((i + 1) % rounds === 0) await attempt('go back to the first round', () => emitOk(fac, Events.stepGoto, { stepId: firstStep }));
    else await attempt('move to the next round', () => emitOk(fac, Events.stepNext, {}));
  }
  return { votes, opened, errors };
}

function addCounts(all: SoakCounts[]): SoakResult['counts'] {
  const merge = (records: Record<string, number>[]) => {
    const out: Record<string, number> = {};
    for (const r of records) for (const [k, n] of Object.entries(r)) out[k] = (out[k] ?? 0) + n;
    return out;
  };
  const sum = (key: 'connectedAtEnd' | 'sleeps' | 'wakes' | 'reloads' | 'leaves' | 'newJoins' | 'devices' | 'edits' | 'socketDrops' | 'yjsDrops') =>
    all.reduce((a, c) => a + c[key], 0);
  const ballots = all.flatMap((c) => c.ballots);
  const acks = ballots.flatMap((b) => (b.ackMs === null ? [] : [b.ackMs]));
  return {
    connectedAtEnd: sum('connectedAtEnd'),
    sleeps: sum('sleeps'),
    wakes: sum('wakes'),
    reloads: sum('reloads'),
    leaves: sum('leaves'),
    newJoins: sum('newJoins'),
    devices: sum('devices'),
    edits: sum('edits'),
    socketDrops: sum('socketDrops'),
    yjsDrops: sum('yjsDrops'),
    refusedWrites: merge(all.map((c) => c.refusedWrites)),
    errors: merge(all.map((c) => c.errors)),
    ballotsSent: ballots.length,
    ballotsAcked: acks.length,
    ack: summarise(acks),
  };
}

/** The series judged for flatness, with the slope below which each is flat whatever its level. */
function trends(samples: SoakSample[], minutes: number): Trend[] {
  const series: [string, string, number, (s: SoakSample) => number][] = [
    ['RSS', 'MB', 2, (s) => s.rssMb],
    ['JS heap used', 'MB', 2, (s) => s.heapUsedMb],
    ['JS heap total', 'MB', 2, (s) => s.heapTotalMb],
    ['external (buffers)', 'MB', 2, (s) => s.externalMb],
    ['open documents', '', 2, (s) => s.docs],
    ['socket.io sockets', '', 2, (s) => s.sockets],
    ['Yjs connections', '', 2, (s) => s.yjsConnections],
    ['Yjs per-device entries', '', 2, (s) => s.yjsDevices],
    ['event-loop delay p99', 'ms', 5, (s) => s.loopP99],
  ];
  return series.map(([name, unit, floor, value]) =>
    trend(
      samples.map((s) => ({ minute: s.minute, value: value(s) })),
      { series: name, unit, minutes, warmup: WARMUP, floor },
    ),
  );
}

export async function runSoak(rootDir: string, opts: SoakOptions, log: (line: string) => void): Promise<SoakResult> {
  const pace = soakPace(opts.minutes);
  const server = await startServer('app', rootDir, { ...opts.server, exposeGc: true });
  const workers = forkWorkers(rootDir, 'soak', Math.min(opts.procs, opts.tables));
  try {
    return await whileRunning(server, async () => {
      const { session, fac, state } = await startSession(server.url, 'Bench: soak', opts.tables, log, soakAgenda(pace));
      const projector = await openProjector(server.url, session.id, log);

      log(`soak: ${opts.tables} tables × ${opts.tabletsPerTable} tablets joining...`);
      const setupFrom = now();
      const ready = await Promise.all(
        workers.map((w, i) =>
          w.request({
            cmd: 'soakSetup',
            args: {
              url: server.url,
              joinCode: session.joinCode,
              sessionId: session.id,
              tables: Array.from({ length: opts.tables }, (_, t) => t + 1).filter((t) => t % workers.length === i),
              tabletsPerTable: opts.tabletsPerTable,
              themes: state.themes.map((t) => t.id),
              ...pace.tablets,
            },
          }),
        ),
      );
      const setup = {
        tablets: ready.reduce((a, r) => a + r.clients, 0),
        failed: ready.reduce((a, r) => a + r.failed, 0),
        errors: ready.flatMap((r) => r.errors),
        ms: now() - setupFrom,
      };
      if (setup.failed > 0) log(`soak: ${setup.failed} tablets failed to set up: ${setup.errors.join('; ')}`);

      const beforeEvening = await sampleServer(server, now(), setupFrom, true);
      const startedAt = now();
      const endAt = startedAt + opts.minutes * 60_000;
      log(`soak: the evening runs for ${opts.minutes} minutes, ${pace.votes} votes, a sample every ${opts.sampleEveryMs / 1000} s...`);
      const [samples, facilitated, counts] = await Promise.all([
        sampleUntil(server, startedAt, endAt, opts.sampleEveryMs),
        facilitate({ server, fac, projector, state, pace, startedAt, log }),
        Promise.all(workers.map((w) => w.request({ cmd: 'soakRun', args: { endAt } }))),
      ]);
      const generators = {
        cpuPct: workers.reduce((a, w) => a + (w.sampler.usage(startedAt, endAt).cpuAvgPct || 0), 0),
        loop: worstLoop(workers),
      };
      const ballots = counts.flatMap((c) => c.ballots);
      const votes = facilitated.votes.map((v, i) => {
        const acks = ballots.filter((b) => b.voteId === facilitated.opened[i] && b.ackMs !== null).map((b) => b.ackMs!);
        return { ...v, acked: acks.length, ack: summarise(acks) };
      });

      log('soak: the evening is over; everyone leaves...');
      projector.close();
      fac.disconnect();
      const after = await afterClose(server, startedAt, now(), log);

      return {
        options: opts,
        pace,
        setup,
        samples,
        warmupMinutes: WARMUP * opts.minutes,
        trends: trends(samples, opts.minutes),
        votes,
        counts: addCounts(counts),
        facilitatorErrors: facilitated.errors,
        beforeEvening,
        afterClose: after,
        generators,
        peakRssMb: (await server.stop()).peakRssMb,
      };
    });
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await server.stop();
  }
}
