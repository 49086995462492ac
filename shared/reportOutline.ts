/**
 * The report as a document outline: headings, paragraphs, lists, tables and charts, worded in
 * one language. Every format (Word, PDF, spreadsheet, HTML, Markdown) and the report page render
 * this same outline, so they say the same thing in the same order; a renderer only decides how
 * a block looks and escapes text.
 */
import { EVALUATION_QUESTIONS } from './evaluation.js';
import { MIN_VOTERS_SHOWN } from './protocol.js';
import { OTHER_THEME, type Report, type ReportLanguage, type ReportVersion, type ReportVote } from './report.js';
import { groupsByPoint, mainThemes, pointKey, reportThemes, sameText, themeName, type MainPoint, type MainTheme } from './reportPoints.js';
import { REPORT_TEXT, type ReportText } from './reportText.js';
import { converging } from './plenary.js';
import { scaleColors } from './scale.js';
import { DIVIDED_SPREAD } from './tally.js';

export interface ListItem {
  text: string;
  /** The main text's point (see reportPoints.ts), so the report page can offer its edits. */
  key?: string;
  /** Shown after the text, e.g. "3 keer genoemd". */
  note?: string;
  sub?: string[];
}

export interface Bar {
  label: string;
  value: number;
  /** The value as shown beside the bar. */
  text: string;
  /** A stacked bar: the parts of `value`, one per entry of the chart's legend, in order. */
  segments?: number[];
}

/** A table cell: text, or a number with the text it is shown as (so a spreadsheet can keep the number). */
export type Cell = string | { text: string; value: number; percent?: boolean };

export const cellText = (cell: Cell): string => (typeof cell === 'string' ? cell : cell.text);

export type Block =
  /** `key`: the theme a main-text heading names, so the report page can offer renaming it. */
  | { kind: 'heading'; level: 1 | 2 | 3; text: string; pageBreak?: boolean; key?: string }
  | { kind: 'paragraph'; text: string; tone?: 'notice' | 'quiet' }
  /** A short bold line that introduces the list after it, e.g. "Tafel 2". */
  | { kind: 'label'; text: string }
  | { kind: 'facts'; rows: { label: string; value: string }[] }
  | { kind: 'list'; items: ListItem[]; ordered?: boolean }
  | { kind: 'table'; columns: { label: string; numeric?: boolean }[]; rows: Cell[][] }
  /**
   * HTML draws a chart as bars. The other formats show it as a table with the headers in
   * `asTable`, or leave it out when that is null because a table beside it has the same numbers.
   */
  | {
      kind: 'chart';
      title: string;
      bars: Bar[];
      max: number;
      threshold?: number;
      asTable: { label: string; value: string } | null;
      /** Stacked bars: what each segment stands for, with its colour (see shared/scale.ts). */
      legend?: { label: string; color: string }[];
    };

/** A chart as a table, for the formats that draw no charts. */
export function chartTable(chart: Extract<Block, { kind: 'chart' }>, headers: { label: string; value: string }): Extract<Block, { kind: 'table' }> {
  return {
    kind: 'table',
    columns: [{ label: headers.label }, { label: headers.value, numeric: true }],
    rows: chart.bars.map((b) => [b.label, { text: b.text, value: b.value }]),
  };
}

/** Most bars in one chart, so it fits on a printed page; the table lists every item. */
export const CHART_BARS = 12;

/** What a title page shows; HTML and Markdown show it as the document's first heading. */
/** What a title page shows; HTML and Markdown show it as the document's first heading. */
export interface Cover {
  /** e.g. "Verslag thematafel ‘…’". */
  heading: string;
  /** The municipality or organisation that held the session, if the organiser named it. */
  organisation: string | null;
  date: string;
  place: string | null;
  /** Said on the cover: a preliminary report while the session runs; the public version. */
  notice: string | null;
}

export interface Outline {
  lang: ReportLanguage;
  cover: Cover;
  blocks: Block[];
}

export interface OutlineOptions {
  /** The version for publication (Woo): no per-table breakdown, no evaluation remarks, no originals of reworded points. */
  version?: ReportVersion;
}

/** What every section needs: the report, its wording, the version, and the main text's lists. */
interface Ctx {
  report: Report;
  t: ReportText;
  isPublic: boolean;
  main: MainTheme[];
  /** Point key → its group in the main text. */
  groupOf: Map<string, MainPoint>;
}

/**
 * The main text first, the way seed report 001 reads: the meeting, the organiser's
 * introduction and summary, (for a burgerberaad) the recommendations, then per theme one list,
 * the tables' top 3, the votes, tips and actions, the evaluation. Per-round and per-table
 * detail, the plenary board and the process follow as appendices.
 */
export function reportOutline(report: Report, lang: ReportLanguage, options: OutlineOptions = {}): Outline {
  const t = REPORT_TEXT[lang];
  const s = report.session;
  const main = mainThemes(report, t.otherTheme);
  const groupOf = groupsByPoint(main);
  const ctx: Ctx = { report, t, isPublic: options.version === 'public', main, groupOf };
  const notice = [t.preview[s.status], ctx.isPublic ? t.publicNotice : ''].filter(Boolean).join(' ');
  const organisation = report.edits.organisation;
  return {
    lang,
    cover: { heading: t.heading(s.kind, s.title), organisation: organisation || null, date: longDate(s.date, t), place: s.place, notice: notice || null },
    blocks: [
      ...contextBlocks(ctx),
      ...summaryBlocks(ctx),
      ...(s.kind === 'burgerberaad' ? recommendationBlocks(ctx) : []),
      ...mainPointBlocks(ctx),
      ...topsBlocks(ctx),
      ...convergingBlocks(ctx),
      ...votesBlocks(ctx),
      ...(s.kind === 'burgerberaad' ? [] : recommendationBlocks(ctx)),
      ...notesBlocks(ctx),
      ...evaluationBlocks(ctx),
      ...appendixPointBlocks(ctx),
      ...plenaryBlocks(ctx),
      ...mergeBlocks(ctx),
      ...processBlocks(ctx),
    ],
  };
}

/**
 * Text as one clean line: no control characters (which Word cannot even open) and no line
 * breaks (which would end a Markdown list item or table row early).
 */
export function cleanText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g, ' ')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

export function formatNumber(n: number, t: ReportText, digits = 1): string {
  return new Intl.NumberFormat(t.locale, { maximumFractionDigits: digits }).format(n);
}

const pct = (n: number | null | undefined, t: ReportText) => (n === null || n === undefined ? '–' : `${formatNumber(n, t)}%`);
/** A number cell; a missing percentage stays a dash. */
const num = (n: number, t: ReportText): Cell => ({ text: formatNumber(n, t), value: n });
const pctCell = (n: number | null | undefined, t: ReportText): Cell => (n === null || n === undefined ? '–' : { text: pct(n, t), value: n, percent: true });

function longDate(isoDate: string, t: ReportText): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Intl.DateTimeFormat(t.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(y!, m! - 1, d));
}

/** A theme as this report names it (renamed by the organiser, or its own label). */
export function themeLabel(report: Report, id: string | null, t: ReportText): string {
  if (id === null) return '';
  if (id === OTHER_THEME.id) return themeName(report, id, t.otherTheme);
  const theme = report.session.themes.find((th) => th.id === id);
  return theme ? themeName(report, id, theme.label) : t.otherTheme;
}

/** Paragraphs as the organiser typed them, a blank line apart. */
const paragraphs = (text: string): Block[] =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p): Block => ({ kind: 'paragraph', text: p }));

function contextBlocks({ report, t }: Ctx): Block[] {
  const s = report.session;
  const edits = report.edits;
  const roundsWithPoints = report.rounds.filter((r) => r.number !== null).length;
  const out: Block[] = [{ kind: 'heading', level: 2, text: edits.introduction ? t.introductionHeading : t.contextHeading }];
  out.push(...paragraphs(edits.introduction));
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
  out.push({ kind: 'paragraph', text: t.summary(report.totals.points, roundsWithPoints, report.tables.length, report.totals.devices) });
  return out;
}

function summaryBlocks({ report, t }: Ctx): Block[] {
  const summary = report.edits.summary;
  return summary ? [{ kind: 'heading', level: 2, text: t.summaryHeading }, ...paragraphs(summary)] : [];
}

/** Per theme one list over all tables and rounds, duplicates said once. */
function mainPointBlocks({ t, main }: Ctx): Block[] {
  const out: Block[] = [{ kind: 'heading', level: 2, text: t.pointsHeading }];
  const withPoints = main.filter((th) => th.points.some((p) => !p.omitted));
  if (withPoints.length === 0) return [...out, { kind: 'paragraph', text: t.noMainPoints }];
  out.push({ kind: 'paragraph', text: t.pointsIntro(withPoints.map((th) => th.label)) });
  const counts = withPoints.map((th) => ({ label: th.label, n: th.points.filter((p) => !p.omitted).length }));
  if (withPoints.length > 1) {
    out.push({
      kind: 'chart',
      title: t.pointsPerTheme,
      bars: counts.map((c) => ({ label: c.label, value: c.n, text: String(c.n) })),
      max: Math.max(...counts.map((c) => c.n)),
      asTable: { label: t.theme, value: t.points },
    });
  }
  for (const theme of withPoints) {
    out.push({ kind: 'heading', level: 3, text: theme.label, key: theme.id });
    out.push({
      kind: 'list',
      items: theme.points
        .filter((p) => !p.omitted)
        .map((p) => ({
          text: p.text,
          key: p.key,
          ...(p.tables.length > 1 ? { note: t.raisedAt(p.tables.length) } : p.count > 1 ? { note: t.times(p.count) } : {}),
        })),
    });
  }
  return out;
}

/** Text of a point in the main text's words (reworded if the organiser did). */
function asReported({ groupOf }: Ctx, table: number | null, id: string, text: string): string {
  if (table === null) return text;
  const g = groupOf.get(pointKey(table, id));
  return g?.reworded ? g.text : text;
}

/** Each table's own top 3, per round. A per-table breakdown: not in the public version. */
function topsBlocks(ctx: Ctx): Block[] {
  const { report, t } = ctx;
  const rounds = report.rounds.filter((r) => r.tops.length > 0);
  if (rounds.length === 0 || ctx.isPublic) return [];
  const out: Block[] = [
    { kind: 'heading', level: 2, text: t.topsHeading },
    { kind: 'paragraph', text: t.topsIntro },
  ];
  for (const round of rounds) {
    if (rounds.length > 1) out.push({ kind: 'heading', level: 3, text: t.round(round.number, round.title) });
    for (const top of round.tops) {
      out.push({ kind: 'label', text: t.table(top.table) });
      out.push(
        top.points.length === 0
          ? { kind: 'paragraph', text: t.noTop, tone: 'quiet' }
          : {
              kind: 'list',
              ordered: true,
              items: top.points.map((p) => ({ text: asReported(ctx, top.table, p.id, p.text), note: themeLabel(report, p.theme, t) })),
            },
      );
    }
  }
  return out;
}

/** The appendix: every point as written, per round, theme and table, with what the main text did with it. */
function appendixPointBlocks(ctx: Ctx): Block[] {
  const { report, t, isPublic } = ctx;
  // Per table and with the originals of reworded points: the public version leaves it out.
  if (report.rounds.length === 0 || isPublic) return [];
  const out: Block[] = [
    { kind: 'heading', level: 2, text: t.appendixPointsHeading, pageBreak: true },
    { kind: 'paragraph', text: t.appendixPointsIntro },
  ];
  const themes = reportThemes(report, t.otherTheme);
  for (const round of report.rounds) {
    out.push({ kind: 'heading', level: 3, text: t.round(round.number, round.title) });
    if (round.question) out.push({ kind: 'facts', rows: [{ label: t.roundQuestion, value: round.question }] });
    out.push({ kind: 'paragraph', text: round.points === 0 ? t.noPointsInRound : t.roundPoints(round.points) });
    if (round.hidden > 0) out.push({ kind: 'paragraph', text: t.hidden(round.hidden), tone: 'quiet' });
    for (const theme of themes) {
      const points = round.themes.find((th) => th.id === theme.id)?.points ?? [];
      for (const table of [...new Set(points.map((p) => p.table))]) {
        const own = points.filter((p) => p.table === table);
        for (const cluster of [...new Set(own.map((p) => p.cluster))]) {
          const where = [theme.label, t.table(table), ...(cluster === null ? [] : [t.cluster(cluster)])].join(' · ');
          out.push({ kind: 'label', text: where });
          out.push({
            kind: 'list',
            items: own
              .filter((p) => p.cluster === cluster)
              .map((p) => {
                const g = ctx.groupOf.get(pointKey(table, p.id));
                const notes = [p.count > 1 ? t.times(p.count) : '', g?.reworded ? t.reworded : '', g?.omitted ? t.omitted : ''].filter(Boolean);
                // A merged duplicate in other words is worth reading; one in the same words is not.
                const differs = [...new Set(p.merged.filter((m) => sameText(m) !== sameText(p.text)))];
                const sub = [...(g?.reworded ? [t.rewordedAs(g.text)] : []), ...differs];
                return { text: p.text, ...(notes.length > 0 && { note: notes.join(' · ') }), ...(sub.length > 0 && { sub }) };
              }),
          });
        }
      }
    }
  }
  return out;
}

/** The plenary points raised at more than one table, the most widely raised first. */
function convergingBlocks({ report, t }: Ctx): Block[] {
  const points = converging(report.plenary?.themes.flatMap((th) => th.points) ?? []);
  if (points.length === 0) return [];
  return [
    { kind: 'heading', level: 2, text: t.convergingHeading },
    { kind: 'paragraph', text: t.convergingIntro },
    {
      kind: 'list',
      ordered: true,
      items: points.map((p) => ({ text: p.text, note: t.atTables(p.tables.length, report.tables.length) })),
    },
  ];
}

/** The process trail of every merge: where, in which step, how; never who. */
function mergeBlocks({ report, t, isPublic }: Ctx): Block[] {
  // The two texts as typed, before the organiser's rewording: like every point as written, not public.
  if (report.merges.length === 0 || isPublic) return [];
  const where = (m: Report['merges'][number]) =>
    m.table !== null ? t.table(m.table) : m.fromTable === null ? t.plenaryList : `${t.plenaryList} (${t.fromTables([m.fromTable])})`;
  return [
    { kind: 'heading', level: 2, text: t.mergesHeading, pageBreak: true },
    { kind: 'paragraph', text: t.mergesIntro },
    {
      kind: 'table',
      columns: [{ label: t.mergeWhere }, { label: t.mergeStep }, { label: t.mergeHow }, { label: t.mergePoint }, { label: t.mergeDuplicate }],
      rows: report.merges.map((m) => [
        where(m),
        m.step === null ? '–' : m.step.title ? `${m.step.title} (${t.steps[m.step.type]})` : t.steps[m.step.type],
        t.mergeBy[m.by ?? 'unknown'],
        m.point,
        m.merged,
      ]),
    },
  ];
}

/** The plenary board, theme by theme, each point with the tables it came from. */
function plenaryBlocks({ report, t, isPublic }: Ctx): Block[] {
  const plenary = report.plenary;
  if (!plenary) return [];
  const points = plenary.themes.reduce((n, th) => n + th.points.length, 0);
  const out: Block[] = [
    { kind: 'heading', level: 2, text: t.plenaryHeading, pageBreak: true },
    { kind: 'paragraph', text: t.plenaryIntro(points) },
  ];
  if (plenary.hidden > 0) out.push({ kind: 'paragraph', text: t.hidden(plenary.hidden), tone: 'quiet' });
  for (const theme of plenary.themes) {
    out.push({ kind: 'heading', level: 3, text: themeName(report, theme.id, theme.label) });
    out.push({
      kind: 'list',
      items: theme.points.map((p) => {
        const spread = p.tables.length > 1 ? `${t.atTables(p.tables.length, report.tables.length)}: ` : '';
        const from = isPublic
          ? p.tables.length > 1
            ? t.raisedAt(p.tables.length)
            : ''
          : p.tables.length > 0
            ? `${spread}${t.fromTables(p.tables)}`
            : t.writtenInPlenary;
        const note = [from, ...(p.count > 1 ? [t.times(p.count)] : [])].filter(Boolean).join(' · ');
        const differs = [...new Set(p.merged.filter((m) => sameText(m) !== sameText(p.text)))];
        return {
          text: p.cluster === null ? p.text : `${p.text} (${t.cluster(p.cluster)})`,
          ...(note && { note }),
          ...(differs.length > 0 && { sub: differs }),
        };
      }),
    });
  }
  return out;
}

type Result = ReportVote['results'][number];

/** The columns of a vote's results table; each method shows its own counters. */
function resultTable(ctx: Ctx, vote: ReportVote): Extract<Block, { kind: 'table' }> {
  const { report, t, isPublic } = ctx;
  const n = (v: number | undefined) => num(v ?? 0, t);
  // Typed recommendations come from no table: a column of dashes would only take room.
  const tableColumn = !isPublic && vote.results.some((r) => r.table !== null);
  const lead = (r: Result): Cell[] => [
    r.tied ? `${r.rank} (${t.tie})` : num(r.rank, t),
    asReported(ctx, r.table, r.itemId, r.text),
    ...(tableColumn ? [r.table === null ? '–' : num(r.table, t)] : []),
  ];
  const leadColumns = [
    { label: t.rank, numeric: true },
    { label: vote.method === 'recommendations' || vote.source === 'recommendations' ? t.recommendation : t.point },
    ...(tableColumn ? [{ label: t.tableColumn, numeric: true }] : []),
  ];
  const theme = (r: Result) => themeLabel(report, r.theme, t);
  const table = (columns: { label: string; numeric?: boolean }[], row: (r: Result) => Cell[]): Extract<Block, { kind: 'table' }> => ({
    kind: 'table',
    columns: [...leadColumns, ...columns],
    // Items nobody gave a dot or a point collapse into one line after the table (see votesBlocks).
    rows: withoutUnscored(vote).map((r) => [...lead(r), ...row(r)]),
  });
  const spreadColumn = { label: t.spread, numeric: true };
  const spread = (r: Result): Cell => spreadCell(r, t);
  switch (vote.method) {
    case 'dots':
      return table([{ label: t.theme }, { label: t.score.dots, numeric: true }], (r) => [theme(r), n(r.total ?? r.score)]);
    case 'points':
      return table([{ label: t.theme }, { label: t.score.points, numeric: true }, spreadColumn], (r) => [theme(r), n(r.points ?? r.score), spread(r)]);
    case 'ranking':
      return table([{ label: t.theme }, { label: t.score.ranking, numeric: true }, { label: t.firsts, numeric: true }, spreadColumn], (r) => [
        theme(r),
        n(r.borda ?? r.score),
        n(r.firsts),
        spread(r),
      ]);
    case 'graded':
      return table(
        [...(vote.rules.labels ?? []).map((label) => ({ label, numeric: true })), { label: t.score.graded, numeric: true }, { label: t.adopted }, spreadColumn],
        (r) => [...(vote.rules.labels ?? []).map((_, i) => n(r.levels?.[i])), pctCell(r.acceptPct, t), r.adopted ? t.yes : t.no, spread(r)],
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
        (r) => [n(r.support), n(r.oppose), n(r.abstain), pctCell(r.supportPct, t), r.adopted ? t.yes : t.no],
      );
  }
}

/**
 * How each table voted: the items (those chosen at all, in the result's order) against the
 * tables, each cell the item's headline figure there. Left out of the public version.
 */
function byTableBlocks(ctx: Ctx, vote: ReportVote): Block[] {
  const { t, isPublic } = ctx;
  const b = vote.byTable;
  if (isPublic || b.status === 'none') return [];
  if (b.status === 'withheld') return [{ kind: 'paragraph', text: t.byTableWithheld[b.reason](MIN_VOTERS_SHOWN), tone: 'quiet' }];
  const percent = vote.method === 'recommendations' || vote.method === 'graded';
  const cell = (v: number | null | undefined): Cell => (v === null || v === undefined ? '–' : percent ? pctCell(v, t) : num(v, t));
  return [
    { kind: 'label', text: t.byTableLabel },
    { kind: 'paragraph', text: t.byTableIntro(t.score[vote.method]) },
    {
      kind: 'table',
      columns: [
        { label: vote.source === 'recommendations' ? t.recommendation : t.point },
        ...b.tables.map((tb) => ({ label: t.tableBallots(tb.table, tb.ballots), numeric: true })),
      ],
      rows: withoutUnscored(vote).map((r) => [asReported(ctx, r.table, r.itemId, r.text), ...b.tables.map((tb) => cell(tb.scores[r.itemId]))]),
    },
  ];
}

/** "0,42 verdeeld", "0,1", or a dash without ballots. */
function spreadCell(r: Result, t: ReportText): Cell {
  if (r.spread === null || r.spread === undefined) return '–';
  const value = Math.round(r.spread * 100) / 100;
  const text = formatNumber(value, t, 2);
  return { text: r.divided ? `${text} ${t.divided}` : text, value };
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

function votesBlocks(ctx: Ctx): Block[] {
  const { report, t, isPublic } = ctx;
  const out: Block[] = [{ kind: 'heading', level: 2, text: t.votesHeading }];
  if (report.votes.length === 0) return [...out, { kind: 'paragraph', text: t.noVotes }];
  report.votes.forEach((vote, i) => {
    out.push({ kind: 'heading', level: 3, text: t.vote(i + 1, vote.method) });
    const how = [t.rules(vote), t.source[vote.source], vote.round === null ? '' : t.inRound(vote.round, vote.roundTitle, vote.stepTitle)];
    // Per-table votes are ranked per table; a shared place across tables would mean nothing.
    const ties = vote.source === 'table' ? '' : t.ties(tieGroups(vote));
    const outcome = [t.voteStatus[vote.status], t.turnout(vote.ballots, vote.eligible, vote.turnout), ties];
    out.push({ kind: 'paragraph', text: how.filter(Boolean).join(' ') }, { kind: 'paragraph', text: outcome.filter(Boolean).join(' ') });
    if (vote.source === 'table') {
      if (isPublic) {
        out.push({ kind: 'paragraph', text: t.publicTableVote, tone: 'quiet' });
        return;
      }
      for (const table of vote.tables) {
        out.push({ kind: 'label', text: t.tableBallots(table.table, table.ballots) });
        const own = { ...vote, results: vote.results.filter((r) => r.table === table.table) };
        if (table.withheld) out.push({ kind: 'paragraph', text: t.withheld(MIN_VOTERS_SHOWN), tone: 'quiet' });
        else out.push(resultTable(ctx, own), ...unscoredLine(own, t));
      }
      return;
    }
    const recommendations = vote.method === 'recommendations';
    // Items nobody chose would only be empty bars; the table lists them.
    const shown = vote.results.filter((r) => r.score > 0).slice(0, CHART_BARS);
    if (vote.method === 'graded') out.push(...gradedChart(ctx, vote));
    else if (shown.length > 0) {
      out.push({
        kind: 'chart',
        title: t.chartOf(shown.length, vote.results.length),
        bars: shown.map((r) => ({
          label: asReported(ctx, r.table, r.itemId, r.text),
          value: Math.max(0, recommendations ? (r.supportPct ?? 0) : r.score),
          text: recommendations ? pct(r.supportPct, t) : formatNumber(r.score, t),
        })),
        max: recommendations ? 100 : Math.max(...shown.map((r) => r.score)),
        ...(recommendations && vote.rules.threshold !== undefined && { threshold: vote.rules.threshold }),
        asTable: null,
      });
    }
    out.push(resultTable(ctx, vote), ...unscoredLine(vote, t), ...byTableBlocks(ctx, vote));
    if (vote.method === 'ranking' || vote.method === 'points' || vote.method === 'graded') {
      out.push({ kind: 'paragraph', text: t.spreadNote(DIVIDED_SPREAD), tone: 'quiet' });
    }
  });
  return out;
}

/**
 * Graded support as stacked bars: per item the share of each level of the scale among those who
 * graded it, best level first, with the adoption line. The table after it has the counts.
 */
function gradedChart(ctx: Ctx, vote: ReportVote): Block[] {
  const { t } = ctx;
  const labels = vote.rules.labels ?? [];
  const graded = vote.results.filter((r) => (r.graders ?? 0) > 0).slice(0, CHART_BARS);
  if (graded.length === 0 || labels.length === 0) return [];
  const colors = scaleColors(labels.length);
  return [
    {
      kind: 'chart',
      title: t.gradedChart,
      bars: graded.map((r) => ({
        label: asReported(ctx, r.table, r.itemId, r.text),
        value: 100,
        segments: labels.map((_, i) => ((r.levels?.[i] ?? 0) * 100) / (r.graders ?? 1)),
        // Short, to fit after a full bar (the PDF's font has no tick); adoption and spread are in
        // the table, and the supporting levels crossing the dashed line show it too.
        text: pct(r.acceptPct ?? null, t),
      })),
      max: 100,
      ...(vote.rules.threshold !== undefined && { threshold: vote.rules.threshold }),
      legend: labels.map((label, i) => ({ label, color: colors[i]! })),
      asTable: null,
    },
  ];
}

/** The recommendations with their support, adopted or not; neutral votes apart. */
function recommendationBlocks({ report, t }: Ctx): Block[] {
  const recs = report.recommendations;
  if (recs.length === 0) return [];
  return [
    { kind: 'heading', level: 2, text: t.recommendationsHeading },
    { kind: 'paragraph', text: `${t.recommendationsIntro(recs.filter((r) => r.adopted).length, recs.length)} ${t.abstainApart}` },
    {
      kind: 'table',
      columns: [
        { label: t.recommendation },
        { label: t.supportPct, numeric: true },
        { label: t.threshold, numeric: true },
        { label: t.adopted },
        { label: t.support, numeric: true },
        { label: t.oppose, numeric: true },
        { label: t.abstain, numeric: true },
      ],
      rows: recs.map((r) => [
        r.text,
        pctCell(r.supportPct, t),
        pctCell(r.threshold, t),
        r.adopted ? t.yes : t.no,
        num(r.support, t),
        num(r.oppose, t),
        num(r.abstain, t),
      ]),
    },
  ];
}

function evaluationBlocks({ report, t, isPublic }: Ctx): Block[] {
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
        bars: questions.map((q) => ({
          label: t.evaluationQuestions[q.id],
          value: q.average ?? 0,
          text: q.average === null ? '–' : formatNumber(q.average, t),
        })),
        max: 5,
        asTable: null,
      });
    }
    out.push({
      kind: 'table',
      columns: [{ label: t.evaluationQuestion }, { label: t.evaluationAverage, numeric: true }, { label: t.evaluationCounts }],
      rows: questions.map((q) => [t.evaluationQuestions[q.id], q.average === null ? '–' : num(q.average, t), q.counts.join(' · ')]),
    });
    if (ev.remarks.length > 0 && !isPublic) {
      out.push({ kind: 'label', text: t.evaluationRemarks }, { kind: 'list', items: ev.remarks.map((text) => ({ text })) });
    }
  });
  return out;
}

function notesBlocks({ report, t }: Ctx): Block[] {
  return [
    { kind: 'heading', level: 2, text: t.notesHeading },
    report.notes.length === 0 ? { kind: 'paragraph', text: t.noNotes } : { kind: 'list', items: report.notes.map((text) => ({ text })) },
  ];
}

/** "Redactie": what the organiser changed for the main text (never who). */
function editBlocks({ report, t, isPublic, main }: Ctx): Block[] {
  const edits = report.edits;
  const lines: string[] = [];
  if (edits.introduction) lines.push(t.editIntroduction);
  if (edits.summary) lines.push(t.editSummary);
  for (const theme of main) if (theme.label !== theme.original) lines.push(t.editThemeLabel(theme.original, theme.label));
  const natural = reportThemes({ ...report, edits: { ...edits, themeOrder: [] } }, t.otherTheme).map((th) => th.id);
  if (main.map((th) => th.id).join() !== natural.join()) lines.push(t.editThemeOrder);
  for (const theme of main) if ((edits.pointOrder[theme.id]?.length ?? 0) > 0) lines.push(t.editPointOrder(theme.label));
  const reworded = main.flatMap((th) => th.points.filter((p) => p.reworded));
  const omitted = main.flatMap((th) => th.points.filter((p) => p.omitted));
  if (isPublic) {
    if (reworded.length > 0) lines.push(t.editRewordedCount(reworded.length));
    if (omitted.length > 0) lines.push(t.editOmittedCount(omitted.length));
  } else {
    lines.push(...reworded.map((p) => t.editReworded(p.original, p.text)), ...omitted.map((p) => t.editOmitted(p.original)));
  }
  return [
    { kind: 'heading', level: 3, text: t.editsHeading },
    ...(lines.length === 0
      ? [{ kind: 'paragraph', text: t.noEdits } as Block]
      : [{ kind: 'paragraph', text: t.editsIntro } as Block, { kind: 'list', items: lines.map((text) => ({ text })) } as Block]),
  ];
}

function processBlocks(ctx: Ctx): Block[] {
  const { report, t, isPublic } = ctx;
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
  ];
  // Devices per table tell how many sat where: not for publication.
  if (!isPublic) {
    out.push(
      { kind: 'heading', level: 3, text: t.tablesHeading },
      {
        kind: 'table',
        columns: [
          { label: t.tableColumn, numeric: true },
          { label: t.devices, numeric: true },
          { label: t.points, numeric: true },
        ],
        rows: report.tables.map((r) => [num(r.table, t), num(r.devices, t), num(r.points, t)]),
      },
      { kind: 'paragraph', text: t.devicesNote, tone: 'quiet' },
    );
  }
  out.push(
    { kind: 'heading', level: 3, text: t.methodsHeading },
    report.process.methods.length === 0
      ? { kind: 'paragraph', text: t.noVotes }
      : { kind: 'list', items: report.process.methods.map((m) => ({ text: t.methods[m] })) },
    ...editBlocks(ctx),
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
  );
  return out;
}
