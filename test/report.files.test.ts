/**
 * The report through the real server, in every format: the thematafel of 001 played with real
 * socket.io and y-websocket clients, then read back as JSON, Markdown, HTML, Word and CSV; a
 * session full of hostile text; the tips-and-actions route; and Word to PDF with LibreOffice.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { addCluster } from '../shared/board.js';
import { REPORT_FORMATS, Report, type ReportFormat } from '../shared/report.js';
import { REPORT_HTML_CSP } from '../server/domain/reportHtml.js';
import { reportOutline } from '../shared/reportOutline.js';
import { sameText } from '../shared/reportPoints.js';
import {
  addPointTo,
  api,
  closeClients,
  createSession,
  emitOk,
  facilitator,
  gotoStep,
  joinDevice,
  newBallotId,
  openVote,
  startSession,
  submitBallot,
  tableProvider,
  waitForServerPoints,
} from './helpers/clients.js';
import { useTestServer } from './helpers/setup.js';
import { Events } from '../shared/protocol.js';
import { BALLOTS_001, play001, ROUNDS_001, SEED_001_CLUSTERS, SESSION_001, textOf, TIPS_001, TOPS_001, type Played001 } from './fixtures/thematafel001.js';
import { csvRow, docxParagraphs, docxParts, docxTexts, parseCsv } from './fixtures/reportFiles.js';

const server = useTestServer();

async function fetchFile(sessionId: string, format: ReportFormat, headers: Record<string, string>, query = '') {
  const res = await fetch(`${server.url}/api/sessions/${sessionId}/report.${format}${query}`, { headers });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}
const text = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '**bold** [link](http://x)',
  '=HYPERLINK("http://x")',
  '+1',
  '-1',
  '@SUM(A1)',
  '\t=1+1 met een tab ervoor',
];

describe('the report of thematafel 001, through the real server', () => {
  let played: Played001;
  const file = (format: ReportFormat, query = '') => fetchFile(played.s.id, format, played.auth, query);

  beforeAll(async () => {
    played = await play001(server);
  }, 60_000);

  it('JSON: the context, as the organiser entered it', async () => {
    const res = await file('json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const report = Report.parse(JSON.parse(text(res.bytes)));
    expect(report.schemaVersion).toBe(4);
    expect(report.session).toMatchObject({
      kind: 'thematafel',
      title: SESSION_001.title,
      question: SESSION_001.question,
      place: SESSION_001.place,
      participation: 'denken',
      decides: SESSION_001.decides,
      status: 'ended',
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as string,
    });
  });

  it('JSON: per round, per theme, the points of 001 with their table; the duplicate once; the hidden point counted', async () => {
    const report = Report.parse(JSON.parse(text((await file('json')).bytes)));
    expect(report.rounds.map((r) => [r.number, r.title, r.points, r.hidden])).toEqual([
      [1, 'Gespreksronde 1', 13, 1],
      [2, 'Gespreksronde 2', 7, 0],
    ]);
    for (const round of [1, 2] as const) {
      const r = report.rounds[round - 1]!;
      expect(r.themes.map((t) => t.id)).toEqual(['communicatie', 'samenwerking', 'participatie']);
      for (const theme of r.themes) {
        const expected = ([1, 2] as const).flatMap((table) =>
          ROUNDS_001[round][table]
            .filter((p) => p.theme === theme.id && !p.hidden && !p.duplicateOf)
            .map((p) => ({ table, text: p.text, cluster: p.cluster ?? null })),
        );
        // Within a table, points without a sub-theme come first.
        const sorted = expected.sort((a, b) => a.table - b.table || Number(a.cluster !== null) - Number(b.cluster !== null));
        expect(theme.points.map((p) => ({ table: p.table, text: p.text, cluster: p.cluster }))).toEqual(sorted);
      }
    }
    const merged = report.rounds[1]!.themes[2]!.points.find((p) => p.id === played.ids.get('vooraf2'))!;
    expect(merged).toMatchObject({ count: 2, merged: [textOf('vooraf2dup')] });
    const all = JSON.stringify(report.rounds);
    expect(all).not.toContain(textOf('parkeren'));
    // The same words at two tables, or in two themes, stay two points: only a table merges.
    expect(report.rounds.flatMap((r) => r.themes.flatMap((t) => t.points)).filter((p) => p.text === textOf('regulier'))).toHaveLength(2);
  });

  it("JSON: each table's top 3 per round, in its order", async () => {
    const report = Report.parse(JSON.parse(text((await file('json')).bytes)));
    for (const round of [1, 2] as const) {
      expect(report.rounds[round - 1]!.tops.map((t) => [t.table, t.points.map((p) => p.text)])).toEqual(
        ([1, 2] as const).map((table) => [table, TOPS_001[round][table].map(textOf)]),
      );
    }
  });

  it('JSON: the dot vote with method, counts, turnout and the tie; tips; the process', async () => {
    const report = Report.parse(JSON.parse(text((await file('json')).bytes)));
    expect(report.votes).toHaveLength(1);
    const vote = report.votes[0]!;
    expect(vote).toMatchObject({
      id: played.vote.id,
      method: 'dots',
      source: 'tables',
      rules: { budget: 3, maxPerItem: 3 },
      status: 'closed',
      stepTitle: 'Wat vinden we het belangrijkst?',
      round: 3,
      ballots: BALLOTS_001.length,
      eligible: 4,
      turnout: 75,
    });
    expect(vote.results).toHaveLength(20);
    expect(vote.results.slice(0, 4).map((r) => [r.text, r.total, r.rank, r.tied])).toEqual([
      [textOf('tijdig'), 3, 1, true],
      [textOf('practice'), 3, 1, true],
      [textOf('lijntjes'), 2, 3, false],
      [textOf('regulier'), 1, 4, false],
    ]);
    expect(report.recommendations).toEqual([]);
    expect(report.notes).toEqual(TIPS_001);
    expect(report.tables).toEqual([
      { table: 1, devices: 2, points: 12 },
      { table: 2, devices: 2, points: 8 },
    ]);
    expect(report.totals).toEqual({ points: 20, devices: 4, ballots: 3 });
    expect(report.process.methods).toEqual(['dots']);
    const events = report.process.timeline.map((e) => [e.event, e.round, e.stepType]);
    expect(events[0]).toEqual(['created', null, null]);
    expect(events).toContainEqual(['step', 1, 'inbreng']);
    expect(events).toContainEqual(['step', 2, 'prioriteren']);
    expect(events).toContainEqual(['voteOpened', 3, null]);
    expect(report.process.timeline.find((e) => e.event === 'voteClosed')).toMatchObject({ ballots: 3 });
    expect(events.at(-1)).toEqual(['ended', null, null]);
  });

  it('Markdown: the report as 001 reads: per theme one list, the tops, the vote, tips, then the appendices', async () => {
    const res = await file('md');
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?verslag-De-informatievoorziening-en-samenwerking-vanuit-de-gemeente\.md"?$/,
    );
    const md = text(res.bytes);
    expect(md.split('\n')[0]).toBe(`# Verslag thematafel ‘${SESSION_001.title}’`);
    expect(md).toContain('- **Mate van meedoen:** Samen denken');
    expect(md).toContain(`- **Wie beslist over de uitkomst:** ${SESSION_001.decides}`);
    const main = md.slice(md.indexOf('## Wat er naar voren kwam'), md.indexOf('## Top 3 per tafel'));
    for (const theme of ['Communicatie', 'Samenwerking', 'Participatie']) expect(main).toContain(`### ${theme}`);
    // The duplicate the table merged is said once, without its other wording.
    expect(main).toContain(`- ${textOf('vooraf2')} (2 keer genoemd)\n`);
    expect(main).not.toContain(textOf('vooraf2dup'));
    expect(main).not.toContain('Tafel');
    expect(md).toContain(`**Tafel 2**\n\n1. ${textOf('regulier')} (Communicatie)`);
    expect(md).toContain('**Tafel 2**\n\n_Geen top 3 gekozen._');
    expect(md).toContain('### Stemming 1: stemmen met stippen');
    expect(md).toContain('3 van de 4 apparaten hebben gestemd (75%). 2 punten staan samen op plaats 1.');
    expect(md).toContain(`| 1 (gelijk) | ${textOf('tijdig')} | 1 | Communicatie | 3 |`);
    expect(md).toMatch(/_1[0-9] punten kregen geen stippen\._/);
    expect(md).toContain(`## Tips en acties\n\n${TIPS_001.map((t) => `- ${t}`).join('\n')}`);
    const appendix = md.slice(md.indexOf('## Bijlage: alle punten per ronde en tafel'));
    expect(appendix).toContain('### Ronde 1: Gespreksronde 1');
    expect(appendix).toContain('_1 punt is door een gespreksleider verborgen. Dat punt staat niet in dit verslag._');
    expect(appendix).toContain(`**Participatie · Tafel 1 · Subthema ‘Leren van fouten’**\n\n- ${textOf('erken')}\n- ${textOf('evalueren')}`);
    expect(appendix).toContain(`**Samenwerking · Tafel 1 · Subthema ‘Houding’**\n\n- ${textOf('sparring')}\n- ${textOf('begrip')}`);
    // A merged duplicate differing only in punctuation is not repeated word for word.
    expect(appendix).toContain(`- ${textOf('vooraf2')} (2 keer genoemd)\n`);
    expect(md).toContain('## Bijlage: hoe de bijeenkomst verliep');
    expect(md).toMatch(/\| \d\d:\d\d \| Ronde 2: Punten inbrengen \| \d+ min \|/);
    expect(md).toContain('| 1 | 2 | 12 |');
    expect(md).not.toContain(textOf('parkeren'));
  });

  it("the main text has seed 001's clusters: per theme, each point of every table and round, once", async () => {
    const report = Report.parse(JSON.parse(text((await file('json')).bytes)));
    const outline = reportOutline(report, 'nl');
    const lists = new Map<string, string[]>();
    let theme: string | null = null;
    for (const b of outline.blocks) {
      if (b.kind === 'heading') theme = b.level === 3 && b.key ? b.text : b.level <= 2 ? null : theme;
      if (b.kind === 'list' && theme)
        lists.set(
          theme,
          b.items.map((i) => i.text),
        );
    }
    expect([...lists.keys()]).toEqual(Object.keys(SEED_001_CLUSTERS));
    for (const [label, keys] of Object.entries(SEED_001_CLUSTERS)) {
      const shown = lists.get(label)!.map(sameText);
      expect(shown).toHaveLength(keys.length);
      expect(new Set(shown)).toEqual(new Set(keys.map((k) => sameText(textOf(k)))));
    }
  });

  it('HTML: a standalone page with a strict policy of its own, A4 print rules, SVG charts and page breaks', async () => {
    const res = await file('html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(REPORT_HTML_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?verslag-.+\.html"?$/);
    const html = text(res.bytes);
    expect(html).toMatch(/^<!doctype html>\n<html lang="nl">/);
    expect(html).toContain('@page { size: A4;');
    expect(html).not.toMatch(/<script/i);
    expect([...html.matchAll(/<h2 class="page-break">([^<]*)</g)].map((m) => m[1])).toEqual([
      'Bijlage: alle punten per ronde en tafel',
      'Bijlage: samengevoegde punten',
      'Bijlage: hoe de bijeenkomst verliep',
    ]);
    // Points per theme, and the vote.
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain(`<li>${textOf('tijdig')}</li>`);
    expect(html).toContain(`<li>${textOf('gelijkwaardig')}</li>`);
    for (const tip of TIPS_001) expect(html).toContain(`<li>${tip}</li>`);
  });

  it('Word: a title page, the points, the results table and the tips; a real .docx', async () => {
    const res = await file('docx');
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?verslag-.+\.docx"?$/);
    expect(Buffer.from(res.bytes.slice(0, 2)).toString()).toBe('PK');
    const parts = docxParts(res.bytes);
    expect(parts['[Content_Types].xml']).toContain('wordprocessingml.document.main+xml');
    const xml = parts['word/document.xml']!;
    const paragraphs = docxParagraphs(xml);
    expect(paragraphs[0]).toBe(`Verslag thematafel ‘${SESSION_001.title}’`);
    expect(paragraphs).toEqual(
      expect.arrayContaining(['Wat er naar voren kwam', 'Ronde 1: Gespreksronde 1', 'Communicatie', 'Samenwerking', 'Participatie', 'Tips en acties']),
    );
    expect(paragraphs).toContain(`${textOf('vooraf2')} (2 keer genoemd)`);
    for (const tip of TIPS_001) expect(paragraphs).toContain(tip);
    for (const cell of ['Plaats', 'Stippen', '1 (gelijk)', textOf('practice')]) expect(paragraphs).toContain(cell);
    expect(xml).toMatch(/<w:pStyle w:val="Heading2"\/>/);
    expect(xml).toContain('<w:titlePg/>');
    expect(xml).not.toContain(textOf('parkeren'));
    // Page numbers in the footer: "Pagina {PAGE} van {NUMPAGES}".
    const footers = Object.entries(parts)
      .filter(([name]) => /^word\/footer\d+\.xml$/.test(name))
      .map(([, x]) => x);
    expect(footers.some((f) => f.includes('PAGE') && f.includes('NUMPAGES') && f.includes('Pagina '))).toBe(true);
  });

  it('CSV: points and results in one file, by section, as RFC 4180 with a BOM and CRLF', async () => {
    const res = await file('csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = text(res.bytes).slice(1);
    expect(csv.split('\r\n').length).toBeGreaterThan(40);
    expect(csv.replace(/\r\n/g, '')).not.toContain('\n');
    const rows = parseCsv(csv);
    const count = (section: string) => rows.filter((r) => r[0] === section).length;
    expect(rows[0]![0]).toBe('onderdeel');
    expect([count('punt'), count('samengevoegd'), count('top 3'), count('uitslag'), count('tip of actie')]).toEqual([20, 1, 8, 20, 5]);
    expect(rows).toContainEqual(
      csvRow({ section: 'punt', round: '2', theme: 'Samenwerking', subtheme: 'Houding', table: '1', text: 'Wederzijds begrip', count: '1' }),
    );
    const first = rows.find((r) => r[0] === 'uitslag')!;
    expect([first[5], first[6], first[7], first[8], first[9], first[12]]).toEqual(['1', 'stemmen met stippen', '1', 'ja', textOf('tijdig'), '3']);
  });

  it('every format is in English with ?lang=en', async () => {
    expect(text((await file('md', '?lang=en')).bytes)).toContain(`# Report of theme table ‘${SESSION_001.title}’`);
    expect(text((await file('html', '?lang=en')).bytes)).toContain('<html lang="en">');
    expect(docxTexts(docxParts((await file('docx', '?lang=en')).bytes)['word/document.xml']!)).toContain('Tips and actions');
    expect(parseCsv(text((await file('csv', '?lang=en')).bytes).slice(1))[0]![0]).toBe('section');
    // The JSON model has no language: the same either way, apart from when it was made.
    const nl = JSON.parse(text((await file('json')).bytes)) as Report;
    const en = JSON.parse(text((await file('json', '?lang=en')).bytes)) as Report;
    expect({ ...en, generatedAt: '' }).toEqual({ ...nl, generatedAt: '' });
    expect((await file('md', '?lang=fr')).status).toBe(400);
  });

  it('every format needs the facilitator key: 401 without it or with another, 404 for an unknown session', async () => {
    const other = await createSession(server);
    for (const format of REPORT_FORMATS) {
      expect((await fetchFile(played.s.id, format, {})).status).toBe(401);
      expect((await fetchFile(played.s.id, format, { authorization: `Bearer ${other.facilitatorKey}` })).status).toBe(401);
      expect((await fetchFile(played.s.id, format, {}, `?key=${played.s.facilitatorKey}`)).status).toBe(401);
      expect((await fetchFile('Unknown_Session1', format, played.auth)).status).toBe(404);
    }
    expect((await fetchFile(played.s.id, 'odt' as ReportFormat, played.auth)).status).toBe(404);
  });

  const soffice = ['soffice', 'libreoffice'].find((bin) =>
    (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, bin))),
  );
  it.skipIf(!soffice)(
    'Word: LibreOffice opens the .docx and converts it to PDF without a warning' +
      (soffice ? '' : ' (skipped: soffice/libreoffice is not installed; `apt-get install libreoffice-writer-nogui`)'),
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-docx-'));
      try {
        const docx = path.join(dir, 'verslag.docx');
        fs.writeFileSync(docx, (await file('docx')).bytes);
        // A profile of its own, so a LibreOffice the developer has open does not take the job.
        const out = await promisify(execFile)(
          soffice!,
          [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, docx],
          {
            timeout: 110_000,
          },
        );
        expect(out.stdout).toContain('using filter : writer_pdf_Export');
        // Nothing to say about the document; only the machine's own note that it has no Java.
        const warnings = out.stderr.split('\n').filter((line) => line.trim() !== '' && !/javaldx/.test(line));
        expect(warnings).toEqual([]);
        const pdf = fs.readFileSync(path.join(dir, 'verslag.pdf'));
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
        expect(pdf.length).toBeGreaterThan(10_000);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

describe('hostile text stays text in every format, through the real server', () => {
  let sessionId = '';
  let auth: Record<string, string> = {};

  beforeAll(async () => {
    const s = await createSession(server, {
      title: `${HOSTILE[0]} ${HOSTILE[3]}`,
      question: HOSTILE[2]!,
      place: HOSTILE[1]!,
      decides: HOSTILE[6]!,
      themes: ['Communicatie', HOSTILE[1]!, '=Thema'],
    });
    sessionId = s.id;
    auth = { authorization: `Bearer ${s.facilitatorKey}` };
    const fac = await facilitator(server, s);
    await startSession(fac);
    const device = await joinDevice(server, s, 1);
    const board = await tableProvider(server, s.id, 1, { device: device.token });
    const round = server.services.sessions.get(s.id)!.agenda.rounds[0]!.id;
    addCluster(board.doc, { id: 'c-hostile', theme: 'communicatie', round, label: '\t=cmd|calc' });
    HOSTILE.forEach((text, i) => addPointTo(board, text, i === 0 ? 'c-hostile' : 'communicatie'));
    await waitForServerPoints(server, s.id, 1, HOSTILE.length);
    await gotoStep(fac, 'stemmen');
    const vote = await openVote(fac);
    const res = await submitBallot(device, vote.id, newBallotId(), { [vote.items[0]!.id]: 2, [vote.items[3]!.id]: 1 });
    expect(res.ok).toBe(true);
    await emitOk(fac.socket, Events.voteClose, { voteId: vote.id });
    const notes = await api(server, `/sessions/${s.id}/notes`, { method: 'PUT', body: { notes: HOSTILE.map((h) => h.trim()) }, headers: auth });
    expect(notes.status).toBe(200);
    await closeClients();
  }, 30_000);

  const get = async (format: ReportFormat) => text((await fetchFile(sessionId, format, auth)).bytes);

  it('JSON keeps the texts exactly as typed (trimmed), as data', async () => {
    const report = Report.parse(JSON.parse(await get('json')));
    const texts = report.rounds[0]!.themes[0]!.points.map((p) => p.text);
    expect(texts).toEqual(expect.arrayContaining(HOSTILE.map((h) => h.trim())));
    expect(report.session.title).toBe(`${HOSTILE[0]} ${HOSTILE[3]}`);
  });

  it('Markdown: no raw HTML, no link, no emphasis, no heading from user text', async () => {
    const md = await get('md');
    expect(md).not.toMatch(/<\s*(script|img)/i);
    expect(md).not.toMatch(/(^|[^\\])\]\(/m);
    expect(md).not.toContain('**bold**');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(md).toContain('\\*\\*bold\\*\\* \\[link\\](http://x)');
    expect(md.split('\n')[0]).toBe('# Verslag thematafel ‘&lt;script&gt;alert(1)&lt;/script&gt; =HYPERLINK("http://x")’');
    // The cluster label made by the table, as a heading in the appendix.
    expect(md).toContain('Subthema ‘ =cmd\\|calc’');
  });

  it('HTML: every text escaped, nothing that could run', async () => {
    const html = await get('html');
    expect(html).not.toMatch(/<\s*(script|img)/i);
    // Escaped text may read "onerror=", but no element carries an event handler.
    expect(html).not.toMatch(/<[a-z][^>]*\son\w+\s*=/i);
    expect(html).toContain('<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>');
    expect(html).toContain('<li>&lt;img src=x onerror=alert(1)&gt;</li>');
    expect(html).toContain('<li>**bold** [link](http://x)</li>');
    expect(html).toContain('<title>Verslag thematafel ‘&lt;script&gt;alert(1)&lt;/script&gt; =HYPERLINK(&quot;http://x&quot;)’</title>');
  });

  it('Word: the texts are plain runs; no field, link or markup', async () => {
    const xml = docxParts((await fetchFile(sessionId, 'docx', auth)).bytes)['word/document.xml']!;
    expect(xml).not.toMatch(/<w:hyperlink|<w:fldSimple|<w:instrText|<w:fldChar|<script|<img/);
    const texts = docxTexts(xml);
    for (const h of HOSTILE.slice(0, 7)) expect(texts).toContain(h);
    expect(texts).toContain('=1+1 met een tab ervoor');
  });

  it('CSV: no cell can start a formula; the texts are there after an apostrophe', async () => {
    const rows = parseCsv((await get('csv')).slice(1));
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const cells = rows.flat();
    expect(cells).toEqual(
      expect.arrayContaining(['\'=HYPERLINK("http://x")', "'+1", "'-1", "'@SUM(A1)", "'=1+1 met een tab ervoor", "'\t=cmd|calc", '<script>alert(1)</script>']),
    );
  });
});

describe('PUT /api/sessions/:id/notes', () => {
  let s: Awaited<ReturnType<typeof createSession>>;
  let auth: Record<string, string>;
  beforeAll(async () => {
    s = await createSession(server);
    auth = { authorization: `Bearer ${s.facilitatorKey}` };
  });
  const put = (body: unknown, headers = auth, id = s.id) => api(server, `/sessions/${id}/notes`, { method: 'PUT', body, headers });
  const saved = async () => Report.parse((await api(server, `/sessions/${s.id}/report.json`, { headers: auth })).body).notes;

  it('saves the list in its order, trimmed, and replaces it on the next save', async () => {
    const first = await put({ notes: ['  Tijdig informeren ', 'Duidelijke taal'] });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.body).toEqual({ notes: ['Tijdig informeren', 'Duidelijke taal'] });
    expect(await saved()).toEqual(['Tijdig informeren', 'Duidelijke taal']);
    expect((await put({ notes: ['Gezamenlijk optreden'] })).body).toEqual({ notes: ['Gezamenlijk optreden'] });
    expect(await saved()).toEqual(['Gezamenlijk optreden']);
    expect((await put({ notes: [] })).body).toEqual({ notes: [] });
    expect(await saved()).toEqual([]);
  });

  it('needs the facilitator key of this session', async () => {
    const other = await createSession(server);
    expect((await put({ notes: ['x'] }, {})).status).toBe(401);
    expect((await put({ notes: ['x'] }, { authorization: `Bearer ${other.facilitatorKey}` })).status).toBe(401);
    expect((await put({ notes: ['x'] }, auth, 'Unknown_Session1')).status).toBe(404);
    expect(await saved()).toEqual([]);
  });

  it('refuses a bad list and changes nothing', async () => {
    await put({ notes: ['Blijft staan'] });
    for (const body of [
      {},
      { notes: 'x' },
      { notes: [''] },
      { notes: ['   '] },
      { notes: ['x'.repeat(501)] },
      { notes: Array(51).fill('x') },
      { notes: ['x'], extra: 1 },
    ]) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect((res.body as { error: { code: string } }).error.code).toBe('bad_request');
    }
    expect(await saved()).toEqual(['Blijft staan']);
    const form = await api(server, `/sessions/${s.id}/notes`, {
      method: 'PUT',
      rawBody: 'notes=x',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
  });
});
