/**
 * Builds the report model from plain session data. Free of I/O so it can be tested in depth;
 * server/report.ts gathers the data from the database and the table documents.
 *
 * Each section of the report is made by a function of its own, so adding a section is adding
 * one function and one line in `buildReport`.
 */
import { findStep, POINT_STEPS, type Agenda } from '../../shared/agenda.js';
import type { EvaluationSummary } from '../../shared/evaluation.js';
import { mergeRecords, type MergeRecord } from '../../shared/board.js';
import type { PlenaryView } from '../../shared/plenary.js';
import type { Participation, SessionKind, Theme } from '../../shared/protocol.js';
import {
  OTHER_THEME,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ReportMerge,
  type ReportPlenary,
  type ReportPoint,
  type ReportRound,
  type ReportVote,
} from '../../shared/report.js';
import { NO_EDITS, type ReportEdits } from '../../shared/reportEdits.js';
import type { BoardForReport } from './reportBoard.js';
import { timeline, type LogEntry } from './reportProcess.js';
import { recommendationsOf } from './reportVotes.js';

export interface ReportInput {
  session: {
    id: string;
    kind: SessionKind;
    title: string;
    question: string;
    place: string;
    participation: Participation | null;
    decides: string;
    createdAt: number;
    tables: number;
    themes: Theme[];
    agenda: Agenda;
    run: { status: Report['session']['status']; stepId: string | null };
  };
  /** Each table's board, by table number (see reportBoard.ts). */
  boards: Map<number, BoardForReport>;
  devicesByTable: Map<number, number>;
  /** The plenary board, if anything was harvested. */
  plenary?: PlenaryView;
  /** The merges on the plenary board (see mergesOf in shared/board.ts). */
  plenaryMerges?: MergeRecord[];
  votes: ReportVote[];
  evaluations?: EvaluationSummary[];
  notes?: string[];
  edits?: ReportEdits;
  events?: LogEntry[];
  now: number;
  timeZone?: string;
}

/** Label for points whose theme no longer exists, so no point silently drops out. */

export function localDate(ms: number, timeZone?: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

export function buildReport(input: ReportInput): Report {
  const rounds = roundsSection(input);
  const tables = tablesSection(input);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: new Date(input.now).toISOString(),
    session: contextSection(input),
    rounds,
    plenary: plenarySection(input),
    tables,
    votes: input.votes,
    recommendations: recommendationsOf(input.votes),
    merges: mergesSection(input),
    evaluations: input.evaluations ?? [],
    notes: input.notes ?? [],
    edits: input.edits ?? NO_EDITS,
    process: processSection(input),
    totals: {
      points: tables.reduce((s, t) => s + t.points, 0),
      devices: tables.reduce((s, t) => s + t.devices, 0),
      ballots: input.votes.reduce((s, v) => s + v.ballots, 0),
    },
  };
}

/** The merge trail: every table's merges in table order, then the plenary list's. */
function mergesSection(input: ReportInput): ReportMerge[] {
  const step = (id: string | null): ReportMerge['step'] => {
    const at = findStep(input.session.agenda, id);
    return at ? { type: at.step.type, title: at.step.title ?? null } : null;
  };
  const record = (table: number | null, m: MergeRecord): ReportMerge => ({
    table,
    fromTable: m.fromTable,
    point: m.point,
    merged: m.merged,
    by: m.by,
    step: step(m.step),
  });
  return [
    ...boardsInOrder(input).flatMap(([table, board]) => mergeRecords(board.visible).map((m) => record(table, m))),
    ...(input.plenaryMerges ?? []).map((m) => record(null, m)),
  ];
}

function plenarySection({ plenary }: ReportInput): ReportPlenary | null {
  if (!plenary || (plenary.points.length === 0 && plenary.hidden === 0)) return null;
  return {
    themes: plenary.themes
      .map((th) => ({
        id: th.id,
        label: th.label,
        points: plenary.points
          .filter((p) => p.theme === th.id)
          .map((p) => ({ text: p.text, count: p.count, tables: p.tables, merged: p.merged, cluster: p.cluster })),
      }))
      .filter((th) => th.points.length > 0),
    hidden: plenary.hidden,
  };
}

function contextSection({ session, timeZone }: ReportInput): Report['session'] {
  return {
    id: session.id,
    kind: session.kind,
    title: session.title,
    question: session.question,
    date: localDate(session.createdAt, timeZone),
    place: session.place.trim() || null,
    participation: session.participation,
    decides: session.decides.trim() || null,
    status: session.run.status,
    themes: session.themes,
  };
}

/** Boards of the session's own tables, in table order; boards of other numbers are ignored. */
function boardsInOrder(input: ReportInput): [number, BoardForReport][] {
  const out: [number, BoardForReport][] = [];
  for (let table = 1; table <= input.session.tables; table++) {
    const board = input.boards.get(table);
    if (board) out.push([table, board]);
  }
  return out;
}

function tablesSection(input: ReportInput): Report['tables'] {
  const boards = new Map(boardsInOrder(input));
  return Array.from({ length: input.session.tables }, (_, i) => i + 1).map((table) => ({
    table,
    devices: input.devicesByTable.get(table) ?? 0,
    points: boards.get(table)?.visible.length ?? 0,
  }));
}

function roundsSection(input: ReportInput): ReportRound[] {
  const { agenda, run, themes } = input.session;
  const roundIds = new Set(agenda.rounds.map((r) => r.id));
  const themeIds = new Set(themes.map((t) => t.id));
  const roundKey = (round: string | null) => (round !== null && roundIds.has(round) ? round : null);
  const themeOf = (theme: string) => (themeIds.has(theme) ? theme : OTHER_THEME.id);

  type Collected = { points: Map<string, ReportPoint[]>; hidden: number; tops: ReportRound['tops'] };
  const collected = new Map<string | null, Collected>();
  const slot = (round: string | null): Collected => {
    let c = collected.get(round);
    if (!c) collected.set(round, (c = { points: new Map(), hidden: 0, tops: [] }));
    return c;
  };

  for (const [table, board] of boardsInOrder(input)) {
    const byRound = new Map<string | null, typeof board.visible>();
    for (const p of board.visible) byRound.set(roundKey(p.round), [...(byRound.get(roundKey(p.round)) ?? []), p]);
    for (const round of board.hiddenRounds) slot(roundKey(round)).hidden += 1;
    for (const [round, points] of byRound) {
      const c = slot(round);
      for (const p of orderByCluster(points)) {
        const merged = p.merged.map((m) => m.text.trim());
        const entry = { id: p.id, table, text: p.text.trim(), count: 1 + merged.length, merged, cluster: p.cluster };
        const theme = themeOf(p.theme);
        c.points.set(theme, [...(c.points.get(theme) ?? []), entry]);
      }
    }
    const byId = new Map(board.visible.map((p) => [p.id, p]));
    const roundsWithTop = new Set(Object.keys(board.tops).filter((r) => roundIds.has(r)));
    for (const round of new Set([...byRound.keys(), ...roundsWithTop])) {
      if (round === null) continue;
      const top = (board.tops[round] ?? []).flatMap((id) => {
        const p = byId.get(id);
        return p ? [{ id, theme: themeOf(p.theme), text: p.text.trim() }] : [];
      });
      slot(round).tops.push({ table, points: top });
    }
  }

  const current = findStep(agenda, run.stepId)?.roundIndex ?? -1;
  const reached = (index: number) => run.status === 'ended' || (run.status === 'running' && index <= current);
  const toRound = (id: string | null, number: number | null, title: string | null, question: string | null): ReportRound => {
    const c = collected.get(id) ?? { points: new Map<string, ReportPoint[]>(), hidden: 0, tops: [] };
    const listed = themes.map((t) => ({ id: t.id, label: t.label, points: c.points.get(t.id) ?? [] }));
    const other = c.points.get(OTHER_THEME.id);
    if (other) listed.push({ ...OTHER_THEME, points: other });
    return { id, number, title, question, themes: listed, points: listed.reduce((s, t) => s + t.points.length, 0), hidden: c.hidden, tops: c.tops };
  };

  const out: ReportRound[] = [];
  agenda.rounds.forEach((round, index) => {
    // A round in which tables could write is listed once reached, even without points, so
    // readers see that nothing came out of it rather than wonder whether it happened.
    const collects = round.steps.some((s) => POINT_STEPS.has(s.type));
    if (!collected.has(round.id) && !(collects && reached(index))) return;
    out.push(toRound(round.id, index + 1, round.title ?? null, round.question ?? null));
  });
  if (collected.has(null)) out.push(toRound(null, null, null, null));
  return out;
}

/** Points without a sub-theme first, then each sub-theme in the order it first appears. */
function orderByCluster<T extends { cluster: string | null }>(points: readonly T[]): T[] {
  const clusters = [...new Set(points.map((p) => p.cluster).filter((c) => c !== null))];
  return [...points].sort((a, b) => (a.cluster === null ? -1 : clusters.indexOf(a.cluster)) - (b.cluster === null ? -1 : clusters.indexOf(b.cluster)));
}

function processSection(input: ReportInput): Report['process'] {
  return {
    timeline: timeline(input.events ?? [], input.session.agenda, input.timeZone),
    methods: [...new Set(input.votes.map((v) => v.method))],
  };
}
