/**
 * The table's board as paper should feel: undo of one's own changes, seeing where others write,
 * and working on through a lost connection without losing or doubling a point.
 */
import { expect, test } from '@playwright/test';
import { addPointButton, expectAccessible, laptop, pointBox, startWithTablets, tablet, type Person } from './helpers/room';

test.describe.configure({ mode: 'serial' });

test.describe('a table board', () => {
  let organiser: Person;
  let tabletA: Person;
  let tabletB: Person;

  test.beforeAll(async ({ browser, baseURL, request }) => {
    organiser = await laptop(browser, baseURL!);
    tabletA = await tablet(browser, baseURL!);
    tabletB = await tablet(browser, baseURL!);
    const res = await request.post('/api/sessions', {
      data: {
        title: 'Bord',
        tables: 2,
        agenda: {
          rounds: [
            {
              steps: [
                { type: 'inbreng', durationSec: 1200 },
                { type: 'pauze', durationSec: 600 },
              ],
            },
          ],
        },
      },
    });
    const session = (await res.json()) as { joinCode: string; urls: { facilitator: string } };
    await startWithTablets(organiser, [tabletA, tabletB], session);
    await expect(addPointButton(tabletB.page, 'Communicatie')).toBeVisible();
  });

  test.afterAll(async () => {
    for (const p of [organiser, tabletA, tabletB]) await p?.context.close();
  });

  test('others see where someone writes, without a name', async () => {
    const a = tabletA.page;
    const b = tabletB.page;
    await addPointButton(a, 'Communicatie').click();
    await a.keyboard.type('Tijdig informeren');
    await expect(b.getByText('Iemand anders schrijft hier')).toBeVisible();
    await b.getByRole('heading', { name: /Samenwerking/ }).click(); // B looks elsewhere; A stops writing
    await pointBox(b, 'Communicatie').click();
    await expect(a.getByText('Iemand anders schrijft hier')).toBeVisible();
    await expectAccessible(a, 'board with presence');
  });

  test('undo takes back this tablet’s own change, for everyone', async () => {
    const a = tabletA.page;
    const b = tabletB.page;
    await addPointButton(b, 'Participatie').click();
    await b.keyboard.type('Per ongeluk');
    await expect(pointBox(a, 'Participatie')).toHaveValue('Per ongeluk');
    await b.getByRole('button', { name: /Ongedaan maken/ }).click();
    await expect(pointBox(a, 'Participatie')).toHaveCount(0);
    await b.getByRole('button', { name: /Opnieuw doen/ }).click();
    await expect(pointBox(a, 'Participatie')).toHaveValue('Per ongeluk');
    // A's own undo does not touch B's point.
    await expect(a.getByRole('button', { name: /Ongedaan maken/ })).toBeEnabled();
  });

  test('a tablet that loses the connection keeps working and merges when it is back', async () => {
    const a = tabletA.page;
    const b = tabletB.page;
    await tabletA.context.setOffline(true);
    await expect(a.getByText(/Geen verbinding met de laptop/)).toBeVisible();
    await addPointButton(a, 'Samenwerking').click();
    await a.keyboard.type('Offline geschreven');
    await addPointButton(b, 'Samenwerking').click();
    await b.keyboard.type('Intussen bij B');
    await tabletA.context.setOffline(false);
    await expect(a.getByText(/Geen verbinding met de laptop/)).toHaveCount(0);
    // Both points on both tablets, each once.
    for (const page of [a, b]) {
      await expect(page.getByRole('textbox', { name: 'Punt bij Samenwerking' })).toHaveCount(2);
    }
    const texts = async (page: typeof a) =>
      (await page.getByRole('textbox', { name: 'Punt bij Samenwerking' }).evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value))).sort();
    await expect.poll(() => texts(b)).toEqual(['Intussen bij B', 'Offline geschreven']);
    await expect.poll(() => texts(a)).toEqual(['Intussen bij B', 'Offline geschreven']);
  });

  test('duplicates are merged into one point with both texts; points move up and down', async () => {
    const a = tabletA.page;
    const b = tabletB.page;
    const boxes = (page: typeof a) => page.getByRole('textbox', { name: 'Punt bij Participatie' });
    await addPointButton(a, 'Participatie').click();
    await a.keyboard.type('Uitkomsten serieus nemen');
    await addPointButton(b, 'Participatie').click();
    await b.keyboard.type('Doe echt iets met de uitkomsten');
    await expect(boxes(a)).toHaveCount(3);

    // B merges its duplicate into A's point.
    const mine = b
      .getByRole('listitem')
      .filter({ has: b.getByRole('textbox', { name: 'Punt bij Participatie' }) })
      .last();
    await mine.getByRole('button', { name: 'Samenvoegen' }).click();
    await expect(b.getByText('Tik bij het punt waar dit punt bij hoort')).toBeVisible();
    await expectAccessible(b, 'board while merging');
    // Every other written point on the board can take it; here: A's, the second in Participatie.
    const column = b.getByRole('region', { name: /^Participatie/ });
    await expect(column.getByRole('button', { name: 'Hierbij voegen' })).toHaveCount(2);
    await column.getByRole('button', { name: 'Hierbij voegen' }).nth(1).click();
    for (const page of [a, b]) {
      await expect(boxes(page)).toHaveCount(2);
      await expect(page.getByText('Samengevoegd met 1 ander punt:')).toBeVisible();
      await expect(page.getByText('Doe echt iets met de uitkomsten')).toBeVisible();
    }
    // And apart again.
    await a.getByRole('button', { name: 'Weer los' }).click();
    await expect(boxes(b)).toHaveCount(3);
    await b
      .getByRole('listitem')
      .filter({ has: b.getByRole('textbox', { name: 'Punt bij Participatie' }) })
      .last()
      .getByRole('button', { name: 'Samenvoegen' })
      .click();
    await column.getByRole('button', { name: 'Hierbij voegen' }).nth(1).click();
    await expect(boxes(a)).toHaveCount(2);

    // Order within a theme: the last point moves up for everyone.
    const order = (page: typeof a) =>
      page.getByRole('textbox', { name: 'Punt bij Participatie' }).evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
    const before = await order(a);
    await a.getByRole('button', { name: 'Punt omhoog' }).last().click();
    await expect.poll(() => order(b)).toEqual([before[1], before[0]]);
  });

  test('a table adds a sub-theme under a theme and sorts points into it', async () => {
    const a = tabletA.page;
    const b = tabletB.page;
    await b.getByRole('button', { name: /^\+ Subthema.*Samenwerking/ }).click();
    await b.getByLabel('Naam van het subthema').fill('Buurtcontact');
    await b.getByRole('button', { name: 'Subthema maken' }).click();
    const sub = (page: typeof a) => page.getByRole('region', { name: 'Buurtcontact' });
    await expect(sub(a).getByRole('heading', { name: 'Buurtcontact' })).toBeVisible();
    // Only the table host renames a sub-theme: tablets show its name as a heading.
    await expect(sub(a).getByRole('textbox', { name: 'Naam van het subthema' })).toHaveCount(0);
    await sub(b)
      .getByRole('button', { name: /Punt toevoegen/ })
      .click();
    await b.keyboard.type('Contactpersoon per wijk');
    await expect(sub(a).getByRole('textbox', { name: 'Punt bij Buurtcontact' })).toHaveValue('Contactpersoon per wijk');
    // Another point moves into it with the theme menu.
    await a.getByRole('combobox', { name: 'Zet dit punt bij een ander thema' }).first().selectOption({ label: 'Thema: Samenwerking › Buurtcontact' });
    await expect(sub(b).getByRole('textbox', { name: 'Punt bij Buurtcontact' })).toHaveCount(2);
    await expectAccessible(a, 'board with a sub-theme');
  });

  test('when collecting ends, the board closes on the tablet (the server refuses late points as well)', async () => {
    const a = tabletA.page;
    await organiser.page.getByRole('button', { name: 'Volgende stap →' }).click();
    await expect(a.getByText('Even pauze. Daarna gaan we verder.')).toBeVisible();
    await expect(addPointButton(a, 'Communicatie')).toHaveCount(0);
  });
});
