/**
 * Renders the report outline as a Word document (.docx) that opens in Word and LibreOffice.
 * Every text goes in as a plain text run, so nothing a person typed can become a field, a
 * link or markup; charts become tables of their numbers.
 *
 * What makes it look made by hand rather than dumped: a title page, page numbers, tables whose
 * columns fit their content (the text column widest) with the header repeated on each page,
 * headings kept with what follows, and no forced page break except before an appendix.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type FileChild,
} from 'docx';
import { cellText, chartTable, cleanText, type Block, type Cover, type Outline } from '../../shared/reportOutline.js';
import { REPORT_TEXT } from '../../shared/reportText.js';
import type { ReportLogo } from './reportLogo.js';

const ORDERED = 'ordered';
const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: 'AAAAAA' };
/** A4 with 2 cm margins, in twentieths of a point. */
const PAGE = { width: 11906, height: 16838, margin: 1134 };
/** The width of the text between the margins, in twips. */
export const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin;
/** Roughly one character of bold 10 pt Arial, in twips; enough to size columns from their text. */
const CHAR = 125;
const CELL_PADDING = 2 * 115;

const run = (text: string, opts: { bold?: boolean; italics?: boolean; color?: string; size?: number } = {}) => new TextRun({ text: cleanText(text), ...opts });
/** Cleaned text loses its outer spaces, so the space between two runs is a run of its own. */
const space = () => new TextRun({ text: ' ' });

/**
 * Type size of a table's cells, in half-points: 10 pt, or 8 pt for a table whose headers' longest
 * words alone need more than the line at 10 pt (a graded vote's levels with its other columns).
 */
function tableFontSize(b: Extract<Block, { kind: 'table' }>, total = TEXT_WIDTH): number {
  const least = b.columns.reduce((sum, c) => sum + c.label.split(/\s+/).reduce((m, w) => Math.max(m, w.length), 0) * CHAR + CELL_PADDING, 0);
  return least > total ? 16 : 20;
}

/**
 * Column widths from content: a numeric or short column gets what its longest cell (or the
 * longest word of its header) needs; the rest of the line goes to the text columns, shared by
 * how much text they hold. So the point or recommendation column is the widest, and a "Rank"
 * column never takes a quarter of the page.
 */
export function columnWidths(b: Extract<Block, { kind: 'table' }>, total = TEXT_WIDTH): number[] {
  // Smaller type, narrower characters and padding.
  const scale = tableFontSize(b, total) / 20;
  const char = CHAR * scale;
  const padding = CELL_PADDING * scale;
  const longest = b.columns.map((c, i) => {
    const words = c.label.split(/\s+/).reduce((m, w) => Math.max(m, w.length), 0);
    const cells = b.rows.reduce((m, row) => Math.max(m, cleanText(cellText(row[i] ?? '')).length), 0);
    return { header: words, cells, numeric: c.numeric ?? false };
  });
  const natural = longest.map((l) => Math.max(l.header, l.cells) * char + padding);
  const sum = natural.reduce((s, w) => s + w, 0);
  if (sum <= total) {
    // Everything fits on one line: a compact table, widened to at least 40% of the line by
    // its text columns, so two short columns do not look like a stray box.
    const textCols = longest.map((l, i) => (l.numeric ? -1 : i)).filter((i) => i >= 0);
    const spare = Math.max(0, Math.round(total * 0.4) - sum);
    return natural.map((w, i) => (textCols.includes(i) ? w + Math.floor(spare / textCols.length) : w));
  }
  // Too wide: short columns keep their natural width (up to a fifth of the line each), the
  // text columns share the rest by how long their text is.
  const short = natural.map((w, i) => longest[i]!.numeric || w <= total / 5);
  const fixed = natural.map((w, i) => (short[i] ? Math.min(w, total / 5) : 0));
  const rest = Math.max(total - fixed.reduce((s, w) => s + w, 0), total / 3);
  const weights = natural.map((w, i) => (short[i] ? 0 : w));
  const weightSum = weights.reduce((s, w) => s + w, 0) || 1;
  const widths = natural.map((_, i) => Math.round(short[i] ? fixed[i]! : (rest * weights[i]!) / weightSum));
  // Many short columns (a graded vote's levels, a table per table) can still add up to more than
  // the line: then every column gives up the same share, and headers wrap, rather than running off the page.
  const width = widths.reduce((s, w) => s + w, 0);
  if (width <= total) return widths;
  // Each column keeps room for its header's longest word, so no word breaks in the middle; the
  // rest is taken from the wider columns, by how much wider than that they are.
  const least = longest.map((l) => l.header * char + padding);
  const spare = widths.map((w, i) => Math.max(0, w - least[i]!));
  const spareSum = spare.reduce((s, w) => s + w, 0);
  const over = width - total;
  if (spareSum < over) return widths.map((w) => Math.floor((w * total) / width));
  return widths.map((w, i) => Math.floor(w - (over * spare[i]!) / spareSum));
}

function table(b: Extract<Block, { kind: 'table' }>): Table {
  const widths = columnWidths(b);
  const size = tableFontSize(b);
  const side = size === 20 ? 100 : 60;
  const cell = (text: string, i: number, header: boolean) =>
    new TableCell({
      width: { size: widths[i]!, type: WidthType.DXA },
      children: [
        new Paragraph({
          alignment: b.columns[i]?.numeric ? AlignmentType.RIGHT : AlignmentType.LEFT,
          spacing: { after: 0 },
          // Keeps a table's rows together with its header where they fit on the page.
          keepNext: header,
          children: [run(text, { bold: header, size })],
        }),
      ],
      ...(header && { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'E8E8E8' } }),
      borders: { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER },
      margins: { left: side, right: side, top: 40, bottom: 40 },
    });
  return new Table({
    width: { size: widths.reduce((s, w) => s + w, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: b.columns.map((c, i) => cell(c.label, i, true)) }),
      ...b.rows.map((row) => new TableRow({ cantSplit: true, children: row.map((c, i) => cell(cellText(c), i, false)) })),
    ],
  });
}

/**
 * Ordered lists each get their own numbering instance, so every top 3 starts at 1. The first
 * block starts a new page: the title page comes before it.
 */
function blocks(outline: Block[]): FileChild[] {
  let lists = 0;
  const out: FileChild[] = [];
  const spacer = () => new Paragraph({ spacing: { after: 0 }, children: [] });
  for (const [index, b] of outline.entries()) {
    switch (b.kind) {
      case 'heading':
        out.push(
          new Paragraph({
            heading: HEADINGS[b.level],
            pageBreakBefore: index === 0 || (b.pageBreak ?? false),
            keepNext: true,
            keepLines: true,
            children: [run(b.text)],
          }),
        );
        break;
      case 'paragraph':
        out.push(
          new Paragraph({
            children: [run(b.text, { bold: b.tone === 'notice', italics: b.tone === 'quiet', ...(b.tone === 'quiet' && { color: '555555' }) })],
          }),
        );
        break;
      case 'label':
        out.push(new Paragraph({ keepNext: true, keepLines: true, spacing: { before: 160 }, children: [run(b.text, { bold: true })] }));
        break;
      case 'facts':
        for (const r of b.rows) out.push(new Paragraph({ keepLines: true, children: [run(`${r.label}:`, { bold: true }), space(), run(r.value)] }));
        break;
      case 'list': {
        const instance = ++lists;
        b.items.forEach((item, i) => {
          const children = [run(item.text), ...(item.note ? [space(), run(`(${item.note})`, { italics: true, color: '555555' })] : [])];
          // The last lines of a short list stay together, so no page starts with one bullet.
          const keepNext = b.items.length <= 4 ? i < b.items.length - 1 : i >= b.items.length - 2 && i < b.items.length - 1;
          out.push(
            new Paragraph({
              keepLines: true,
              keepNext,
              children,
              ...(b.ordered ? { numbering: { reference: ORDERED, level: 0, instance } } : { bullet: { level: 0 } }),
            }),
          );
          for (const s of item.sub ?? []) out.push(new Paragraph({ bullet: { level: 1 }, keepLines: true, children: [run(s, { color: '444444' })] }));
        });
        break;
      }
      case 'table':
        out.push(table(b), spacer());
        break;
      case 'chart':
        if (b.asTable) out.push(new Paragraph({ keepNext: true, children: [run(b.title, { bold: true })] }), table(chartTable(b, b.asTable)), spacer());
        break;
    }
  }
  return out;
}

/** The title page: logo, heading, organisation, date and place, then a page break. */
function titlePage(cover: Cover, logo: ReportLogo | undefined): Paragraph[] {
  const out: Paragraph[] = [];
  if (logo) {
    // At most 6 × 3 cm, keeping its proportions (docx measures images in pixels at 96 dpi).
    const scale = Math.min(227 / logo.width, 113 / logo.height, 1);
    out.push(
      new Paragraph({
        spacing: { after: 1200 },
        children: [
          new ImageRun({
            type: logo.mime === 'image/png' ? 'png' : 'jpg',
            data: logo.data,
            transformation: { width: Math.round(logo.width * scale), height: Math.round(logo.height * scale) },
            altText: { name: 'logo', description: cover.organisation ?? 'logo', title: cover.organisation ?? 'logo' },
          }),
        ],
      }),
    );
  }
  out.push(new Paragraph({ heading: HeadingLevel.TITLE, spacing: { before: logo ? 0 : 2400, after: 480 }, children: [run(cover.heading)] }));
  for (const line of [cover.organisation, cover.date, cover.place]) {
    if (line) out.push(new Paragraph({ spacing: { after: 120 }, children: [run(line, { size: 26 })] }));
  }
  if (cover.notice) out.push(new Paragraph({ spacing: { before: 480 }, children: [run(cover.notice, { bold: true, color: '8A4B00' })] }));
  return out;
}

/** A running header stays on one line. */
function shortened(text: string, max: number): string {
  const clean = cleanText(text);
  return clean.length <= max ? clean : `${clean.slice(0, max - 1).trimEnd()}…`;
}

function footer(outline: Outline): Footer {
  // eslint-disable-next-line no-control-regex -- U+0001 and U+0002 are the placeholders for the page fields, put in just above
  const [before, middle, after] = REPORT_TEXT[outline.lang].pageOf('\u0001', '\u0002').split(/[\u0001\u0002]/);
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        children: [
          new TextRun({ text: before ?? '', size: 18, color: '555555' }),
          new TextRun({ children: [PageNumber.CURRENT], size: 18, color: '555555' }),
          new TextRun({ text: middle ?? '', size: 18, color: '555555' }),
          new TextRun({ children: [PageNumber.TOTAL_PAGES], size: 18, color: '555555' }),
          new TextRun({ text: after ?? '', size: 18, color: '555555' }),
        ],
      }),
    ],
  });
}

export async function renderDocx(outline: Outline, options: { logo?: ReportLogo } = {}): Promise<Buffer> {
  const t = REPORT_TEXT[outline.lang];
  const doc = new Document({
    title: cleanText(outline.cover.heading),
    creator: 'Tafelronde',
    styles: {
      default: {
        document: { run: { font: 'Arial', size: 22, language: { value: t.locale } }, paragraph: { spacing: { after: 100 } } },
        title: { run: { font: 'Arial', size: 48, bold: true, color: '1A1A1A' } },
        heading1: { run: { font: 'Arial', size: 34, bold: true, color: '1A1A1A' }, paragraph: { spacing: { before: 360, after: 160 } } },
        heading2: { run: { font: 'Arial', size: 30, bold: true, color: '1A1A1A' }, paragraph: { spacing: { before: 360, after: 140 } } },
        heading3: { run: { font: 'Arial', size: 25, bold: true, color: '333333' }, paragraph: { spacing: { before: 240, after: 100 } } },
      },
    },
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: [
            {
              level: 0,
              format: LevelFormat.DECIMAL,
              text: '%1.',
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 720, hanging: 360 } } },
            },
          ],
        },
      ],
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: { size: { width: PAGE.width, height: PAGE.height }, margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin } },
        },
        headers: {
          default: new Header({ children: [new Paragraph({ children: [run(shortened(outline.cover.heading, 90), { size: 16, color: '777777' })] })] }),
          first: new Header({ children: [] }),
        },
        footers: { default: footer(outline), first: new Footer({ children: [] }) },
        children: [...titlePage(outline.cover, options.logo), ...blocks(outline.blocks)],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
