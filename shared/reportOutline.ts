/**
 * The report as a document outline: headings, paragraphs, lists, tables and charts, worded in
 * one language. HTML, Markdown and Word render this same outline, so the three always say the
 * same thing in the same order; each renderer only decides how a block looks and escapes text.
 */
import { EVALUATION_QUESTIONS } from './evaluation.js';
import { MIN_VOTERS_SHOWN } from './protocol.js';
import { OTHER_THEME, type Report, type ReportLanguage, type ReportRound, type ReportVote } from './report.js';
import { REPORT_TEXT, type ReportText } from './reportText.js';

export interface ListItem {
  text: string;
  /** Shown after the text, e.g. "3 keer genoemd". */
  note?: string;
  sub?: string[];
}

export interface Bar {
  label: string;
  value: number;
  /** The value as shown beside the bar. */
  text: string;
}

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string; pageBreak?: boolean }
  | { kind: 'paragraph'; text: string; tone?: 'notice' | 'quiet' }
  /** A short bold line that introduces the list after it, e.g. "Tafel 2". */
  | { kind: 'label'; text: string }
  | { kind: 'facts'; rows: { label: string; value: string }[] }
  | { kind: 'list'; items: ListItem[]; ordered?: boolean }
  | { kind: 'table'; columns: { label: string; numeric?: boolean }[]; rows: string[][] }
  /**
   * HTML draws a chart as bars. The other formats show it as a table with the headers in
   * `asTable`, or leave it out when that is null because a table beside it has the same numbers.
   */
  | { kind: 'chart'; title: string; bars: Bar[]; max: number; threshold?: number; asTable: { label: string; value: string } | null };

/** A chart as a table, for the formats that draw no charts. */
export function chartTable(chart: Extract<Block, { kind: 'chart' }>, headers: { label: string; value: string }): Extract<Block, { kind: 'table' }> {
  return {
    kind: 'table',
    columns: [{ label: headers.label }, { label: headers.value, numeric: true }],
    rows: chart.bars.map((b) => [b.label, b.text]),
  };
}

/** Most bars in one chart, so it fits on a printed page; the table lists every item. */
export const CHART_BARS = 12;

export function reportDocument(report: Report, lang: ReportLanguage): Block[] {
  const t = REPORT_TEXT[lang];
  return [
    ...contextBlocks(report, t),
    ...report.rounds.flatMap((round, i) => roundBlocks(report, round, t, i > 0)),
    ...plenaryBlocks(report, t),
    ...votesBlocks(report, t),
    ...recommendationBlocks(report, t),
    ...evaluationBlocks(report, t),
    ...notesBlocks(report, t),
    ...processBlocks(report, t),
  ];
}

/**
 * Text as one clean line: no control characters (which Word cannot even open) and no line
 * breaks (which would end a Markdown list item or table row early).
 */
export function cleanText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g, ' ')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/\s+/g, ' ')
    .trim();
}

export function formatNumber(n: number, t: ReportText): string {
  return new Intl.NumberFormat(t.locale, { maximumFractionDigits: 1 }).format(n);
}

const pct = (n: number | null | undefined, t: ReportText) => (n === null || n === undefined ? '–' : `${formatNumber(n, t)}%`);

function longDate(isoDate: string, t: ReportText): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Intl.DateTimeFormat(t.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(y!, m! - 1, d!));
}

export function themeLabel(report: Report, id: string | null, t: ReportText): string {
  if (id === null) return '';
  if (id === OTHER_THEME.id) return t.otherTheme;
  return report.session.themes.find((th) => th.id === id)?.label ?? t.otherTheme;
}

function contextBlocks(report: Report, t: ReportText): Block[] {
  const s = report.session;
  const out: Block[] = [{ kind: 'heading', level: 1, text: t.heading(s.kind, s.title) }];
  if (t.preview[s.status]) out.push({ kind: 'paragraph', text: t.preview[s.status], tone: 'notice' });
  out.push({
    kind: 'facts',
    rows: [
      { label: t.question, value: s.question },
      { label: t.date, value: longDate(s.date, t) },
      { label: t.place, value: s.place ?? t.notStated },
      { label: t.kind, value: t.kinds[s.kind] },
      { label: t.participation, value: s.participation ? t.participationLevels[s.participation] : t.notStated },
      { label: t.decides, value: s.decides ?? t.notStated },
    ],
  });
  const roundsWithPoints = report.rounds.filter((r) => r.number !== null).length;
  out.push({ kind: 'paragraph', text: t.summary(report.totals.points, roundsWithPoints, report.tables.length, report.totals.devices) });
  return out;
}

function roundBlocks(report: Report, round: ReportRound, t: ReportText, pageBreak: boolean): Block[] {
  const out: Block[] = [{ kind: 'heading', level: 2, text: t.round(round.number, round.title), pageBreak }];
  if (round.question) out.push({ kind: 'facts', rows: [{ label: t.roundQuestion, value: round.question }] });
  out.push({ kind: 'paragraph', text: round.points === 0 ? t.noPointsInRound : t.roundPoints(round.points) });
  if (round.hidden > 0) out.push({ kind: 'paragraph', text: t.hidden(round.hidden), tone: 'quiet' });
  if (round.points === 0) return out;

  const label = (id: string, fallback: string) => (id === OTHER_THEME.id ? t.otherTheme : fallback);
  out.push({
    kind: 'chart',
    title: t.pointsPerTheme,
    bars: round.themes.map((th) => ({ label: label(th.id, th.label), value: th.points.length, text: String(th.points.length) })),
    max: Math.max(...round.themes.map((th) => th.points.length)),
    asTable: { label: t.theme, value: t.points },
  });
  for (const theme of round.themes) {
    out.push({ kind: 'heading', level: 3, text: label(theme.id, theme.label) });
    if (theme.points.length === 0) {
      out.push({ kind: 'paragraph', text: t.noPoints });
      continue;
    }
    for (const table of [...new Set(theme.points.map((p) => p.table))]) {
      const points = theme.points.filter((p) => p.table === table);
      for (const cluster of [...new Set(points.map((p) => p.cluster))]) {
        out.push({ kind: 'label', text: cluster === null ? t.table(table) : `${t.table(table)} · ${t.cluster(cluster)}` });
        out.push({
          kind: 'list',
          items: points
            .filter((p) => p.cluster === cluster)
            .map((p) => ({ text: p.text, ...(p.count > 1 && { note: t.times(p.count) }), ...(p.merged.length > 0 && { sub: p.merged }) })),
        });
      }
    }
  }

  if (round.tops.length > 0) {
    out.push({ kind: 'heading', level: 3, text: t.topsHeading }, { kind: 'paragraph', text: t.topsIntro });
    for (const top of round.tops) {
      out.push({ kind: 'label', text: t.table(top.table) });
      out.push(
        top.points.length === 0
          ? { kind: 'paragraph', text: t.noTop, tone: 'quiet' }
          : { kind: 'list', ordered: true, items: top.points.map((p) => ({ text: p.text, note: themeLabel(report, p.theme, t) })) },
      );
    }
  }
  return out;
}

/** The plenary board, theme by theme, each point with the tables it came from. */
function plenaryBlocks(report: Report, t: ReportText): Block[] {
  const plenary = report.plenary;
  if (!plenary) return [];
  const points = plenary.themes.reduce((n, th) => n + th.points.length, 0);
  const out: Block[] = [
    { kind: 'heading', level: 2, text: t.plenaryHeading, pageBreak: true },
    { kind: 'paragraph', text: t.plenaryIntro(points) },
  ];
  if (plenary.hidden > 0) out.push({ kind: 'paragraph', text: t.hidden(plenary.hidden), tone: 'quiet' });
  for (const theme of plenary.themes) {
    out.push({ kind: 'heading', level: 3, text: theme.label });
    out.push({
      kind: 'list',
      items: theme.points.map((p) => ({
        text: p.cluster === null ? p.text : `${p.text} (${t.cluster(p.cluster)})`,
        note: [p.tables.length > 0 ? t.fromTables(p.tables) : t.writtenInPlenary, ...(p.count > 1 ? [t.times(p.count)] : [])].join(' · '),
        ...(p.merged.length > 0 && { sub: p.merged }),
      })),
    });
  }
  return out;
}

type Result = ReportVote['results'][number];

/** The columns of a vote's results table; each method shows its own counters. */
function resultTable(report: Report, vote: ReportVote, t: ReportText): Extract<Block, { kind: 'table' }> {
  const n = (v: number | undefined) => formatNumber(v ?? 0, t);
  const lead = (r: Result) => [r.tied ? `${r.rank} (${t.tie})` : String(r.rank), r.text, r.table === null ? '–' : String(r.table)];
  const leadColumns = [
    { label: t.rank, numeric: true },
    { label: vote.method === 'recommendations' ? t.recommendation : t.point },
    { label: t.tableColumn, numeric: true },
  ];
  const theme = (r: Result) => themeLabel(report, r.theme, t);
  const table = (columns: { label: string; numeric?: boolean }[], row: (r: Result) => string[]): Extract<Block, { kind: 'table' }> => ({
    kind: 'table',
    columns: [...leadColumns, ...columns],
    // Items nobody gave a dot or a point collapse into one line after the table (see votesBlocks).
    rows: withoutUnscored(vote).map((r) => [...lead(r), ...row(r)]),
  });
  switch (vote.method) {
    case 'dots':
      return table([{ label: t.theme }, { label: t.score.dots, numeric: true }], (r) => [theme(r), n(r.total ?? r.score)]);
    case 'points':
      return table([{ label: t.theme }, { label: t.score.points, numeric: true }], (r) => [theme(r), n(r.points ?? r.score)]);
    case 'ranking':
      return table(
        [{ label: t.theme }, { label: t.score.ranking, numeric: true }, { label: t.firsts, numeric: true }],
        (r) => [theme(r), n(r.borda ?? r.score), n(r.firsts)],
      );
    case 'recommendations':
      return table(
        [
          { label: t.support, numeric: true },
          { label: t.oppose, numeric: true },
          { label: t.abstain, numeric: true },
          { label: t.supportPct, numeric: true },
          { label: t.adopted },
        ],
        (r) => [n(r.support), n(r.oppose), n(r.abstain), pct(r.supportPct, t), r.adopted ? t.yes : t.no],
      );
  }
}

/** Dots and points: the items somebody chose. Other methods rank every item. */
function withoutUnscored(vote: ReportVote): Result[] {
  return vote.method === 'dots' || vote.method === 'points' ? vote.results.filter((r) => r.score > 0) : vote.results;
}

/** "11 punten kregen geen stippen", or nothing. */
function unscoredLine(vote: ReportVote, t: ReportText): Block[] {
  const n = vote.results.length - withoutUnscored(vote).length;
  return n > 0 && (vote.method === 'dots' || vote.method === 'points') ? [{ kind: 'paragraph', text: t.unscored(n, vote.method), tone: 'quiet' }] : [];
}

/** Places shared by items that were chosen at all; a tie among items nobody chose says nothing. */
export function tieGroups(vote: ReportVote): { rank: number; count: number }[] {
  const groups = new Map<number, number>();
  for (const r of vote.results) if (r.tied && r.score > 0) groups.set(r.rank, (groups.get(r.rank) ?? 0) + 1);
  return [...groups].map(([rank, count]) => ({ rank, count }));
}

function votesBlocks(report: Report, t: ReportText): Block[] {
  const out: Block[] = [{ kind: 'heading', level: 2, text: t.votesHeading, pageBreak: report.rounds.length > 0 }];
  if (report.votes.length === 0) return [...out, { kind: 'paragraph', text: t.noVotes }];
  report.votes.forEach((vote, i) => {
    out.push({ kind: 'heading', level: 3, text: t.vote(i + 1, vote.method) });
    const how = [t.rules(vote), t.source[vote.source], vote.round === null ? '' : t.inRound(vote.round, vote.roundTitle, vote.stepTitle)];
    // Per-table votes are ranked per table; a shared place across tables would mean nothing.
    const ties = vote.source === 'table' ? '' : t.ties(tieGroups(vote));
    const outcome = [t.voteStatus[vote.status], t.turnout(vote.ballots, vote.eligible, vote.turnout), ties];
    out.push({ kind: 'paragraph', text: how.filter(Boolean).join(' ') }, { kind: 'paragraph', text: outcome.filter(Boolean).join(' ') });
    if (vote.source === 'table') {
      for (const table of vote.tables) {
        out.push({ kind: 'label', text: t.tableBallots(table.table, table.ballots) });
        const own = { ...vote, results: vote.results.filter((r) => r.table === table.table) };
        if (table.withheld) out.push({ kind: 'paragraph', text: t.withheld(MIN_VOTERS_SHOWN), tone: 'quiet' });
        else out.push(resultTable(report, own, t), ...unscoredLine(own, t));
      }
      return;
    }
    const recommendations = vote.method === 'recommendations';
    // Items nobody chose would only be empty bars; the table lists them.
    const shown = vote.results.filter((r) => r.score > 0).slice(0, CHART_BARS);
    if (shown.length > 0) {
      out.push({
        kind: 'chart',
        title: t.chartOf(shown.length, vote.results.length),
        bars: shown.map((r) => ({
          label: r.text,
          value: Math.max(0, recommendations ? (r.supportPct ?? 0) : r.score),
          text: recommendations ? pct(r.supportPct, t) : formatNumber(r.score, t),
        })),
        max: recommendations ? 100 : Math.max(...shown.map((r) => r.score)),
        ...(recommendations && vote.rules.threshold !== undefined && { threshold: vote.rules.threshold }),
        asTable: null,
      });
    }
    out.push(resultTable(report, vote, t), ...unscoredLine(vote, t));
  });
  return out;
}

function recommendationBlocks(report: Report, t: ReportText): Block[] {
  const recs = report.recommendations;
  if (recs.length === 0) return [];
  return [
    { kind: 'heading', level: 2, text: t.recommendationsHeading },
    { kind: 'paragraph', text: t.recommendationsIntro(recs.filter((r) => r.adopted).length, recs.length) },
    {
      kind: 'table',
      columns: [
        { label: t.recommendation },
        { label: t.support, numeric: true },
        { label: t.oppose, numeric: true },
        { label: t.abstain, numeric: true },
        { label: t.supportPct, numeric: true },
        { label: t.threshold, numeric: true },
        { label: t.adopted },
      ],
      rows: recs.map((r) => [r.text, String(r.support), String(r.oppose), String(r.abstain), pct(r.supportPct, t), pct(r.threshold, t), r.adopted ? t.yes : t.no]),
    },
  ];
}

function evaluationBlocks(report: Report, t: ReportText): Block[] {
  if (report.evaluations.length === 0) return [];
  const out: Block[] = [{ kind: 'heading', level: 2, text: t.evaluationHeading }];
  report.evaluations.forEach((ev, i) => {
    if (report.evaluations.length > 1) out.push({ kind: 'heading', level: 3, text: `${t.evaluationHeading} ${i + 1}` });
    out.push({ kind: 'paragraph', text: t.evaluationResponses(ev.responses) });
    const questions = EVALUATION_QUESTIONS.map((id) => ev.questions.find((q) => q.id === id)).filter((q) => q !== undefined);
    if (questions.some((q) => q.average !== null)) {
      out.push({
        kind: 'chart',
        title: t.evaluationAverage,
        bars: questions.map((q) => ({ label: t.evaluationQuestions[q.id], value: q.average ?? 0, text: q.average === null ? '–' : formatNumber(q.average, t) })),
        max: 5,
        asTable: null,
      });
    }
    out.push({
      kind: 'table',
      columns: [{ label: t.evaluationQuestion }, { label: t.evaluationAverage, numeric: true }, { label: t.evaluationCounts }],
      rows: questions.map((q) => [t.evaluationQuestions[q.id], q.average === null ? '–' : formatNumber(q.average, t), q.counts.join(' · ')]),
    });
    if (ev.remarks.length > 0) {
      out.push({ kind: 'label', text: t.evaluationRemarks }, { kind: 'list', items: ev.remarks.map((text) => ({ text })) });
    }
  });
  return out;
}

function notesBlocks(report: Report, t: ReportText): Block[] {
  return [
    { kind: 'heading', level: 2, text: t.notesHeading },
    report.notes.length === 0 ? { kind: 'paragraph', text: t.noNotes } : { kind: 'list', items: report.notes.map((text) => ({ text })) },
  ];
}

function processBlocks(report: Report, t: ReportText): Block[] {
  const stepName = (e: Report['process']['timeline'][number]) => {
    const type = e.stepType ? t.steps[e.stepType] : '';
    return e.stepTitle ? `${e.stepTitle} (${type})` : type;
  };
  const generated = new Date(report.generatedAt);
  const out: Block[] = [
    { kind: 'heading', level: 2, text: t.processHeading, pageBreak: true },
    { kind: 'heading', level: 3, text: t.timelineHeading },
    report.process.timeline.length === 0
      ? { kind: 'paragraph', text: t.noTimeline }
      : {
          kind: 'table',
          columns: [{ label: t.time }, { label: t.what }, { label: t.duration, numeric: true }],
          rows: report.process.timeline.map((e) => [e.time, t.event(e, stepName(e)), e.minutes === null ? '' : t.minutes(e.minutes)]),
        },
    { kind: 'heading', level: 3, text: t.tablesHeading },
    {
      kind: 'table',
      columns: [
        { label: t.tableColumn, numeric: true },
        { label: t.devices, numeric: true },
        { label: t.points, numeric: true },
      ],
      rows: report.tables.map((r) => [String(r.table), String(r.devices), String(r.points)]),
    },
    { kind: 'paragraph', text: t.devicesNote, tone: 'quiet' },
    { kind: 'heading', level: 3, text: t.methodsHeading },
    report.process.methods.length === 0
      ? { kind: 'paragraph', text: t.noVotes }
      : { kind: 'list', items: report.process.methods.map((m) => ({ text: t.methods[m] })) },
    { kind: 'heading', level: 3, text: t.anonymityHeading },
    ...t.anonymity.map((text): Block => ({ kind: 'paragraph', text })),
    {
      kind: 'paragraph',
      tone: 'quiet',
      text: t.generated(
        new Intl.DateTimeFormat(t.locale, { dateStyle: 'long' }).format(generated),
        new Intl.DateTimeFormat(t.locale, { timeStyle: 'short' }).format(generated),
      ),
    },
  ];
  return out;
}
