/**
 * One whole thematafel, phase by phase, as the people in the room do it: the organiser creates
 * the session, the projector shows how to join, two tablets at table 1 co-edit while a tablet
 * at table 2 does its own work, everybody votes with dots, and the organiser reads the report.
 */
import { expect, test } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import { Events, PROTOCOL_VERSION, type ClientToServerEvents, type ServerToClientEvents, type SessionView } from '../shared/protocol';
import type { Report } from '../shared/report';
import { addPointButton, expectAccessible, laptop, pointBox, projector, tablet, TABLET_LANDSCAPE, type Person } from './helpers/room';
import { goToStep, nextStep } from './helpers/run';

test.describe.configure({ mode: 'serial' });

test.describe('a whole session', () => {
  let organiser: Person;
  let beamer: Person;
  let tabletA: Person;
  let tabletB: Person;
  let tabletOther: Person;
  let joinCode = '';
  let joinPath = '';
  let sessionId = '';

  test.beforeAll(async ({ browser, baseURL }) => {
    organiser = await laptop(browser, baseURL!);
    beamer = await projector(browser, baseURL!);
    tabletA = await tablet(browser, baseURL!);
    tabletB = await tablet(browser, baseURL!);
    tabletOther = await tablet(browser, baseURL!, TABLET_LANDSCAPE);
  });

  test.afterAll(async () => {
    for (const p of [organiser, beamer, tabletA, tabletB, tabletOther]) await p?.context.close();
  });

  test('1. the organiser creates a session', async () => {
    const { page } = organiser;
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Nieuwe sessie maken' })).toBeVisible();
    await expectAccessible(page, 'home page');
    await page.getByLabel('Titel').fill('Informatievoorziening en samenwerking');
    await page.getByLabel('Vraag voor de tafels').fill('Hoe komen we tot betere informatievoorziening en samenwerking?');
    await expect(page.getByLabel('Aantal tafels')).toHaveValue('4');
    await expect(page.getByRole('textbox', { name: 'Thema 1' })).toHaveValue('Communicatie');
    await expect(page.getByRole('textbox', { name: 'Thema 3' })).toHaveValue('Participatie');
    await page.getByRole('button', { name: 'Sessie maken' }).click();
    await expect(page.getByRole('heading', { name: 'Informatievoorziening en samenwerking' })).toBeVisible();
  });

  test('2. the console shows the private link and the projector link', async () => {
    const { page } = organiser;
    sessionId = new URL(page.url()).pathname.split('/')[2]!;
    const secret = page.getByRole('textbox', { name: 'Uw geheime link' });
    await expect(secret).toHaveValue(new RegExp(`/f/${sessionId}#key=[A-Za-z0-9_-]{32}$`));
    await expect(page.getByRole('link', { name: 'Beamerscherm openen' })).toHaveAttribute('href', `/p/${sessionId}`);
    joinCode = (await page.locator('.console__code strong').textContent())!.trim();
    expect(joinCode).toMatch(/^[A-Z0-9]{6}$/);
    joinPath = new URL(await page.getByRole('textbox', { name: 'Link voor de tafels' }).inputValue()).pathname;
    expect(joinPath).toBe(`/j/${joinCode}`);
    await expect(page.getByRole('listitem', { name: 'Tafel 4' })).toBeVisible();
    await expectAccessible(page, 'facilitator console');
  });

  test('3. the projector shows title, question, join code and QR code', async () => {
    const { page } = beamer;
    await page.goto(`/p/${sessionId}`);
    await expect(page.getByRole('heading', { name: 'Informatievoorziening en samenwerking' })).toBeVisible();
    await expect(page.getByText('Hoe komen we tot betere informatievoorziening en samenwerking?')).toBeVisible();
    await expect(page.getByTestId('join-code')).toHaveText(joinCode);
    await expect(page.getByRole('img', { name: /^QR: http:\/\/.+\/j\/[A-Z0-9]{6}$/ })).toBeVisible();
    // Readable from the back of the room: the code is set in very large type.
    const size = await page.getByTestId('join-code').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(80);
    // No controls and no secrets on the wall.
    await expect(page.getByRole('button')).toHaveCount(0);
    expect(await page.content()).not.toContain('#key=');
    await expectAccessible(page, 'projector');
  });

  test('4. tablets join without a name and pick their table', async () => {
    // Tablet A follows the join link (as from the QR code).
    await tabletA.page.goto(joinPath);
    await expect(tabletA.page.getByRole('heading', { name: 'Informatievoorziening en samenwerking' })).toBeVisible();
    await expect(tabletA.page.getByRole('textbox')).toHaveCount(0);
    await expectAccessible(tabletA.page, 'join page');
    await tabletA.page.getByRole('button', { name: 'Tafel 1' }).click();
    // Before the start, tablets wait for the facilitator.
    await expect(tabletA.page.getByText('We beginnen zo.')).toBeVisible();

    // Tablet B types the code on the home page.
    await tabletB.page.goto('/');
    await tabletB.page.getByLabel('Code van het scherm').fill(joinCode.toLowerCase());
    await tabletB.page.getByRole('button', { name: 'Meedoen' }).click();
    await tabletB.page.getByRole('button', { name: 'Tafel 1' }).click();
    await expect(tabletB.page.getByText('Tafel 1', { exact: true })).toBeVisible();

    await tabletOther.page.goto(joinPath);
    await tabletOther.page.getByRole('button', { name: 'Tafel 2' }).click();
    await expect(tabletOther.page.getByText('Tafel 2', { exact: true })).toBeVisible();

    // The facilitator sees devices per table, as counts.
    const table1 = organiser.page.getByRole('listitem', { name: 'Tafel 1' });
    await expect(table1).toContainText('2 apparaten verbonden');
    await expect(organiser.page.getByRole('listitem', { name: 'Tafel 2' })).toContainText('1 apparaat verbonden');
  });

  test('5. two tablets at a table co-edit live; another table sees none of it', async () => {
    const a = tabletA.page;
    const b = tabletB.page;
    // The facilitator starts, and moves from the explanation to adding points.
    await organiser.page.getByRole('button', { name: 'Sessie beginnen' }).click();
    await expect(a.getByText('Luister naar de uitleg.')).toBeVisible();
    await expect(addPointButton(a, 'Communicatie')).toHaveCount(0);
    await nextStep(organiser.page);
    await addPointButton(a, 'Communicatie').click();
    await a.keyboard.type('Tijdig informeren');
    await expect(pointBox(b, 'Communicatie')).toHaveValue('Tijdig informeren');

    // B edits the same point; A sees the change while it types.
    await pointBox(b, 'Communicatie').click();
    await b.keyboard.press('End');
    await b.keyboard.type(' en duidelijke taal');
    await expect(pointBox(a, 'Communicatie')).toHaveValue('Tijdig informeren en duidelijke taal');

    await addPointButton(b, 'Samenwerking').click();
    await b.keyboard.type('Korte lijntjes tussen wijk en stadsdeel');
    await expect(pointBox(a, 'Samenwerking')).toHaveValue('Korte lijntjes tussen wijk en stadsdeel');

    // A point moves to another theme for everyone.
    await addPointButton(a, 'Communicatie').click();
    await a.keyboard.type('Vooraf meedenken en meepraten');
    await a.getByRole('combobox', { name: 'Zet dit punt bij een ander thema' }).nth(1).selectOption({ label: 'Thema: Participatie' });
    await expect(pointBox(b, 'Participatie')).toHaveValue('Vooraf meedenken en meepraten');
    await expect(b.getByRole('heading', { name: 'Communicatie (1)' })).toBeVisible();

    // Table 2 has its own board.
    const other = tabletOther.page;
    await addPointButton(other, 'Participatie').click();
    await other.keyboard.type('Uitkomsten serieus nemen');
    await expect(other.getByRole('textbox', { name: /^Punt bij/ })).toHaveCount(1);
    await expect(a.getByRole('textbox', { name: /^Punt bij/ })).toHaveCount(3);
    await expect(organiser.page.getByRole('listitem', { name: 'Tafel 1' })).toContainText('3 punten');
    await expect(organiser.page.getByRole('listitem', { name: 'Tafel 2' })).toContainText('1 punt');
    await expectAccessible(a, 'tablet board');
  });

  test('6. a blind dot vote: anonymous ballots, results only for the facilitator until it closes, late ballots refused', async () => {
    const f = organiser.page;
    await goToStep(f, 'Wat vinden we het belangrijkst?');
    await expect(f.getByLabel('Stippen per persoon')).toHaveValue('3');
    // The step votes on the plenary list; this room votes on every table's points, blind. The
    // main action comes first; the settings fold open below it.
    await expect(f.getByRole('button', { name: 'Stemming openen' })).toBeVisible();
    await f.locator('summary', { hasText: 'Instellingen aanpassen' }).click();
    await f.getByLabel('Waarover stemmen ze?').selectOption({ label: 'Alle punten van alle tafels' });
    await f.getByRole('checkbox', { name: /Blind stemmen/ }).check();
    await f.getByRole('button', { name: 'Stemming openen' }).click();
    await expect(f.getByText('De stemming is open.')).toBeVisible();
    await expect(f.getByText(/Stippen verdelen \(3 per persoon, hoogstens 3 op één punt\) · punten van alle tafels · blind/).first()).toBeVisible();

    const a = tabletA.page;
    await expect(a.getByRole('heading', { name: 'Stemmen' })).toBeVisible();
    await expect(a.getByText('Nog 3 stippen over')).toBeVisible();
    await a.getByRole('button', { name: 'Stip geven aan: Tijdig informeren en duidelijke taal' }).click();
    await a.getByRole('button', { name: 'Stip geven aan: Tijdig informeren en duidelijke taal' }).click();
    await a.getByRole('button', { name: 'Stip geven aan: Uitkomsten serieus nemen' }).click();
    await expect(a.getByText('Nog 0 stippen over')).toBeVisible();
    // The budget is spent: no more dots can be given.
    await expect(a.getByRole('button', { name: 'Stip geven aan: Korte lijntjes tussen wijk en stadsdeel' })).toBeDisabled();
    await expectAccessible(a, 'ballot');
    await a.getByRole('button', { name: 'Stem versturen' }).click();
    await expect(a.getByText('Uw stem is ontvangen.')).toBeVisible();

    // A blind vote: the projector shows the turnout, not the result; the facilitator's chart moves.
    const wall = beamer.page;
    await expect(wall.getByRole('heading', { name: 'Hierover stemt u nu' })).toBeVisible();
    await expect(wall.getByText('1 van 3 stemmen binnen')).toBeVisible();
    await expect(wall.getByText(/Dit is een blinde stemming/)).toBeVisible();
    await expect(wall.locator('.wall-result')).toHaveCount(0);
    await expect(f.getByRole('row', { name: /Tijdig informeren en duidelijke taal/ })).toContainText('2');
    await expectAccessible(wall, 'projector during a blind vote');

    const other = tabletOther.page;
    await other.getByRole('button', { name: 'Stip geven aan: Korte lijntjes tussen wijk en stadsdeel' }).click();
    await other.getByRole('button', { name: 'Stem versturen' }).click();
    await expect(other.getByText('Uw stem is ontvangen.')).toBeVisible();
    await expect(wall.getByText('2 van 3 stemmen binnen')).toBeVisible();
    await expect(f.getByRole('row', { name: /Korte lijntjes/ })).toContainText('1');

    // Tablet B fills in a ballot but is too late: the facilitator closes the vote first.
    const b = tabletB.page;
    await b.getByRole('button', { name: 'Stip geven aan: Vooraf meedenken en meepraten' }).click();
    await f.getByRole('button', { name: 'Stemming sluiten' }).click();
    await expect(f.getByText('De stemming is gesloten.')).toBeVisible();
    await expect(b.getByText('De stemming is gesloten.')).toBeVisible();
    await expect(b.getByRole('button', { name: 'Stem versturen' })).toHaveCount(0);
    await expect(wall.getByText('Uitslag')).toBeVisible();
    await expect(wall.getByText('2 van 3 stemmen binnen')).toBeVisible();
    // Closed: now the room sees the result, labelled with its method.
    await expect(wall.locator('.wall-result', { hasText: /Tijdig informeren en duidelijke taal/ })).toContainText('2');
    await expect(wall.getByText(/Stippen verdelen \(3 per persoon/).first()).toBeVisible();

    // A ballot that still reaches the server after closing (sent with tablet B's own device
    // token, as a tablet with a stale screen would) is refused with a clear reason.
    const token = await b.evaluate((id) => localStorage.getItem(`tafelronde:device:${id}`), sessionId);
    const late = await lateBallot(baseURLOf(b), sessionId, token!);
    expect(late).toMatchObject({ ok: false, error: { code: 'vote_closed', message: expect.stringMatching(/closed/) } });
    await expect(wall.getByText('2 van 3 stemmen binnen')).toBeVisible();
    await b.getByRole('button', { name: 'Terug' }).click();
    await expect(b.getByText('De stemming begint zo.')).toBeVisible();
  });

  test('7. the report: points per theme and table, vote totals, devices; JSON and Markdown downloads', async () => {
    const f = organiser.page;
    await f.getByRole('link', { name: 'Verslag bekijken' }).click();
    await expect(f.getByRole('heading', { level: 1 })).toHaveText('Verslag thematafel ‘Informatievoorziening en samenwerking’');
    // The main text: per theme one list; the appendix: per round, theme and table.
    const communicatie = f.getByRole('region', { name: 'Communicatie' }).first();
    await expect(communicatie).toContainText('Tijdig informeren en duidelijke taal');
    await expect(f.getByRole('region', { name: 'Bijlage: alle punten per ronde en tafel' })).toContainText('Communicatie · Tafel 1');
    await expect(f.getByRole('region', { name: 'Participatie' }).first()).toContainText('Uitkomsten serieus nemen');
    await expect(f.getByRole('row', { name: /Tijdig informeren en duidelijke taal/ })).toContainText('2');
    // The turnout in the report's own words, as in the files.
    await expect(f.getByText(/2 van de 3 apparaten hebben gestemd \(67%\)/)).toBeVisible();
    await expectAccessible(f, 'report page');

    const md = f.waitForEvent('download');
    await f.getByRole('button', { name: 'Markdown' }).click();
    const mdFile = await md;
    expect(mdFile.suggestedFilename()).toMatch(/\.md$/);
    const mdText = await streamText(await mdFile.createReadStream());
    expect(mdText).toContain('# Verslag thematafel ‘Informatievoorziening en samenwerking’');
    expect(mdText).toContain('### Communicatie');

    const json = f.waitForEvent('download');
    await f.getByRole('button', { name: 'JSON (archief)' }).click();
    const report = JSON.parse(await streamText(await (await json).createReadStream())) as Report;
    expect(report.schemaVersion).toBe(4);
    expect(report.votes[0]).toMatchObject({ method: 'dots', source: 'tables' });
    expect(report.votes[0]!.results[0]).toMatchObject({ text: 'Tijdig informeren en duidelijke taal', total: 2, rank: 1 });
    expect(report.tables.find((t) => t.table === 1)!.devices).toBe(2);
  });

  test('the interface switches to English', async () => {
    const b = tabletB.page;
    await b.getByRole('button', { name: 'English' }).click();
    await expect(b.getByText('The vote will start soon.')).toBeVisible();
    await expect(b.locator('html')).toHaveAttribute('lang', 'en');
    await b.getByRole('button', { name: 'Nederlands' }).click();
    await expect(b.locator('html')).toHaveAttribute('lang', 'nl');
  });
});

const baseURLOf = (page: import('@playwright/test').Page) => new URL(page.url()).origin;

/** Connects as the given device with the real socket.io client and submits a ballot for the current vote. */
async function lateBallot(baseURL: string, sessionId: string, token: string) {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(baseURL, {
    auth: { protocol: PROTOCOL_VERSION, role: 'device', sessionId, token },
    transports: ['websocket'],
  });
  try {
    const session = await new Promise<SessionView>((resolve) => socket.once(Events.sessionState, resolve));
    const vote = session.vote!;
    return await socket.emitWithAck(Events.ballotSubmit, {
      voteId: vote.id,
      ballotId: 'late-ballot-0123456789',
      choices: { method: 'dots', dots: { [vote.items[0]!.id]: 1 } },
    });
  } finally {
    socket.disconnect();
  }
}

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
