/**
 * `npm run bench [-- --scenario room|maxi|report|similarity|all|soak|knee|hosted] [--quick] [--minutes N] [--busy N] [--procs N] [--voters N] [--data-dir DIR] [--profile]`
 *
 * The orchestrator: starts the server under test as a child process, forks the load
 * generators, runs the scenarios one after another (each against a fresh server, then the same
 * vote pattern against a bare socket.io server), and prints the results with PASS/MISS per
 * target. Results go to data/bench/ as JSON and as a Markdown section for docs/BENCHMARKS.md.
 * The exit code is 0 whatever the targets say: the bench measures, it does not gate.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBusy } from './busy.js';
import { stopAll, stopChildrenOnExit } from './children.js';
import { consoleReport, machine, markdownReport, revision, targets, type RunResult } from './report.js';
import { runBare } from './scenarios/bare.js';
import { runMaxi, type MaxiOptions } from './scenarios/maxi.js';
import { runReport, type ReportOptions } from './scenarios/report.js';
import { runRoom, type RoomOptions } from './scenarios/room.js';
import { runSimilarity, type SimilarityOptions } from './scenarios/similarity.js';
import { runSoak, type SoakOptions } from './scenarios/soak.js';
import { runKnee, type KneeOptions } from './scenarios/knee.js';
import { runHosted } from './scenarios/hosted.js';
import type { ServerOptions } from './serverProcess.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = path.join(ROOT, 'data', 'bench');

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'all' },
    quick: { type: 'boolean', default: false },
    procs: { type: 'string' },
    voters: { type: 'string' },
    'data-dir': { type: 'string' },
    profile: { type: 'boolean', default: false },
    busy: { type: 'string', default: '0' },
    minutes: { type: 'string' },
  },
});
const scenario = values.scenario;
if (
  scenario !== 'room' &&
  scenario !== 'maxi' &&
  scenario !== 'report' &&
  scenario !== 'similarity' &&
  scenario !== 'all' &&
  scenario !== 'soak' &&
  scenario !== 'knee' &&
  scenario !== 'hosted'
) {
  console.error('--scenario must be room, maxi, report, similarity, all, soak, knee or hosted');
  process.exit(2);
}
const quick = values.quick;
const minutes = values.minutes ? Number(values.minutes) : quick ? 2 : 30;
if (!(minutes >= 1 && minutes <= 600)) {
  console.error('--minutes must be a number of minutes from 1 to 600');
  process.exit(2);
}
const busy = Number(values.busy);
if (!Number.isInteger(busy) || busy < 0 || busy > 8) {
  console.error('--busy must be a whole number of cores to keep busy, 0 to 8');
  process.exit(2);
}
const procs = values.procs ? Number(values.procs) : quick ? 2 : 4;
const server: ServerOptions = {
  ...(values['data-dir'] && { dataParent: path.resolve(values['data-dir']) }),
  ...(values.profile && { profileDir: path.join(RESULTS_DIR, 'profiles') }),
};

const roomOptions: RoomOptions = quick
  ? { tables: 4, tabletsPerTable: 6, typeSeconds: 5, editsPerSecond: 3, voteWindowMs: 2000, procs, server }
  : { tables: 30, tabletsPerTable: 6, typeSeconds: 25, editsPerSecond: 3, voteWindowMs: 5000, procs, server };

const maxiOptions: MaxiOptions = {
  voters: values.voters ? Number(values.voters) : quick ? 400 : 5000,
  // LIMITS.tables: the most a session can have.
  tables: 60,
  pointsPerTable: 2,
  voteWindowMs: quick ? 3000 : 10_000,
  procs,
  joinConcurrency: 8,
  server,
};

/** Not part of `all`: the maxi vote on one node, straight, through nginx, and through nginx with Redis; 2,000 phones by default. */
const hostedOptions: MaxiOptions = { ...maxiOptions, voters: values.voters ? Number(values.voters) : quick ? 400 : 2000 };

/** 200 devices, 2,000 points in the report (109 written per table, some merged or hidden): the biggest evening the report must carry. */
const reportOptions: ReportOptions = quick
  ? { tables: 20, pointsPerTable: 109, devicesPerTable: 10, runs: 2, keys: 24 }
  : { tables: 20, pointsPerTable: 109, devicesPerTable: 10, runs: 5, keys: 60 };

/** 300 points: an evening of 30 tables writing about ten each, compared at once in the facilitator's browser. */
const similarityOptions: SimilarityOptions = { points: 300, runs: quick ? 10 : 30, warmup: 5, seed: 1 };

/** Not part of `all`: it takes half an hour by default, and answers another question (does anything grow over an evening). */
const soakOptions: SoakOptions = {
  minutes,
  tables: quick ? 6 : 30,
  tabletsPerTable: 6,
  sampleEveryMs: quick ? 2000 : 10_000,
  procs,
  server,
};

/** Not part of `all` either: it runs the whole room's vote again and again, at rising rates, for the app and bare socket.io. */
const kneeOptions: KneeOptions = {
  voters: values.voters ? Number(values.voters) : quick ? 1000 : 5000,
  rates: quick ? [250, 500, 1000, 2000, 4000, 8000] : [500, 1000, 2000, 4000, 8000, 16000, 32000],
  limitMs: 250,
  procs,
  server,
};

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main() {
  stopChildrenOnExit();
  // A stray rejection would end the process past the cleanup below; stop the children first.
  process.on('unhandledRejection', (err) => {
    console.error('The bench failed:', err);
    void stopAll().finally(() => process.exit(1));
  });
  const run: RunResult = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    revision: revision(ROOT),
    database: server.dataParent ?? os.tmpdir(),
    machine: machine(),
    busy,
    targets: [],
  };
  // Started after the machine's load was read, so the run says how busy it was before the bench.
  const spinners = startBusy(busy);
  if (busy > 0) log(`keeping ${busy} core${busy === 1 ? '' : 's'} busy for the whole run (--busy)`);

  if (scenario === 'room' || scenario === 'all') {
    const loadAtStart = os.loadavg()[0]!;
    const app = await runRoom(ROOT, roomOptions, log);
    log('room: the same vote against bare socket.io...');
    const voters = roomOptions.tables * roomOptions.tabletsPerTable;
    const bare = await runBare(ROOT, { voters, windowMs: roomOptions.voteWindowMs, procs: Math.min(procs, roomOptions.tables) }, log);
    run.room = { app, bare, loadAtStart };
  }
  if (scenario === 'maxi' || scenario === 'all') {
    const loadAtStart = os.loadavg()[0]!;
    const app = await runMaxi(ROOT, maxiOptions, log);
    log('maxi: the same vote against bare socket.io...');
    const bare = await runBare(ROOT, { voters: maxiOptions.voters, windowMs: maxiOptions.voteWindowMs, procs }, log);
    run.maxi = { app, bare, loadAtStart };
  }
  if (scenario === 'report' || scenario === 'all') {
    const loadAtStart = os.loadavg()[0]!;
    run.report = { app: await runReport(ROOT, reportOptions, log), loadAtStart };
  }
  if (scenario === 'similarity' || scenario === 'all') {
    const loadAtStart = os.loadavg()[0]!;
    run.similarity = { app: runSimilarity(similarityOptions, log), loadAtStart };
  }
  if (scenario === 'knee') {
    const loadAtStart = os.loadavg()[0]!;
    run.knee = { app: await runKnee(ROOT, kneeOptions, log), loadAtStart };
  }
  if (scenario === 'hosted') {
    const loadAtStart = os.loadavg()[0]!;
    const app = await runHosted(ROOT, hostedOptions, log);
    log('hosted: the same vote against bare socket.io...');
    const bare = await runBare(ROOT, { voters: hostedOptions.voters, windowMs: hostedOptions.voteWindowMs, procs }, log);
    run.hosted = { app, bare, loadAtStart };
  }
  if (scenario === 'soak') {
    const loadAtStart = os.loadavg()[0]!;
    run.soak = { app: await runSoak(ROOT, soakOptions, log), loadAtStart };
  }
  await spinners.stop();
  run.targets = targets(run);

  console.log(`\n${consoleReport(run)}\n`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const base = path.join(RESULTS_DIR, `bench-${run.date.replace(/[:.]/g, '-')}-${run.mode}`);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(run, null, 2)}\n`);
  fs.writeFileSync(`${base}.md`, markdownReport(run));
  console.log(`Results: ${path.relative(ROOT, base)}.json, Markdown for docs/BENCHMARKS.md: ${path.relative(ROOT, base)}.md`);
  if (server.profileDir) console.log(`Server CPU profiles (open in Chrome DevTools, Performance): ${path.relative(ROOT, server.profileDir)}/`);
}

main().then(
  async () => {
    await stopAll();
    process.exit(0);
  },
  async (err: unknown) => {
    console.error('The bench failed:', err);
    await stopAll();
    process.exit(1);
  },
);
