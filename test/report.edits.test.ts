/**
 * The organiser's edits and logo through the real server: stored with the facilitator key,
 * refused without changing anything when wrong, kept across a restart, and in every format.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import readExcelFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Report, type ReportFormat } from '../shared/report.js';
import { NO_EDITS, type ReportEditsBody } from '../shared/reportEdits.js';
import { api, createSession } from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { docxParts, docxTexts } from './fixtures/reportFiles.js';
import { play001, textOf, type Played001 } from './fixtures/thematafel001.js';

const PNG = fs.readFileSync(new URL('./fixtures/logo.png', import.meta.url));
const JPG = fs.readFileSync(new URL('./fixtures/logo.jpg', import.meta.url));

let server: TestServer;
let played: Played001;
beforeAll(async () => {
  server = await startTestServer();
  played = await play001(server);
}, 60_000);
afterAll(() => server.close());

type Headers = Record<string, string>;
const edits = (headers: Headers = played.auth, id = played.s.id) => api<{ edits: unknown; logo: unknown }>(server, `/sessions/${id}/report/edits`, { headers });
const putEdits = (body: unknown, headers: Headers = played.auth) =>
  api<{ edits: unknown; logo: unknown }>(server, `/sessions/${played.s.id}/report/edits`, { method: 'PUT', body, headers });
const putLogo = (data: Buffer | string, type: string, headers: Headers = played.auth) =>
  fetch(`${server.url}/api/sessions/${played.s.id}/report/logo`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': type },
    body: typeof data === 'string' ? data : new Blob([new Uint8Array(data)]),
  });
async function file(format: ReportFormat, query = '') {
  const res = await fetch(`${server.url}/api/sessions/${played.s.id}/report.${format}${query}`, { headers: played.auth });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

const key = (point: string, table: 1 | 2) => `${table}-${played.ids.get(point)!}`;
const EDITS = (): ReportEditsBody => ({
  organisation: 'Gemeente Den Haag',
  introduction: 'Op 17 april waren er twee gespreksrondes.\n\nDit verslag gaat naar de begeleidingsgroep.',
  summary: 'Bewoners willen eerder en duidelijker horen wat er speelt.',
  themeLabels: { participatie: 'Meedoen en meepraten' },
  themeOrder: ['participatie', 'communicatie', 'samenwerking'],
  points: { [key('tijdig', 1)]: { text: 'Communiceer op tijd en handel op tijd' }, [key('vroeg', 1)]: { omit: true } },
});

describe('report edits: GET and PUT /api/sessions/:id/report/edits', () => {
  it('start empty, save whole, and come back as saved', async () => {
    const before = await edits();
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ edits: NO_EDITS, logo: null });
    const saved = await putEdits(EDITS());
    expect(saved.status).toBe(200);
    expect(saved.headers.get('cache-control')).toBe('no-store');
    expect(saved.body.edits).toMatchObject({ organisation: 'Gemeente Den Haag', themeLabels: { participatie: 'Meedoen en meepraten' } });
    expect((await edits()).body).toEqual(saved.body);
  });

  it('need the facilitator key of this session', async () => {
    const other = await createSession(server);
    expect((await edits({})).status).toBe(401);
    expect((await edits({ authorization: `Bearer ${other.facilitatorKey}` })).status).toBe(401);
    expect((await putEdits({ summary: 'x' }, { authorization: `Bearer ${other.facilitatorKey}` })).status).toBe(401);
    expect((await edits(played.auth, 'Unknown_Session1')).status).toBe(404);
    expect((await edits()).body.edits).toMatchObject({ summary: EDITS().summary });
  });

  it('refuse bad edits with a clear error and change nothing', async () => {
    const saved = (await edits()).body;
    for (const bad of [{ points: { nope: { omit: true } } }, { introduction: 'x'.repeat(5001) }, { themeLabels: { participatie: '' } }, { unknown: 1 }, []]) {
      const res = await putEdits(bad);
      expect(res.status).toBe(400);
      expect((res.body as unknown as { error: { code: string } }).error.code).toBe('bad_request');
    }
    const text = await fetch(`${server.url}/api/sessions/${played.s.id}/report/edits`, {
      method: 'PUT',
      headers: { ...played.auth, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(text.status).toBe(415);
    expect((await edits()).body).toEqual(saved);
  });

  it('appear in every format: the organisation, introduction, summary, renamed theme and reworded point', async () => {
    const md = (await file('md')).toString('utf8');
    expect(md).toContain('Gemeente Den Haag · ');
    expect(md).toContain('## Inleiding\n\nOp 17 april waren er twee gespreksrondes.\n\nDit verslag gaat naar de begeleidingsgroep.');
    expect(md).toContain('## Samenvatting\n\nBewoners willen eerder en duidelijker horen wat er speelt.');
    const main = md.slice(md.indexOf('## Wat er naar voren kwam'), md.indexOf('## Top 3 per tafel'));
    expect(main.indexOf('### Meedoen en meepraten')).toBeLessThan(main.indexOf('### Communicatie'));
    expect(main).toContain('- Communiceer op tijd en handel op tijd\n');
    expect(main).not.toContain(textOf('tijdig'));
    expect(main).not.toContain(textOf('vroeg'));
    expect(md).toContain(`- ${textOf('tijdig')} (herschreven in het verslag)\n  - In de hoofdtekst: ‘Communiceer op tijd en handel op tijd’`);
    expect(md).toContain(`- Herschreven: ‘${textOf('tijdig')}’ werd ‘Communiceer op tijd en handel op tijd’.`);
    expect(md).toContain(`- Niet in de hoofdtekst: ‘${textOf('vroeg')}’. Dit punt staat wel in de bijlage.`);

    const html = (await file('html')).toString('utf8');
    expect(html).toContain('<h3>Meedoen en meepraten</h3>');
    expect(html).toContain('<li>Communiceer op tijd en handel op tijd</li>');
    const docx = docxTexts(docxParts(await file('docx'))['word/document.xml']!);
    for (const line of ['Gemeente Den Haag', 'Op 17 april waren er twee gespreksrondes.', 'Meedoen en meepraten', 'Communiceer op tijd en handel op tijd'])
      expect(docx).toContain(line);
    const report = Report.parse(JSON.parse((await file('json')).toString('utf8')));
    expect(report.edits.organisation).toBe('Gemeente Den Haag');

    const sheets = (await readExcelFile(await file('xlsx'))) as { sheet: string; data: unknown[][] }[];
    const cells = sheets.flatMap((s) => s.data.flat());
    for (const line of [
      'Gemeente Den Haag',
      'Bewoners willen eerder en duidelijker horen wat er speelt.',
      'Meedoen en meepraten',
      'Communiceer op tijd en handel op tijd',
    ]) {
      expect(cells.some((c) => typeof c === 'string' && c.includes(line))).toBe(true);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-edits-'));
    try {
      fs.writeFileSync(path.join(dir, 'r.pdf'), await file('pdf'));
      const text = (await promisify(execFile)('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'r.pdf'), '-'])).stdout.replace(/\s+/g, ' ');
      for (const line of ['Gemeente Den Haag', 'Op 17 april waren er twee gespreksrondes.', 'Meedoen en meepraten', 'Communiceer op tijd en handel op tijd'])
        expect(text).toContain(line);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // The record itself is untouched.
    expect(JSON.stringify(report.rounds)).toContain(textOf('tijdig'));
  });

  it('the public version leaves out the per-table detail and the originals, in every format', async () => {
    const md = (await file('md', '?version=public')).toString('utf8');
    expect(md).toContain('> Openbare versie.');
    expect(md).not.toContain(textOf('tijdig'));
    expect(md).not.toContain('Tafel 1');
    expect(md).not.toContain('Bijlage: alle punten');
    const res = await fetch(`${server.url}/api/sessions/${played.s.id}/report.docx?version=public`, { headers: played.auth });
    expect(res.headers.get('content-disposition')).toMatch(/-openbaar\.docx"?$/);
    expect(docxTexts(docxParts(Buffer.from(await res.arrayBuffer()))['word/document.xml']!)).not.toContain(textOf('tijdig'));
    const json = JSON.parse((await file('json', '?version=public')).toString('utf8')) as { version: string; blocks: unknown[] };
    expect(json.version).toBe('public');
    expect(JSON.stringify(json)).not.toContain(textOf('tijdig'));
    expect((await fetch(`${server.url}/api/sessions/${played.s.id}/report.md?version=secret`, { headers: played.auth })).status).toBe(400);
  });
});

describe('report logo: PUT, GET and DELETE /api/sessions/:id/report/logo', () => {
  it('takes a PNG, tells its size, gives it back as stored, and puts it on the Word title page', async () => {
    const res = await putLogo(PNG, 'image/png');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { logo: unknown }).logo).toEqual({ mime: 'image/png', width: 320, height: 96, bytes: PNG.length });
    const back = await fetch(`${server.url}/api/sessions/${played.s.id}/report/logo`, { headers: played.auth });
    expect(back.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await back.arrayBuffer()).equals(PNG)).toBe(true);
    const parts = docxParts(await file('docx'));
    expect(Object.keys(parts).some((name) => name.startsWith('word/media/'))).toBe(true);
  });

  it('takes a JPEG in its place', async () => {
    const res = await putLogo(JPG, 'image/jpeg');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { logo: { mime: string } }).logo.mime).toBe('image/jpeg');
  });

  it('refuses what is not a whole PNG or JPEG, or too large, and keeps the logo it had', async () => {
    const damaged = Buffer.from(PNG);
    damaged[50] = damaged[50]! ^ 0xff;
    for (const [data, type] of [
      [damaged, 'image/png'],
      ['<svg xmlns="http://www.w3.org/2000/svg"/>', 'image/svg+xml'],
      [PNG, 'text/html'],
      [Buffer.concat([JPG, Buffer.alloc(512 * 1024)]), 'image/jpeg'],
    ] as const) {
      const res = await putLogo(data, type);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_image');
    }
    expect((await putLogo(PNG, 'image/png', {})).status).toBe(401);
    expect(((await edits()).body.logo as { mime: string }).mime).toBe('image/jpeg');
  });

  it('edits and logo survive a restart; DELETE removes the logo', async () => {
    const before = (await edits()).body;
    await server.restart();
    // The first request may meet a kept-alive connection the old server closed: ask again.
    await expect.poll(async () => (await edits()).body, { timeout: 5000 }).toEqual(before);
    expect((await file('md')).toString('utf8')).toContain('## Samenvatting');
    const del = await api<{ logo: unknown }>(server, `/sessions/${played.s.id}/report/logo`, { method: 'DELETE', headers: played.auth });
    expect(del.status).toBe(200);
    expect(del.body.logo).toBeNull();
    expect((await fetch(`${server.url}/api/sessions/${played.s.id}/report/logo`, { headers: played.auth })).status).toBe(404);
  });
});
