/** Renders the report outline as Markdown. Every text is escaped so that it stays text. */
import type { Report, ReportLanguage } from '../../shared/report.js';
import { chartTable, cleanText, reportDocument, type Block } from '../../shared/reportOutline.js';

/**
 * Makes text inert in Markdown: no HTML, links, images, emphasis, code, strike-through or
 * table breaks anywhere, and no heading, list, quote or rule at its start. Other punctuation
 * is left alone so the file stays easy to read as plain text.
 */
export function escapeMarkdown(text: string): string {
  return cleanText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/^([#+=-])/, '\\$1')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

function block(b: Block): string[] {
  switch (b.kind) {
    case 'heading':
      return [`${'#'.repeat(b.level)} ${escapeMarkdown(b.text)}`, ''];
    case 'paragraph': {
      const text = escapeMarkdown(b.text);
      return [b.tone === 'notice' ? `> ${text}` : b.tone === 'quiet' ? `_${text}_` : text, ''];
    }
    case 'label':
      return [`**${escapeMarkdown(b.text)}**`, ''];
    case 'facts':
      return [...b.rows.map((r) => `- **${escapeMarkdown(r.label)}:** ${escapeMarkdown(r.value)}`), ''];
    case 'list':
      return [
        ...b.items.flatMap((item, i) => [
          `${b.ordered ? `${i + 1}.` : '-'} ${escapeMarkdown(item.text)}${item.note ? ` (${escapeMarkdown(item.note)})` : ''}`,
          ...(item.sub ?? []).map((s) => `${b.ordered ? '   ' : '  '}- ${escapeMarkdown(s)}`),
        ]),
        '',
      ];
    case 'table':
      return [
        `| ${b.columns.map((c) => escapeMarkdown(c.label) || ' ').join(' | ')} |`,
        `|${b.columns.map((c) => (c.numeric ? '---:' : '---')).join('|')}|`,
        ...b.rows.map((row) => `| ${row.map(escapeMarkdown).join(' | ')} |`),
        '',
      ];
    case 'chart':
      return b.asTable ? [`**${escapeMarkdown(b.title)}**`, '', ...block(chartTable(b, b.asTable))] : [];
  }
}

export function renderMarkdown(report: Report, lang: ReportLanguage = 'nl'): string {
  return reportDocument(report, lang).flatMap(block).join('\n');
}
