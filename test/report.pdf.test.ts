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
import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Agenda } from '../shared/agenda.js';
import { addCluster, addPoint, mergePoint, pointsMap, toggleTop } from '../shared/board.js';
import type { EvaluationSummary } from '../shared/evaluation.js';
import type { PlenaryView } from '../shared/plenary.js';
import type { Theme } from '../shared/protocol.js';
import { reportOutline, type Block, type Outline } from '../shared/reportOutline.js';
import { tally, type BallotChoices, type VoteRules } from '../shared/tally.js';
import { buildReport, type ReportInput } from '../server/domain/report.js';
import { readBoardForReport } from '../server/domain/reportBoard.js';
import type { ReportLogo } from '../server/domain/reportLogo.js';
import type { LogEntry } from '../server/domain/reportProcess.js';
import { renderPdf } from '../server/domain/reportPdf.js';
import { reportVote, type StoredVote } from '../server/domain/reportVotes.js';

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

// --- a realistic session ----------------------------------------------------------------------------

const THEMES: Theme[] = [
  { id: 'communicatie', label: 'Communicatie' },
  { id: 'samenwerking', label: 'Samenwerking' },
  { id: 'participatie', label: 'Participatie en inspraak' },
  { id: 'veiligheid', label: 'Veiligheid' },
  { id: 'groen', label: 'Groen en spelen' },
  { id: 'verkeer', label: 'Verkeer' },
];

const AGENDA: Agenda = {
  rounds: [
    { id: 'r1', title: 'Gespreksronde 1', rotate: false, steps: [{ id: 's1', type: 'inbreng', durationSec: 900 }, { id: 's2', type: 'prioriteren', durationSec: 300 }] },
    { id: 'r2', rotate: true, question: 'Wat kunnen we morgen al doen, samen met de wijk?', steps: [{ id: 's3', type: 'inbreng', durationSec: 900 }] },
    { id: 'r3', title: 'Plenair', rotate: false, steps: [{ id: 's4', type: 'stemmen', title: 'Wat vinden we het belangrijkst?', durationSec: 600 }] },
  ],
};
const ROUND_IDS = AGENDA.rounds.map((r) => r.id);
const CREATED = Date.UTC(2025, 2, 14, 18, 0, 0);
const NOW = Date.UTC(2025, 2, 14, 21, 30, 0);

/** Point texts of a real evening: short and long, with diacritics and typographic quotes. */
const TEXTS = [
  'Geïnteresseerde bewoners één keer per week informeren',
  'Een vaste contactpersoon bij de gemeente voor de hele wijk',
  'Korte lijnen tussen wijkagent, jongerenwerk en de bewonerscommissie',
  'Meer bankjes in het park bij de vijver, ook voor ouderen die slecht ter been zijn',
  'Café ‘De Hoek’ als vaste plek voor het wijkoverleg',
  'Drempels in de Dorpsstraat – de auto’s rijden er veel te hard',
  'Budget van € 5.000 per jaar voor initiatieven van bewoners zelf',
  'Naïeve vraag misschien, maar wie beslist er nu eigenlijk over het plein?',
  'Speeltuin opknappen',
  'Uitleg in gewone taal, niet in ambtenarentaal, en ook op papier voor wie geen computer heeft of niet zo handig is met internet',
  'Reünie van de oude buurtvereniging als begin van iets nieuws',
  'Groenstrook langs het kanaal beter onderhouden',
];

let clock = 0;
interface P {
  id: string;
  text: string;
  theme?: string;
  round?: string;
  hidden?: boolean;
  into?: string;
}
function board(points: P[], opts: { clusters?: { id: string; theme: string; round: string; label: string }[]; tops?: Record<string, string[]> } = {}) {
  const doc = new Y.Doc();
  for (const c of opts.clusters ?? []) addCluster(doc, { ...c, createdAt: ++clock });
  for (const p of points) {
    addPoint(doc, { id: p.id, text: p.text, theme: p.theme ?? 'communicatie', round: p.round ?? 'r1', step: null, createdAt: ++clock });
    if (p.hidden) pointsMap(doc).get(p.id)!.set('hidden', true);
  }
  for (const p of points) if (p.into) mergePoint(doc, p.id, p.into);
  for (const [round, ids] of Object.entries(opts.tops ?? {})) for (const id of ids) toggleTop(doc, round, id);
  return readBoardForReport(doc, ROUND_IDS);
}

/** `perTable` points on each of `tables` tables, spread over the themes and both rounds. */
function boards(tables: number, perTable: number) {
  const out = new Map<number, ReturnType<typeof board>>();
  for (let table = 1; table <= tables; table++) {
    const points: P[] = [];
    for (let i = 0; i < perTable; i++) {
      const theme = i % 11 === 10 ? 'c' : THEMES[(i + table) % THEMES.length]!.id;
      points.push({
        id: `t${table}p${i}`,
        text: `${TEXTS[(i * 7 + table) % TEXTS.length]}${i >= TEXTS.length ? ` (${i})` : ''}`,
        theme,
        round: i % 3 === 2 ? 'r2' : 'r1',
        ...(i % 17 === 16 && { into: `t${table}p${i - 1}` }),
        ...(i % 29 === 28 && { hidden: true }),
      });
    }
    const clusters = [{ id: 'c', theme: 'samenwerking', round: 'r1', label: 'Contact met de gemeente' }];
    out.set(table, board(points, { clusters, tops: { r1: [`t${table}p0`, `t${table}p3`, `t${table}p1`] } }));
  }
  return out;
}

const ITEMS = TEXTS.slice(0, 8).map((text, i) => ({ id: `v${i}`, table: (i % 4) + 1, theme: THEMES[i % THEMES.length]!.id, text }));
const ctx = { stepId: 's4', agenda: AGENDA, joinedNow: 24, votersByTable: new Map<number, number>() };
const stored = (method: StoredVote['method'], extra: Partial<StoredVote> = {}): StoredVote => ({
  id: `vote-${method}`,
  method,
  status: 'closed',
  items: ITEMS,
  openedAt: Date.UTC(2025, 2, 14, 20, 0, 0),
  closedAt: Date.UTC(2025, 2, 14, 20, 10, 0),
  eligibleAtClose: 24,
  ...extra,
});
const counted = (rules: VoteRules, ids: string[], ballots: BallotChoices[]) => ({ count: tally(rules, ids, ballots), ballots: ballots.length });

const RECS = [
  { id: 'a1', table: null, theme: null, text: 'Een vast wijkpanel dat twee keer per jaar met de wethouder praat' },
  { id: 'a2', table: null, theme: null, text: 'Elk jaar een buurtbudget van € 25.000, te besteden door bewoners' },
  { id: 'a3', table: null, theme: null, text: 'Geen advies zonder uitleg wat ermee gebeurt' },
  { id: 'a4', table: null, theme: null, text: 'Een veilige oversteek bij de basisschool' },
];

function votes() {
  const ids = ITEMS.map((i) => i.id);
  const dots = reportVote(
    stored('dots', { rules: { method: 'dots', budget: 3, maxPerItem: 2 } }),
    counted(
      { method: 'dots', budget: 3, maxPerItem: 2 },
      ids,
      Array.from({ length: 18 }, (_, b): BallotChoices => ({ method: 'dots', dots: { [`v${b % 5}`]: 2, [`v${(b * 3) % 8}`]: 1 } })),
    ),
    ctx,
  );
  const ranking = reportVote(
    stored('ranking', { rules: { method: 'ranking' } }),
    counted({ method: 'ranking' }, ids, Array.from({ length: 12 }, (_, b): BallotChoices => ({ method: 'ranking', ranking: [`v${b % 4}`, `v${(b + 2) % 6}`, 'v7'] }))),
    ctx,
  );
  const recs = reportVote(
    stored('recommendations', { source: 'recommendations', rules: { method: 'recommendations', threshold: 70 }, items: RECS }),
    counted(
      { method: 'recommendations', threshold: 70 },
      RECS.map((r) => r.id),
      Array.from({ length: 20 }, (_, b): BallotChoices => ({
        method: 'recommendations',
        stances: { a1: b < 17 ? 'support' : 'oppose', a2: b % 3 === 0 ? 'oppose' : 'support', a3: b % 2 ? 'support' : 'abstain', a4: 'support' },
      })),
    ),
    ctx,
  );
  return [dots, ranking, recs];
}

const EVALUATION: EvaluationSummary = {
  stepId: 'ev',
  responses: 19,
  questions: [
    { id: 'satisfied', counts: [0, 1, 3, 9, 6], answered: 19, average: 4.1 },
    { id: 'heard', counts: [1, 2, 4, 8, 4], answered: 19, average: 3.6 },
    { id: 'clear', counts: [0, 0, 5, 7, 6], answered: 18, average: 4.1 },
  ],
  remarks: ['Fijne avond, goed dat jullie er waren', 'Meer tijd voor de adviezen', 'Koffie was op – volgende keer meer!'],
};

function plenary(): PlenaryView {
  return {
    themes: THEMES.slice(0, 4),
    points: TEXTS.slice(0, 9).map((text, i) => ({
      id: `pl${i}`,
      theme: THEMES[i % 4]!.id,
      cluster: null,
      text,
      count: 1 + (i % 3),
      tables: i === 4 ? [] : [1 + (i % 4), 3],
      merged: i === 2 ? ['Korte lijntjes met de wijk'] : [],
    })),
    hidden: 1,
  };
}

function events(): LogEntry[] {
  const at = (min: number) => CREATED + min * 60_000;
  return [
    { at: at(0), type: 'session.created', data: {} },
    { at: at(15), type: 'step.entered', data: { stepId: 's1', round: 1, stepType: 'inbreng' } },
    { at: at(40), type: 'timer.extend', data: { seconds: 300 } },
    { at: at(48), type: 'step.entered', data: { stepId: 's2', round: 1, stepType: 'prioriteren' } },
    { at: at(60), type: 'step.entered', data: { stepId: 's3', round: 2, stepType: 'inbreng' } },
    { at: at(95), type: 'step.entered', data: { stepId: 's4', round: 3, stepType: 'stemmen' } },
    { at: at(100), type: 'vote.opened', data: { stepId: 's4', method: 'dots' } },
    { at: at(110), type: 'vote.closed', data: { ballots: 18 } },
    { at: at(150), type: 'step.entered', data: { status: 'ended' } },
  ];
}

function input(tables: number, perTable: number, overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    session: {
      id: 'sess-pdf',
      kind: 'thematafel',
      title: 'Samen sterker in de Oosterwijk',
      question: 'Hoe werken gemeente en bewoners beter samen aan een wijk waar iedereen zich thuis voelt?',
      place: 'Buurthuis De Kroon, Oosterwijk',
      participation: 'denken',
      decides: 'De gemeenteraad, in het najaar',
      createdAt: CREATED,
      tables,
      themes: THEMES,
      agenda: AGENDA,
      run: { status: 'ended', stepId: null },
    },
    boards: boards(tables, perTable),
    devicesByTable: new Map(Array.from({ length: tables }, (_, i) => [i + 1, 3 + (i % 3)])),
    plenary: plenary(),
    votes: votes(),
    evaluations: [EVALUATION],
    notes: ['Verslag vóór 1 april naar alle deelnemers sturen', 'Wethouder uitnodigen voor de volgende avond'],
    events: events(),
    now: NOW,
    timeZone: 'Europe/Amsterdam',
    ...overrides,
  };
}

/** A PNG of known size, as the upload check would hand it on. */
async function logo(): Promise<ReportLogo> {
  const data = await QRCode.toBuffer('https://example.org/gemeente', { type: 'png', width: 300, margin: 1 });
  return { data, mime: 'image/png', width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

// --- tests --------------------------------------------------------------------------------------

describe('report.pdf', () => {
  const report = buildReport(input(4, 14));

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
    const big = buildReport(input(8, 275));
    expect(big.totals.points).toBe(2000);
    const outline = reportOutline(big, 'nl');
    const start = performance.now();
    const pdf = await renderPdf(outline);
    console.log(`report.pdf: ${big.totals.points} points, ${outline.blocks.length} blocks, ${(pdf.length / 1024).toFixed(0)} KiB in ${Math.round(performance.now() - start)} ms`);
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
    const session = { ...input(1, 0).session, title: `<b>${long}</b>\u0000` };
    const r = buildReport(input(1, 0, { boards, session, notes: hostile, plenary: undefined }));
    const outline: Outline = reportOutline(r, 'nl');
    const pdf = await renderPdf({ ...outline, cover: { ...outline.cover, organisation: '<i>Gemeente</i>\u0008', notice: 'Voorlopig\u0007' } });
    const out = await poppler('report-hostile', pdf);
    expect(out.text).toContain('<script>alert(1)</script>');
    expect(out.text).toContain('{ "text": "injected", "pageBreak": "before" }');
    // A word too long for a line is broken, not lost: every piece of it is on the page.
    expect(out.text.replace(/\s+/g, '')).toContain(long);
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
