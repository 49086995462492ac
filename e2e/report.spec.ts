/**
 * The report page while the session runs: the organiser watches the preview grow as a table
 * writes, adds tips and actions, edits the report (introduction, logo, a point reworded and one
 * left out, a theme renamed), and downloads it in every format, in full and as the public
 * version. The HTML file opens as a page of its own and prints to an A4 PDF.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Dialog, type Download } from '@playwright/test';
import type { Report } from '../shared/report';
import { addPointButton, expectAccessible, laptop, tablet, type Person } from './helpers/room';

test.describe.configure({ mode: 'serial' });

const __dirname = path.dirname(fileURLToPath(import.meta.url));

const TITLE = 'Samen werken aan de wijk';
const HOSTILE = '<img src=x onerror=alert(1)>';

async function bytesOf(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

test.describe('the report while the session runs', () => {
  let organiser: Person;
  let table: Person;
  let sessionId = '';
  /** Any alert would mean that typed text ran as code somewhere. */
  const dialogs: string[] = [];
  const onDialog = (d: Dialog) => {
    dialogs.push(d.message());
    void d.dismiss();
  };

  test.beforeAll(async ({ browser, baseURL, request }) => {
    organiser = await laptop(browser, baseURL!);
    table = await tablet(browser, baseURL!);
    const res = await request.post('/api/sessions', {
      data: {
        title: TITLE,
        place: 'Buurthuis De Kroon',
        participation: 'denken',
        decides: 'De gemeenteraad',
        tables: 2,
        agenda: {
          rounds: [
            {
              title: 'Gespreksronde 1',
              steps: [
                { type: 'inbreng', durationSec: 1200 },
                { type: 'pauze', durationSec: 600 },
              ],
            },
          ],
        },
      },
    });
    const session = (await res.json()) as { id: string; joinCode: string; urls: { facilitator: string } };
    sessionId = session.id;
    const facilitator = new URL(session.urls.facilitator);
    await organiser.page.goto(facilitator.pathname + facilitator.hash);
    await table.page.goto(`/j/${session.joinCode}`);
    await table.page.getByRole('button', { name: 'Tafel 1' }).click();
    await organiser.page.getByRole('button', { name: 'Sessie beginnen' }).click();
    await addPointButton(table.page, 'Communicatie').click();
    await table.page.keyboard.type('Tijdig informeren');
    await addPointButton(table.page, 'Communicatie').click();
    await table.page.keyboard.type('Parkeren bij het stadhuis is te duur');
    for (const p of [organiser.page, table.page]) p.on('dialog', onDialog);
  });

  test.afterAll(async () => {
    for (const p of [organiser, table]) await p?.context.close();
  });

  test('the organiser sees the preview, and it grows while a table writes', async () => {
    const f = organiser.page;
    await f.getByRole('link', { name: 'Verslag bekijken' }).click();
    await expect(f).toHaveURL(new RegExp(`/f/${sessionId}/verslag$`));
    await expect(f.getByRole('heading', { level: 1 })).toHaveText(`Verslag thematafel ‘${TITLE}’`);
    await expect(f.getByText('Dit is een voorlopig verslag: de bijeenkomst is nog bezig.')).toBeVisible();
    await expect(f.getByText('Buurthuis De Kroon', { exact: true })).toBeVisible();
    // The page says it in the report's own words, as the files do.
    await expect(f.getByText('Samen denken: de deelnemers denken mee en geven ideeën. Anderen beslissen.')).toBeVisible();
    await expect(f.getByRole('region', { name: 'Communicatie' }).first()).toContainText('Tijdig informeren');

    // The table writes on; the page follows without a reload.
    await addPointButton(table.page, 'Samenwerking').click();
    await table.page.keyboard.type(HOSTILE);
    await expect(f.getByRole('region', { name: 'Samenwerking' }).first().getByText(HOSTILE)).toBeVisible({ timeout: 15_000 });
    expect(await f.locator('article img').count()).toBe(0);
    await expectAccessible(f, 'report page');
  });

  test('tips and actions are added, changed, removed and saved', async () => {
    const f = organiser.page;
    await f.getByRole('button', { name: 'Tip of actie toevoegen' }).click();
    await f.getByRole('textbox', { name: 'Tip of actie 1' }).fill('Duidelijke taal gebruiken');
    await f.getByRole('button', { name: 'Tip of actie toevoegen' }).click();
    await f.getByRole('textbox', { name: 'Tip of actie 2' }).fill('Weg ermee');
    await expect(f.getByText('Nog niet opgeslagen.')).toBeVisible();
    await f.getByRole('button', { name: 'Tip of actie 2 weghalen' }).click();
    await f.getByRole('textbox', { name: 'Tip of actie 1' }).fill('Duidelijke taal, zonder vaktaal');
    await f.getByRole('button', { name: 'Tips en acties opslaan' }).click();
    await expect(f.getByText('Opgeslagen.')).toBeVisible();
    await f.reload();
    await expect(f.getByRole('textbox', { name: 'Tip of actie 1' })).toHaveValue('Duidelijke taal, zonder vaktaal');
    await expect(f.getByRole('textbox', { name: 'Tip of actie 2' })).toHaveCount(0);
  });

  test('the organiser edits the report, and the preview follows at once', async () => {
    const f = organiser.page;
    const doc = f.getByRole('article');
    await f.getByRole('textbox', { name: 'Naam van gemeente of organisatie' }).fill('Gemeente Voorbeeld');
    await f.getByRole('textbox', { name: 'Inleiding' }).fill('Bewoners en stadsdeel spraken met elkaar.\n\nDit verslag gaat naar de begeleidingsgroep.');
    await expect(doc.getByRole('heading', { name: 'Inleiding', level: 2 })).toBeVisible();
    await expect(doc.getByText('Dit verslag gaat naar de begeleidingsgroep.')).toBeVisible();
    await expect(doc.getByText('Gemeente Voorbeeld', { exact: false }).first()).toBeVisible();
    await f.getByLabel('Logo op de voorpagina').setInputFiles(path.join(__dirname, '../test/fixtures/logo.png'));
    await expect(f.getByRole('img', { name: 'Het logo op de voorpagina' })).toBeVisible();

    await f.getByRole('checkbox', { name: 'Punten en thema’s bewerken' }).check();
    await f.getByRole('textbox', { name: 'Naam van het thema ‘Communicatie’ in het verslag' }).fill('Informatie en communicatie');
    await expect(doc.getByRole('heading', { name: 'Informatie en communicatie', level: 3 })).toBeVisible();
    await f.getByRole('button', { name: 'Bewerk: Tijdig informeren' }).click();
    await f.getByRole('group', { name: 'Bewerk: Tijdig informeren' }).getByRole('textbox', { name: 'Tekst in het verslag' }).fill('Informeer bewoners op tijd');
    await f.getByRole('button', { name: 'Klaar' }).click();
    const main = f.getByRole('region', { name: 'Informatie en communicatie' });
    await expect(main).toContainText('Informeer bewoners op tijd');
    await f.getByRole('button', { name: 'Bewerk: Parkeren bij het stadhuis is te duur' }).click();
    await f.getByRole('button', { name: 'Weglaten uit de hoofdtekst' }).click();
    await expect(main).not.toContainText('Parkeren bij het stadhuis is te duur');
    await expect(f.getByText('Weggelaten uit de hoofdtekst (1)')).toBeVisible();
    // The appendix keeps the originals and the process appendix says what changed.
    await expect(doc.getByRole('region', { name: 'Redactie' })).toContainText('Herschreven: ‘Tijdig informeren’ werd ‘Informeer bewoners op tijd’.');
    await expect(f.getByRole('region', { name: 'Het verslag bewerken' }).getByRole('status')).toHaveText('Opgeslagen.');
    await expectAccessible(f, 'report page while editing');

    // Stored on the server: a reload shows the same.
    await f.reload();
    await expect(f.getByRole('textbox', { name: 'Inleiding' })).toHaveValue(/Bewoners en stadsdeel spraken met elkaar\./);
    await expect(f.getByRole('region', { name: 'Informatie en communicatie' })).toContainText('Informeer bewoners op tijd');

    // The public version: no per-table detail, no originals.
    await f.getByRole('radio', { name: /Openbaar \(Woo\)/ }).check();
    await expect(doc.getByText(/Openbare versie\./)).toBeVisible();
    await expect(doc.getByRole('heading', { name: 'Bijlage: alle punten per ronde en tafel' })).toHaveCount(0);
    await expect(doc).not.toContainText('Tijdig informeren');
    await f.getByRole('radio', { name: /Voor de begeleidingsgroep/ }).check();
  });

  test('every download works and carries the points and the tips', async () => {
    const f = organiser.page;
    const download = async (name: string) => {
      const pending = f.waitForEvent('download');
      await f.getByRole('button', { name }).click();
      const file = await pending;
      return { file, bytes: await bytesOf(file) };
    };

    const md = await download('Markdown');
    expect(md.file.suggestedFilename()).toBe('verslag-Samen-werken-aan-de-wijk.md');
    const mdText = md.bytes.toString('utf8');
    expect(mdText).toContain(`# Verslag thematafel ‘${TITLE}’`);
    expect(mdText).toContain('> Dit is een voorlopig verslag: de bijeenkomst is nog bezig.');
    expect(mdText).toContain('- Informeer bewoners op tijd');
    expect(mdText).toContain('- Tijdig informeren (herschreven in het verslag)');
    expect(mdText).toContain('- &lt;img src=x onerror=alert(1)&gt;');
    expect(mdText).toContain('## Tips en acties\n\n- Duidelijke taal, zonder vaktaal');

    const json = await download('JSON (archief)');
    const report = JSON.parse(json.bytes.toString('utf8')) as Report;
    expect(report.schemaVersion).toBe(4);
    expect(report.notes).toEqual(['Duidelijke taal, zonder vaktaal']);

    const docx = await download('Word (.docx)');
    expect(docx.file.suggestedFilename()).toMatch(/\.docx$/);
    expect(docx.bytes.subarray(0, 2).toString()).toBe('PK');

    const serverPdf = await download('PDF');
    expect(serverPdf.file.suggestedFilename()).toBe('verslag-Samen-werken-aan-de-wijk.pdf');
    expect(serverPdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');

    const xlsx = await download('Excel (.xlsx)');
    expect(xlsx.file.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');

    const csv = await download('CSV');
    expect(csv.file.suggestedFilename()).toMatch(/\.csv$/);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.bytes.toString('utf8')).toContain('tip of actie,,,,,,,,,"Duidelijke taal, zonder vaktaal"');

    const html = await download('Webpagina (HTML)');
    expect(html.file.suggestedFilename()).toMatch(/\.html$/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-report-'));
    const saved = path.join(dir, html.file.suggestedFilename());
    fs.writeFileSync(saved, html.bytes);

    // The saved page opens by itself, shows the text as text, and prints to A4.
    const page = await organiser.context.newPage();
    page.on('dialog', onDialog);
    await page.goto(`file://${saved}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Verslag thematafel ‘${TITLE}’`);
    await expect(page.getByText(HOSTILE).first()).toBeVisible();
    await expect(page.getByRole('img', { name: 'Aantal punten per thema' })).toBeVisible();
    expect(await page.locator('img, script').count()).toBe(0);
    await expectAccessible(page, 'the HTML report');
    const pdf = await page.pdf({ preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // A4 is 595 × 842 points.
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]/);
    await page.close();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(dialogs).toEqual([]);
  });
});
