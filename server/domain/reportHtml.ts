/**
 * Renders the report outline as one standalone HTML page that prints cleanly to A4 (and so to
 * PDF from any browser). It has no script at all: its Content-Security-Policy allows only its
 * own stylesheet, by hash, both as a header and in the page, so a saved copy is just as strict.
 */
import { createHash } from 'node:crypto';
import { cellText, cleanText, type Block, type Cover, type Outline } from '../../shared/reportOutline.js';
import { barChartSvg, escapeXml } from './reportSvg.js';

const STYLE = `
@page { size: A4; margin: 18mm 16mm 20mm; }
:root { color: #1a1a1a; background: #fff; font: 11pt/1.45 Arial, Helvetica, sans-serif; }
body { margin: 0; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 20pt; line-height: 1.2; margin: 0 0 0.3em; }
.cover-line { color: #444; margin: 0 0 1em; }
h2 { font-size: 15pt; margin: 1.8em 0 0.5em; padding-bottom: 0.2em; border-bottom: 1px solid #999; }
h3 { font-size: 12.5pt; margin: 1.4em 0 0.4em; }
h1, h2, h3, .label { break-after: avoid; page-break-after: avoid; }
.page-break { break-before: page; page-break-before: always; }
p { margin: 0.4em 0 0.7em; }
.notice { border-left: 4px solid #b36b00; background: #fff6e5; padding: 0.5em 0.8em; }
.quiet { color: #555; }
.label { margin: 0.8em 0 0.2em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25em 1em; margin: 0 0 1em; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
ul, ol { margin: 0.2em 0 0.8em; padding-left: 1.4em; }
li { margin: 0.15em 0; }
li ul { margin: 0.1em 0 0.2em; color: #444; }
.note { color: #555; }
table { border-collapse: collapse; width: 100%; margin: 0.4em 0 1em; font-size: 10pt; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
.num { text-align: right; white-space: nowrap; }
thead { display: table-header-group; }
tr, figure, li { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 0.6em 0 1em; }
figcaption { font-size: 10pt; color: #444; margin-bottom: 0.2em; }
svg { display: block; max-width: 100%; height: auto; }
@media print { main { max-width: none; padding: 0; } .notice { background: none; } }
`;

const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}`;

/** Nothing may load or run: only the page's own stylesheet applies. */
export const REPORT_HTML_CSP = ["default-src 'none'", `style-src '${STYLE_HASH}'`, "img-src 'none'", "base-uri 'none'", "form-action 'none'"].join('; ');

export function escapeHtml(text: string): string {
  return escapeXml(cleanText(text));
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}${b.pageBreak ? ' class="page-break"' : ''}>${escapeHtml(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p${b.tone ? ` class="${b.tone}"` : ''}>${escapeHtml(b.text)}</p>`;
    case 'label':
      return `<p class="label"><strong>${escapeHtml(b.text)}</strong></p>`;
    case 'facts':
      return `<dl class="facts">${b.rows.map((r) => `<dt>${escapeHtml(r.label)}</dt><dd>${escapeHtml(r.value)}</dd>`).join('')}</dl>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      const items = b.items.map((item) => {
        const note = item.note ? ` <span class="note">(${escapeHtml(item.note)})</span>` : '';
        const sub = item.sub?.length ? `<ul>${item.sub.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>` : '';
        return `<li>${escapeHtml(item.text)}${note}${sub}</li>`;
      });
      return `<${tag}>${items.join('')}</${tag}>`;
    }
    case 'table': {
      const cls = (numeric?: boolean) => (numeric ? ' class="num"' : '');
      const head = b.columns.map((c) => `<th scope="col"${cls(c.numeric)}>${escapeHtml(c.label)}</th>`).join('');
      const rows = b.rows.map((row) => `<tr>${row.map((cell, i) => `<td${cls(b.columns[i]?.numeric)}>${escapeHtml(cellText(cell))}</td>`).join('')}</tr>`);
      return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
    }
    case 'chart': {
      const svg = barChartSvg({ ...b, bars: b.bars.map((bar) => ({ ...bar, label: cleanText(bar.label) })) });
      return `<figure><figcaption>${escapeHtml(b.title)}</figcaption>${svg}</figure>`;
    }
  }
}

function cover(c: Cover): string {
  const line = [c.organisation, c.date, c.place].filter(Boolean).map((x) => escapeHtml(x!));
  return [
    `<h1>${escapeHtml(c.heading)}</h1>`,
    `<p class="cover-line">${line.join(' · ')}</p>`,
    c.notice ? `<p class="notice">${escapeHtml(c.notice)}</p>` : '',
  ].join('');
}

export function renderHtml({ lang, cover: c, blocks }: Outline): string {
  return [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeXml(REPORT_HTML_CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(c.heading)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    cover(c),
    ...blocks.map(block),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
