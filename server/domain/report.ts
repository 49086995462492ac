/**
 * Builds the report model from plain session data. Free of I/O so it can be tested in depth;
 * server/report.ts gathers the data from the database and the table documents.
 */
import type { PointData } from '../../shared/board.js';
import type { EvaluationSummary } from '../../shared/evaluation.js';
import { rankTotals } from '../../shared/dots.js';
import type { SessionKind, Theme, VoteItem } from '../../shared/protocol.js';
import { REPORT_SCHEMA_VERSION, type Report, type ReportVote } from '../../shared/report.js';

export interface ReportInput {
  session: { id: string; kind: SessionKind; title: string; question: string; createdAt: number; tables: number };
  themes: Theme[];
  /** Points per table number, as read from each table's board (duplicates merged in, if any). */
  pointsByTable: Map<number, (PointData & { merged?: PointData[]; cluster?: string | null })[]>;
  devicesByTable: Map<number, number>;
  votes: {
    id: string;
    status: 'open' | 'closed';
    budget: number;
    maxPerItem: number;
    openedAt: number;
    closedAt: number | null;
    items: VoteItem[];
    totals: Record<string, number>;
    ballots: number;
    eligible: number;
  }[];
  evaluations?: EvaluationSummary[];
  now: number;
  timeZone?: string;
}

/** Label for points whose theme no longer exists, so no point silently drops out. */
export const OTHER_THEME = { id: '_overig', label: 'Overig' };

export function localDate(ms: number, timeZone?: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

export function buildReport(input: ReportInput): Report {
  const themeIds = new Set(input.themes.map((t) => t.id));
  const byTheme = new Map<string, Report['themes'][number]['points']>(input.themes.map((t) => [t.id, []]));
  const other: Report['themes'][number]['points'] = [];
  const tables: Report['tables'] = [];
  let totalPoints = 0;

  for (let table = 1; table <= input.session.tables; table++) {
    // Hidden points were taken off the board by the table host; empty ones were never written.
    const points = (input.pointsByTable.get(table) ?? []).filter((p) => !p.hidden && p.text.trim() !== '');
    totalPoints += points.length;
    tables.push({ table, devices: input.devicesByTable.get(table) ?? 0, points: points.length });
    for (const p of points) {
      const merged = (p.merged ?? []).map((m) => m.text.trim());
      const entry = { id: p.id, table, text: p.text.trim(), count: 1 + merged.length, merged, cluster: p.cluster ?? null };
      (themeIds.has(p.theme) ? byTheme.get(p.theme)! : other).push(entry);
    }
  }

  const themes: Report['themes'] = input.themes.map((t) => ({ id: t.id, label: t.label, points: byTheme.get(t.id)! }));
  if (other.length > 0) themes.push({ ...OTHER_THEME, points: other });

  const votes = input.votes.map((v): ReportVote => {
    const itemsById = new Map(v.items.map((i) => [i.id, i]));
    const ranked = rankTotals(
      v.items.map((i) => i.id),
      v.totals,
    );
    return {
      id: v.id,
      method: 'dots',
      status: v.status,
      budget: v.budget,
      maxPerItem: v.maxPerItem,
      openedAt: new Date(v.openedAt).toISOString(),
      closedAt: v.closedAt === null ? null : new Date(v.closedAt).toISOString(),
      ballots: v.ballots,
      eligible: v.eligible,
      dotsCast: ranked.reduce((s, r) => s + r.total, 0),
      results: ranked.map((r) => {
        const item = itemsById.get(r.id)!;
        return { itemId: r.id, table: item.table, theme: item.theme, text: item.text, total: r.total, rank: r.rank, tied: r.tied };
      }),
    };
  });

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: new Date(input.now).toISOString(),
    session: {
      id: input.session.id,
      kind: input.session.kind,
      title: input.session.title,
      question: input.session.question,
      date: localDate(input.session.createdAt, input.timeZone),
    },
    themes,
    tables,
    votes,
    evaluations: input.evaluations ?? [],
    totals: {
      points: totalPoints,
      devices: tables.reduce((s, t) => s + t.devices, 0),
      ballots: votes.reduce((s, v) => s + v.ballots, 0),
    },
  };
}
