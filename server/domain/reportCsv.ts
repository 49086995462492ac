/**
 * The report as one CSV file for the begeleidingsgroep's own analysis: points, top 3s, vote
 * results, recommendations, evaluation and tips, one row each, told apart by the first column.
 * RFC 4180 (comma, double quotes, CRLF), UTF-8 with a byte order mark so Excel reads accents.
 */
import type { Report, ReportLanguage, ReportVersion } from '../../shared/report.js';
import { themeLabel } from '../../shared/reportOutline.js';
import { groupsByPoint, mainThemes, pointKey } from '../../shared/reportPoints.js';
import { CSV_COLUMNS, REPORT_TEXT, type CsvColumn, type CsvSection } from '../../shared/reportText.js';

type Cell = string | number | null | undefined;
type Row = Partial<Record<CsvColumn, Cell>> & { section: CsvSection };

/**
 * One cell. Text that a spreadsheet would read as a formula (starting with =, +, -, @, a tab
 * or a carriage return) gets a leading apostrophe, so it shows as the text it is.
 */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The full version is the record as written. The public version (Woo) has no table numbers,
 * no top 3 per table, no evaluation remarks, and points as the main text words them: reworded
 * points in their new words, points left out of the main text left out.
 */
export function renderCsv(report: Report, lang: ReportLanguage = 'nl', version: ReportVersion = 'full'): string {
  const t = REPORT_TEXT[lang];
  const isPublic = version === 'public';
  const yesNo = (b: boolean | undefined) => (b === undefined ? null : b ? t.yes : t.no);
  const groupOf = groupsByPoint(mainThemes(report, t.otherTheme));
  const table = (n: number | null) => (isPublic ? null : n);
  const rows: Row[] = [];

  for (const round of report.rounds) {
    for (const theme of round.themes) {
      const label = themeLabel(report, theme.id, t) || theme.label;
      for (const p of theme.points) {
        const g = groupOf.get(pointKey(p.table, p.id));
        if (isPublic && g?.omitted) continue;
        const where = { round: round.number, theme: label, subtheme: p.cluster, table: table(p.table) };
        // The full version is the record with the edits beside it; the public one says only what the report says.
        const edits = isPublic ? {} : { reported: g?.reworded ? g.text : null, omitted: g?.omitted ? t.yes : null };
        rows.push({ section: 'point', ...where, text: isPublic && g?.reworded ? g.text : p.text, count: p.count, ...edits });
        for (const m of p.merged) rows.push({ section: 'merged', ...where, text: m });
      }
    }
    if (isPublic) continue;
    for (const top of round.tops) {
      top.points.forEach((p, i) =>
        rows.push({ section: 'top', round: round.number, theme: themeLabel(report, p.theme, t), table: top.table, rank: i + 1, text: p.text }),
      );
    }
  }

  for (const theme of report.plenary?.themes ?? []) {
    for (const p of theme.points) {
      // One row per table it came from, so the table column stays a number to sort and count by.
      for (const from of p.tables.length > 0 && !isPublic ? p.tables : [null]) {
        rows.push({
          section: 'plenary',
          theme: themeLabel(report, theme.id, t) || theme.label,
          subtheme: p.cluster,
          table: from,
          text: p.text,
          count: p.count,
        });
      }
      for (const m of p.merged) rows.push({ section: 'merged', theme: theme.label, text: m });
    }
  }

  report.votes.forEach((vote, i) => {
    for (const r of vote.results) {
      if (isPublic && vote.source === 'table') continue;
      const reported = r.table === null ? undefined : groupOf.get(pointKey(r.table, r.itemId));
      rows.push({
        section: 'result',
        round: vote.round,
        theme: themeLabel(report, r.theme, t),
        table: table(r.table),
        vote: i + 1,
        method: t.methods[vote.method],
        rank: r.rank,
        tied: yesNo(r.tied),
        text: isPublic && reported?.reworded ? reported.text : r.text,
        score: r.score,
        total: r.total,
        borda: r.borda,
        firsts: r.firsts,
        points: r.points,
        support: r.support,
        oppose: r.oppose,
        abstain: r.abstain,
        supportPct: r.supportPct,
        adopted: yesNo(r.adopted),
      });
    }
  });

  for (const r of report.recommendations) {
    const vote = report.votes.findIndex((v) => v.id === r.voteId) + 1;
    rows.push({
      section: 'recommendation',
      table: table(r.table),
      vote,
      text: r.text,
      support: r.support,
      oppose: r.oppose,
      abstain: r.abstain,
      supportPct: r.supportPct,
      adopted: yesNo(r.adopted),
    });
  }

  for (const ev of report.evaluations) {
    for (const q of ev.questions) rows.push({ section: 'evaluation', text: t.evaluationQuestions[q.id], count: q.answered, score: q.average });
    if (!isPublic) for (const remark of ev.remarks) rows.push({ section: 'remark', text: remark });
  }
  for (const note of report.notes) rows.push({ section: 'note', text: note });

  const lines = [
    CSV_COLUMNS.map((c) => csvCell(t.csv.columns[c])),
    ...rows.map((row) => CSV_COLUMNS.map((c) => csvCell(c === 'section' ? t.csv.sections[row.section] : row[c]))),
  ];
  return `\uFEFF${lines.map((cells) => cells.join(',')).join('\r\n')}\r\n`;
}
