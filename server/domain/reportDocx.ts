/**
 * Renders the report outline as a Word document (.docx) that opens in Word and LibreOffice.
 * Every text goes in as a plain text run, so nothing a person typed can become a field, a
 * link or markup; charts become tables of their numbers.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type FileChild,
} from 'docx';
import type { Report, ReportLanguage } from '../../shared/report.js';
import { chartTable, cleanText, reportDocument, type Block } from '../../shared/reportOutline.js';
import { REPORT_TEXT } from '../../shared/reportText.js';

const ORDERED = 'ordered';
const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: 'AAAAAA' };

const run = (text: string, opts: { bold?: boolean; italics?: boolean; color?: string } = {}) => new TextRun({ text: cleanText(text), ...opts });
/** Cleaned text loses its outer spaces, so the space between two runs is a run of its own. */
const space = () => new TextRun({ text: ' ' });

function table(b: Extract<Block, { kind: 'table' }>): Table {
  const cell = (text: string, numeric: boolean | undefined, header: boolean) =>
    new TableCell({
      children: [new Paragraph({ alignment: numeric ? AlignmentType.RIGHT : AlignmentType.LEFT, children: [run(text, { bold: header })] })],
      ...(header && { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'EEEEEE' } }),
      borders: { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER },
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: b.columns.map((c) => cell(c.label, c.numeric, true)) }),
      ...b.rows.map((row) => new TableRow({ cantSplit: true, children: row.map((text, i) => cell(text, b.columns[i]?.numeric, false)) })),
    ],
  });
}

/** Ordered lists each get their own numbering instance, so every top 3 starts at 1. */
function blocks(outline: Block[]): FileChild[] {
  let lists = 0;
  const out: FileChild[] = [];
  const spacer = () => new Paragraph({ children: [] });
  for (const b of outline) {
    switch (b.kind) {
      case 'heading':
        out.push(new Paragraph({ heading: HEADINGS[b.level], pageBreakBefore: b.pageBreak ?? false, keepNext: true, children: [run(b.text)] }));
        break;
      case 'paragraph':
        out.push(
          new Paragraph({
            children: [run(b.text, { bold: b.tone === 'notice', italics: b.tone === 'quiet', ...(b.tone === 'quiet' && { color: '555555' }) })],
          }),
        );
        break;
      case 'label':
        out.push(new Paragraph({ keepNext: true, spacing: { before: 120 }, children: [run(b.text, { bold: true })] }));
        break;
      case 'facts':
        for (const r of b.rows) out.push(new Paragraph({ children: [run(`${r.label}:`, { bold: true }), space(), run(r.value)] }));
        break;
      case 'list': {
        const instance = ++lists;
        for (const item of b.items) {
          const children = [run(item.text), ...(item.note ? [space(), run(`(${item.note})`, { italics: true, color: '555555' })] : [])];
          out.push(
            new Paragraph({ children, ...(b.ordered ? { numbering: { reference: ORDERED, level: 0, instance } } : { bullet: { level: 0 } }) }),
          );
          for (const s of item.sub ?? []) out.push(new Paragraph({ bullet: { level: 1 }, children: [run(s, { color: '444444' })] }));
        }
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

export async function renderDocx(report: Report, lang: ReportLanguage = 'nl'): Promise<Buffer> {
  const t = REPORT_TEXT[lang];
  const doc = new Document({
    title: cleanText(t.heading(report.session.kind, report.session.title)),
    creator: 'Tafelronde',
    styles: {
      default: {
        document: { run: { font: 'Arial', size: 22, language: { value: t.locale } } },
      },
    },
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START, style: { paragraph: { indent: { left: 720, hanging: 360 } } } }],
        },
      ],
    },
    sections: [
      {
        properties: {
          // A4 in twentieths of a point, with 2 cm margins.
          page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } },
        },
        children: blocks(reportDocument(report, lang)),
      },
    ],
  });
  return Packer.toBuffer(doc);
}
