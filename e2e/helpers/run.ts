/** The facilitator's moves, and reading the timer the way a person reads it off a screen. */
import { expect, type Page } from '@playwright/test';

/** Where the console says the session is: round and position, and the step's name. */
const consolePosition = (facilitator: Page) =>
  facilitator
    .locator('.run-panel__now')
    .evaluate((el) => `${el.querySelector('.run-panel__where')?.textContent ?? ''}|${el.querySelector('.run-panel__step')?.textContent ?? ''}`);

/**
 * After a click that may ask first (ending the session, jumping steps): says yes when the
 * console asks, and waits until the console shows another position.
 */
async function confirmAndMove(facilitator: Page, before: string, yes: RegExp): Promise<void> {
  const dialog = facilitator.getByRole('dialog');
  await expect.poll(async () => (await dialog.isVisible()) || (await consolePosition(facilitator)) !== before).toBe(true);
  if (await dialog.isVisible()) await dialog.getByRole('button', { name: yes }).click();
  await expect.poll(() => consolePosition(facilitator)).not.toBe(before);
}

export async function nextStep(facilitator: Page): Promise<void> {
  const before = await consolePosition(facilitator);
  await facilitator.getByRole('button', { name: 'Volgende stap →' }).click();
  await confirmAndMove(facilitator, before, /Sessie afsluiten/);
}

/** Jumps to a step by its title, through the programme list. */
export async function goToStep(facilitator: Page, title: string): Promise<void> {
  const list = facilitator.locator('details.agenda-list');
  if (!(await list.getAttribute('open'))) await list.locator('summary').click();
  const before = await consolePosition(facilitator);
  await facilitator
    .getByRole('button', { name: `Ga naar ${title}` })
    .first()
    .click();
  await confirmAndMove(facilitator, before, /Ja, ga naar deze stap/);
  await expect(facilitator.locator('.run-panel__step')).toHaveText(title);
  await list.locator('summary').click();
}

/** Seconds left on the step timer shown on a page ("12:05" → 725; time up "+0:42" → -42). */
export async function timerSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId('timer').textContent())!.trim();
  const m = /^(\+)?(\d+):(\d{2})$/.exec(text);
  if (!m) throw new Error(`unexpected timer text "${text}"`);
  const seconds = Number(m[2]) * 60 + Number(m[3]);
  return m[1] ? -seconds : seconds;
}
