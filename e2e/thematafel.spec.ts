/**
 * A thematafel run from the front of the room: the organiser tunes the programme, the
 * facilitator walks two conversation rounds with rotation between them, and every tablet, the
 * projector, a table host and an observer follow without anyone touching them.
 */
import { expect, test } from '@playwright/test';
import { addPointButton, expectAccessible, laptop, pointBox, projector, tablet, type Person } from './helpers/room';
import { goToStep, nextStep, timerSeconds } from './helpers/run';

test.describe.configure({ mode: 'serial' });

test.describe('a two-round thematafel', () => {
  let organiser: Person;
  let beamer: Person;
  let tabletA: Person;
  let tabletB: Person;
  let host: Person;
  let observer: Person;
  let sessionId = '';
  let joinPath = '';

  test.beforeAll(async ({ browser, baseURL }) => {
    organiser = await laptop(browser, baseURL!);
    beamer = await projector(browser, baseURL!);
    tabletA = await tablet(browser, baseURL!);
    tabletB = await tablet(browser, baseURL!);
    host = await tablet(browser, baseURL!);
    observer = await laptop(browser, baseURL!);
  });

  test.afterAll(async () => {
    for (const p of [organiser, beamer, tabletA, tabletB, host, observer]) await p?.context.close();
  });

  test('setup: the organiser creates the session and adjusts the programme', async () => {
    const f = organiser.page;
    await f.goto('/');
    await f.getByLabel('Titel').fill('Samen werken aan de wijk');
    await f.getByLabel('Aantal tafels').fill('2');
    await f.getByRole('button', { name: 'Sessie maken' }).click();
    await expect(f.getByRole('button', { name: 'Sessie beginnen' })).toBeVisible();
    sessionId = new URL(f.url()).pathname.split('/')[2]!;
    joinPath = new URL(await f.getByRole('textbox', { name: 'Link voor de tafels' }).inputValue()).pathname;

    await f.locator('details.agenda-list summary').click();
    await f.getByRole('link', { name: 'Programma bewerken' }).click();
    await expect(f.getByRole('heading', { name: 'Programma' })).toBeVisible();
    // The template: two conversation rounds, the second with rotation, then the plenary.
    await expect(f.getByLabel('Naam van de ronde')).toHaveCount(3);
    await expect(f.getByRole('checkbox', { name: /wisselen/ }).nth(1)).toBeChecked();
    await f.getByLabel('Titel (niet verplicht)').first().fill('Welkom en uitleg');
    await f.getByLabel('Tijd in minuten (0 = geen tijd)').first().fill('4');
    await expectAccessible(f, 'programme editor');
    await f.getByRole('button', { name: 'Programma opslaan' }).click();
    await expect(f.getByText('Het programma is opgeslagen.')).toBeVisible();
    await f.getByRole('link', { name: 'Terug naar de leiding' }).click();
    await expect(f.getByText('Welkom en uitleg')).toBeAttached();
  });

  test('round 1: the same timer on tablets and projector, under pause and extend', async () => {
    const f = organiser.page;
    await beamer.page.goto(`/p/${sessionId}`);
    for (const [t, n] of [
      [tabletA, 1],
      [tabletB, 1],
    ] as const) {
      await t.page.goto(joinPath);
      await t.page.getByRole('button', { name: `Tafel ${n}` }).click();
      await expect(t.page.getByText('We beginnen zo.')).toBeVisible();
    }
    await f.getByRole('button', { name: 'Sessie beginnen' }).click();
    await expect(tabletA.page.getByText('Welkom en uitleg')).toBeVisible();
    await expect(beamer.page.getByText('Welkom en uitleg')).toBeVisible();

    // Every screen shows the same time left (read at nearly the same moment).
    const [onTablet, onWall, onConsole] = await Promise.all([timerSeconds(tabletA.page), timerSeconds(beamer.page), timerSeconds(f)]);
    expect(onTablet).toBeGreaterThan(200);
    expect(Math.abs(onTablet - onWall)).toBeLessThanOrEqual(1);
    expect(Math.abs(onTablet - onConsole)).toBeLessThanOrEqual(1);
    await expectAccessible(beamer.page, 'projector during a step');
    await expectAccessible(tabletA.page, 'tablet during the explanation');

    await f.getByRole('button', { name: 'Pauzeren' }).click();
    await expect(tabletA.page.getByText('Gepauzeerd')).toBeVisible();
    await expect(beamer.page.getByText('Gepauzeerd')).toBeVisible();
    const paused = await timerSeconds(tabletA.page);
    await f.getByRole('button', { name: '+5 minuten' }).click();
    await expect.poll(() => timerSeconds(tabletA.page)).toBe(paused + 300);
    await expect.poll(() => timerSeconds(beamer.page)).toBe(paused + 300);
    await f.getByRole('button', { name: 'Doorgaan' }).click();
    await expect(tabletA.page.getByText('Tijd over')).toBeVisible();
    await expect.poll(() => timerSeconds(tabletA.page)).toBeLessThan(paused + 300);
  });

  test('round 1: points only while collecting; signals to the front; the host moderates', async () => {
    const f = organiser.page;
    const a = tabletA.page;
    const b = tabletB.page;
    // During the explanation there is nothing to write.
    await expect(addPointButton(a, 'Communicatie')).toHaveCount(0);
    await nextStep(f);
    await addPointButton(a, 'Communicatie').click();
    await a.keyboard.type('Tijdig informeren');
    await addPointButton(b, 'Samenwerking').click();
    await b.keyboard.type('Korte lijntjes');
    await addPointButton(b, 'Participatie').click();
    await b.keyboard.type('Onzin die weg mag');
    await expect(pointBox(a, 'Samenwerking')).toHaveValue('Korte lijntjes');

    // The table calls for help and says it is done; the facilitator sees and answers it.
    await b.getByRole('button', { name: 'Hulp vragen' }).click();
    await expect(a.getByText('De begeleiding komt naar uw tafel.')).toBeVisible();
    await a.getByRole('button', { name: 'Wij zijn klaar' }).click();
    const tile = f.getByRole('listitem', { name: 'Tafel 1' });
    await expect(tile).toContainText('Hulp gevraagd');
    await expect(tile).toContainText('Klaar');
    await expectAccessible(f, 'console with table signals');
    await tile.getByRole('button', { name: 'Afgehandeld' }).first().click();
    await expect(a.getByRole('button', { name: 'Hulp vragen' })).toBeVisible();

    // The table host opens the link for table 1 and hides a point; the tablets see it go.
    await f.getByRole('button', { name: 'Links tonen' }).click();
    const hostUrl = await f.getByRole('textbox', { name: 'Tafel 1' }).inputValue();
    await host.page.goto(new URL(hostUrl).pathname + new URL(hostUrl).hash);
    await expect(host.page.getByText('Gespreksleider tafel 1')).toBeVisible();
    await expect(host.page.getByRole('textbox', { name: 'Punt bij Participatie' })).toHaveValue('Onzin die weg mag');
    await expectAccessible(host.page, 'table host view');
    await host.page.getByRole('button', { name: 'Verbergen' }).last().click();
    await expect(a.getByText('1 punt verborgen door de gespreksleider')).toBeVisible();
    await expect(pointBox(a, 'Participatie')).toHaveCount(0);

    // Clustering: a point moves to another theme for everyone.
    await nextStep(f);
    await a.getByRole('combobox', { name: 'Zet dit punt bij een ander thema' }).first().selectOption({ label: 'Thema: Participatie' });
    await expect(pointBox(b, 'Participatie')).toHaveValue('Tijdig informeren');

    // The table agrees its top 3 on the shared board.
    await nextStep(f);
    await a.getByRole('button', { name: 'In de top 3: Korte lijntjes' }).click();
    await expect(b.getByText('1 van 3 gekozen')).toBeVisible();
    await expect(b.getByRole('button', { name: 'Uit de top 3: Korte lijntjes' })).toBeVisible();
    await expectAccessible(b, 'top 3 chooser');

    // Outside collecting the host's board shows the points as they are; hiding still works.
    await expect(host.page.getByRole('textbox', { name: 'Punt bij Samenwerking' })).not.toBeEditable();
    await expect(host.page.getByRole('button', { name: 'Samenvoegen' })).toHaveCount(0);
    await expect(host.page.getByRole('button', { name: 'Ongedaan maken' })).toHaveCount(0);
    await expect(host.page.getByRole('button', { name: 'Weer tonen' })).toBeVisible();
    await expectAccessible(host.page, 'table host view outside collecting');
  });

  test('rotation: tablets pick a table again; the facilitator moves one; points stay where they were made', async () => {
    const f = organiser.page;
    const a = tabletA.page;
    const b = tabletB.page;
    await nextStep(f);
    await expect(f.locator('.run-panel__where')).toContainText('Gespreksronde 2');
    await expect(a.getByText('Een nieuwe ronde: aan welke tafel zit u nu?')).toBeVisible();
    await a.getByRole('button', { name: 'Blijf aan tafel 1' }).click();
    await b.getByRole('button', { name: 'Tafel 2' }).click();
    await expect(b.getByText('Tafel 2', { exact: true })).toBeVisible();

    // The facilitator moves tablet A by the code on its screen.
    const label = (await a.locator('.device-label').textContent())!.trim().split(' ').at(-1)!;
    const tile = f.getByRole('listitem', { name: 'Tafel 1' });
    await tile.getByText('Verplaats apparaat').click();
    await tile.getByRole('combobox', { name: `Apparaat ${label} verplaatsen naar` }).selectOption({ label: 'Tafel 2' });
    await expect(a.getByText('Tafel 2', { exact: true })).toBeVisible();
    await expect(f.getByRole('listitem', { name: 'Tafel 2' })).toContainText('2 apparaten verbonden');

    // Round 2 at table 2 starts with an empty board; round 1's points stay with table 1.
    await nextStep(f);
    await expect(pointBox(a, 'Samenwerking')).toHaveCount(0);
    await addPointButton(a, 'Communicatie').click();
    await a.keyboard.type('Uitkomsten serieus nemen');
    await expect(pointBox(b, 'Communicatie')).toHaveValue('Uitkomsten serieus nemen');
    await f.getByLabel('In beeld').selectOption({ label: 'Bord van tafel 1' });
    await expect(beamer.page.getByRole('heading', { name: 'Bord van tafel 1' })).toBeVisible();
    await expect(beamer.page.getByText('Korte lijntjes')).toBeVisible();
    await expect(beamer.page.getByText('Uitkomsten serieus nemen')).toHaveCount(0);
    await f.getByLabel('In beeld').selectOption({ label: 'Het programma (standaard)' });
  });

  test('plenary: feedback shows each table’s top points; the vote; an observer follows', async () => {
    const f = organiser.page;
    await goToStep(f, 'Terugkoppeling van de tafels');
    const wall = beamer.page;
    await expect(wall.getByRole('heading', { name: 'Tafel 1' }).first()).toBeVisible();
    // Every round counts, round by round: table 1's own top 3 from round 1, table 2's points from round 2.
    await expect(wall.getByRole('heading', { name: 'Gespreksronde 1' })).toBeVisible();
    await expect(wall.getByRole('heading', { name: 'Gespreksronde 2' })).toBeVisible();
    const round1 = wall.locator('.wall__card').filter({ hasText: 'Korte lijntjes' });
    await expect(round1).toHaveCount(1);
    await expect(round1).toContainText('Tafel 1');
    await expect(round1).not.toContainText('Tijdig informeren');
    await expect(wall.locator('.wall__card').filter({ hasText: 'Uitkomsten serieus nemen' })).toContainText('Tafel 2');
    // A tablet shows its own table's points (tablets are sent the tops in this step only); tablet
    // A moved to table 2 in round 2.
    const fed = tabletA.page.getByRole('region', { name: 'Tafel 2' });
    await expect(fed.getByRole('listitem').filter({ hasText: 'Uitkomsten serieus nemen' })).toBeVisible();
    await expect(fed.getByText('Korte lijntjes')).toHaveCount(0);
    // The radio follows the server's state, so it is checked once the server has applied it.
    await f.getByRole('radio', { name: 'Licht' }).click();
    await expect(f.getByRole('radio', { name: 'Licht' })).toBeChecked();
    await expect(wall.locator('main.wall--light')).toBeVisible();
    await expectAccessible(wall, 'projector in light mode');

    await observer.page.goto(`/o/${sessionId}`);
    await expect(observer.page.getByText('U kijkt mee. U kunt hier niets veranderen.')).toBeVisible();
    await expect(observer.page.getByText('Terugkoppeling van de tafels').first()).toBeVisible();
    await expect(observer.page.getByRole('button', { name: /Volgende|Stemming/ })).toHaveCount(0);
    await expectAccessible(observer.page, 'observer view');

    // The harvest: table 1 chose its top 3; table 2 did not, so the facilitator picks from it.
    await f.getByRole('link', { name: 'Plenaire lijst openen' }).click();
    await expect(f.getByRole('heading', { name: 'Plenaire lijst' })).toBeVisible();
    await f.getByRole('button', { name: 'Top 3 van alle tafels ophalen' }).click();
    await expect(f.getByRole('status').filter({ hasText: 'toegevoegd' })).toContainText('Nog geen top 3 gekozen: tafel 2.');
    await f.getByLabel('Zelf punten kiezen van').selectOption({ label: 'Tafel 2' });
    await f.getByRole('checkbox', { name: /Uitkomsten serieus nemen/ }).check();
    await f.getByRole('button', { name: '1 punt naar de lijst' }).click();
    await expect(f.getByRole('status').filter({ hasText: '1 punt toegevoegd.' })).toBeVisible();
    const plenary = f.getByRole('region', { name: 'Plenaire lijst' });
    await expect(plenary.getByRole('textbox', { name: /Punt bij/ })).not.toHaveCount(0);
    await expect(plenary).toContainText('Tafel 2');
    await expectAccessible(f, 'plenary board');
    // Two themes become one on the plenary board.
    const themes = f.getByRole('region', { name: 'Thema’s van de lijst' });
    await themes.getByLabel('Thema samenvoegen').selectOption({ label: 'Participatie' });
    await themes.getByLabel('met', { exact: true }).selectOption({ label: 'Samenwerking' });
    await themes.getByRole('button', { name: 'Samenvoegen' }).click();
    await expect(plenary.getByRole('heading', { name: /Participatie/ })).toHaveCount(0);
    await f.getByRole('link', { name: 'Terug naar de leiding' }).click();
    await f.getByLabel('In beeld').selectOption({ label: 'De plenaire lijst' });
    await expect(wall.getByRole('heading', { name: 'Plenaire lijst' })).toBeVisible();
    await expect(wall.getByText('Uitkomsten serieus nemen')).toBeVisible();
    await expect(wall.getByText('Korte lijntjes')).toBeVisible();
    await f.getByLabel('In beeld').selectOption({ label: 'Het programma (standaard)' });

    await nextStep(f);
    await f.getByRole('button', { name: 'Stemming openen' }).click();
    const a = tabletA.page;
    await a.getByRole('button', { name: 'Stip geven aan: Korte lijntjes' }).click();
    await a.getByRole('button', { name: 'Stem versturen' }).click();
    await expect(a.getByText('Uw stem is ontvangen.')).toBeVisible();
    await expect(f.getByRole('listitem', { name: 'Tafel 2' })).toContainText('1 van 2 gestemd');
    await expect(observer.page.getByText('1 van 2 stemmen binnen')).toBeVisible();

    // Moving on closes the vote; the result shows in the feedback step.
    await nextStep(f);
    await expect(f.getByText('De stemming is gesloten.')).toBeVisible();
    await expect(wall.getByRole('heading', { name: 'Uitslag' })).toBeVisible();
    // The tablets follow to the feedback step, with the result.
    await expect(a.getByRole('row', { name: /Korte lijntjes/ })).toContainText('1');
    await expectAccessible(a, 'tablet feedback with the result');

    await nextStep(f);
    await expect(f.locator('.run-panel__step')).toHaveText('Afgelopen');
    await expect(tabletB.page.getByText('Bedankt voor uw inbreng.')).toBeVisible();
  });
});
