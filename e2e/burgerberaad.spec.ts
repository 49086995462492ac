/**
 * One evening of a burgerberaad on its template: information, deliberation at the table, a
 * break, drafting recommendations, the plenary vote and the anonymous evaluation.
 */
import { expect, test } from '@playwright/test';
import { addPointButton, expectAccessible, laptop, pointBox, projector, tablet, type Person } from './helpers/room';
import { nextStep } from './helpers/run';

test.describe.configure({ mode: 'serial' });

test.describe('a burgerberaad evening', () => {
  let organiser: Person;
  let beamer: Person;
  let member: Person;
  let sessionId = '';

  test.beforeAll(async ({ browser, baseURL }) => {
    organiser = await laptop(browser, baseURL!);
    beamer = await projector(browser, baseURL!);
    member = await tablet(browser, baseURL!);
  });

  test.afterAll(async () => {
    for (const p of [organiser, beamer, member]) await p?.context.close();
  });

  test('the template runs from information to the vote on recommendations', async () => {
    const f = organiser.page;
    await f.goto('/');
    await f.getByRole('radio', { name: 'Burgerberaad-bijeenkomst' }).check();
    await f.getByLabel('Titel').fill('Burgerberaad Klimaat');
    await f.getByLabel('Aantal tafels').fill('3');
    await f.getByRole('button', { name: 'Sessie maken' }).click();
    await expect(f.getByRole('button', { name: 'Sessie beginnen' })).toBeVisible();
    sessionId = new URL(f.url()).pathname.split('/')[2]!;
    const joinPath = new URL(await f.getByRole('textbox', { name: 'Link voor de tafels' }).inputValue()).pathname;
    await beamer.page.goto(`/p/${sessionId}`);
    const m = member.page;
    await m.goto(joinPath);
    await m.getByRole('button', { name: 'Tafel 3' }).click();

    await f.getByRole('button', { name: 'Sessie beginnen' }).click();
    await expect(m.getByText('Informatie over het onderwerp')).toBeVisible();
    await expect(beamer.page.getByText('Informatie over het onderwerp')).toBeVisible();

    await nextStep(f); // deliberation at the table
    await expect(m.getByText('Wat vinden wij belangrijk?')).toBeVisible();
    await addPointButton(m, 'Participatie').click();
    await m.keyboard.type('Inwoners vroeg betrekken');
    await nextStep(f); // clustering
    await nextStep(f); // break
    await expect(m.getByText('Even pauze. Daarna gaan we verder.')).toBeVisible();
    await expect(addPointButton(m, 'Participatie')).toHaveCount(0);
    await expectAccessible(m, 'tablet during the break');

    await nextStep(f); // drafting recommendations, with its own question
    await expect(m.getByRole('heading', { name: 'Welk advies geven wij aan de gemeenteraad?' })).toBeVisible();
    await addPointButton(m, 'Samenwerking').click();
    await m.keyboard.type('Maak een vast wijkpanel');
    await expect(pointBox(m, 'Samenwerking')).toHaveValue('Maak een vast wijkpanel');

    await nextStep(f); // recommendations in the room: every table's recommendations go to the plenary list
    await f.getByRole('link', { name: 'Plenaire lijst openen' }).click();
    await f.getByRole('button', { name: 'Alle punten van de tafels ophalen' }).click();
    await expect(f.getByRole('status').filter({ hasText: '1 punt toegevoegd.' })).toBeVisible();
    await f.getByRole('link', { name: 'Terug naar de leiding' }).click();

    await nextStep(f); // the vote: for, against or neutral on the plenary list, blind, 70 % to adopt
    await expect(f.locator('.run-panel__step')).toHaveText('Stemmen over de adviezen');
    await expect(m.getByText('De stemming begint zo. Wacht even.')).toBeVisible();
    await f.getByRole('button', { name: 'Stemming openen' }).click();
    const wall = beamer.page;
    await expect(wall.getByText(/Voor, tegen of neutraal \(aangenomen bij 70 % voor\) · de plenaire lijst · blind/).first()).toBeVisible();
    const advice = m.getByRole('group', { name: /Maak een vast wijkpanel/ });
    await advice.locator('label', { hasText: 'Voor' }).click();
    await expect(advice.getByRole('radio', { name: /Voor/ })).toBeChecked();
    await expectAccessible(m, 'ballot on recommendations');
    await m.getByRole('button', { name: 'Stem versturen' }).click();
    await expect(m.getByText('Uw stem is ontvangen.')).toBeVisible();
    await expect(wall.getByText('1 van 1 stem binnen')).toBeVisible();
    // Blind: the room sees the result only once the vote is closed; then the advice is adopted.
    await expect(wall.getByText(/Dit is een blinde stemming/)).toBeVisible();
    // The room sees what it votes on, without a count.
    await expect(wall.getByRole('heading', { name: 'Hierover stemt u nu' })).toBeVisible();
    await expect(wall.getByText(/Maak een vast wijkpanel/)).toBeVisible();
    await expect(wall.locator('.wall-result')).toHaveCount(0);
    await expect(f.getByRole('row', { name: /Maak een vast wijkpanel/ })).toContainText('ja');
    await f.getByRole('button', { name: 'Stemming sluiten' }).click();
    await expect(wall.locator('.wall-result', { hasText: /Maak een vast wijkpanel/ })).toContainText('100 % · ✓ aangenomen');
    await expectAccessible(wall, 'projector with an adopted recommendation');
  });

  test('the evaluation is anonymous and reaches the facilitator and the report', async () => {
    const f = organiser.page;
    const m = member.page;
    await nextStep(f); // result
    await nextStep(f); // evaluation
    await expect(m.getByRole('heading', { name: 'Hoe was deze bijeenkomst?' })).toBeVisible();
    await expectAccessible(m, 'evaluation');
    await m.getByRole('group', { name: 'Ik ben tevreden over deze bijeenkomst.' }).getByText('Wel', { exact: true }).click();
    await m.getByRole('group', { name: 'Ik kon zeggen wat ik wilde zeggen.' }).getByText('Helemaal wel').click();
    await m.getByLabel('Wat kan beter? (niet verplicht)').fill('Meer tijd voor de adviezen');
    await m.getByRole('button', { name: 'Versturen' }).click();
    await expect(m.getByText('Bedankt! Uw antwoorden zijn ontvangen.')).toBeVisible();

    const panel = f.getByRole('region', { name: 'Evaluatie' });
    await expect(panel).toContainText('1 antwoord');
    await expect(panel).toContainText('gemiddeld 4 van 5');
    await expect(panel).toContainText('Meer tijd voor de adviezen');

    await f.getByRole('link', { name: 'Verslag bekijken' }).click();
    await expect(f.getByRole('heading', { level: 1 })).toContainText('Burgerberaad Klimaat');
    await expect(f.getByRole('region', { name: 'Evaluatie' }).first()).toContainText('Meer tijd voor de adviezen');
  });
});
