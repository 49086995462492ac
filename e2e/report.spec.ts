/**
 * The report page while the session runs: the organiser watches the preview grow as a table
 * writes, adds tips and actions, and downloads the report in every format. The HTML file
 * opens as a page of its own and prints to an A4 PDF.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Dialog, type Download } from '@playwright/test';
import { addPointButton, expectAccessible, laptop, tablet, type Person } from './helpers/room';

test.describe.configure({ mode: 'serial' });

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
        agenda: { rounds: [{ title: 'Gespreksronde 1', steps: [{ type: 'inbreng', durationSec: 1200 }, { type: 'pauze', durationSec: 600 }] }] },
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
    await expect(f.getByText('Buurthuis De Kroon')).toBeVisible();
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
    expect(mdText).toContain('- Tijdig informeren');
    expect(mdText).toContain('- &lt;img src=x onerror=alert(1)&gt;');
    expect(mdText).toContain('## Tips en acties\n\n- Duidelijke taal, zonder vaktaal');

    const json = await download('JSON (archief)');
    const report = JSON.parse(json.bytes.toString('utf8'));
    expect(report.schemaVersion).toBe(2);
    expect(report.notes).toEqual(['Duidelijke taal, zonder vaktaal']);

    const docx = await download('Word (.docx)');
    expect(docx.file.suggestedFilename()).toMatch(/\.docx$/);
    expect(docx.bytes.subarray(0, 2).toString()).toBe('PK');

    const csv = await download('Excel (CSV)');
    expect(csv.file.suggestedFilename()).toMatch(/\.csv$/);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.bytes.toString('utf8')).toContain('tip of actie,,,,,,,,,"Duidelijke taal, zonder vaktaal"');

    const html = await download('Afdrukken of PDF (HTML)');
    expect(html.file.suggestedFilename()).toMatch(/\.html$/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tafelronde-report-'));
    const saved = path.join(dir, html.file.suggestedFilename());
    fs.writeFileSync(saved, html.bytes);

    // The saved page opens by itself, shows the text as text, and prints to A4.
    const page = await organiser.context.newPage();
    page.on('dialog', onDialog);
    await page.goto(`file://${saved}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Verslag thematafel ‘${TITLE}’`);
    await expect(page.getByText(HOSTILE)).toBeVisible();
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
