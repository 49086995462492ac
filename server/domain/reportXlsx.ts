/**
 * Renders the report outline as an Excel workbook (.xlsx) for people: it opens by double-click
 * in Excel and LibreOffice and reads like the report, section by section. The CSV stays the
 * file for tools; this one is laid out to be read.
 *
 * - One sheet per section: each level-2 heading starts a sheet named after it (the full heading
 *   is the sheet's first row); the cover, and anything before the first section, is the first.
 * - A sheet is laid out like a page, about as wide as a laptop screen or A4: tables keep the
 *   width their content needs (numbers narrow, text up to a limit and then wrapped); paragraphs,
 *   headings and list items are merged across the sheet's width and wrapped. Row heights are
 *   worked out from the text, because Excel does not fit merged cells by itself.
 * - The title row stays in view (frozen) on every sheet; on a sheet that is one table, the
 *   table's header row is frozen with it. Frozen rows also repeat on every printed page.
 * - Numbers stay numbers: a `Cell` with a value is written as a number with a number format
 *   (a percentage as a fraction with `0%` or `0.0%`), so Excel can sort and sum it.
 * - Every text is written as a plain string, never as a formula, whatever it starts with.
 *
 * write-excel-file writes the file; what it leaves out (workbook properties, printing) is added
 * by a "feature" of its own at the end.
 */
import type { Blob } from 'node:buffer';
import type { Stream } from 'node:stream';
import writeXlsxFile, { type CellObject, type Feature, type Row, type Sheet } from 'write-excel-file/node';
import { cellText, chartTable, cleanText, type Block, type Cell, type Cover, type Outline } from '../../shared/reportOutline.js';
import type { ReportLanguage } from '../../shared/report.js';
import { REPORT_TEXT } from '../../shared/reportText.js';
import { escapeXml } from './reportSvg.js';

/** What write-excel-file's Node build takes as file content (its own type, not exported). */
type FileContent = Stream | Buffer | Blob;

/** Name of the first sheet, which holds the cover. */

const FONT = 'Arial';
const FONT_SIZE = 10;
/** What a sheet is laid out to: about the width of a laptop screen and of an A4 page. */
const SHEET_WIDTH = 96;
const MIN_COLUMN = 6;
const MAX_TEXT_COLUMN = 60;
const MAX_NUMBER_COLUMN = 16;
const MAX_LABEL_COLUMN = 30;
const MAX_NOTE_COLUMN = 36;
/** Rows above a table's header that may be frozen with it, in points. */
const MAX_FROZEN_HEIGHT = 100;
/** An empty row between blocks, in points. */
const SPACER_HEIGHT = 8;
/** The most Excel allows a row, in points. */
const MAX_ROW_HEIGHT = 409;

const GREY_TEXT = '#555555';
const BORDER = { borderStyle: 'thin', borderColor: '#BBBBBB' } as const;

/**
 * Text as one clean line (see cleanText), without what write-excel-file would drop silently
 * (the replacement character, C1 controls), so the text measured is the text written.
 */
const plain = (text: string) =>
  cleanText(text)
    .replace(/[\u0080-\u009F\uFFFD]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();

// --- text measurement ---------------------------------------------------------------------------

/** Advance widths of Arial (= Helvetica metrics), in thousandths of an em, for ASCII 32–126. */
const ARIAL_ASCII = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
  556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278,
  469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260,
  334, 584,
];
const ARIAL_OTHER: Record<string, number> = {
  '‘': 222,
  '’': 222,
  '“': 333,
  '”': 333,
  '–': 556,
  '—': 1000,
  '•': 350,
  '…': 1000,
  '·': 278,
  '€': 556,
  '\u00A0': 278,
};

function charWidth(ch: string): number {
  const code = ch.codePointAt(0)!;
  if (code >= 32 && code <= 126) return ARIAL_ASCII[code - 32]!;
  return ARIAL_OTHER[ch] ?? (code >= 0x2e80 ? 1000 : 600);
}

interface Font {
  size: number;
  bold: boolean;
}
const BODY: Font = { size: FONT_SIZE, bold: false };

/** Width of a text in pixels at 96 dpi, a little generous so nothing is cut off. */
function textWidth(text: string, font: Font): number {
  let em = 0;
  for (const ch of text.normalize('NFD')) if (!/\p{M}/u.test(ch)) em += charWidth(ch);
  return (em / 1000) * font.size * (96 / 72) * (font.bold ? 1.1 : 1) * 1.05;
}

/** A column width (in Excel's units: widths of a digit of the default font, 7 px) as pixels. */
const columnPixels = (width: number) => Math.floor(width * 7 + 5);
/** Room for text in a cell that spans these widths, leaving the cell's margins. */
const textRoom = (widths: number[]) => widths.reduce((s, w) => s + columnPixels(w), 0) - 8;
/** The column width a text needs to fit on one line. */
const widthFor = (text: string, font: Font) => Math.ceil((textWidth(text, font) + 8 - 5) / 7);
const longestWord = (text: string, font: Font) => text.split(' ').reduce((m, w) => Math.max(m, widthFor(w, font)), 0);

/** How many lines a text takes when wrapped at spaces in `room` pixels (a word too long is broken). */
function lineCount(text: string, font: Font, room: number): number {
  if (text === '') return 1;
  const space = textWidth(' ', font);
  let lines = 1;
  let used = 0;
  for (const word of text.split(' ')) {
    let w = textWidth(word, font);
    if (used > 0 && used + space + w <= room) {
      used += space + w;
      continue;
    }
    if (used > 0) lines++;
    while (w > room) {
      lines++;
      w -= room;
    }
    used = w;
  }
  return lines;
}

/** Row height in points for lines of text in a font (Excel's own for Arial 10 is 12.75). */
const lineHeight = (font: Font) => Math.ceil(font.size * 1.275 * 4) / 4;

// --- the sheet as lines -------------------------------------------------------------------------

/** Where a piece of a line goes; resolved to columns once the sheet's grid is known. */
type Place = 'all' | 'label' | 'value' | 'item' | 'note' | { table: number; column: number };

interface Piece {
  place: Place;
  text: string;
  /** A number to write instead of the text, with its number format. */
  number?: { value: number; format: string };
  style: Style;
  indent?: number;
  /** A cell in a table column of numbers. */
  numeric?: boolean;
}

interface Style {
  font: Font;
  cell: Omit<CellObject, 'value' | 'type' | 'format' | 'columnSpan' | 'height'>;
}

const style = (font: Partial<Font>, cell: Style['cell'] = {}): Style => {
  const f = { ...BODY, ...font };
  return { font: f, cell: { ...(f.size !== FONT_SIZE && { fontSize: f.size }), ...(f.bold && { fontWeight: 'bold' }), ...cell } };
};

const STYLES = {
  coverTitle: style({ size: 18, bold: true }, { textColor: '#1A1A1A' }),
  title: style({ size: 14, bold: true }, { textColor: '#1A1A1A' }),
  coverLine: style({ size: 11 }, { textColor: '#444444' }),
  h1: style({ size: 14, bold: true }),
  h3: style({ size: 12, bold: true }, { textColor: '#333333' }),
  label: style({ bold: true }),
  text: style({}),
  quiet: style({}, { textColor: GREY_TEXT, fontStyle: 'italic' }),
  notice: style({ bold: true }, { textColor: '#6B3D00', backgroundColor: '#FFF1D6' }),
  factLabel: style({ bold: true }),
  note: style({}, { textColor: GREY_TEXT }),
  sub: style({}, { textColor: '#444444' }),
  th: style({ bold: true }, { backgroundColor: '#E6E6E6', ...BORDER }),
  td: style({}, BORDER),
} satisfies Record<string, Style>;

interface Line {
  pieces: Piece[];
  /** A thin empty row between blocks. */
  spacer?: boolean;
  /** The header row of a table. */
  header?: boolean;
}

const SPACER: Line = { pieces: [], spacer: true };

interface Section {
  name: string;
  title: string;
  cover?: Cover;
  blocks: Block[];
}

/** Splits the outline into sheets: the cover, then one per level-2 heading. */
function sections(outline: Outline): Section[] {
  const out: Section[] = [{ name: REPORT_TEXT[outline.lang].coverSheet, title: outline.cover.heading, cover: outline.cover, blocks: [] }];
  for (const b of outline.blocks) {
    if (b.kind === 'heading' && b.level === 2) out.push({ name: b.text, title: b.text, blocks: [] });
    else out.at(-1)!.blocks.push(b);
  }
  return out;
}

type TableBlock = Extract<Block, { kind: 'table' }>;

/** A chart is shown as the table of its bars, or left out when a table beside it has its numbers. */
function tableOf(b: Block): TableBlock | null {
  if (b.kind === 'table') return b;
  if (b.kind === 'chart' && b.asTable) return chartTable(b, b.asTable);
  return null;
}

/** Number formats per column: a percentage as a fraction, with one decimal when any value has one. */
function columnFormats(b: TableBlock): string[] {
  return b.columns.map((_, i) => {
    const cells = b.rows.map((r) => r[i]).filter((c): c is Exclude<Cell, string> => typeof c === 'object' && c !== null);
    const decimals = cells.some((c) => !Number.isInteger(c.value));
    return cells.some((c) => c.percent) ? (decimals ? '0.0%' : '0%') : decimals ? '#,##0.0' : '#,##0';
  });
}

function tableLines(b: TableBlock, table: number): Line[] {
  const formats = columnFormats(b);
  const align = (i: number) => (b.columns[i]?.numeric ? { align: 'right' as const } : {});
  const header: Line = {
    header: true,
    pieces: b.columns.map((c, i) => ({
      place: { table, column: i },
      text: plain(c.label),
      numeric: c.numeric,
      style: { ...STYLES.th, cell: { ...STYLES.th.cell, ...align(i) } },
    })),
  };
  const rows = b.rows.map((row): Line => ({
    pieces: b.columns.map((_, i): Piece => {
      const cell = row[i] ?? '';
      const numeric = b.columns[i]?.numeric;
      const td = { ...STYLES.td, cell: { ...STYLES.td.cell, ...align(i) } };
      const place = { table, column: i };
      if (typeof cell === 'string' || !Number.isFinite(cell.value)) return { place, text: plain(cellText(cell)), numeric, style: td };
      const number = { value: cell.percent ? cell.value / 100 : cell.value, format: formats[i]! };
      return { place, text: plain(cell.text), numeric, number, style: td };
    }),
  }));
  return [header, ...rows];
}

/**
 * A long text in parts of at most `max` characters, split after a sentence where it can: a
 * row is at most 409 points high, so a wall of text goes over several rows.
 */
export function textParts(text: string, max = 1200): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const part = rest.slice(0, max);
    const sentence = Math.max(part.lastIndexOf('. '), part.lastIndexOf('! '), part.lastIndexOf('? '));
    const word = part.lastIndexOf(' ');
    let at = sentence > max / 2 ? sentence + 1 : word > 0 ? word : max;
    if (/[\uD800-\uDBFF]/.test(rest[at - 1]!)) at--; // never between the halves of one character
    out.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  return rest ? [...out, rest] : out.length > 0 ? out : [''];
}

/** The lines of a block; `table` numbers the block's table within its sheet, if it has one. */
function blockLines(b: Block, table: number): Line[] {
  /** A text over as many rows as it needs; `first` goes beside its first part. */
  const rows = (place: Place, text: string, s: Style, first: Piece[] = [], indent?: number): Line[] =>
    textParts(text).map((part, i) => ({ pieces: [...(i === 0 ? first : []), { place, text: part, style: s, ...(indent && { indent }) }] }));
  const line = (text: string, s: Style) => rows('all', plain(text), s);
  switch (b.kind) {
    case 'heading':
      return line(b.text, b.level === 1 ? STYLES.h1 : STYLES.h3);
    case 'paragraph':
      return line(b.text, b.tone === 'quiet' ? STYLES.quiet : b.tone === 'notice' ? STYLES.notice : STYLES.text);
    case 'label':
      return line(b.text, STYLES.label);
    case 'facts':
      return b.rows.flatMap((r) => rows('value', plain(r.value), STYLES.text, [{ place: 'label', text: plain(r.label), style: STYLES.factLabel }]));
    case 'list': {
      const where: Place = b.items.some((item) => item.note) ? 'item' : 'all';
      return b.items.flatMap((item, i): Line[] => {
        const note: Piece[] = item.note ? [{ place: 'note', text: plain(item.note), style: STYLES.note }] : [];
        return [
          ...rows(where, `${b.ordered ? `${i + 1}.` : '•'} ${plain(item.text)}`, STYLES.text, note),
          ...(item.sub ?? []).flatMap((sub) => rows(where, `– ${plain(sub)}`, STYLES.sub, [], 2)),
        ];
      });
    }
    case 'table':
      return tableLines(b, table);
    case 'chart': {
      const bars = tableOf(b);
      return bars ? [...line(b.title, STYLES.label), ...tableLines(bars, table)] : [];
    }
  }
}

/** An empty row between blocks, except after one that introduces the next and between paragraphs. */
const gapBetween = (previous: Block | null, b: Block) =>
  !previous || !(previous.kind === 'heading' || previous.kind === 'label' || (previous.kind === 'paragraph' && b.kind === 'paragraph'));

// --- the grid -----------------------------------------------------------------------------------

interface Grid {
  widths: number[];
  span: (place: Place) => [number, number];
}

/** How a number shows with its format (near enough to size its column: Excel shows "###" in one too narrow). */
function shown(n: { value: number; format: string }): string {
  const percent = n.format.endsWith('%');
  const decimals = n.format.includes('.0') ? 1 : 0;
  const text = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(percent ? n.value * 100 : n.value);
  return percent ? `${text}%` : text;
}

/**
 * Column widths from content. Each table column is as wide as its longest cell (a text column
 * up to a limit, beyond which it wraps; a header wraps between its words only when it must);
 * table i's column j sits in grid column j, so tables of one kind line up. Where that would put
 * a column of numbers in a much wider column (say a count under another table's text column),
 * the grid column is split and the wider table's cell spans both parts.
 */
function grid(lines: Line[]): Grid {
  const needs: { need: number; numeric: boolean }[][] = [];
  let labels = 0;
  let notes = 0;
  let facts = false;
  for (const l of lines) {
    for (const p of l.pieces) {
      if (typeof p.place === 'object') {
        const { table, column } = p.place;
        const text = l.header ? headerNeed(p) : Math.max(widthFor(p.text, p.style.font), p.number ? widthFor(shown(p.number), p.style.font) : 0);
        const need = Math.max(MIN_COLUMN, Math.min(text, p.numeric ? MAX_NUMBER_COLUMN : MAX_TEXT_COLUMN));
        const col = ((needs[table] ??= [])[column] ??= { need: MIN_COLUMN, numeric: !!p.numeric });
        col.need = Math.max(col.need, need);
      }
      if (p.place === 'label' || p.place === 'value') facts = true;
      if (p.place === 'label') labels = Math.max(labels, Math.min(widthFor(p.text, p.style.font), MAX_LABEL_COLUMN));
      if (p.place === 'note') notes = Math.max(notes, Math.min(widthFor(p.text, p.style.font), MAX_NOTE_COLUMN));
    }
  }

  const widths: number[] = [];
  /** Per table, per column: the grid columns it spans. */
  const spans: [number, number][][] = needs.map(() => []);
  /** Splits grid column `at` in two, the first `first` wide; whatever spanned it spans both. */
  const split = (at: number, first: number) => {
    widths.splice(at, 1, first, widths[at]! - first);
    for (const s of spans.flat()) {
      if (s[0] > at) s[0]++;
      if (s[1] >= at) s[1]++;
    }
  };
  /** Much wider than needed: a column of numbers, fact labels or notes would look lost in it. */
  const tooWide = (w: number, need: number) => w > 2 * need + 4;
  const layOut = (splitting: boolean) =>
    needs.forEach((columns, t) => {
      let at = 0;
      columns.forEach((c, j) => {
        if (at >= widths.length) widths.push(c.need);
        if (splitting && c.numeric && tooWide(widths[at]!, c.need)) split(at, c.need);
        else widths[at] = Math.max(widths[at]!, c.need);
        spans[t]![j] = [at, at];
        at++;
      });
    });
  layOut(false);
  layOut(true);

  // Without tables: fact labels, the text, list notes. With tables: fact labels in the first
  // column, an empty column after the tables up to the sheet's width (text spans it, tables keep
  // their own width), list notes in the last column.
  if (needs.length === 0) {
    if (facts) widths.push(labels);
    widths.push(Math.max(MIN_COLUMN, SHEET_WIDTH - labels - notes));
    if (notes > 0) widths.push(notes);
  } else {
    if (facts && tooWide(widths[0]!, labels)) split(0, labels);
    else if (facts) widths[0] = Math.max(widths[0]!, labels);
    const total = widths.reduce((s, w) => s + w, 0);
    if (total < SHEET_WIDTH) widths.push(SHEET_WIDTH - total);
    const last = widths.length - 1;
    if (notes > 0 && tooWide(widths[last]!, notes)) split(last, widths[last]! - notes);
    else if (notes > 0) widths[last] = Math.max(widths[last]!, notes);
  }
  const n = widths.length;

  const span = (place: Place): [number, number] => {
    if (typeof place === 'object') return spans[place.table]![place.column]!;
    if (place === 'label') return [0, 0];
    if (place === 'value') return [Math.min(1, n - 1), n - 1];
    if (place === 'item') return [0, Math.max(0, n - 2)];
    if (place === 'note') return [n - 1, n - 1];
    return [0, n - 1];
  };
  return { widths, span };
}

/** A header fits on one line when it can; else it wraps between words. */
function headerNeed(p: Piece): number {
  const whole = widthFor(p.text, p.style.font);
  return whole <= (p.numeric ? MAX_NUMBER_COLUMN : MAX_TEXT_COLUMN) ? whole : longestWord(p.text, p.style.font);
}

/** Points a line needs: its tallest piece, wrapped in the width it spans. */
function heightOf(line: Line, g: Grid): number {
  if (line.spacer) return SPACER_HEIGHT;
  return line.pieces.reduce((h, p) => {
    const [from, to] = g.span(p.place);
    const room = textRoom(g.widths.slice(from, to + 1)) - (p.indent ?? 0) * 9;
    const lines = p.number ? 1 : lineCount(p.text, p.style.font, room);
    return Math.min(MAX_ROW_HEIGHT, Math.max(h, lines * lineHeight(p.style.font) + (lines > 1 ? 1.5 : 0)));
  }, lineHeight(BODY));
}

function toRow(line: Line, g: Grid): Row {
  const row: Row = Array.from({ length: g.widths.length }, () => null);
  if (line.spacer) return [{ value: '', height: SPACER_HEIGHT }];
  const height = heightOf(line, g);
  for (const p of line.pieces) {
    const [from, to] = g.span(p.place);
    const common: CellObject = {
      ...p.style.cell,
      fontFamily: FONT,
      alignVertical: 'top',
      ...(to > from && { columnSpan: to - from + 1 }),
      ...(p.indent && { indent: p.indent }),
    };
    row[from] = p.number
      ? { ...common, value: p.number.value, type: Number, format: p.number.format }
      : // A string is always a string: text starting with "=" never becomes a formula.
        { ...common, value: p.text, type: String, wrap: true };
  }
  if (height !== lineHeight(BODY)) {
    const first = row.findIndex((c) => c !== null);
    if (first >= 0) row[first] = { ...(row[first] as CellObject), height };
  }
  return row;
}

// --- sheet names --------------------------------------------------------------------------------

/**
 * A valid, unique sheet name: at most 31 characters, none of []:*?/\, not starting or ending
 * with an apostrophe, unique regardless of case (as Excel compares them).
 */
export function sheetName(text: string, taken: Set<string>): string {
  const base =
    plain(text)
      .replace(/\s*:\s*/g, ' - ')
      .replace(/[[]/g, '(')
      .replace(/[\]]/g, ')')
      .replace(/[/\\]/g, '-')
      .replace(/[*?]/g, '')
      .replace(/^'+|'+$/g, '')
      .trim() || 'Blad';
  const fit = (s: string, max: number) => {
    const chars = [...s];
    if (chars.length <= max) return s;
    const cut = chars.slice(0, max - 1).join('');
    const atSpace = cut.lastIndexOf(' ');
    return `${(atSpace > max / 2 ? cut.slice(0, atSpace) : cut).trimEnd()}…`;
  };
  for (let i = 1; ; i++) {
    const suffix = i === 1 ? '' : ` (${i})`;
    const name = fit(base, 31 - suffix.length) + suffix;
    if (!taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase());
      return name;
    }
  }
}

// --- the workbook -------------------------------------------------------------------------------

interface SheetPlan {
  sheet: Sheet<FileContent>;
  frozen: number;
}

function planSheet(section: Section, name: string): SheetPlan {
  const lines: Line[] = [];
  const cover = section.cover;
  if (cover) {
    lines.push({ pieces: [{ place: 'all', text: plain(cover.heading), style: STYLES.coverTitle }] });
    const where = [cover.organisation, cover.date, cover.place].filter((x): x is string => !!x).map(plain);
    if (where.length > 0) lines.push({ pieces: [{ place: 'all', text: where.join(' · '), style: STYLES.coverLine }] });
    if (cover.notice) lines.push(SPACER, { pieces: [{ place: 'all', text: plain(cover.notice), style: STYLES.notice }] });
  } else {
    lines.push({ pieces: [{ place: 'all', text: plain(section.title), style: STYLES.title }] });
  }

  let frozen = 1;
  const tables = section.blocks.filter((b) => tableOf(b) !== null).length;
  const oneTable = tables === 1 && section.blocks.every((b) => b.kind !== 'list' && b.kind !== 'facts');
  let previous: Block | null = null;
  let headerAt = -1;
  let table = 0;
  for (const b of section.blocks) {
    const out = blockLines(b, table);
    if (tableOf(b)) table++;
    if (out.length === 0) continue;
    if (gapBetween(previous, b)) lines.push(SPACER);
    if (oneTable && headerAt < 0 && tableOf(b)) headerAt = lines.length + out.findIndex((l) => l.header);
    lines.push(...out);
    previous = b;
  }

  const g = grid(lines);
  // On a sheet that is one table, its header stays in view too, if what is above it is short.
  if (headerAt > 0) {
    const above = lines.slice(1, headerAt).reduce((h, l) => h + heightOf(l, g), 0);
    if (above <= MAX_FROZEN_HEIGHT) frozen = headerAt + 1;
  }
  const wide = g.widths.reduce((s, w) => s + w, 0) > SHEET_WIDTH + 10;
  return {
    frozen,
    sheet: {
      sheet: name,
      data: lines.map((l) => toRow(l, g)),
      columns: g.widths.map((width) => ({ width })),
      stickyRowsCount: frozen,
      showGridLines: false,
      ...(wide && { orientation: 'landscape' as const }),
    },
  };
}

/**
 * What write-excel-file leaves out: the workbook's title and author, printing to the page's
 * width with frozen rows repeated and page numbers in the footer, and the pane of a frozen
 * top row named as Excel itself names it.
 */
function workbookFeature(title: string, lang: ReportLanguage, plans: SheetPlan[]): Feature<FileContent> {
  const t = REPORT_TEXT[lang];
  const core =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeXml(plain(title))}</dc:title><dc:creator>Tafelronde</dc:creator>` +
    `<cp:lastModifiedBy>Tafelronde</cp:lastModifiedBy><dc:language>${escapeXml(t.locale)}</dc:language>` +
    '</cp:coreProperties>';
  const footer = escapeXml(`&L&A&R${t.pageOf('&P', '&N').replace(/&(?![PN])/g, '&&')}`);
  const quote = (name: string) => `'${name.replace(/'/g, "''")}'`;
  const printTitles = plans
    .map((p, i) => `<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${escapeXml(quote(p.sheet.sheet!))}!$1:$${p.frozen}</definedName>`)
    .join('');
  return {
    files: {
      write: { files: () => ({ 'docProps/core.xml': core }) },
      transform: {
        '[Content_Types].xml': {
          insert: () => '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>',
        },
        '_rels/.rels': {
          insert: () =>
            '<Relationship Id="rId-tafelronde-core" ' +
            'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>',
        },
        'xl/workbook.xml': {
          transform: (xml) => xml.replace('<definedNames/>', `<definedNames>${printTitles}</definedNames>`),
        },
        'xl/worksheets/sheet{id}.xml': {
          transform: (xml) =>
            xml
              .replace(/<worksheet [^>]*>/, (open) => `${open}<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`)
              .replace(
                /<pane ySplit="(\d+)" xSplit="0" topLeftCell="([A-Z]+\d+)" activePane="bottomRight" state="frozen"\/>/,
                '<pane ySplit="$1" topLeftCell="$2" activePane="bottomLeft" state="frozen"/>',
              )
              .replace(/<pageMargins [^>]*\/>/, '<printOptions horizontalCentered="1"/>$&')
              .replace(
                /<pageSetup ([^>]*)\/>|(?=<\/worksheet>)/,
                (_, attrs?: string) =>
                  `<pageSetup paperSize="9" ${attrs ? attrs.replace(/paperSize="\d+"\s*/, '') : ''}fitToWidth="1" fitToHeight="0"/>` +
                  `<headerFooter><oddFooter>${footer}</oddFooter></headerFooter>`,
              ),
        },
      },
    },
  };
}

export async function renderXlsx(outline: Outline): Promise<Buffer> {
  const taken = new Set(['history']); // Excel keeps "History" for itself.
  const plans = sections(outline).map((s) => planSheet(s, sheetName(s.name, taken)));
  return writeXlsxFile(
    plans.map((p) => p.sheet),
    { fontFamily: FONT, fontSize: FONT_SIZE, features: [workbookFeature(outline.cover.heading, outline.lang, plans)] },
  ).toBuffer();
}
