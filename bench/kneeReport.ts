/** How the knee scenario reads: one row per rung for the app and for bare socket.io, then the knees and their ratio. */
import type { KneeLadder, KneeResult } from './scenarios/knee.js';

const ms = (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(1) : Math.round(x).toString()) : '–');

function rows(who: string, ladder: KneeLadder, limitMs: number): string[][] {
  return ladder.rungs.map((r) => [
    who,
    String(r.rate),
    String(Math.round(r.sentRate)),
    (r.windowMs / 1000).toFixed(2),
    ms(r.ack.p50),
    ms(r.ack.p95),
    `${r.acked} of ${r.sent}`,
    r.cpuPerBallotMs.toFixed(2),
    `${Math.round(r.cpuAvgPct)}%`,
    ms(r.phase.generators.p99),
    r.ack.p95 <= limitMs && r.acked === r.sent ? 'under' : '**over**',
  ]);
}

const HEADER = [
  'server',
  'rate asked /s',
  'rate sent /s',
  'window s',
  'ack p50 ms',
  'ack p95 ms',
  'acked',
  'CPU ms a ballot',
  'server CPU',
  'generator loop p99 ms',
  'limit',
];

const kneeText = (ladder: KneeLadder, last: number) =>
  ladder.knee === null ? `above ${last} ballots/s (the last rate tried)` : `${Math.round(ladder.knee)} ballots/s`;

/** The knees in words; the ratio only when both were found. */
export function kneeSummary(k: KneeResult): string {
  const last = k.options.rates.at(-1)!;
  const ratio = k.app.knee !== null && k.bare.knee !== null ? `; app / bare socket.io ${(k.app.knee / k.bare.knee).toFixed(2)}` : '';
  return (
    `knee (vote → ack p95 over ${k.options.limitMs} ms, ${k.options.voters} voters each voting once per rung): ` +
    `app ${kneeText(k.app, last)}, bare socket.io ${kneeText(k.bare, last)}${ratio}`
  );
}

export function kneeTable(k: KneeResult): { header: string[]; rows: string[][] } {
  return { header: HEADER, rows: [...rows('app', k.app, k.options.limitMs), ...rows('bare', k.bare, k.options.limitMs)] };
}
