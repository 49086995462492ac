/**
 * Renders the report outline as a PDF on the server, with pdfmake: A4, a title page, page
 * numbers in the footer, tables whose header row repeats, and charts drawn as vectors.
 *
 * Every text goes in as plain text (pdfmake has no markup), cleaned of control characters.
 * The fonts are Roboto as shipped inside the pdfmake package, read from node_modules once per
 * process and embedded (subset) in every file, so Dutch diacritics print the same everywhere.
 * pdfmake may neither fetch a URL nor read a local file: fonts come from its in-memory file
 * system and the logo from a data URL.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pdfmake from 'pdfmake';
import type {
  CanvasElement,
  Column,
  Content,
  ContentStack,
  ContentTable,
  ContentText,
  CustomTableLayout,
  Node,
  NodeQueries,
  OrderedListElement,
  TableCell,
  TDocumentDefinitions,
  UnorderedListElement,
} from 'pdfmake/interfaces';
import { cellText, cleanText, type Block, type Cover, type ListItem, type Outline } from '../../shared/reportOutline.js';
import { REPORT_TEXT, type ReportText } from '../../shared/reportText.js';
import type { ReportLogo } from './reportLogo.js';

// --- page geometry (points; 1 cm = 28.35 pt) ----------------------------------------------------

const CM = 72 / 2.54;
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 2 * CM, top: 2 * CM, right: 2 * CM, bottom: 2.2 * CM };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const LOGO_BOX = { width: 5 * CM, height: 3 * CM };

const COLOR = {
  text: '#1a1a1a',
  accent: '#1d4e63',
  quiet: '#555555',
  note: '#666666',
  rule: '#9fb3bd',
  border: '#c3cbd0',
  headerFill: '#e8eef1',
  bar: '#2b6a8a',
  threshold: '#aa3333',
  noticeFill: '#fff6e5',
  noticeBorder: '#b36b00',
} as const;

const BODY_SIZE = 10.5;
const TABLE_SIZE = 9.5;

// --- fonts: read once per process -----------------------------------------------------------------

const FONT = 'Roboto';
const FONT_FILES = {
  normal: 'Roboto-Regular.ttf',
  bold: 'Roboto-Medium.ttf',
  italics: 'Roboto-Italic.ttf',
  bolditalics: 'Roboto-MediumItalic.ttf',
} as const;

/** pdfmake's in-memory file system (Node build); the published types leave it out. */
interface VirtualFs {
  writeFileSync(name: string, content: Buffer): void;
}

let configured = false;
/** The characters the font can draw (all four styles cover the same set). */
let covered: ReadonlySet<number> = new Set();

/** Puts the font files into pdfmake's memory and forbids it every other source, once. */
function configure(): void {
  if (configured) return;
  const require = createRequire(import.meta.url);
  const vfs = (pdfmake as unknown as { virtualfs: VirtualFs }).virtualfs;
  const names: Record<string, string> = {};
  for (const [style, file] of Object.entries(FONT_FILES)) {
    const name = `tafelronde-fonts/${file}`;
    const data = readFileSync(require.resolve(`pdfmake/fonts/Roboto/${file}`));
    if (style === 'normal') covered = fontCharacters(data);
    vfs.writeFileSync(name, data);
    names[style] = name;
  }
  pdfmake.setFonts({ [FONT]: names });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);
  configured = true;
}

/**
 * The code points a TrueType font maps to a glyph, read from its Unicode `cmap` subtable
 * (format 12 or 4). Empty if the font has neither, so every character then stays as it is.
 */
function fontCharacters(font: Buffer): Set<number> {
  const out = new Set<number>();
  const tables = font.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < tables; i++) {
    const record = 12 + i * 16;
    if (font.toString('latin1', record, record + 4) === 'cmap') cmap = font.readUInt32BE(record + 8);
  }
  if (cmap < 0) return out;
  const subtables = new Map<string, number>();
  for (let i = 0; i < font.readUInt16BE(cmap + 2); i++) {
    const at = cmap + 4 + i * 8;
    subtables.set(`${font.readUInt16BE(at)}.${font.readUInt16BE(at + 2)}`, cmap + font.readUInt32BE(at + 4));
  }
  const full = subtables.get('3.10') ?? subtables.get('0.4') ?? subtables.get('0.6');
  if (full !== undefined && font.readUInt16BE(full) === 12) {
    const groups = font.readUInt32BE(full + 12);
    for (let g = 0; g < groups; g++) {
      const at = full + 16 + g * 12;
      const [start, end, glyph] = [font.readUInt32BE(at), font.readUInt32BE(at + 4), font.readUInt32BE(at + 8)];
      for (let c = start; c <= end; c++) if (glyph + (c - start) !== 0) out.add(c);
    }
    return out;
  }
  const bmp = subtables.get('3.1') ?? subtables.get('0.3');
  if (bmp === undefined || font.readUInt16BE(bmp) !== 4) return out;
  const segments = font.readUInt16BE(bmp + 6) / 2;
  const ends = bmp + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const offsets = deltas + segments * 2;
  for (let i = 0; i < segments; i++) {
    const [end, start, delta, offset] = [
      font.readUInt16BE(ends + i * 2),
      font.readUInt16BE(starts + i * 2),
      font.readInt16BE(deltas + i * 2),
      font.readUInt16BE(offsets + i * 2),
    ];
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph = offset === 0 ? c : font.readUInt16BE(offsets + i * 2 + offset + (c - start) * 2);
      if (offset !== 0 && glyph === 0) continue;
      glyph = (glyph + delta) & 0xffff;
      if (glyph !== 0) out.add(c);
    }
  }
  return out;
}

// --- helpers ------------------------------------------------------------------------------------

/** An emoji with its modifiers and joined parts, or a flag: one picture. */
const PICTURE = /\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F|\u200D\p{Extended_Pictographic})*|\p{Regional_Indicator}{2}/gu;
/** Characters that only shape their neighbours. */
const INVISIBLE = new Set([0x200c, 0x200d, 0xfe0e, 0xfe0f]);

/**
 * Text as the font can draw it: cleaned of control characters, and each character the font
 * lacks (an emoji, a script it does not cover) shown as one replacement mark. A missing glyph
 * would otherwise print as an empty box that pdfmake measures wrongly, overlapping the text.
 */
function clean(text: string): string {
  const drawable = (ch: string) => covered.size === 0 || covered.has(ch.codePointAt(0)!);
  const pictures = cleanText(text).replace(PICTURE, (seq) =>
    Array.from(seq).every((ch) => drawable(ch) || INVISIBLE.has(ch.codePointAt(0)!)) ? seq : '\uFFFD',
  );
  let out = '';
  for (const ch of pictures) {
    if (drawable(ch) || /\s/.test(ch)) out += ch;
    else if (!INVISIBLE.has(ch.codePointAt(0)!)) out += '\uFFFD';
  }
  return out;
}

/** At most `max` characters, cut at a word where possible, with an ellipsis. */
function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A rough count of lines, to decide what may safely be kept on one page. */
const lines = (text: string, perLine: number) => Math.max(1, Math.ceil(Array.from(text).length / perLine));
/** Characters per line of body text across the full width; on the generous side. */
const FULL_LINE = 80;
/** A block this many body lines or less can be kept whole; a page holds about 48. */
const SMALL = 22;

/**
 * Whether every row surely fits on a page, so rows may be kept whole: pdfmake drops what does
 * not fit of a block it may not break. The limits on what people type keep rows far below this.
 */
const rowsFit = (rows: string[][]) => rows.every((row) => row.every((cell) => cell.length <= 1500));

interface Piece {
  nodes: Content[];
  /** The first node is small enough to keep on one page with the heading before it. */
  firstSmall: boolean;
}

// --- blocks -------------------------------------------------------------------------------------

/** Headings: 19, 15 and 12 pt; a level 2 heading is underlined across the page. */
function heading(b: Extract<Block, { kind: 'heading' }>, opensPage: boolean): Content {
  const text = clean(b.text);
  // A heading that opens a page needs no space above it.
  const top = (space: number) => (opensPage ? 0 : space);
  switch (b.level) {
    case 1:
      return { text, style: 'h1', margin: [0, top(18), 0, 8] };
    case 2:
      return {
        stack: [{ text, style: 'h2' }, { canvas: [{ type: 'line', x1: 0, y1: 0, x2: CONTENT_WIDTH, y2: 0, lineWidth: 0.75, lineColor: COLOR.rule }] }],
        margin: [0, top(20), 0, 8],
      };
    case 3:
      return { text, style: 'h3', margin: [0, top(12), 0, 5] };
  }
}

function paragraph(b: Extract<Block, { kind: 'paragraph' }>): Piece {
  const text = clean(b.text);
  const small = lines(text, FULL_LINE) <= SMALL;
  if (b.tone === 'notice') return { nodes: [notice(text)], firstSmall: small };
  return { nodes: [{ text, style: b.tone === 'quiet' ? 'quiet' : 'paragraph' }], firstSmall: small };
}

/** A shaded box with a coloured bar on its left, like the HTML report's notice. */
function notice(text: string, margin: [number, number, number, number] = [0, 2, 0, 10]): Content {
  return {
    table: { widths: ['*'], body: [[{ text, bold: true, color: '#4a2c00' }]] },
    layout: {
      hLineWidth: () => 0,
      vLineWidth: (i) => (i === 0 ? 3 : 0),
      vLineColor: () => COLOR.noticeBorder,
      fillColor: () => COLOR.noticeFill,
      paddingLeft: () => 10,
      paddingRight: () => 10,
      paddingTop: () => 7,
      paddingBottom: () => 7,
    },
    margin,
  };
}

function facts(b: Extract<Block, { kind: 'facts' }>): Piece {
  const body: TableCell[][] = b.rows.map((r) => [{ text: clean(r.label), bold: true, color: '#333333' }, { text: clean(r.value) }]);
  const height = b.rows.reduce((n, r) => n + lines(r.value, 60), 0);
  return {
    nodes: [
      {
        table: { widths: ['auto', '*'], body, dontBreakRows: rowsFit(b.rows.map((r) => [r.value])) },
        layout: {
          hLineWidth: () => 0,
          vLineWidth: () => 0,
          paddingLeft: (i) => (i === 0 ? 0 : 12),
          paddingRight: () => 0,
          paddingTop: () => 2,
          paddingBottom: () => 2,
        },
        margin: [0, 0, 0, 10],
      },
    ],
    firstSmall: height <= SMALL,
  };
}

function listItem(item: ListItem): { node: UnorderedListElement; height: number } {
  const text = clean(item.text);
  const note = item.note ? clean(item.note) : '';
  const subs = (item.sub ?? []).map(clean).filter(Boolean);
  const line: ContentText = {
    text: note ? [{ text }, { text: ` (${note})`, italics: true, color: COLOR.note }] : text,
  };
  const height = lines(`${text} (${note})`, FULL_LINE - 4) + subs.reduce((n, s) => n + lines(s, FULL_LINE - 8), 0);
  const node: ContentStack | ContentText =
    subs.length === 0 ? line : { stack: [line, { ul: subs.map((s) => ({ text: s })), type: 'circle', style: 'sub', margin: [0, 1, 0, 0] }] };
  // An item with its merged texts stays on one page, unless it could not fit on one.
  if (height <= SMALL) (node as ContentStack).unbreakable = true;
  return { node: { ...node, margin: [0, 0, 0, 2.5] }, height };
}

/**
 * A list, in up to three parts: its first two items (which may stay with the heading before
 * it), the middle, and its last two items, kept together so no page holds one item alone.
 */
function list(b: Extract<Block, { kind: 'list' }>): Piece {
  const items = b.items.map(listItem);
  const make = (part: typeof items, start: number, last: boolean): Content => {
    const margin: [number, number, number, number] = [0, 0, 0, last ? 8 : 0];
    const body = part.map((i) => i.node);
    const node: Content = b.ordered ? { ol: body as OrderedListElement[], start: start + 1, margin } : { ul: body, margin, markerColor: COLOR.accent };
    const height = part.reduce((n, i) => n + i.height, 0);
    return part.length > 1 && height <= SMALL ? { stack: [node], unbreakable: true } : node;
  };
  const total = items.reduce((n, i) => n + i.height, 0);
  if (items.length <= 4 && total <= SMALL) return { nodes: [make(items, 0, true)], firstSmall: true };
  const head = items.slice(0, 2);
  const tailStart = Math.max(2, items.length - 2);
  const middle = items.slice(2, tailStart);
  const tail = items.slice(tailStart);
  const nodes: Content[] = [make(head, 0, tail.length === 0 && middle.length === 0)];
  if (middle.length > 0) nodes.push(make(middle, 2, tail.length === 0));
  if (tail.length > 0) nodes.push(make(tail, tailStart, true));
  return { nodes, firstSmall: head.reduce((n, i) => n + i.height, 0) <= SMALL };
}

const TABLE_LAYOUT: CustomTableLayout = {
  hLineWidth: () => 0.5,
  vLineWidth: () => 0.5,
  hLineColor: () => COLOR.border,
  vLineColor: () => COLOR.border,
  fillColor: (row) => (row === 0 ? COLOR.headerFill : null),
  paddingLeft: () => 5,
  paddingRight: () => 5,
  paddingTop: () => 3,
  paddingBottom: () => 3,
};

/**
 * Column widths fitted to the content: numbers and short texts as wide as they need, the
 * column with the longest texts (and any other long one) takes the rest of the width.
 */
function columnWidths(b: Extract<Block, { kind: 'table' }>): ('auto' | '*')[] {
  const longest = b.columns.map((_, i) => Math.max(0, ...b.rows.map((row) => Array.from(clean(cellText(row[i] ?? ''))).length)));
  const textColumns = b.columns.map((c, i) => (c.numeric ? -1 : longest[i]!));
  const widest = Math.max(...textColumns);
  return b.columns.map((c, i) => {
    if (c.numeric || widest < 0) return 'auto';
    return longest[i] === widest || longest[i]! > 28 ? '*' : 'auto';
  });
}

function table(b: Extract<Block, { kind: 'table' }>): Piece {
  const align = (i: number) => (b.columns[i]?.numeric ? 'right' : 'left');
  const widths = columnWidths(b);
  // Headers of the narrow columns stay on one line ("Steun %"), as long as that leaves the
  // text columns most of the width; roughly 5.5 pt a character at this size, plus padding.
  const chars = (i: number) =>
    Math.max(Array.from(clean(b.columns[i]!.label)).length, ...b.rows.map((row) => Array.from(clean(cellText(row[i] ?? ''))).length));
  const narrow = widths.reduce((sum, w, i) => (w === 'auto' ? sum + chars(i) * 5.5 + 10 : sum), 0);
  const oneLine = narrow <= CONTENT_WIDTH * 0.6;
  const header: TableCell[] = b.columns.map((c, i) => ({
    // "Steun %" may wrap, but never before its sign.
    text: clean(c.label).replace(/ (?=[%€#]$)/, '\u00A0'),
    bold: true,
    alignment: align(i),
    ...(c.numeric && oneLine && { noWrap: true }),
  }));
  const rows: TableCell[][] = b.rows.map((row) =>
    b.columns.map((c, i) => ({ text: clean(cellText(row[i] ?? '')), alignment: align(i), ...(c.numeric && { noWrap: true }) })),
  );
  // Without a text column the table is only as wide as its numbers.
  const wide = widths.includes('*');
  // The header repeats on every page and goes with the first row; rows are not split.
  const fit = rowsFit(b.rows.map((row) => row.map(cellText)));
  const node: ContentTable = {
    table: { headerRows: 1, keepWithHeaderRows: fit ? 1 : 0, dontBreakRows: fit, widths, body: [header, ...rows] },
    layout: TABLE_LAYOUT,
    style: 'table',
    margin: [0, 2, 0, 10],
  };
  const height = b.rows.reduce((n, row) => n + Math.max(1, ...row.map((c) => lines(cellText(c), 45))), 1);
  return {
    nodes: [
      wide
        ? node
        : {
            columns: [
              { width: 'auto', stack: [node] },
              { width: '*', text: '' },
            ],
          },
    ],
    firstSmall: height <= SMALL,
  };
}

/** A chart's label column, the room kept for the value after a full bar, and the bars' area. */
const CHART_LABEL = 165;
const CHART_VALUE_ROOM = 46;
const CHART_AREA = CONTENT_WIDTH - CHART_LABEL - CHART_VALUE_ROOM;
/** Chart labels wrap; one longer than this is shortened (the table beside it has the full text). */
const CHART_LABEL_CHARS = 110;

/**
 * A horizontal bar chart drawn as vectors, laid out as a table without borders: the label
 * (right-aligned, wrapping) beside a bar scaled to `max`, its value just after the bar. The
 * baseline and the dashed threshold are the table's own vertical lines, so they run unbroken
 * however tall a row grows.
 */
function chart(b: Extract<Block, { kind: 'chart' }>, t: ReportText): Piece {
  const max = b.max > 0 ? b.max : 1;
  const length = (v: number) => (Math.min(Math.max(Number.isFinite(v) ? v : 0, 0), max) / max) * CHART_AREA;
  const threshold = b.threshold === undefined ? null : Math.min(Math.max(b.threshold, 0), 100);
  const split = threshold === null ? null : Math.min(Math.max((threshold / 100) * CHART_AREA, 0.5), CHART_AREA - 0.5);
  const widths = split === null ? [CHART_LABEL, CHART_AREA + CHART_VALUE_ROOM] : [CHART_LABEL, split, CHART_AREA - split + CHART_VALUE_ROOM];
  const empty = () => (split === null ? [] : [{ text: '' }]);
  const body: TableCell[][] = b.bars.map((bar) => {
    const w = length(bar.value);
    const value = clean(bar.text);
    // A value that would sit on the dashed line goes just past it.
    const after = split !== null && w < split && w + 4 + Array.from(value).length * 5 > split - 2 ? split + 3 - w : 4;
    const barCell: TableCell = {
      columns: [
        { width: w, canvas: w > 0 ? barRects(bar, w, b.legend) : [] },
        { width: after + CHART_VALUE_ROOM, text: value, fontSize: 9, margin: [after, 0, 0, 0], noWrap: true },
      ],
      columnGap: 0,
    };
    return [{ text: shorten(clean(bar.label), CHART_LABEL_CHARS), alignment: 'right', fontSize: 9, color: '#222222' }, barCell, ...empty()];
  });
  if (threshold !== null) {
    body.push([
      { text: '' },
      { text: '' },
      { text: `${clean(t.threshold)} ${clean(String(threshold))}%`, fontSize: 8, color: COLOR.threshold, margin: [3, 0, 0, 0] },
    ]);
  }
  const lineAt = split === null ? -1 : 2;
  const layout: CustomTableLayout = {
    hLineWidth: () => 0,
    vLineWidth: (i) => (i === 1 ? 0.75 : i === lineAt ? 1.2 : 0),
    vLineColor: (i) => (i === lineAt ? COLOR.threshold : '#888888'),
    vLineStyle: (i) => (i === lineAt ? { dash: { length: 3, space: 2 } } : null),
    paddingLeft: () => 0,
    paddingRight: (i) => (i === 0 ? 7 : 0),
    paddingTop: () => 2,
    paddingBottom: () => 2,
  };
  const title: Content = { text: clean(b.title), style: 'chartTitle' };
  const height = b.bars.reduce((n, bar) => n + lines(shorten(bar.label, CHART_LABEL_CHARS), 34), 3) + (b.legend ? 1 : 0);
  const key: Content[] = b.legend ? [legend(b.legend)] : [];
  const node: Content = { stack: [title, { table: { widths, body, dontBreakRows: true }, layout }, ...key], margin: [0, 4, 0, 12] };
  // A chart stays whole on a page; only one too tall for a page may run on.
  if (height <= 40) node.unbreakable = true;
  return { nodes: [node], firstSmall: height <= SMALL };
}

type ChartBlock = Extract<Block, { kind: 'chart' }>;

/** A bar of `width`: one rectangle, or a stacked bar's segments side by side in the legend's colours. */
function barRects(bar: ChartBlock['bars'][number], width: number, legend: ChartBlock['legend']): CanvasElement[] {
  if (!bar.segments || !legend) return [{ type: 'rect', x: 0, y: 1.5, w: width, h: 10, color: COLOR.bar }];
  const total = bar.segments.reduce((sum, part) => sum + part, 0) || 1;
  let x = 0;
  return bar.segments.flatMap((part, i): CanvasElement[] => {
    const w = (part / total) * width;
    const at = x;
    x += w;
    return w > 0 ? [{ type: 'rect', x: at, y: 1.5, w, h: 10, color: legend[i]?.color ?? COLOR.bar }] : [];
  });
}

/** The key of a stacked chart under it, aligned with the bars: a swatch and a label per segment. */
function legend(entries: NonNullable<ChartBlock['legend']>): Content {
  return {
    margin: [CHART_LABEL, 3, 0, 0],
    columns: entries.flatMap(({ label, color }): Column[] => [
      { width: 12, canvas: [{ type: 'rect', x: 0, y: 1, w: 8, h: 8, color }] },
      { width: 'auto', text: clean(label), fontSize: 8, color: '#222222', margin: [0, 0, 10, 0] },
    ]),
  };
}

function piece(b: Exclude<Block, { kind: 'heading' | 'label' }>, t: ReportText): Piece {
  switch (b.kind) {
    case 'paragraph':
      return paragraph(b);
    case 'facts':
      return facts(b);
    case 'list':
      return list(b);
    case 'table':
      return table(b);
    case 'chart':
      return chart(b, t);
  }
}

/** Height of a heading or label with the space around it, roughly, in points. */
const HEAD_HEIGHT = { 1: 52, 2: 52, 3: 33, label: 24 } as const;
/** Room the start of a table or a long text needs below its heading: a header and a row. */
const START_ROOM = 60;

/**
 * The body. A heading or label never ends a page: it goes on one page with the start of what
 * follows (kept unbreakable), or, when that start is too tall to keep, it is marked so that
 * `pageBreakBefore` moves it to the next page when too little room is left below it.
 */
function body(blocks: Block[], t: ReportText): Content[] {
  const out: Content[] = [];
  let pending: { node: Content; height: number }[] = [];
  let breakBefore = false;
  const flush = (next: Piece | null) => {
    if (pending.length === 0) return;
    const pageBreak = breakBefore ? ('before' as const) : undefined;
    if (next && next.firstSmall) {
      out.push({ stack: [...pending.map((p) => p.node), next.nodes[0]!], unbreakable: true, ...(pageBreak && { pageBreak }) });
      out.push(...next.nodes.slice(1));
    } else if (next) {
      // Each heading needs room for itself, the headings after it and the start of the content.
      const room = (i: number) => pending.slice(i).reduce((sum, p) => sum + p.height, START_ROOM);
      out.push({ stack: pending.map((p, i) => markHeadline(p.node, Math.round(room(i)))), ...(pageBreak && { pageBreak }) });
      out.push(...next.nodes);
    } else {
      // Nothing follows (the next heading starts a page of its own).
      out.push({ stack: pending.map((p) => p.node), ...(pageBreak && { pageBreak }) });
    }
    pending = [];
    breakBefore = false;
  };
  for (const b of blocks) {
    if (b.kind === 'heading' || b.kind === 'label') {
      if (b.kind === 'heading' && b.pageBreak && pending.length > 0) flush(null);
      // The first page of the body follows the title page already.
      if (b.kind === 'heading' && b.pageBreak && pending.length === 0) breakBefore = out.length > 0;
      const opensPage = pending.length === 0 && (out.length === 0 || breakBefore);
      pending.push(
        b.kind === 'heading'
          ? { node: heading(b, opensPage), height: HEAD_HEIGHT[b.level] }
          : { node: { text: clean(b.text), style: 'label', ...(opensPage && { margin: [0, 0, 0, 3] }) }, height: HEAD_HEIGHT.label },
      );
      continue;
    }
    const next = piece(b, t);
    if (pending.length > 0) flush(next);
    else out.push(...next.nodes);
  }
  flush(null);
  return out;
}

/**
 * Marks a heading and each of its parts for `pageBreakBefore`. pdfmake hands that callback only
 * a few of a node's properties; `headlineLevel` carries the room (in points) the heading needs
 * below its top to stay on its page.
 */
function markHeadline(node: Content, room: number): Content {
  if (typeof node !== 'object' || Array.isArray(node)) return node;
  const marked = { ...node, headlineLevel: room } as Content & { stack?: Content[]; headlineLevel: number };
  if ('stack' in marked && Array.isArray(marked.stack)) marked.stack = marked.stack.map((n) => markHeadline(n, room));
  return marked;
}

/**
 * Moves a marked heading to the next page when the room it needs is not left below it, or when
 * nothing but headings follows it on its page. (A table that does not fit reports the page it
 * was tried on, hence the room.)
 */
function pageBreakBefore(node: Node, queries: NodeQueries): boolean {
  const room = node.headlineLevel;
  if (!room) return false;
  const bottom = PAGE.height - MARGIN.bottom;
  if (node.startPosition.top + room > bottom) return true;
  // The footer is laid out on every page too; it is not content.
  const following = queries.getFollowingNodesOnPage().filter((n) => n.startPosition.top < bottom);
  return following.every((n) => !!n.headlineLevel);
}

// --- title page, footer -----------------------------------------------------------------------

function logoSize(logo: ReportLogo): { width: number; height: number } {
  // Pixels at 96 per inch, scaled to fit the box; a small logo is enlarged at most twice.
  const w = logo.width * 0.75;
  const h = logo.height * 0.75;
  const scale = Math.min(LOGO_BOX.width / w, LOGO_BOX.height / h, 2);
  return { width: w * scale, height: h * scale };
}

function titlePage(c: Cover, logo: ReportLogo | undefined): Content {
  const parts: Content[] = [];
  if (logo) parts.push({ image: 'logo', ...logoSize(logo) });
  const top = logo ? 150 - logoSize(logo).height : 170;
  parts.push({ canvas: [{ type: 'rect', x: 0, y: 0, w: 56, h: 4, color: COLOR.accent }], margin: [0, top, 0, 16] });
  const heading = clean(c.heading);
  // Long titles get a smaller size, so the cover stays one page.
  const size = heading.length <= 90 ? 26 : heading.length <= 180 ? 21 : 16;
  parts.push({ text: heading, style: 'cover', fontSize: size });
  if (c.organisation) parts.push({ text: clean(c.organisation), fontSize: 15, color: '#333333', margin: [0, 18, 0, 0] });
  parts.push({ text: clean(c.date), fontSize: 12.5, color: COLOR.quiet, margin: [0, c.organisation ? 8 : 18, 0, 0] });
  if (c.place) parts.push({ text: clean(c.place), fontSize: 12.5, color: COLOR.quiet, margin: [0, 3, 0, 0] });
  if (c.notice) parts.push(notice(clean(c.notice), [0, 28, 0, 0]));
  return { stack: parts, pageBreak: 'after' };
}

function footer(c: Cover, t: ReportText) {
  const title = shorten(clean(c.heading), 80);
  return (page: number, pages: number): Content =>
    page === 1
      ? ''
      : {
          margin: [MARGIN.left, 0.9 * CM, MARGIN.right, 0],
          stack: [
            { canvas: [{ type: 'line', x1: 0, y1: 0, x2: CONTENT_WIDTH, y2: 0, lineWidth: 0.5, lineColor: COLOR.border }] },
            {
              columns: [
                { text: title, width: '*' },
                { text: t.pageOf(page, pages), width: 'auto', alignment: 'right' },
              ],
              columnGap: 12,
              fontSize: 8,
              color: '#666666',
              margin: [0, 5, 0, 0],
            },
          ],
        };
}

// --- the document ---------------------------------------------------------------------------------

function definition(outline: Outline, logo: ReportLogo | undefined): TDocumentDefinitions {
  const t = REPORT_TEXT[outline.lang];
  // Metadata is shown by the viewer, in its own fonts: the title as typed.
  const title = cleanText(outline.cover.heading);
  return {
    pageSize: 'A4',
    pageMargins: [MARGIN.left, MARGIN.top, MARGIN.right, MARGIN.bottom],
    version: '1.7',
    language: outline.lang,
    displayTitle: true,
    info: {
      title,
      creator: 'Tafelronde',
      producer: 'Tafelronde (pdfmake)',
      ...(outline.cover.organisation && { author: cleanText(outline.cover.organisation) }),
    },
    ...(logo && { images: { logo: `data:${logo.mime};base64,${logo.data.toString('base64')}` } }),
    defaultStyle: { font: FONT, fontSize: BODY_SIZE, lineHeight: 1.22, color: COLOR.text },
    styles: {
      cover: { fontSize: 26, bold: true, color: COLOR.accent, lineHeight: 1.12 },
      h1: { fontSize: 19, bold: true, color: COLOR.accent, lineHeight: 1.15 },
      h2: { fontSize: 15, bold: true, color: COLOR.accent, margin: [0, 0, 0, 4], lineHeight: 1.15 },
      h3: { fontSize: 12, bold: true, color: COLOR.text, lineHeight: 1.15 },
      label: { bold: true, margin: [0, 6, 0, 3] },
      paragraph: { margin: [0, 0, 0, 7] },
      quiet: { italics: true, color: COLOR.quiet, margin: [0, 0, 0, 7] },
      sub: { fontSize: 9.5, color: '#444444' },
      table: { fontSize: TABLE_SIZE, lineHeight: 1.15 },
      chartTitle: { fontSize: 10, bold: true, color: '#333333', margin: [0, 0, 0, 5] },
    },
    footer: footer(outline.cover, t),
    pageBreakBefore,
    content: [titlePage(outline.cover, logo), ...body(outline.blocks, t)],
  };
}

export async function renderPdf(outline: Outline, options: { logo?: ReportLogo } = {}): Promise<Buffer> {
  configure();
  const logo = options.logo && options.logo.width > 0 && options.logo.height > 0 ? options.logo : undefined;
  try {
    return await pdfmake.createPdf(definition(outline, logo)).getBuffer();
  } catch (error) {
    // An image pdfkit cannot read (checked, but an odd PNG variant) costs the logo, not the report.
    if (!logo || !/image/i.test(String(error))) throw error;
    return pdfmake.createPdf(definition(outline, undefined)).getBuffer();
  }
}
