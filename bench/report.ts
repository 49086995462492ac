/**
 * What a run produces: the targets with PASS/MISS, a table for the terminal, a Markdown section
 * for docs/BENCHMARKS.md, and the whole result as JSON.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { PhaseStats } from './phase.js';
import { pressureAvg60 } from './procSampler.js';
import type { BareResult } from './scenarios/bare.js';
import type { MaxiResult } from './scenarios/maxi.js';
import type { ReportResult } from './scenarios/report.js';
import type { RoomResult } from './scenarios/room.js';
import type { SimilarityResult } from './scenarios/similarity.js';
import type { HostedResult } from './scenarios/hosted.js';
import type { SoakResult, SoakSample } from './scenarios/soak.js';
import type { KneeResult } from './scenarios/knee.js';
import { kneeSummary, kneeTable } from './kneeReport.js';
import type { Summary } from './stats.js';
import type { VotePhaseResult } from './votePhase.js';

export interface Machine {
  cpus: number;
  cpuModel: string;
  ramGb: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started: above 0 means other work was running. */
  loadAtStart: number;
  /** % of the last minute before the run in which some process waited for a CPU, or for I/O (null: no PSI). */
  cpuPressureAtStart: number | null;
  ioPressureAtStart: number | null;
}

export interface RunResult {
  date: string;
  mode: 'quick' | 'full';
  /** The commit measured, and whether server/ or shared/ had uncommitted changes. */
  revision: string;
  /** The directory in which the app server's database was made. */
  database: string;
  machine: Machine;
  /** Cores a spinning process kept busy during the whole run (`--busy N`), as the facilitator's browser would. */
  busy: number;
  room?: { app: RoomResult; bare: BareResult; loadAtStart: number };
  maxi?: { app: MaxiResult; bare: BareResult; loadAtStart: number };
  report?: { app: ReportResult; loadAtStart: number };
  soak?: { app: SoakResult; loadAtStart: number };
  knee?: { app: KneeResult; loadAtStart: number };
  similarity?: { app: SimilarityResult; loadAtStart: number };
  hosted?: { app: HostedResult; bare: BareResult; loadAtStart: number };
  targets: Target[];
}

export interface Target {
  scenario: 'room' | 'maxi' | 'report' | 'similarity';
  what: string;
  value: number;
  limit: number;
  unit: 'ms' | 'MB' | '×' | '/s';
  /** A rate must reach the limit; everything else must stay under it. */
  atLeast?: boolean;
  pass: boolean;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    ramGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAtStart: os.loadavg()[0]!,
    cpuPressureAtStart: pressureAvg60('cpu'),
    ioPressureAtStart: pressureAvg60('io'),
  };
}

export function revision(rootDir: string): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: rootDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const dirty = git('status', '--porcelain', '--', 'server', 'shared') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in server/ or shared/' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

const ratio = (app: number, bare: number) => app / bare;

/**
 * Server CPU per operation, in ms: the phase's CPU time over what was done in it. Unlike
 * latency, this hardly moves when other work shares the machine, so it compares runs.
 */
export function costs({ app, bare }: { app: MaxiResult | RoomResult; bare: BareResult }) {
  const voters = 'join' in app ? app.join.phones : app.setup.tablets;
  return {
    ballot: { app: app.phases.vote.server.cpuMs / app.vote.acked, bare: bare.phases.vote.server.cpuMs / bare.vote.acked },
    join: 'join' in app ? { app: app.phases.join.server.cpuMs / app.join.phones, bare: bare.phases.setup.cpuMs / bare.voters } : null,
    open: app.open.cpuMs,
    openPerVoter: app.open.cpuMs / voters,
    step: app.step.cpuMs,
  };
}

export function targets(run: Pick<RunResult, 'room' | 'maxi' | 'report' | 'similarity'>): Target[] {
  const out: Target[] = [];
  const add = (scenario: Target['scenario'], what: string, value: number, limit: number, unit: Target['unit']) =>
    // NaN (no samples) is a miss: a target nothing was measured for is not met.
    out.push({ scenario, what, value, limit, unit, ...(unit === '/s' && { atLeast: true }), pass: unit === '/s' ? value >= limit : value <= limit });
  if (run.room) {
    const { app, bare } = run.room;
    add('room', 'edit → other tablets, p95', app.edits.latency.p95, 50, 'ms');
    add('room', 'vote → projector, p95', app.vote.projector.p95, 100, 'ms');
    add('room', 'vote → ack p95, app / bare socket.io', ratio(app.vote.ack.p95, bare.vote.ack.p95), 1.5, '×');
    add('room', 'vote → projector p95, app / bare socket.io', ratio(app.vote.projector.p95, bare.vote.projector.p95), 1.5, '×');
  }
  if (run.maxi) {
    const { app, bare } = run.maxi;
    const cost = costs(run.maxi);
    add('maxi', 'server CPU per ballot, app / bare socket.io', ratio(cost.ballot.app, cost.ballot.bare), 2, '×');
    add('maxi', `server CPU for vote:open to ${app.join.phones} phones`, cost.open, 300, 'ms');
    // Issue 15's targets, meant to hold with --busy 1 (a browser on the same laptop).
    add('maxi', 'vote → ack, p95', app.vote.ack.p95, 150, 'ms');
    add('maxi', 'vote → projector, p95', app.vote.projector.p95, 300, 'ms');
    add('maxi', 'vote:open → phone shows it, p95', app.voteSeen.p95, 1000, 'ms');
    add('maxi', 'phones joined a second', app.join.perSecond, 250, '/s');
    add('maxi', 'server peak RSS', app.peakRssMb, 400, 'MB');
    add('maxi', 'vote → ack p95, app / bare socket.io', ratio(app.vote.ack.p95, bare.vote.ack.p95), 1.5, '×');
    add('maxi', 'vote → projector p95, app / bare socket.io', ratio(app.vote.projector.p95, bare.vote.projector.p95), 1.5, '×');
  }
  if (run.report) {
    const { app } = run.report;
    for (const f of app.formats) if (f.format !== 'outline') add('report', `report.${f.format}, 2,000 points, p50`, f.wallMs.p50, 1000, 'ms');
    if (app.typing) add('report', 'report page: key → paint in the introduction, p95', app.typing.editing.p95, 100, 'ms');
  }
  if (run.similarity) {
    const { app } = run.similarity;
    add('similarity', `duplicate suggestions for ${app.options.points} points, p95`, app.suggester.wallMs.p95, 200, 'ms');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Formatting

const ms = (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(1) : Math.round(x).toString()) : '–');
const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x)}%` : '–');
const pressure = (x: number | null) => (x === null ? '–' : pct(x));
const mb = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} MB` : '–');
const fmtValue = (t: Target): string =>
  t.unit === '/s' && Number.isFinite(t.value)
    ? `${Math.round(t.value)} /s`
    : !Number.isFinite(t.value)
      ? 'no samples'
      : t.unit === '×'
        ? `${t.value.toFixed(2)}×`
        : t.unit === 'MB'
          ? mb(t.value)
          : `${ms(t.value)} ms`;
const fmtLimit = (t: Target) => (t.unit === '×' ? `≤ ${t.limit}×` : t.atLeast ? `≥ ${t.limit} ${t.unit}` : `≤ ${t.limit} ${t.unit}`);
const usage = ({ server: s, generators: g }: PhaseStats) =>
  `CPU avg ${pct(s.cpuAvgPct)} (max ${pct(s.cpuMaxPct)}), main thread on a CPU ${pct(s.mainRunPct)} and waiting for one ${pct(s.mainQueuePct)}, ` +
  `RSS up to ${mb(s.rssMaxMb)} (JS heap ${mb(s.loop.heapUsedMb)} at the end), ` +
  `machine pressure CPU ${pct(s.cpuPressurePct)} I/O ${pct(s.ioPressurePct)}, ` +
  `event-loop delay p99 ${ms(s.loop.p99)} ms (max ${ms(s.loop.max)}); ` +
  `generators: CPU ${pct(g.cpuPct)} together, worst event-loop delay p99 ${ms(g.p99)} ms (max ${ms(g.max)})`;
const errorList = (errors: Record<string, number>) =>
  Object.keys(errors).length === 0
    ? 'none'
    : Object.entries(errors)
        .map(([k, n]) => `${n}× ${k}`)
        .join(', ');

const projectorState = (v: VotePhaseResult) =>
  `the projector lost its connection ${v.projectorDrops} times and was ${v.projectorConnected ? '' : 'not '}connected at the end`;

interface LatencyRow {
  scenario: string;
  what: string;
  s: Summary;
}

function latencyRows(run: RunResult): LatencyRow[] {
  const rows: LatencyRow[] = [];
  if (run.room) {
    const { app, bare } = run.room;
    rows.push(
      { scenario: 'room', what: 'edit → other tablets at the table', s: app.edits.latency },
      { scenario: 'room', what: 'vote → ack', s: app.vote.ack },
      { scenario: 'room', what: 'vote → projector tally', s: app.vote.projector },
      { scenario: 'room', what: 'step change → tablet shows it', s: app.stepSeen },
      { scenario: 'room', what: 'vote:open → tablet shows it', s: app.voteSeen },
      { scenario: 'room (bare)', what: 'vote → ack', s: bare.vote.ack },
      { scenario: 'room (bare)', what: 'vote → projector tally', s: bare.vote.projector },
    );
  }
  if (run.maxi) {
    const { app, bare } = run.maxi;
    rows.push(
      { scenario: 'maxi', what: 'vote → ack', s: app.vote.ack },
      { scenario: 'maxi', what: 'vote → projector tally', s: app.vote.projector },
      { scenario: 'maxi', what: 'step change → phone shows it', s: app.stepSeen },
      { scenario: 'maxi', what: 'vote:open → phone shows it', s: app.voteSeen },
      { scenario: 'maxi (bare)', what: 'vote → ack', s: bare.vote.ack },
      { scenario: 'maxi (bare)', what: 'vote → projector tally', s: bare.vote.projector },
    );
  }
  if (run.hosted) {
    for (const { name, result } of run.hosted.app.runs) {
      rows.push(
        { scenario: `hosted, ${name}`, what: 'vote → ack', s: result.vote.ack },
        { scenario: `hosted, ${name}`, what: 'vote → projector tally', s: result.vote.projector },
      );
    }
    rows.push({ scenario: 'hosted (bare)', what: 'vote → ack', s: run.hosted.bare.vote.ack });
  }
  if (run.report?.app.typing) {
    const { typing } = run.report.app;
    rows.push(
      { scenario: 'report', what: 'key → paint, introduction (2,000 points shown)', s: typing.plain },
      { scenario: 'report', what: 'key → paint, with the editing controls', s: typing.editing },
    );
  }
  if (run.similarity) {
    const { app } = run.similarity;
    const n = app.options.points;
    rows.push(
      { scenario: 'similarity', what: `suggestDuplicates, ${n} points (wall)`, s: app.suggester.wallMs },
      { scenario: 'similarity', what: `suggestDuplicates, ${n} points (CPU)`, s: app.suggester.cpuMs },
      { scenario: 'similarity (bare)', what: `lower-case and split ${n} texts into words`, s: app.bare.wallMs },
      { scenario: 'similarity (naive)', what: `every pair of ${n} as word sets, no index`, s: app.naive.wallMs },
    );
  }
  return rows;
}

const cpu = (x: number) => (Number.isFinite(x) ? (x < 1 ? x.toFixed(2) : x.toFixed(1)) : '–');

function costLine(scenario: string, c: ReturnType<typeof costs>): string {
  return (
    `${scenario}: server CPU per operation: ballot ${cpu(c.ballot.app)} ms (bare socket.io ${cpu(c.ballot.bare)} ms, ` +
    `${ratio(c.ballot.app, c.ballot.bare).toFixed(2)}×)` +
    (c.join ? `; join ${cpu(c.join.app)} ms (a bare connect ${cpu(c.join.bare)} ms, ${ratio(c.join.app, c.join.bare).toFixed(1)}×)` : '') +
    `; vote:open to every voter ${cpu(c.open)} ms in all (${cpu(c.openPerVoter)} ms a voter)` +
    `; the step change before it ${cpu(c.step)} ms in all`
  );
}

function facts(run: RunResult): string[] {
  const lines: string[] = [];
  if (run.room) {
    const { app, bare, loadAtStart } = run.room;
    const o = app.options;
    lines.push(
      `room: ${o.tables} tables × ${o.tabletsPerTable} tablets (${app.setup.tablets} set up in ${(app.setup.ms / 1000).toFixed(1)} ` +
        `s, ${app.setup.failed} failed), ` +
        `${o.procs} generator processes, load average at start ${loadAtStart.toFixed(2)}`,
      `room: typing ${o.typeSeconds} s at ~${o.editsPerSecond} edits/s per tablet: ${app.edits.edits} edits, ` +
        `${app.edits.received} of ${app.edits.expected} deliveries seen within a minute after the typing ended ` +
        `(${((100 * app.edits.received) / Math.max(1, app.edits.expected)).toFixed(1)}%); connections the server dropped meanwhile: ` +
        `${app.edits.socketDrops} socket.io, ${app.edits.yjsDrops} Yjs`,
      `room: vote on ${app.voteItems} points within ${o.voteWindowMs / 1000} s: ${app.vote.sent} sent, ${app.vote.acked} acked, ` +
        `${app.vote.counted} seen on the projector; errors: ${errorList(app.vote.errors)}; ${projectorState(app.vote)}`,
      `room server, setup: ${usage(app.phases.setup)}`,
      `room server, typing: ${usage(app.phases.typing)}`,
      `room server, vote: ${usage(app.phases.vote)}; peak RSS ${mb(app.peakRssMb)}`,
      `room bare server, vote: ${usage(bare.phases.vote)}; errors: ${errorList(bare.vote.errors)}`,
      costLine('room', costs(run.room)),
    );
  }
  if (run.maxi) {
    const { app, bare, loadAtStart } = run.maxi;
    const o = app.options;
    lines.push(
      `maxi: ${o.voters} phones over ${o.tables} tables, ${o.procs} generator processes, load average at start ${loadAtStart.toFixed(2)}`,
      `maxi: join (REST join + socket + pick table): ${app.join.phones} phones in ${(app.join.ms / 1000).toFixed(1)} s ` +
        `(${Math.round(app.join.perSecond)}/s, ${o.joinConcurrency} in flight per process), ${app.join.failed} failed`,
      `maxi: vote on ${app.voteItems} points within ${o.voteWindowMs / 1000} s: ${app.vote.sent} sent, ${app.vote.acked} acked, ` +
        `${app.vote.counted} seen on the projector; errors: ${errorList(app.vote.errors)}; ${projectorState(app.vote)}`,
      `maxi server, join: ${usage(app.phases.join)}`,
      `maxi server, vote: ${usage(app.phases.vote)}; peak RSS ${mb(app.peakRssMb)}`,
      `maxi bare server, vote: ${usage(bare.phases.vote)}; peak RSS ${mb(bare.peakRssMb)}; errors: ${errorList(bare.vote.errors)}`,
      costLine('maxi', costs(run.maxi)),
    );
  }
  if (run.hosted) {
    const { app, bare, loadAtStart } = run.hosted;
    const o = app.options;
    const perOp = (cpuMs: number | undefined, n: number) => cpu((cpuMs ?? Number.NaN) / n);
    lines.push(
      `hosted: the maxi vote, ${o.voters} phones over ${o.tables} tables, ${o.procs} generator processes, one node, ` +
        `load average at start ${loadAtStart.toFixed(2)}; bare socket.io: ${cpu(bare.phases.vote.server.cpuMs / bare.vote.acked)} ms CPU a ballot`,
      ...app.runs.map(({ name, result: r }) => {
        const front = r.front;
        const parts = (phase: 'join' | 'vote', n: number, node: number) =>
          [`node ${cpu(node / n)}`, ...Object.entries(front?.[phase] ?? {}).map(([what, v]) => `${what} ${perOp(v, n)}`)].join(', ');
        return (
          `hosted, ${name}: ${r.join.phones} phones joined at ${Math.round(r.join.perSecond)}/s (${r.join.failed} failed), ` +
          `CPU ms a join: ${parts('join', r.join.phones, r.phases.join.server.cpuMs)}; ${r.vote.acked} of ${r.vote.sent} ballots acked ` +
          `(errors: ${errorList(r.vote.errors)}), CPU ms a ballot: ${parts('vote', r.vote.acked, r.phases.vote.server.cpuMs)}; ` +
          `node peak RSS ${mb(r.peakRssMb)}`
        );
      }),
      ...(app.load
        ? [
            `hosted, a standby taking over the Postgres database after that vote: ${app.load.rows} rows copied into a working copy in ` +
              `${ms(app.load.ms)} ms (${cpu(app.load.cpuMs)} ms CPU)`,
          ]
        : []),
    );
  }
  if (run.report) {
    const { app, loadAtStart } = run.report;
    const o = app.options;
    lines.push(
      `report: ${app.points} points from ${app.devices} devices at ${o.tables} tables, load average at start ${loadAtStart.toFixed(2)}; ` +
        `the model built in ${ms(app.build.p50)} ms (p50 of ${o.runs}); per format, p50 / max wall ` +
        `time of ${o.runs} renders after a warm-up, CPU per render, size: ` +
        app.formats
          .map((f) => `${f.format} ${ms(f.wallMs.p50)} / ${ms(f.wallMs.max)} ms, CPU ${ms(f.cpuMs)} ms${f.bytes ? `, ${Math.round(f.bytes / 1024)} KB` : ''}`)
          .join('; '),
    );
  }
  if (run.similarity) {
    const { app, loadAtStart } = run.similarity;
    const o = app.options;
    lines.push(
      `similarity: ${o.points} generated Dutch points (seed ${o.seed}; ${app.distinct} distinct texts, ${app.words} words), ` +
        `${app.suggestions} suggestions at the default threshold; load average at start ${loadAtStart.toFixed(2)}; ` +
        `${o.runs} timed runs of each method after ${o.warmup} to warm up; the first call in the process ${ms(app.coldMs)} ms; ` +
        `per run, p50 / p95: suggestDuplicates ${ms(app.suggester.wallMs.p50)} / ${ms(app.suggester.wallMs.p95)} ms wall, ` +
        `${ms(app.suggester.cpuMs.p50)} / ${ms(app.suggester.cpuMs.p95)} ms CPU; bare floor ${ms(app.bare.wallMs.p50)} / ${ms(app.bare.wallMs.p95)} ms; ` +
        `naive pairs ${ms(app.naive.wallMs.p50)} / ${ms(app.naive.wallMs.p95)} ms`,
    );
  }
  return lines;
}

function pad(cells: string[], widths: number[], right: boolean[]): string {
  return cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
}

function grid(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [pad(header, widths, right), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => pad(r, widths, right))].join('\n');
}

export function consoleReport(run: RunResult): string {
  const m = run.machine;
  const latency = grid(
    ['scenario', 'latency (ms)', 'n', 'p50', 'p95', 'p99', 'max'],
    latencyRows(run).map((r) => [r.scenario, r.what, String(r.s.n), ms(r.s.p50), ms(r.s.p95), ms(r.s.p99), ms(r.s.max)]),
    [false, false, true, true, true, true, true],
  );
  const goals = grid(
    ['scenario', 'target', 'value', 'limit', 'result'],
    run.targets.map((t) => [t.scenario, t.what, fmtValue(t), fmtLimit(t), t.pass ? 'PASS' : 'MISS']),
    [false, false, true, true, false],
  );
  return [
    `Tafelronde bench, ${run.mode} run, ${run.date}, revision ${run.revision}${run.busy > 0 ? `, with ${run.busy} core(s) kept busy (--busy)` : ', no --busy'}`,
    `${m.cpus} × ${m.cpuModel}, ${m.ramGb} GB RAM, Node ${m.node}, ${m.os}, load average at start ${m.loadAtStart.toFixed(2)}, ` +
      `pressure over the minute before: CPU ${pressure(m.cpuPressureAtStart)}, I/O ${pressure(m.ioPressureAtStart)}`,
    `Server database in ${run.database}`,
    // A soak-only run has no latency table and no targets.
    ...(latencyRows(run).length > 0 ? ['', latency] : []),
    ...(facts(run).length > 0 ? ['', ...facts(run)] : []),
    ...(run.targets.length > 0 ? ['', goals] : []),
    ...(run.soak ? ['', soakConsole(run.soak)] : []),
    ...(run.knee
      ? [
          '',
          grid(
            kneeTable(run.knee.app).header,
            kneeTable(run.knee.app).rows,
            kneeTable(run.knee.app).header.map((_, i) => i > 0),
          ),
          '',
          kneeSummary(run.knee.app),
        ]
      : []),
  ].join('\n');
}

export function markdownReport(run: RunResult): string {
  const m = run.machine;
  const table = (header: string[], rows: string[][]) =>
    [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const latency = table(
    ['scenario', 'latency', 'samples', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    latencyRows(run).map((r) => [r.scenario, r.what, String(r.s.n), ms(r.s.p50), ms(r.s.p95), ms(r.s.p99), ms(r.s.max)]),
  );
  const goals = table(
    ['scenario', 'target', 'value', 'limit', 'result'],
    run.targets.map((t) => [t.scenario, t.what, fmtValue(t), fmtLimit(t), t.pass ? 'PASS' : '**MISS**']),
  );
  return [
    `### ${run.date}, ${run.mode} run${run.busy > 0 ? `, --busy ${run.busy}` : ''}`,
    '',
    `Revision ${run.revision}. Machine: ${m.cpus} × ${m.cpuModel}, ${m.ramGb} GB RAM, Node ${m.node}, ${m.os}. ` +
      `Load average at the start: ${m.loadAtStart.toFixed(2)}; pressure over the minute before: CPU ${pressure(m.cpuPressureAtStart)}, ` +
      `I/O ${pressure(m.ioPressureAtStart)} (about 0% on a quiet machine). Server database in \`${run.database}\`.`,
    '',
    // A soak-only run has no latency table and no targets.
    ...(latencyRows(run).length > 0 ? [latency, ''] : []),
    ...(run.targets.length > 0 ? [goals, ''] : []),
    ...(facts(run).length > 0 ? [...facts(run).map((f) => `- ${f}`), ''] : []),
    ...(run.soak ? [soakMarkdown(run.soak, table), ''] : []),
    ...(run.knee ? [table(kneeTable(run.knee.app).header, kneeTable(run.knee.app).rows), '', kneeSummary(run.knee.app), ''] : []),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The soak scenario

/** At most this many sample rows are printed (evenly spread, the last one always); the JSON has them all. */
const SOAK_ROWS = 40;

const one = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const signed = (x: number, digits = 1) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(digits)}` : '–');

function soakSampleRows(samples: SoakSample[]): string[][] {
  const every = Math.max(1, Math.ceil(samples.length / SOAK_ROWS));
  const shown = samples.filter((_, i) => i % every === 0 || i === samples.length - 1);
  return shown.map((s) => [
    s.minute.toFixed(1),
    one(s.rssMb),
    one(s.heapUsedMb),
    one(s.heapTotalMb),
    String(s.docs),
    String(s.sockets),
    String(s.yjsConnections),
    ms(s.loopP99),
    pct(s.cpuPct),
  ]);
}
const SOAK_SAMPLE_HEADER = ['minute', 'RSS MB', 'heap used MB', 'heap total MB', 'open docs', 'sockets', 'Yjs conns', 'loop p99 ms', 'CPU'];

function soakTrendRows(r: SoakResult): string[][] {
  return r.trends.map((t) => {
    const unit = t.unit ? ` ${t.unit}` : '';
    // Counts are whole numbers; only their slope has a fraction.
    const level = (x: number) => (t.unit || !Number.isFinite(x) ? one(x) : String(Math.round(x)));
    const delta = t.unit ? signed(t.secondHalf.delta) : signed(t.secondHalf.delta, 0);
    const share = Number.isFinite(t.slopePer10Min / t.baseline) && t.baseline !== 0 ? ` (${signed((100 * t.slopePer10Min) / t.baseline)}%)` : '';
    return [
      t.series,
      `${level(t.baseline)}${unit}`,
      `${signed(t.slopePer10Min)}${unit}${share}`,
      `${level(t.secondHalf.first)} → ${level(t.secondHalf.last)} (${delta})`,
      t.verdict,
      t.spark,
    ];
  });
}
const SOAK_TREND_NOTE =
  'least-squares slope over the second half of the run, against the first sample after the warm-up; ' +
  'flat: within 5% of it per 10 minutes, or a small absolute floor';
/** In a short run a garbage collection moves the slope more than a leak would: say so next to the verdicts. */
const shortRunNote = (r: SoakResult) =>
  r.options.minutes < 10
    ? `; the second half is only ${r.options.minutes / 2} minute${r.options.minutes === 2 ? '' : 's'}, in which a garbage collection alone sets the slope`
    : '';

/** Whether the connections of tablets that slept or left were let go: never many more at once than there are seats. */
function churnLine(r: SoakResult): string {
  const seats = r.options.tables * r.options.tabletsPerTable;
  const sockets = Math.max(0, ...r.samples.map((x) => x.sockets));
  const yjs = Math.max(0, ...r.samples.map((x) => x.yjsConnections));
  // A reload may be counted twice for a moment (the new connection in before the old one's close).
  const slack = Math.max(2, Math.ceil(0.05 * seats));
  const freed = sockets <= seats + 2 + slack && yjs <= seats + slack;
  return (
    `soak: most at once during the evening: ${sockets} socket.io sockets and ${yjs} Yjs connections, for ${seats} seats ` +
    `(plus the facilitator and the projector) and ${r.counts.devices} devices in all: ` +
    (freed ? 'the connections of tablets that slept or left were let go' : 'MORE than the seats: connections of tablets that left seem to stay')
  );
}
const SOAK_TREND_HEADER = ['series', 'after warm-up', 'slope per 10 min, 2nd half', '2nd half first → last', 'verdict', 'whole run'];

function soakVoteRows(r: SoakResult): string[][] {
  return r.votes.map((v) => [
    String(v.index),
    v.minute.toFixed(1),
    String(v.items),
    String(v.screens),
    String(v.ballots),
    String(v.acked),
    ms(v.ack.p50),
    ms(v.ack.p95),
  ]);
}
const SOAK_VOTE_HEADER = ['vote', 'minute', 'items', 'screens', 'ballots counted', 'acked', 'ack p50 ms', 'ack p95 ms'];

function heldLine(label: string, s: SoakSample): string {
  return (
    `${label}: ${s.sockets} socket.io sockets, ${s.yjsConnections} Yjs connections, ${s.rooms} documents with connections, ` +
    `${s.docs} documents in memory (${s.idleDocs} waiting to be unloaded), ${s.yjsDevices} per-device entries in the Yjs endpoint; ` +
    `RSS ${mb(s.rssMb)}, JS heap ${mb(s.heapUsedMb)} of ${mb(s.heapTotalMb)}${s.collected ? ' after a full garbage collection' : ''}`
  );
}

function afterCloseLines(r: SoakResult): string[] {
  const a = r.afterClose;
  const why = (afterMs: number) =>
    afterMs >= a.recoveryMs ? " (socket.io's recovery buffer has expired)" : afterMs > a.idleUnloadMs ? ' (the unload delay is over)' : '';
  return [
    `soak, after everyone left (a document nobody has open stays in memory ${a.idleUnloadMs / 1000} s, then is unloaded): ` +
      `${a.freed ? 'all documents and sockets were let go' : 'NOT everything was let go'}`,
    heldLine('soak, before the evening, everyone connected', r.beforeEvening),
    ...a.samples.map((x) => heldLine(`soak, ${x.afterMs / 1000} s after everyone left${why(x.afterMs)}`, x.sample)),
  ];
}

function soakFacts({ app: r, loadAtStart }: NonNullable<RunResult['soak']>): string[] {
  const o = r.options;
  const c = r.counts;
  return [
    `soak: a 3-hour evening in ${o.minutes} minutes: ${o.tables} tables × ${o.tabletsPerTable} tablets (${r.setup.tablets} set up in ` +
      `${(r.setup.ms / 1000).toFixed(1)} s, ${r.setup.failed} failed), ${Math.min(o.procs, o.tables)} generator processes, load average at start ` +
      `${loadAtStart.toFixed(2)}; a sample every ${o.sampleEveryMs / 1000} s, the first ${one(r.warmupMinutes)} minutes are warm-up`,
    `soak: tablets: ${c.sleeps} sleeps (${c.wakes} came back with their token), ${c.reloads} reloads, ${c.leaves} left for good and ` +
      `${c.newJoins} new ones joined (${c.devices} devices in all), ${c.connectedAtEnd} connected at the end; connections the server dropped: ` +
      `${c.socketDrops} socket.io, ${c.yjsDrops} Yjs`,
    `soak: ${c.edits} edits, board changes refused: ${errorList(c.refusedWrites)}; ${r.votes.length} votes, ${c.ballotsSent} ballots sent, ` +
      `${c.ballotsAcked} acked (ack p50 ${ms(c.ack.p50)} ms, p95 ${ms(c.ack.p95)}, max ${ms(c.ack.max)}); ` +
      `errors: ${errorList(c.errors)}; facilitator: ${r.facilitatorErrors.length === 0 ? 'no errors' : r.facilitatorErrors.join('; ')}`,
    churnLine(r),
    `soak server: peak RSS ${mb(r.peakRssMb)}; generators: CPU ${pct(r.generators.cpuPct)} together, ` +
      `worst event-loop delay p99 ${ms(r.generators.loop.p99)} ms (max ${ms(r.generators.loop.max)})`,
    ...afterCloseLines(r),
  ];
}

function soakConsole(soak: NonNullable<RunResult['soak']>): string {
  const r = soak.app;
  const shown = soakSampleRows(r.samples).length;
  return [
    `Soak: server samples${shown < r.samples.length ? ` (${shown} of ${r.samples.length}, evenly spread; all in the JSON)` : ''}`,
    grid(SOAK_SAMPLE_HEADER, soakSampleRows(r.samples), [true, true, true, true, true, true, true, true, true]),
    '',
    `Soak: flat after warm-up? (${SOAK_TREND_NOTE}${shortRunNote(r)})`,
    grid(SOAK_TREND_HEADER, soakTrendRows(r), [false, true, true, true, false, false]),
    '',
    grid(SOAK_VOTE_HEADER, soakVoteRows(r), [true, true, true, true, true, true, true, true]),
    '',
    ...soakFacts(soak),
  ].join('\n');
}

function soakMarkdown(soak: NonNullable<RunResult['soak']>, table: (header: string[], rows: string[][]) => string): string {
  const r = soak.app;
  const shown = soakSampleRows(r.samples).length;
  return [
    `Soak: the server every ${r.options.sampleEveryMs / 1000} s` +
      `${shown < r.samples.length ? ` (${shown} of ${r.samples.length} samples, evenly spread; all in the JSON)` : ''}.`,
    '',
    table(SOAK_SAMPLE_HEADER, soakSampleRows(r.samples)),
    '',
    `Flat after warm-up? ${SOAK_TREND_NOTE[0]!.toUpperCase()}${SOAK_TREND_NOTE.slice(1)}${shortRunNote(r)}.`,
    '',
    table(
      SOAK_TREND_HEADER,
      soakTrendRows(r).map((row) => row.map((cell, i) => (i === 4 && cell !== 'flat after warm-up' ? `**${cell}**` : i === 5 ? `\`${cell}\`` : cell))),
    ),
    '',
    table(SOAK_VOTE_HEADER, soakVoteRows(r)),
    '',
    ...soakFacts(soak).map((f) => `- ${f}`),
  ].join('\n');
}
