/** Renders the report outline as Markdown. Every text is escaped so that it stays text. */
import { cellText, chartTable, cleanText, type Block, type Outline } from '../../shared/reportOutline.js';

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
        ...b.rows.map((row) => `| ${row.map((cell) => escapeMarkdown(cellText(cell))).join(' | ')} |`),
        '',
      ];
    case 'chart':
      return b.asTable ? [`**${escapeMarkdown(b.title)}**`, '', ...block(chartTable(b, b.asTable))] : [];
  }
}

export function renderMarkdown({ cover, blocks }: Outline): string {
  const line = [cover.organisation, cover.date, cover.place].filter((x): x is string => Boolean(x)).map(escapeMarkdown);
  return [
    `# ${escapeMarkdown(cover.heading)}`,
    '',
    line.join(' · '),
    '',
    ...(cover.notice ? [`> ${escapeMarkdown(cover.notice)}`, ''] : []),
    ...blocks.flatMap(block),
  ].join('\n');
}
