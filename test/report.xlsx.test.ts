/**
 * The report as an Excel workbook: built from the realistic evening of the report fixture (boards
 * as Y.Docs, votes counted by the real tally), then read back with read-excel-file for values and
 * from its XML for what a reader cannot get at otherwise (frozen panes, number formats, workbook
 * properties).
 */
import readExcelFile from 'read-excel-file/node';
import { describe, expect, it } from 'vitest';
import { reportOutline, type Outline } from '../shared/reportOutline.js';
import { buildReport, type ReportInput } from '../server/domain/report.js';
import { renderXlsx, sheetName, textParts } from '../server/domain/reportXlsx.js';
import { decodeXml, docxParts as zipParts } from './fixtures/reportFiles.js';
import { board, EVALUATION, eveningInput, largeEvening, RECS, THEMES, votes } from './fixtures/reportSession.js';

/** The evening of report.pdf.test.ts: 4 tables of 14 points, 3 votes, an evaluation, a timeline. */
const input = (overrides: Partial<ReportInput> = {}) => eveningInput(4, 14, overrides);

// --- reading the workbook back ------------------------------------------------------------------

interface Workbook {
  sheets: { sheet: string; data: unknown[][] }[];
  parts: Record<string, string>;
}

async function open(outline: Outline): Promise<Workbook> {
  const xlsx = await renderXlsx(outline);
  return { sheets: await readExcelFile(xlsx), parts: zipParts(xlsx) };
}

const sheetXml = (wb: Workbook, name: string) => wb.parts[`xl/worksheets/sheet${wb.sheets.findIndex((s) => s.sheet === name) + 1}.xml`]!;

/** The number format a cell shows its value with, e.g. "0.0%". */
function numFmt(wb: Workbook, name: string, ref: string): string {
  const cell = sheetXml(wb, name).match(new RegExp(`<c r="${ref}"[^>]*>`))![0];
  const style = Number(cell.match(/ s="(\d+)"/)?.[1] ?? 0);
  const xfs = [...wb.parts['xl/styles.xml']!.match(/<cellXfs[^>]*>(.*)<\/cellXfs>/s)![1]!.matchAll(/<xf\b[^>]*>/g)];
  const id = xfs[style]![0].match(/numFmtId="(\d+)"/)?.[1] ?? '0';
  return decodeXml(wb.parts['xl/styles.xml']!.match(new RegExp(`<numFmt numFmtId="${id}" formatCode="([^"]*)"`))?.[1] ?? 'General');
}

/** Address of the cell in the sheet's data at row r, column c (0-based). */
const ref = (r: number, c: number) => `${String.fromCharCode(65 + c)}${r + 1}`;

const frozenRows = (xml: string) => Number(xml.match(/<pane [^>]*ySplit="(\d+)"[^>]*state="frozen"/)?.[1] ?? 0);

/** The sheet's rows from its header row on, as objects by header: a table read back. */
function table(wb: Workbook, name: string, firstHeader: string): Record<string, unknown>[] {
  const data = wb.sheets.find((s) => s.sheet === name)!.data;
  const at = data.findIndex((r) => r[0] === firstHeader);
  const headers = data[at]!;
  const rows: Record<string, unknown>[] = [];
  for (const r of data.slice(at + 1)) {
    if (r.every((c) => c === null)) break;
    rows.push(Object.fromEntries(headers.flatMap((h, i) => (typeof h === 'string' ? [[h, r[i]]] : []))));
  }
  return rows;
}

/** Address of the cell holding `value` in the row whose first cell is `first`. */
function find(wb: Workbook, name: string, first: unknown, column: string, header: string): string {
  const data = wb.sheets.find((s) => s.sheet === name)!.data;
  const head = data.findIndex((r) => r[0] === header);
  const c = data[head]!.indexOf(column);
  const r = data.findIndex((row, i) => i > head && row[0] === first);
  return ref(r, c);
}

describe('renderXlsx', () => {
  const nl = () => reportOutline(buildReport(input()), 'nl');

  it('has a cover sheet and one sheet per section, named after its heading', async () => {
    const outline = nl();
    const wb = await open(outline);
    const sections = outline.blocks.filter((b) => b.kind === 'heading' && b.level === 2);
    const names = wb.sheets.map((s) => s.sheet);
    expect(names).toHaveLength(sections.length + 1);
    expect(names[0]).toBe('Voorblad');
    expect(names).toEqual(expect.arrayContaining(['Over de bijeenkomst', 'Stemmingen', 'Adviezen', 'Evaluatie', 'Bijlage - hoe de bijeenkomst…']));
    for (const name of names) expect([...name].length).toBeLessThanOrEqual(31);
    // Each sheet starts with its full heading; the cover with the report's heading, date and place.
    expect(wb.sheets.slice(1).map((s) => s.data[0]![0])).toEqual(sections.map((h) => (h.kind === 'heading' ? h.text : '')));
    expect(wb.sheets[0]!.data.slice(0, 2).map((r) => r[0])).toEqual([
      'Verslag thematafel ‘Samen sterker in de Oosterwijk’',
      '14 maart 2025 · Buurthuis De Kroon, Oosterwijk',
    ]);
    const en = await open(reportOutline(buildReport(input()), 'en'));
    expect(en.sheets[0]!.sheet).toBe('Cover');
  });

  it('freezes the title row of every sheet, and the header row of a sheet that is one table', async () => {
    const wb = await open(nl());
    for (const { sheet } of wb.sheets) expect(frozenRows(sheetXml(wb, sheet)), sheet).toBeGreaterThanOrEqual(1);
    expect(frozenRows(sheetXml(wb, 'Stemmingen'))).toBe(1);
    const adviezen = frozenRows(sheetXml(wb, 'Adviezen'));
    expect(adviezen).toBeGreaterThan(1);
    expect(wb.sheets.find((s) => s.sheet === 'Adviezen')!.data[adviezen - 1]).toEqual(expect.arrayContaining(['Advies', 'Voor', 'Tegen', 'Steun %']));
    // Frozen rows also repeat on each printed page.
    const index = wb.sheets.findIndex((s) => s.sheet === 'Adviezen');
    expect(wb.parts['xl/workbook.xml']).toContain(
      `<definedName name="_xlnm.Print_Titles" localSheetId="${index}">&#39;Adviezen&#39;!$1:$${adviezen}</definedName>`,
    );
  });

  it('writes numbers as numbers, and a percentage as a fraction with a percent format', async () => {
    // The evening's evaluation, with one statement nobody answered.
    const unanswered = { counts: [0, 0, 0, 0, 0], answered: 0, average: null };
    const evaluations = [{ ...EVALUATION, questions: EVALUATION.questions.map((q) => (q.id === 'clear' ? { ...q, ...unanswered } : q)) }];
    const outline = reportOutline(buildReport(input({ evaluations })), 'nl');
    const wb = await open(outline);
    const advies = (text: string) => table(wb, 'Adviezen', 'Advies').find((r) => r.Advies === text);
    const panel = 'Een vast wijkpanel dat twee keer per jaar met de wethouder praat';
    expect(advies(panel)).toMatchObject({ Voor: 17, Tegen: 3, Neutraal: 0, 'Steun %': 0.85, Nodig: 0.7 });
    expect(typeof advies(panel)!.Voor).toBe('number');
    expect(numFmt(wb, 'Adviezen', find(wb, 'Adviezen', panel, 'Voor', 'Advies'))).toBe('#,##0');
    // 63.2% has a decimal, so the whole column shows one; the threshold column is whole percents.
    expect(advies('Elk jaar een buurtbudget van € 25.000, te besteden door bewoners')!['Steun %']).toBeCloseTo(0.631579, 5);
    expect(numFmt(wb, 'Adviezen', find(wb, 'Adviezen', panel, 'Steun %', 'Advies'))).toBe('0.0%');
    expect(numFmt(wb, 'Adviezen', find(wb, 'Adviezen', panel, 'Nodig', 'Advies'))).toBe('0%');
    // A missing percentage stays the dash it is in the report.
    expect(advies('Een wijkkrant in meer talen')!['Steun %']).toBe('–');
    // A chart is written as its bars: label and number.
    const chart = outline.blocks.find((b) => b.kind === 'chart' && b.title === 'Aantal punten per thema');
    const bars = chart?.kind === 'chart' ? chart.bars : [];
    expect(bars.map((b) => b.label)).toEqual(THEMES.map((t) => t.label));
    expect(table(wb, 'Wat er naar voren kwam', 'Thema')).toEqual(bars.map((b) => ({ Thema: b.label, Punten: b.value })));
    // An average with a decimal keeps one.
    const evaluation = table(wb, 'Evaluatie', 'Stelling');
    expect(evaluation.map((r) => r.Gemiddeld)).toEqual([4.1, 3.6, '–']);
    expect(numFmt(wb, 'Evaluatie', find(wb, 'Evaluatie', evaluation[1]!.Stelling, 'Gemiddeld', 'Stelling'))).toBe('#,##0.0');
  });

  it('keeps the layout readable: list items a row each with the note beside them, facts as label and value', async () => {
    const wb = await open(nl());
    const rows = wb.sheets.flatMap((s) => s.data.map((r) => r.filter((c) => c !== null)));
    expect(rows).toContainEqual(['• Korte lijnen tussen wijkagent, jongerenwerk en de bewonerscommissie', 'tafel 3 · 3 keer genoemd']);
    expect(rows).toContainEqual(['– Korte lijntjes met de wijk']);
    expect(rows).toContainEqual(['Datum', '14 maart 2025']);
    // Column widths fit the content: a table's text column is wider than its columns of numbers.
    const xml = sheetXml(wb, 'Adviezen');
    const widths = [...xml.matchAll(/<col min="\d+" max="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    const header = wb.sheets.find((s) => s.sheet === 'Adviezen')!.data.find((r) => r[0] === 'Advies')!;
    expect(widths[0]).toBeGreaterThan(2 * widths[header.indexOf('Voor')]!);
    // Text wraps in the cell instead of running off; a tall text gets a tall row.
    expect(wb.parts['xl/styles.xml']).toContain('wrapText="1"');
  });

  it('sets the workbook title and author', async () => {
    const wb = await open(nl());
    const core = wb.parts['docProps/core.xml']!;
    expect(decodeXml(core.match(/<dc:title>(.*?)<\/dc:title>/)![1]!)).toBe('Verslag thematafel ‘Samen sterker in de Oosterwijk’');
    expect(core).toContain('<dc:creator>Tafelronde</dc:creator>');
    expect(wb.parts['[Content_Types].xml']).toContain('/docProps/core.xml');
    expect(wb.parts['_rels/.rels']).toContain('docProps/core.xml');
  });
});

describe('hostile text stays text in the workbook', () => {
  const HOSTILE = ['=HYPERLINK("http://x","klik")', '+1', '-1', '@SUM(A1)', '=1+1'];
  const CONTROL = 'Punt\u0000met\u0007stuur\u001Btekens\uFFFE en \uD800 een losse surrogaat';

  const hostile = () =>
    reportOutline(
      buildReport(
        input({
          session: { ...input().session, title: `=cmd|' /C calc'!A0 ${CONTROL}`, place: '@SUM(A1)' },
          boards: new Map([[1, board([...HOSTILE, CONTROL].map((text, i) => ({ id: `h${i}`, text })))]]),
          votes: votes(RECS.map((r, i) => ({ ...r, text: HOSTILE[i]! }))),
          notes: HOSTILE,
        }),
      ),
      'nl',
    );

  it('writes a text starting with =, +, - or @ as a string, never as a formula', async () => {
    const wb = await open(hostile());
    for (const [path, xml] of Object.entries(wb.parts)) if (path.startsWith('xl/worksheets/sheet')) expect(xml).not.toMatch(/<f[ >]/);
    // Every hostile text is a recommendation; the table lists them by their support.
    expect(
      table(wb, 'Adviezen', 'Advies')
        .map((r) => r.Advies)
        .sort(),
    ).toEqual([...HOSTILE].sort());
    expect(wb.sheets.flatMap((s) => s.data)).toContainEqual(['Plaats', '@SUM(A1)']);
    const cell = find(wb, 'Adviezen', '=HYPERLINK("http://x","klik")', 'Advies', 'Advies');
    expect(sheetXml(wb, 'Adviezen')).toMatch(new RegExp(`<c r="${cell}"[^>]*t="s"`));
  });

  it('strips control characters, so the file still opens', async () => {
    const wb = await open(hostile());
    // eslint-disable-next-line no-control-regex -- checks that no control character reached the workbook
    for (const [path, xml] of Object.entries(wb.parts)) expect(xml, path).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    const values = wb.sheets.flatMap((s) => s.data.flat());
    // cleanText makes a lone surrogate U+FFFD; the writer leaves that out too.
    expect(values).toContain('• Punt met stuur tekens en een losse surrogaat');
    expect(wb.parts['docProps/core.xml']).toContain('=cmd|&#39; /C calc&#39;!A0 Punt met stuur tekens');
  });
});

describe('sheetName', () => {
  it('keeps to Excel’s rules: 31 characters, no []:*?/\\, unique regardless of case', () => {
    const taken = new Set<string>(['history']);
    expect(sheetName('Ronde 1: Wonen [oud] / nieuw*?', taken)).toBe('Ronde 1 - Wonen (oud) - nieuw');
    expect(sheetName('ronde 1 - wonen (oud) - nieuw', taken)).toBe('ronde 1 - wonen (oud) -… (2)');
    expect(sheetName('Adviezen', taken)).toBe('Adviezen');
    expect(sheetName('ADVIEZEN', taken)).toBe('ADVIEZEN (2)');
    expect(sheetName('History', taken)).toBe('History (2)');
    const long = sheetName('Bijlage: hoe de bijeenkomst verliep, stap voor stap', taken);
    expect([...long].length).toBeLessThanOrEqual(31);
    expect(long).toBe('Bijlage - hoe de bijeenkomst…');
    expect(sheetName("'quoted'", taken)).toBe('quoted');
    expect(sheetName('\u0001 ', taken)).toBe('Blad');
    for (const name of taken) expect(name).not.toMatch(/[[\]:*?/\\]/);
  });
});

describe('layout', () => {
  const outline = (blocks: Outline['blocks']): Outline => ({
    lang: 'nl',
    cover: { heading: 'Verslag', organisation: 'Gemeente Utrecht', date: '14 maart 2025', place: null, notice: 'Dit is een voorlopig verslag.' },
    blocks: [{ kind: 'heading', level: 2, text: 'Bijlage' }, ...blocks],
  });
  const widths = (xml: string) => [...xml.matchAll(/<col min="\d+" max="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
  const merges = (xml: string) => [...xml.matchAll(/<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)\d+"\/>/g)].map((m) => `${m[1]}${m[2]}:${m[3]}`);

  it('keeps a column of numbers narrow under a wider text column of another table', async () => {
    const wb = await open(
      outline([
        {
          kind: 'table',
          columns: [{ label: 'Tijd' }, { label: 'Wat' }, { label: 'Duur', numeric: true }],
          rows: [['19:00', 'Ronde 3: Wat vinden we het belangrijkst? (Stemmen)', '15 min']],
        },
        {
          kind: 'table',
          columns: [
            { label: 'Tafel', numeric: true },
            { label: 'Apparaten', numeric: true },
            { label: 'Punten', numeric: true },
          ],
          rows: [
            [
              { text: '1', value: 1 },
              { text: '12', value: 12 },
              { text: '40', value: 40 },
            ],
          ],
        },
      ]),
    );
    const xml = sheetXml(wb, 'Bijlage');
    const w = widths(xml);
    const data = wb.sheets[1]!.data;
    const numbers = data.find((r) => r[0] === 1)!;
    expect(numbers.slice(0, 3)).toEqual([1, 12, 40]);
    expect(w[1]).toBeLessThan(16); // "Apparaten" fits, and no more
    expect(w[2]).toBeLessThan(16);
    // The other table's text column spans the columns the numbers needed.
    const row = data.findIndex((r) => r[0] === '19:00') + 1;
    expect(merges(xml)).toContain(`B${row}:D`);
  });

  it('puts the cover and its notice on the first sheet, fact labels beside their values, notes beside their item', async () => {
    const wb = await open(
      outline([
        { kind: 'facts', rows: [{ label: 'Vraag in deze ronde', value: 'En wat doen we morgen?' }] },
        { kind: 'list', items: [{ text: 'Korte lijnen', note: '2 keer genoemd', sub: ['Korte lijntjes'] }, { text: 'Eerder informeren' }] },
      ]),
    );
    expect(wb.sheets[0]!.data.map((r) => r[0])).toEqual(['Verslag', 'Gemeente Utrecht · 14 maart 2025', null, 'Dit is een voorlopig verslag.']);
    const data = wb.sheets[1]!.data.map((r) => r.filter((c) => c !== null));
    expect(data).toContainEqual(['Vraag in deze ronde', 'En wat doen we morgen?']);
    expect(data).toContainEqual(['• Korte lijnen', '2 keer genoemd']);
    const w = widths(sheetXml(wb, 'Bijlage'));
    expect(w).toHaveLength(3); // label | text | note
    expect(w[1]).toBeGreaterThan(w[0]!);
    expect(w[1]).toBeGreaterThan(w[2]!);
  });

  it('freezes only the title when the text above a lone table is long', async () => {
    const long = 'Een lange uitleg over de tabel die hieronder staat, en nog wat meer. '.repeat(12);
    const table: Outline['blocks'][number] = {
      kind: 'table',
      columns: [{ label: 'Advies' }, { label: 'Voor', numeric: true }],
      rows: [['A', { text: '1', value: 1 }]],
    };
    const short = await open(outline([{ kind: 'paragraph', text: 'Kort.' }, table]));
    expect(frozenRows(sheetXml(short, 'Bijlage'))).toBe(short.sheets[1]!.data.findIndex((r) => r[0] === 'Advies') + 1);
    const tall = await open(outline([{ kind: 'paragraph', text: long }, table]));
    expect(frozenRows(sheetXml(tall, 'Bijlage'))).toBe(1);
  });
});

describe('long texts', () => {
  it('split between sentences into parts a row can hold', () => {
    const sentence = 'Dit is een zin van een organisator die veel te zeggen had. ';
    const text = sentence.repeat(60).trim();
    const parts = textParts(text);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(1200);
      expect(p).toMatch(/\.$/);
    }
    expect(parts.join(' ')).toBe(text);
    expect(textParts('kort')).toEqual(['kort']);
    expect(textParts('x'.repeat(2500))).toEqual(['x'.repeat(1200), 'x'.repeat(1200), 'x'.repeat(100)]);
  });

  it('never ask for a row higher than Excel allows', async () => {
    const outline = reportOutline(buildReport(input({ notes: ['Heel lang. '.repeat(800).trim()] })), 'nl');
    const wb = await open({ ...outline, blocks: [...outline.blocks, { kind: 'paragraph', text: 'woord '.repeat(3000) }] });
    const heights = Object.entries(wb.parts)
      .filter(([path]) => path.startsWith('xl/worksheets/sheet'))
      .flatMap(([, xml]) => [...xml.matchAll(/<row [^>]*ht="([\d.]+)"/g)].map((m) => Number(m[1])));
    expect(Math.max(...heights)).toBeLessThanOrEqual(409);
    const text = wb.sheets.flatMap((s) => s.data.flat()).filter((v) => typeof v === 'string' && v.includes('Heel lang'));
    expect(text.join(' ').match(/Heel lang\./g)).toHaveLength(800);
  });
});

describe('a large session', () => {
  it('renders 2,000 points over 8 tables and 6 themes', async () => {
    const report = buildReport(largeEvening());
    expect(report.totals.points).toBe(2000);
    const outline = reportOutline(report, 'nl');
    const start = performance.now();
    const xlsx = await renderXlsx(outline);
    console.log(`report.xlsx: 2,000 points in ${Math.round(performance.now() - start)} ms, ${Math.round(xlsx.length / 1024)} KiB`);
    const sheets = (await readExcelFile(xlsx)) as Workbook['sheets'];
    // The appendix lists every point at its table, with the points merged into it under it.
    const appendix = sheets.find((s) => s.sheet.startsWith('Bijlage - alle punten'))!.data.map((r) => r[0]);
    const items = (mark: string) => appendix.flatMap((c) => (typeof c === 'string' && c.startsWith(mark) ? [c.slice(mark.length)] : [])).sort();
    const points = report.rounds.flatMap((r) => r.themes.flatMap((t) => t.points));
    expect(items('• ')).toHaveLength(2000);
    expect(items('• ')).toEqual(points.map((p) => p.text).sort());
    expect(items('– ')).toEqual(points.flatMap((p) => p.merged).sort());
  });
});
