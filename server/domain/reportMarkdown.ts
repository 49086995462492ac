/** Renders the report model as Markdown. Text typed by people is escaped so it stays text. */
import type { Report, ReportLanguage } from '../../shared/report.js';
import { OTHER_THEME } from './report.js';
import { REPORT_TEXT } from './reportText.js';

/** Makes user text inert in Markdown: no HTML, links, emphasis, headings or table breaks. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+\-.!|~])/g, '\\$1');
}

export function renderMarkdown(report: Report, lang: ReportLanguage = 'nl'): string {
  const t = REPORT_TEXT[lang];
  const s = report.session;
  const out: string[] = [];
  const themeCount = report.themes.filter((th) => th.points.length > 0).length;

  out.push(`# ${escapeMarkdown(t.heading(s.kind, s.title))}`, '');
  out.push(`- **${t.question}:** ${escapeMarkdown(s.question)}`);
  out.push(`- **${t.date}:** ${s.date}`);
  out.push(`- **${t.kind}:** ${t.kinds[s.kind]}`, '');

  out.push(`## ${t.pointsHeading}`, '', t.pointsIntro(report.totals.points, themeCount), '');
  for (const theme of report.themes) {
    out.push(`### ${theme.id === OTHER_THEME.id ? t.otherTheme : escapeMarkdown(theme.label)}`, '');
    if (theme.points.length === 0) {
      out.push(t.noPoints, '');
      continue;
    }
    const tables = [...new Set(theme.points.map((p) => p.table))].sort((a, b) => a - b);
    for (const table of tables) {
      out.push(`**${t.table(table)}**`, '');
      for (const p of theme.points) {
        if (p.table !== table) continue;
        const notes = [p.count > 1 ? `${p.count}×` : '', p.cluster ? escapeMarkdown(t.cluster(p.cluster)) : ''].filter(Boolean);
        out.push(`- ${escapeMarkdown(p.text)}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`);
        for (const m of p.merged) out.push(`  - ${escapeMarkdown(m)}`);
      }
      out.push('');
    }
  }

  out.push(`## ${t.votesHeading}`, '');
  if (report.votes.length === 0) out.push(t.noVotes, '');
  report.votes.forEach((vote, index) => {
    if (report.votes.length > 1) out.push(`### ${t.votesHeading} ${index + 1}`, '');
    out.push(t.dotVote(vote.budget, vote.maxPerItem), t.voteStatus[vote.status], t.turnout(vote.ballots, vote.eligible), '');
    out.push(`| ${t.rank} | ${t.point} | ${t.tableColumn} | ${t.dots} |`, '|---:|---|---:|---:|');
    for (const r of vote.results) {
      const rank = r.tied ? `${r.rank} (${t.tie})` : String(r.rank);
      out.push(`| ${rank} | ${escapeMarkdown(r.text)} | ${r.table} | ${r.total} |`);
    }
    out.push('');
  });

  for (const ev of report.evaluations) {
    out.push(`## ${t.evaluationHeading}`, '', t.evaluationResponses(ev.responses), '');
    out.push(`| | ${t.evaluationAverage} | ${t.evaluationCounts} |`, '|---|---:|---|');
    for (const q of ev.questions) out.push(`| ${t.evaluationQuestions[q.id]} | ${q.average ?? '–'} | ${q.counts.join(' · ')} |`);
    out.push('');
    if (ev.remarks.length > 0) {
      out.push(`**${t.evaluationRemarks}**`, '');
      for (const r of ev.remarks) out.push(`- ${escapeMarkdown(r)}`);
      out.push('');
    }
  }

  out.push(`## ${t.tablesHeading}`, '', `| ${t.tableColumn} | ${t.devices} | ${t.points} |`, '|---:|---:|---:|');
  for (const row of report.tables) out.push(`| ${row.table} | ${row.devices} | ${row.points} |`);
  out.push('', t.anonymity, '', `_${t.generated(report.generatedAt)}_`, '');
  return out.join('\n');
}
