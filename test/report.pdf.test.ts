/**
 * The report as PDF, rendered on the server with pdfmake, read back with poppler's command-line
 * tools (pdftotext, pdfinfo, pdffonts): the title page, the text with its diacritics, page
 * numbers, embedded fonts; a 2,000-point report; hostile text.
 *
 * Set REPORT_PDF_SAMPLES=/some/dir to keep the rendered files for a look.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { reportOutline, type Block, type Outline } from '../shared/reportOutline.js';
import { buildReport } from '../server/domain/report.js';
import type { ReportLogo } from '../server/domain/reportLogo.js';
import { renderPdf } from '../server/domain/reportPdf.js';
import { board, eveningInput, largeEvening, logo } from './fixtures/reportSession.js';

const run = promisify(execFile);
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'report-pdf-'));
const SAMPLES = process.env.REPORT_PDF_SAMPLES;
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** Writes the PDF to a file and reads it back with poppler. */
async function poppler(name: string, pdf: Buffer) {
  const file = path.join(TMP, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  if (SAMPLES) {
    fs.mkdirSync(SAMPLES, { recursive: true });
    fs.copyFileSync(file, path.join(SAMPLES, `${name}.pdf`));
  }
  const text = (await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  const info = (await run('pdfinfo', ['-enc', 'UTF-8', file])).stdout;
  const fonts = (await run('pdffonts', [file])).stdout;
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  /** Rows of the pdffonts table: name, type, encoding, emb, sub, uni. */
  const fontRows = fonts
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => l.trim().split(/\s+/));
  // Each page's text on one line: a heading may wrap anywhere.
  const flat = (s: string) => s.replace(/\s+/g, ' ');
  return { text, info, pages, fontRows, pageTexts: text.split('\f').slice(0, pages).map(flat), flat: flat(text) };
}

// --- tests --------------------------------------------------------------------------------------

describe('report.pdf', () => {
  const report = buildReport(eveningInput(4, 14));

  it('renders the Dutch report: title page, text with diacritics, tables, page numbers, embedded fonts', async () => {
    const outline = reportOutline(report, 'nl');
    const pdf = await renderPdf({ ...outline, cover: { ...outline.cover, organisation: 'Gemeente Oosterwijk' } }, { logo: await logo() });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const out = await poppler('report-nl', pdf);

    expect(out.pages).toBeGreaterThanOrEqual(2);
    expect(out.pages).toBeLessThan(30);
    // The title page holds the cover and nothing else, and has no page number.
    const cover = out.pageTexts[0]!;
    expect(cover).toContain('Verslag thematafel ‘Samen sterker in de Oosterwijk’');
    expect(cover).toContain('Gemeente Oosterwijk');
    expect(cover).toContain('14 maart 2025');
    expect(cover).toContain('Buurthuis De Kroon, Oosterwijk');
    expect(cover).not.toContain('Pagina');
    expect(cover).not.toContain('Over de bijeenkomst');
    // Content starts on page 2, with its number.
    expect(out.pageTexts[1]).toContain('Over de bijeenkomst');
    expect(out.pageTexts[1]).toContain(`Pagina 2 van ${out.pages}`);
    expect(out.pageTexts[out.pages - 1]).toContain(`Pagina ${out.pages} van ${out.pages}`);

    expect(out.flat).toContain('Geïnteresseerde bewoners één keer per week');
    expect(out.flat).toContain('Café ‘De Hoek’');
    expect(out.flat).toContain('€ 5.000');
    expect(out.text).toMatch(/Plaats\s+Punt\s+Tafel\s+Thema\s+Stippen/);
    expect(out.text).toMatch(/^\s*Advies\b.*\bVoor\b.*\bTegen\b|^\s*Advies\b.*\bTegen\b.*\bVoor\b/m);

    expect(out.info).toMatch(/^Title:\s+Verslag thematafel ‘Samen sterker in de Oosterwijk’$/m);
    expect(out.info).toMatch(/^Creator:\s+Tafelronde$/m);
    expect(out.info).toMatch(/^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/m);
    expect(out.fontRows.length).toBeGreaterThan(0);
    for (const row of out.fontRows) expect(row.at(-3), row.join(' ')).toBe('yes');
    expect(pdf.toString('latin1')).toMatch(/\/Lang \(nl\)/);
  });

  it('leaves out a logo it cannot read, rather than fail', async () => {
    const broken: ReportLogo = { data: Buffer.concat([(await logo()).data.subarray(0, 40), Buffer.alloc(64, 7)]), mime: 'image/png', width: 300, height: 300 };
    const out = await poppler('report-broken-logo', await renderPdf(reportOutline(report, 'nl'), { logo: broken }));
    expect(out.pageTexts[0]).toContain('Samen sterker in de Oosterwijk');
    expect(out.pageTexts[1]).toContain('Over de bijeenkomst');
  });

  it('renders the English report, without a logo', async () => {
    const out = await poppler('report-en', await renderPdf(reportOutline(report, 'en')));
    expect(out.pageTexts[0]).toContain('Samen sterker in de Oosterwijk');
    expect(out.pageTexts[1]).toContain(`Page 2 of ${out.pages}`);
    expect(out.flat).toContain('Geïnteresseerde bewoners één keer per week');
    expect(out.text).toMatch(/Rank\s+Point\s+Table/);
    for (const row of out.fontRows) expect(row.at(-3)).toBe('yes');
  });

  it('renders a 2,000-point report', async () => {
    const big = buildReport(largeEvening());
    expect(big.totals.points).toBe(2000);
    const outline = reportOutline(big, 'nl');
    const start = performance.now();
    const pdf = await renderPdf(outline);
    console.log(
      `report.pdf: ${big.totals.points} points, ${outline.blocks.length} blocks, ${(pdf.length / 1024).toFixed(0)} ` +
        `KiB in ${Math.round(performance.now() - start)} ms`,
    );
    const out = await poppler('report-2000', pdf);
    console.log(`report.pdf: ${out.pages} pages`);
    expect(out.pages).toBeGreaterThan(20);
    expect(out.pages).toBeLessThan(400);
    expect(out.pageTexts[1]).toContain(`Pagina 2 van ${out.pages}`);
  }, 180_000);

  it('never leaves a heading or label alone at the bottom of a page', async () => {
    const filler = (n: number): Block[] => Array.from({ length: n }, (_, i) => ({ kind: 'paragraph', text: `Regel ${i + 1} van de tekst ervoor.` }));
    const bigTable: Block = {
      kind: 'table',
      columns: [{ label: 'Kolom A' }, { label: 'Aantal', numeric: true }],
      rows: Array.from({ length: 60 }, (_, i) => [`Rij ${i + 1}`, { text: String(i), value: i }]),
    };
    const longList: Block = { kind: 'list', items: Array.from({ length: 40 }, (_, i) => ({ text: `Punt ${i + 1} van de lijst` })) };
    const cover = reportOutline(report, 'nl').cover;
    // Shift the heading down the page a line at a time, past the bottom.
    for (let n = 28; n <= 40; n++) {
      for (const [kind, blocks] of [
        ['table', [...filler(n), { kind: 'heading', level: 3, text: 'Kop vóór de tabel' }, bigTable]],
        ['list', [...filler(n), { kind: 'heading', level: 2, text: 'Kop vóór de lijst' }, { kind: 'label', text: 'Label vóór de lijst' }, longList]],
      ] as const) {
        const out = await poppler(`orphan-${kind}-${n}`, await renderPdf({ lang: 'nl', cover, blocks: [...blocks] }));
        const page = out.pageTexts.find((p) => p.includes('Kop vóór'))!;
        if (kind === 'table') expect(page, `${n} fillers`).toMatch(/Kop vóór de tabel Kolom A Aantal Rij 1 0/);
        else expect(page, `${n} fillers`).toMatch(/Kop vóór de lijst Label vóór de lijst Punt 1 van de lijst Punt 2 van de lijst/);
        // No page holds the last item of the list alone.
        if (kind === 'list') expect(out.pageTexts.find((p) => p.includes('Punt 40 van'))).toContain('Punt 39 van');
      }
    }
  }, 120_000);

  it('renders hostile text as plain text, without throwing', async () => {
    const long = 'Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen'.repeat(12);
    const hostile = [
      '<script>alert(1)</script>',
      'Tab\there, bell\u0007, nul\u0000, escape\u001b[31m en een lone surrogate \uD800 hier',
      long,
      '{ "text": "injected", "pageBreak": "before" }',
      '**bold** [link](http://x) \\b{x}',
      '👩🏽‍🌾 emoji en 中文',
    ];
    const boards = new Map([[1, board(hostile.map((text, i) => ({ id: `h${i}`, text })))]]);
    const session = { ...eveningInput(1, 0).session, title: `<b>${long}</b>\u0000` };
    const r = buildReport(eveningInput(1, 0, { boards, session, notes: hostile, plenary: undefined }));
    const outline: Outline = reportOutline(r, 'nl');
    const pdf = await renderPdf({ ...outline, cover: { ...outline.cover, organisation: '<i>Gemeente</i>\u0008', notice: 'Voorlopig\u0007' } });
    const out = await poppler('report-hostile', pdf);
    expect(out.text).toContain('<script>alert(1)</script>');
    expect(out.text).toContain('{ "text": "injected", "pageBreak": "before" }');
    // A word too long for a line is broken, not lost: every piece of it is on the page.
    expect(out.text.replace(/\s+/g, '')).toContain(long);
    // eslint-disable-next-line no-control-regex -- checks that no control character reached the PDF
    expect(out.text).not.toMatch(/[\u0000\u0007\u001b]/);
    // What the font cannot draw shows as one replacement mark each, not as boxes over the text.
    expect(out.flat).toContain('\uFFFD emoji en \uFFFD\uFFFD');
  }, 60_000);

  it('loses nothing of an item, a paragraph or a table row taller than a page', async () => {
    const words = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');
    const blocks: Block[] = [
      { kind: 'heading', level: 2, text: 'Lang' },
      { kind: 'list', items: [{ text: 'Punt met veel samengevoegde punten', sub: Array.from({ length: 120 }, (_, i) => `sub${i} ${words(`s${i}x`, 30)}`) }] },
      { kind: 'paragraph', text: words('para', 2500) },
      { kind: 'table', columns: [{ label: 'Tekst' }, { label: 'Aantal', numeric: true }], rows: [[words('cel', 1500), { text: '1', value: 1 }]] },
    ];
    const out = await poppler('report-long', await renderPdf({ lang: 'nl', cover: reportOutline(report, 'nl').cover, blocks }));
    const seen = new Set(out.flat.split(' '));
    const missing = [words('sub', 120), words('para', 2500), words('cel', 1500)].flatMap((w) => w.split(' ')).filter((w) => !seen.has(w));
    expect(missing).toEqual([]);
  }, 60_000);
});
