/**
 * The facilitator's console leads: the step's main action first, calls from the tables on top
 * and handled there, moves that skip or end asked first, a move by mistake undone with its
 * timer, and one console at a time when a second laptop opens the link. Seen at 1440×900.
 */
import { expect, test, type Page } from '@playwright/test';
import { Events } from '../shared/protocol';
import { expectAccessible } from './helpers/room';
import { createFacilitator, emitOk, voter } from './helpers/heavySession';
import { timerSeconds } from './helpers/run';

const LAPTOP = { width: 1440, height: 900 };

async function openConsole(page: Page, sessionId: string, key: string) {
  await page.goto(`/f/${sessionId}#key=${key}`);
  await expect(page.getByRole('heading', { name: 'Thematafel' })).toBeVisible();
}

test('the console leads the facilitator through an evening', async ({ browser, baseURL }) => {
  const fac = await createFacilitator(baseURL!, { title: 'Thematafel', tables: 3 });
  // Only the laptops below hold a console.
  const joinCode = fac.state().joinCode;
  fac.close();
  const context = await browser.newContext({ viewport: LAPTOP });
  const page = await context.newPage();
  await openConsole(page, fac.sessionId, fac.key);
  await page.getByRole('button', { name: 'Sessie beginnen' }).click();
  await expect(page.locator('.run-panel__step')).toHaveText('Uitleg');

  // A table asks for help and another is ready: both on top, handled there.
  const helpTablet = await voter(baseURL!, joinCode, 2);
  const readyTablet = await voter(baseURL!, joinCode, 3);
  await emitOk(helpTablet, Events.tableSignal, { signal: 'help', on: true });
  await emitOk(readyTablet, Events.tableSignal, { signal: 'ready', on: true });
  const alerts = page.getByRole('region', { name: 'Meldingen van de tafels' });
  await expect(alerts.getByText('Tafel 2 vraagt hulp')).toBeVisible();
  await expect(alerts.getByText('Tafel 3 is klaar')).toBeVisible();
  await expect(alerts.getByRole('checkbox', { name: 'Geluid bij een hulpvraag' })).not.toBeChecked();
  await page.screenshot({ path: 'test-results/console/alerts-1440x900.png' });
  await expectAccessible(page, 'console with calls from the tables');
  await alerts.getByRole('listitem').filter({ hasText: 'Tafel 2 vraagt hulp' }).getByRole('button', { name: 'Afgehandeld' }).click();
  await expect(alerts.getByText('Tafel 2 vraagt hulp')).toHaveCount(0);

  // A move by mistake is undone, with the timer as it was.
  await page.getByRole('button', { name: 'Pauzeren' }).click();
  await expect(page.getByRole('button', { name: 'Doorgaan' })).toBeVisible();
  const before = await timerSeconds(page);
  await page.getByRole('button', { name: 'Volgende stap →' }).click();
  await expect(page.locator('.run-panel__step')).toHaveText('Punten inbrengen');
  await page.getByRole('button', { name: /Terug naar Uitleg/ }).click();
  await expect(page.locator('.run-panel__step')).toHaveText('Uitleg');
  expect(await timerSeconds(page)).toBe(before);
  await expect(page.getByRole('button', { name: 'Doorgaan' })).toBeVisible();

  // Jumping asks first; cancelling changes nothing.
  await page.locator('details.agenda-list summary').click();
  await page.getByRole('button', { name: 'Ga naar Wat vinden we het belangrijkst?' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Naar “Wat vinden we het belangrijkst?” gaan?');
  await page.screenshot({ path: 'test-results/console/confirm-1440x900.png' });
  await dialog.getByRole('button', { name: 'Annuleren' }).click();
  await expect(page.locator('.run-panel__step')).toHaveText('Uitleg');
  await page.getByRole('button', { name: 'Ga naar Wat vinden we het belangrijkst?' }).click();
  await dialog.getByRole('button', { name: 'Ja, ga naar deze stap' }).click();
  await expect(page.locator('.run-panel__step')).toHaveText('Wat vinden we het belangrijkst?');
  await page.locator('details.agenda-list summary').click();

  // In a voting step the vote is the first thing to do; the tablets wait for it.
  const firstButton = page.locator('main button').first();
  await expect(firstButton).toHaveText('Stemming openen');
  await expect(page.getByText('Nu op het scherm: De vraag')).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: 'test-results/console/vote-step-1440x900.png' });

  // A second laptop opens the link: it sees the first, takes over, and the first is told.
  const second = await browser.newContext({ viewport: LAPTOP });
  const other = await second.newPage();
  await openConsole(other, fac.sessionId, fac.key);
  await expect(other.getByText('Deze sessie is ook open op een ander scherm.')).toBeVisible();
  await other.getByRole('button', { name: 'Bedien vanaf dit scherm' }).click();
  await expect(other.getByText(/Dit scherm bedient de sessie/)).toBeVisible();
  await expect(page.getByText(/Een ander scherm bedient deze sessie/)).toBeVisible();
  await other.getByRole('button', { name: 'Pauzeren' }).click();
  await expect(page.getByText('De tijd is aangepast: bediend vanaf een ander scherm')).toBeVisible();
  await page.getByRole('button', { name: 'Doorgaan' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Een ander scherm bedient deze sessie' })).toBeVisible();
  await page.screenshot({ path: 'test-results/console/other-console-1440x900.png' });
  await expectAccessible(page, 'console while another console has control');
  await page.getByRole('button', { name: 'Bedien vanaf dit scherm' }).click();
  await expect(page.getByText(/Dit scherm bedient de sessie/)).toBeVisible();

  // Ending the session asks first.
  await page.getByRole('button', { name: 'Volgende stap →' }).click();
  await expect(page.locator('.run-panel__step')).toHaveText('Uitslag');
  await page.getByRole('button', { name: 'Volgende stap →' }).click();
  await expect(page.getByRole('dialog')).toContainText('De sessie afsluiten?');
  await page.getByRole('button', { name: 'Sessie afsluiten' }).click();
  await expect(page.locator('.run-panel__step')).toHaveText('Afgelopen');

  helpTablet.disconnect();
  readyTablet.disconnect();
  await context.close();
  await second.close();
});
